//! Where the workspace is: found at run time from the directory the command runs in,
//! never from a path fixed when xtask was compiled (`env!("CARGO_MANIFEST_DIR")`), so
//! that one xtask binary (one shared `CARGO_TARGET_DIR`, a worktree) acts on the
//! checkout it is run in.

use std::path::{Path, PathBuf};

/// The nearest directory at or above the current one whose `Cargo.toml` has a
/// `[workspace]` table.
pub fn root() -> Result<PathBuf, String> {
    let here =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    root_from(&here)
}

/// [`root`], starting from `start`.
pub fn root_from(start: &Path) -> Result<PathBuf, String> {
    start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "{}: no Cargo.toml with a [workspace] table here or above: run cargo xtask inside a tasks-sdk checkout",
                start.display()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_workspace_manifest_above_wins() {
        let dir = std::env::temp_dir().join(format!("xtask-workspace-{}", std::process::id()));
        let inner = dir.join("outer/inner/crates/a");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(dir.join("outer/Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        std::fs::write(
            dir.join("outer/inner/Cargo.toml"),
            "[package]\nname = \"x\"\n",
        )
        .unwrap();
        assert_eq!(root_from(&inner).unwrap(), dir.join("outer"));
        std::fs::write(dir.join("outer/inner/Cargo.toml"), "[workspace]\n").unwrap();
        assert_eq!(root_from(&inner).unwrap(), dir.join("outer/inner"));
        std::fs::remove_dir_all(&dir).unwrap();
        let err = root_from(Path::new("/")).unwrap_err();
        assert!(
            err.contains("no Cargo.toml with a [workspace] table"),
            "{err}"
        );
    }
}

//! Writing generated files: all or nothing, atomically, and only when changed; or, with
//! `--check`, comparing in memory and describing what is stale.

use std::path::{Path, PathBuf};

/// One generated file, by its path relative to the workspace root.
#[derive(Clone, Debug)]
pub struct Output {
    pub path: PathBuf,
    pub contents: String,
}

impl Output {
    pub fn new(path: String, contents: String) -> Self {
        Output {
            path: PathBuf::from(path),
            contents,
        }
    }
}

/// The outputs whose file is missing or different.
pub fn stale<'a>(root: &Path, outputs: &'a [Output]) -> Vec<&'a Output> {
    outputs
        .iter()
        .filter(|o| {
            std::fs::read_to_string(root.join(&o.path)).ok().as_deref() != Some(o.contents.as_str())
        })
        .collect()
}

/// Writes each changed output through a temporary file and a rename, so that a reader
/// never sees half a file. Returns the paths written.
pub fn write(root: &Path, outputs: &[Output]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for output in stale(root, outputs) {
        let path = root.join(&output.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("regen-tmp");
        std::fs::write(&tmp, &output.contents)?;
        std::fs::rename(&tmp, &path)?;
        written.push(output.path.clone());
    }
    Ok(written)
}

/// A short unified diff of a stale file (at most `max_lines` lines).
pub fn short_diff(root: &Path, output: &Output, max_lines: usize) -> String {
    let old = std::fs::read_to_string(root.join(&output.path)).unwrap_or_default();
    let path = output.path.display().to_string();
    let diff = similar::TextDiff::from_lines(&old, &output.contents);
    let text = diff
        .unified_diff()
        .context_radius(1)
        .header(
            &format!("{path} (committed)"),
            &format!("{path} (regenerated)"),
        )
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines
        .iter()
        .take(max_lines)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > max_lines {
        out.push_str(&format!(
            "\n... ({} more diff lines)",
            lines.len() - max_lines
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changed_files_and_leaves_no_temporaries() {
        let dir = std::env::temp_dir().join(format!("xtask-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("same.rs"), "same\n").unwrap();
        let outputs = vec![
            Output::new("same.rs".into(), "same\n".into()),
            Output::new("sub/new.rs".into(), "new\n".into()),
        ];
        assert_eq!(stale(&dir, &outputs).len(), 1);
        assert_eq!(
            write(&dir, &outputs).unwrap(),
            vec![PathBuf::from("sub/new.rs")]
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("sub/new.rs")).unwrap(),
            "new\n"
        );
        assert!(!dir.join("sub/new.regen-tmp").exists());
        assert!(stale(&dir, &outputs).is_empty());
        let diff = short_diff(&dir, &Output::new("same.rs".into(), "changed\n".into()), 10);
        assert!(
            diff.contains("-same") && diff.contains("+changed"),
            "{diff}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! One xtask binary, two checkouts: each run acts on the checkout it is run in (the
//! workspace is found from the current directory, not from where xtask was compiled).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A checkout with the given providers' spec folders (copied from this workspace).
fn checkout(tag: &str, providers: &[&str]) -> PathBuf {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let dir = std::env::temp_dir().join(format!("xtask-checkout-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for name in providers {
        let from = real.join("specs").join(name);
        let to = dir.join("specs").join(name);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    dir
}

fn xtask(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn each_checkout_is_found_from_where_the_command_runs() {
    let a = checkout("a", &["deck", "twill"]);
    let b = checkout("b", &["aether"]);
    std::fs::create_dir_all(b.join("crates/deep")).unwrap();

    assert_eq!(xtask(&a, &["providers"]).1, "deck\ntwill\n");
    // From a folder inside the checkout, too.
    assert_eq!(xtask(&b.join("crates/deep"), &["providers"]).1, "aether\n");

    // regen of one provider writes into the checkout it runs in, and only there.
    let (ok, _, err) = xtask(&b, &["regen", "--provider", "aether"]);
    assert!(ok, "{err}");
    assert!(b.join("crates/tasks-sdk-aether/src/generated.rs").is_file());
    assert!(!a.join("crates").exists());
    let (ok, _, err) = xtask(&a, &["regen", "--provider", "aether"]);
    assert!(!ok);
    assert!(err.contains("aether"), "{err}");

    // Outside any workspace: one line that says so.
    let outside = std::env::temp_dir().join(format!("xtask-outside-{}", std::process::id()));
    std::fs::create_dir_all(&outside).unwrap();
    if outside.ancestors().all(|d| !d.join("Cargo.toml").exists()) {
        let (ok, _, err) = xtask(&outside, &["providers"]);
        assert!(!ok);
        assert!(
            err.contains("no Cargo.toml with a [workspace] table"),
            "{err}"
        );
    }
    for dir in [a, b, outside] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

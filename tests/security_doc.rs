//! SECURITY.md maps each threat to the tests that show the protection works: every test it
//! names must exist, so the map cannot silently go stale when a test is renamed or removed.

use std::path::PathBuf;

#[test]
fn every_test_security_md_names_exists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("SECURITY.md")).unwrap();
    let pattern = regex::Regex::new(r"`([a-z_0-9]+)::([a-z_0-9]+)`").unwrap();
    let mut named = 0;
    for m in pattern.captures_iter(&doc) {
        let (module, function) = (&m[1], &m[2]);
        let file = match module {
            "e2e" => root.join("src-tauri/tests/e2e.rs"),
            "tests" => root.join("src-tauri/src/main.rs"),
            other => root.join("tests").join(format!("{other}.rs")),
        };
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("SECURITY.md names {module}::{function}: {e}"));
        assert!(
            text.contains(&format!("fn {function}(")),
            "SECURITY.md names {module}::{function}, which {} does not have",
            file.display()
        );
        named += 1;
    }
    assert!(named >= 40, "only {named} tests named");
}

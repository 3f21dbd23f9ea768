//! The `threadline` command line, run as a separate process on real files.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::cli;

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(cli())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run threadline")
}

fn ok(args: &[&str], dir: &Path) -> String {
    let out = run(args, dir);
    assert!(
        out.status.success(),
        "threadline {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs a command that must fail; returns its one-line error.
fn fails(args: &[&str], dir: &Path) -> String {
    let out = run(args, dir);
    assert!(!out.status.success(), "threadline {args:?} should fail");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "one-line error: {err}");
    assert!(err.starts_with("threadline: "), "{err}");
    err
}

fn json(args: &[&str], dir: &Path) -> Value {
    serde_json::from_str(&ok(args, dir)).expect("valid JSON")
}

const IMR: &str = "POLICE INDIVIDUAL MANAGEMENT REVIEW\n\n\
1.1 Officers attended the flat on 12.03.2021 after a neighbour's call.\n\n\
1.2 The domestic abuse risk checklist (version ver1.1) was not completed.\n\
1.3 No referral was made to children's social care.\n";

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    let top = ok(&["--help"], dir.path());
    for command in [
        "new",
        "info",
        "import-text",
        "search",
        "dump",
        "load",
        "demo",
        "stats",
    ] {
        assert!(top.contains(command), "top-level help lists {command}");
        let help = ok(&[command, "--help"], dir.path());
        assert!(help.contains("Usage: threadline"), "{command}: {help}");
    }
}

#[test]
fn new_import_search_and_info_work_together() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("police.txt"), IMR).unwrap();
    ok(
        &[
            "new",
            "r.threadline",
            "--title",
            "Child Q",
            "--type",
            "cspr",
        ],
        d,
    );
    let imported = json(
        &[
            "import-text",
            "r.threadline",
            "police.txt",
            "--title",
            "Police IMR",
            "--kind",
            "imr",
            "--json",
        ],
        d,
    );
    assert_eq!(imported["paragraph_count"], 4);
    let page = json(&["search", "r.threadline", "12.03.2021", "--json"], d);
    let hits = page["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["location"]["source_title"], "Police IMR");
    assert_eq!(hits[0]["location"]["paragraph_label"], "1.1");
    let text = ok(&["search", "r.threadline", "referral"], d);
    assert!(text.contains("Police IMR"), "{text}");
    assert!(text.contains("«referral»"), "{text}");
    let info = json(&["info", "r.threadline", "--json"], d);
    assert_eq!(info["details"]["title"], "Child Q");
    assert_eq!(info["details"]["review_type"], "cspr");
    let stats = json(&["stats", "r.threadline", "--json"], d);
    let paragraphs = stats["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "paragraph")
        .unwrap()["rows"]
        .clone();
    assert_eq!(paragraphs, 4);
    let human = ok(&["info", "r.threadline"], d);
    assert!(human.starts_with("Child Q"), "{human}");
}

#[test]
fn awkward_search_text_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("police.txt"), IMR).unwrap();
    ok(&["new", "r.threadline"], d);
    ok(&["import-text", "r.threadline", "police.txt"], d);
    for text in [
        "Child S's",
        "ver1.1",
        "AND",
        "\"unbalanced",
        "NEAR(",
        "*",
        "-",
    ] {
        let page = json(&["search", "r.threadline", text, "--json"], d);
        assert!(page["hits"].is_array(), "{text}");
    }
    let page = json(&["search", "r.threadline", "ver1.1", "--json"], d);
    assert_eq!(page["hits"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_input_gets_a_one_line_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["new", "r.threadline"], d);
    let before = ok(&["dump", "r.threadline"], d);

    std::fs::write(d.join("latin1.txt"), b"Caf\xe9 visit\n").unwrap();
    let err = fails(&["import-text", "r.threadline", "latin1.txt"], d);
    assert!(err.contains("UTF-8"), "{err}");
    std::fs::write(d.join("blank.txt"), "\n\n   \n").unwrap();
    let err = fails(&["import-text", "r.threadline", "blank.txt"], d);
    assert!(err.contains("no paragraphs"), "{err}");
    let err = fails(&["import-text", "r.threadline", "missing.txt"], d);
    assert!(err.contains("missing.txt"), "{err}");
    std::fs::write(d.join("ok.txt"), "One line.\n").unwrap();
    let err = fails(
        &["import-text", "r.threadline", "ok.txt", "--kind", "diary"],
        d,
    );
    assert!(err.contains("--kind") && err.contains("imr"), "{err}");
    let err = fails(
        &[
            "import-text",
            "r.threadline",
            "ok.txt",
            "--agency",
            "Nobody",
        ],
        d,
    );
    assert!(err.contains("Nobody"), "{err}");
    let err = fails(&["new", "r.threadline"], d);
    assert!(err.contains("already exists"), "{err}");
    let err = fails(&["new", "x.threadline", "--type", "inquest"], d);
    assert!(err.contains("--type"), "{err}");
    assert!(!d.join("x.threadline").exists());
    std::fs::write(d.join("notes.txt"), "not a review").unwrap();
    let err = fails(&["info", "notes.txt"], d);
    assert!(err.contains("not a Threadline review file"), "{err}");

    assert_eq!(ok(&["dump", "r.threadline"], d), before, "nothing changed");
}

#[test]
fn dump_then_load_then_dump_is_identical() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("police.txt"), IMR).unwrap();
    ok(&["new", "r.threadline", "--title", "Child Q"], d);
    ok(
        &["import-text", "r.threadline", "police.txt", "--kind", "imr"],
        d,
    );
    let first = ok(&["dump", "r.threadline"], d);
    ok(&["dump", "r.threadline", "--out", "r.json"], d);
    assert_eq!(std::fs::read_to_string(d.join("r.json")).unwrap(), first);
    let err = fails(&["dump", "r.threadline", "--out", "r.json"], d);
    assert!(err.contains("already exists"), "{err}");
    ok(&["load", "r.json", "copy.threadline"], d);
    assert_eq!(ok(&["dump", "copy.threadline"], d), first);
    let err = fails(&["load", "r.json", "copy.threadline"], d);
    assert!(err.contains("already exists"), "{err}");
    std::fs::write(d.join("bad.json"), "{\"format\": \"something else\"}").unwrap();
    fails(&["load", "bad.json", "bad.threadline"], d);
    assert!(!d.join("bad.threadline").exists());
}

#[test]
fn demo_then_search_returns_located_hits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let created = ok(&["demo", "d.threadline"], d);
    assert!(created.contains("d.threadline"), "{created}");
    let page = json(&["search", "d.threadline", "referral", "--json"], d);
    let hits = page["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        let label = hit["location"]["label"].as_str().unwrap();
        assert!(!label.is_empty(), "{hit}");
    }
    assert!(hits
        .iter()
        .any(|h| h["kind"] == "paragraph" && h["location"]["source_title"].is_string()));
    let err = fails(&["demo", "d.threadline"], d);
    assert!(err.contains("already exists"), "{err}");
}

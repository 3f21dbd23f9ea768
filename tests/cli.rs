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
        "import",
        "check",
        "export",
        "search",
        "dump",
        "load",
        "demo",
        "stats",
        "pseudonym",
        "compact",
        "draft",
        "diff",
        "approve",
        "approvals",
        "pack",
        "comment",
        "verify",
        "backup",
        "passphrase",
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

/// A Word file written by the docx-rs library, one paragraph per line of `paras`.
fn word_file(path: &Path, paras: &[&str]) {
    use docx_rs::{Docx, Paragraph, Run};
    let doc = paras.iter().fold(Docx::new(), |d, t| {
        d.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*t)))
    });
    let file = std::fs::File::create(path).expect("create docx");
    doc.build().pack(file).expect("write docx");
}

#[test]
fn import_reads_a_word_document_and_a_new_version_takes_over_its_excerpts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["new", "r.threadline"], d);
    word_file(
        &d.join("police-v1.docx"),
        &[
            "4.1 Officers attended the address after a neighbour called.",
            "4.2 No referral was made to children's social care.",
        ],
    );
    let first = json(
        &[
            "import",
            "r.threadline",
            "police-v1.docx",
            "--title",
            "Police IMR",
            "--version",
            "1",
            "--json",
        ],
        d,
    );
    assert_eq!(first["counts"]["paragraphs"], 2);
    assert_eq!(first["source"]["kind"], "imr");
    assert_eq!(first["source"]["file_name"], "police-v1.docx");
    let hits = json(&["search", "r.threadline", "referral", "--json"], d);
    assert_eq!(
        hits["hits"][0]["location"]["label"]
            .as_str()
            .map(|l| l.contains("4.2")),
        Some(true),
        "{hits}"
    );

    // Quote the second paragraph, then import version 2, where it moved down one place.
    let source_id = first["source"]["id"].as_str().unwrap().to_owned();
    let path = d.join("r.threadline");
    {
        let mut review = threadline::Review::open(&path, crate::common::ctx()).unwrap();
        let para = &review.paragraphs(&source_id, 1, 1).unwrap()[0];
        review
            .excerpt_for_text(&para.id.clone(), "No referral was made")
            .unwrap();
    }
    word_file(
        &d.join("police-v2.docx"),
        &[
            "4.1 Officers attended the address after a neighbour called.",
            "4.2 The officer completed a risk assessment.",
            "4.3 No referral was made to children's social care.",
        ],
    );
    let text = ok(
        &["import", "r.threadline", "police-v2.docx", "--version", "2"],
        d,
    );
    assert!(
        text.contains("replaces \"Police IMR\" (version 1): 1 excerpts moved"),
        "{text}"
    );
    let review = threadline::Review::open(&path, crate::common::ctx()).unwrap();
    let sources = review.sources().unwrap();
    assert_eq!(sources.len(), 2, "the old version is kept");
    assert_eq!(
        sources[1].supersedes_id.as_deref(),
        Some(source_id.as_str())
    );
    let moved = review.excerpts_of_source(&sources[1].id).unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(
        review
            .paragraph(&moved[0].paragraph_id)
            .unwrap()
            .label
            .as_deref(),
        Some("4.3")
    );
}

#[test]
fn import_previews_and_imports_a_spreadsheet_chronology_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["new", "r.threadline"], d);
    std::fs::write(
        d.join("chron.csv"),
        "When;Organisation;What happened\n03/04/2009;Police;Call to the home\nSept 2008;School;Absent\nnot a date;GP;Seen\n",
    )
    .unwrap();
    let preview = ok(&["import", "r.threadline", "chron.csv", "--preview"], d);
    assert!(
        preview.contains("2 rows ready, 0 duplicates, 1 failing (nothing written)"),
        "{preview}"
    );
    assert!(preview.contains("row 4: fails:"), "{preview}");
    let stats = json(&["stats", "r.threadline", "--json"], d);
    let entries = |s: &Value| {
        s["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == "chronology_entry")
            .map(|t| t["rows"].as_i64().unwrap())
    };
    assert_eq!(entries(&stats), Some(0), "a preview writes nothing");

    let done = json(&["import", "r.threadline", "chron.csv", "--json"], d);
    assert_eq!(done["added"], 2);
    assert_eq!(done["failed"][0]["row"], 4);
    let again = ok(&["import", "r.threadline", "chron.csv"], d);
    assert!(
        again.contains("imported 0 chronology entries from chron.csv; 2 duplicates skipped"),
        "{again}"
    );
    assert_eq!(
        entries(&json(&["stats", "r.threadline", "--json"], d)),
        Some(2)
    );
}

#[test]
fn import_refuses_unsupported_files_and_bad_mappings_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["new", "r.threadline"], d);
    std::fs::write(d.join("imr.pdf"), b"%PDF-1.7").unwrap();
    std::fs::write(d.join("c.csv"), "Date,Event\n01/02/2003,Visit\n").unwrap();
    let err = fails(&["import", "r.threadline", "imr.pdf"], d);
    assert!(err.contains("save it as .docx"), "{err}");
    let err = fails(
        &["import", "r.threadline", "c.csv", "--map", "date=Nope"],
        d,
    );
    assert!(
        err.contains("no column headed 'Nope'; the headers are: Date, Event"),
        "{err}"
    );
    let err = fails(&["import", "r.threadline", "c.csv", "--kind", "imr"], d);
    assert!(err.contains("imported as a chronology"), "{err}");
    let err = fails(&["import", "r.threadline", "c.csv", "--map", "colour=1"], d);
    assert!(err.contains("'colour' is not a field"), "{err}");
}

#[test]
fn pseudonyms_are_registered_listed_and_a_publication_export_refuses_a_leak() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["new", "r.threadline", "--title", "Child Q"], d);
    let added = ok(
        &[
            "pseudonym",
            "add",
            "r.threadline",
            "--real",
            "Laura Pennington",
            "--pseudonym",
            "Child Q",
            "--alias",
            "Lolly",
            "--alias",
            "Lo",
        ],
        d,
    );
    assert!(added.contains("Laura Pennington → Child Q"), "{added}");
    ok(
        &[
            "pseudonym",
            "add",
            "r.threadline",
            "--real",
            "Rotherham Council",
            "--category",
            "organisation",
            "--safe",
        ],
        d,
    );
    // Bad input: a clear error, nothing added.
    let err = fails(
        &["pseudonym", "add", "r.threadline", "--real", "Gary Noakes"],
        d,
    );
    assert!(err.contains("--pseudonym"), "{err}");
    let err = fails(
        &[
            "pseudonym",
            "add",
            "r.threadline",
            "--real",
            "Gary",
            "--pseudonym",
            "Child Q",
        ],
        d,
    );
    assert!(err.contains("already the pseudonym"), "{err}");
    let list = json(&["pseudonym", "list", "r.threadline", "--json"], d);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["real_name"], "Laura Pennington");
    assert_eq!(list[0]["aliases"], serde_json::json!(["Lolly", "Lo"]));
    assert_eq!(list[1]["safe_to_name"], true);
    let text = ok(&["pseudonym", "list", "r.threadline"], d);
    assert!(
        text.contains("Laura Pennington → Child Q [also: Lolly, Lo]"),
        "{text}"
    );

    // A section with the name (substituted), a split name and a postcode (not).
    let mut review =
        threadline::Review::open(&d.join("r.threadline"), crate::common::ctx()).unwrap();
    review
        .add_section(threadline::model::sections::SectionInput {
            document: threadline::model::sections::Document::Summary,
            heading: "Background".into(),
            body: "Laura Pennington lived in Rotherham Council housing at S60 1AA. **Lo**lly \
                   was her nickname; date of birth: 3 April 1993.\n"
                .into(),
        })
        .unwrap();
    review.close().unwrap();
    let args = [
        "export",
        "r.threadline",
        "--doc",
        "summary",
        "-o",
        "pub.docx",
        "--publication",
    ];
    let out = run(&args, d);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("docProps") || err.contains("word/document.xml"),
        "{err}"
    );
    assert!(
        err.contains("S60 1AA") && err.contains("3 April 1993"),
        "{err}"
    );
    // The nickname split by formatting was replaced, not leaked.
    assert!(
        !err.contains("Lolly") && err.contains("Child Q was her nickname"),
        "{err}"
    );
    assert!(!d.join("pub.docx").exists());
    let keys: Vec<String> = err
        .lines()
        .filter_map(|l| l.split("[allow with ").nth(1))
        .map(|k| k.trim_end_matches(']').to_owned())
        .collect();
    assert_eq!(keys.len(), 2, "{err}");
    let mut allowed: Vec<&str> = args.to_vec();
    for k in &keys {
        allowed.push("--allow");
        allowed.push(k);
    }
    let wrote = ok(&allowed, d);
    assert!(
        wrote.contains("publication version of the executive summary"),
        "{wrote}"
    );
    let internal = ok(
        &[
            "export",
            "r.threadline",
            "--doc",
            "summary",
            "-o",
            "internal.md",
        ],
        d,
    );
    assert!(internal.contains("wrote"));
    let md = std::fs::read_to_string(d.join("internal.md")).unwrap();
    assert!(md.contains("Laura Pennington"));
    let compacted = ok(&["compact", "r.threadline"], d);
    assert!(
        compacted.starts_with("compacted r.threadline"),
        "{compacted}"
    );
}

//! Issued drafts, what changed between them, approvals, and their command line: on real review
//! files, with the tracked-changes Word file read back by LibreOffice.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

use threadline::drafts::{
    diff_html, export_draft, ApprovalState, ChangeStatus, DraftRef, SegmentKind,
};
use threadline::export::{ExportDoc, ExportFormat, ExportRequest};
use threadline::model::findings::{FindingInput, FindingKind};
use threadline::model::recommendations::RecommendationInput;
use threadline::model::sections::{Document, SectionInput};
use threadline::model::themes::ThemeInput;
use threadline::model::tor::{TorInput, TorKind};
use threadline::{Actor, Error, Review};

use crate::common::{cli, ctx, fresh, office::soffice_convert, Fixture};

fn section(f: &mut Fixture, document: Document, heading: &str, body: &str) -> String {
    f.review
        .add_section(SectionInput {
            document,
            heading: heading.into(),
            body: body.into(),
        })
        .unwrap()
        .id
}

fn edit(f: &mut Fixture, id: &str, heading: &str, body: &str) {
    let document = f.review.section(id).unwrap().document;
    f.review
        .update_section(
            id,
            SectionInput {
                document,
                heading: heading.into(),
                body: body.into(),
            },
        )
        .unwrap();
}

fn finding(statement: &str, theme_id: Option<String>) -> FindingInput {
    FindingInput {
        theme_id,
        kind: FindingKind::Practice,
        statement: statement.into(),
        analysis: String::new(),
    }
}

const INTRO_1: &str = "The police did not share the referral with the school.";
const INTRO_2: &str = "The police shared the referral with the school on the same day.";

/// A review with two sections, a theme, a finding, a recommendation and a term of reference.
struct Case {
    f: Fixture,
    intro: String,
    method: String,
    finding: String,
}

fn case() -> Case {
    let mut f = fresh();
    let intro = section(&mut f, Document::Overview, "Introduction", INTRO_1);
    let method = section(
        &mut f,
        Document::Overview,
        "Method",
        "The panel met four times.",
    );
    let theme = f
        .review
        .add_theme(ThemeInput {
            title: "Information sharing".into(),
            summary: String::new(),
        })
        .unwrap();
    let finding = f
        .review
        .add_finding(finding(
            "Agencies did not share what they knew.",
            Some(theme.id),
        ))
        .unwrap()
        .id;
    f.review
        .add_tor(TorInput {
            kind: TorKind::Generic,
            text: "How well did agencies share information?".into(),
            out_of_scope_reason: None,
        })
        .unwrap();
    Case {
        f,
        intro,
        method,
        finding,
    }
}

#[test]
fn drafts_are_numbered_labelled_and_keep_the_text_of_their_day() {
    let mut c = case();
    c.f.review.set_actor(Actor {
        name: "Alex Author".into(),
        role: "author".into(),
    });
    let d1 = c.f.review.issue_draft(None).unwrap();
    edit(&mut c.f, &c.intro, "Introduction", INTRO_2);
    let d2 = c.f.review.issue_draft(Some("  Panel draft  ")).unwrap();
    edit(&mut c.f, &c.method, "Method", "The panel met five times.");
    let d3 = c.f.review.issue_draft(None).unwrap();

    let list = c.f.review.drafts().unwrap();
    let summary: Vec<(i64, &str)> = list.iter().map(|d| (d.number, d.label.as_str())).collect();
    assert_eq!(
        summary,
        vec![(1, "Draft 1"), (2, "Panel draft"), (3, "Draft 3")]
    );
    assert!(list
        .iter()
        .all(|d| d.issued_by == "Alex Author" && d.role == "author"));
    assert_eq!(d1.info.issued_at, "2026-03-01T09:00:00.000Z");
    assert_ne!(d1.info.id, d2.info.id);

    let intro_in = |d: &threadline::drafts::Draft| {
        d.snapshot
            .content
            .sections
            .iter()
            .find(|s| s.id == c.intro)
            .unwrap()
            .body
            .clone()
    };
    assert_eq!(intro_in(&c.f.review.draft("1").unwrap()), INTRO_1);
    assert_eq!(intro_in(&c.f.review.draft("panel DRAFT").unwrap()), INTRO_2);
    assert_eq!(intro_in(&c.f.review.draft(&d3.info.id).unwrap()), INTRO_2);
    assert_eq!(d1.snapshot.content.findings.len(), 1);
    assert_eq!(d1.snapshot.content.tor.len(), 1);
    // The rendered report is frozen too.
    let rendered = c.f.review.render_draft("1", Document::Overview).unwrap();
    assert_eq!(rendered.marking.as_deref(), Some("Draft 1"));
    assert!(format!("{:?}", rendered.sections).contains("did not share the referral"));

    // The audit log names each issue, and undo never treats it as an edit to undo.
    let log = c.f.review.audit_log(20).unwrap();
    assert_eq!(log[0].summary, "Issue Draft 3");
    assert_eq!(log[0].actor, "Alex Author");
    assert_eq!(c.f.review.undo().unwrap(), "Edit section \"Method\"");
    assert_eq!(c.f.review.drafts().unwrap().len(), 3);
}

#[test]
fn a_bad_label_is_refused_and_nothing_is_issued() {
    let mut c = case();
    c.f.review.issue_draft(Some("For the panel")).unwrap();
    for (label, words) in [
        ("   ", "blank"),
        ("7", "bare number"),
        ("for the PANEL", "already labelled"),
        ("two\nlines", "line breaks"),
        ("Current", "review as it is"),
    ] {
        match c.f.review.issue_draft(Some(label)) {
            Err(Error::Invalid { field, message }) => {
                assert_eq!(field, "label");
                assert!(message.contains(words), "{label:?}: {message}");
            }
            other => panic!("{label:?} should be refused, got {other:?}"),
        }
    }
    assert_eq!(c.f.review.drafts().unwrap().len(), 1);
    assert!(matches!(
        c.f.review.draft("2"),
        Err(Error::NotFound { kind: "draft", .. })
    ));
}

#[test]
fn an_issued_draft_cannot_be_changed_or_deleted_even_by_direct_sql() {
    let mut c = case();
    c.f.review.issue_draft(None).unwrap();
    let Fixture { dir, path, review } = c.f;
    review.close().unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let update = conn
        .execute("UPDATE draft SET label = 'Tampered'", [])
        .unwrap_err();
    assert!(update.to_string().contains("cannot be changed"), "{update}");
    let snapshot = conn
        .execute("UPDATE draft SET snapshot = '{}'", [])
        .unwrap_err();
    assert!(snapshot.to_string().contains("cannot be changed"));
    let delete = conn.execute("DELETE FROM draft", []).unwrap_err();
    assert!(delete.to_string().contains("cannot be deleted"), "{delete}");
    drop(conn);
    let review = Review::open(&path, ctx()).unwrap();
    let d = review.draft("1").unwrap();
    assert_eq!(d.info.label, "Draft 1");
    assert_eq!(d.snapshot.content.sections.len(), 2);
    drop(dir);
}

#[test]
fn diff_marks_the_words_that_changed_in_a_section() {
    let mut c = case();
    c.f.review.issue_draft(None).unwrap();
    edit(&mut c.f, &c.intro, "Introduction", INTRO_2);
    let diff =
        c.f.review
            .diff(&DraftRef::Draft("1".into()), &DraftRef::Current)
            .unwrap();
    let intro = diff.sections.iter().find(|s| s.id == c.intro).unwrap();
    assert_eq!(intro.status, ChangeStatus::Changed);
    let side = |keep: SegmentKind| -> String {
        intro
            .segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Equal || s.kind == keep)
            .map(|s| s.text.as_str())
            .collect()
    };
    // Each side is exactly recovered from the segments.
    assert_eq!(side(SegmentKind::Delete), INTRO_1);
    assert_eq!(side(SegmentKind::Insert), INTRO_2);
    // Whole words and phrases: "did not share" became "shared", "on the same day" came in
    // before the full stop; everything else is common to both.
    let segments: Vec<(SegmentKind, &str)> = intro
        .segments
        .iter()
        .map(|s| (s.kind, s.text.as_str()))
        .collect();
    assert_eq!(
        segments,
        vec![
            (SegmentKind::Equal, "The police "),
            (SegmentKind::Delete, "did not share"),
            (SegmentKind::Insert, "shared"),
            (SegmentKind::Equal, " the referral with the school"),
            (SegmentKind::Insert, " on the same day"),
            (SegmentKind::Equal, "."),
        ]
    );
    // The other section is listed, unchanged.
    let method = diff.sections.iter().find(|s| s.id == c.method).unwrap();
    assert_eq!(method.status, ChangeStatus::Unchanged);
    assert!(!method.moved);
}

#[test]
fn diff_reports_sections_added_removed_renamed_and_moved() {
    let mut c = case();
    let summary = section(&mut c.f, Document::Summary, "Summary", "Short version.");
    c.f.review.issue_draft(None).unwrap();
    edit(
        &mut c.f,
        &c.method,
        "How the review worked",
        "The panel met four times.",
    );
    let added = section(&mut c.f, Document::Overview, "Conclusions", "We conclude.");
    c.f.review.move_section(&added, 0).unwrap();
    c.f.review.delete_section(&summary, false).unwrap();
    c.f.review.move_section(&c.method, 0).unwrap();
    let diff =
        c.f.review
            .diff(&DraftRef::Draft("Draft 1".into()), &DraftRef::Current)
            .unwrap();
    let by_id = |id: &str| diff.sections.iter().find(|s| s.id == id).unwrap();
    let method = by_id(&c.method);
    assert_eq!(method.status, ChangeStatus::Changed);
    assert_eq!(method.old_heading.as_deref(), Some("Method"));
    assert_eq!(method.heading, "How the review worked");
    // Two sections swapped places: one of them counts as moved, not both.
    assert_eq!(
        [by_id(&c.method).moved, by_id(&c.intro).moved]
            .iter()
            .filter(|m| **m)
            .count(),
        1
    );
    let new = by_id(&added);
    assert_eq!(new.status, ChangeStatus::Added);
    assert_eq!(new.segments.len(), 1);
    assert_eq!(new.segments[0].kind, SegmentKind::Insert);
    let gone = by_id(&summary);
    assert_eq!(gone.status, ChangeStatus::Removed);
    assert_eq!(gone.document, Document::Summary);
    assert_eq!(gone.segments[0].kind, SegmentKind::Delete);
    assert_eq!(gone.segments[0].text, "Short version.");
    // Order: the newer side's overview order, then the summary's removed section.
    let order: Vec<&str> = diff.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        order,
        vec![
            c.method.as_str(),
            added.as_str(),
            c.intro.as_str(),
            summary.as_str()
        ]
    );
}

#[test]
fn diff_names_the_fields_of_findings_and_recommendations_that_changed() {
    let mut c = case();
    c.f.review.issue_draft(None).unwrap();
    let theme =
        c.f.review
            .add_theme(ThemeInput {
                title: "Voice of the child".into(),
                summary: String::new(),
            })
            .unwrap();
    c.f.review
        .update_finding(
            &c.finding,
            FindingInput {
                analysis: "Seen in three agencies.".into(),
                ..finding("Agencies rarely shared what they knew.", Some(theme.id))
            },
        )
        .unwrap();
    let rec =
        c.f.review
            .add_recommendation(RecommendationInput {
                text: "The partnership should audit information sharing.".into(),
                ..RecommendationInput::default()
            })
            .unwrap();
    c.f.review.issue_draft(None).unwrap();
    let tor = c.f.review.tor_items().unwrap()[0].id.clone();
    c.f.review.delete_tor(&tor, true).unwrap();

    let d =
        c.f.review
            .diff(&DraftRef::Draft("1".into()), &DraftRef::Draft("2".into()))
            .unwrap();
    assert_eq!(d.findings.len(), 1);
    let f = &d.findings[0];
    assert_eq!((f.status, f.label.as_str()), (ChangeStatus::Changed, "F1"));
    let fields: Vec<(&str, &str, &str)> = f
        .fields
        .iter()
        .map(|x| (x.field.as_str(), x.old.as_str(), x.new.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            (
                "statement",
                "Agencies did not share what they knew.",
                "Agencies rarely shared what they knew."
            ),
            ("analysis", "", "Seen in three agencies."),
            ("theme", "Information sharing", "Voice of the child"),
        ]
    );
    assert_eq!(d.recommendations.len(), 1);
    assert_eq!(d.recommendations[0].status, ChangeStatus::Added);
    assert_eq!(d.recommendations[0].id, rec.id);
    assert!(d.tor.is_empty());

    // Draft 2 against now: the ToR is gone, nothing else.
    let now =
        c.f.review
            .diff(&DraftRef::Draft("2".into()), &DraftRef::Current)
            .unwrap();
    assert_eq!(now.tor.len(), 1);
    assert_eq!(now.tor[0].status, ChangeStatus::Removed);
    assert_eq!(now.tor[0].label, "ToR 1");
    assert!(now.findings.is_empty() && now.recommendations.is_empty());
    // A draft against itself: nothing.
    assert!(c
        .f
        .review
        .diff(&DraftRef::Draft("2".into()), &DraftRef::Draft("2".into()))
        .unwrap()
        .is_empty());
}

#[test]
fn approvals_go_stale_when_the_section_changes_and_not_before() {
    let mut c = case();
    c.f.review.issue_draft(None).unwrap();
    c.f.review.set_actor(Actor {
        name: "Chris Chair".into(),
        role: "chair".into(),
    });
    let a =
        c.f.review
            .set_approval(&c.intro, "1", ApprovalState::Approved, "  Clear.  ")
            .unwrap();
    assert_eq!(
        (a.by.as_str(), a.role.as_str(), a.note.as_str()),
        ("Chris Chair", "chair", "Clear.")
    );
    assert_eq!(a.heading, "Introduction");
    assert_eq!((a.draft_number, a.stale), (1, false));
    assert_eq!(a.at, "2026-03-01T09:00:00.000Z");
    assert_eq!(a.text_sha256.len(), 64);

    // Another section's edit leaves it fresh.
    edit(&mut c.f, &c.method, "Method", "The panel met six times.");
    assert!(!c.f.review.approvals().unwrap()[0].stale);
    // Its own section's edit makes it stale; putting the text back makes it fresh again.
    edit(&mut c.f, &c.intro, "Introduction", INTRO_2);
    assert!(c.f.review.approvals().unwrap()[0].stale);
    edit(&mut c.f, &c.intro, "Introduction", INTRO_1);
    assert!(!c.f.review.approvals().unwrap()[0].stale);
    edit(&mut c.f, &c.intro, "Opening", INTRO_1);
    assert!(c.f.review.approvals().unwrap()[0].stale);

    // A verdict on the next draft is on the new text; giving it again replaces it.
    c.f.review.issue_draft(None).unwrap();
    c.f.review
        .set_approval(&c.intro, "2", ApprovalState::ChangesRequested, "Say more.")
        .unwrap();
    let again =
        c.f.review
            .set_approval(&c.intro, "2", ApprovalState::Approved, "")
            .unwrap();
    let all = c.f.review.approvals().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].id, again.id);
    assert_eq!(
        (all[1].state, all[1].stale, all[1].heading.as_str()),
        (ApprovalState::Approved, false, "Opening")
    );
    assert!(all[0].stale);

    // Deleting the section leaves the verdicts, stale.
    c.f.review.delete_section(&c.intro, true).unwrap();
    let all = c.f.review.approvals().unwrap();
    assert!(all.iter().all(|a| a.stale && a.section_deleted));

    // Audited, and not undone by undo.
    let log = c.f.review.audit_log(10).unwrap();
    assert!(log.iter().any(
        |e| e.summary == "Request changes to a section of Draft 2" && e.actor == "Chris Chair"
    ));
    c.f.review.undo().unwrap();
    assert_eq!(c.f.review.approvals().unwrap().len(), 2);
}

#[test]
fn an_approval_needs_a_section_that_was_in_the_draft() {
    let mut c = case();
    c.f.review.issue_draft(None).unwrap();
    let later = section(&mut c.f, Document::Overview, "Later", "Written after.");
    match c
        .f
        .review
        .set_approval(&later, "1", ApprovalState::Approved, "")
    {
        Err(Error::Invalid { field, message }) => {
            assert_eq!(field, "section");
            assert!(message.contains("Draft 1"), "{message}");
        }
        other => panic!("should be refused: {other:?}"),
    }
    assert!(matches!(
        c.f.review
            .set_approval(&c.intro, "9", ApprovalState::Approved, ""),
        Err(Error::NotFound { kind: "draft", .. })
    ));
    assert!(c.f.review.approvals().unwrap().is_empty());
}

#[test]
fn an_issued_draft_exports_as_it_was_issued() {
    let mut c = case();
    let request = ExportRequest::new(ExportDoc::Overview, ExportFormat::Md);
    let before = threadline::export::export(&c.f.review, &request, &mut |_| {}).unwrap();
    c.f.review.issue_draft(None).unwrap();
    edit(&mut c.f, &c.intro, "Introduction", INTRO_2);
    c.f.review
        .add_tor(TorInput {
            kind: TorKind::CaseSpecific,
            text: "Added after the draft.".into(),
            out_of_scope_reason: None,
        })
        .unwrap();
    let md =
        String::from_utf8(export_draft(&c.f.review, "1", &request, &mut |_| {}).unwrap()).unwrap();
    assert!(md.contains(INTRO_1), "{md}");
    assert!(!md.contains(INTRO_2));
    assert!(!md.contains("Added after the draft."));
    // The same bytes as an export made that day, but marked with the draft's label.
    let before = String::from_utf8(before).unwrap();
    assert_eq!(md, before.replace("**Draft**", "**Draft 1**"));
    // Word and HTML too; a publication export of a draft is refused.
    for format in [ExportFormat::Docx, ExportFormat::Html] {
        let bytes = export_draft(
            &c.f.review,
            "1",
            &ExportRequest::new(ExportDoc::Overview, format),
            &mut |_| {},
        )
        .unwrap();
        assert!(bytes.len() > 500);
    }
    assert!(matches!(
        export_draft(
            &c.f.review,
            "1",
            &request.clone().for_publication(),
            &mut |_| {}
        ),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn the_html_of_a_diff_escapes_review_text_and_marks_changes() {
    let mut c = case();
    c.f.review.issue_draft(None).unwrap();
    edit(
        &mut c.f,
        &c.intro,
        "Introduction <b>",
        "The police <script>alert(1)</script> shared & waited.",
    );
    let diff =
        c.f.review
            .diff(&DraftRef::Draft("1".into()), &DraftRef::Current)
            .unwrap();
    let html = diff_html(&diff);
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&amp;"));
    assert!(
        html.contains("<del>did not share the referral with the school</del>"),
        "{html}"
    );
    assert!(html.contains("<ins>&lt;script&gt;alert(1)&lt;/script&gt; shared &amp; waited</ins>"));
    assert!(html.contains("<del>Introduction</del> <ins>Introduction &lt;b&gt;</ins>"));
}

/// The named part of a zip file as text.
fn zip_part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut part = zip.by_name(name).unwrap();
    let mut text = String::new();
    part.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn the_word_diff_has_tracked_changes_that_libreoffice_reads() {
    let mut c = case();
    c.f.review.set_actor(Actor {
        name: "Alex Author".into(),
        role: "author".into(),
    });
    c.f.review.issue_draft(None).unwrap();
    edit(&mut c.f, &c.intro, "Introduction", INTRO_2);
    c.f.review
        .update_finding(
            &c.finding,
            finding("Agencies rarely shared what they knew.", None),
        )
        .unwrap();
    c.f.review.issue_draft(None).unwrap();
    let bytes =
        c.f.review
            .diff_docx(&DraftRef::Draft("1".into()), &DraftRef::Draft("2".into()))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("changes.docx");
    std::fs::write(&docx, &bytes).unwrap();
    let document = zip_part(&docx, "word/document.xml");
    assert!(document.contains("<w:ins w:id="));
    assert!(document.contains("w:author=\"Alex Author\" w:date=\"2026-03-01T09:00:00Z\""));
    assert!(document.contains("<w:delText xml:space=\"preserve\">did not share"));

    let odt = soffice_convert(&docx, "odt", dir.path());
    let content = zip_part(&odt, "content.xml");
    assert!(content.contains("<text:tracked-changes"), "{content}");
    assert!(content.contains("<text:insertion>"));
    assert!(content.contains("<text:deletion>"));
    assert!(content.contains("Alex Author"));
    // The deleted words survive inside a deletion region, the inserted ones in the text.
    let deletions = content.matches("<text:deletion>").count();
    let insertions = content.matches("<text:insertion>").count();
    assert!(
        deletions >= 3 && insertions >= 3,
        "{deletions} {insertions}"
    );
    assert!(content.contains("did not share"));
    assert!(content.contains("rarely shared"));
}

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
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str], dir: &Path) -> String {
    let out = run(args, dir);
    assert!(!out.status.success(), "threadline {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn the_command_line_issues_lists_diffs_and_approves() {
    let c = case();
    let intro = c.intro.clone();
    let Fixture { dir, path, review } = c.f;
    review.close().unwrap();
    let d = dir.path();
    let file = path.to_str().unwrap();

    let top = ok(&["--help"], d);
    for command in ["draft", "diff", "approve", "approvals"] {
        assert!(top.contains(command), "top-level help lists {command}");
        assert!(ok(&[command, "--help"], d).contains("Usage: threadline"));
    }
    let issued = ok(
        &[
            "draft",
            "issue",
            file,
            "--as",
            "Alex Author",
            "--role",
            "author",
        ],
        d,
    );
    assert!(
        issued.contains("issued Draft 1 (draft 1) by Alex Author (author)"),
        "{issued}"
    );

    // The author edits, then issues a labelled second draft.
    {
        let mut review = Review::open(&path, ctx()).unwrap();
        review
            .update_section(
                &intro,
                SectionInput {
                    document: Document::Overview,
                    heading: "Introduction".into(),
                    body: INTRO_2.into(),
                },
            )
            .unwrap();
        review.close().unwrap();
    }
    ok(&["draft", "issue", file, "--label", "For panel"], d);
    let list: serde_json::Value =
        serde_json::from_str(&ok(&["draft", "list", file, "--json"], d)).unwrap();
    let labels: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["Draft 1", "For panel"]);
    assert_eq!(list[0]["issued_by"], "Alex Author");

    let text = ok(&["diff", file, "--from", "1", "--to", "2"], d);
    assert!(
        text.contains("section \"Introduction\" (overview): changed"),
        "{text}"
    );
    assert!(text.contains("  - did not share"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&ok(
        &[
            "diff",
            file,
            "--from",
            "1",
            "--to",
            "For panel",
            "--json",
            "--html",
            "c.html",
            "--docx",
            "c.docx",
        ],
        d,
    ))
    .unwrap();
    assert_eq!(json["from"]["label"], "Draft 1");
    assert_eq!(json["sections"][0]["status"], "changed");
    assert!(std::fs::read_to_string(d.join("c.html"))
        .unwrap()
        .contains("<del>"));
    assert!(zip_part(&d.join("c.docx"), "word/document.xml").contains("<w:del "));
    // An output file that exists is refused before any work.
    let err = fails(&["diff", file, "--from", "1", "--html", "c.html"], d);
    assert!(err.contains("already exists"), "{err}");
    let now = ok(&["diff", file, "--from", "2"], d);
    assert!(now.contains("no changes"), "{now}");

    let approved = ok(
        &[
            "approve",
            file,
            "--section",
            "introduction",
            "--draft",
            "2",
            "--state",
            "approved",
            "--as",
            "Chris Chair",
            "--role",
            "chair",
        ],
        d,
    );
    assert!(
        approved.contains("approved \"Introduction\" in For panel"),
        "{approved}"
    );
    let err = fails(
        &[
            "approve",
            file,
            "--section",
            "Nowhere",
            "--draft",
            "2",
            "--state",
            "approved",
        ],
        d,
    );
    assert!(
        err.contains("no section with id or heading 'Nowhere'"),
        "{err}"
    );
    let err = fails(
        &[
            "approve",
            file,
            "--section",
            &intro,
            "--draft",
            "2",
            "--state",
            "maybe",
        ],
        d,
    );
    assert!(err.contains("approved, changes-requested"), "{err}");
    let list = ok(&["approvals", file], d);
    assert!(
        list.contains("approved") && !list.contains("stale"),
        "{list}"
    );
    let out = dir.path().join("d1.md");
    ok(
        &[
            "draft",
            "export",
            file,
            "--draft",
            "1",
            "-o",
            out.to_str().unwrap(),
        ],
        d,
    );
    assert!(std::fs::read_to_string(&out).unwrap().contains(INTRO_1));

    let review = Review::open(&path, ctx()).unwrap();
    let a = &review.approvals().unwrap()[0];
    assert_eq!((a.by.as_str(), a.role.as_str()), ("Chris Chair", "chair"));
}

mod word_diff_properties {
    use proptest::prelude::*;
    use threadline::drafts::{word_diff, SegmentKind};

    /// Text made of a few words, punctuation, spaces and line breaks, so the two sides share
    /// a lot.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("the"),
                Just("police"),
                Just("school"),
                Just("didn't"),
                Just("multi-agency"),
                Just(" "),
                Just("  "),
                Just("\n\n"),
                Just("."),
                Just(","),
                Just("Ünïcode"),
                Just("[F3]"),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn segments_rebuild_both_sides_and_never_repeat_a_kind(old in text(), new in text()) {
            let segments = word_diff(&old, &new);
            let side = |skip: SegmentKind| -> String {
                segments.iter().filter(|s| s.kind != skip).map(|s| s.text.as_str()).collect()
            };
            prop_assert_eq!(side(SegmentKind::Insert), old.clone());
            prop_assert_eq!(side(SegmentKind::Delete), new.clone());
            prop_assert!(segments.iter().all(|s| !s.text.is_empty()));
            for pair in segments.windows(2) {
                prop_assert!(pair[0].kind != pair[1].kind, "{:?}", segments);
            }
            if old == new {
                prop_assert!(segments.iter().all(|s| s.kind == SegmentKind::Equal));
            }
        }
    }
}

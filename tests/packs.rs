//! Review packs between two real files: the author sends a copy, the chair comments on it
//! while the author keeps editing, the chair returns a pack, the author imports it.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{TimeZone, Utc};
use serde_json::Value;
use threadline::anchor::AnchorPlace;
use threadline::interchange::dump;
use threadline::model::comments::{CommentFilter, CommentTarget};
use threadline::model::sections::{Document, SectionInput};
use threadline::review_pack::{read_return_pack, ReturnPack, MAX_PACK_BYTES};
use threadline::{Actor, Context, Error, Review};

use crate::common::{cli, ctx};

const ANALYSIS: &str = "The school saw bruising in May. Nobody told the GP about it. \
The health visitor closed the case in June without a home visit.";
const SUMMARY: &str = "Agencies did not share what they knew.";

fn chair() -> Actor {
    Actor {
        name: "Jo Panelchair".into(),
        role: "chair".into(),
    }
}

/// A context for the chair's machine at `hour` on 2 March: its own clock, and ids of its own
/// for each session.
fn chair_ctx(hour: u32) -> Context {
    let at = Utc.with_ymd_and_hms(2026, 3, 2, hour, 0, 0).unwrap();
    let mut c = Context::fixed(at, 100 + hour as u64);
    c.actor = chair();
    c
}

fn section(review: &mut Review, document: Document, heading: &str, body: &str) -> String {
    review
        .add_section(SectionInput {
            document,
            heading: heading.into(),
            body: body.into(),
        })
        .unwrap()
        .id
}

fn set_body(review: &mut Review, id: &str, body: &str) {
    let s = review.section(id).unwrap();
    review
        .update_section(
            id,
            SectionInput {
                document: s.document,
                heading: s.heading,
                body: body.into(),
            },
        )
        .unwrap();
}

/// The text at a located place of `text`.
fn words_at(text: &str, place: Option<AnchorPlace>) -> Option<String> {
    match place? {
        AnchorPlace::Located { start, end } => {
            Some(text.chars().skip(start).take(end - start).collect())
        }
        AnchorPlace::Orphaned => None,
    }
}

struct Exchange {
    dir: tempfile::TempDir,
    author: Review,
    analysis: String,
    summary: String,
    author_note: String,
}

/// The author's file with two sections and a note of their own, and its send pack.
fn author_file() -> Exchange {
    let dir = tempfile::tempdir().unwrap();
    let mut author = Review::create(&dir.path().join("author.threadline"), ctx()).unwrap();
    let analysis = section(&mut author, Document::Overview, "Analysis", ANALYSIS);
    let summary = section(&mut author, Document::Summary, "Summary", SUMMARY);
    let author_note = author
        .add_comment(
            CommentTarget::Section,
            &analysis,
            None,
            "Check dates with police",
        )
        .unwrap()
        .id;
    Exchange {
        dir,
        author,
        analysis,
        summary,
        author_note,
    }
}

#[test]
fn the_chairs_comments_come_back_onto_the_right_words_and_a_second_import_changes_nothing() {
    let mut x = author_file();
    let send = x.dir.path().join("for-chair.threadline");
    let written = x.author.send_pack(&send).unwrap();
    assert_eq!(written.comments, 1);
    assert!(written.bytes > 0);

    // The chair opens the copy on their own machine: a normal review file.
    let mut chair_copy = Review::open(&send, chair_ctx(10)).unwrap();
    assert_eq!(chair_copy.section(&x.analysis).unwrap().body, ANALYSIS);
    // Nothing the author did can be undone in the chair's copy.
    assert!(matches!(chair_copy.undo(), Err(Error::NothingToUndo)));
    let on_gp = chair_copy
        .comment_on_quote(
            CommentTarget::Section,
            &x.analysis,
            "Nobody told the GP",
            "Which agency should have?",
        )
        .unwrap();
    let on_visit = chair_copy
        .comment_on_quote(
            CommentTarget::Section,
            &x.analysis,
            "without a home visit",
            "Was a visit planned?",
        )
        .unwrap();
    let on_summary = chair_copy
        .comment_on_quote(
            CommentTarget::Section,
            &x.summary,
            "did not share",
            "Be specific",
        )
        .unwrap();
    let reply = chair_copy
        .reply(&x.author_note, "Police dates checked")
        .unwrap();
    chair_copy.resolve_comment(&x.author_note, true).unwrap();
    let pack_path = x.dir.path().join("from-chair.json");
    let returned = chair_copy.return_pack(&pack_path).unwrap();
    // Three threads, one reply, and the author's thread the chair resolved.
    assert_eq!(returned.comments, 5);
    chair_copy.close().unwrap();

    // Meanwhile the author rewrote the analysis: new words first, one sentence gone, and
    // they edited their own note.
    set_body(
        &mut x.author,
        &x.analysis,
        "In spring the school saw bruising in May. Nobody told the GP about it. \
         The case was closed in June.",
    );
    x.author
        .edit_comment(&x.author_note, "Check dates with police and school")
        .unwrap();

    let report = x.author.import_pack(&pack_path).unwrap();
    assert_eq!(report.made_by, "Jo Panelchair");
    assert_eq!(report.records_replaced, 0);
    assert_eq!(report.merged, 4, "{report:?}");
    assert_eq!(
        report.updated, 1,
        "the resolution of the author's thread: {report:?}"
    );
    assert_eq!(report.unchanged, 0, "{report:?}");
    assert_eq!(report.reanchored, 1, "the GP comment moved: {report:?}");
    assert_eq!(report.orphaned.len(), 1, "{report:?}");
    assert_eq!(report.orphaned[0].comment_id, on_visit.id);
    assert_eq!(report.orphaned[0].quote, "without a home visit");

    // On the right words in the author's current text.
    let body = x.author.section(&x.analysis).unwrap().body;
    let places = x.author.comment_positions(&x.analysis).unwrap();
    let place_of = |id: &str| places.iter().find(|p| p.comment.id == id).unwrap().place;
    assert_eq!(
        words_at(&body, place_of(&on_gp.id)).as_deref(),
        Some("Nobody told the GP")
    );
    assert_eq!(place_of(&on_visit.id), Some(AnchorPlace::Orphaned));
    let orphan = x.author.comment(&on_visit.id).unwrap();
    assert_eq!(orphan.body, "Was a visit planned?");
    assert_eq!(orphan.anchor.unwrap().exact, "without a home visit");
    let summary_body = x.author.section(&x.summary).unwrap().body;
    let summary_places = x.author.comment_positions(&x.summary).unwrap();
    assert_eq!(
        words_at(&summary_body, summary_places[0].place).as_deref(),
        Some("did not share")
    );
    assert_eq!(summary_places[0].comment.id, on_summary.id);

    // The author's own note: not duplicated, their edit kept, the chair's resolution and
    // reply there.
    let note = x.author.comment(&x.author_note).unwrap();
    assert_eq!(note.body, "Check dates with police and school");
    assert_eq!(note.author, "Overview author");
    assert!(note.resolved);
    assert_eq!(note.state_changed.as_ref().unwrap().name, "Jo Panelchair");
    assert_eq!(note.replies.len(), 1);
    assert_eq!(note.replies[0].id, reply.id);
    assert_eq!(
        x.author.comments(&CommentFilter::default()).unwrap().len(),
        3 + 1
    );
    // The author's text is untouched.
    assert!(body.starts_with("In spring the school"));
    assert_eq!(summary_body, SUMMARY);
    // One undoable change.
    assert_eq!(
        x.author.audit_log(1).unwrap()[0].summary,
        "Import comments from Jo Panelchair"
    );

    // Importing the same pack again changes nothing at all.
    let before = dump(&x.author).unwrap();
    let log_len = x.author.audit_log(1000).unwrap().len();
    let again = x.author.import_pack(&pack_path).unwrap();
    assert_eq!((again.merged, again.updated, again.unchanged), (0, 0, 5));
    assert!(again.orphaned.is_empty() && again.reanchored == 0);
    assert_eq!(dump(&x.author).unwrap(), before);
    assert_eq!(x.author.audit_log(1000).unwrap().len(), log_len);

    // Undo takes the whole import back.
    x.author.undo().unwrap();
    assert!(x.author.comment(&on_gp.id).is_err());
    assert!(!x.author.comment(&x.author_note).unwrap().resolved);
}

#[test]
fn an_older_resolution_or_edit_in_a_pack_never_undoes_a_newer_one_here() {
    let mut x = author_file();
    let send = x.dir.path().join("copy.threadline");
    x.author.send_pack(&send).unwrap();
    let mut chair_copy = Review::open(&send, chair_ctx(10)).unwrap();
    let remark = chair_copy
        .add_comment(CommentTarget::Section, &x.summary, None, "First thought")
        .unwrap();
    chair_copy.resolve_comment(&x.author_note, true).unwrap();
    let first = x.dir.path().join("first.json");
    chair_copy.return_pack(&first).unwrap();
    chair_copy.close().unwrap();
    x.author.import_pack(&first).unwrap();

    // Later the author reopens the thread; a second pack from the chair edits their remark.
    let later = Context::fixed(Utc.with_ymd_and_hms(2026, 3, 5, 9, 0, 0).unwrap(), 70);
    x.author.close().unwrap();
    let mut author = Review::open(&x.dir.path().join("author.threadline"), later).unwrap();
    author.resolve_comment(&x.author_note, false).unwrap();
    let mut chair_copy = Review::open(&send, chair_ctx(11)).unwrap();
    chair_copy
        .edit_comment(&remark.id, "Second thought")
        .unwrap();
    let second = x.dir.path().join("second.json");
    chair_copy.return_pack(&second).unwrap();
    chair_copy.close().unwrap();

    let report = author.import_pack(&second).unwrap();
    assert_eq!((report.merged, report.updated), (0, 1), "{report:?}");
    assert_eq!(author.comment(&remark.id).unwrap().body, "Second thought");
    // The author's reopening (5 March) is newer than the chair's resolving (2 March).
    assert!(!author.comment(&x.author_note).unwrap().resolved);
}

#[test]
fn a_pack_from_another_review_is_refused_and_nothing_changes() {
    let mut x = author_file();
    let dir = tempfile::tempdir().unwrap();
    let mut other = Review::create(&dir.path().join("other.threadline"), chair_ctx(9)).unwrap();
    let s = section(&mut other, Document::Overview, "Other", "Other words here.");
    other
        .comment_on_quote(CommentTarget::Section, &s, "Other words", "Hm")
        .unwrap();
    let pack = dir.path().join("other.json");
    other.return_pack(&pack).unwrap();

    let before = dump(&x.author).unwrap();
    let e = x.author.import_pack(&pack).unwrap_err();
    assert!(matches!(e, Error::BadDocument { .. }), "{e:?}");
    assert!(e.to_string().contains("another review"), "{e}");
    assert_eq!(dump(&x.author).unwrap(), before);
}

/// Writes `pack` (edited by `f`) as JSON and returns its path.
fn tampered(dir: &Path, name: &str, pack: &ReturnPack, f: impl FnOnce(&mut Value)) -> PathBuf {
    let mut v = serde_json::to_value(pack).unwrap();
    f(&mut v);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    path
}

#[test]
fn hostile_or_damaged_packs_are_refused_with_a_reason_before_anything_is_written() {
    let mut x = author_file();
    let send = x.dir.path().join("copy.threadline");
    x.author.send_pack(&send).unwrap();
    let mut chair_copy = Review::open(&send, chair_ctx(10)).unwrap();
    let c = chair_copy
        .comment_on_quote(
            CommentTarget::Section,
            &x.analysis,
            "closed the case",
            "Why?",
        )
        .unwrap();
    chair_copy.reply(&c.id, "And when?").unwrap();
    let good = chair_copy.return_pack_value().unwrap();
    chair_copy.close().unwrap();
    let d = x.dir.path();
    let before = dump(&x.author).unwrap();

    let mut cases: Vec<(PathBuf, &str)> = Vec::new();
    std::fs::write(d.join("empty.json"), b"").unwrap();
    cases.push((d.join("empty.json"), "not a review pack"));
    std::fs::write(d.join("text.json"), b"hello, chair").unwrap();
    cases.push((d.join("text.json"), "not a review pack"));
    std::fs::write(d.join("binary.json"), [0xff, 0xfe, 0x00, 0x80]).unwrap();
    cases.push((d.join("binary.json"), "not a text file"));
    std::fs::write(
        d.join("other.json"),
        br#"{"format":"something-else","version":1}"#,
    )
    .unwrap();
    cases.push((d.join("other.json"), "not a Threadline return pack"));
    std::fs::write(d.join("deep.json"), "[".repeat(100_000)).unwrap();
    cases.push((d.join("deep.json"), "not a review pack"));
    cases.push((
        tampered(d, "newer.json", &good, |v| v["version"] = 99.into()),
        "newer version",
    ));
    cases.push((
        tampered(d, "noversion.json", &good, |v| v["version"] = "one".into()),
        "version is missing",
    ));
    cases.push((
        tampered(d, "badid.json", &good, |v| {
            v["comments"][0]["id"] = "'; DROP TABLE comment; --".into()
        }),
        "not a UUID",
    ));
    cases.push((
        tampered(d, "kind.json", &good, |v| {
            v["comments"][0]["target_kind"] = "review".into()
        }),
        "damaged",
    ));
    cases.push((
        tampered(d, "twice.json", &good, |v| {
            let first = v["comments"][0].clone();
            v["comments"].as_array_mut().unwrap().push(first);
        }),
        "same comment twice",
    ));
    cases.push((
        tampered(d, "noparent.json", &good, |v| {
            v["comments"][1]["parent_id"] = "00000000-0000-4000-8000-00000000dead".into()
        }),
        "neither in the pack nor here",
    ));
    cases.push((
        tampered(d, "emptybody.json", &good, |v| {
            v["comments"][0]["body"] = "  ".into()
        }),
        "has no text",
    ));
    // A pack claiming to be the author's note, rewritten: the same id with another author.
    let note = x.author.comment(&x.author_note).unwrap();
    cases.push((
        tampered(d, "spoof.json", &good, |v| {
            let mut c = v["comments"][0].clone();
            c["id"] = note.id.clone().into();
            c["target_id"] = note.target_id.clone().into();
            c["anchor"] = Value::Null;
            v["comments"].as_array_mut().unwrap().push(c);
        }),
        "differs from the comment with the same id here",
    ));
    // Larger than any pack: refused from its size, before it is read.
    let big = d.join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(MAX_PACK_BYTES + 1)
        .unwrap();
    cases.push((big, "more than a review pack can be"));

    for (path, reason) in &cases {
        let e = x.author.import_pack(path).unwrap_err();
        assert!(
            matches!(e, Error::BadDocument { .. }),
            "{}: {e:?}",
            path.display()
        );
        assert!(e.to_string().contains(reason), "{}: {e}", path.display());
        assert!(e.to_string().contains("nothing was imported"), "{e}");
    }
    assert_eq!(dump(&x.author).unwrap(), before);

    // A full copy is not read as a return pack.
    let e = read_return_pack(&send).unwrap_err();
    assert!(e.to_string().contains("full review file"), "{e}");

    // The untouched pack still imports.
    let fine = tampered(d, "fine.json", &good, |_| {});
    assert_eq!(read_return_pack(&fine).unwrap(), good);
    assert_eq!(x.author.import_pack(&fine).unwrap().merged, 2);
}

#[test]
fn packs_are_never_written_over_an_existing_file() {
    let mut x = author_file();
    let taken = x.dir.path().join("taken");
    std::fs::write(&taken, b"keep me").unwrap();
    assert!(matches!(
        x.author.send_pack(&taken),
        Err(Error::AlreadyExists { .. })
    ));
    assert!(matches!(
        x.author.return_pack(&taken),
        Err(Error::AlreadyExists { .. })
    ));
    assert_eq!(std::fs::read(&taken).unwrap(), b"keep me");
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(x.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("partial")), "{names:?}");
}

// ---- The same exchange through the command line -----------------------------------------------

fn run(args: &[&str], dir: &Path) -> std::process::Output {
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

#[test]
fn the_cli_sends_returns_and_imports_packs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut author = Review::create(&d.join("a.threadline"), Context::default()).unwrap();
    let s = section(&mut author, Document::Overview, "Analysis", ANALYSIS);
    author.close().unwrap();

    ok(&["pack", "send", "a.threadline", "-o", "c.threadline"], d);
    let chair = ["--as", "Jo Panelchair", "--role", "chair"];
    let add = |quote: &str, body: &str| {
        let mut args = vec![
            "comment",
            "add",
            "c.threadline",
            "--section",
            &s,
            "--quote",
            quote,
            "--body",
            body,
            "--json",
        ];
        args.extend(chair);
        let v: Value = serde_json::from_str(&ok(&args, d)).unwrap();
        assert_eq!(v["author"], "Jo Panelchair");
        v["id"].as_str().unwrap().to_owned()
    };
    let on_gp = add("Nobody told the GP", "Which agency?");
    add("without a home visit", "Planned?");
    // A quote that is not there is refused with a reason.
    let out = run(
        &[
            "comment",
            "add",
            "c.threadline",
            "--section",
            &s,
            "--quote",
            "no such words",
            "--body",
            "x",
        ],
        d,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in the text"));
    let mut ret = vec!["pack", "return", "c.threadline", "-o", "back.json"];
    ret.extend(chair);
    assert!(ok(&ret, d).contains("2 comments and replies"));

    // The author deletes the visit sentence, then imports.
    let mut author = Review::open(&d.join("a.threadline"), Context::default()).unwrap();
    set_body(&mut author, &s, "Nobody told the GP about it.");
    author.close().unwrap();
    let text = ok(&["pack", "import", "a.threadline", "back.json"], d);
    assert!(text.contains("2 merged"), "{text}");
    assert!(text.contains("1 orphaned"), "{text}");
    assert!(text.contains("\"without a home visit\""), "{text}");
    let v: Value = serde_json::from_str(&ok(
        &["pack", "import", "a.threadline", "back.json", "--json"],
        d,
    ))
    .unwrap();
    assert_eq!(v["merged"], 0);
    assert_eq!(v["unchanged"], 2);

    let list: Value =
        serde_json::from_str(&ok(&["comment", "list", "a.threadline", "--json"], d)).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let gp = list.iter().find(|c| c["comment"]["id"] == on_gp).unwrap();
    assert_eq!(gp["place"]["state"], "located");
    assert_eq!(gp["place"]["start"], 0);
    let lines = ok(
        &[
            "comment",
            "list",
            "a.threadline",
            "--author",
            "jo panelchair",
        ],
        d,
    );
    assert!(lines.contains("(orphaned)"), "{lines}");
}

#[test]
fn the_chairs_approvals_come_back_on_their_sections_and_go_stale_when_the_text_moved_on() {
    use threadline::drafts::ApprovalState;
    let mut x = author_file();
    x.author.issue_draft(None).unwrap();
    let send = x.dir.path().join("draft1.threadline");
    let written = x.author.send_pack(&send).unwrap();
    assert_eq!(written.approvals, 0);

    let mut chair_copy = Review::open(&send, chair_ctx(10)).unwrap();
    chair_copy
        .set_approval(&x.analysis, "1", ApprovalState::ChangesRequested, "Say who")
        .unwrap();
    chair_copy
        .set_approval(&x.summary, "1", ApprovalState::Approved, "")
        .unwrap();
    let pack = x.dir.path().join("verdicts.json");
    assert_eq!(chair_copy.return_pack(&pack).unwrap().approvals, 2);
    chair_copy.close().unwrap();

    // The author changes the analysis before the verdicts arrive.
    set_body(&mut x.author, &x.analysis, "Nobody told the GP.");
    let report = x.author.import_pack(&pack).unwrap();
    assert_eq!(report.merged, 2, "{report:?}");
    assert!(report.skipped.is_empty(), "{report:?}");
    let approvals = x.author.approvals().unwrap();
    assert_eq!(approvals.len(), 2);
    let on = |id: &str| approvals.iter().find(|a| a.section_id == id).unwrap();
    assert_eq!(on(&x.analysis).state, ApprovalState::ChangesRequested);
    assert_eq!(on(&x.analysis).note, "Say who");
    assert_eq!(on(&x.analysis).by, "Jo Panelchair");
    assert!(on(&x.analysis).stale, "the analysis changed after Draft 1");
    assert_eq!(on(&x.summary).state, ApprovalState::Approved);
    assert!(!on(&x.summary).stale);

    let before = dump(&x.author).unwrap();
    let again = x.author.import_pack(&pack).unwrap();
    assert_eq!((again.merged, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(dump(&x.author).unwrap(), before);
    assert_eq!(x.author.approvals().unwrap(), approvals);
}

#[test]
fn the_copy_of_a_protected_review_is_protected_with_the_same_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let key = || threadline::Passphrase::new("correct horse battery staple").unwrap();
    let sentinel = "Sentinel words the chair must not read without the passphrase";
    let mut author = Review::create(
        &dir.path().join("a.threadline"),
        ctx().with_passphrase(key()),
    )
    .unwrap();
    let s = section(&mut author, Document::Overview, "Analysis", sentinel);
    let send = dir.path().join("copy.threadline");
    author.send_pack(&send).unwrap();

    let bytes = std::fs::read(&send).unwrap();
    assert!(!bytes
        .windows(b"Sentinel words".len())
        .any(|w| w == b"Sentinel words"));
    let e = Review::open(&send, chair_ctx(10)).unwrap_err();
    assert!(matches!(e, Error::PassphraseNeeded { .. }), "{e:?}");
    let copy = Review::open(&send, chair_ctx(11).with_passphrase(key())).unwrap();
    assert!(copy.is_encrypted());
    assert_eq!(copy.section(&s).unwrap().body, sentinel);
}

#[test]
fn the_chair_takes_in_a_later_draft_and_keeps_their_own_comments() {
    let mut x = author_file();
    x.author.issue_draft(None).unwrap();
    let first = x.dir.path().join("draft1.threadline");
    x.author.send_pack(&first).unwrap();
    let chair_path = x.dir.path().join("chair.threadline");
    std::fs::rename(&first, &chair_path).unwrap();

    let mut chair_copy = Review::open(&chair_path, chair_ctx(10)).unwrap();
    let on_gp = chair_copy
        .comment_on_quote(
            CommentTarget::Section,
            &x.analysis,
            "Nobody told the GP",
            "Who?",
        )
        .unwrap();
    let on_visit = chair_copy
        .comment_on_quote(
            CommentTarget::Section,
            &x.analysis,
            "without a home visit",
            "Planned?",
        )
        .unwrap();
    chair_copy.resolve_comment(&x.author_note, true).unwrap();
    chair_copy.close().unwrap();

    // The author works on: the visit sentence goes, a finding-like sentence comes, a new
    // section and a new note of theirs; then Draft 2 goes out.
    set_body(
        &mut x.author,
        &x.analysis,
        "The school saw bruising in May. Nobody told the GP about it for six weeks.",
    );
    let added = section(
        &mut x.author,
        Document::Overview,
        "Learning",
        "Share early.",
    );
    let new_note = x
        .author
        .add_comment(
            CommentTarget::Section,
            &added,
            None,
            "Chair: is this enough?",
        )
        .unwrap();
    x.author.issue_draft(None).unwrap();
    let second = x.dir.path().join("draft2.threadline");
    x.author.send_pack(&second).unwrap();

    let mut chair_copy = Review::open(&chair_path, chair_ctx(12)).unwrap();
    let report = chair_copy.import_pack(&second).unwrap();
    assert_eq!(report.merged, 1, "the author's new note: {report:?}");
    assert_eq!(
        report.records_replaced, 3,
        "analysis, new section, Draft 2: {report:?}"
    );
    assert_eq!(report.orphaned.len(), 1, "{report:?}");
    assert_eq!(report.orphaned[0].comment_id, on_visit.id);

    // The author's text, the chair's comments.
    assert_eq!(
        chair_copy.section(&x.analysis).unwrap(),
        x.author.section(&x.analysis).unwrap()
    );
    assert_eq!(chair_copy.section(&added).unwrap().body, "Share early.");
    assert_eq!(chair_copy.drafts().unwrap().len(), 2);
    let body = chair_copy.section(&x.analysis).unwrap().body;
    let places = chair_copy.comment_positions(&x.analysis).unwrap();
    let place_of = |id: &str| places.iter().find(|p| p.comment.id == id).unwrap().place;
    assert_eq!(
        words_at(&body, place_of(&on_gp.id)).as_deref(),
        Some("Nobody told the GP")
    );
    assert_eq!(place_of(&on_visit.id), Some(AnchorPlace::Orphaned));
    assert_eq!(
        chair_copy.comment(&new_note.id).unwrap().body,
        "Chair: is this enough?"
    );
    // The chair's resolution (newer than anything the author did to that thread) stays.
    assert!(chair_copy.comment(&x.author_note).unwrap().resolved);

    // Taking the same copy in again changes nothing.
    let before = dump(&chair_copy).unwrap();
    let again = chair_copy.import_pack(&second).unwrap();
    assert_eq!(
        (again.merged, again.updated, again.records_replaced),
        (0, 0, 0)
    );
    assert_eq!(dump(&chair_copy).unwrap(), before);

    // A copy of another review is refused.
    let dir = tempfile::tempdir().unwrap();
    let other = Review::create(&dir.path().join("o.threadline"), chair_ctx(13)).unwrap();
    other.close().unwrap();
    let e = chair_copy
        .import_pack(&dir.path().join("o.threadline"))
        .unwrap_err();
    assert!(e.to_string().contains("another review"), "{e}");
    assert_eq!(dump(&chair_copy).unwrap(), before);

    // Undo takes the copy back out; the issued draft stays, as drafts always do.
    chair_copy.undo().unwrap();
    assert_eq!(chair_copy.section(&x.analysis).unwrap().body, ANALYSIS);
    assert!(chair_copy.section(&added).is_err());
    assert!(chair_copy.comment(&new_note.id).is_err());
    assert!(chair_copy.comment(&on_visit.id).is_ok());
    assert_eq!(chair_copy.drafts().unwrap().len(), 2);
}

#[test]
fn a_comment_on_a_section_the_author_deleted_is_kept_and_listed_as_orphaned() {
    let mut x = author_file();
    let send = x.dir.path().join("copy.threadline");
    x.author.send_pack(&send).unwrap();
    let mut chair_copy = Review::open(&send, chair_ctx(10)).unwrap();
    let remark = chair_copy
        .add_comment(
            CommentTarget::Section,
            &x.summary,
            None,
            "Cut this section?",
        )
        .unwrap();
    let pack = x.dir.path().join("back.json");
    chair_copy.return_pack(&pack).unwrap();
    chair_copy.close().unwrap();

    x.author.delete_section(&x.summary, false).unwrap();
    let report = x.author.import_pack(&pack).unwrap();
    assert_eq!(report.merged, 1);
    assert_eq!(report.orphaned.len(), 1, "{report:?}");
    assert_eq!(report.orphaned[0].comment_id, remark.id);
    assert_eq!(report.orphaned[0].quote, "");
    assert_eq!(
        x.author.comment(&remark.id).unwrap().body,
        "Cut this section?"
    );
}

#[test]
fn the_return_pack_of_a_protected_review_is_protected_too() {
    let dir = tempfile::tempdir().unwrap();
    let key = || threadline::Passphrase::new("correct horse battery staple").unwrap();
    let path = dir.path().join("a.threadline");
    let mut author = Review::create(&path, ctx().with_passphrase(key())).unwrap();
    let s = section(&mut author, Document::Overview, "Analysis", ANALYSIS);
    let send = dir.path().join("copy.threadline");
    author.send_pack(&send).unwrap();

    let mut chair_copy = Review::open(&send, chair_ctx(10).with_passphrase(key())).unwrap();
    let c = chair_copy
        .comment_on_quote(
            CommentTarget::Section,
            &s,
            "Nobody told the GP",
            "Remark only the panel may read",
        )
        .unwrap();
    let pack = dir.path().join("back.pack");
    chair_copy.return_pack(&pack).unwrap();
    chair_copy.close().unwrap();

    let bytes = std::fs::read(&pack).unwrap();
    for secret in [&b"only the panel"[..], b"Nobody told", b"Jo Panelchair"] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret));
    }
    // A plain review cannot read it; the protected one can, once.
    let plain_dir = tempfile::tempdir().unwrap();
    let mut plain = Review::create(&plain_dir.path().join("p.threadline"), ctx()).unwrap();
    assert!(plain.import_pack(&pack).is_err());
    let report = author.import_pack(&pack).unwrap();
    assert_eq!(report.merged, 1);
    assert_eq!(
        author.comment(&c.id).unwrap().body,
        "Remark only the panel may read"
    );
    assert_eq!(author.import_pack(&pack).unwrap().merged, 0);
    // The same pack with another passphrase is refused as such.
    let other_path = dir.path().join("b.threadline");
    let mut other = Review::create(
        &other_path,
        ctx().with_passphrase(threadline::Passphrase::new("another one entirely").unwrap()),
    )
    .unwrap();
    let e = other.import_pack(&pack).unwrap_err();
    assert!(matches!(e, Error::Passphrase), "{e:?}");
}

/// Issue 7's whole promise: the author and the chair go through three drafts on two
/// machines, exchanging only files. Each round the author issues a draft and sends it; the
/// chair takes it into their own copy (keeping what they wrote before), comments on words and
/// gives verdicts; their return pack comes back while the author has edited on. At the end
/// nothing either of them wrote is lost or misplaced.
#[test]
fn an_author_and_a_chair_go_through_three_drafts_by_exchanging_files() {
    use threadline::drafts::ApprovalState;
    let mut x = author_file();
    let dir = x.dir.path().to_owned();
    let chair_path = dir.join("chair.threadline");
    // Per round: the words the chair comments on, and the author's rewrite after the round.
    let rounds = [
        ("Nobody told the GP", "The school saw bruising in May and told the GP at once. The health visitor closed the case in June without a home visit."),
        ("told the GP at once", "The school saw bruising in May and told the GP at once. The health visitor visited in June before closing the case."),
        ("visited in June", "The school saw bruising in May and told the GP at once. The health visitor visited in June before closing the case, as the plan required."),
    ];
    let mut chair_comments: Vec<(String, String)> = Vec::new(); // (id, quote)
    for (round, (quote, rewrite)) in rounds.iter().enumerate() {
        let n = round + 1;
        x.author.issue_draft(None).unwrap();
        let sent = dir.join(format!("draft{n}.threadline"));
        x.author.send_pack(&sent).unwrap();
        // The chair's machine: the first copy becomes their file; later ones are taken in.
        if n == 1 {
            std::fs::rename(&sent, &chair_path).unwrap();
        }
        let mut chair_file = Review::open(&chair_path, chair_ctx(8 + n as u32)).unwrap();
        if n > 1 {
            let taken = chair_file.import_pack(&sent).unwrap();
            assert!(
                taken.records_replaced > 0,
                "round {n}: the later draft came in"
            );
        }
        assert_eq!(chair_file.drafts().unwrap().len(), n, "round {n}");
        assert_eq!(
            chair_file.section(&x.analysis).unwrap().body,
            x.author.section(&x.analysis).unwrap().body,
            "round {n}: the chair reads the author's current text"
        );
        let c = chair_file
            .comment_on_quote(
                CommentTarget::Section,
                &x.analysis,
                quote,
                &format!("Round {n}: why?"),
            )
            .unwrap();
        chair_comments.push((c.id, quote.to_string()));
        let verdict = if n < 3 {
            ApprovalState::ChangesRequested
        } else {
            ApprovalState::Approved
        };
        chair_file
            .set_approval(&x.analysis, &n.to_string(), verdict, "")
            .unwrap();
        // Everything the chair wrote in earlier rounds is still in their own file.
        let mine: Vec<String> = chair_file
            .comments(&CommentFilter {
                author: Some(chair().name),
                ..CommentFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        for (id, _) in &chair_comments {
            assert!(mine.contains(id), "round {n}: the chair's {id} kept");
        }
        let returned = dir.join(format!("return{n}.json"));
        chair_file.return_pack(&returned).unwrap();
        chair_file.close().unwrap();

        // Meanwhile the author has a note of their own on the summary.
        x.author
            .add_comment(
                CommentTarget::Section,
                &x.summary,
                None,
                &format!("Author note {n}"),
            )
            .unwrap();
        let report = x.author.import_pack(&returned).unwrap();
        assert!(
            report.merged >= 2,
            "round {n}: the comment and the verdict: {report:?}"
        );
        let again = x.author.import_pack(&returned).unwrap();
        assert_eq!(again.merged, 0, "round {n}: importing twice adds nothing");
        // The chair's words are where the chair put them, in the text the author has now.
        let body = x.author.section(&x.analysis).unwrap().body;
        let placed = x.author.comment_positions(&x.analysis).unwrap();
        let this = placed
            .iter()
            .find(|p| p.comment.id == chair_comments[round].0)
            .unwrap();
        assert_eq!(
            words_at(&body, this.place).as_deref(),
            Some(*quote),
            "round {n}"
        );
        // The author edits on before the next draft.
        set_body(&mut x.author, &x.analysis, rewrite);
    }
    // At the end: every comment from both sides, none duplicated, each on its exact words or
    // orphaned with its quote, never on other words.
    let all = x.author.comments(&CommentFilter::default()).unwrap();
    let mut ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "no comment duplicated");
    assert_eq!(
        all.iter()
            .filter(|c| c.body.starts_with("Author note"))
            .count(),
        3
    );
    assert!(all.iter().any(|c| c.id == x.author_note));
    let body = x.author.section(&x.analysis).unwrap().body;
    for p in x.author.comment_positions(&x.analysis).unwrap() {
        let Some((_, quote)) = chair_comments.iter().find(|(id, _)| *id == p.comment.id) else {
            continue;
        };
        match words_at(&body, p.place) {
            Some(words) => assert_eq!(&words, quote),
            None => assert_eq!(p.comment.anchor.as_ref().unwrap().exact, *quote),
        }
    }
    for (id, _) in &chair_comments {
        assert!(all.iter().any(|c| &c.id == id), "{id} came back");
    }
    // Three verdicts, one per draft; all but the last are stale now, and the last too since
    // the author edited after Draft 3.
    let verdicts = x.author.approvals().unwrap();
    assert_eq!(verdicts.len(), 3);
    assert_eq!(
        verdicts.iter().map(|a| a.draft_number).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(verdicts.iter().all(|a| a.stale));
    assert_eq!(verdicts[2].state, ApprovalState::Approved);
}

//! Sources, their paragraphs (including plain-text import) and excerpts.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use threadline::model::agencies::AgencyInput;
use threadline::model::chronology::ChronologyInput;
use threadline::model::comments::CommentTarget;
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::sources::{
    decode_plain_text, split_plain_text, Confidence, ParagraphInput, SourceInput, SourceKind,
};
use threadline::{Error, Review};

use crate::common::fresh;

fn input(title: &str) -> SourceInput {
    SourceInput {
        kind: SourceKind::Imr,
        title: title.into(),
        ..SourceInput::default()
    }
}

fn hex_sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How many audit entries the file holds (every successful edit writes one).
fn log_len(r: &Review) -> usize {
    r.audit_log(1000).unwrap().len()
}

fn finding(r: &mut Review, statement: &str) -> String {
    r.add_finding(FindingInput {
        theme_id: None,
        kind: FindingKind::Practice,
        statement: statement.into(),
        analysis: String::new(),
    })
    .unwrap()
    .id
}

fn texts(r: &Review, source_id: &str) -> Vec<(i64, String)> {
    r.paragraphs(source_id, 0, 1000)
        .unwrap()
        .into_iter()
        .map(|p| (p.seq, p.text))
        .collect()
}

// ---- sources ----

#[test]
fn a_source_is_added_listed_edited_and_reordered() {
    let mut f = fresh();
    let police = f
        .review
        .add_agency(AgencyInput {
            name: "Northshire Police".into(),
            short_name: "Police".into(),
            sector: "police".into(),
        })
        .unwrap();
    let a = f
        .review
        .add_source(SourceInput {
            kind: SourceKind::Imr,
            agency_id: Some(police.id.clone()),
            title: "  Police IMR  ".into(),
            author: "DI Example".into(),
            independence: "No line management of the officers involved".into(),
            received_date: NaiveDate::from_ymd_opt(2025, 11, 3),
            version: "v2".into(),
            confidence: Confidence::High,
            confidence_reason: "Thorough, candid analysis".into(),
            summary: "The force's own review".into(),
        })
        .unwrap();
    assert_eq!(a.title, "Police IMR");
    assert_eq!(a.agency_id.as_deref(), Some(police.id.as_str()));
    assert_eq!(a.paragraph_count, 0);
    let b = f.review.add_source(input("GP chronology")).unwrap();
    let c = f.review.add_source(input("Interview with mother")).unwrap();
    let titles =
        |r: &Review| -> Vec<String> { r.sources().unwrap().into_iter().map(|s| s.title).collect() };
    assert_eq!(
        titles(&f.review),
        ["Police IMR", "GP chronology", "Interview with mother"]
    );

    f.review.move_source(&c.id, 0).unwrap();
    assert_eq!(
        titles(&f.review),
        ["Interview with mother", "Police IMR", "GP chronology"]
    );
    f.review.undo().unwrap();
    assert_eq!(
        titles(&f.review),
        ["Police IMR", "GP chronology", "Interview with mother"]
    );

    let mut edit: SourceInput = b.clone().into();
    edit.kind = SourceKind::Chronology;
    edit.confidence = Confidence::Low;
    edit.confidence_reason = "Entries are undated".into();
    let b2 = f.review.update_source(&b.id, edit).unwrap();
    assert_eq!(b2.kind, SourceKind::Chronology);
    assert_eq!(b2.confidence, Confidence::Low);
    assert_eq!(f.review.source(&b.id).unwrap(), b2);
    f.review.undo().unwrap();
    assert_eq!(f.review.source(&b.id).unwrap(), b);
}

#[test]
fn a_source_needs_a_title_a_real_agency_and_a_reason_for_its_rating() {
    let mut f = fresh();
    let err = f.review.add_source(input("   ")).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "title"),
        "{err}"
    );

    let err = f
        .review
        .add_source(SourceInput {
            agency_id: Some("no-such-agency".into()),
            ..input("IMR")
        })
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("agency"), "{err}");

    let err = f
        .review
        .add_source(SourceInput {
            confidence: Confidence::Medium,
            confidence_reason: " ".into(),
            ..input("IMR")
        })
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, message }
            if field == "confidence_reason" && message.contains("medium")),
        "{err}"
    );
    assert!(f.review.sources().unwrap().is_empty());
    assert_eq!(log_len(&f.review), 0);

    let ok = f.review.add_source(input("IMR")).unwrap();
    let err = f
        .review
        .update_source(
            &ok.id,
            SourceInput {
                confidence: Confidence::High,
                ..input("IMR")
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(f.review.source(&ok.id).unwrap(), ok);
    assert_eq!(log_len(&f.review), 1);
    assert_eq!(f.review.source("missing").unwrap_err().code(), "not_found");
}

// ---- splitting plain text ----

#[test]
fn plain_text_splits_on_blank_lines_and_line_breaks_with_any_line_ending() {
    let text = "First para.\r\n\r\nSecond line one.\r\nSecond line two.\rThird.\n\n\n   Fourth, indented.   \n";
    let paras = split_plain_text(text);
    let got: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        got,
        [
            "First para.",
            "Second line one.",
            "Second line two.",
            "Third.",
            "Fourth, indented."
        ]
    );
    assert!(paras
        .iter()
        .all(|p| p.label.is_none() && p.heading_level == 0));
    assert!(split_plain_text(" \n\r\n\t\n").is_empty());
}

#[test]
fn plain_text_labels_move_out_of_the_text() {
    let cases: &[(&str, Option<&str>, &str)] = &[
        (
            "3.2.1 The school raised a concern.",
            Some("3.2.1"),
            "The school raised a concern.",
        ),
        (
            "4. The visit was cancelled.",
            Some("4"),
            "The visit was cancelled.",
        ),
        (
            "12) No referral was made.",
            Some("12"),
            "No referral was made.",
        ),
        ("(a) the first point;", Some("a"), "the first point;"),
        ("(iv) the fourth point;", Some("iv"), "the fourth point;"),
        (
            "1.1\tReasons for the review",
            Some("1.1"),
            "Reasons for the review",
        ),
        // Not labels: a bare number, a year, a word in brackets, a label with nothing after it.
        ("12 children attended.", None, "12 children attended."),
        ("2021. A hard year.", None, "2021. A hard year."),
        (
            "(NHS) records were sought.",
            None,
            "(NHS) records were sought.",
        ),
        ("4.", None, "4."),
    ];
    for (line, label, text) in cases {
        let paras = split_plain_text(line);
        assert_eq!(paras.len(), 1, "{line}");
        assert_eq!(paras[0].label.as_deref(), *label, "{line}");
        assert_eq!(paras[0].text, *text, "{line}");
    }
}

#[test]
fn plain_text_short_heading_like_lines_get_a_heading_level() {
    let cases: &[(&str, i64)] = &[
        ("SECTION ONE – INTRODUCTION AND BACKGROUND", 1),
        ("KEY ISSUES", 1),
        ("4. Background", 1),
        ("3.2 Contact with the police", 2),
        ("3.2.1 Health visiting", 2),
        ("1.6 Membership of the panel:", 2),
        // Sentences, lower-case starts, long lines and ordinary text stay body text.
        ("4. The visit was cancelled.", 0),
        ("1. establish whether there are lessons to learn", 0),
        ("Child S", 0),
        ("(a) THE FIRST POINT", 0),
        ("A", 0),
        (
            "3.1 A numbered line that goes on for far longer than any heading would ever go on for",
            0,
        ),
        ("THE HOUSE WAS COLD AND THE FAMILY WERE NOT AT HOME.", 0),
    ];
    for (line, level) in cases {
        let paras = split_plain_text(line);
        assert_eq!(paras[0].heading_level, *level, "{line}");
    }
}

// ---- import ----

const SAMPLE: &str = "POLICE IMR\n\n1. Introduction\n\n1.1 This report covers contact with the family.\nIt was written in 2025.\n\n(a) first point;\n(b) second point.\n";

#[test]
fn importing_text_creates_the_source_and_its_numbered_paragraphs() {
    let mut f = fresh();
    let s = f.review.import_text(input("Police IMR"), SAMPLE).unwrap();
    assert_eq!(s.paragraph_count, 6);
    let paras = f.review.paragraphs(&s.id, 0, 100).unwrap();
    let got: Vec<(i64, Option<&str>, i64, &str)> = paras
        .iter()
        .map(|p| (p.seq, p.label.as_deref(), p.heading_level, p.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (1, None, 1, "POLICE IMR"),
            (2, Some("1"), 1, "Introduction"),
            (
                3,
                Some("1.1"),
                0,
                "This report covers contact with the family."
            ),
            (4, None, 0, "It was written in 2025."),
            (5, Some("a"), 0, "first point;"),
            (6, Some("b"), 0, "second point."),
        ]
    );
    assert!(paras.iter().all(|p| p.source_id == s.id));
    assert_eq!(f.review.paragraph(&paras[2].id).unwrap(), paras[2]);

    let log = f.review.audit_log(10).unwrap();
    assert_eq!(log.len(), 1, "one import is one change");
    assert_eq!(log[0].kind, "import");
    assert_eq!(log[0].summary, "Import Police IMR");
    assert_eq!(log[0].rows.len(), 7);
}

#[test]
fn one_undo_removes_an_import_and_redo_restores_it_with_the_same_ids() {
    let mut f = fresh();
    let before = f.review.add_source(input("Earlier source")).unwrap();
    let s = f.review.import_text(input("Police IMR"), SAMPLE).unwrap();
    let paras = f.review.paragraphs(&s.id, 0, 100).unwrap();

    assert_eq!(f.review.undo().unwrap(), "Import Police IMR");
    assert_eq!(f.review.sources().unwrap(), vec![before.clone()]);
    assert_eq!(f.review.source(&s.id).unwrap_err().code(), "not_found");
    for p in &paras {
        assert_eq!(f.review.paragraph(&p.id).unwrap_err().code(), "not_found");
    }

    assert_eq!(f.review.redo().unwrap(), "Import Police IMR");
    assert_eq!(f.review.source(&s.id).unwrap(), s);
    assert_eq!(f.review.paragraphs(&s.id, 0, 100).unwrap(), paras);
    assert_eq!(f.review.sources().unwrap(), vec![before, s]);
}

#[test]
fn an_import_with_no_text_or_binary_text_is_refused_and_changes_nothing() {
    let mut f = fresh();
    for text in ["", "   \n\r\n\t  "] {
        let err = f.review.import_text(input("Empty"), text).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { message, .. } if message == "no paragraphs found"),
            "{err}"
        );
    }
    let err = f
        .review
        .import_text(input("Binary"), "line one\nPK\u{0}\u{3}\u{4}")
        .unwrap_err();
    assert!(err.to_string().contains("NUL"), "{err}");
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = f.review.import_text(input(""), "Some text").unwrap_err();
    assert!(err.to_string().contains("title"), "{err}");
    assert!(f.review.sources().unwrap().is_empty());
    assert_eq!(log_len(&f.review), 0);
}

#[test]
fn file_bytes_must_be_utf8_text_and_a_byte_order_mark_is_dropped() {
    assert_eq!(decode_plain_text(b"\xEF\xBB\xBFZo\xC3\xAB").unwrap(), "Zoë");
    let err = decode_plain_text(b"caf\xE9 au lait").unwrap_err();
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    assert!(err.to_string().contains("offset 3"), "{err}");
    assert!(decode_plain_text(b"a\0b")
        .unwrap_err()
        .to_string()
        .contains("NUL"));
}

#[test]
fn a_hundred_thousand_word_import_is_complete_and_one_undo_removes_it() {
    let mut f = fresh();
    let sentence = "The health visitor recorded that the baby was well and the flat was warm ";
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("{}. ", i + 1));
        for _ in 0..2 {
            text.push_str(sentence);
        }
        text.push_str("\n\n");
    }
    let words = text.split_whitespace().count();
    assert!(words >= 100_000, "{words} words");
    // Speed is measured in benches/scale.rs, not here.
    let s = f.review.import_text(input("Big IMR"), &text).unwrap();
    assert_eq!(s.paragraph_count, 5000);
    let page = f.review.paragraphs(&s.id, 4998, 10).unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[1].seq, 5000);
    // Labels have at most three digits a part, so "5000." stays in the text (as a year would).
    assert_eq!(page[1].label, None);
    assert!(page[1].text.starts_with("5000. The health visitor"));
    let p999 = f.review.paragraphs(&s.id, 998, 1).unwrap().remove(0);
    assert_eq!(p999.label.as_deref(), Some("999"));
    f.review.undo().unwrap();
    assert!(f.review.sources().unwrap().is_empty());
}

// ---- paragraphs ----

#[test]
fn paragraphs_are_paged_appended_and_edited() {
    let mut f = fresh();
    let s = f.review.add_source(input("Minutes")).unwrap();
    let added = f
        .review
        .add_paragraphs(
            &s.id,
            (1..=5)
                .map(|i| ParagraphInput::body(format!("Para {i}")))
                .collect(),
        )
        .unwrap();
    assert_eq!(
        added.iter().map(|p| p.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    let page = f.review.paragraphs(&s.id, 1, 2).unwrap();
    assert_eq!(page, added[1..3].to_vec());
    assert!(f.review.paragraphs(&s.id, 10, 2).unwrap().is_empty());
    assert_eq!(f.review.source(&s.id).unwrap().paragraph_count, 5);

    let more = f
        .review
        .add_paragraphs(
            &s.id,
            vec![ParagraphInput {
                label: Some(" 2.1 ".into()),
                heading_level: 2,
                text: "  Actions agreed  ".into(),
            }],
        )
        .unwrap();
    assert_eq!(more[0].seq, 6);
    assert_eq!(more[0].label.as_deref(), Some("2.1"));
    assert_eq!(more[0].text, "Actions agreed");

    let edited = f
        .review
        .update_paragraph(
            &added[0].id,
            ParagraphInput {
                label: Some("1".into()),
                heading_level: 1,
                text: "Attendance".into(),
            },
        )
        .unwrap();
    assert_eq!((edited.seq, edited.heading_level), (1, 1));
    assert_eq!(edited.text, "Attendance");
    f.review.undo().unwrap();
    assert_eq!(f.review.paragraph(&added[0].id).unwrap(), added[0]);

    assert_eq!(
        f.review.paragraphs("missing", 0, 10).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn bad_paragraphs_are_refused_and_nothing_is_added() {
    let mut f = fresh();
    let s = f.review.add_source(input("Minutes")).unwrap();
    let err = f
        .review
        .add_paragraphs(
            &s.id,
            vec![ParagraphInput::body("fine"), ParagraphInput::body("  ")],
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "paragraph 2 text"),
        "{err}"
    );
    let err = f
        .review
        .add_paragraphs(
            &s.id,
            vec![ParagraphInput {
                label: None,
                heading_level: 7,
                text: "too deep".into(),
            }],
        )
        .unwrap_err();
    assert!(err.to_string().contains("heading_level"), "{err}");
    assert_eq!(f.review.source(&s.id).unwrap().paragraph_count, 0);
    assert_eq!(log_len(&f.review), 1);
    assert_eq!(
        f.review
            .add_paragraphs("missing", vec![ParagraphInput::body("x")])
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn deleting_a_paragraph_renumbers_the_rest_and_undo_puts_it_back() {
    let mut f = fresh();
    let s = f
        .review
        .import_text(input("Notes"), "one\ntwo\nthree\nfour")
        .unwrap();
    let paras = f.review.paragraphs(&s.id, 0, 10).unwrap();
    f.review.delete_paragraph(&paras[1].id, false).unwrap();
    assert_eq!(
        texts(&f.review, &s.id),
        [(1, "one".into()), (2, "three".into()), (3, "four".into())]
    );
    f.review.undo().unwrap();
    assert_eq!(f.review.paragraphs(&s.id, 0, 10).unwrap(), paras);
    f.review.redo().unwrap();
    assert_eq!(texts(&f.review, &s.id).len(), 3);
    // Appending after a delete continues from the new last number.
    let added = f
        .review
        .add_paragraphs(&s.id, vec![ParagraphInput::body("five")])
        .unwrap();
    assert_eq!(added[0].seq, 4);
}

#[test]
fn a_quoted_paragraph_is_not_deleted_unless_cascading() {
    let mut f = fresh();
    let s = f
        .review
        .import_text(input("Notes"), "one\nThe GP saw the baby.\nthree")
        .unwrap();
    let p = f.review.paragraphs(&s.id, 1, 1).unwrap().remove(0);
    let x = f.review.excerpt_for_text(&p.id, "saw the baby").unwrap();
    let y = f.review.excerpt_for_text(&p.id, "The GP").unwrap();
    let fid = finding(&mut f.review, "The GP saw the baby");
    f.review
        .link_evidence(
            &fid,
            EvidenceTarget::Excerpt(x.id.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    let entry = f
        .review
        .add_chronology_entry(ChronologyInput {
            paragraph_id: Some(p.id.clone()),
            ..ChronologyInput::new(NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(), "GP visit")
        })
        .unwrap();
    assert_eq!(entry.source_id.as_deref(), Some(s.id.as_str()));
    f.review
        .add_comment(CommentTarget::Paragraph, &p.id, None, "Check the date")
        .unwrap();

    let log = log_len(&f.review);
    let err = f.review.delete_paragraph(&p.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete paragraph 2: 2 excerpts quote this paragraph; \
         1 chronology entry comes from this paragraph; 1 comment is on this paragraph"
    );
    assert_eq!(log_len(&f.review), log);

    f.review.delete_paragraph(&p.id, true).unwrap();
    assert_eq!(
        texts(&f.review, &s.id),
        [(1, "one".into()), (2, "three".into())]
    );
    assert_eq!(f.review.excerpt(&x.id).unwrap_err().code(), "not_found");
    assert_eq!(f.review.excerpt(&y.id).unwrap_err().code(), "not_found");
    assert!(f.review.evidence_of(&fid).unwrap().is_empty());
    assert!(f
        .review
        .comments_on(CommentTarget::Paragraph, &p.id)
        .unwrap()
        .is_empty());
    let kept = f.review.chronology_entry(&entry.id).unwrap();
    assert_eq!(kept.paragraph_id, None);
    assert_eq!(kept.source_id.as_deref(), Some(s.id.as_str()));

    f.review.undo().unwrap();
    assert_eq!(f.review.paragraph(&p.id).unwrap(), p);
    assert_eq!(f.review.excerpt(&x.id).unwrap(), x);
    assert_eq!(f.review.evidence_of(&fid).unwrap().len(), 1);
    assert_eq!(f.review.chronology_entry(&entry.id).unwrap(), entry);
    assert_eq!(
        f.review
            .comments_on(CommentTarget::Paragraph, &p.id)
            .unwrap()
            .len(),
        1
    );
}

// ---- excerpts ----

#[test]
fn excerpt_offsets_count_characters_not_bytes() {
    let mut f = fresh();
    let s = f
        .review
        .import_text(input("Interview"), "Zoë’s mother said “no” twice.")
        .unwrap();
    let p = f.review.paragraphs(&s.id, 0, 1).unwrap().remove(0);
    // Z o ë ’ s _ m o t h e r: "mother" is characters 6..12 (bytes 9..15).
    let x = f.review.add_excerpt(&p.id, 6, 12, "  who spoke  ").unwrap();
    assert_eq!(x.quote, "mother");
    assert_eq!(x.note, "who spoke");
    assert_eq!((x.start, x.end), (6, 12));
    assert_eq!(x.source_id, s.id);
    assert_eq!(x.paragraph_id, p.id);
    assert_eq!(x.quote_hash, hex_sha256("mother"));
    assert_eq!(x.quote_hash.len(), 64);

    let y = f.review.add_excerpt(&p.id, 0, 5, "").unwrap();
    assert_eq!(y.quote, "Zoë’s");
    assert_eq!(y.quote_hash, hex_sha256("Zoë’s"));

    let z = f.review.excerpt_for_text(&p.id, "“no”").unwrap();
    assert_eq!((z.start, z.end), (18, 22));
    assert_eq!(z.quote, "“no”");

    let len = p.text.chars().count();
    let last = f.review.add_excerpt(&p.id, len - 1, len, "").unwrap();
    assert_eq!(last.quote, ".");

    assert_eq!(
        f.review
            .excerpts_of_paragraph(&p.id)
            .unwrap()
            .iter()
            .map(|e| e.quote.as_str())
            .collect::<Vec<_>>(),
        ["Zoë’s", "mother", "“no”", "."]
    );
    assert_eq!(f.review.excerpts_of_source(&s.id).unwrap().len(), 4);
    assert_eq!(f.review.excerpt(&x.id).unwrap(), x);
}

#[test]
fn the_sha256_of_a_quote_matches_the_published_test_vector() {
    let mut f = fresh();
    let s = f.review.import_text(input("Vector"), "xx abc yy").unwrap();
    let p = f.review.paragraphs(&s.id, 0, 1).unwrap().remove(0);
    let x = f.review.excerpt_for_text(&p.id, "abc").unwrap();
    assert_eq!(
        x.quote_hash,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn an_excerpt_range_outside_the_paragraph_is_refused() {
    let mut f = fresh();
    let s = f
        .review
        .import_text(input("Interview"), "Zoë’s visit")
        .unwrap();
    let p = f.review.paragraphs(&s.id, 0, 1).unwrap().remove(0);
    let log = log_len(&f.review);
    let err = f.review.add_excerpt(&p.id, 3, 3, "").unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, message } if field == "range" && message.contains("before the end")),
        "{err}"
    );
    // 11 characters, though more bytes.
    let err = f.review.add_excerpt(&p.id, 0, 12, "").unwrap_err();
    assert!(err.to_string().contains("(11)"), "{err}");
    assert!(f.review.add_excerpt(&p.id, 0, 11, "").is_ok());
    let err = f.review.excerpt_for_text(&p.id, "absent").unwrap_err();
    assert!(err.to_string().contains("does not occur"), "{err}");
    assert_eq!(
        f.review
            .add_excerpt("missing", 0, 1, "")
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(log_len(&f.review), log + 1);
}

#[test]
fn an_excerpt_knows_when_its_paragraph_has_changed_under_it() {
    let mut f = fresh();
    let s = f
        .review
        .import_text(input("IMR"), "The referral was not followed up.")
        .unwrap();
    let p = f.review.paragraphs(&s.id, 0, 1).unwrap().remove(0);
    let x = f.review.excerpt_for_text(&p.id, "not followed up").unwrap();
    assert!(f.review.excerpt_is_current(&x.id).unwrap());

    f.review
        .update_paragraph(
            &p.id,
            ParagraphInput::body("The referral was followed up late."),
        )
        .unwrap();
    assert!(!f.review.excerpt_is_current(&x.id).unwrap());
    // The snapshot is kept as it was.
    assert_eq!(f.review.excerpt(&x.id).unwrap().quote, "not followed up");

    f.review
        .update_paragraph(&p.id, ParagraphInput::body("Short."))
        .unwrap();
    assert!(!f.review.excerpt_is_current(&x.id).unwrap());

    f.review.undo().unwrap();
    f.review.undo().unwrap();
    assert!(f.review.excerpt_is_current(&x.id).unwrap());
}

#[test]
fn an_excerpt_note_is_edited_and_undone() {
    let mut f = fresh();
    let s = f.review.import_text(input("IMR"), "Quote me.").unwrap();
    let p = f.review.paragraphs(&s.id, 0, 1).unwrap().remove(0);
    let x = f.review.excerpt_for_text(&p.id, "Quote").unwrap();
    let y = f.review.update_excerpt_note(&x.id, " key line ").unwrap();
    assert_eq!(y.note, "key line");
    f.review.undo().unwrap();
    assert_eq!(f.review.excerpt(&x.id).unwrap(), x);
}

#[test]
fn a_cited_excerpt_is_not_deleted_unless_cascading() {
    let mut f = fresh();
    let s = f
        .review
        .import_text(input("IMR"), "Nobody asked Zoë.")
        .unwrap();
    let p = f.review.paragraphs(&s.id, 0, 1).unwrap().remove(0);
    let x = f.review.excerpt_for_text(&p.id, "Nobody asked").unwrap();
    let f1 = finding(&mut f.review, "The child's voice was not heard");
    let f2 = finding(&mut f.review, "Practitioners did not ask");
    let f3 = finding(&mut f.review, "Supervision missed it");
    for fid in [&f1, &f2, &f3] {
        f.review
            .link_evidence(
                fid,
                EvidenceTarget::Excerpt(x.id.clone()),
                Relation::Supports,
                "",
            )
            .unwrap();
    }
    let err = f.review.delete_excerpt(&x.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete excerpt: 3 findings cite this excerpt"
    );

    f.review.delete_excerpt(&x.id, true).unwrap();
    assert_eq!(f.review.excerpt(&x.id).unwrap_err().code(), "not_found");
    for fid in [&f1, &f2, &f3] {
        assert!(f.review.evidence_of(fid).unwrap().is_empty());
    }
    f.review.undo().unwrap();
    assert_eq!(f.review.excerpt(&x.id).unwrap(), x);
    assert_eq!(f.review.evidence_of(&f2).unwrap().len(), 1);

    let lone = f.review.excerpt_for_text(&p.id, "Zoë").unwrap();
    f.review.delete_excerpt(&lone.id, false).unwrap();
    assert_eq!(f.review.excerpts_of_paragraph(&p.id).unwrap(), vec![x]);
}

// ---- deleting sources ----

#[test]
fn a_source_that_others_rely_on_is_not_deleted_unless_cascading() {
    let mut f = fresh();
    let s = f
        .review
        .import_text(input("Police IMR"), "First.\nSecond.\nThird.")
        .unwrap();
    let paras = f.review.paragraphs(&s.id, 0, 10).unwrap();
    let x1 = f.review.excerpt_for_text(&paras[0].id, "First").unwrap();
    let x2 = f.review.excerpt_for_text(&paras[2].id, "Third").unwrap();
    let f1 = finding(&mut f.review, "One");
    let f2 = finding(&mut f.review, "Two");
    f.review
        .link_evidence(
            &f1,
            EvidenceTarget::Excerpt(x1.id.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    f.review
        .link_evidence(
            &f1,
            EvidenceTarget::Excerpt(x2.id.clone()),
            Relation::Context,
            "",
        )
        .unwrap();
    f.review
        .link_evidence(
            &f2,
            EvidenceTarget::Excerpt(x2.id.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    let day = NaiveDate::from_ymd_opt(2024, 2, 1).unwrap();
    let mut entries = Vec::new();
    for i in 0..3 {
        entries.push(
            f.review
                .add_chronology_entry(ChronologyInput {
                    source_id: Some(s.id.clone()),
                    paragraph_id: (i == 0).then(|| paras[1].id.clone()),
                    source_locator: format!("para {}", i + 1),
                    ..ChronologyInput::new(day, format!("event {i}"))
                })
                .unwrap(),
        );
    }

    let log = log_len(&f.review);
    let err = f.review.delete_source(&s.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete source \"Police IMR\": 2 findings cite excerpts of this source; \
         3 chronology entries come from this source"
    );
    assert_eq!(log_len(&f.review), log);
    assert_eq!(f.review.source(&s.id).unwrap(), s);

    f.review.delete_source(&s.id, true).unwrap();
    assert_eq!(f.review.source(&s.id).unwrap_err().code(), "not_found");
    for p in &paras {
        assert_eq!(f.review.paragraph(&p.id).unwrap_err().code(), "not_found");
    }
    assert_eq!(f.review.excerpt(&x1.id).unwrap_err().code(), "not_found");
    assert!(f.review.evidence_of(&f1).unwrap().is_empty());
    assert!(f.review.evidence_of(&f2).unwrap().is_empty());
    for e in &entries {
        let kept = f.review.chronology_entry(&e.id).unwrap();
        assert_eq!((kept.source_id, kept.paragraph_id), (None, None));
        assert_eq!(kept.source_locator, e.source_locator);
    }
    // Findings themselves stay.
    assert_eq!(f.review.findings().unwrap().len(), 2);

    assert_eq!(f.review.undo().unwrap(), "Delete source Police IMR");
    assert_eq!(f.review.source(&s.id).unwrap(), s);
    assert_eq!(f.review.paragraphs(&s.id, 0, 10).unwrap(), paras);
    assert_eq!(f.review.excerpt(&x2.id).unwrap(), x2);
    assert_eq!(f.review.evidence_of(&f1).unwrap().len(), 2);
    for e in &entries {
        assert_eq!(&f.review.chronology_entry(&e.id).unwrap(), e);
    }
}

#[test]
fn a_source_nobody_cites_is_deleted_with_its_text_and_quotes() {
    let mut f = fresh();
    let keep = f.review.import_text(input("Keep"), "stay").unwrap();
    let s = f.review.import_text(input("Drop"), "a\nb\nc").unwrap();
    let p = f.review.paragraphs(&s.id, 0, 1).unwrap().remove(0);
    let x = f.review.excerpt_for_text(&p.id, "a").unwrap();
    f.review.delete_source(&s.id, false).unwrap();
    assert_eq!(f.review.sources().unwrap(), vec![keep]);
    assert_eq!(f.review.excerpt(&x.id).unwrap_err().code(), "not_found");
    f.review.undo().unwrap();
    assert_eq!(f.review.excerpt(&x.id).unwrap(), x);
    assert_eq!(f.review.source(&s.id).unwrap().paragraph_count, 3);
}

#[test]
fn comments_on_a_source_or_its_text_hold_back_its_delete() {
    let mut f = fresh();
    let s = f.review.import_text(input("IMR"), "a\nb").unwrap();
    let p = f.review.paragraphs(&s.id, 0, 1).unwrap().remove(0);
    f.review
        .add_comment(CommentTarget::Source, &s.id, None, "Ask for v2")
        .unwrap();
    f.review
        .add_comment(CommentTarget::Paragraph, &p.id, None, "Unclear")
        .unwrap();
    let err = f.review.delete_source(&s.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete source \"IMR\": 2 comments are on this source"
    );
    f.review.delete_source(&s.id, true).unwrap();
    assert!(f.review.open_comments().unwrap().is_empty());
    f.review.undo().unwrap();
    assert_eq!(f.review.open_comments().unwrap().len(), 2);
}

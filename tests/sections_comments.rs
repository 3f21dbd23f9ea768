//! Report sections with their citation tokens, and comment threads on records.

use chrono::{NaiveDate, TimeZone, Utc};
use threadline::model::agencies::AgencyInput;
use threadline::model::comments::{CommentTarget, TextAnchor};
use threadline::model::findings::{FindingInput, FindingKind};
use threadline::model::panel::{MeetingInput, PanelMemberInput};
use threadline::model::people::{PersonCategory, PersonInput};
use threadline::model::recommendations::{ActionInput, RecommendationInput};
use threadline::model::sections::{
    citations, scan_citations, Citation, CitationKind, Document, SectionInput,
};
use threadline::model::themes::ThemeInput;
use threadline::model::tor::{TorInput, TorKind};
use threadline::{Actor, Error, Review, Table};

use crate::common::fresh;

const ID1: &str = "4f0c2a9e-1b2c-4d3e-8f40-123456789abc";
const ID2: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3";

fn section(document: Document, heading: &str, body: &str) -> SectionInput {
    SectionInput {
        document,
        heading: heading.into(),
        body: body.into(),
    }
}

fn headings(review: &Review, document: Document) -> Vec<(i64, String)> {
    review
        .sections(document)
        .unwrap()
        .into_iter()
        .map(|s| (s.position, s.heading))
        .collect()
}

fn finding(review: &mut Review, statement: &str) -> String {
    review
        .add_finding(FindingInput {
            theme_id: None,
            kind: FindingKind::Systemic,
            statement: statement.into(),
            analysis: String::new(),
        })
        .unwrap()
        .id
}

fn tor(review: &mut Review, text: &str) -> String {
    review
        .add_tor(TorInput {
            kind: TorKind::Generic,
            text: text.into(),
            out_of_scope_reason: None,
        })
        .unwrap()
        .id
}

// ---- Citation tokens ------------------------------------------------------------------------

#[test]
fn citations_are_found_in_text_order_with_their_byte_offsets() {
    let body = format!("Seen at [[finding:{ID1}]] and é [[ tor : {ID2} ]].\n[[chronology:{ID1}]]");
    let found = citations(&body);
    assert_eq!(
        found
            .iter()
            .map(|c| (c.kind, c.id.as_str()))
            .collect::<Vec<_>>(),
        [
            (CitationKind::Finding, ID1),
            (CitationKind::Tor, ID2),
            (CitationKind::Chronology, ID1)
        ]
    );
    for c in &found {
        let token = &body[c.start..c.end];
        assert!(token.starts_with("[[") && token.ends_with("]]"), "{token}");
        assert!(token.contains(&c.id));
    }
    assert_eq!(found[0].start, "Seen at ".len());
    assert!(scan_citations(&body).errors.is_empty());
}

#[test]
fn every_citation_kind_is_recognised() {
    for (kind, text) in [
        (CitationKind::Finding, "finding"),
        (CitationKind::Excerpt, "excerpt"),
        (CitationKind::Chronology, "chronology"),
        (CitationKind::Recommendation, "recommendation"),
        (CitationKind::Paragraph, "paragraph"),
        (CitationKind::Tor, "tor"),
        (CitationKind::Source, "source"),
    ] {
        let body = format!("x [[{text}:{ID1}]] y");
        assert_eq!(
            citations(&body),
            [Citation {
                kind,
                id: ID1.into(),
                start: 2,
                end: body.len() - 2
            }]
        );
    }
}

#[test]
fn malformed_tokens_are_reported_separately_and_never_panic() {
    let upper = ID1.to_uppercase();
    let table: Vec<(String, &str)> = vec![
        ("[[]]".into(), "empty citation"),
        ("[[   ]]".into(), "empty citation"),
        (format!("[[{ID1}]]"), "no kind"),
        ("[[finding]]".into(), "no kind"),
        (format!("[[widget:{ID1}]]"), "unknown kind 'widget'"),
        ("[[finding:]]".into(), "no id after 'finding:'"),
        ("[[finding:F12]]".into(), "'F12' is not a record id"),
        (
            format!("[[finding:{upper}]]"),
            "lowercase UUID with hyphens",
        ),
        (
            format!("[[finding:{}]]", ID1.replace('-', "")),
            "lowercase UUID with hyphens",
        ),
        (format!("see [[finding:{ID1}"), "not closed"),
    ];
    for (body, problem) in table {
        let scan = scan_citations(&body);
        assert!(scan.citations.is_empty(), "{body}: {:?}", scan.citations);
        assert_eq!(scan.errors.len(), 1, "{body}: {:?}", scan.errors);
        let e = &scan.errors[0];
        assert!(e.problem.contains(problem), "{body}: {}", e.problem);
        assert_eq!(&body[e.start..e.end], e.token);
    }

    // An unknown kind lists the kinds that exist.
    let scan = scan_citations(&format!("[[widget:{ID1}]]"));
    assert!(scan.errors[0]
        .problem
        .contains("finding, excerpt, chronology"));

    // An unclosed token does not swallow the good citation after it.
    let body = format!("[[finding:{ID1} oops [[tor:{ID2}]] and more");
    let scan = scan_citations(&body);
    assert_eq!(scan.errors.len(), 1);
    assert_eq!(scan.errors[0].token, format!("[[finding:{ID1} oops "));
    assert_eq!(scan.citations.len(), 1);
    assert_eq!(scan.citations[0].id, ID2);

    // An unclosed token ends at the line break.
    let scan = scan_citations("one [[finding:x\nnext line ]]");
    assert_eq!(
        scan.errors[0].token,
        "one [[finding:x".trim_start_matches("one ")
    );

    // Odd bracket runs and multibyte text.
    for body in [
        "[[", "]]", "[[[", "[[[[]]]]", "[[é]]", "é[[", "[[:]]", "ü]][[ü", "[[[[x",
    ] {
        let scan = scan_citations(body);
        assert!(scan.citations.is_empty(), "{body}");
        for e in &scan.errors {
            assert_eq!(&body[e.start..e.end], e.token, "{body}");
        }
    }
    // Markdown's own single brackets are not citations at all.
    let scan = scan_citations("[a link](http://x) and [b]");
    assert!(scan.citations.is_empty() && scan.errors.is_empty());
}

// ---- Sections -------------------------------------------------------------------------------

#[test]
fn sections_are_ordered_within_their_document_and_reordered_on_move_and_delete() {
    let mut f = fresh();
    let intro = f
        .review
        .add_section(section(Document::Overview, "Introduction", ""))
        .unwrap();
    let method = f
        .review
        .add_section(section(Document::Overview, "Methodology", ""))
        .unwrap();
    let summary = f
        .review
        .add_section(section(Document::Summary, "Summary", "In brief."))
        .unwrap();
    let findings = f
        .review
        .add_section(section(Document::Overview, "Findings", ""))
        .unwrap();
    assert_eq!(
        (intro.position, method.position, findings.position),
        (0, 1, 2)
    );
    assert_eq!(summary.position, 0);
    assert_eq!(summary.body, "In brief.");

    f.review.move_section(&findings.id, 0).unwrap();
    assert_eq!(
        headings(&f.review, Document::Overview),
        [
            (0, "Findings".into()),
            (1, "Introduction".into()),
            (2, "Methodology".into())
        ]
    );
    f.review.undo().unwrap();
    assert_eq!(
        headings(&f.review, Document::Overview),
        [
            (0, "Introduction".into()),
            (1, "Methodology".into()),
            (2, "Findings".into())
        ]
    );

    f.review.delete_section(&intro.id, false).unwrap();
    assert_eq!(
        headings(&f.review, Document::Overview),
        [(0, "Methodology".into()), (1, "Findings".into())]
    );
    assert_eq!(
        headings(&f.review, Document::Summary),
        [(0, "Summary".into())]
    );
    assert!(matches!(
        f.review.section(&intro.id),
        Err(Error::NotFound {
            kind: "section",
            ..
        })
    ));
    f.review.undo().unwrap();
    assert_eq!(f.review.section(&intro.id).unwrap(), intro);
}

#[test]
fn moving_a_section_to_the_other_document_puts_it_at_the_end_and_closes_the_gap() {
    let mut f = fresh();
    let a = f
        .review
        .add_section(section(Document::Overview, "A", ""))
        .unwrap();
    f.review
        .add_section(section(Document::Overview, "B", ""))
        .unwrap();
    f.review
        .add_section(section(Document::Summary, "S", ""))
        .unwrap();
    let moved = f
        .review
        .update_section(&a.id, section(Document::Summary, " A, shorter ", "Body"))
        .unwrap();
    assert_eq!(moved.document, Document::Summary);
    assert_eq!(moved.heading, "A, shorter");
    assert_eq!(moved.body, "Body");
    assert_eq!(headings(&f.review, Document::Overview), [(0, "B".into())]);
    assert_eq!(
        headings(&f.review, Document::Summary),
        [(0, "S".into()), (1, "A, shorter".into())]
    );
    assert_eq!(f.review.undo().unwrap(), "Edit section \"A\"");
    assert_eq!(
        headings(&f.review, Document::Overview),
        [(0, "A".into()), (1, "B".into())]
    );
    assert_eq!(headings(&f.review, Document::Summary), [(0, "S".into())]);
}

#[test]
fn a_section_needs_a_heading_and_a_refused_edit_changes_nothing() {
    let mut f = fresh();
    let s = f
        .review
        .add_section(section(Document::Overview, "Intro", "text"))
        .unwrap();
    let log_len = f.review.audit_log(100).unwrap().len();
    for input in [
        section(Document::Overview, "  ", "body"),
        section(Document::Summary, "", "body"),
    ] {
        let err = f.review.add_section(input.clone()).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field, .. } if field == "heading"),
            "{err:?}"
        );
        let err = f.review.update_section(&s.id, input).unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }));
    }
    assert_eq!(f.review.section(&s.id).unwrap(), s);
    assert!(f.review.sections(Document::Summary).unwrap().is_empty());
    assert_eq!(f.review.audit_log(100).unwrap().len(), log_len);
    let err = f
        .review
        .update_section(ID1, section(Document::Overview, "x", ""))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            kind: "section",
            ..
        }
    ));
}

#[test]
fn deleting_a_section_with_comments_is_refused_unless_cascade_and_undo_restores_them() {
    let mut f = fresh();
    let s = f
        .review
        .add_section(section(Document::Overview, "Intro", "text"))
        .unwrap();
    let c1 = f
        .review
        .add_comment(CommentTarget::Section, &s.id, None, "Shorter, please")
        .unwrap();
    f.review.reply(&c1.id, "Will do").unwrap();
    f.review
        .add_comment(CommentTarget::Section, &s.id, None, "Name the agencies")
        .unwrap();
    let threads = f.review.comments_on(CommentTarget::Section, &s.id).unwrap();

    let err = f.review.delete_section(&s.id, false).unwrap_err();
    assert!(matches!(err, Error::InUse { .. }));
    assert_eq!(
        err.to_string(),
        "cannot delete section \"Intro\": 3 comments are on this section"
    );
    assert_eq!(f.review.section(&s.id).unwrap(), s);

    f.review.delete_section(&s.id, true).unwrap();
    assert!(f.review.sections(Document::Overview).unwrap().is_empty());
    assert!(f.review.open_comments().unwrap().is_empty());
    f.review.undo().unwrap();
    assert_eq!(f.review.section(&s.id).unwrap(), s);
    assert_eq!(
        f.review.comments_on(CommentTarget::Section, &s.id).unwrap(),
        threads
    );
}

#[test]
fn broken_citations_name_the_section_and_the_missing_target() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "Risk was not shared");
    let t1 = tor(&mut f.review, "Was risk shared?");
    let r = f
        .review
        .add_recommendation(RecommendationInput {
            text: "Share risk".into(),
            ..Default::default()
        })
        .unwrap();
    let s1 = f
        .review
        .add_section(section(
            Document::Overview,
            "Findings",
            &format!(
                "[[finding:{f1}]] answers [[tor:{t1}]]; see [[recommendation:{}]].",
                r.id
            ),
        ))
        .unwrap();
    let s2 = f
        .review
        .add_section(section(
            Document::Overview,
            "Appendix",
            &format!("[[excerpt:{ID1}]] and [[widget:{ID2}]] and [[finding:{f1}]]"),
        ))
        .unwrap();
    f.review
        .add_section(section(
            Document::Summary,
            "Summary",
            &format!("[[source:{ID2}]]"),
        ))
        .unwrap();

    let broken = f.review.broken_citations(Document::Overview).unwrap();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].0, s2.id);
    assert_eq!(
        (broken[0].1.kind, broken[0].1.id.as_str()),
        (CitationKind::Excerpt, ID1)
    );

    // The report cites the recommendation, so it cannot simply be deleted.
    let err = f.review.delete_recommendation(&r.id, false).unwrap_err();
    assert!(
        err.to_string()
            .contains("1 report section cites this recommendation"),
        "{err}"
    );
    f.review.delete_recommendation(&r.id, true).unwrap();
    f.review.delete_finding(&f1, true).unwrap();
    let broken: Vec<(String, CitationKind)> = f
        .review
        .broken_citations(Document::Overview)
        .unwrap()
        .into_iter()
        .map(|(s, c)| (s, c.kind))
        .collect();
    assert_eq!(
        broken,
        [
            (s1.id.clone(), CitationKind::Finding),
            (s1.id.clone(), CitationKind::Recommendation),
            (s2.id.clone(), CitationKind::Excerpt),
            (s2.id.clone(), CitationKind::Finding),
        ]
    );
    let summary = f.review.broken_citations(Document::Summary).unwrap();
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0].1.kind, CitationKind::Source);

    f.review.undo().unwrap();
    f.review.undo().unwrap();
    assert_eq!(
        f.review.broken_citations(Document::Overview).unwrap().len(),
        1
    );
}

// ---- Comments -------------------------------------------------------------------------------

#[test]
fn a_comment_records_the_current_actor_the_clock_and_its_anchor() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "The health visitor was not told");
    f.review.set_actor(Actor {
        name: "Jo Panelchair".into(),
        role: "chair".into(),
    });
    let anchor = TextAnchor {
        exact: "not told".into(),
        prefix: "visitor was ".into(),
        suffix: String::new(),
        hint: None,
    };
    let c = f
        .review
        .add_comment(
            CommentTarget::Finding,
            &f1,
            Some(anchor.clone()),
            "  Who should have told them?  ",
        )
        .unwrap();
    assert_eq!(c.author, "Jo Panelchair");
    assert_eq!(c.role, "chair");
    assert_eq!(
        c.created_at,
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    );
    assert_eq!(c.target_kind, CommentTarget::Finding);
    assert_eq!(c.target_id, f1);
    assert_eq!(c.anchor, Some(anchor));
    assert_eq!(c.body, "Who should have told them?");
    assert_eq!(c.parent_id, None);
    assert!(!c.resolved && c.replies.is_empty());
    assert_eq!(f.review.comment(&c.id).unwrap(), c);

    // The anchor is stored as a JSON text-quote selector.
    let log = f.review.audit_log(1).unwrap();
    assert_eq!(log[0].summary, "Comment on finding");
    assert_eq!(log[0].actor, "Jo Panelchair");
    let stored = log[0].rows[0].after.as_ref().unwrap()["anchor"]
        .as_str()
        .unwrap()
        .to_owned();
    let json: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(json["exact"], "not told");
    assert_eq!(json["prefix"], "visitor was ");
}

#[test]
fn a_comment_needs_a_body_an_anchor_with_words_and_a_target_that_exists() {
    let mut f = fresh();
    let t1 = tor(&mut f.review, "Was risk shared?");
    let log_len = f.review.audit_log(100).unwrap().len();

    let err = f
        .review
        .add_comment(CommentTarget::Tor, &t1, None, "   ")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "body"),
        "{err:?}"
    );
    let empty_anchor = TextAnchor {
        exact: " ".into(),
        prefix: String::new(),
        suffix: String::new(),
        hint: None,
    };
    let err = f
        .review
        .add_comment(CommentTarget::Tor, &t1, Some(empty_anchor), "hm")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "anchor"),
        "{err:?}"
    );

    for (kind, noun) in [
        (CommentTarget::Finding, "finding"),
        (CommentTarget::Section, "section"),
        (CommentTarget::Recommendation, "recommendation"),
        (CommentTarget::Excerpt, "excerpt"),
        (CommentTarget::Chronology, "chronology entry"),
        (CommentTarget::Tor, "term of reference"),
        (CommentTarget::Source, "source"),
        (CommentTarget::Paragraph, "paragraph"),
        (CommentTarget::Theme, "theme"),
        (CommentTarget::Person, "person"),
        (CommentTarget::Agency, "agency"),
        (CommentTarget::PanelMember, "panel member"),
        (CommentTarget::Meeting, "meeting"),
        (CommentTarget::Action, "action"),
    ] {
        let err = f.review.add_comment(kind, ID1, None, "hello").unwrap_err();
        assert_eq!(err.to_string(), format!("no {noun} with id {ID1}"));
    }
    // A real id of the wrong kind is not found either.
    let err = f
        .review
        .add_comment(CommentTarget::Finding, &t1, None, "hello")
        .unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            kind: "finding",
            ..
        }
    ));

    assert!(f.review.open_comments().unwrap().is_empty());
    assert_eq!(f.review.audit_log(100).unwrap().len(), log_len);
}

#[test]
fn replies_join_the_thread_in_order_even_when_replying_to_a_reply() {
    let mut f = fresh();
    let t1 = tor(&mut f.review, "Was risk shared?");
    let t2 = tor(&mut f.review, "Was the child heard?");
    let first = f
        .review
        .add_comment(CommentTarget::Tor, &t1, None, "First thread")
        .unwrap();
    let second = f
        .review
        .add_comment(CommentTarget::Tor, &t1, None, "Second thread")
        .unwrap();
    f.review
        .add_comment(CommentTarget::Tor, &t2, None, "Elsewhere")
        .unwrap();
    f.review.set_actor(Actor {
        name: "Sam Member".into(),
        role: "panel member".into(),
    });
    let r1 = f.review.reply(&first.id, "Reply one").unwrap();
    let r2 = f.review.reply(&r1.id, "Reply to the reply").unwrap();
    assert_eq!(r1.parent_id.as_deref(), Some(first.id.as_str()));
    assert_eq!(r2.parent_id.as_deref(), Some(first.id.as_str()));
    assert_eq!(
        (r2.target_kind, r2.target_id.as_str()),
        (CommentTarget::Tor, t1.as_str())
    );
    assert_eq!(r2.author, "Sam Member");
    assert_eq!(r2.anchor, None);

    let threads = f.review.comments_on(CommentTarget::Tor, &t1).unwrap();
    let shape: Vec<(String, Vec<String>)> = threads
        .iter()
        .map(|t| {
            (
                t.body.clone(),
                t.replies.iter().map(|r| r.body.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (
                "First thread".to_string(),
                vec!["Reply one".to_string(), "Reply to the reply".to_string()]
            ),
            ("Second thread".to_string(), vec![]),
        ]
    );
    assert_eq!(f.review.comment(&first.id).unwrap().replies.len(), 2);
    assert_eq!(threads[1].id, second.id);
    assert_eq!(
        f.review.comments_on(CommentTarget::Tor, &t2).unwrap().len(),
        1
    );

    let err = f.review.reply(ID1, "to nothing").unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            kind: "comment",
            ..
        }
    ));
    let err = f.review.reply(&first.id, " ").unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }));
}

#[test]
fn resolving_closes_a_thread_and_a_new_reply_reopens_it() {
    let mut f = fresh();
    let t1 = tor(&mut f.review, "Was risk shared?");
    let a = f
        .review
        .add_comment(CommentTarget::Tor, &t1, None, "A")
        .unwrap();
    let b = f
        .review
        .add_comment(CommentTarget::Tor, &t1, None, "B")
        .unwrap();
    let reply = f.review.reply(&a.id, "A reply").unwrap();

    let resolved = f.review.resolve_comment(&a.id, true).unwrap();
    assert!(resolved.resolved);
    assert_eq!(resolved.replies.len(), 1);
    let open: Vec<String> = f
        .review
        .open_comments()
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(open, vec![b.id.clone()]);
    // Resolved threads still show on their record.
    assert_eq!(
        f.review.comments_on(CommentTarget::Tor, &t1).unwrap().len(),
        2
    );

    let err = f.review.resolve_comment(&reply.id, true).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "resolved"),
        "{err:?}"
    );

    f.review.reply(&reply.id, "One more thing").unwrap();
    assert!(!f.review.comment(&a.id).unwrap().resolved);
    assert_eq!(f.review.open_comments().unwrap().len(), 2);
    f.review.undo().unwrap();
    assert!(f.review.comment(&a.id).unwrap().resolved);

    f.review.resolve_comment(&a.id, false).unwrap();
    assert_eq!(f.review.audit_log(1).unwrap()[0].summary, "Reopen comment");
    assert_eq!(f.review.open_comments().unwrap().len(), 2);
}

#[test]
fn editing_and_deleting_comments_are_undoable_and_delete_takes_the_replies() {
    let mut f = fresh();
    let t1 = tor(&mut f.review, "Was risk shared?");
    let a = f
        .review
        .add_comment(CommentTarget::Tor, &t1, None, "Draft remark")
        .unwrap();
    let reply = f.review.reply(&a.id, "Answer").unwrap();
    let other = f
        .review
        .add_comment(CommentTarget::Tor, &t1, None, "Other")
        .unwrap();

    let edited = f.review.edit_comment(&a.id, " Final remark ").unwrap();
    assert_eq!(edited.body, "Final remark");
    assert_eq!(edited.created_at, a.created_at);
    let err = f.review.edit_comment(&a.id, "").unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }));
    f.review.undo().unwrap();
    assert_eq!(f.review.comment(&a.id).unwrap().body, "Draft remark");
    f.review.redo().unwrap();
    let before = f.review.comments_on(CommentTarget::Tor, &t1).unwrap();

    // Deleting a reply leaves the thread.
    f.review.delete_comment(&reply.id).unwrap();
    assert!(f.review.comment(&a.id).unwrap().replies.is_empty());
    f.review.undo().unwrap();

    f.review.delete_comment(&a.id).unwrap();
    assert!(matches!(
        f.review.comment(&reply.id),
        Err(Error::NotFound {
            kind: "comment",
            ..
        })
    ));
    let left: Vec<String> = f
        .review
        .comments_on(CommentTarget::Tor, &t1)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, vec![other.id.clone()]);
    assert_eq!(f.review.undo().unwrap(), "Delete comment");
    assert_eq!(
        f.review.comments_on(CommentTarget::Tor, &t1).unwrap(),
        before
    );
    assert!(matches!(
        f.review.delete_comment(ID1),
        Err(Error::NotFound {
            kind: "comment",
            ..
        })
    ));
}

#[test]
fn comments_keep_the_order_they_were_made_in_across_a_changing_clock() {
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;

    /// A clock that moves one minute each time it is read.
    struct Ticking(Arc<AtomicI64>);
    impl threadline::Clock for Ticking {
        fn now(&self) -> chrono::DateTime<Utc> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap() + chrono::Duration::minutes(n)
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let mut ctx = crate::common::ctx();
    ctx.clock = Box::new(Ticking(Arc::new(AtomicI64::new(0))));
    let mut review = Review::create(&dir.path().join("t.threadline"), ctx).unwrap();
    let t1 = tor(&mut review, "Was risk shared?");
    let a = review
        .add_comment(CommentTarget::Tor, &t1, None, "first")
        .unwrap();
    let b = review.reply(&a.id, "second").unwrap();
    let c = review.reply(&a.id, "third").unwrap();
    assert!(a.created_at < b.created_at && b.created_at < c.created_at);
    let thread = review.comments_on(CommentTarget::Tor, &t1).unwrap();
    assert_eq!(
        thread[0]
            .replies
            .iter()
            .map(|r| r.id.clone())
            .collect::<Vec<_>>(),
        [b.id, c.id]
    );
}

#[test]
fn deleting_a_commented_record_is_refused_until_cascade_removes_the_comments() {
    let mut f = fresh();
    let t1 = tor(&mut f.review, "Was risk shared?");
    let c = f
        .review
        .add_comment(CommentTarget::Tor, &t1, None, "Too broad")
        .unwrap();
    f.review.reply(&c.id, "Agreed").unwrap();
    let err = f.review.delete_tor(&t1, false).unwrap_err();
    assert!(err.to_string().contains("2 comments are on"), "{err}");
    f.review.delete_tor(&t1, true).unwrap();
    assert!(f.review.open_comments().unwrap().is_empty());
}

// ---- Comments on the other nouns -------------------------------------------------------------

/// One record of each kind that is not cited in report text: a theme, a person, an agency, a
/// panel member, a meeting and an action (under a recommendation), with the noun messages use.
fn other_records(review: &mut Review) -> Vec<(CommentTarget, String, &'static str)> {
    let theme = review
        .add_theme(ThemeInput {
            title: "Information sharing".into(),
            summary: String::new(),
        })
        .unwrap();
    let person = review
        .add_person(PersonInput {
            category: PersonCategory::Person,
            real_name: "Sarah Jones".into(),
            aliases: Vec::new(),
            pseudonym: "Mother".into(),
            role: String::new(),
            relation: String::new(),
            safe_to_name: false,
        })
        .unwrap();
    let agency = review
        .add_agency(AgencyInput {
            name: "Northshire Police".into(),
            short_name: String::new(),
            sector: String::new(),
        })
        .unwrap();
    let member = review
        .add_panel_member(PanelMemberInput {
            name: "Ann Lee".into(),
            role: "Independent chair".into(),
            organisation: String::new(),
        })
        .unwrap();
    let meeting = review
        .add_meeting(MeetingInput {
            date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            title: "First panel".into(),
            attendees: vec![member.id.clone()],
            decisions: String::new(),
        })
        .unwrap();
    let rec = review
        .add_recommendation(RecommendationInput {
            text: "Share risk".into(),
            ..Default::default()
        })
        .unwrap();
    let action = review
        .add_action(
            &rec.id,
            ActionInput {
                text: "Write the protocol".into(),
                ..Default::default()
            },
        )
        .unwrap();
    vec![
        (CommentTarget::Theme, theme.id, "theme"),
        (CommentTarget::Person, person.id, "person"),
        (CommentTarget::Agency, agency.id, "agency"),
        (CommentTarget::PanelMember, member.id, "panel member"),
        (CommentTarget::Meeting, meeting.id, "meeting"),
        (CommentTarget::Action, action.id, "action"),
    ]
}

#[test]
fn themes_people_agencies_panel_members_meetings_and_actions_take_comments() {
    let mut f = fresh();
    let records = other_records(&mut f.review);
    for (kind, id, noun) in &records {
        let c = f
            .review
            .add_comment(*kind, id, None, &format!("About this {noun}"))
            .unwrap();
        assert_eq!((c.target_kind, c.target_id.as_str()), (*kind, id.as_str()));
        assert_eq!(c.body, format!("About this {noun}"));

        // The stored kind is the table's own name, in one audited change.
        let log = f.review.audit_log(1).unwrap();
        assert_eq!(log[0].summary, format!("Comment on {noun}"));
        assert_eq!(log[0].rows.len(), 1);
        assert_eq!(log[0].rows[0].table, "comment");
        let stored = log[0].rows[0].after.as_ref().unwrap();
        assert_eq!(stored["target_kind"], kind.table().name());
        assert_eq!(stored["target_id"], id.as_str());

        // Replies keep the thread's target; the thread reads back on its record only.
        let reply = f.review.reply(&c.id, "Noted").unwrap();
        assert_eq!(reply.target_kind, *kind);
        let threads = f.review.comments_on(*kind, id).unwrap();
        assert_eq!(threads.len(), 1);
        assert_eq!(threads[0].id, c.id);
        assert_eq!(threads[0].replies, vec![reply]);
    }
    assert_eq!(f.review.open_comments().unwrap().len(), records.len());
    // Another kind with the same id finds nothing.
    let (_, theme_id, _) = &records[0];
    assert!(f
        .review
        .comments_on(CommentTarget::Finding, theme_id)
        .unwrap()
        .is_empty());

    // Undo takes the last reply and then the last comment back.
    let (kind, action_id, _) = &records[5];
    f.review.undo().unwrap();
    assert_eq!(reply_counts(&f.review, *kind, action_id), vec![0]);
    assert_eq!(f.review.undo().unwrap(), "Comment on action");
    assert!(f.review.comments_on(*kind, action_id).unwrap().is_empty());
    f.review.redo().unwrap();
    assert_eq!(reply_counts(&f.review, *kind, action_id), vec![0]);
}

/// The number of replies of each thread on a record.
fn reply_counts(review: &Review, kind: CommentTarget, id: &str) -> Vec<usize> {
    review
        .comments_on(kind, id)
        .unwrap()
        .iter()
        .map(|t| t.replies.len())
        .collect()
}

#[test]
fn a_comment_on_an_unknown_or_wrong_kind_of_record_is_refused_and_changes_nothing() {
    let mut f = fresh();
    let records = other_records(&mut f.review);
    let log_len = f.review.audit_log(100).unwrap().len();
    for (kind, _, noun) in &records {
        let err = f.review.add_comment(*kind, ID2, None, "hello").unwrap_err();
        assert_eq!(err.code(), "not_found");
        assert_eq!(err.to_string(), format!("no {noun} with id {ID2}"));
    }
    // Each real id offered as the next kind along (a person's id as a theme, and so on).
    for (i, (_, id, _)) in records.iter().enumerate() {
        let (wrong, _, noun) = &records[(i + 1) % records.len()];
        let err = f.review.add_comment(*wrong, id, None, "hello").unwrap_err();
        assert_eq!(err.to_string(), format!("no {noun} with id {id}"));
    }
    // A deleted record can no longer be commented on.
    let (_, meeting_id, _) = &records[4];
    f.review.delete_meeting(meeting_id, false).unwrap();
    let err = f
        .review
        .add_comment(CommentTarget::Meeting, meeting_id, None, "late")
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: "meeting",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(f.review.open_comments().unwrap().is_empty());
    assert_eq!(f.review.audit_log(100).unwrap().len(), log_len + 1);
}

#[test]
fn a_comment_guards_the_delete_of_its_theme_person_agency_panel_member_or_meeting() {
    let mut f = fresh();
    let records = other_records(&mut f.review);
    let (_, meeting_id, _) = &records[4];
    // The meeting lists the member as attending; take them off so only the comment guards.
    f.review
        .update_meeting(
            meeting_id,
            MeetingInput {
                date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                title: "First panel".into(),
                attendees: Vec::new(),
                decisions: String::new(),
            },
        )
        .unwrap();
    for (kind, id, noun) in records.iter().take(5) {
        let c = f.review.add_comment(*kind, id, None, "Keep?").unwrap();
        let delete = |review: &mut Review, cascade: bool| match kind {
            CommentTarget::Theme => review.delete_theme(id, cascade),
            CommentTarget::Person => review.delete_person(id, cascade),
            CommentTarget::Agency => review.delete_agency(id, cascade),
            CommentTarget::PanelMember => review.delete_panel_member(id, cascade),
            CommentTarget::Meeting => review.delete_meeting(id, cascade),
            other => panic!("no delete for {other}"),
        };
        let err = delete(&mut f.review, false).unwrap_err();
        assert_eq!(err.code(), "in_use");
        assert!(
            err.to_string()
                .ends_with(&format!(": 1 comment is on this {noun}")),
            "{err}"
        );
        assert_eq!(f.review.comments_on(*kind, id).unwrap().len(), 1);

        delete(&mut f.review, true).unwrap();
        assert!(f.review.comments_on(*kind, id).unwrap().is_empty());
        assert!(matches!(
            f.review.comment(&c.id),
            Err(Error::NotFound {
                kind: "comment",
                ..
            })
        ));
        f.review.undo().unwrap();
        assert_eq!(f.review.comments_on(*kind, id).unwrap()[0].id, c.id);
    }
    assert_eq!(f.review.stats().unwrap().rows(Table::Comment), 5);
}

#[test]
fn comment_target_kinds_read_and_write_as_the_text_stored_in_the_file() {
    for kind in [
        CommentTarget::Theme,
        CommentTarget::Person,
        CommentTarget::Agency,
        CommentTarget::PanelMember,
        CommentTarget::Meeting,
        CommentTarget::Action,
    ] {
        assert_eq!(kind.as_str(), kind.table().name());
        assert_eq!(CommentTarget::parse(kind.as_str()), Some(kind));
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
        assert_eq!(serde_json::from_str::<CommentTarget>(&json).unwrap(), kind);
    }
    // The cited kinds keep their citation names.
    assert_eq!(CommentTarget::Chronology.table(), Table::ChronologyEntry);
    assert_eq!(CommentTarget::Tor.table(), Table::TorItem);
    assert_eq!(CommentTarget::ALL.len(), 14);
    let err = "widget".parse::<CommentTarget>().unwrap_err();
    assert!(
        err.to_string().contains("panel_member, meeting, action"),
        "{err}"
    );
    assert_eq!(CommentTarget::parse("chronology_entry"), None);
}

#[test]
fn deleting_an_action_with_comments_is_refused_unless_cascade_and_undo_restores_them() {
    let mut f = fresh();
    let records = other_records(&mut f.review);
    let (_, action_id, _) = records.last().unwrap().clone();
    let comment = f
        .review
        .add_comment(
            CommentTarget::Action,
            &action_id,
            None,
            "Who signs this off?",
        )
        .unwrap();
    let err = f.review.delete_action(&action_id, false).unwrap_err();
    assert!(
        err.to_string().contains("1 comment is on this action"),
        "{err}"
    );
    assert!(f.review.action(&action_id).is_ok());
    f.review.delete_action(&action_id, true).unwrap();
    assert_eq!(f.review.stats().unwrap().rows(Table::Comment), 0);
    f.review.undo().unwrap();
    let back = f
        .review
        .comments_on(CommentTarget::Action, &action_id)
        .unwrap();
    assert_eq!(back[0].id, comment.id);
}

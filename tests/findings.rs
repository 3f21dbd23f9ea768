//! Themes and findings: F-numbers across themes, validation, guarded deletes, evidence and ToR
//! links, and undo / redo of each kind of edit.

use chrono::NaiveDate;
use threadline::model::chronology::ChronologyInput;
use threadline::model::comments::CommentTarget;
use threadline::model::findings::{EvidenceTarget, Finding, FindingInput, FindingKind, Relation};
use threadline::model::recommendations::RecommendationInput;
use threadline::model::sections::{Document, SectionInput};
use threadline::model::sources::{SourceInput, SourceKind};
use threadline::model::themes::ThemeInput;
use threadline::model::tor::{TorInput, TorKind};
use threadline::{Error, Table};

use crate::common::{fresh, Fixture};

fn theme(title: &str) -> ThemeInput {
    ThemeInput {
        title: title.into(),
        summary: String::new(),
    }
}

fn input(theme_id: Option<&str>, statement: &str) -> FindingInput {
    FindingInput {
        theme_id: theme_id.map(String::from),
        kind: FindingKind::Practice,
        statement: statement.into(),
        analysis: String::new(),
    }
}

fn add(f: &mut Fixture, theme_id: Option<&str>, statement: &str) -> Finding {
    f.review.add_finding(input(theme_id, statement)).unwrap()
}

/// (statement, number, theme id) of every finding in report order.
fn layout(f: &Fixture) -> Vec<(String, i64, Option<String>)> {
    f.review
        .findings()
        .unwrap()
        .into_iter()
        .map(|x| (x.statement, x.number, x.theme_id))
        .collect()
}

/// (statement, number) of every finding in report order.
fn numbers(f: &Fixture) -> Vec<(String, i64)> {
    layout(f).into_iter().map(|(s, n, _)| (s, n)).collect()
}

fn expect(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(s, n)| (s.to_string(), *n)).collect()
}

fn audit_len(f: &Fixture) -> usize {
    f.review.audit_log(1000).unwrap().len()
}

/// How many rows one table holds, as the review's own counts report it.
fn count(f: &Fixture, table: Table) -> i64 {
    f.review.stats().unwrap().rows(table)
}

/// Ids of evidence to link: two excerpts of one source paragraph and two chronology entries.
struct Evidence {
    ex1: String,
    ex2: String,
    ch1: String,
    ch2: String,
}

fn evidence(f: &mut Fixture) -> Evidence {
    let source = f
        .review
        .import_text(
            SourceInput {
                kind: SourceKind::Imr,
                title: "Police IMR".into(),
                ..SourceInput::default()
            },
            "Officers attended and no referral was made.",
        )
        .unwrap();
    let para = f.review.paragraphs(&source.id, 0, 1).unwrap().remove(0);
    let ex1 = f.review.add_excerpt(&para.id, 0, 17, "").unwrap();
    assert_eq!(ex1.quote, "Officers attended");
    let ex2 = f.review.add_excerpt(&para.id, 22, 42, "").unwrap();
    assert_eq!(ex2.quote, "no referral was made");
    let day = |d| NaiveDate::from_ymd_opt(2021, 3, d).unwrap();
    let ch1 = f
        .review
        .add_chronology_entry(ChronologyInput::new(day(4), "Police attend the flat"))
        .unwrap();
    let ch2 = f
        .review
        .add_chronology_entry(ChronologyInput::new(
            day(9),
            "Health visitor contact lapses",
        ))
        .unwrap();
    Evidence {
        ex1: ex1.id,
        ex2: ex2.id,
        ch1: ch1.id,
        ch2: ch2.id,
    }
}

// ---------------------------------------------------------------- numbering across themes

#[test]
fn findings_are_numbered_across_themes_in_theme_order_with_unthemed_last() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("Information sharing")).unwrap();
    let b = f.review.add_theme(theme("Voice of the child")).unwrap();
    let u1 = add(&mut f, None, "u1");
    assert_eq!(u1.number, 1);
    add(&mut f, Some(&b.id), "b1");
    add(&mut f, Some(&a.id), "a1");
    let a2 = add(&mut f, Some(&a.id), "a2");
    assert_eq!(a2.number, 2);
    assert_eq!(
        numbers(&f),
        expect(&[("a1", 1), ("a2", 2), ("b1", 3), ("u1", 4)])
    );
    let of_a: Vec<String> = f
        .review
        .findings_of_theme(&a.id)
        .unwrap()
        .into_iter()
        .map(|x| x.statement)
        .collect();
    assert_eq!(of_a, ["a1", "a2"]);
    let unthemed: Vec<String> = f
        .review
        .unthemed_findings()
        .unwrap()
        .into_iter()
        .map(|x| x.statement)
        .collect();
    assert_eq!(unthemed, ["u1"]);
    assert_eq!(f.review.finding(&u1.id).unwrap().number, 4);
    let err = f.review.findings_of_theme("no-such-theme").unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn reordering_themes_renumbers_findings_and_undo_restores_the_numbers() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let b = f.review.add_theme(theme("B")).unwrap();
    let c = f.review.add_theme(theme("C")).unwrap();
    add(&mut f, Some(&a.id), "a1");
    add(&mut f, Some(&b.id), "b1");
    add(&mut f, Some(&b.id), "b2");
    add(&mut f, Some(&c.id), "c1");
    f.review.move_theme(&c.id, 0).unwrap();
    let titles: Vec<String> = f
        .review
        .themes()
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles, ["C", "A", "B"]);
    assert_eq!(
        numbers(&f),
        expect(&[("c1", 1), ("a1", 2), ("b1", 3), ("b2", 4)])
    );
    assert_eq!(f.review.undo().unwrap(), "Reorder themes");
    let titles: Vec<String> = f
        .review
        .themes()
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles, ["A", "B", "C"]);
    assert_eq!(
        numbers(&f),
        expect(&[("a1", 1), ("b1", 2), ("b2", 3), ("c1", 4)])
    );
    f.review.redo().unwrap();
    assert_eq!(
        numbers(&f),
        expect(&[("c1", 1), ("a1", 2), ("b1", 3), ("b2", 4)])
    );
    // A move past the end is clamped to the last place.
    f.review.move_theme(&c.id, 99).unwrap();
    let titles: Vec<String> = f
        .review
        .themes()
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect();
    assert_eq!(titles, ["A", "B", "C"]);
    assert_eq!(
        f.review.move_theme("nope", 0).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn moving_a_finding_within_its_theme_renumbers_and_undo_restores_old_numbers() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let b = f.review.add_theme(theme("B")).unwrap();
    add(&mut f, Some(&a.id), "a1");
    add(&mut f, Some(&a.id), "a2");
    let a3 = add(&mut f, Some(&a.id), "a3");
    add(&mut f, Some(&b.id), "b1");
    f.review.move_finding(&a3.id, Some(&a.id), 0).unwrap();
    assert_eq!(
        numbers(&f),
        expect(&[("a3", 1), ("a1", 2), ("a2", 3), ("b1", 4)])
    );
    // Only the three findings of A moved; b1 kept F4 and is not in the log.
    let log = f.review.audit_log(1).unwrap();
    assert_eq!(log[0].summary, "Move F3");
    assert_eq!(log[0].rows.len(), 3);
    assert_eq!(f.review.undo().unwrap(), "Move F3");
    assert_eq!(
        numbers(&f),
        expect(&[("a1", 1), ("a2", 2), ("a3", 3), ("b1", 4)])
    );
    f.review.redo().unwrap();
    assert_eq!(
        numbers(&f),
        expect(&[("a3", 1), ("a1", 2), ("a2", 3), ("b1", 4)])
    );
}

#[test]
fn moving_a_finding_to_another_theme_or_out_of_themes_renumbers_everything_after() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let b = f.review.add_theme(theme("B")).unwrap();
    let a1 = add(&mut f, Some(&a.id), "a1");
    add(&mut f, Some(&a.id), "a2");
    add(&mut f, Some(&b.id), "b1");
    add(&mut f, Some(&b.id), "b2");
    add(&mut f, None, "u1");

    f.review.move_finding(&a1.id, Some(&b.id), 1).unwrap();
    assert_eq!(
        layout(&f),
        vec![
            ("a2".into(), 1, Some(a.id.clone())),
            ("b1".into(), 2, Some(b.id.clone())),
            ("a1".into(), 3, Some(b.id.clone())),
            ("b2".into(), 4, Some(b.id.clone())),
            ("u1".into(), 5, None),
        ]
    );

    f.review.move_finding(&a1.id, None, 0).unwrap();
    assert_eq!(
        layout(&f),
        vec![
            ("a2".into(), 1, Some(a.id.clone())),
            ("b1".into(), 2, Some(b.id.clone())),
            ("b2".into(), 3, Some(b.id.clone())),
            ("a1".into(), 4, None),
            ("u1".into(), 5, None),
        ]
    );

    // Undo both moves: a1 is back first in A with its old number.
    f.review.undo().unwrap();
    f.review.undo().unwrap();
    assert_eq!(
        layout(&f),
        vec![
            ("a1".into(), 1, Some(a.id.clone())),
            ("a2".into(), 2, Some(a.id.clone())),
            ("b1".into(), 3, Some(b.id.clone())),
            ("b2".into(), 4, Some(b.id.clone())),
            ("u1".into(), 5, None),
        ]
    );
    assert_eq!(f.review.finding(&a1.id).unwrap(), a1);
}

#[test]
fn moving_a_finding_into_a_theme_past_its_end_puts_it_last() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let b = f.review.add_theme(theme("B")).unwrap();
    let a1 = add(&mut f, Some(&a.id), "a1");
    add(&mut f, Some(&b.id), "b1");
    f.review.move_finding(&a1.id, Some(&b.id), 50).unwrap();
    assert_eq!(numbers(&f), expect(&[("b1", 1), ("a1", 2)]));
    assert!(f.review.findings_of_theme(&a.id).unwrap().is_empty());
}

#[test]
fn moving_a_finding_to_an_unknown_theme_is_refused_and_changes_nothing() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let a1 = add(&mut f, Some(&a.id), "a1");
    let before = audit_len(&f);
    let err = f.review.move_finding(&a1.id, Some("ghost"), 0).unwrap_err();
    assert!(
        matches!(err, Error::NotFound { kind: "theme", .. }),
        "{err}"
    );
    let err = f.review.move_finding("ghost", None, 0).unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: "finding",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(audit_len(&f), before);
    assert_eq!(f.review.finding(&a1.id).unwrap(), a1);
}

#[test]
fn rethemeing_a_finding_by_editing_it_puts_it_last_in_the_new_theme() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let b = f.review.add_theme(theme("B")).unwrap();
    let a1 = add(&mut f, Some(&a.id), "a1");
    add(&mut f, Some(&a.id), "a2");
    add(&mut f, Some(&b.id), "b1");
    let mut changed = input(Some(&b.id), "a1, now about the voice of the child");
    changed.kind = FindingKind::Systemic;
    changed.analysis = "  Because nobody asked.  ".into();
    let updated = f.review.update_finding(&a1.id, changed).unwrap();
    assert_eq!(updated.number, 3);
    assert_eq!(updated.kind, FindingKind::Systemic);
    assert_eq!(updated.analysis, "Because nobody asked.");
    assert_eq!(
        numbers(&f),
        expect(&[
            ("a2", 1),
            ("b1", 2),
            ("a1, now about the voice of the child", 3)
        ])
    );
    assert_eq!(f.review.undo().unwrap(), "Edit F1");
    assert_eq!(f.review.finding(&a1.id).unwrap(), a1);
    assert_eq!(numbers(&f), expect(&[("a1", 1), ("a2", 2), ("b1", 3)]));
}

#[test]
fn editing_a_finding_without_changing_its_theme_keeps_its_place() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let a1 = add(&mut f, Some(&a.id), "a1");
    add(&mut f, Some(&a.id), "a2");
    let updated = f
        .review
        .update_finding(&a1.id, input(Some(&a.id), "  a1 reworded "))
        .unwrap();
    assert_eq!(updated.statement, "a1 reworded");
    assert_eq!(numbers(&f), expect(&[("a1 reworded", 1), ("a2", 2)]));
    assert_eq!(f.review.audit_log(1).unwrap()[0].rows.len(), 1);
}

#[test]
fn deleting_a_finding_renumbers_those_after_it_and_undo_brings_it_back() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let b = f.review.add_theme(theme("B")).unwrap();
    add(&mut f, Some(&a.id), "a1");
    let a2 = add(&mut f, Some(&a.id), "a2");
    add(&mut f, Some(&a.id), "a3");
    add(&mut f, Some(&b.id), "b1");
    f.review.delete_finding(&a2.id, false).unwrap();
    assert_eq!(numbers(&f), expect(&[("a1", 1), ("a3", 2), ("b1", 3)]));
    assert!(matches!(
        f.review.finding(&a2.id),
        Err(Error::NotFound {
            kind: "finding",
            ..
        })
    ));
    // Positions within the theme closed up too: a new finding lands straight after a3.
    add(&mut f, Some(&a.id), "a4");
    assert_eq!(
        numbers(&f),
        expect(&[("a1", 1), ("a3", 2), ("a4", 3), ("b1", 4)])
    );
    f.review.undo().unwrap();
    assert_eq!(f.review.undo().unwrap(), "Delete F2");
    assert_eq!(f.review.finding(&a2.id).unwrap(), a2);
    assert_eq!(
        numbers(&f),
        expect(&[("a1", 1), ("a2", 2), ("a3", 3), ("b1", 4)])
    );
    f.review.redo().unwrap();
    assert_eq!(numbers(&f), expect(&[("a1", 1), ("a3", 2), ("b1", 3)]));
}

// ---------------------------------------------------------------- validation

#[test]
fn a_finding_needs_a_statement_and_a_real_theme_and_bad_input_changes_nothing() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let a1 = add(&mut f, Some(&a.id), "a1");
    let before = audit_len(&f);

    let err = f
        .review
        .add_finding(input(Some(&a.id), "  \n "))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(err.to_string(), "statement: must not be empty");
    let err = f.review.add_finding(input(Some("ghost"), "x")).unwrap_err();
    assert_eq!(err.to_string(), "no theme with id ghost");
    let err = f
        .review
        .update_finding(&a1.id, input(Some(&a.id), ""))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let err = f
        .review
        .update_finding(&a1.id, input(Some("ghost"), "x"))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = f
        .review
        .update_finding("ghost", input(None, "x"))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: "finding",
                ..
            }
        ),
        "{err}"
    );

    assert_eq!(audit_len(&f), before);
    assert_eq!(f.review.findings().unwrap(), vec![a1]);
}

#[test]
fn a_theme_needs_a_title_unique_whatever_its_case() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("  Information sharing ")).unwrap();
    assert_eq!(a.title, "Information sharing");
    let b = f.review.add_theme(theme("Voice of the child")).unwrap();
    let before = audit_len(&f);

    let err = f.review.add_theme(theme(" ")).unwrap_err();
    assert_eq!(err.to_string(), "title: must not be empty");
    let err = f
        .review
        .add_theme(theme("INFORMATION SHARING"))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        "title: a theme called 'Information sharing' already exists"
    );
    let err = f
        .review
        .update_theme(&b.id, theme("information sharing"))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    let err = f.review.update_theme("ghost", theme("x")).unwrap_err();
    assert!(
        matches!(err, Error::NotFound { kind: "theme", .. }),
        "{err}"
    );
    assert_eq!(audit_len(&f), before);
    assert_eq!(f.review.themes().unwrap(), vec![a.clone(), b]);

    // A theme may keep its own title, in another case.
    let renamed = f
        .review
        .update_theme(
            &a.id,
            ThemeInput {
                title: "Information Sharing".into(),
                summary: " Who knew what, and when. ".into(),
            },
        )
        .unwrap();
    assert_eq!(renamed.title, "Information Sharing");
    assert_eq!(renamed.summary, "Who knew what, and when.");
    assert_eq!(f.review.undo().unwrap(), "Edit theme");
    assert_eq!(f.review.theme(&a.id).unwrap(), a);
}

#[test]
fn themes_can_be_added_edited_moved_and_deleted_with_undo() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let b = f.review.add_theme(theme("B")).unwrap();
    f.review.move_theme(&b.id, 0).unwrap();
    assert_eq!(f.review.themes().unwrap(), vec![b.clone(), a.clone()]);
    f.review.delete_theme(&b.id, false).unwrap();
    assert_eq!(f.review.themes().unwrap(), vec![a.clone()]);
    assert_eq!(f.review.undo().unwrap(), "Delete theme 'B'");
    assert_eq!(f.review.themes().unwrap(), vec![b.clone(), a.clone()]);
    f.review.undo().unwrap();
    assert_eq!(f.review.themes().unwrap(), vec![a.clone(), b.clone()]);
    f.review.undo().unwrap();
    assert_eq!(f.review.undo().unwrap(), "Add theme");
    assert!(f.review.themes().unwrap().is_empty());
    f.review.redo().unwrap();
    assert_eq!(f.review.themes().unwrap(), vec![a]);
}

// ---------------------------------------------------------------- guarded deletes

#[test]
fn deleting_a_theme_with_findings_is_refused_with_a_count() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("Information sharing")).unwrap();
    for s in ["a1", "a2", "a3", "a4"] {
        add(&mut f, Some(&a.id), s);
    }
    let before = audit_len(&f);
    let err = f.review.delete_theme(&a.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete theme 'Information sharing': 4 findings belong to this theme"
    );
    assert_eq!(audit_len(&f), before);
    assert_eq!(f.review.themes().unwrap().len(), 1);

    let b = f.review.add_theme(theme("Single")).unwrap();
    add(&mut f, Some(&b.id), "b1");
    let err = f.review.delete_theme(&b.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete theme 'Single': 1 finding belongs to this theme"
    );
}

#[test]
fn cascading_a_theme_delete_keeps_its_findings_without_a_theme() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let b = f.review.add_theme(theme("B")).unwrap();
    let a1 = add(&mut f, Some(&a.id), "a1");
    add(&mut f, Some(&a.id), "a2");
    add(&mut f, Some(&b.id), "b1");
    add(&mut f, None, "u1");
    f.review
        .add_comment(CommentTarget::Theme, &a.id, None, "Merge with B?")
        .unwrap();
    let err = f.review.delete_theme(&a.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete theme 'A': 2 findings belong to this theme; \
         1 comment is on this theme"
    );

    f.review.delete_theme(&a.id, true).unwrap();
    assert_eq!(f.review.themes().unwrap(), vec![b.clone()]);
    assert_eq!(
        layout(&f),
        vec![
            ("b1".into(), 1, Some(b.id.clone())),
            ("u1".into(), 2, None),
            ("a1".into(), 3, None),
            ("a2".into(), 4, None),
        ]
    );
    // The comment went with the theme; the theme's findings are still there.
    assert_eq!(count(&f, Table::Comment), 0);
    f.review.delete_theme(&b.id, true).unwrap();
    assert_eq!(f.review.findings().unwrap().len(), 4);

    f.review.undo().unwrap();
    assert_eq!(f.review.undo().unwrap(), "Delete theme 'A'");
    assert_eq!(f.review.themes().unwrap(), vec![a.clone(), b.clone()]);
    assert_eq!(f.review.finding(&a1.id).unwrap(), a1);
    assert_eq!(
        numbers(&f),
        expect(&[("a1", 1), ("a2", 2), ("b1", 3), ("u1", 4)])
    );
    assert_eq!(
        f.review.comments_on(CommentTarget::Theme, &a.id).unwrap()[0].body,
        "Merge with B?"
    );
    let err = f.review.delete_theme(&a.id, false).unwrap_err();
    assert!(
        err.to_string().contains("1 comment is on this theme"),
        "{err}"
    );
}

/// Two themed findings; the first is backed by two recommendations, cited by a section and
/// commented on (with a reply).
fn finding_in_use() -> (Fixture, Finding, Finding) {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let used = add(&mut f, Some(&a.id), "used");
    let spare = add(&mut f, Some(&a.id), "spare");
    for text in ["Share the plan", "Train the staff"] {
        let rec = f
            .review
            .add_recommendation(RecommendationInput {
                text: text.into(),
                ..RecommendationInput::default()
            })
            .unwrap();
        f.review.link_finding(&rec.id, &used.id).unwrap();
    }
    f.review
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Analysis".into(),
            body: format!("As [[finding:{}]] shows.", used.id),
        })
        .unwrap();
    let thread = f
        .review
        .add_comment(CommentTarget::Finding, &used.id, None, "Too strong?")
        .unwrap();
    f.review.reply(&thread.id, "Softened.").unwrap();
    (f, used, spare)
}

#[test]
fn deleting_a_finding_others_rest_on_is_refused_with_what_cites_it() {
    let (mut f, used, _) = finding_in_use();
    let before = audit_len(&f);
    let err = f.review.delete_finding(&used.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete F1: 2 recommendations rest on this finding; \
         1 report section cites this finding; 2 comments are on this finding"
    );
    assert_eq!(audit_len(&f), before);
    assert_eq!(f.review.finding(&used.id).unwrap(), used);
    assert_eq!(count(&f, Table::RecommendationFinding), 2);
}

#[test]
fn cascading_a_finding_delete_removes_its_links_and_comments_and_undo_restores_them() {
    let (mut f, used, spare) = finding_in_use();
    let ev = evidence(&mut f);
    let tor = f
        .review
        .add_tor(TorInput {
            kind: TorKind::Generic,
            text: "Was information shared?".into(),
            out_of_scope_reason: None,
        })
        .unwrap();
    f.review.link_tor(&used.id, &tor.id).unwrap();
    f.review
        .link_evidence(
            &used.id,
            EvidenceTarget::Excerpt(ev.ex1.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    let used = f.review.finding(&used.id).unwrap();
    let tally = |f: &Fixture| {
        [
            Table::RecommendationFinding,
            Table::Comment,
            Table::EvidenceLink,
            Table::FindingTor,
            Table::Recommendation,
            Table::Section,
            Table::Excerpt,
        ]
        .map(|table| count(f, table))
    };
    assert_eq!(tally(&f), [2, 2, 1, 1, 2, 1, 2]);

    f.review.delete_finding(&used.id, true).unwrap();
    // Links and comments went; the recommendations, the section and the excerpt stay.
    assert_eq!(tally(&f), [0, 0, 0, 0, 2, 1, 2]);
    assert_eq!(numbers(&f), expect(&[("spare", 1)]));
    assert_eq!(f.review.finding(&spare.id).unwrap().number, 1);

    assert_eq!(f.review.undo().unwrap(), "Delete F1");
    assert_eq!(tally(&f), [2, 2, 1, 1, 2, 1, 2]);
    assert_eq!(f.review.finding(&used.id).unwrap(), used);
    assert_eq!(numbers(&f), expect(&[("used", 1), ("spare", 2)]));
    f.review.redo().unwrap();
    assert_eq!(tally(&f), [0, 0, 0, 0, 2, 1, 2]);
}

#[test]
fn a_finding_with_only_evidence_and_tor_links_deletes_without_cascade() {
    let mut f = fresh();
    let ev = evidence(&mut f);
    let x = add(&mut f, None, "x");
    let tor = f
        .review
        .add_tor(TorInput {
            kind: TorKind::CaseSpecific,
            text: "Risk".into(),
            out_of_scope_reason: None,
        })
        .unwrap();
    f.review.link_tor(&x.id, &tor.id).unwrap();
    f.review
        .link_evidence(
            &x.id,
            EvidenceTarget::Chronology(ev.ch1.clone()),
            Relation::Context,
            "",
        )
        .unwrap();
    f.review.delete_finding(&x.id, false).unwrap();
    assert!(f.review.findings().unwrap().is_empty());
    assert_eq!(count(&f, Table::EvidenceLink), 0);
    assert_eq!(count(&f, Table::FindingTor), 0);
    // The ToR item itself can now go without cascading.
    f.review.delete_tor(&tor.id, false).unwrap();
    assert_eq!(count(&f, Table::ChronologyEntry), 2);
    assert!(matches!(
        f.review.delete_finding(&x.id, true),
        Err(Error::NotFound {
            kind: "finding",
            ..
        })
    ));
}

// ---------------------------------------------------------------- evidence links

#[test]
fn evidence_links_to_excerpts_and_chronology_are_counted_edited_and_undone() {
    let mut f = fresh();
    let ev = evidence(&mut f);
    let x = add(&mut f, None, "x");
    let l1 = f
        .review
        .link_evidence(
            &x.id,
            EvidenceTarget::Excerpt(ev.ex1.clone()),
            Relation::Supports,
            "  the officers saw the bruise ",
        )
        .unwrap();
    assert_eq!(l1.finding_id, x.id);
    assert_eq!(l1.excerpt_id.as_deref(), Some(ev.ex1.as_str()));
    assert_eq!(l1.chronology_id, None);
    assert_eq!(l1.note, "the officers saw the bruise");
    let l2 = f
        .review
        .link_evidence(
            &x.id,
            EvidenceTarget::Chronology(ev.ch2.clone()),
            Relation::Contradicts,
            "",
        )
        .unwrap();
    assert_eq!(l2.chronology_id.as_deref(), Some(ev.ch2.as_str()));
    assert_eq!(l2.excerpt_id, None);
    assert_eq!(
        f.review.evidence_of(&x.id).unwrap(),
        vec![l1.clone(), l2.clone()]
    );
    assert_eq!(f.review.finding(&x.id).unwrap().evidence_count, 2);
    assert_eq!(f.review.findings().unwrap()[0].evidence_count, 2);

    let edited = f
        .review
        .update_evidence(&l2.id, Relation::Context, "background only")
        .unwrap();
    assert_eq!(edited.relation, Relation::Context);
    assert_eq!(edited.note, "background only");
    assert_eq!(f.review.undo().unwrap(), "Edit evidence link");
    assert_eq!(f.review.evidence_link(&l2.id).unwrap(), l2);

    f.review.unlink_evidence(&l1.id).unwrap();
    assert_eq!(f.review.evidence_of(&x.id).unwrap(), vec![l2.clone()]);
    assert_eq!(f.review.finding(&x.id).unwrap().evidence_count, 1);
    assert_eq!(f.review.undo().unwrap(), "Unlink evidence from F1");
    assert_eq!(
        f.review.evidence_of(&x.id).unwrap(),
        vec![l1.clone(), l2.clone()]
    );

    f.review.undo().unwrap();
    assert_eq!(f.review.undo().unwrap(), "Link evidence to F1");
    assert!(f.review.evidence_of(&x.id).unwrap().is_empty());
    f.review.redo().unwrap();
    assert_eq!(f.review.evidence_of(&x.id).unwrap(), vec![l1]);
}

#[test]
fn the_same_evidence_cannot_back_a_finding_twice_but_may_back_another() {
    let mut f = fresh();
    let ev = evidence(&mut f);
    let x = add(&mut f, None, "x");
    let y = add(&mut f, None, "y");
    f.review
        .link_evidence(
            &x.id,
            EvidenceTarget::Excerpt(ev.ex1.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    f.review
        .link_evidence(
            &x.id,
            EvidenceTarget::Chronology(ev.ch1.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    let before = audit_len(&f);
    let err = f
        .review
        .link_evidence(
            &x.id,
            EvidenceTarget::Excerpt(ev.ex1.clone()),
            Relation::Context,
            "",
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        "target: this excerpt is already linked to F1; edit that link instead"
    );
    let err = f
        .review
        .link_evidence(
            &x.id,
            EvidenceTarget::Chronology(ev.ch1.clone()),
            Relation::Context,
            "",
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "target: this chronology entry is already linked to F1; edit that link instead"
    );
    assert_eq!(audit_len(&f), before);
    assert_eq!(f.review.evidence_of(&x.id).unwrap().len(), 2);
    // Another excerpt of the same paragraph, and the same excerpt for another finding, are fine.
    f.review
        .link_evidence(
            &x.id,
            EvidenceTarget::Excerpt(ev.ex2.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    f.review
        .link_evidence(
            &y.id,
            EvidenceTarget::Excerpt(ev.ex1.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    assert_eq!(f.review.finding(&x.id).unwrap().evidence_count, 3);
    assert_eq!(f.review.finding(&y.id).unwrap().evidence_count, 1);
}

#[test]
fn evidence_must_point_at_things_that_exist() {
    let mut f = fresh();
    let ev = evidence(&mut f);
    let x = add(&mut f, None, "x");
    let before = audit_len(&f);
    let err = f
        .review
        .link_evidence(
            &x.id,
            EvidenceTarget::Excerpt(ev.ch1.clone()),
            Relation::Supports,
            "",
        )
        .unwrap_err();
    assert_eq!(err.to_string(), format!("no excerpt with id {}", ev.ch1));
    let err = f
        .review
        .link_evidence(
            &x.id,
            EvidenceTarget::Chronology(ev.ex1.clone()),
            Relation::Supports,
            "",
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("no chronology entry with id {}", ev.ex1)
    );
    let err = f
        .review
        .link_evidence(
            "ghost",
            EvidenceTarget::Excerpt(ev.ex1.clone()),
            Relation::Supports,
            "",
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "no finding with id ghost");
    let err = f
        .review
        .update_evidence("ghost", Relation::Supports, "")
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: "evidence link",
                ..
            }
        ),
        "{err}"
    );
    let err = f.review.unlink_evidence("ghost").unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = f.review.evidence_of("ghost").unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(audit_len(&f), before);
    assert_eq!(count(&f, Table::EvidenceLink), 0);
}

#[test]
fn evidence_targets_serialise_as_a_kind_and_an_id() {
    let json = serde_json::to_string(&EvidenceTarget::Excerpt("e1".into())).unwrap();
    assert_eq!(json, r#"{"kind":"excerpt","id":"e1"}"#);
    let back: EvidenceTarget = serde_json::from_str(r#"{"kind":"chronology","id":"c9"}"#).unwrap();
    assert_eq!(back, EvidenceTarget::Chronology("c9".into()));
    assert_eq!(
        serde_json::to_string(&Relation::Contradicts).unwrap(),
        r#""contradicts""#
    );
    assert_eq!(
        "good_practice".parse::<FindingKind>().unwrap(),
        FindingKind::GoodPractice
    );
    assert!("bad".parse::<Relation>().is_err());
}

// ---------------------------------------------------------------- ToR links

fn tor(f: &mut Fixture, text: &str) -> String {
    f.review
        .add_tor(TorInput {
            kind: TorKind::CaseSpecific,
            text: text.into(),
            out_of_scope_reason: None,
        })
        .unwrap()
        .id
}

#[test]
fn linking_a_finding_to_a_tor_item_twice_is_a_no_op() {
    let mut f = fresh();
    let x = add(&mut f, None, "x");
    let t1 = tor(&mut f, "one");
    let t2 = tor(&mut f, "two");
    f.review.link_tor(&x.id, &t2).unwrap();
    f.review.link_tor(&x.id, &t1).unwrap();
    let before = audit_len(&f);
    f.review.link_tor(&x.id, &t1).unwrap();
    assert_eq!(audit_len(&f), before, "a repeated link logs nothing");
    // Listed in ToR order, not link order; reordering ToR reorders them.
    assert_eq!(
        f.review.finding(&x.id).unwrap().tor_ids,
        [t1.clone(), t2.clone()]
    );
    f.review.move_tor(&t2, 0).unwrap();
    assert_eq!(
        f.review.findings().unwrap()[0].tor_ids,
        [t2.clone(), t1.clone()]
    );
    assert_eq!(count(&f, Table::FindingTor), 2);

    f.review.unlink_tor(&x.id, &t2).unwrap();
    assert_eq!(f.review.finding(&x.id).unwrap().tor_ids, vec![t1.clone()]);
    assert_eq!(f.review.undo().unwrap(), "Unlink F1 from ToR 1");
    assert_eq!(
        f.review.finding(&x.id).unwrap().tor_ids,
        [t2.clone(), t1.clone()]
    );
    // Unlinking a pair that is not linked changes nothing.
    let y = add(&mut f, None, "y");
    let before = audit_len(&f);
    f.review.unlink_tor(&y.id, &t1).unwrap();
    assert_eq!(audit_len(&f), before);
}

#[test]
fn tor_links_need_a_real_finding_and_tor_item() {
    let mut f = fresh();
    let x = add(&mut f, None, "x");
    let t1 = tor(&mut f, "one");
    let before = audit_len(&f);
    let err = f.review.link_tor(&x.id, "ghost").unwrap_err();
    assert_eq!(err.to_string(), "no term of reference with id ghost");
    let err = f.review.link_tor("ghost", &t1).unwrap_err();
    assert_eq!(err.to_string(), "no finding with id ghost");
    let err = f.review.unlink_tor(&x.id, "ghost").unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = f
        .review
        .set_finding_tors(&x.id, &[t1.clone(), "ghost".into()])
        .unwrap_err();
    assert_eq!(err.to_string(), "no term of reference with id ghost");
    assert_eq!(audit_len(&f), before);
    assert!(f.review.finding(&x.id).unwrap().tor_ids.is_empty());
}

#[test]
fn setting_a_findings_tor_items_replaces_the_set_in_one_undoable_change() {
    let mut f = fresh();
    let x = add(&mut f, None, "x");
    let t1 = tor(&mut f, "one");
    let t2 = tor(&mut f, "two");
    let t3 = tor(&mut f, "three");
    f.review.link_tor(&x.id, &t1).unwrap();
    f.review.link_tor(&x.id, &t2).unwrap();
    let before = audit_len(&f);

    let updated = f
        .review
        .set_finding_tors(&x.id, &[t3.clone(), t2.clone(), t3.clone()])
        .unwrap();
    assert_eq!(updated.tor_ids, [t2.clone(), t3.clone()]);
    assert_eq!(audit_len(&f), before + 1);
    // t2's link row was kept, not replaced: the change touched only t1's and t3's rows.
    assert_eq!(f.review.audit_log(1).unwrap()[0].rows.len(), 2);

    assert_eq!(f.review.undo().unwrap(), "Set the ToR answered by F1");
    assert_eq!(
        f.review.finding(&x.id).unwrap().tor_ids,
        [t1.clone(), t2.clone()]
    );
    f.review.redo().unwrap();
    assert_eq!(f.review.finding(&x.id).unwrap().tor_ids, [t2, t3]);

    f.review.set_finding_tors(&x.id, &[]).unwrap();
    assert!(f.review.finding(&x.id).unwrap().tor_ids.is_empty());
    assert_eq!(count(&f, Table::FindingTor), 0);
}

#[test]
fn a_tor_item_answered_by_a_finding_is_guarded_by_that_link() {
    let mut f = fresh();
    let x = add(&mut f, None, "x");
    let t1 = tor(&mut f, "one");
    f.review.link_tor(&x.id, &t1).unwrap();
    let err = f.review.delete_tor(&t1, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete ToR 1: 1 finding answers this term of reference"
    );
    f.review.delete_tor(&t1, true).unwrap();
    assert!(f.review.finding(&x.id).unwrap().tor_ids.is_empty());
}

// ---------------------------------------------------------------- undo of adds and edits

#[test]
fn undoing_an_add_removes_the_finding_and_renumbers_back() {
    let mut f = fresh();
    let a = f.review.add_theme(theme("A")).unwrap();
    let u1 = add(&mut f, None, "u1");
    let a1 = add(&mut f, Some(&a.id), "a1");
    assert_eq!(numbers(&f), expect(&[("a1", 1), ("u1", 2)]));
    assert_eq!(f.review.undo().unwrap(), "Add finding");
    assert_eq!(f.review.findings().unwrap(), vec![u1]);
    f.review.redo().unwrap();
    assert_eq!(f.review.finding(&a1.id).unwrap(), a1);
    assert_eq!(numbers(&f), expect(&[("a1", 1), ("u1", 2)]));
}

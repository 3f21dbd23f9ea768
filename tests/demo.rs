//! The bundled demo review ("Child R") is complete, consistent and reproducible, and a case
//! file whose references do not resolve is refused with an error naming the reference.

use std::path::Path;

use threadline::demo::{build_case, build_demo, DEMO_CASE, DEMO_SOURCES};
use threadline::model::chronology::{ChronologyFilter, Period, Significance};
use threadline::model::details::ReviewType;
use threadline::model::sections::{scan_citations, Document};
use threadline::model::sources::SourceKind;
use threadline::{Error, Review};

use crate::common::ctx;

/// Builds the demo into `dir/name` with the tests' fixed context.
fn build(dir: &Path, name: &str) -> Review {
    build_demo(&dir.join(name), ctx()).expect("demo builds")
}

/// Builds a changed copy of the demo case; returns the error it must fail with.
fn build_altered(from: &str, to: &str) -> (Error, bool) {
    assert!(
        DEMO_CASE.contains(from),
        "the demo case no longer holds {from:?}"
    );
    let case = DEMO_CASE.replacen(from, to, 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.threadline");
    let err = build_case(&path, ctx(), &case, DEMO_SOURCES).expect_err("must be refused");
    (err, path.exists())
}

#[test]
fn demo_review_has_the_promised_shape() {
    let dir = tempfile::tempdir().unwrap();
    let review = build(dir.path(), "demo.threadline");

    let details = review.details().unwrap();
    assert_eq!(details.review_type, ReviewType::Cspr);
    assert!(details.board.contains("Northmoor"));
    assert!(details.review_period_start.is_some() && details.context_period_start.is_some());

    assert!(review.agencies().unwrap().len() >= 6);
    let people = review.people().unwrap();
    let child = people.iter().find(|p| p.pseudonym == "Child R").unwrap();
    assert_ne!(child.real_name, "Child R");
    assert!(review.panel_members().unwrap().len() >= 5);
    assert!(review.meetings().unwrap().len() >= 2);

    let sources = review.sources().unwrap();
    assert_eq!(sources.len(), 6);
    assert_eq!(
        sources
            .iter()
            .filter(|s| s.kind == SourceKind::HealthOverview)
            .count(),
        1
    );
    assert!(sources
        .iter()
        .all(|s| (40..=80).contains(&s.paragraph_count)));
    assert!(sources.iter().map(|s| s.paragraph_count).sum::<i64>() >= 250);
    let police = sources.iter().find(|s| s.title.contains("Police")).unwrap();
    let paras = review.paragraphs(&police.id, 0, 1000).unwrap();
    let labelled = paras.iter().find(|p| p.label.as_deref() == Some("4.2.4"));
    assert!(labelled.unwrap().text.contains("DASH"));
    assert!(paras.iter().any(|p| p.heading_level == 1));
    assert!(paras.iter().any(|p| p.heading_level == 2));

    let chronology = review.chronology(&ChronologyFilter::default()).unwrap();
    assert!(chronology.len() >= 60, "{} entries", chronology.len());
    assert!(chronology.iter().any(|e| e.period == Period::Review));
    assert!(chronology.iter().any(|e| e.period == Period::Context));
    assert!(chronology.iter().all(|e| e.period != Period::Outside));
    let episodes = chronology
        .iter()
        .filter(|e| e.significance == Significance::KeyPracticeEpisode)
        .count();
    assert!(episodes >= 3);
    let missed: Vec<_> = chronology.iter().filter(|e| e.missed_opportunity).collect();
    assert!(missed.len() >= 3);
    assert!(missed.iter().all(|e| !e.missed_rationale.is_empty()));
    // Entries that name a paragraph say where it is in words too.
    let located = chronology.iter().filter(|e| e.paragraph_id.is_some());
    assert!(located.clone().count() >= 60);
    assert!(located
        .into_iter()
        .all(|e| e.source_locator.contains(" para ")));

    let tors = review.tor_items().unwrap();
    assert!(tors.len() >= 10);
    assert_eq!(review.themes().unwrap().len(), 5);

    let findings = review.findings().unwrap();
    assert!(findings.len() >= 15);
    for f in &findings {
        assert!(f.evidence_count >= 1, "F{} has no evidence", f.number);
        assert!(f.theme_id.is_some(), "F{} has no theme", f.number);
    }
    for f in &findings {
        for link in review.evidence_of(&f.id).unwrap() {
            if let Some(x) = link.excerpt_id {
                assert!(review.excerpt_is_current(&x).unwrap());
            }
        }
    }

    for row in review.tor_coverage().unwrap() {
        assert!(!row.findings.is_empty(), "ToR {} is unanswered", row.number);
        assert!(row.evidence_count > 0);
    }

    let recommendations = review.recommendations().unwrap();
    assert!(recommendations.len() >= 12);
    for r in &recommendations {
        assert!(!r.actions.is_empty(), "R{} has no actions", r.number);
        assert!(!r.finding_ids.is_empty(), "R{} has no findings", r.number);
    }
    let updates: usize = recommendations
        .iter()
        .flat_map(|r| &r.actions)
        .map(|a| a.updates.len())
        .sum();
    assert!(updates >= 3);

    for document in [Document::Overview, Document::Summary] {
        let sections = review.sections(document).unwrap();
        assert!(!sections.is_empty());
        let mut cited = 0;
        for s in &sections {
            let scan = scan_citations(&s.body);
            assert!(scan.errors.is_empty(), "{}: {:?}", s.heading, scan.errors);
            assert!(!s.body.contains("{{"), "{} kept a placeholder", s.heading);
            cited += scan.citations.len();
        }
        assert!(cited >= 10, "{document:?} has {cited} citations");
        assert!(review.broken_citations(document).unwrap().is_empty());
    }

    assert!(!review.open_comments().unwrap().is_empty());
}

#[test]
fn demo_keeps_its_content_when_closed_and_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.threadline");
    let review = build_demo(&path, ctx()).unwrap();
    let findings = review.findings().unwrap();
    review.close().unwrap();
    let review = Review::open(&path, ctx()).unwrap();
    assert_eq!(review.findings().unwrap(), findings);
    assert_eq!(review.sources().unwrap().len(), 6);
}

#[test]
fn building_twice_with_the_same_context_gives_identical_dumps() {
    let dir = tempfile::tempdir().unwrap();
    let a = build(dir.path(), "a.threadline");
    let b = build(dir.path(), "b.threadline");
    let dump_a = threadline::interchange::dump(&a).unwrap();
    let dump_b = threadline::interchange::dump(&b).unwrap();
    assert!(dump_a.contains("Child R"));
    assert_eq!(dump_a, dump_b);
}

#[test]
fn building_the_demo_leaves_only_the_review_and_no_backups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.threadline");
    let review = build_demo(&path, ctx()).unwrap();
    assert!(review.snapshots().unwrap().is_empty());
    review.close().unwrap();
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["demo.threadline".to_owned()]);
}

#[test]
fn demo_refuses_to_overwrite_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("taken.threadline");
    std::fs::write(&path, b"someone's notes").unwrap();
    let err = build_demo(&path, ctx()).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"someone's notes");
}

#[test]
fn a_quote_missing_from_its_paragraph_is_refused_by_name_and_no_file_is_made() {
    let (err, made) = build_altered(
        "\"quote\": \"The children were not seen.\"",
        "\"quote\": \"The children were seen.\"",
    );
    let msg = err.to_string();
    assert!(msg.contains("finding F1"), "{msg}");
    assert!(msg.contains("The children were seen."), "{msg}");
    assert!(msg.contains("4.2.5 of police_imr.txt"), "{msg}");
    assert!(!made);
}

#[test]
fn an_unknown_paragraph_label_is_refused_by_name() {
    let (err, made) = build_altered("\"para\": \"4.2.17\"", "\"para\": \"4.2.71\"");
    let msg = err.to_string();
    assert!(msg.contains("chronology C68"), "{msg}");
    assert!(
        msg.contains("no paragraph labelled '4.2.71' in csc_imr.txt"),
        "{msg}"
    );
    assert!(!made);
}

#[test]
fn an_unknown_key_in_a_section_citation_is_refused_by_name() {
    let (err, made) = build_altered("{{finding:F28}}", "{{finding:F99}}");
    let msg = err.to_string();
    assert!(msg.contains("section '11. Conclusions'"), "{msg}");
    assert!(msg.contains("no finding has the key 'F99'"), "{msg}");
    assert!(!made);
}

#[test]
fn unknown_keys_in_evidence_recommendations_and_chronology_are_refused() {
    let (err, _) = build_altered("{\"chronology\": \"C36\"}", "{\"chronology\": \"C360\"}");
    assert!(err
        .to_string()
        .contains("no chronology entry has the key 'C360'"));
    let (err, _) = build_altered(
        "\"findings\": [\"F2\", \"F1\", \"F16\"]",
        "\"findings\": [\"F2\", \"F1\", \"F61\"]",
    );
    assert!(err.to_string().contains("recommendation R1"), "{err}");
    let (err, _) = build_altered(
        "\"people\": [\"M\", \"D\", \"S1\"]",
        "\"people\": [\"Mum\"]",
    );
    assert!(
        err.to_string().contains("no person has the key 'Mum'"),
        "{err}"
    );
}

#[test]
fn a_duplicated_key_or_missing_source_text_is_refused() {
    let (err, _) = build_altered("{\"key\": \"C02\"", "{\"key\": \"C01\"");
    assert!(
        err.to_string()
            .contains("'C01' is used by more than one chronology entry"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.threadline");
    let err = build_case(&path, ctx(), DEMO_CASE, &DEMO_SOURCES[1..]).unwrap_err();
    assert!(
        err.to_string()
            .contains("no source text named 'csc_imr.txt'"),
        "{err}"
    );
    assert!(!path.exists());
}

#[test]
fn a_record_the_model_rejects_fails_the_build_and_removes_the_file() {
    // The plan cannot see this: the model refuses a blank ToR text after the file is made.
    let (err, made) = build_altered(
        "\"text\": \"How were the concerns of the extended family heard and acted upon?\"",
        "\"text\": \"   \"",
    );
    assert_eq!(err.code(), "invalid", "{err}");
    assert!(!made);
}

#[test]
fn the_demo_arrives_finished_so_undo_has_nothing_to_take_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut review = build(dir.path(), "demo.threadline");
    let findings = review.findings().unwrap().len();
    assert!(matches!(review.undo(), Err(Error::NothingToUndo)));
    assert_eq!(review.findings().unwrap().len(), findings);
    // Its making is still in the audit log.
    assert!(review.audit_log(10).unwrap().len() == 10);
    // The user's own edits undo as usual.
    let first = review.tor_items().unwrap()[0].clone();
    review.move_tor(&first.id, 3).unwrap();
    review.undo().unwrap();
    assert_eq!(review.tor_items().unwrap()[0].id, first.id);
    assert!(matches!(review.undo(), Err(Error::NothingToUndo)));
}

//! JSON interchange: a dump is stable and sorted, a load recreates the review exactly, and a
//! load that fails leaves no file behind.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;
use threadline::interchange::{dump, load, load_file, load_file_limited, FORMAT};
use threadline::model::agencies::AgencyInput;
use threadline::model::chronology::ChronologyInput;
use threadline::model::comments::CommentTarget;
use threadline::model::details::{DetailsInput, ReviewType};
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::panel::{MeetingInput, PanelMemberInput};
use threadline::model::people::{PersonCategory, PersonInput};
use threadline::model::recommendations::{ActionInput, RecommendationInput};
use threadline::model::sections::{Document, SectionInput};
use threadline::model::sources::{SourceInput, SourceKind};
use threadline::model::themes::ThemeInput;
use threadline::model::tor::{TorInput, TorKind};
use threadline::search::SearchQuery;
use threadline::{Error, Review, Table, SCHEMA_VERSION};

use crate::common::{ctx, fresh, Fixture};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A review with at least one row in every table of the dump.
pub(crate) fn populated() -> Fixture {
    let mut f = fresh();
    let r = &mut f.review;
    r.update_details(DetailsInput {
        title: "Child Q: a practice review".into(),
        review_type: ReviewType::Cspr,
        board: "Northshire Safeguarding Children Partnership".into(),
        subjects: vec!["Child Q".into()],
        incident_date: Some(day(2022, 1, 9)),
        review_period_start: Some(day(2020, 6, 1)),
        review_period_end: Some(day(2022, 1, 9)),
        ..DetailsInput::default()
    })
    .unwrap();
    r.add_person(PersonInput {
        category: PersonCategory::Person,
        real_name: "Invented Name".into(),
        aliases: vec!["IN".into()],
        pseudonym: "Child Q".into(),
        role: "subject".into(),
        relation: "the child".into(),
        safe_to_name: false,
    })
    .unwrap();
    let agency = r
        .add_agency(AgencyInput {
            name: "Northshire Police".into(),
            short_name: "Police".into(),
            sector: "police".into(),
        })
        .unwrap();
    let member = r
        .add_panel_member(PanelMemberInput {
            name: "A. Chair".into(),
            role: "chair".into(),
            organisation: "Independent".into(),
        })
        .unwrap();
    r.add_meeting(MeetingInput {
        date: day(2022, 5, 4),
        title: "First panel".into(),
        attendees: vec![member.id.clone()],
        decisions: "Scope agreed; «quotes» and emoji 🙂 survive.".into(),
    })
    .unwrap();
    let tor = r
        .add_tor(TorInput {
            kind: TorKind::Generic,
            text: "Was information shared in time?".into(),
            out_of_scope_reason: None,
        })
        .unwrap();
    r.add_tor(TorInput {
        kind: TorKind::CaseSpecific,
        text: "Housing".into(),
        out_of_scope_reason: Some("Covered elsewhere".into()),
    })
    .unwrap();
    let source = r
        .import_text(
            SourceInput {
                kind: SourceKind::Imr,
                agency_id: Some(agency.id.clone()),
                title: "Police IMR".into(),
                received_date: Some(day(2022, 4, 1)),
                ..SourceInput::default()
            },
            "1. INTRODUCTION\n1.1 Officers attended on 12.03.2021.\n1.2 No referral was made.\n",
        )
        .unwrap();
    let paragraphs = r.paragraphs(&source.id, 0, 10).unwrap();
    let excerpt = r
        .excerpt_for_text(&paragraphs[2].id, "No referral")
        .unwrap();
    let mut entry = ChronologyInput::new(day(2021, 3, 12), "Police attend the home");
    entry.agency_id = Some(agency.id.clone());
    entry.source_id = Some(source.id.clone());
    entry.paragraph_id = Some(paragraphs[1].id.clone());
    let entry = r.add_chronology_entry(entry).unwrap();
    let theme = r
        .add_theme(ThemeInput {
            title: "Information sharing".into(),
            summary: String::new(),
        })
        .unwrap();
    let finding = r
        .add_finding(FindingInput {
            theme_id: Some(theme.id.clone()),
            kind: FindingKind::Practice,
            statement: "Police did not refer.".into(),
            analysis: "Because the DASH was scored standard.".into(),
        })
        .unwrap();
    r.link_evidence(
        &finding.id,
        EvidenceTarget::Excerpt(excerpt.id.clone()),
        Relation::Supports,
        "",
    )
    .unwrap();
    r.link_evidence(
        &finding.id,
        EvidenceTarget::Chronology(entry.id.clone()),
        Relation::Context,
        "first contact",
    )
    .unwrap();
    r.link_tor(&finding.id, &tor.id).unwrap();
    let rec = r
        .add_recommendation(RecommendationInput {
            text: "Police to refer every incident with a child present.".into(),
            addressee_agency_id: Some(agency.id.clone()),
            ..Default::default()
        })
        .unwrap();
    r.set_recommendation_findings(&rec.id, std::slice::from_ref(&finding.id))
        .unwrap();
    let action = r
        .add_action(
            &rec.id,
            ActionInput {
                text: "Brief all response officers".into(),
                lead: "Detective Inspector".into(),
                due_date: Some(day(2023, 1, 31)),
                ..Default::default()
            },
        )
        .unwrap();
    r.add_action_update(&action.id, day(2022, 12, 1), "Half the teams briefed")
        .unwrap();
    r.add_section(SectionInput {
        document: Document::Overview,
        heading: "Findings".into(),
        body: format!("Police did not refer [[finding:{}]].", finding.id),
    })
    .unwrap();
    let comment = r
        .add_comment(
            CommentTarget::Finding,
            &finding.id,
            None,
            "Is this fair to the police?",
        )
        .unwrap();
    r.reply(&comment.id, "Yes, see the IMR.").unwrap();
    f
}

/// Every file in `dir`, by name.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Loads `json` into a new file in an empty folder and expects it to fail, leaving the
/// folder empty.
fn load_fails(json: &str) -> Error {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loaded.threadline");
    let err = load(json, &path, ctx()).expect_err("the load should fail");
    assert_eq!(
        files_in(dir.path()),
        Vec::<String>::new(),
        "a failed load left files behind ({err})"
    );
    err
}

/// A valid dump, parsed, for tests to spoil.
fn dump_value() -> Value {
    let f = populated();
    serde_json::from_str(&dump(&f.review).unwrap()).unwrap()
}

#[test]
fn dump_load_dump_is_byte_identical_with_every_table_filled() {
    let f = populated();
    let first = dump(&f.review).unwrap();
    let value: Value = serde_json::from_str(&first).unwrap();
    for table in Table::ALL {
        let rows = value["tables"][table.name()].as_array().unwrap();
        assert!(
            !rows.is_empty(),
            "the test review has no {} rows",
            table.name()
        );
    }
    let path = f.dir.path().join("copy.threadline");
    let copy = load(&first, &path, ctx()).unwrap();
    let second = dump(&copy).unwrap();
    assert!(first == second, "the round trip changed the dump");
}

#[test]
fn the_dump_is_sorted_pretty_json_of_the_content_only() {
    let f = populated();
    let text = dump(&f.review).unwrap();
    assert!(text.ends_with("}\n"));
    assert!(text.starts_with("{\n  \"format\": \"threadline-review\",\n"));
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format"], FORMAT);
    assert_eq!(value["schema_version"], SCHEMA_VERSION);
    let tables = value["tables"].as_object().unwrap();
    let names: Vec<&str> = tables.keys().map(String::as_str).collect();
    let expected: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(names, expected, "tables in the fixed order, no audit log");
    for (name, rows) in tables {
        for row in rows.as_array().unwrap() {
            let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "keys of a {name} row are sorted");
            assert!(!row.as_object().unwrap().contains_key("rid"));
        }
    }
    let paragraphs = tables["paragraph"].as_array().unwrap();
    let seqs: Vec<i64> = paragraphs
        .iter()
        .map(|p| p["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(paragraphs[1]["label"], "1.1");
    assert_eq!(paragraphs[0]["heading_level"], 1, "integers stay integers");
    assert_eq!(
        tables["tor_item"][1]["out_of_scope_reason"],
        "Covered elsewhere"
    );
    assert_eq!(tables["tor_item"][0]["out_of_scope_reason"], Value::Null);
}

#[test]
fn an_edit_and_its_undo_leave_the_dump_unchanged() {
    let mut f = populated();
    let before = dump(&f.review).unwrap();
    let tor = f.review.tor_items().unwrap()[0].clone();
    f.review
        .update_tor(
            &tor.id,
            TorInput {
                kind: tor.kind,
                text: "Changed".into(),
                out_of_scope_reason: None,
            },
        )
        .unwrap();
    assert_ne!(dump(&f.review).unwrap(), before);
    f.review.undo().unwrap();
    assert_eq!(dump(&f.review).unwrap(), before);
}

#[test]
fn a_loaded_review_reads_searches_and_edits_like_the_original() {
    let f = populated();
    let text = dump(&f.review).unwrap();
    let path = f.dir.path().join("copy.threadline");
    let mut copy = load(&text, &path, ctx()).unwrap();
    assert_eq!(copy.details().unwrap(), f.review.details().unwrap());
    assert_eq!(copy.tor_items().unwrap(), f.review.tor_items().unwrap());
    assert_eq!(copy.findings().unwrap(), f.review.findings().unwrap());
    assert_eq!(
        copy.recommendations().unwrap(),
        f.review.recommendations().unwrap()
    );
    let hits = copy
        .search(&SearchQuery {
            kinds: Some(vec!["paragraph".into()]),
            ..SearchQuery::new("referral")
        })
        .unwrap();
    assert_eq!(hits.total, 1, "the search index is rebuilt by the load");
    assert_eq!(hits.hits[0].location.label, "Police IMR ¶1.2");

    let log = copy.audit_log(10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].kind.as_str(), log[0].summary.as_str()),
        ("load", "Load from JSON")
    );
    assert!(
        matches!(copy.undo(), Err(Error::NothingToUndo)),
        "a load is not undoable"
    );

    copy.add_tor(TorInput {
        kind: TorKind::CaseSpecific,
        text: "New question".into(),
        out_of_scope_reason: None,
    })
    .unwrap();
    assert_eq!(copy.tor_items().unwrap()[2].number, 3);
    copy.close().unwrap();
    let reopened = Review::open(&path, ctx()).unwrap();
    assert_eq!(reopened.tor_items().unwrap().len(), 3);
    reopened.integrity_check().unwrap();
}

#[test]
fn loading_onto_an_existing_file_is_refused_and_the_file_is_untouched() {
    let f = populated();
    let text = dump(&f.review).unwrap();
    let path = f.dir.path().join("notes.txt");
    std::fs::write(&path, "keep me").unwrap();
    match load(&text, &path, ctx()) {
        Err(Error::AlreadyExists { path: p }) => assert_eq!(p, path),
        other => panic!("expected already exists, got {other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
    match load(&text, &f.path, ctx()) {
        Err(Error::AlreadyExists { .. }) => {}
        other => panic!("expected already exists, got {other:?}"),
    }
}

#[test]
fn bad_json_is_refused_and_leaves_no_file() {
    let err = load_fails("{ \"format\": \"threadline-review\", ");
    assert!(matches!(err, Error::Json(_)), "{err:?}");
    assert!(err.to_string().starts_with("bad JSON"), "{err}");
    let err = load_fails("[1, 2, 3]");
    assert!(err.to_string().contains("not a JSON object"), "{err}");
}

#[test]
fn a_dump_file_loads_and_one_over_the_limit_or_not_text_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let f = populated();
    let text = dump(&f.review).unwrap();
    let dump_path = dir.path().join("dump.json");
    std::fs::write(&dump_path, &text).unwrap();

    let loaded = load_file(&dump_path, &dir.path().join("a.threadline"), ctx()).unwrap();
    assert_eq!(dump(&loaded).unwrap(), text);

    let size = text.len() as u64;
    let small = dir.path().join("b.threadline");
    let err = load_file_limited(&dump_path, &small, ctx(), size - 1).unwrap_err();
    assert_eq!(err.code(), "bad_document", "{err}");
    assert!(err.to_string().contains("larger than"), "{err}");
    assert!(!small.exists());
    // Exactly at the limit is read.
    load_file_limited(&dump_path, &small, ctx(), size).unwrap();

    let binary = dir.path().join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x7b]).unwrap();
    let not_text = dir.path().join("c.threadline");
    let err = load_file(&binary, &not_text, ctx()).unwrap_err();
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    assert!(!not_text.exists());
}

#[test]
fn a_dump_of_another_format_is_refused() {
    let mut v = dump_value();
    v["format"] = "something-else".into();
    let err = load_fails(&v.to_string());
    match err {
        Error::Invalid { field, message } => {
            assert_eq!(field, "format");
            assert!(message.contains("'something-else'"), "{message}");
            assert!(
                message.contains("not a Threadline review dump"),
                "{message}"
            );
        }
        other => panic!("expected invalid, got {other:?}"),
    }
    let mut v = dump_value();
    v.as_object_mut().unwrap().remove("format");
    assert!(load_fails(&v.to_string())
        .to_string()
        .contains("format: missing"));
}

#[test]
fn a_dump_from_a_newer_version_is_refused_with_both_versions() {
    let mut v = dump_value();
    v["schema_version"] = (SCHEMA_VERSION + 1).into();
    let err = load_fails(&v.to_string());
    match &err {
        Error::NewerVersion {
            found, supported, ..
        } => {
            assert_eq!(*found, SCHEMA_VERSION + 1);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("expected newer version, got {other:?}"),
    }
    assert_eq!(err.code(), "newer_version");
    assert!(
        err.to_string().contains("newer version of Threadline"),
        "{err}"
    );
    let mut v = dump_value();
    v["schema_version"] = "one".into();
    assert!(load_fails(&v.to_string())
        .to_string()
        .starts_with("schema_version:"));
}

#[test]
fn an_unknown_column_is_refused_with_its_name() {
    let mut v = dump_value();
    v["tables"]["tor_item"][0]["colour"] = "red".into();
    match load_fails(&v.to_string()) {
        Error::Invalid { field, message } => {
            assert_eq!(field, "tables.tor_item[0].colour");
            assert_eq!(message, "tor_item has no column 'colour'");
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn an_unknown_table_is_refused_with_its_name() {
    let mut v = dump_value();
    v["tables"]["change"] = serde_json::json!([]);
    match load_fails(&v.to_string()) {
        Error::Invalid { field, message } => {
            assert_eq!(field, "tables.change");
            assert!(message.contains("not a table"), "{message}");
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn a_row_that_breaks_the_schema_is_refused_and_named() {
    let mut v = dump_value();
    v["tables"]["tor_item"][1]["kind"] = "weird".into();
    match load_fails(&v.to_string()) {
        Error::Invalid { field, message } => {
            assert_eq!(field, "tables.tor_item[1]");
            assert!(message.contains("CHECK constraint"), "{message}");
        }
        other => panic!("expected invalid, got {other:?}"),
    }
    let mut v = dump_value();
    v["tables"]["theme"][0]["title"] = serde_json::json!(["a", "list"]);
    match load_fails(&v.to_string()) {
        Error::Invalid { field, message } => {
            assert_eq!(field, "tables.theme[0].title");
            assert_eq!(message, "must be text, a number or null");
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn a_reference_to_a_missing_row_is_refused() {
    let mut v = dump_value();
    v["tables"]["evidence_link"][0]["finding_id"] = "00000000-0000-4000-8000-000000000000".into();
    match load_fails(&v.to_string()) {
        Error::Invalid { field, message } => {
            assert_eq!(field, "tables.evidence_link");
            assert!(message.contains("finding"), "{message}");
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn a_dump_without_exactly_one_review_row_is_refused() {
    let mut v = dump_value();
    v["tables"]["review"] = serde_json::json!([]);
    assert_eq!(
        load_fails(&v.to_string()).to_string(),
        "tables.review: must hold exactly one row, not 0"
    );
    let mut v = dump_value();
    v["tables"].as_object_mut().unwrap().remove("review");
    assert_eq!(
        load_fails(&v.to_string()).to_string(),
        "tables.review: missing"
    );
}

#[test]
fn a_minimal_dump_loads_with_defaults_for_missing_tables_and_columns() {
    let json = r#"{
        "format": "threadline-review",
        "schema_version": 1,
        "tables": {
            "review": [{"id": "0b1c2d3e-0000-4000-8000-000000000001", "title": "Hand made"}],
            "tor_item": [{"id": "0b1c2d3e-0000-4000-8000-000000000002", "position": 0,
                          "number": 1, "kind": "generic", "text": "Was the plan followed?"}]
        }
    }"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hand.threadline");
    let review = load(json, &path, ctx()).unwrap();
    let details = review.details().unwrap();
    assert_eq!(details.id, "0b1c2d3e-0000-4000-8000-000000000001");
    assert_eq!(details.title, "Hand made");
    assert_eq!(details.review_type, ReviewType::Cspr, "the column default");
    assert_eq!(
        review.tor_items().unwrap()[0].text,
        "Was the plan followed?"
    );
}

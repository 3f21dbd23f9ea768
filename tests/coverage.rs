//! The coverage matrix: terms of reference × findings × evidence × recommendations, its totals,
//! and the table the exports write.

use chrono::NaiveDate;
use threadline::coverage::CoverageMatrix;
use threadline::demo::build_demo;
use threadline::model::chronology::ChronologyInput;
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::recommendations::RecommendationInput;
use threadline::model::sources::{SourceInput, SourceKind};
use threadline::model::tor::{TorInput, TorKind};

use crate::common::{ctx, fresh, Fixture};

/// Three ToR items (one answered by two findings, one out of scope, one a gap), three
/// findings (one answering no item), and two recommendations.
struct Small {
    f: Fixture,
    tor: Vec<String>,
    findings: Vec<String>,
    recs: Vec<String>,
}

fn finding(statement: &str) -> FindingInput {
    FindingInput {
        theme_id: None,
        kind: FindingKind::Practice,
        statement: statement.into(),
        analysis: String::new(),
    }
}

fn small() -> Small {
    let mut f = fresh();
    let r = &mut f.review;
    let source = r
        .import_text(
            SourceInput {
                kind: SourceKind::Imr,
                title: "Police IMR".into(),
                ..SourceInput::default()
            },
            "4.1 Officers attended after a neighbour called.\n\
             4.2 No referral was made to children's social care.\n\
             4.3 The DASH risk assessment was recorded as standard.\n",
        )
        .unwrap();
    let paras = r.paragraphs(&source.id, 0, 10).unwrap();
    let x1 = r
        .excerpt_for_text(&paras[0].id, "Officers attended")
        .unwrap()
        .id;
    let x2 = r.excerpt_for_text(&paras[1].id, "No referral").unwrap().id;
    let x3 = r.excerpt_for_text(&paras[2].id, "as standard").unwrap().id;
    let entry = r
        .add_chronology_entry(ChronologyInput::new(
            NaiveDate::from_ymd_opt(2021, 3, 12).unwrap(),
            "Police attend",
        ))
        .unwrap()
        .id;
    let mut tor = Vec::new();
    for (kind, text, reason) in [
        (TorKind::Generic, "How well were risks recognised?", None),
        (
            TorKind::CaseSpecific,
            "How did the GP respond?",
            Some("The GP was not involved in the period"),
        ),
        (TorKind::CaseSpecific, "Was the family heard?", None),
    ] {
        tor.push(
            r.add_tor(TorInput {
                kind,
                text: text.into(),
                out_of_scope_reason: reason.map(String::from),
            })
            .unwrap()
            .id,
        );
    }
    let f1 = r
        .add_finding(finding("No referral followed the incident"))
        .unwrap()
        .id;
    let f2 = r
        .add_finding(finding("Risk was graded too low"))
        .unwrap()
        .id;
    let f3 = r.add_finding(finding("Records were good")).unwrap().id;
    for x in [&x1, &x2] {
        r.link_evidence(
            &f1,
            EvidenceTarget::Excerpt(x.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    }
    r.link_evidence(
        &f1,
        EvidenceTarget::Chronology(entry),
        Relation::Context,
        "",
    )
    .unwrap();
    r.link_evidence(&f2, EvidenceTarget::Excerpt(x3), Relation::Supports, "")
        .unwrap();
    // F2 linked first, so the matrix must order the row's findings by number itself.
    r.set_finding_tors(&f2, std::slice::from_ref(&tor[0]))
        .unwrap();
    r.set_finding_tors(&f1, std::slice::from_ref(&tor[0]))
        .unwrap();
    let mut recs = Vec::new();
    for (text, linked) in [
        ("Refer every notification.", vec![f1.clone()]),
        ("Grade with the history.", vec![f2.clone(), f1.clone()]),
    ] {
        let rec = r
            .add_recommendation(RecommendationInput {
                text: text.into(),
                ..RecommendationInput::default()
            })
            .unwrap();
        r.set_recommendation_findings(&rec.id, &linked).unwrap();
        recs.push(rec.id);
    }
    Small {
        f,
        tor,
        findings: vec![f1, f2, f3],
        recs,
    }
}

#[test]
fn each_tor_item_is_a_row_with_its_findings_evidence_and_recommendations() {
    let s = small();
    let m = s.f.review.coverage_matrix().unwrap();
    assert_eq!(m.rows.len(), 3);

    let answered = &m.rows[0];
    assert_eq!(answered.tor_id, s.tor[0]);
    assert_eq!(answered.number, 1);
    assert_eq!(answered.kind, TorKind::Generic);
    assert_eq!(answered.text, "How well were risks recognised?");
    assert!(answered.covered);
    assert_eq!(answered.out_of_scope_reason, None);
    let found: Vec<(i64, &str, usize, usize, usize)> = answered
        .findings
        .iter()
        .map(|f| {
            (
                f.number,
                f.title.as_str(),
                f.excerpts,
                f.chronology,
                f.evidence_count,
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (1, "No referral followed the incident", 2, 1, 3),
            (2, "Risk was graded too low", 1, 0, 1),
        ]
    );
    assert_eq!(answered.findings[0].id, s.findings[0]);
    let rec_numbers = |recs: &[threadline::links::RecRef]| -> Vec<i64> {
        recs.iter().map(|r| r.number).collect()
    };
    assert_eq!(
        rec_numbers(&answered.findings[0].recommendations),
        vec![1, 2]
    );
    assert_eq!(rec_numbers(&answered.findings[1].recommendations), vec![2]);
    assert_eq!(answered.evidence_count, 4);
    assert_eq!(rec_numbers(&answered.recommendations), vec![1, 2]);
    assert_eq!(answered.recommendations[0].id, s.recs[0]);

    let out = &m.rows[1];
    assert_eq!(out.kind, TorKind::CaseSpecific);
    assert!(!out.covered);
    assert_eq!(
        out.out_of_scope_reason.as_deref(),
        Some("The GP was not involved in the period")
    );
    assert!(out.findings.is_empty() && out.recommendations.is_empty());

    let gap = &m.rows[2];
    assert!(!gap.covered && gap.out_of_scope_reason.is_none());
    assert_eq!(gap.evidence_count, 0);

    let t = &m.totals;
    assert_eq!(
        (t.tor_items, t.covered, t.out_of_scope, t.gaps),
        (3, 1, 1, 1)
    );
    assert_eq!(
        (
            t.findings,
            t.findings_without_tor,
            t.evidence,
            t.recommendations
        ),
        (2, 1, 4, 2)
    );
}

#[test]
fn the_table_has_a_header_and_one_row_per_tor_item() {
    let s = small();
    let table = s.f.review.coverage_matrix().unwrap().to_table();
    let expected: Vec<Vec<&str>> = vec![
        vec![
            "ToR",
            "Term of reference",
            "Type",
            "Findings",
            "Evidence",
            "Recommendations",
            "Status",
        ],
        vec![
            "1",
            "How well were risks recognised?",
            "Generic",
            "F1 No referral followed the incident\nF2 Risk was graded too low",
            "4",
            "R1, R2",
            "Covered",
        ],
        vec![
            "2",
            "How did the GP respond?",
            "Case-specific",
            "",
            "0",
            "",
            "Out of scope: The GP was not involved in the period",
        ],
        vec![
            "3",
            "Was the family heard?",
            "Case-specific",
            "",
            "0",
            "",
            "Not answered",
        ],
    ];
    assert_eq!(table, expected);
}

#[test]
fn the_matrix_follows_edits_and_undo() {
    let mut s = small();
    let r = &mut s.f.review;
    // Answer the gap with the third finding; move the ToR items.
    r.set_finding_tors(&s.findings[2], std::slice::from_ref(&s.tor[2]))
        .unwrap();
    r.move_tor(&s.tor[2], 0).unwrap();
    let m = r.coverage_matrix().unwrap();
    assert_eq!(m.rows[0].tor_id, s.tor[2]);
    assert_eq!(m.rows[0].number, 1);
    assert!(m.rows[0].covered);
    assert_eq!(m.rows[0].findings[0].number, 3);
    assert_eq!(m.rows[0].evidence_count, 0);
    assert_eq!(m.totals.gaps, 0);
    assert_eq!(m.totals.findings_without_tor, 0);
    assert_eq!(m.totals.findings, 3);

    r.undo().unwrap();
    r.undo().unwrap();
    let back = r.coverage_matrix().unwrap();
    assert_eq!(back.rows[2].tor_id, s.tor[2]);
    assert!(!back.rows[2].covered);
    assert_eq!(back.totals.gaps, 1);
}

#[test]
fn an_empty_review_has_an_empty_matrix() {
    let f = fresh();
    let m = f.review.coverage_matrix().unwrap();
    assert!(m.rows.is_empty());
    assert_eq!(m.totals, Default::default());
    assert_eq!(m.to_table().len(), 1, "the header row only");
}

#[test]
fn the_demo_matrix_covers_every_tor_item_and_agrees_with_the_links() {
    let dir = tempfile::tempdir().unwrap();
    let review = build_demo(&dir.path().join("demo.threadline"), ctx()).unwrap();
    let m: CoverageMatrix = review.coverage_matrix().unwrap();
    let tors = review.tor_items().unwrap();
    assert_eq!(m.rows.len(), tors.len());
    assert_eq!(m.totals.tor_items, 12);
    assert_eq!(
        (m.totals.covered, m.totals.gaps, m.totals.out_of_scope),
        (12, 0, 0)
    );

    let findings = review.findings().unwrap();
    assert_eq!(
        m.totals.findings + m.totals.findings_without_tor,
        findings.len()
    );
    for (row, item) in m.rows.iter().zip(&tors) {
        assert_eq!(
            (row.tor_id.as_str(), row.number),
            (item.id.as_str(), item.number)
        );
        assert!(row.covered && !row.findings.is_empty());
        let numbers: Vec<i64> = row.findings.iter().map(|f| f.number).collect();
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        assert_eq!(numbers, sorted, "ToR {}", row.number);
        for f in &row.findings {
            let model = findings.iter().find(|x| x.id == f.id).unwrap();
            assert!(model.tor_ids.contains(&item.id));
            assert_eq!(f.evidence_count as i64, model.evidence_count);
            assert_eq!(f.excerpts + f.chronology, f.evidence_count);
            assert_eq!(f.title, model.statement);
        }
        assert_eq!(
            row.evidence_count,
            row.findings.iter().map(|f| f.evidence_count).sum::<usize>()
        );
    }
    // The same numbers as the links module's coverage, row by row.
    for (row, c) in m.rows.iter().zip(review.tor_coverage().unwrap()) {
        assert_eq!(row.evidence_count, c.evidence_count);
        assert_eq!(row.recommendations, c.recommendations);
    }
    let table = m.to_table();
    assert_eq!(table.len(), 13);
    assert!(table.iter().all(|row| row.len() == 7));
    assert!(table[1..].iter().all(|row| row[6] == "Covered"));
    assert!(table[1][3].starts_with('F'));
}

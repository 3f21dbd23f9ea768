//! Links and coverage: evidence behind findings, what cites a record, the ToR coverage matrix
//! and recommendation traces.

use chrono::NaiveDate;
use threadline::links::CitedKind;
use threadline::model::chronology::ChronologyInput;
use threadline::model::comments::CommentTarget;
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::recommendations::RecommendationInput;
use threadline::model::sections::{Document, SectionInput};
use threadline::model::sources::{Paragraph, SourceInput, SourceKind};
use threadline::model::tor::{TorInput, TorKind};
use threadline::Error;

use crate::common::{fresh, Fixture};

/// A small review: one IMR, a chronology entry from it, three ToR items (the third answered
/// by nothing), two findings with evidence, two recommendations, a section and a comment.
struct Case {
    f: Fixture,
    source_id: String,
    paragraphs: Vec<Paragraph>,
    excerpt_a: String,
    excerpt_b: String,
    chronology_id: String,
    tor: Vec<String>,
    f1: String,
    f2: String,
    r1: String,
    r2: String,
    section_id: String,
}

fn finding(statement: &str) -> FindingInput {
    FindingInput {
        theme_id: None,
        kind: FindingKind::Practice,
        statement: statement.into(),
        analysis: String::new(),
    }
}

fn tor(text: &str) -> TorInput {
    TorInput {
        kind: TorKind::CaseSpecific,
        text: text.into(),
        out_of_scope_reason: None,
    }
}

fn case() -> Case {
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
    let paragraphs = r.paragraphs(&source.id, 0, 10).unwrap();
    let excerpt_a = r
        .excerpt_for_text(&paragraphs[1].id, "No referral was made")
        .unwrap()
        .id;
    let excerpt_b = r
        .excerpt_for_text(&paragraphs[2].id, "recorded as standard")
        .unwrap()
        .id;
    let mut entry = ChronologyInput::new(
        NaiveDate::from_ymd_opt(2021, 3, 12).unwrap(),
        "Police attend a domestic incident",
    );
    entry.source_id = Some(source.id.clone());
    entry.paragraph_id = Some(paragraphs[0].id.clone());
    let chronology_id = r.add_chronology_entry(entry).unwrap().id;

    let tor_ids: Vec<String> = [
        "Were referrals made when they should have been?",
        "Was risk assessed well?",
        "Did agencies hear the child's voice?",
    ]
    .into_iter()
    .map(|t| r.add_tor(tor(t)).unwrap().id)
    .collect();
    let mut out_of_scope = tor("Housing allocation policy");
    out_of_scope.out_of_scope_reason = Some("Covered by the housing review".into());
    r.add_tor(out_of_scope).unwrap();

    let f1 = r
        .add_finding(finding("Referrals were not made."))
        .unwrap()
        .id;
    let f2 = r
        .add_finding(finding("Risk was underestimated."))
        .unwrap()
        .id;
    r.link_evidence(
        &f1,
        EvidenceTarget::Excerpt(excerpt_a.clone()),
        Relation::Supports,
        "the clearest statement",
    )
    .unwrap();
    r.link_evidence(
        &f1,
        EvidenceTarget::Chronology(chronology_id.clone()),
        Relation::Context,
        "",
    )
    .unwrap();
    r.link_evidence(
        &f2,
        EvidenceTarget::Excerpt(excerpt_b.clone()),
        Relation::Supports,
        "",
    )
    .unwrap();
    r.link_tor(&f1, &tor_ids[0]).unwrap();
    r.link_tor(&f2, &tor_ids[0]).unwrap();
    r.link_tor(&f2, &tor_ids[1]).unwrap();

    let r1 = r
        .add_recommendation(RecommendationInput {
            text: "Police should refer every domestic incident with a child present.".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let r2 = r
        .add_recommendation(RecommendationInput {
            text: "Risk assessment training for response officers.".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    r.set_recommendation_findings(&r1, std::slice::from_ref(&f1))
        .unwrap();
    r.set_recommendation_findings(&r2, &[f2.clone(), f1.clone()])
        .unwrap();

    let section_id = r
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Referral practice".into(),
            body: format!(
                "Officers did not refer [[excerpt:{excerpt_a}]] (see [[finding:{f1}]], \
                 [[chronology:{chronology_id}]]). Again: [[excerpt:{excerpt_a}]]."
            ),
        })
        .unwrap()
        .id;
    r.add_comment(
        CommentTarget::Paragraph,
        &paragraphs[2].id,
        None,
        "Ask the police whether DASH was reviewed.",
    )
    .unwrap();
    Case {
        f,
        source_id: source.id,
        paragraphs,
        excerpt_a,
        excerpt_b,
        chronology_id,
        tor: tor_ids,
        f1,
        f2,
        r1,
        r2,
        section_id,
    }
}

#[test]
fn coverage_lists_every_tor_item_with_findings_evidence_and_recommendations() {
    let c = case();
    let cov = c.f.review.tor_coverage().unwrap();
    assert_eq!(cov.len(), 4);
    let first = &cov[0];
    assert_eq!(
        (first.number, first.tor_id.as_str()),
        (1, c.tor[0].as_str())
    );
    let numbers: Vec<i64> = first.findings.iter().map(|f| f.number).collect();
    assert_eq!(numbers, [1, 2]);
    assert_eq!(first.findings[0].evidence_count, 2);
    assert_eq!(first.findings[1].evidence_count, 1);
    assert_eq!(first.evidence_count, 3);
    let recs: Vec<i64> = first.recommendations.iter().map(|r| r.number).collect();
    assert_eq!(recs, [1, 2], "each recommendation once, by number");
    let f1_recs: Vec<&str> = first.findings[0]
        .recommendations
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(f1_recs, [c.r1.as_str(), c.r2.as_str()]);

    let second = &cov[1];
    assert_eq!(second.findings.len(), 1);
    assert_eq!(second.findings[0].id, c.f2);
    assert_eq!(second.evidence_count, 1);
    assert_eq!(second.recommendations.len(), 1);
    assert_eq!(second.recommendations[0].id, c.r2);
}

#[test]
fn coverage_shows_a_gap_as_an_item_with_nothing_behind_it() {
    let c = case();
    let cov = c.f.review.tor_coverage().unwrap();
    let gap = &cov[2];
    assert_eq!(gap.number, 3);
    assert_eq!(gap.text, "Did agencies hear the child's voice?");
    assert!(gap.findings.is_empty());
    assert_eq!(gap.evidence_count, 0);
    assert!(gap.recommendations.is_empty());
    assert_eq!(gap.out_of_scope, None);
    assert_eq!(
        cov[3].out_of_scope.as_deref(),
        Some("Covered by the housing review")
    );
    assert_eq!(cov[3].kind, "case_specific");
}

#[test]
fn coverage_follows_a_reorder_and_an_unlink() {
    let mut c = case();
    c.f.review.move_tor(&c.tor[2], 0).unwrap();
    c.f.review.unlink_tor(&c.f1, &c.tor[0]).unwrap();
    let cov = c.f.review.tor_coverage().unwrap();
    assert_eq!(cov[0].tor_id, c.tor[2]);
    assert_eq!(cov[0].number, 1);
    assert_eq!(cov[1].tor_id, c.tor[0]);
    assert_eq!(cov[1].findings.len(), 1);
    assert_eq!(cov[1].evidence_count, 1);
}

#[test]
fn coverage_of_an_empty_review_is_empty() {
    let f = fresh();
    assert!(f.review.tor_coverage().unwrap().is_empty());
    assert!(f.review.recommendation_traces().unwrap().is_empty());
}

#[test]
fn evidence_for_a_finding_shows_quotes_and_chronology_with_their_places() {
    let c = case();
    let ev = c.f.review.evidence_for_finding(&c.f1).unwrap();
    assert_eq!(ev.len(), 2);
    let quote = ev[0].excerpt.as_ref().expect("first is the excerpt");
    assert_eq!(ev[0].relation, "supports");
    assert_eq!(ev[0].note, "the clearest statement");
    assert_eq!(quote.id, c.excerpt_a);
    assert_eq!(quote.quote, "No referral was made");
    assert_eq!(quote.source_title, "Police IMR");
    assert_eq!(quote.paragraph_label.as_deref(), Some("4.2"));
    assert_eq!(ev[0].label, "Police IMR ¶4.2");
    assert!(ev[0].chronology.is_none());

    let entry = ev[1]
        .chronology
        .as_ref()
        .expect("second is the chronology entry");
    assert_eq!(ev[1].relation, "context");
    assert_eq!(entry.id, c.chronology_id);
    assert_eq!(entry.event, "Police attend a domestic incident");
    assert_eq!(entry.date, NaiveDate::from_ymd_opt(2021, 3, 12).unwrap());
    assert_eq!(ev[1].label, "Chronology 12/03/2021");
    assert!(ev[1].excerpt.is_none());
    assert!(ev.iter().all(|e| e.finding_id == c.f1));
}

#[test]
fn evidence_for_an_unknown_finding_is_not_found() {
    let c = case();
    match c.f.review.evidence_for_finding("no-such-finding") {
        Err(Error::NotFound { kind, id }) => {
            assert_eq!(kind, "finding");
            assert_eq!(id, "no-such-finding");
        }
        other => panic!("expected not found, got {other:?}"),
    }
}

#[test]
fn citations_of_a_source_include_findings_chronology_sections_and_comments() {
    let c = case();
    let cites =
        c.f.review
            .citations_of(CitedKind::Source, &c.source_id)
            .unwrap();
    assert_eq!(cites.label, "Police IMR");
    let summary: Vec<(&str, &str)> = cites
        .citing
        .iter()
        .map(|x| (x.kind.as_str(), x.label.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("finding", "F1"),
            ("finding", "F2"),
            ("chronology_entry", "Chronology 12/03/2021"),
            ("section", "Overview report: Referral practice"),
            ("comment", "Comment by Overview author (author)"),
        ]
    );
    let f1 = &cites.citing[0];
    assert_eq!(f1.id, c.f1);
    assert_eq!(
        f1.via,
        [
            "supports: Excerpt, Police IMR ¶4.2",
            "context: Chronology 12/03/2021"
        ]
    );
    let section = &cites.citing[3];
    assert_eq!(section.id, c.section_id);
    assert_eq!(
        section.via,
        ["Excerpt, Police IMR ¶4.2", "Chronology 12/03/2021"],
        "each cited part once, in text order"
    );
    assert_eq!(cites.citing[4].via, ["Police IMR ¶4.3"]);
}

#[test]
fn citations_of_an_excerpt_list_the_findings_and_sections_that_use_it() {
    let c = case();
    let a =
        c.f.review
            .citations_of(CitedKind::Excerpt, &c.excerpt_a)
            .unwrap();
    let kinds: Vec<(&str, &str)> = a
        .citing
        .iter()
        .map(|x| (x.kind.as_str(), x.id.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("finding", c.f1.as_str()),
            ("section", c.section_id.as_str())
        ]
    );
    assert!(a.citing[1].via.is_empty(), "the section cites it directly");

    let b =
        c.f.review
            .citations_of(CitedKind::Excerpt, &c.excerpt_b)
            .unwrap();
    let kinds: Vec<&str> = b.citing.iter().map(|x| x.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["finding"],
        "the comment is on the paragraph, not the excerpt"
    );
}

#[test]
fn citations_of_a_paragraph_take_in_its_excerpts_and_comments() {
    let c = case();
    let p =
        c.f.review
            .citations_of(CitedKind::Paragraph, &c.paragraphs[2].id)
            .unwrap();
    assert_eq!(p.label, "Police IMR ¶4.3");
    let kinds: Vec<(&str, &str)> = p
        .citing
        .iter()
        .map(|x| (x.kind.as_str(), x.label.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("finding", "F2"),
            ("comment", "Comment by Overview author (author)")
        ]
    );
    assert!(
        p.citing[1].via.is_empty(),
        "the comment is on the paragraph itself"
    );
}

#[test]
fn citations_of_a_chronology_entry_a_finding_and_a_tor_item() {
    let c = case();
    let r = &c.f.review;
    let chron = r
        .citations_of(CitedKind::Chronology, &c.chronology_id)
        .unwrap();
    let kinds: Vec<&str> = chron.citing.iter().map(|x| x.kind.as_str()).collect();
    assert_eq!(kinds, ["finding", "section"]);
    assert_eq!(chron.citing[0].via, ["context: Chronology 12/03/2021"]);

    let f1 = r.citations_of(CitedKind::Finding, &c.f1).unwrap();
    assert_eq!(f1.label, "F1");
    let labels: Vec<&str> = f1.citing.iter().map(|x| x.label.as_str()).collect();
    assert_eq!(labels, ["R1", "R2", "Overview report: Referral practice"]);

    let t = r.citations_of(CitedKind::Tor, &c.tor[1]).unwrap();
    assert_eq!(t.label, "ToR 2");
    let labels: Vec<&str> = t.citing.iter().map(|x| x.label.as_str()).collect();
    assert_eq!(labels, ["F2"]);

    let rec = r.citations_of(CitedKind::Recommendation, &c.r2).unwrap();
    assert!(rec.citing.is_empty());
    assert_eq!(rec.label, "R2");
}

#[test]
fn citations_of_an_unknown_record_are_not_found() {
    let c = case();
    let err =
        c.f.review
            .citations_of(CitedKind::Excerpt, &c.f1)
            .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: "excerpt",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        CitedKind::from_kind("chronology_entry"),
        Some(CitedKind::Chronology)
    );
    assert_eq!(CitedKind::from_kind("tor"), Some(CitedKind::Tor));
    assert_eq!(CitedKind::from_kind("meeting"), None);
}

#[test]
fn a_recommendation_traces_to_its_findings_and_their_tor_items() {
    let c = case();
    let t = c.f.review.recommendation_trace(&c.r2).unwrap();
    assert_eq!(t.recommendation.number, 2);
    assert_eq!(t.recommendation.id, c.r2);
    assert_eq!(t.text, "Risk assessment training for response officers.");
    let findings: Vec<&str> = t.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        findings,
        [c.f1.as_str(), c.f2.as_str()],
        "by finding number"
    );
    let tors: Vec<i64> = t.tor_items.iter().map(|x| x.number).collect();
    assert_eq!(tors, [1, 2], "each ToR item once, by number");

    let t1 = c.f.review.recommendation_trace(&c.r1).unwrap();
    let tors: Vec<&str> = t1.tor_items.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(tors, [c.tor[0].as_str()]);
}

#[test]
fn all_traces_come_in_recommendation_order_and_match_the_single_trace() {
    let mut c = case();
    c.f.review.move_recommendation(&c.r2, 0).unwrap();
    let all = c.f.review.recommendation_traces().unwrap();
    let order: Vec<(&str, i64)> = all
        .iter()
        .map(|t| (t.recommendation.id.as_str(), t.recommendation.number))
        .collect();
    assert_eq!(order, [(c.r2.as_str(), 1), (c.r1.as_str(), 2)]);
    assert_eq!(all[1], c.f.review.recommendation_trace(&c.r1).unwrap());
}

#[test]
fn a_trace_of_an_unknown_recommendation_is_not_found() {
    let c = case();
    assert!(matches!(
        c.f.review.recommendation_trace(&c.f2),
        Err(Error::NotFound {
            kind: "recommendation",
            ..
        })
    ));
}

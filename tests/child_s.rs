//! The Child S review, rebuilt at test time from the published executive summary in
//! `../shared/corpus`: its terms of reference, key issues as findings backed by excerpts of
//! their own paragraphs, and its 37 recommendations in their 9 origin groups. The text is read
//! from the document each run; only the panel's judgement of which key issue answers which
//! term of reference is written here, as an author would record it.

use std::collections::BTreeMap;

use threadline::interchange::{dump, load};
use threadline::model::agencies::AgencyInput;
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::recommendations::{Due, Origin, RecommendationInput};
use threadline::model::sources::{Paragraph, SourceInput, SourceKind};
use threadline::model::tor::{TorInput, TorKind};
use threadline::search::SearchQuery;
use threadline::Review;

use crate::common::{corpus, ctx, fresh, Fixture};

/// Which terms of reference each key issue answers (key issue → ToR numbers).
const ANSWERS: [(usize, &[i64]); 21] = [
    (1, &[1, 9]),
    (2, &[7, 9]),
    (3, &[9, 13]),
    (4, &[1, 9]),
    (5, &[9, 12]),
    (6, &[12]),
    (7, &[12]),
    (8, &[11, 13]),
    (9, &[12]),
    (10, &[11]),
    (11, &[9]),
    (12, &[10]),
    (13, &[12]),
    (14, &[2]),
    (15, &[13]),
    (16, &[2]),
    (17, &[13]),
    (18, &[2]),
    (19, &[3]),
    (20, &[11]),
    (21, &[7, 8]),
];

/// Which key issues each recommendation rests on, for the ones the tests trace.
const RESTS_ON: [(i64, &[usize]); 5] = [
    (1, &[16]),
    (2, &[9]),
    (3, &[17, 21]),
    (21, &[10]),
    (22, &[10, 8]),
];

/// The review as built, with what the tests need to find again.
struct ChildS {
    f: Fixture,
    source_id: String,
    /// Key issue number → (finding id, paragraph id).
    key_issues: BTreeMap<usize, (String, String)>,
    /// Recommendation number → paragraph id.
    rec_paragraphs: BTreeMap<i64, String>,
    /// Origin heading → recommendation numbers, in document order.
    groups: Vec<(String, Vec<i64>)>,
}

fn index_of(paragraphs: &[Paragraph], from: usize, starts: &str) -> usize {
    paragraphs[from..]
        .iter()
        .position(|p| whole(p).starts_with(starts))
        .map(|i| i + from)
        .unwrap_or_else(|| panic!("no paragraph starting {starts:?}"))
}

/// A paragraph as the document printed it: its label, then its text.
fn whole(p: &Paragraph) -> String {
    match &p.label {
        Some(l) => format!("{l} {}", p.text.trim_start()),
        None => p.text.trim_start().to_string(),
    }
}

fn number(p: &Paragraph) -> Option<i64> {
    p.label.as_deref()?.trim_end_matches('.').parse().ok()
}

/// The first sentence of a paragraph, as a character count.
fn first_sentence_chars(text: &str) -> usize {
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    text[..end].chars().count()
}

/// How a recommendation's wording sets its due date, as an author would transcribe it.
fn due_in(text: &str) -> Due {
    let lower = text.to_lowercase();
    if lower.contains("as a matter of urgency") {
        return Due::Urgent;
    }
    if lower.contains("with immediate effect") {
        return Due::Immediately;
    }
    for (i, _) in lower.match_indices("by ") {
        let rest: Vec<&str> = text[i + 3..].split_whitespace().take(2).collect();
        if rest.len() == 2 {
            let candidate = format!("{} {}", rest[0], rest[1].trim_end_matches([',', '.']));
            if let Ok(due) = Due::parse(&candidate) {
                return due;
            }
        }
    }
    Due::None
}

fn build() -> ChildS {
    let text = std::fs::read_to_string(corpus("child-s-executive-summary.txt"))
        .expect("the Child S executive summary in ../shared/corpus");
    let mut f = fresh();
    let r = &mut f.review;
    let source = r
        .import_text(
            SourceInput {
                kind: SourceKind::PriorReview,
                title: "Child S executive summary".into(),
                ..SourceInput::default()
            },
            &text,
        )
        .unwrap();
    let ps = r.paragraphs(&source.id, 0, 10_000).unwrap();
    assert_eq!(ps.len() as i64, source.paragraph_count);

    // Terms of reference: three generic items numbered 1-3, then the case-specific bullets.
    let tor_at = index_of(&ps, 0, "1.4 Terms of Reference");
    let specific_at = index_of(&ps, tor_at, "In addition, specific terms of reference");
    let process_at = index_of(&ps, specific_at, "1.5 Process");
    for p in ps[tor_at + 1..specific_at]
        .iter()
        .filter(|p| number(p).is_some())
    {
        r.add_tor(TorInput {
            kind: TorKind::Generic,
            text: p.text.clone(),
            out_of_scope_reason: None,
        })
        .unwrap();
    }
    for p in &ps[specific_at + 1..process_at] {
        r.add_tor(TorInput {
            kind: TorKind::CaseSpecific,
            text: p.text.trim_start_matches(['-', ' ']).to_string(),
            out_of_scope_reason: None,
        })
        .unwrap();
    }
    let tors = r.tor_items().unwrap();

    // Key issues: numbered paragraphs of section three, each a finding resting on an excerpt
    // (its first sentence) of its own paragraph.
    // (The contents list repeats the section titles, so look after it.)
    let three = index_of(&ps, process_at, "SECTION THREE - KEY ISSUES");
    let four = index_of(&ps, three, "SECTION FOUR");
    let mut key_issues = BTreeMap::new();
    for p in &ps[three + 1..four] {
        let Some(n) = number(p) else { continue };
        let n = n as usize;
        let excerpt = r
            .add_excerpt(&p.id, 0, first_sentence_chars(&p.text), "")
            .unwrap();
        let finding = r
            .add_finding(FindingInput {
                theme_id: None,
                kind: FindingKind::Systemic,
                statement: excerpt.quote.clone(),
                analysis: p.text.clone(),
            })
            .unwrap();
        r.link_evidence(
            &finding.id,
            EvidenceTarget::Excerpt(excerpt.id),
            Relation::Supports,
            "",
        )
        .unwrap();
        let answers = ANSWERS.iter().find(|(k, _)| *k == n).unwrap().1;
        let tor_ids: Vec<String> = answers
            .iter()
            .map(|t| tors[(*t - 1) as usize].id.clone())
            .collect();
        r.set_finding_tors(&finding.id, &tor_ids).unwrap();
        assert!(
            key_issues.insert(n, (finding.id, p.id.clone())).is_none(),
            "key issue {n} twice"
        );
    }

    // Recommendations: numbered paragraphs of section six under their origin headings; the
    // bullet lines under a recommendation belong to its text.
    let six = index_of(&ps, four, "SECTION SIX");
    let mut groups: Vec<(String, Vec<i64>)> = Vec::new();
    let mut rec_paragraphs = BTreeMap::new();
    let mut pending: Option<(i64, String, String)> = None;
    let mut agencies: BTreeMap<String, String> = BTreeMap::new();
    let mut current_origin = (Origin::Other, None::<String>);
    let flush = |r: &mut Review,
                 pending: &mut Option<(i64, String, String)>,
                 origin: &(Origin, Option<String>)| {
        if let Some((n, text, _)) = pending.take() {
            let rec = r
                .add_recommendation(RecommendationInput {
                    origin: origin.0,
                    origin_agency_id: origin.1.clone(),
                    addressee_agency_id: origin.1.clone(),
                    due: due_in(&text),
                    text,
                    ..RecommendationInput::default()
                })
                .unwrap();
            assert_eq!(rec.number, n, "recommendations keep the document's numbers");
        }
    };
    for p in &ps[six + 1..] {
        let t = p.text.trim();
        if t.starts_with("This Executive Summary was written by") {
            break;
        }
        if number(p).is_none() && t.to_lowercase().ends_with("recommendations") {
            flush(r, &mut pending, &current_origin);
            let origin = if t.starts_with("Overview Author") {
                (Origin::OverviewAuthor, None)
            } else if t.starts_with("Health Overview") {
                (Origin::HealthOverview, None)
            } else {
                let name = t.trim_end_matches(" IMR recommendations").to_string();
                let id = r
                    .add_agency(AgencyInput {
                        name: name.clone(),
                        short_name: String::new(),
                        sector: String::new(),
                    })
                    .unwrap()
                    .id;
                agencies.insert(name, id.clone());
                (Origin::AgencyImr, Some(id))
            };
            current_origin = origin;
            groups.push((t.to_string(), Vec::new()));
        } else if let Some(n) = number(p) {
            flush(r, &mut pending, &current_origin);
            groups.last_mut().expect("a heading first").1.push(n);
            rec_paragraphs.insert(n, p.id.clone());
            pending = Some((n, p.text.clone(), p.id.clone()));
        } else if t.starts_with('-') {
            if let Some((_, text, _)) = pending.as_mut() {
                text.push('\n');
                text.push_str(t);
            }
        } else {
            // Prose between recommendations (a group's preamble) ends the one before it.
            flush(r, &mut pending, &current_origin);
        }
    }
    flush(r, &mut pending, &current_origin);

    let recs = r.recommendations().unwrap();
    for (rec_number, issues) in RESTS_ON {
        let rec = &recs[(rec_number - 1) as usize];
        let ids: Vec<String> = issues.iter().map(|k| key_issues[k].0.clone()).collect();
        r.set_recommendation_findings(&rec.id, &ids).unwrap();
    }
    ChildS {
        f,
        source_id: source.id,
        key_issues,
        rec_paragraphs,
        groups,
    }
}

#[test]
fn the_terms_of_reference_are_three_generic_and_eleven_case_specific() {
    let c = build();
    let tors = c.f.review.tor_items().unwrap();
    assert_eq!(tors.len(), 14);
    let generic: Vec<i64> = tors
        .iter()
        .filter(|t| t.kind == TorKind::Generic)
        .map(|t| t.number)
        .collect();
    assert_eq!(generic, [1, 2, 3]);
    assert!(tors[0]
        .text
        .starts_with("establish whether there are lessons"));
    assert!(tors[3]
        .text
        .starts_with("The review will cover in detail the period"));
    assert!(tors[13]
        .text
        .starts_with("Any similarities with previous local"));
    assert!(tors.iter().all(|t| !t.text.starts_with('-')));
}

#[test]
fn all_thirty_seven_recommendations_sit_in_nine_origin_groups() {
    let c = build();
    let recs = c.f.review.recommendations().unwrap();
    assert_eq!(recs.len(), 37);
    assert_eq!(
        recs.iter().map(|r| r.number).collect::<Vec<_>>(),
        (1..=37).collect::<Vec<_>>()
    );
    let sizes: Vec<(String, usize)> = c
        .groups
        .iter()
        .map(|(h, ns)| (h.clone(), ns.len()))
        .collect();
    assert_eq!(sizes.len(), 9, "{sizes:?}");
    assert_eq!(
        sizes.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        [3, 8, 5, 4, 3, 4, 5, 3, 2]
    );
    let by = |n: usize| &recs[n - 1];
    assert_eq!(by(1).origin, Origin::OverviewAuthor);
    assert_eq!(by(36).origin, Origin::HealthOverview);
    assert_eq!(by(21).origin, Origin::AgencyImr);
    let police =
        c.f.review
            .agency(by(21).origin_agency_id.as_deref().unwrap())
            .unwrap();
    assert_eq!(police.name, "South Yorkshire Police");
    assert_eq!(c.f.review.agencies().unwrap().len(), 7);
    // The text comes from the document, with a recommendation's bullet points kept.
    assert!(by(21)
        .text
        .starts_with("Headquarters Public Protection Unit is to carry out an audit"));
    assert!(by(2).text.contains("\n- are administered efficiently"));
    assert!(by(37)
        .text
        .starts_with("Named Professionals in Rotherham, by July 2011"));
    // Due dates as the wording sets them.
    assert_eq!(by(3).due, Due::Urgent);
    assert_eq!(by(20).due, Due::Immediately);
    assert_eq!(
        by(12).due,
        Due::Month {
            year: 2011,
            month: 7
        }
    );
    assert_eq!(
        by(33).due,
        Due::Month {
            year: 2011,
            month: 5
        }
    );
    assert_eq!(by(5).due, Due::None);
    assert_eq!(c.rec_paragraphs.len(), 37);
}

#[test]
fn twenty_one_key_issues_are_findings_each_resting_on_its_own_paragraph() {
    let c = build();
    let r = &c.f.review;
    assert_eq!(
        c.key_issues.keys().copied().collect::<Vec<_>>(),
        (1..=21).collect::<Vec<_>>()
    );
    let findings = r.findings().unwrap();
    assert_eq!(findings.len(), 21);
    for (n, (finding_id, paragraph_id)) in &c.key_issues {
        let finding = r.finding(finding_id).unwrap();
        assert_eq!(finding.number, *n as i64, "F{n} is key issue {n}");
        let evidence = r.evidence_for_finding(finding_id).unwrap();
        assert_eq!(evidence.len(), 1);
        let links = r.evidence_of(finding_id).unwrap();
        let excerpt = r.excerpt(links[0].excerpt_id.as_deref().unwrap()).unwrap();
        assert_eq!(&excerpt.paragraph_id, paragraph_id);
        assert_eq!(excerpt.source_id, c.source_id);
        let paragraph = r.paragraph(paragraph_id).unwrap();
        assert_eq!(
            paragraph.label.as_deref().map(|l| l.trim_end_matches('.')),
            Some(n.to_string().as_str())
        );
        assert!(paragraph.text.starts_with(&excerpt.quote));
        assert!(r.excerpt_is_current(&excerpt.id).unwrap());
    }
    let f12 = r.finding(&c.key_issues[&12].0).unwrap();
    assert!(f12.statement.contains("air rifle"), "{}", f12.statement);
}

#[test]
fn the_coverage_matrix_shows_what_answers_each_term_and_the_gaps() {
    let c = build();
    let matrix = c.f.review.tor_coverage().unwrap();
    assert_eq!(matrix.len(), 14);
    let gaps: Vec<i64> = matrix
        .iter()
        .filter(|row| row.findings.is_empty())
        .map(|row| row.number)
        .collect();
    assert_eq!(gaps, [4, 5, 6, 14]);
    for row in &matrix {
        let expected: Vec<i64> = ANSWERS
            .iter()
            .filter(|(_, tors)| tors.contains(&row.number))
            .map(|(k, _)| *k as i64)
            .collect();
        let got: Vec<i64> = row.findings.iter().map(|f| f.number).collect();
        assert_eq!(got, expected, "ToR {}", row.number);
        assert_eq!(
            row.evidence_count,
            expected.len(),
            "one excerpt per key issue"
        );
    }
    // ToR 11 (inter-agency working) is answered by key issues 8, 10 and 20, and the police
    // recommendations 21 and 22 rest on them.
    let tor11 = &matrix[10];
    let recs: Vec<i64> = tor11.recommendations.iter().map(|r| r.number).collect();
    assert_eq!(recs, [21, 22]);
    let tor2 = &matrix[1];
    assert_eq!(
        tor2.recommendations
            .iter()
            .map(|r| r.number)
            .collect::<Vec<_>>(),
        [1]
    );
}

#[test]
fn a_recommendation_traces_to_its_findings_and_terms_of_reference() {
    let c = build();
    let r = &c.f.review;
    let rec3 = &r.recommendations().unwrap()[2];
    let trace = r.recommendation_trace(&rec3.id).unwrap();
    assert_eq!(trace.recommendation.number, 3);
    assert_eq!(
        trace.findings.iter().map(|f| f.number).collect::<Vec<_>>(),
        [17, 21]
    );
    assert_eq!(
        trace.tor_items.iter().map(|t| t.number).collect::<Vec<_>>(),
        [7, 8, 13]
    );
    let untraced = &r.recommendations().unwrap()[30];
    assert!(r
        .recommendation_trace(&untraced.id)
        .unwrap()
        .findings
        .is_empty());
}

#[test]
fn searching_gen_117_finds_recommendation_21_and_its_paragraph() {
    let c = build();
    let page = c.f.review.search(&SearchQuery::new("Gen 117")).unwrap();
    let rec21 = &c.f.review.recommendations().unwrap()[20];
    assert!(
        page.hits
            .iter()
            .any(|h| h.kind == "recommendation" && h.object_id == rec21.id),
        "{:#?}",
        page.hits
    );
    let hit = page
        .hits
        .iter()
        .find(|h| h.kind == "paragraph" && h.object_id == c.rec_paragraphs[&21])
        .expect("the paragraph of recommendation 21");
    assert_eq!(
        hit.location.source_title.as_deref(),
        Some("Child S executive summary")
    );
    assert_eq!(
        hit.location
            .paragraph_label
            .as_deref()
            .map(|l| l.trim_end_matches('.')),
        Some("21")
    );
    assert!(hit
        .snippet_parts
        .iter()
        .any(|p| p.hit && p.text.contains("Gen")));
    let rec_hit = page.hits.iter().find(|h| h.object_id == rec21.id).unwrap();
    assert_eq!(rec_hit.location.label, "R21");
}

#[test]
fn searching_project1_finds_at_least_three_paragraphs() {
    let c = build();
    let page =
        c.f.review
            .search(&SearchQuery {
                kinds: Some(vec!["paragraph".into()]),
                ..SearchQuery::new("Project1")
            })
            .unwrap();
    assert!(page.hits.len() >= 3, "{} hits", page.hits.len());
    assert!(page.hits.iter().all(|h| h.snippet.contains("«Project1»")));
}

#[test]
fn the_child_s_review_survives_a_dump_and_load_unchanged() {
    let c = build();
    let first = dump(&c.f.review).unwrap();
    let copy = c.f.dir.path().join("copy.threadline");
    let loaded = load(&first, &copy, ctx()).unwrap();
    assert_eq!(dump(&loaded).unwrap(), first);
    assert_eq!(loaded.recommendations().unwrap().len(), 37);
    assert_eq!(
        loaded.tor_coverage().unwrap(),
        c.f.review.tor_coverage().unwrap()
    );
    let hits = loaded.search(&SearchQuery::new("Gen 117")).unwrap();
    assert!(!hits.hits.is_empty());
}

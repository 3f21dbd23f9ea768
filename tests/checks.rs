//! Quality checks: each check fires on the problem it names and stays quiet otherwise, results
//! come most serious first in the review's order, the demo's results are exactly the issues it
//! was written to show, and `threadline check` prints them with the right exit status.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;
use threadline::checks::{wording, CheckCode, CheckReport, Severity, TargetKind};
use threadline::demo::build_demo;
use threadline::model::chronology::ChronologyInput;
use threadline::model::details::DetailsInput;
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::recommendations::{
    ActionInput, ActionStatus, BoardResponse, Due, RecommendationInput,
};
use threadline::model::sections::{Document, SectionInput};
use threadline::model::sources::{Confidence, SourceInput, SourceKind};
use threadline::model::tor::{TorInput, TorKind};
use threadline::{Context, Review};

use crate::common::{cli, ctx, fresh, Fixture};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A review with nothing to report: one rated IMR, a located chronology entry inside the
/// review period, one ToR item answered by an evidenced finding, one measurable
/// recommendation with an owner, a due date and an action not yet due, and a report section
/// citing the finding. The tests' clock stands at 1 March 2026.
struct Clean {
    f: Fixture,
    source: String,
    paragraph: String,
    excerpt: String,
    entry: String,
    tor: String,
    finding: String,
    rec: String,
    action: String,
    section: String,
}

fn finding_input(statement: &str) -> FindingInput {
    FindingInput {
        theme_id: None,
        kind: FindingKind::Practice,
        statement: statement.into(),
        analysis: String::new(),
    }
}

fn rec_input(text: &str) -> RecommendationInput {
    RecommendationInput {
        owner_role: "Head of MASH".into(),
        text: text.into(),
        due: Due::Date(day(2026, 6, 30)),
        measure: "A dip sample of 20 referrals finds the history read in every one.".into(),
        ..RecommendationInput::default()
    }
}

fn clean() -> Clean {
    let mut f = fresh();
    let r = &mut f.review;
    let details = r.details().unwrap();
    r.update_details(DetailsInput {
        review_period_start: Some(day(2021, 1, 1)),
        review_period_end: Some(day(2021, 12, 31)),
        context_period_start: Some(day(2019, 1, 1)),
        context_period_end: Some(day(2020, 12, 31)),
        ..DetailsInput::from(details)
    })
    .unwrap();
    let source = r
        .import_text(
            SourceInput {
                kind: SourceKind::Imr,
                title: "Police IMR".into(),
                confidence: Confidence::High,
                confidence_reason: "Full records and interviews.".into(),
                ..SourceInput::default()
            },
            "4.1 Officers attended after a neighbour called.\n\
             4.2 No referral was made to children's social care.\n",
        )
        .unwrap();
    let paragraph = r.paragraphs(&source.id, 0, 10).unwrap()[1].id.clone();
    let excerpt = r
        .excerpt_for_text(&paragraph, "No referral was made")
        .unwrap()
        .id;
    let mut entry = ChronologyInput::new(day(2021, 3, 12), "Police attend a domestic incident");
    entry.source_id = Some(source.id.clone());
    entry.paragraph_id = Some(paragraph.clone());
    entry.source_locator = "Police IMR para 4.1".into();
    let entry = r.add_chronology_entry(entry).unwrap().id;
    let tor = r
        .add_tor(TorInput {
            kind: TorKind::Generic,
            text: "How well did agencies share information?".into(),
            out_of_scope_reason: None,
        })
        .unwrap()
        .id;
    let finding = r
        .add_finding(finding_input("The police did not refer the children"))
        .unwrap()
        .id;
    r.set_finding_tors(&finding, std::slice::from_ref(&tor))
        .unwrap();
    r.link_evidence(
        &finding,
        EvidenceTarget::Excerpt(excerpt.clone()),
        Relation::Supports,
        "",
    )
    .unwrap();
    let rec = r
        .add_recommendation(rec_input(
            "The MASH should read the family history before grading any notification.",
        ))
        .unwrap()
        .id;
    r.link_finding(&rec, &finding).unwrap();
    let action = r
        .add_action(
            &rec,
            ActionInput {
                text: "Issue a revised triage procedure.".into(),
                lead: "MASH manager".into(),
                due_date: Some(day(2026, 4, 30)),
                status: ActionStatus::OnTrack,
                completion_evidence: String::new(),
            },
        )
        .unwrap()
        .id;
    let section = r
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Analysis".into(),
            body: format!("No referral followed [[finding:{finding}]]."),
        })
        .unwrap()
        .id;
    Clean {
        f,
        source: source.id,
        paragraph,
        excerpt,
        entry,
        tor,
        finding,
        rec,
        action,
        section,
    }
}

/// The (code, target kind, target id) of every result, in order.
fn summary(report: &CheckReport) -> Vec<(CheckCode, TargetKind, String)> {
    report
        .results
        .iter()
        .map(|r| (r.code, r.target.kind, r.target.id.clone()))
        .collect()
}

/// The results with one code.
fn with_code(report: &CheckReport, code: CheckCode) -> Vec<&threadline::checks::CheckResult> {
    report.results.iter().filter(|r| r.code == code).collect()
}

#[test]
fn a_clean_review_has_nothing_to_report() {
    let c = clean();
    let report = c.f.review.checks().unwrap();
    assert_eq!(report.results, vec![], "{report:#?}");
    assert_eq!((report.errors, report.warnings, report.infos), (0, 0, 0));
}

#[test]
fn a_finding_without_evidence_is_an_error_until_evidence_is_linked() {
    let mut c = clean();
    let r = &mut c.f.review;
    let bare = r
        .add_finding(finding_input(
            "Health visitors did not see the baby at home after the burn was reported",
        ))
        .unwrap();
    r.set_finding_tors(&bare.id, std::slice::from_ref(&c.tor))
        .unwrap();
    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![(
            CheckCode::FindingWithoutEvidence,
            TargetKind::Finding,
            bare.id.clone()
        )]
    );
    let result = &report.results[0];
    assert_eq!(result.severity, Severity::Error);
    assert_eq!(
        result.message,
        "Finding F2 “Health visitors did not see the baby at home after the burn…” cites no \
         evidence"
    );
    assert!(result
        .detail
        .as_deref()
        .unwrap()
        .contains("Link the excerpts"));
    assert_eq!(report.errors, 1);

    r.link_evidence(
        &bare.id,
        EvidenceTarget::Chronology(c.entry.clone()),
        Relation::Context,
        "",
    )
    .unwrap();
    assert!(r.checks().unwrap().results.is_empty());
}

#[test]
fn an_unanswered_tor_item_is_an_error_unless_out_of_scope_with_a_reason() {
    let mut c = clean();
    let r = &mut c.f.review;
    let t2 = r
        .add_tor(TorInput {
            kind: TorKind::CaseSpecific,
            text: "How were the concerns of the extended family heard?".into(),
            out_of_scope_reason: None,
        })
        .unwrap();
    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![(CheckCode::TorUnanswered, TargetKind::Tor, t2.id.clone())]
    );
    assert_eq!(
        report.results[0].message,
        "Term of reference 2 “How were the concerns of the extended family heard?” is answered \
         by no finding"
    );

    // Out of scope with a reason: nothing to fix.
    r.update_tor(
        &t2.id,
        TorInput {
            kind: TorKind::CaseSpecific,
            text: "How were the concerns of the extended family heard?".into(),
            out_of_scope_reason: Some("Covered by the parallel domestic homicide review".into()),
        },
    )
    .unwrap();
    assert!(r.checks().unwrap().results.is_empty());

    // Out of scope yet answered: worth knowing, not an error.
    r.set_finding_tors(&c.finding, &[c.tor.clone(), t2.id.clone()])
        .unwrap();
    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![(
            CheckCode::TorOutOfScopeButAnswered,
            TargetKind::Tor,
            t2.id.clone()
        )]
    );
    assert_eq!(report.results[0].severity, Severity::Info);
    assert!(report.results[0]
        .message
        .ends_with("out of scope, but F1 answers it"));
    assert_eq!((report.errors, report.warnings, report.infos), (0, 0, 1));
}

#[test]
fn a_recommendation_without_finding_owner_or_due_gets_an_error_for_each() {
    let mut c = clean();
    let r = &mut c.f.review;
    let bare = r
        .add_recommendation(RecommendationInput {
            text: "The Partnership should publish a protocol on home visits after injuries.".into(),
            measure: "Audit of 20 cases.".into(),
            ..RecommendationInput::default()
        })
        .unwrap();
    let report = r.checks().unwrap();
    let target = bare.id.clone();
    assert_eq!(
        summary(&report),
        vec![
            (
                CheckCode::RecommendationWithoutFinding,
                TargetKind::Recommendation,
                target.clone()
            ),
            (
                CheckCode::RecommendationWithoutOwner,
                TargetKind::Recommendation,
                target.clone()
            ),
            (
                CheckCode::RecommendationWithoutDue,
                TargetKind::Recommendation,
                target.clone()
            ),
        ]
    );
    let messages: Vec<&str> = report.results.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "R2 “The Partnership should publish a protocol on home visits…” is linked to \
             no finding",
            "R2 “The Partnership should publish a protocol on home visits…” has no owner",
            "R2 “The Partnership should publish a protocol on home visits…” has no due \
             date",
        ]
    );
    assert_eq!(report.errors, 3);

    // "Immediately" is a due; an owner and a finding clear the rest.
    r.update_recommendation(
        &bare.id,
        RecommendationInput {
            owner_role: "Business manager".into(),
            due: Due::Immediately,
            ..RecommendationInput::from_rec(&r.recommendation(&bare.id).unwrap())
        },
    )
    .unwrap();
    r.link_finding(&bare.id, &c.finding).unwrap();
    assert!(r.checks().unwrap().results.is_empty());
}

/// Builds the input that keeps a recommendation as it is.
trait FromRec {
    fn from_rec(rec: &threadline::model::recommendations::Recommendation) -> Self;
}

impl FromRec for RecommendationInput {
    fn from_rec(rec: &threadline::model::recommendations::Recommendation) -> Self {
        RecommendationInput {
            origin: rec.origin,
            origin_agency_id: rec.origin_agency_id.clone(),
            addressee_agency_id: rec.addressee_agency_id.clone(),
            owner_role: rec.owner_role.clone(),
            text: rec.text.clone(),
            due: rec.due,
            measure: rec.measure.clone(),
            board_response: rec.board_response,
            response_reason: rec.response_reason.clone(),
        }
    }
}

#[test]
fn a_rejected_recommendation_needs_no_owner_due_or_measurable_wording() {
    let mut c = clean();
    let r = &mut c.f.review;
    let rejected = r
        .add_recommendation(RecommendationInput {
            text: "Agencies should consider a new panel.".into(),
            board_response: BoardResponse::Rejected,
            response_reason: "Duplicates the existing MARAC.".into(),
            ..RecommendationInput::default()
        })
        .unwrap();
    r.add_action(
        &rejected.id,
        ActionInput {
            text: "Set up the panel.".into(),
            due_date: Some(day(2025, 1, 1)),
            ..ActionInput::default()
        },
    )
    .unwrap();
    // Its missing finding still matters: the report says why it was made.
    assert_eq!(
        summary(&r.checks().unwrap()),
        vec![(
            CheckCode::RecommendationWithoutFinding,
            TargetKind::Recommendation,
            rejected.id.clone()
        )]
    );
}

#[test]
fn vague_verbs_without_a_measure_are_flagged_and_measurable_wording_is_not() {
    let vague = [
        (
            "Agencies should consider the learning from this review.",
            vec!["consider"],
        ),
        ("The ICB should review its guidance.", vec!["review"]),
        (
            "Partners should also look at how referrals are graded.",
            vec!["look at"],
        ),
        ("Schools should reflect on this case.", vec!["reflect on"]),
        (
            "Practitioners should be mindful of hidden men.",
            vec!["be mindful"],
        ),
        (
            "The Partnership should promote professional curiosity.",
            vec!["promote"],
        ),
        (
            "Managers should encourage staff to escalate.",
            vec!["encourage"],
        ),
        (
            "The trust must urgently improve its transfers.",
            vec!["improve"],
        ),
        (
            "The MASH needs to strengthen its triage.",
            vec!["strengthen"],
        ),
        (
            "Work is needed to raise awareness of coercive control.",
            vec!["raise awareness"],
        ),
        ("Explore options for a shared record.", vec!["explore"]),
        ("Agencies need to improve their recording.", vec!["improve"]),
        (
            "The trust should seek to strengthen supervision.",
            vec!["strengthen"],
        ),
        (
            "Schools should reflect on the case and then promote curiosity.",
            vec!["reflect on", "promote"],
        ),
        ("Review the escalation policy.", vec!["review"]),
        (
            "Agencies should explore and should consider joint visits.",
            vec!["consider", "explore"],
        ),
    ];
    for (text, phrases) in vague {
        assert_eq!(wording::hard_to_measure(text, ""), phrases, "{text}");
    }

    let fine = [
        // A measure in the text: number, percentage, date, month, timescale, named audit.
        ("The ICB should review 30 case files.", ""),
        (
            "Agencies should improve recording so that 90% of records name the adults.",
            "",
        ),
        ("The trust should improve its transfers by March.", ""),
        (
            "The trust should improve its transfers within six weeks.",
            "",
        ),
        (
            "The MASH should strengthen triage and report to the Partnership board.",
            "",
        ),
        ("The ICB should review coding through an annual audit.", ""),
        ("Partners should consider the findings by 30/06/2025.", ""),
        // A measure in the measure field.
        (
            "The ICB should review its guidance.",
            "Re-audit shows full compliance.",
        ),
        (
            "The school should review the whole record.",
            "Every request is answered by the DSL.",
        ),
        // "Review" as a noun, not a task.
        (
            "The findings of this review should be shared with all staff by March.",
            "",
        ),
        ("A review of the case showed missed chances.", ""),
        ("Review of the escalation policy is complete.", ""),
        ("The panel noted that the review process had improved.", ""),
        ("Issue guidance on the review of closed cases.", ""),
        // A purpose, not the task.
        (
            "The MASH should introduce a triage meeting to improve the timeliness of decisions.",
            "",
        ),
        ("Write guidance so as to promote consistent practice.", ""),
        // No vague verb at all.
        (
            "The MASH should read the family history before grading a notification.",
            "",
        ),
        ("Adopt a written procedure for information requests.", ""),
    ];
    for (text, measure) in fine {
        assert!(
            wording::hard_to_measure(text, measure).is_empty(),
            "{text} / {measure}: {:?}",
            wording::hard_to_measure(text, measure)
        );
    }
    // A measure field without a measure does not rescue the text.
    assert_eq!(
        wording::hard_to_measure(
            "Agencies should reflect on how they listen to families.",
            "Families feel heard."
        ),
        vec!["reflect on"]
    );
}

#[test]
fn vague_recommendations_and_actions_are_warnings_naming_the_words() {
    let mut c = clean();
    let r = &mut c.f.review;
    r.update_recommendation(
        &c.rec,
        RecommendationInput {
            text: "Agencies should reflect on the learning and be mindful of hidden men.".into(),
            measure: "Practitioners feel more confident.".into(),
            ..RecommendationInput::from_rec(&r.recommendation(&c.rec).unwrap())
        },
    )
    .unwrap();
    let vague_action = r
        .add_action(
            &c.rec,
            ActionInput {
                text: "Explore a shared chronology tool.".into(),
                due_date: Some(day(2026, 9, 30)),
                ..ActionInput::default()
            },
        )
        .unwrap();
    // A complete action has nothing left to measure.
    r.add_action(
        &c.rec,
        ActionInput {
            text: "Consider the options.".into(),
            status: ActionStatus::Complete,
            completion_evidence: "Options paper to the board, May 2025.".into(),
            ..ActionInput::default()
        },
    )
    .unwrap();
    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![
            (
                CheckCode::VagueWording,
                TargetKind::Recommendation,
                c.rec.clone()
            ),
            (
                CheckCode::VagueWording,
                TargetKind::Action,
                vague_action.id.clone()
            ),
        ]
    );
    assert_eq!(
        report.results[0].message,
        "R1 “Agencies should reflect on the learning and be mindful of…” is hard to \
         measure: it asks to “reflect on” and “be mindful” but says nothing a board could check"
    );
    assert_eq!(
        report.results[1].message,
        "Action 2 of R1 “Explore a shared chronology tool.” is hard to measure: it asks to \
         “explore” but says nothing that shows when it is done"
    );
    assert!(report
        .results
        .iter()
        .all(|r| r.severity == Severity::Warning));
    assert_eq!((report.errors, report.warnings), (0, 2));
}

#[test]
fn a_citation_to_a_deleted_record_or_a_malformed_token_is_an_error_on_its_section() {
    let mut c = clean();
    let r = &mut c.f.review;
    let gone = r
        .add_finding(finding_input("A finding later withdrawn"))
        .unwrap();
    r.link_evidence(
        &gone.id,
        EvidenceTarget::Excerpt(c.excerpt.clone()),
        Relation::Supports,
        "",
    )
    .unwrap();
    r.set_finding_tors(&gone.id, std::slice::from_ref(&c.tor))
        .unwrap();
    let summary_section = r
        .add_section(SectionInput {
            document: Document::Summary,
            heading: "What the review found".into(),
            body: format!(
                "See [[finding:{}]] and [[chronology:{}]] and [[finding:nope]].",
                gone.id, c.entry
            ),
        })
        .unwrap();
    assert!(
        r.checks().unwrap().results.len() == 1,
        "only the malformed token"
    );
    r.delete_finding(&gone.id, true).unwrap();
    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![
            (
                CheckCode::BrokenCitation,
                TargetKind::Section,
                summary_section.id.clone()
            ),
            (
                CheckCode::MalformedCitation,
                TargetKind::Section,
                summary_section.id.clone()
            ),
        ]
    );
    assert_eq!(
        report.results[0].message,
        "Section “What the review found” of the executive summary cites a finding that has \
         been deleted"
    );
    assert_eq!(
        report.results[0].detail.as_deref(),
        Some(
            format!(
                "Remove the citation [[finding:{}]] or cite what replaced it.",
                gone.id
            )
            .as_str()
        )
    );
    assert_eq!(
        report.results[1].message,
        "Section “What the review found” of the executive summary has a citation that cannot \
         be read: [[finding:nope]]"
    );
    assert_eq!(report.errors, 2);
    // The overview section cites a finding that still exists.
    assert!(report.results.iter().all(|x| x.target.id != c.section));

    // Undo brings the finding back and the citation is sound again.
    r.undo().unwrap();
    assert_eq!(
        summary(&r.checks().unwrap()),
        vec![(
            CheckCode::MalformedCitation,
            TargetKind::Section,
            summary_section.id.clone()
        )]
    );
}

#[test]
fn an_unrated_imr_is_a_warning_but_not_other_sources_or_superseded_versions() {
    let mut c = clean();
    let r = &mut c.f.review;
    let unrated = r
        .import_text(
            SourceInput {
                kind: SourceKind::Imr,
                title: "School IMR".into(),
                ..SourceInput::default()
            },
            "1.1 The school recorded a bruise.\n",
        )
        .unwrap();
    r.import_text(
        SourceInput {
            kind: SourceKind::Minutes,
            title: "Panel minutes".into(),
            ..SourceInput::default()
        },
        "1. Apologies.\n",
    )
    .unwrap();
    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![(
            CheckCode::ImrNotRated,
            TargetKind::Source,
            unrated.id.clone()
        )]
    );
    assert_eq!(
        report.results[0].message,
        "IMR “School IMR” has no confidence rating"
    );
    assert_eq!(report.results[0].severity, Severity::Warning);

    // A second version replaces it: only the current version needs a rating.
    let v2 = r
        .import_document_bytes(
            SourceInput {
                kind: SourceKind::Imr,
                title: "School IMR v2".into(),
                confidence: Confidence::Medium,
                confidence_reason: "Records only.".into(),
                ..SourceInput::default()
            },
            "school-imr-v2.txt",
            b"1.1 The school recorded a bruise and told the DSL.\n",
            Some(&unrated.id),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(
        r.source(&unrated.id).unwrap().superseded_by_id,
        Some(v2.source.id.clone())
    );
    assert!(r.checks().unwrap().results.is_empty());
}

#[test]
fn chronology_entries_need_a_locator_and_a_place_in_a_period() {
    let mut c = clean();
    let r = &mut c.f.review;
    let bare = r
        .add_chronology_entry(ChronologyInput::new(
            day(2021, 5, 1),
            "Grandmother raises concerns with the health visitor",
        ))
        .unwrap();
    let mut from_source = ChronologyInput::new(day(2021, 6, 1), "School notes a bruise");
    from_source.source_id = Some(c.source.clone());
    let from_source = r.add_chronology_entry(from_source).unwrap();
    let mut typed = ChronologyInput::new(day(2021, 7, 1), "GP appointment missed");
    typed.source_locator = "GP records, 1 July 2021".into();
    r.add_chronology_entry(typed).unwrap();
    let mut old = ChronologyInput::new(day(2015, 2, 1), "Mother's first contact with services");
    old.source_id = Some(c.source.clone());
    old.paragraph_id = Some(c.paragraph.clone());
    let old = r.add_chronology_entry(old).unwrap();

    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![
            (
                CheckCode::ChronologyOutsidePeriods,
                TargetKind::Chronology,
                old.id.clone()
            ),
            (
                CheckCode::ChronologyWithoutLocator,
                TargetKind::Chronology,
                bare.id.clone()
            ),
            (
                CheckCode::ChronologyWithoutLocator,
                TargetKind::Chronology,
                from_source.id.clone()
            ),
        ]
    );
    let messages: Vec<&str> = report.results.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Chronology entry 01/02/2015 “Mother's first contact with services” falls outside \
             both the review period and the context period",
            "Chronology entry 01/05/2021 “Grandmother raises concerns with the health…” does \
             not say where it comes from",
            "Chronology entry 01/06/2021 “School notes a bruise” does not say where in its \
             source it is recorded",
        ]
    );
    assert_eq!(
        report.results[0].detail.as_deref(),
        Some(
            "The review period is 1 January 2021 to 31 December 2021 and the context period 1 \
             January 2019 to 31 December 2020. Correct the date, widen a period, or remove the \
             entry if it does not bear on the review."
        )
    );

    // With no periods set nothing is outside; an info says why the chronology went unchecked.
    let details = r.details().unwrap();
    let details_id = details.id.clone();
    r.update_details(DetailsInput {
        review_period_start: None,
        review_period_end: None,
        context_period_start: None,
        context_period_end: None,
        ..DetailsInput::from(details)
    })
    .unwrap();
    let report = r.checks().unwrap();
    assert!(with_code(&report, CheckCode::ChronologyOutsidePeriods).is_empty());
    assert_eq!(
        with_code(&report, CheckCode::PeriodsNotSet)
            .iter()
            .map(|r| (r.target.kind, r.target.id.clone(), r.severity))
            .collect::<Vec<_>>(),
        vec![(TargetKind::Details, details_id, Severity::Info)]
    );
}

/// Writes `review` out as JSON, lets `edit` change the dump, and loads it as a new file.
fn reload(f: Fixture, edit: impl FnOnce(&mut Value)) -> (tempfile::TempDir, Review) {
    let mut dump: Value =
        serde_json::from_str(&threadline::interchange::dump(&f.review).unwrap()).unwrap();
    edit(&mut dump);
    let path = f.dir.path().join("loaded.threadline");
    let review = threadline::interchange::load(&dump.to_string(), &path, ctx()).expect("loads");
    (f.dir, review)
}

#[test]
fn duplicate_missing_and_out_of_order_recommendation_numbers_are_errors() {
    let mut c = clean();
    let r = &mut c.f.review;
    let mut ids = vec![c.rec.clone()];
    for text in [
        "The trust should record the household at every visit.",
        "The school should send every request to the DSL.",
        "The police should check every adult named in a notification.",
    ] {
        let rec = r.add_recommendation(rec_input(text)).unwrap();
        r.link_finding(&rec.id, &c.finding).unwrap();
        ids.push(rec.id);
    }
    assert!(r.checks().unwrap().results.is_empty());

    // A hand-edited dump: numbers 1, 3, 3, 6 in list order.
    let (_dir, mut loaded) = reload(c.f, |dump| {
        let recs = dump["tables"]["recommendation"].as_array_mut().unwrap();
        for (rec, number) in recs.iter_mut().zip([1, 3, 3, 6]) {
            rec["number"] = number.into();
        }
    });
    let report = loaded.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![
            (
                CheckCode::MissingRecommendationNumber,
                TargetKind::Recommendation,
                ids[1].clone()
            ),
            (
                CheckCode::DuplicateRecommendationNumber,
                TargetKind::Recommendation,
                ids[2].clone()
            ),
            (
                CheckCode::MissingRecommendationNumber,
                TargetKind::Recommendation,
                ids[3].clone()
            ),
        ]
    );
    let messages: Vec<&str> = report.results.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "There is no R2: the numbers jump from R1 to R3",
            "Two recommendations are numbered R3: “The trust should record the household…” and \
             “The school should send every request to…”",
            "There are no R4–R5: the numbers jump from R3 to R6",
        ]
    );
    assert!(report.results.iter().all(|r| r.severity == Severity::Error));

    // Moving a recommendation renumbers them all, which clears every result.
    loaded.move_recommendation(&ids[0], 0).unwrap();
    assert!(loaded.checks().unwrap().results.is_empty());
}

#[test]
fn numbers_that_start_late_or_run_backwards_are_errors() {
    let mut c = clean();
    let r = &mut c.f.review;
    let second = r
        .add_recommendation(rec_input("The trust should record every adult."))
        .unwrap();
    r.link_finding(&second.id, &c.finding).unwrap();
    let (_dir, loaded) = reload(c.f, |dump| {
        let recs = dump["tables"]["recommendation"].as_array_mut().unwrap();
        recs[0]["number"] = 3.into();
        recs[1]["number"] = 2.into();
    });
    let report = loaded.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![
            (
                CheckCode::MissingRecommendationNumber,
                TargetKind::Recommendation,
                second.id.clone()
            ),
            (
                CheckCode::RecommendationOutOfOrder,
                TargetKind::Recommendation,
                second.id.clone()
            ),
        ]
    );
    assert_eq!(
        report.results[0].message,
        "There is no R1: the recommendations start at R2"
    );
    assert_eq!(
        report.results[1].message,
        "R2 “The trust should record every adult.” comes after R3 in the list"
    );
}

#[test]
fn an_action_past_its_due_date_is_overdue_by_the_review_clock() {
    let mut c = clean();
    let r = &mut c.f.review;
    let late = r
        .add_action(
            &c.rec,
            ActionInput {
                text: "Deliver a briefing on hidden men.".into(),
                lead: "Trainer".into(),
                due_date: Some(day(2026, 2, 28)),
                status: ActionStatus::AtRisk,
                completion_evidence: String::new(),
            },
        )
        .unwrap();
    // Due today is not yet late; done is never late.
    r.add_action(
        &c.rec,
        ActionInput {
            text: "Publish the briefing slides.".into(),
            due_date: Some(day(2026, 3, 1)),
            ..ActionInput::default()
        },
    )
    .unwrap();
    r.add_action(
        &c.rec,
        ActionInput {
            text: "Book the venue.".into(),
            due_date: Some(day(2025, 1, 1)),
            status: ActionStatus::Complete,
            completion_evidence: "Venue booked.".into(),
            ..ActionInput::default()
        },
    )
    .unwrap();
    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![(
            CheckCode::ActionOverdue,
            TargetKind::Action,
            late.id.clone()
        )]
    );
    assert_eq!(
        report.results[0].message,
        "Action 2 of R1 “Deliver a briefing on hidden men.” was due on 28 February 2026 and \
         is not complete"
    );
    assert!(report.results[0]
        .detail
        .as_deref()
        .unwrap()
        .starts_with("Its status is “at risk”."));

    // The same file a year later: the first action is late too.
    let path = c.f.path.clone();
    c.f.review.close().unwrap();
    let later = Context::fixed(Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap(), 9);
    let reopened = Review::open(&path, later).unwrap();
    let report = reopened.checks().unwrap();
    assert_eq!(
        summary(&report)
            .into_iter()
            .filter(|(code, ..)| *code == CheckCode::ActionOverdue)
            .map(|(_, _, id)| id)
            .collect::<Vec<_>>(),
        vec![c.action.clone(), late.id.clone(), {
            let plan = reopened.recommendation(&c.rec).unwrap();
            plan.actions[2].id.clone()
        }]
    );
}

#[test]
fn results_come_most_serious_first_then_in_review_order() {
    let mut c = clean();
    let r = &mut c.f.review;
    // Warnings and errors spread over several kinds of record, added out of review order.
    let r2 = r
        .add_recommendation(RecommendationInput {
            text: "Agencies should consider the learning.".into(),
            ..RecommendationInput::default()
        })
        .unwrap();
    let late = r
        .add_action(
            &c.rec,
            ActionInput {
                text: "Train all MASH staff.".into(),
                due_date: Some(day(2025, 12, 1)),
                ..ActionInput::default()
            },
        )
        .unwrap();
    let bare = r.add_finding(finding_input("Unsupported claim")).unwrap();
    r.set_finding_tors(&bare.id, std::slice::from_ref(&c.tor))
        .unwrap();
    let t2 = r
        .add_tor(TorInput {
            kind: TorKind::CaseSpecific,
            text: "Was the GP involved?".into(),
            out_of_scope_reason: None,
        })
        .unwrap();
    let unrated = r
        .import_text(
            SourceInput {
                kind: SourceKind::Imr,
                title: "Health IMR".into(),
                ..SourceInput::default()
            },
            "1.1 Seen.\n",
        )
        .unwrap();
    let section = r
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Broken".into(),
            body: "[[tor:".into(),
        })
        .unwrap();
    let bare_entry = r
        .add_chronology_entry(ChronologyInput::new(day(2021, 2, 2), "Unsourced event"))
        .unwrap();

    let report = r.checks().unwrap();
    assert_eq!(
        summary(&report),
        vec![
            (CheckCode::TorUnanswered, TargetKind::Tor, t2.id.clone()),
            (
                CheckCode::FindingWithoutEvidence,
                TargetKind::Finding,
                bare.id.clone()
            ),
            (
                CheckCode::RecommendationWithoutFinding,
                TargetKind::Recommendation,
                r2.id.clone()
            ),
            (
                CheckCode::RecommendationWithoutOwner,
                TargetKind::Recommendation,
                r2.id.clone()
            ),
            (
                CheckCode::RecommendationWithoutDue,
                TargetKind::Recommendation,
                r2.id.clone()
            ),
            (
                CheckCode::MalformedCitation,
                TargetKind::Section,
                section.id.clone()
            ),
            (
                CheckCode::ImrNotRated,
                TargetKind::Source,
                unrated.id.clone()
            ),
            (
                CheckCode::ChronologyWithoutLocator,
                TargetKind::Chronology,
                bare_entry.id.clone()
            ),
            // An action sits with its recommendation: R1's action before R2.
            (
                CheckCode::ActionOverdue,
                TargetKind::Action,
                late.id.clone()
            ),
            (
                CheckCode::VagueWording,
                TargetKind::Recommendation,
                r2.id.clone()
            ),
        ]
    );
    assert_eq!((report.errors, report.warnings, report.infos), (6, 4, 0));
    let severities: Vec<Severity> = report.results.iter().map(|r| r.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
}

#[test]
fn checks_only_read() {
    let c = clean();
    let before = threadline::interchange::dump(&c.f.review).unwrap();
    let history = c.f.review.audit_log(1000).unwrap().len();
    c.f.review.checks().unwrap();
    assert_eq!(threadline::interchange::dump(&c.f.review).unwrap(), before);
    assert_eq!(c.f.review.audit_log(1000).unwrap().len(), history);
}

/// The day the demo's action plan was last brought up to date (its last update is dated 30
/// August 2024): the demo is checked as of then, so the results do not drift with the years.
fn demo_as_of() -> Context {
    Context::fixed(Utc.with_ymd_and_hms(2024, 9, 2, 9, 0, 0).unwrap(), 7)
}

#[test]
fn the_demo_lists_exactly_its_handful_of_real_issues() {
    let dir = tempfile::tempdir().unwrap();
    let review = build_demo(&dir.path().join("demo.threadline"), demo_as_of()).unwrap();
    let report = review.checks().unwrap();

    let recs = review.recommendations().unwrap();
    let rec = |n: i64| recs.iter().find(|r| r.number == n).unwrap();
    let hospital = review
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.title.contains("Hospitals"))
        .unwrap();
    let moved_in = review
        .chronology(&Default::default())
        .unwrap()
        .into_iter()
        .find(|e| e.event.starts_with("Adult P moved into the family home"))
        .unwrap();
    assert_eq!(
        summary(&report),
        vec![
            (
                CheckCode::RecommendationWithoutDue,
                TargetKind::Recommendation,
                rec(4).id.clone()
            ),
            (
                CheckCode::ImrNotRated,
                TargetKind::Source,
                hospital.id.clone()
            ),
            (
                CheckCode::ChronologyWithoutLocator,
                TargetKind::Chronology,
                moved_in.id.clone()
            ),
            (
                CheckCode::VagueWording,
                TargetKind::Recommendation,
                rec(7).id.clone()
            ),
            (
                CheckCode::ActionOverdue,
                TargetKind::Action,
                rec(7).actions[0].id.clone()
            ),
            (
                CheckCode::ActionOverdue,
                TargetKind::Action,
                rec(9).actions[0].id.clone()
            ),
            (
                CheckCode::ActionOverdue,
                TargetKind::Action,
                rec(13).actions[0].id.clone()
            ),
        ],
        "{report:#?}"
    );
    assert_eq!((report.errors, report.warnings, report.infos), (1, 6, 0));
    // Every message names its record as the app shows it.
    let messages: Vec<&str> = report.results.iter().map(|r| r.message.as_str()).collect();
    assert!(messages[0].starts_with("R4 “The Partnership should agree guidance"));
    assert!(messages[1].starts_with("IMR “Individual Management Review: Northmoor Hospitals"));
    assert_eq!(
        messages[2],
        "Chronology entry 02/2023 “Adult P moved into the family home…” does not say where it \
         comes from"
    );
    assert!(messages[3].contains("“reflect on”"));
    assert!(messages[4].starts_with("Action 1 of R7 "));
    assert!(messages[4].ends_with("was due on 31 May 2024 and is not complete"));
}

#[test]
fn the_demo_checked_later_finds_every_unfinished_action_overdue() {
    let dir = tempfile::tempdir().unwrap();
    let review = build_demo(&dir.path().join("demo.threadline"), ctx()).unwrap();
    let today = day(2026, 3, 1);
    let expected: Vec<String> = review
        .action_plan()
        .unwrap()
        .into_iter()
        .filter(|p| p.is_overdue(today))
        .map(|p| p.action.id)
        .collect();
    assert!(expected.len() > 10);
    let report = review.checks().unwrap();
    let overdue: Vec<String> = with_code(&report, CheckCode::ActionOverdue)
        .into_iter()
        .map(|r| r.target.id.clone())
        .collect();
    assert_eq!(overdue, expected);
    // Nothing else changes with the date.
    assert_eq!(report.errors, 1);
    assert_eq!(report.warnings, 3 + expected.len());
}

// --- the command line ---------------------------------------------------------------------

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(cli())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run threadline")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn check_command_exits_zero_on_a_clean_review_and_on_warnings_only() {
    let c = clean();
    let dir = c.f.dir;
    c.f.review.close().unwrap();
    let out = run(
        &["check", "case.threadline", "--today", "2026-03-01"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "No problems found.\n0 errors, 0 warnings, 0 infos\n"
    );

    // One warning: an unrated IMR. Still exit 0.
    let mut review = Review::open(&dir.path().join("case.threadline"), ctx()).unwrap();
    review
        .import_text(
            SourceInput {
                kind: SourceKind::Imr,
                title: "School IMR".into(),
                ..SourceInput::default()
            },
            "1.1 Seen.\n",
        )
        .unwrap();
    review.close().unwrap();
    let out = run(
        &["check", "case.threadline", "--today", "2026-03-01"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "warning  IMR “School IMR” has no confidence rating\n         Rate how far the review \
         can rely on it (high, medium or low) and say why.\n\n0 errors, 1 warning, 0 infos\n"
    );
}

#[test]
fn check_command_exits_one_on_errors_and_prints_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let made = run(&["demo", "d.threadline"], d);
    assert!(made.status.success());

    let out = run(&["check", "d.threadline", "--today", "2024-09-02"], d);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("error    R4 “The Partnership should agree guidance"),
        "{text}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("warning  ")).count(),
        6,
        "{text}"
    );
    assert_eq!(lines.last(), Some(&"1 error, 6 warnings, 0 infos"));

    let out = run(
        &["check", "d.threadline", "--today", "2024-09-02", "--json"],
        d,
    );
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 6);
    assert_eq!(json["infos"], 0);
    let first = &json["results"][0];
    assert_eq!(first["code"], "recommendation_without_due");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["target"]["kind"], "recommendation");
    assert!(first["target"]["id"].as_str().unwrap().len() == 36);
    let report: CheckReport = serde_json::from_value(json).expect("reads back as a CheckReport");
    assert_eq!(report.results.len(), 7);
    assert_eq!(
        report
            .results
            .iter()
            .filter(|r| r.code == CheckCode::ActionOverdue)
            .count(),
        3
    );

    // Checking never changes the file.
    let before = std::fs::read(d.join("d.threadline")).unwrap();
    run(&["check", "d.threadline"], d);
    assert_eq!(std::fs::read(d.join("d.threadline")).unwrap(), before);
}

#[test]
fn check_command_refuses_a_bad_date_or_a_missing_file_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(run(&["demo", "d.threadline"], d).status.success());
    for args in [
        vec!["check", "d.threadline", "--today", "2 September"],
        vec!["check", "missing.threadline"],
    ] {
        let out = run(&args, d);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.starts_with("threadline: "), "{err}");
    }
    let out = run(&["check", "d.threadline", "--today", "2 September"], d);
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("--today: '2 September' is not a date; write YYYY-MM-DD"));
}

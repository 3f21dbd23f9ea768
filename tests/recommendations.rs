//! Recommendations, their finding links, and the action plan (actions and their updates).

use chrono::NaiveDate;
use threadline::model::agencies::AgencyInput;
use threadline::model::comments::CommentTarget;
use threadline::model::findings::{FindingInput, FindingKind};
use threadline::model::recommendations::{
    ActionInput, ActionStatus, BoardResponse, Due, Origin, Recommendation, RecommendationInput,
};
use threadline::model::sections::{Document, SectionInput};
use threadline::{Error, Review};

use crate::common::fresh;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn rec(text: &str) -> RecommendationInput {
    RecommendationInput {
        text: text.into(),
        ..Default::default()
    }
}

fn action(text: &str) -> ActionInput {
    ActionInput {
        text: text.into(),
        ..Default::default()
    }
}

fn agency(review: &mut Review, name: &str) -> String {
    review
        .add_agency(AgencyInput {
            name: name.into(),
            short_name: String::new(),
            sector: String::new(),
        })
        .unwrap()
        .id
}

fn finding(review: &mut Review, statement: &str) -> String {
    review
        .add_finding(FindingInput {
            theme_id: None,
            kind: FindingKind::Practice,
            statement: statement.into(),
            analysis: String::new(),
        })
        .unwrap()
        .id
}

/// (number, text) of every recommendation, in order.
fn numbered(review: &Review) -> Vec<(i64, String)> {
    review
        .recommendations()
        .unwrap()
        .into_iter()
        .map(|r| (r.number, r.text))
        .collect()
}

fn invalid_field(err: &Error) -> &str {
    match err {
        Error::Invalid { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// ---- Due ------------------------------------------------------------------------------------

#[test]
fn due_parses_the_ways_people_write_it() {
    let month = |year, month| Due::Month { year, month };
    let table: Vec<(&str, Due)> = vec![
        ("", Due::None),
        ("   ", Due::None),
        ("none", Due::None),
        ("No due date", Due::None),
        ("2021-06-30", Due::Date(day(2021, 6, 30))),
        ("30/06/2021", Due::Date(day(2021, 6, 30))),
        ("1/6/2021", Due::Date(day(2021, 6, 1))),
        ("30 June 2021", Due::Date(day(2021, 6, 30))),
        ("1st Sept 2021", Due::Date(day(2021, 9, 1))),
        ("June 2021", month(2021, 6)),
        ("jun 2021", month(2021, 6)),
        ("  DECEMBER   2022 ", month(2022, 12)),
        ("2021-06", month(2021, 6)),
        ("06/2021", month(2021, 6)),
        ("immediately", Due::Immediately),
        ("Immediately.", Due::Immediately),
        ("immediate", Due::Immediately),
        ("as a matter of urgency", Due::Urgent),
        ("As a matter of  urgency", Due::Urgent),
        ("urgent", Due::Urgent),
    ];
    for (text, expected) in table {
        assert_eq!(Due::parse(text).unwrap(), expected, "parsing {text:?}");
        assert_eq!(
            text.parse::<Due>().unwrap(),
            expected,
            "FromStr on {text:?}"
        );
    }
}

#[test]
fn due_refuses_what_is_not_a_due_date_with_a_clear_message() {
    let table = [
        ("soon", "is not a due date"),
        ("next year", "is not a due date"),
        ("2021-13", "month 13 does not exist"),
        ("13/2021", "month 13 does not exist"),
        ("2021-02-30", "is not a real date"),
        ("31/04/2021", "is not a real date"),
        ("30 Febtober 2021", "is not a due date"),
        ("30/06/21", "is not a due date"),
        ("June 21", "is not a due date"),
        ("2021/06/30", "is not a due date"),
        ("0999-01-01", "four-digit year"),
    ];
    for (text, expected) in table {
        let err = Due::parse(text).unwrap_err();
        assert_eq!(invalid_field(&err), "due", "{text:?}");
        assert!(
            err.to_string().contains(expected),
            "{text:?} gave {err}, expected it to mention {expected:?}"
        );
    }
    let err = Due::parse("soon").unwrap_err().to_string();
    assert!(
        err.contains("June 2021") && err.contains("as a matter of urgency"),
        "the message says what is accepted: {err}"
    );
}

#[test]
fn due_displays_as_human_text_that_parses_back() {
    let table = [
        (Due::None, "No due date"),
        (Due::Date(day(2021, 6, 30)), "30 June 2021"),
        (Due::Date(day(2022, 1, 5)), "5 January 2022"),
        (
            Due::Month {
                year: 2021,
                month: 6,
            },
            "June 2021",
        ),
        (Due::Immediately, "Immediately"),
        (Due::Urgent, "As a matter of urgency"),
    ];
    for (due, text) in table {
        assert_eq!(due.to_string(), text);
        assert_eq!(Due::parse(text).unwrap(), due, "round trip of {text:?}");
    }
}

#[test]
fn due_serialises_with_a_kind_tag() {
    let json = |d: Due| serde_json::to_value(d).unwrap();
    assert_eq!(json(Due::None), serde_json::json!({"kind": "none"}));
    assert_eq!(
        json(Due::Date(day(2021, 6, 30))),
        serde_json::json!({"kind": "date", "value": "2021-06-30"})
    );
    assert_eq!(
        json(Due::Month {
            year: 2021,
            month: 6
        }),
        serde_json::json!({"kind": "month", "value": {"year": 2021, "month": 6}})
    );
    assert_eq!(json(Due::Urgent), serde_json::json!({"kind": "urgent"}));
    let back: Due = serde_json::from_value(json(Due::Month {
        year: 2024,
        month: 2,
    }))
    .unwrap();
    assert_eq!(
        back,
        Due::Month {
            year: 2024,
            month: 2
        }
    );
}

#[test]
fn due_deadline_is_the_day_or_the_end_of_the_month() {
    assert_eq!(Due::Date(day(2021, 6, 3)).deadline(), Some(day(2021, 6, 3)));
    assert_eq!(
        Due::Month {
            year: 2024,
            month: 2
        }
        .deadline(),
        Some(day(2024, 2, 29))
    );
    assert_eq!(
        Due::Month {
            year: 2021,
            month: 12
        }
        .deadline(),
        Some(day(2021, 12, 31))
    );
    assert_eq!(Due::Immediately.deadline(), None);
    assert_eq!(Due::None.deadline(), None);
}

// ---- Recommendations ------------------------------------------------------------------------

#[test]
fn recommendations_are_numbered_in_order_and_renumbered_on_move_and_delete() {
    let mut f = fresh();
    let a = f.review.add_recommendation(rec("A")).unwrap();
    let b = f.review.add_recommendation(rec("B")).unwrap();
    let c = f.review.add_recommendation(rec("C")).unwrap();
    assert_eq!((a.number, b.number, c.number), (1, 2, 3));

    f.review.move_recommendation(&c.id, 0).unwrap();
    assert_eq!(
        numbered(&f.review),
        [(1, "C".into()), (2, "A".into()), (3, "B".into())]
    );
    // Past the end is clamped to the end.
    f.review.move_recommendation(&c.id, 99).unwrap();
    assert_eq!(
        numbered(&f.review),
        [(1, "A".into()), (2, "B".into()), (3, "C".into())]
    );

    f.review.delete_recommendation(&a.id, false).unwrap();
    assert_eq!(numbered(&f.review), [(1, "B".into()), (2, "C".into())]);
    let d = f.review.add_recommendation(rec("D")).unwrap();
    assert_eq!(d.number, 3);
    assert_eq!(f.review.recommendation(&c.id).unwrap().number, 2);

    let err = f.review.move_recommendation(&a.id, 0).unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: "recommendation",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn every_field_is_saved_and_read_back_for_each_kind_of_due() {
    let mut f = fresh();
    let police = agency(&mut f.review, "Northshire Police");
    let council = agency(&mut f.review, "Northshire Council");
    let input = RecommendationInput {
        origin: Origin::AgencyImr,
        origin_agency_id: Some(police.clone()),
        addressee_agency_id: Some(council.clone()),
        owner_role: "  Director of Children's Services ".into(),
        text: "  Review the threshold guidance. ".into(),
        due: Due::Date(day(2021, 6, 30)),
        measure: "Audit of 20 referrals".into(),
        board_response: BoardResponse::Accepted,
        response_reason: String::new(),
    };
    let r = f.review.add_recommendation(input).unwrap();
    assert_eq!(r.origin, Origin::AgencyImr);
    assert_eq!(r.origin_agency_id.as_deref(), Some(police.as_str()));
    assert_eq!(r.addressee_agency_id.as_deref(), Some(council.as_str()));
    assert_eq!(r.owner_role, "Director of Children's Services");
    assert_eq!(r.text, "Review the threshold guidance.");
    assert_eq!(r.measure, "Audit of 20 referrals");
    assert_eq!(r.board_response, BoardResponse::Accepted);
    assert!(r.finding_ids.is_empty() && r.actions.is_empty());

    for due in [
        Due::None,
        Due::Month {
            year: 2022,
            month: 3,
        },
        Due::Immediately,
        Due::Urgent,
        Due::Date(day(2023, 1, 31)),
    ] {
        let input = RecommendationInput {
            origin: Origin::HealthOverview,
            text: "Review the threshold guidance.".into(),
            due,
            board_response: BoardResponse::Rejected,
            response_reason: "Already covered by R4".into(),
            ..Default::default()
        };
        let saved = f.review.update_recommendation(&r.id, input).unwrap();
        assert_eq!(saved.due, due);
        assert_eq!(f.review.recommendation(&r.id).unwrap().due, due);
        assert_eq!(saved.origin, Origin::HealthOverview);
        assert_eq!(saved.origin_agency_id, None);
        assert_eq!(saved.board_response, BoardResponse::Rejected);
        assert_eq!(saved.response_reason, "Already covered by R4");
    }
}

#[test]
fn invalid_recommendations_are_refused_and_change_nothing() {
    let mut f = fresh();
    let existing = f.review.add_recommendation(rec("Keep me")).unwrap();
    let before = f.review.recommendations().unwrap();
    let log_len = f.review.audit_log(100).unwrap().len();

    let cases: Vec<(RecommendationInput, &str, &str)> = vec![
        (rec("   "), "text", "must not be empty"),
        (
            RecommendationInput {
                origin: Origin::AgencyImr,
                ..rec("From an IMR")
            },
            "origin_agency_id",
            "needs the agency",
        ),
        (
            RecommendationInput {
                origin: Origin::AgencyImr,
                origin_agency_id: Some("  ".into()),
                ..rec("From an IMR, blank agency")
            },
            "origin_agency_id",
            "needs the agency",
        ),
        (
            RecommendationInput {
                board_response: BoardResponse::Rejected,
                response_reason: "  ".into(),
                ..rec("Rejected without reason")
            },
            "response_reason",
            "needs the board's reason",
        ),
        (
            RecommendationInput {
                due: Due::Month {
                    year: 2021,
                    month: 13,
                },
                ..rec("Bad month")
            },
            "due",
            "month 13 does not exist",
        ),
        (
            RecommendationInput {
                due: Due::Month {
                    year: 2021,
                    month: 0,
                },
                ..rec("Month zero")
            },
            "due",
            "month 0 does not exist",
        ),
    ];
    for (input, field, message) in cases {
        let err = f.review.add_recommendation(input.clone()).unwrap_err();
        assert_eq!(invalid_field(&err), field, "{err}");
        assert!(err.to_string().contains(message), "{err}");
        let err = f
            .review
            .update_recommendation(&existing.id, input)
            .unwrap_err();
        assert_eq!(invalid_field(&err), field, "{err}");
    }

    let ghost = "00000000-0000-4000-8000-000000000000".to_string();
    let err = f
        .review
        .add_recommendation(RecommendationInput {
            addressee_agency_id: Some(ghost.clone()),
            ..rec("To nobody")
        })
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound { kind: "agency", .. }),
        "{err:?}"
    );
    let err = f
        .review
        .add_recommendation(RecommendationInput {
            origin: Origin::AgencyImr,
            origin_agency_id: Some(ghost.clone()),
            ..rec("From nobody")
        })
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound { kind: "agency", .. }),
        "{err:?}"
    );
    let err = f
        .review
        .update_recommendation(&ghost, rec("x"))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            kind: "recommendation",
            ..
        }
    ));

    assert_eq!(f.review.recommendations().unwrap(), before);
    assert_eq!(f.review.audit_log(100).unwrap().len(), log_len);
}

#[test]
fn blank_agency_ids_are_stored_as_none() {
    let mut f = fresh();
    let r = f
        .review
        .add_recommendation(RecommendationInput {
            addressee_agency_id: Some(" ".into()),
            ..rec("Anyone")
        })
        .unwrap();
    assert_eq!(r.addressee_agency_id, None);
}

#[test]
fn deleting_a_recommendation_with_actions_citations_or_comments_is_refused_with_what_points_at_it()
{
    let mut f = fresh();
    let r = f.review.add_recommendation(rec("Train staff")).unwrap();
    f.review.add_action(&r.id, action("Write course")).unwrap();
    f.review.add_action(&r.id, action("Run course")).unwrap();
    f.review
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Recommendations".into(),
            body: format!("We recommend [[recommendation:{}]].", r.id),
        })
        .unwrap();
    f.review
        .add_comment(CommentTarget::Recommendation, &r.id, None, "Too vague?")
        .unwrap();
    let before = f.review.recommendations().unwrap();

    let err = f.review.delete_recommendation(&r.id, false).unwrap_err();
    assert!(matches!(err, Error::InUse { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "cannot delete R1: 2 actions belong to this recommendation; \
         1 report section cites this recommendation; 1 comment is on this recommendation"
    );
    assert_eq!(f.review.recommendations().unwrap(), before);
}

#[test]
fn cascade_delete_removes_actions_updates_links_and_comments_and_undo_restores_them() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "Risk was not assessed");
    let keep = f.review.add_recommendation(rec("Keep")).unwrap();
    let r = f.review.add_recommendation(rec("Train staff")).unwrap();
    let a = f.review.add_action(&r.id, action("Write course")).unwrap();
    f.review
        .add_action_update(&a.id, day(2021, 3, 1), "Drafted")
        .unwrap();
    f.review.link_finding(&r.id, &f1).unwrap();
    let c = f
        .review
        .add_comment(CommentTarget::Recommendation, &r.id, None, "Too vague?")
        .unwrap();
    f.review.reply(&c.id, "Agreed").unwrap();
    let before = f.review.recommendations().unwrap();

    f.review.delete_recommendation(&r.id, true).unwrap();
    assert_eq!(numbered(&f.review), [(1, "Keep".into())]);
    assert!(f.review.action_plan().unwrap().is_empty());
    assert!(matches!(
        f.review.action(&a.id),
        Err(Error::NotFound { kind: "action", .. })
    ));
    assert!(f
        .review
        .comments_on(CommentTarget::Recommendation, &r.id)
        .unwrap()
        .is_empty());
    // The finding itself stays; only the link went, so it can now be deleted freely.
    assert_eq!(
        f.review.finding(&f1).unwrap().statement,
        "Risk was not assessed"
    );

    assert_eq!(f.review.undo().unwrap(), "Delete R2");
    assert_eq!(f.review.recommendations().unwrap(), before);
    let thread = f
        .review
        .comments_on(CommentTarget::Recommendation, &r.id)
        .unwrap();
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].replies.len(), 1);

    f.review.redo().unwrap();
    assert_eq!(f.review.recommendations().unwrap().len(), 1);
    assert_eq!(f.review.recommendation(&keep.id).unwrap().number, 1);
}

#[test]
fn deleting_a_recommendation_with_only_finding_links_needs_no_cascade() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "F one");
    let r = f.review.add_recommendation(rec("R")).unwrap();
    f.review.link_finding(&r.id, &f1).unwrap();
    f.review.delete_recommendation(&r.id, false).unwrap();
    assert!(f.review.recommendations().unwrap().is_empty());
    // With the link gone, the finding no longer has a recommendation resting on it.
    f.review.delete_finding(&f1, false).unwrap();
}

#[test]
fn undo_and_redo_cover_adding_editing_and_moving() {
    let mut f = fresh();
    let a = f.review.add_recommendation(rec("A")).unwrap();
    let b = f.review.add_recommendation(rec("B")).unwrap();
    f.review
        .update_recommendation(
            &a.id,
            RecommendationInput {
                due: Due::Urgent,
                ..rec("A, sharper")
            },
        )
        .unwrap();
    f.review.move_recommendation(&b.id, 0).unwrap();
    assert_eq!(
        numbered(&f.review),
        [(1, "B".into()), (2, "A, sharper".into())]
    );

    assert_eq!(f.review.undo().unwrap(), "Reorder recommendations");
    assert_eq!(
        numbered(&f.review),
        [(1, "A, sharper".into()), (2, "B".into())]
    );
    assert_eq!(f.review.undo().unwrap(), "Edit R1");
    assert_eq!(f.review.recommendation(&a.id).unwrap(), a);
    assert_eq!(f.review.undo().unwrap(), "Add recommendation");
    assert_eq!(numbered(&f.review), [(1, "A".into())]);

    f.review.redo().unwrap();
    f.review.redo().unwrap();
    assert_eq!(f.review.recommendation(&a.id).unwrap().due, Due::Urgent);
    f.review.redo().unwrap();
    assert_eq!(
        numbered(&f.review),
        [(1, "B".into()), (2, "A, sharper".into())]
    );
}

// ---- Finding links --------------------------------------------------------------------------

#[test]
fn linked_findings_are_set_in_finding_order_without_duplicates() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "one");
    let f2 = finding(&mut f.review, "two");
    let f3 = finding(&mut f.review, "three");
    let r = f.review.add_recommendation(rec("R")).unwrap();

    let saved = f
        .review
        .set_recommendation_findings(&r.id, &[f3.clone(), f1.clone(), f3.clone()])
        .unwrap();
    assert_eq!(saved.finding_ids, [f1.clone(), f3.clone()]);

    let saved = f
        .review
        .set_recommendation_findings(&r.id, &[f2.clone(), f3.clone()])
        .unwrap();
    assert_eq!(saved.finding_ids, [f2.clone(), f3.clone()]);
    assert_eq!(f.review.undo().unwrap(), "Link findings to R1");
    assert_eq!(
        f.review.recommendation(&r.id).unwrap().finding_ids,
        [f1.clone(), f3.clone()]
    );

    let saved = f.review.set_recommendation_findings(&r.id, &[]).unwrap();
    assert!(saved.finding_ids.is_empty());
}

#[test]
fn linking_an_unknown_finding_is_refused_and_changes_nothing() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "one");
    let r = f.review.add_recommendation(rec("R")).unwrap();
    f.review
        .set_recommendation_findings(&r.id, std::slice::from_ref(&f1))
        .unwrap();
    let ghost = "00000000-0000-4000-8000-000000000001".to_string();
    let err = f
        .review
        .set_recommendation_findings(&r.id, std::slice::from_ref(&ghost))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: "finding",
                ..
            }
        ),
        "{err:?}"
    );
    let err = f.review.link_finding(&r.id, &ghost).unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                kind: "finding",
                ..
            }
        ),
        "{err:?}"
    );
    let err = f.review.link_finding(&ghost, &f1).unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            kind: "recommendation",
            ..
        }
    ));
    assert_eq!(f.review.recommendation(&r.id).unwrap().finding_ids, [f1]);
}

#[test]
fn link_and_unlink_are_single_undoable_steps_and_repeat_safely() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "one");
    let f2 = finding(&mut f.review, "two");
    let r = f.review.add_recommendation(rec("R")).unwrap();
    f.review.link_finding(&r.id, &f2).unwrap();
    f.review.link_finding(&r.id, &f1).unwrap();
    let log_len = f.review.audit_log(100).unwrap().len();
    f.review.link_finding(&r.id, &f1).unwrap();
    assert_eq!(
        f.review.audit_log(100).unwrap().len(),
        log_len,
        "linking twice records nothing"
    );
    assert_eq!(
        f.review.recommendation(&r.id).unwrap().finding_ids,
        [f1.clone(), f2.clone()]
    );

    f.review.unlink_finding(&r.id, &f1).unwrap();
    f.review.unlink_finding(&r.id, &f1).unwrap();
    assert_eq!(
        f.review.recommendation(&r.id).unwrap().finding_ids,
        vec![f2.clone()]
    );
    assert_eq!(f.review.undo().unwrap(), "Unlink a finding from R1");
    assert_eq!(
        f.review.recommendation(&r.id).unwrap().finding_ids,
        [f1.clone(), f2.clone()]
    );
}

#[test]
fn a_finding_a_recommendation_rests_on_cannot_be_deleted_without_cascade() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "one");
    let r = f.review.add_recommendation(rec("R")).unwrap();
    f.review.link_finding(&r.id, &f1).unwrap();
    let err = f.review.delete_finding(&f1, false).unwrap_err();
    assert!(matches!(err, Error::InUse { .. }), "{err:?}");
    f.review.delete_finding(&f1, true).unwrap();
    assert!(f
        .review
        .recommendation(&r.id)
        .unwrap()
        .finding_ids
        .is_empty());
}

// ---- Actions --------------------------------------------------------------------------------

#[test]
fn actions_are_added_edited_reordered_and_deleted_under_their_recommendation() {
    let mut f = fresh();
    let r = f.review.add_recommendation(rec("R")).unwrap();
    let other = f.review.add_recommendation(rec("Other")).unwrap();
    let a = f.review.add_action(&r.id, action("first")).unwrap();
    let b = f
        .review
        .add_action(
            &r.id,
            ActionInput {
                text: " second ".into(),
                lead: " Head of Safeguarding ".into(),
                due_date: Some(day(2021, 9, 1)),
                status: ActionStatus::OnTrack,
                completion_evidence: String::new(),
            },
        )
        .unwrap();
    let c = f.review.add_action(&r.id, action("third")).unwrap();
    let elsewhere = f.review.add_action(&other.id, action("elsewhere")).unwrap();
    assert_eq!(b.text, "second");
    assert_eq!(b.lead, "Head of Safeguarding");
    assert_eq!(b.status, ActionStatus::OnTrack);
    assert_eq!(b.recommendation_id, r.id);

    let texts = |review: &Review, id: &str| -> Vec<String> {
        review
            .recommendation(id)
            .unwrap()
            .actions
            .into_iter()
            .map(|a| a.text)
            .collect()
    };
    assert_eq!(texts(&f.review, &r.id), ["first", "second", "third"]);
    assert_eq!(texts(&f.review, &other.id), ["elsewhere"]);

    f.review.move_action(&c.id, 0).unwrap();
    assert_eq!(texts(&f.review, &r.id), ["third", "first", "second"]);
    assert_eq!(f.review.undo().unwrap(), "Reorder actions of R1");
    assert_eq!(texts(&f.review, &r.id), ["first", "second", "third"]);

    let done = f
        .review
        .update_action(
            &a.id,
            ActionInput {
                status: ActionStatus::Complete,
                completion_evidence: "Course ran 3 March".into(),
                ..action("first, done")
            },
        )
        .unwrap();
    assert_eq!(done.status, ActionStatus::Complete);
    assert_eq!(done.completion_evidence, "Course ran 3 March");
    assert_eq!(
        f.review.audit_log(1).unwrap()[0].summary,
        "Edit action 1 of R1"
    );

    f.review.delete_action(&b.id, false).unwrap();
    assert_eq!(texts(&f.review, &r.id), ["first, done", "third"]);
    assert_eq!(texts(&f.review, &other.id), ["elsewhere"]);
    f.review.undo().unwrap();
    assert_eq!(texts(&f.review, &r.id), ["first, done", "second", "third"]);
    assert_eq!(f.review.action(&elsewhere.id).unwrap().text, "elsewhere");
}

#[test]
fn invalid_actions_are_refused_and_change_nothing() {
    let mut f = fresh();
    let r = f.review.add_recommendation(rec("R")).unwrap();
    let a = f.review.add_action(&r.id, action("act")).unwrap();
    let before = f.review.recommendations().unwrap();
    let log_len = f.review.audit_log(100).unwrap().len();

    let err = f.review.add_action(&r.id, action("  ")).unwrap_err();
    assert_eq!(invalid_field(&err), "text");
    let no_evidence = ActionInput {
        status: ActionStatus::Complete,
        completion_evidence: "   ".into(),
        ..action("done")
    };
    let err = f.review.add_action(&r.id, no_evidence.clone()).unwrap_err();
    assert_eq!(invalid_field(&err), "completion_evidence");
    assert!(err.to_string().contains("evidence"), "{err}");
    let err = f.review.update_action(&a.id, no_evidence).unwrap_err();
    assert_eq!(invalid_field(&err), "completion_evidence");
    let err = f
        .review
        .add_action("00000000-0000-4000-8000-000000000002", action("x"))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::NotFound {
            kind: "recommendation",
            ..
        }
    ));
    let err = f
        .review
        .update_action("00000000-0000-4000-8000-000000000002", action("x"))
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { kind: "action", .. }));
    let err = f
        .review
        .add_action_update(&a.id, day(2021, 1, 1), " ")
        .unwrap_err();
    assert_eq!(invalid_field(&err), "text");

    assert_eq!(f.review.recommendations().unwrap(), before);
    assert_eq!(f.review.audit_log(100).unwrap().len(), log_len);
}

#[test]
fn action_updates_are_kept_in_date_order_and_guard_the_action_against_deletion() {
    let mut f = fresh();
    let r = f.review.add_recommendation(rec("R")).unwrap();
    let first = f.review.add_action(&r.id, action("first")).unwrap();
    let a = f.review.add_action(&r.id, action("second")).unwrap();
    let later = f
        .review
        .add_action_update(&a.id, day(2021, 5, 1), "Course booked")
        .unwrap();
    let earlier = f
        .review
        .add_action_update(&a.id, day(2021, 2, 1), " Course drafted ")
        .unwrap();
    assert_eq!(earlier.text, "Course drafted");
    let updates = f.review.action(&a.id).unwrap().updates;
    assert_eq!(updates, [earlier.clone(), later.clone()]);

    let err = f.review.delete_action(&a.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete action 2 of R1: 2 updates belong to this action"
    );
    assert_eq!(f.review.action(&a.id).unwrap().updates.len(), 2);

    f.review.delete_action_update(&earlier.id).unwrap();
    assert_eq!(f.review.action(&a.id).unwrap().updates, vec![later.clone()]);
    f.review.undo().unwrap();
    assert_eq!(f.review.action(&a.id).unwrap().updates.len(), 2);

    f.review.delete_action(&a.id, true).unwrap();
    assert!(matches!(
        f.review.action(&a.id),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        f.review.delete_action_update(&later.id),
        Err(Error::NotFound {
            kind: "action update",
            ..
        })
    ));
    assert_eq!(f.review.recommendation(&r.id).unwrap().actions.len(), 1);
    assert_eq!(f.review.undo().unwrap(), "Delete action 2 of R1");
    let restored = f.review.action(&a.id).unwrap();
    assert_eq!(restored.updates, [earlier, later]);
    assert_eq!(
        f.review.recommendation(&r.id).unwrap().actions[0].id,
        first.id
    );
}

#[test]
fn the_action_plan_lists_actions_by_recommendation_number_then_place() {
    let mut f = fresh();
    let r1 = f.review.add_recommendation(rec("First rec")).unwrap();
    let r2 = f.review.add_recommendation(rec("Second rec")).unwrap();
    f.review.add_action(&r2.id, action("r2 a")).unwrap();
    f.review.add_action(&r1.id, action("r1 a")).unwrap();
    let r2b = f.review.add_action(&r2.id, action("r2 b")).unwrap();
    f.review.add_action(&r1.id, action("r1 b")).unwrap();

    let plan = |review: &Review| -> Vec<(i64, String, String)> {
        review
            .action_plan()
            .unwrap()
            .into_iter()
            .map(|p| {
                (
                    p.recommendation_number,
                    p.recommendation_text,
                    p.action.text,
                )
            })
            .collect()
    };
    assert_eq!(
        plan(&f.review),
        [
            (1, "First rec".into(), "r1 a".into()),
            (1, "First rec".into(), "r1 b".into()),
            (2, "Second rec".into(), "r2 a".into()),
            (2, "Second rec".into(), "r2 b".into()),
        ]
    );

    f.review.move_recommendation(&r2.id, 0).unwrap();
    f.review.move_action(&r2b.id, 0).unwrap();
    assert_eq!(
        plan(&f.review),
        [
            (1, "Second rec".into(), "r2 b".into()),
            (1, "Second rec".into(), "r2 a".into()),
            (2, "First rec".into(), "r1 a".into()),
            (2, "First rec".into(), "r1 b".into()),
        ]
    );
    assert!(f
        .review
        .action_plan()
        .unwrap()
        .iter()
        .all(|p| p.action.recommendation_id == p.recommendation_id));
}

#[test]
fn an_action_is_overdue_only_when_not_complete_and_past_its_due_date() {
    let mut f = fresh();
    let r = f.review.add_recommendation(rec("R")).unwrap();
    let today = day(2021, 6, 15);
    let due = |d| ActionInput {
        due_date: d,
        ..action("act")
    };
    let past = f
        .review
        .add_action(&r.id, due(Some(day(2021, 6, 14))))
        .unwrap();
    let today_due = f.review.add_action(&r.id, due(Some(today))).unwrap();
    let future = f
        .review
        .add_action(&r.id, due(Some(day(2021, 7, 1))))
        .unwrap();
    let undated = f.review.add_action(&r.id, due(None)).unwrap();
    let done = f
        .review
        .add_action(
            &r.id,
            ActionInput {
                status: ActionStatus::Complete,
                completion_evidence: "Signed off".into(),
                ..due(Some(day(2021, 1, 1)))
            },
        )
        .unwrap();
    assert!(past.is_overdue(today));
    assert!(!today_due.is_overdue(today));
    assert!(!future.is_overdue(today));
    assert!(!undated.is_overdue(today));
    assert!(!done.is_overdue(today));
    let overdue: Vec<String> = f
        .review
        .action_plan()
        .unwrap()
        .into_iter()
        .filter(|p| p.is_overdue(today))
        .map(|p| p.action.id)
        .collect();
    assert_eq!(overdue, [past.id]);
}

#[test]
fn a_recommendation_reads_back_with_its_actions_and_findings() {
    let mut f = fresh();
    let f1 = finding(&mut f.review, "one");
    let r = f.review.add_recommendation(rec("R")).unwrap();
    let a = f.review.add_action(&r.id, action("act")).unwrap();
    let u = f
        .review
        .add_action_update(&a.id, day(2021, 1, 1), "begun")
        .unwrap();
    f.review.link_finding(&r.id, &f1).unwrap();
    let got: Recommendation = f.review.recommendation(&r.id).unwrap();
    assert_eq!(got.finding_ids, [f1]);
    assert_eq!(got.actions.len(), 1);
    assert_eq!(got.actions[0].updates, [u]);
    assert_eq!(f.review.recommendations().unwrap(), [got]);
}

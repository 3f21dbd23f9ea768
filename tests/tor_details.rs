//! Review details and terms of reference.

use chrono::NaiveDate;
use threadline::model::details::{DetailsInput, ReviewStatus, ReviewType};
use threadline::model::tor::{TorInput, TorKind};
use threadline::Error;

use crate::common::fresh;

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

fn tor(kind: TorKind, text: &str) -> TorInput {
    TorInput {
        kind,
        text: text.into(),
        out_of_scope_reason: None,
    }
}

#[test]
fn details_are_saved_and_read_back() {
    let mut f = fresh();
    let mut input = DetailsInput::from(f.review.details().unwrap());
    input.title = "Child R: a practice review".into();
    input.review_type = ReviewType::Cspr;
    input.board = "Northmoor Safeguarding Children Partnership".into();
    input.subjects = vec!["Child R".into()];
    input.review_period_start = d(2022, 1, 1);
    input.review_period_end = d(2023, 6, 30);
    input.context_period_start = d(2019, 1, 1);
    input.context_period_end = d(2021, 12, 31);
    input.status = ReviewStatus::Drafting;
    let saved = f.review.update_details(input.clone()).unwrap();
    assert_eq!(saved.title, "Child R: a practice review");
    assert_eq!(saved.subjects, vec!["Child R".to_string()]);
    assert_eq!(DetailsInput::from(f.review.details().unwrap()), input);
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused_and_nothing_changes() {
    let mut f = fresh();
    let before = f.review.details().unwrap();
    let mut input = DetailsInput::from(before.clone());
    input.review_period_start = d(2023, 1, 1);
    input.review_period_end = d(2022, 1, 1);
    let err = f.review.update_details(input).unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }));
    assert!(err.to_string().contains("review period"), "{err}");
    assert_eq!(f.review.details().unwrap(), before);

    let mut input = DetailsInput::from(before.clone());
    input.review_period_start = d(2022, 1, 1);
    input.review_period_end = d(2023, 1, 1);
    input.context_period_start = d(2020, 1, 1);
    input.context_period_end = d(2022, 6, 1);
    let err = f.review.update_details(input).unwrap_err();
    assert!(err.to_string().contains("context period"), "{err}");
    assert_eq!(f.review.details().unwrap(), before);
}

#[test]
fn tor_items_are_numbered_in_order_and_renumbered_on_move_and_delete() {
    let mut f = fresh();
    let a = f.review.add_tor(tor(TorKind::Generic, "A")).unwrap();
    let b = f.review.add_tor(tor(TorKind::Generic, "B")).unwrap();
    let c = f.review.add_tor(tor(TorKind::CaseSpecific, "C")).unwrap();
    assert_eq!((a.number, b.number, c.number), (1, 2, 3));
    f.review.move_tor(&c.id, 0).unwrap();
    let order: Vec<(String, i64)> = f
        .review
        .tor_items()
        .unwrap()
        .into_iter()
        .map(|t| (t.text, t.number))
        .collect();
    assert_eq!(order, [("C".into(), 1), ("A".into(), 2), ("B".into(), 3)]);
    f.review.delete_tor(&a.id, false).unwrap();
    let order: Vec<(String, i64)> = f
        .review
        .tor_items()
        .unwrap()
        .into_iter()
        .map(|t| (t.text, t.number))
        .collect();
    assert_eq!(order, [("C".into(), 1), ("B".into(), 2)]);
    // Undo of the delete brings A back as ToR 2 again.
    f.review.undo().unwrap();
    let texts: Vec<String> = f
        .review
        .tor_items()
        .unwrap()
        .into_iter()
        .map(|t| t.text)
        .collect();
    assert_eq!(texts, ["C", "A", "B"]);
}

#[test]
fn tor_validation_names_the_field() {
    let mut f = fresh();
    let err = f.review.add_tor(tor(TorKind::Generic, "   ")).unwrap_err();
    assert!(
        matches!(err, Error::Invalid { ref field, .. } if field == "text"),
        "{err}"
    );
    let mut input = tor(TorKind::CaseSpecific, "Housing");
    input.out_of_scope_reason = Some(" ".into());
    let err = f.review.add_tor(input).unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");
    assert!(f.review.tor_items().unwrap().is_empty());
    let err = f
        .review
        .update_tor("no-such-id", tor(TorKind::Generic, "x"))
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
}

#[test]
fn an_out_of_scope_item_keeps_its_reason() {
    let mut f = fresh();
    let mut input = tor(TorKind::CaseSpecific, "Immigration advice");
    input.out_of_scope_reason = Some("  Covered by a separate review  ".into());
    let item = f.review.add_tor(input).unwrap();
    assert_eq!(
        item.out_of_scope_reason.as_deref(),
        Some("Covered by a separate review")
    );
}

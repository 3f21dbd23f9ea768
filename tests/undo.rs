//! Every edit is audited and can be undone and redone.

use threadline::model::tor::{TorInput, TorKind};
use threadline::Error;

use crate::common::fresh;

fn tor(text: &str) -> TorInput {
    TorInput {
        kind: TorKind::CaseSpecific,
        text: text.into(),
        out_of_scope_reason: None,
    }
}

#[test]
fn undo_removes_a_created_item_and_redo_brings_it_back_with_the_same_id() {
    let mut f = fresh();
    let a = f
        .review
        .add_tor(tor("Was the risk from the father assessed?"))
        .unwrap();
    assert_eq!(f.review.tor_items().unwrap().len(), 1);
    assert_eq!(f.review.undo().unwrap(), "Add term of reference");
    assert!(f.review.tor_items().unwrap().is_empty());
    f.review.redo().unwrap();
    let items = f.review.tor_items().unwrap();
    assert_eq!(items, vec![a]);
}

#[test]
fn undo_walks_back_several_edits_in_order() {
    let mut f = fresh();
    let a = f.review.add_tor(tor("first")).unwrap();
    f.review.update_tor(&a.id, tor("first, reworded")).unwrap();
    f.review.add_tor(tor("second")).unwrap();
    f.review.undo().unwrap();
    assert_eq!(f.review.tor_items().unwrap().len(), 1);
    f.review.undo().unwrap();
    assert_eq!(f.review.tor_item(&a.id).unwrap().text, "first");
    f.review.undo().unwrap();
    assert!(f.review.tor_items().unwrap().is_empty());
    assert!(matches!(f.review.undo(), Err(Error::NothingToUndo)));
}

#[test]
fn a_new_edit_after_undo_ends_redo() {
    let mut f = fresh();
    f.review.add_tor(tor("first")).unwrap();
    f.review.undo().unwrap();
    f.review.add_tor(tor("other")).unwrap();
    assert!(matches!(f.review.redo(), Err(Error::NothingToRedo)));
    let texts: Vec<String> = f
        .review
        .tor_items()
        .unwrap()
        .into_iter()
        .map(|t| t.text)
        .collect();
    assert_eq!(texts, ["other"]);
}

#[test]
fn undoing_a_reorder_restores_positions_and_numbers() {
    let mut f = fresh();
    let a = f.review.add_tor(tor("a")).unwrap();
    let b = f.review.add_tor(tor("b")).unwrap();
    let c = f.review.add_tor(tor("c")).unwrap();
    f.review.move_tor(&c.id, 0).unwrap();
    let order: Vec<(String, i64)> = f
        .review
        .tor_items()
        .unwrap()
        .into_iter()
        .map(|t| (t.text, t.number))
        .collect();
    assert_eq!(order, [("c".into(), 1), ("a".into(), 2), ("b".into(), 3)]);
    f.review.undo().unwrap();
    let items = f.review.tor_items().unwrap();
    assert_eq!(items, vec![a, b, c]);
}

#[test]
fn every_edit_writes_an_audit_row_with_who_and_the_row_before_and_after() {
    let mut f = fresh();
    let a = f.review.add_tor(tor("before")).unwrap();
    f.review.update_tor(&a.id, tor("after")).unwrap();
    let log = f.review.audit_log(10).unwrap();
    assert_eq!(log.len(), 2);
    let edit = &log[0];
    assert_eq!(edit.summary, "Edit term of reference");
    assert_eq!(edit.actor, "Overview author");
    assert_eq!(edit.role, "author");
    assert_eq!(edit.at, "2026-03-01T09:00:00.000Z");
    assert_eq!(edit.rows.len(), 1);
    assert_eq!(edit.rows[0].before.as_ref().unwrap()["text"], "before");
    assert_eq!(edit.rows[0].after.as_ref().unwrap()["text"], "after");
    f.review.undo().unwrap();
    let log = f.review.audit_log(10).unwrap();
    assert_eq!(log[0].kind, "undo");
    assert_eq!(log[0].summary, "Undo Edit term of reference");
}

#[test]
fn an_edit_that_changes_nothing_leaves_nothing_to_undo() {
    let mut f = fresh();
    let a = f.review.add_tor(tor("same")).unwrap();
    f.review.update_tor(&a.id, tor("same")).unwrap();
    assert_eq!(f.review.audit_log(10).unwrap().len(), 1);
}

#[test]
fn a_failed_edit_changes_nothing_and_logs_nothing() {
    let mut f = fresh();
    let err = f.review.add_tor(tor("   ")).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("text"), "{err}");
    assert!(f.review.audit_log(10).unwrap().is_empty());
    assert!(f.review.tor_items().unwrap().is_empty());
}

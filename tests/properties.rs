//! Property tests: no text typed into search can make it fail, a paragraph is always found by
//! its own words, and any text survives a dump and load unchanged.

use std::cell::RefCell;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use threadline::interchange::{dump, load};
use threadline::model::sources::{ParagraphInput, SourceInput};
use threadline::model::tor::{TorInput, TorKind};
use threadline::search::{fts_query, SearchQuery};

use crate::common::{ctx, fresh};

/// A runner with a modest number of cases and no regression files written into the tree.
fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Text made of the pieces most likely to upset an FTS5 parser, mixed with arbitrary text.
fn nasty_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just("*".to_owned()),
        Just("AND".to_owned()),
        Just("OR".to_owned()),
        Just("NOT".to_owned()),
        Just("NEAR(".to_owned()),
        Just("NEAR/2".to_owned()),
        Just(")".to_owned()),
        Just("^".to_owned()),
        Just(":".to_owned()),
        Just("-".to_owned()),
        Just("+".to_owned()),
        Just("{a b}".to_owned()),
        Just("\u{201C}".to_owned()),
        Just(" ".to_owned()),
        Just("S's".to_owned()),
        Just("12.03.2021".to_owned()),
        "\\PC{0,6}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|parts| parts.concat())
}

/// Text as people paste it: words, numbers, punctuation and the odd stray character.
fn pasted_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[A-Za-z0-9]{1,8}",
        2 => Just(" ".to_owned()),
        1 => "[.,;:'\"*()\\[\\]{}^+/-]{1,2}",
        1 => "\\PC{1,4}",
    ];
    prop::collection::vec(piece, 1..20).prop_map(|parts| parts.concat())
}

/// Non-blank text of any characters.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 1..max)
        .prop_map(|cs| cs.into_iter().collect::<String>())
        .prop_filter("blank text is refused by the model", |s| {
            !s.trim().is_empty()
        })
}

#[test]
fn no_input_makes_search_fail() {
    let mut f = fresh();
    f.review
        .import_text(
            SourceInput {
                title: "Notes".into(),
                ..SourceInput::default()
            },
            "Child S's mother AND father were NOT seen NEAR the school on 12.03.2021.\n\
             The plan ver1.1 said OR OR or nothing at all.\n",
        )
        .unwrap();
    runner(256)
        .run(&(nasty_text(), any::<bool>()), |(text, filtered)| {
            let query = SearchQuery {
                text: text.clone(),
                kinds: filtered.then(|| vec!["paragraph".into(), "finding".into()]),
                offset: 0,
                limit: 20,
            };
            let page = f.review.search(&query);
            prop_assert!(page.is_ok(), "{text:?}: {:?}", page.err());
            let page = page.unwrap();
            if fts_query(&text).is_none() {
                prop_assert!(page.hits.is_empty());
            }
            prop_assert!(page.hits.len() <= page.total);
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_paragraph_is_found_by_its_own_text() {
    let f = RefCell::new(fresh());
    let source = f
        .borrow_mut()
        .review
        .add_source(SourceInput {
            title: "Pasted text".into(),
            ..SourceInput::default()
        })
        .unwrap();
    runner(64)
        .run(&pasted_text(), |text| {
            let mut f = f.borrow_mut();
            prop_assume!(!text.trim().is_empty());
            let para = f
                .review
                .add_paragraphs(&source.id, vec![ParagraphInput::body(text.clone())])
                .unwrap()
                .remove(0);
            let page = f.review.search(&SearchQuery {
                limit: 200,
                ..SearchQuery::new(text.clone())
            });
            prop_assert!(page.is_ok(), "{text:?}: {:?}", page.err());
            let page = page.unwrap();
            // Every tokenizer agrees on ASCII letters and digits; text without them may hold
            // no word the index keeps.
            if text.chars().any(|c| c.is_ascii_alphanumeric()) {
                prop_assert!(
                    page.hits.iter().any(|h| h.object_id == para.id),
                    "{text:?} did not find its paragraph (query {:?})",
                    fts_query(&text)
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_text_survives_dump_and_load() {
    let strategy = (
        prop::collection::vec(any_text(40), 1..4),
        prop::collection::vec(any_text(80), 1..4),
        prop::option::of(any_text(20)),
    );
    runner(48)
        .run(&strategy, |(tor_texts, paragraphs, reason)| {
            let mut f = fresh();
            for (i, text) in tor_texts.iter().enumerate() {
                f.review
                    .add_tor(TorInput {
                        kind: if i % 2 == 0 {
                            TorKind::Generic
                        } else {
                            TorKind::CaseSpecific
                        },
                        text: text.clone(),
                        out_of_scope_reason: if i == 0 { reason.clone() } else { None },
                    })
                    .unwrap();
            }
            let source = f
                .review
                .add_source(SourceInput {
                    title: tor_texts[0].clone(),
                    ..SourceInput::default()
                })
                .unwrap();
            f.review
                .add_paragraphs(
                    &source.id,
                    paragraphs
                        .iter()
                        .cloned()
                        .map(ParagraphInput::body)
                        .collect(),
                )
                .unwrap();
            let first = dump(&f.review).unwrap();
            let path = f.dir.path().join("copy.threadline");
            let copy = load(&first, &path, ctx()).unwrap();
            prop_assert_eq!(copy.tor_items().unwrap(), f.review.tor_items().unwrap());
            let second = dump(&copy).unwrap();
            prop_assert!(first == second, "the round trip changed the dump");
            Ok(())
        })
        .unwrap();
}

//! Anchors: a quote is found again by its exact words, the best-matching place among several,
//! and is orphaned (never moved onto other words) when the words are gone.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use threadline::anchor::{anchor_quote, anchor_span, locate, AnchorPlace};
use threadline::model::comments::{CommentFilter, CommentTarget, TextAnchor};
use threadline::model::sections::{Document, SectionInput};
use threadline::Actor;

use crate::common::fresh;

fn anchor(exact: &str, prefix: &str, suffix: &str, hint: Option<usize>) -> TextAnchor {
    TextAnchor {
        exact: exact.into(),
        prefix: prefix.into(),
        suffix: suffix.into(),
        hint,
    }
}

/// The text at a located place.
fn at(text: &str, place: AnchorPlace) -> Option<String> {
    match place {
        AnchorPlace::Located { start, end } => {
            Some(text.chars().skip(start).take(end - start).collect())
        }
        AnchorPlace::Orphaned => None,
    }
}

#[test]
fn a_quote_is_found_where_its_words_moved_to() {
    let before = "The police did not share the referral with the school.";
    let a = anchor_quote(before, "did not share").unwrap();
    assert_eq!(a.hint, Some(11));
    assert_eq!(a.prefix, "The police ");
    let after = "In March 2021 the police still did not share the referral with the school.";
    assert_eq!(
        locate(&a, after),
        AnchorPlace::Located { start: 31, end: 44 }
    );
}

#[test]
fn among_several_places_the_matching_context_wins_then_the_nearest() {
    let text = "Risk was noted. The school noted risk. The GP noted risk late.";
    // Context says "GP": the third "noted risk", though the hint points at the second.
    let a = anchor("noted risk", "The GP ", " late", Some(27));
    assert_eq!(
        locate(&a, text),
        AnchorPlace::Located { start: 46, end: 56 }
    );
    // No context: the one nearest the hint.
    let a = anchor("noted risk", "", "", Some(40));
    assert_eq!(
        locate(&a, text),
        AnchorPlace::Located { start: 46, end: 56 }
    );
    let a = anchor("noted risk", "", "", Some(25));
    assert_eq!(
        locate(&a, text),
        AnchorPlace::Located { start: 27, end: 37 }
    );
    // No hint and no context: the first.
    let a = anchor("noted risk", "", "", None);
    assert_eq!(
        locate(&a, text),
        AnchorPlace::Located { start: 27, end: 37 }
    );
}

#[test]
fn a_quote_whose_words_changed_is_orphaned_not_moved() {
    let a = anchor_quote("The referral was late.", "was late").unwrap();
    // Almost the same words are not the same words.
    assert_eq!(
        locate(&a, "The referral was very late."),
        AnchorPlace::Orphaned
    );
    assert_eq!(locate(&a, "The referral was Late."), AnchorPlace::Orphaned);
    assert_eq!(locate(&a, ""), AnchorPlace::Orphaned);
    assert_eq!(
        locate(&anchor("", "", "", None), "any text"),
        AnchorPlace::Orphaned
    );
}

#[test]
fn offsets_count_characters_not_bytes() {
    let text = "Café visit — père noted «bruises» on the arm.";
    let a = anchor_quote(text, "«bruises»").unwrap();
    assert_eq!(a.hint, Some(24));
    let place = locate(&a, text);
    assert_eq!(place, AnchorPlace::Located { start: 24, end: 33 });
    assert_eq!(at(text, place).unwrap(), "«bruises»");
}

#[test]
fn a_quote_must_be_there_once_to_make_an_anchor() {
    let text = "aaa bbb aaa";
    let e = anchor_quote(text, "aaa").unwrap_err();
    assert!(e.to_string().contains("2 times"), "{e}");
    // Overlapping places count: "aa" stands twice in "aaa".
    let e = anchor_quote("xaaax", "aa").unwrap_err();
    assert!(e.to_string().contains("2 times"), "{e}");
    let e = anchor_quote(text, "ccc").unwrap_err();
    assert!(e.to_string().contains("not in the text"), "{e}");
    assert!(anchor_quote(text, "  ").is_err());
    assert!(anchor_span(text, 3, 3).is_err());
    assert!(anchor_span(text, 5, 40).is_err());
    let a = anchor_span(text, 4, 7).unwrap();
    assert_eq!(
        (a.exact.as_str(), a.prefix.as_str(), a.suffix.as_str()),
        ("bbb", "aaa ", " aaa")
    );
}

#[test]
fn an_anchor_without_a_hint_still_loads_from_older_files() {
    let old: TextAnchor = serde_json::from_str(r#"{"exact":"late","prefix":"was "}"#).unwrap();
    assert_eq!(old.hint, None);
    assert_eq!(old.suffix, "");
    let json = serde_json::to_string(&anchor("late", "", "", Some(3))).unwrap();
    assert!(json.contains("\"hint\":3"), "{json}");
}

// ---- Comments on a section's words -----------------------------------------------------------

#[test]
fn comment_positions_follow_the_words_and_keep_the_quote_of_an_orphan() {
    let mut f = fresh();
    let s = f
        .review
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Analysis".into(),
            body: "The school saw bruising. Nobody told the GP. The case was closed.".into(),
        })
        .unwrap();
    let on_gp = f
        .review
        .comment_on_quote(
            CommentTarget::Section,
            &s.id,
            "Nobody told the GP",
            "Why not?",
        )
        .unwrap();
    let on_closed = f
        .review
        .comment_on_quote(CommentTarget::Section, &s.id, "case was closed", "By whom?")
        .unwrap();
    let whole = f
        .review
        .add_comment(CommentTarget::Section, &s.id, None, "Too short overall")
        .unwrap();
    f.review
        .update_section(
            &s.id,
            SectionInput {
                document: Document::Overview,
                heading: "Analysis".into(),
                body: "In June the school saw bruising. Nobody told the GP.".into(),
            },
        )
        .unwrap();
    let body = f.review.section(&s.id).unwrap().body;
    let places = f.review.comment_positions(&s.id).unwrap();
    assert_eq!(places.len(), 3);
    let of = |id: &str| places.iter().find(|p| p.comment.id == id).unwrap();
    assert_eq!(
        at(&body, of(&on_gp.id).place.unwrap()).unwrap(),
        "Nobody told the GP"
    );
    assert_eq!(of(&on_closed.id).place, Some(AnchorPlace::Orphaned));
    assert_eq!(
        of(&on_closed.id).comment.anchor.as_ref().unwrap().exact,
        "case was closed"
    );
    assert_eq!(of(&whole.id).place, None);
    assert!(f.review.comment_positions("no-such-section").is_err());
}

#[test]
fn comments_filter_by_person_state_and_section_and_resolving_records_who() {
    let mut f = fresh();
    let add = |f: &mut crate::common::Fixture, heading: &str| {
        f.review
            .add_section(SectionInput {
                document: Document::Overview,
                heading: heading.into(),
                body: format!("{heading} text."),
            })
            .unwrap()
            .id
    };
    let s1 = add(&mut f, "One");
    let s2 = add(&mut f, "Two");
    let a = f
        .review
        .add_comment(CommentTarget::Section, &s1, None, "Author note")
        .unwrap();
    f.review.set_actor(Actor {
        name: "Jo Chair".into(),
        role: "chair".into(),
    });
    let b = f
        .review
        .add_comment(CommentTarget::Section, &s2, None, "Chair remark")
        .unwrap();
    f.review.reply(&a.id, "Agreed").unwrap();
    let resolved = f.review.resolve_comment(&b.id, true).unwrap();
    let stamp = resolved.state_changed.clone().unwrap();
    assert_eq!(
        (stamp.name.as_str(), stamp.role.as_str()),
        ("Jo Chair", "chair")
    );

    let ids = |filter: CommentFilter| -> Vec<String> {
        f.review
            .comments(&filter)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        ids(CommentFilter::default()),
        vec![a.id.clone(), b.id.clone()]
    );
    // The chair took part in both threads: one started, one replied to.
    let by_chair = CommentFilter {
        author: Some("jo chair".into()),
        ..Default::default()
    };
    assert_eq!(ids(by_chair), vec![a.id.clone(), b.id.clone()]);
    let by_author = CommentFilter {
        author: Some("Overview author".into()),
        ..Default::default()
    };
    assert_eq!(ids(by_author), vec![a.id.clone()]);
    let open = CommentFilter {
        resolved: Some(false),
        ..Default::default()
    };
    assert_eq!(ids(open), vec![a.id.clone()]);
    let resolved_only = CommentFilter {
        resolved: Some(true),
        ..Default::default()
    };
    assert_eq!(ids(resolved_only), vec![b.id.clone()]);
    let on_s2 = CommentFilter {
        target_kind: Some(CommentTarget::Section),
        target_id: Some(s2.clone()),
        ..Default::default()
    };
    assert_eq!(ids(on_s2), vec![b.id.clone()]);

    // Reopening records who reopened it; resolving what is already resolved records nothing.
    f.review.set_actor(Actor::default());
    let log_len = f.review.audit_log(100).unwrap().len();
    let again = f.review.resolve_comment(&b.id, true).unwrap();
    assert_eq!(again.state_changed.unwrap().name, "Jo Chair");
    assert_eq!(f.review.audit_log(100).unwrap().len(), log_len);
    let reopened = f.review.resolve_comment(&b.id, false).unwrap();
    assert_eq!(reopened.state_changed.unwrap().name, "Overview author");
    assert!(!reopened.resolved);
}

// ---- Property: an anchor is found on its own words or is orphaned -----------------------------

/// One edit: at character `at` (taken modulo the length), delete `delete` characters and
/// insert `insert`.
#[derive(Debug, Clone)]
struct Edit {
    at: usize,
    delete: usize,
    insert: String,
}

/// Short words from a small vocabulary, so quotes recur and the choice among places matters.
fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("the"),
            Just("risk"),
            Just("was"),
            Just("not"),
            Just("shared"),
            Just("GP"),
            Just("école"),
            Just("—"),
            Just("a"),
        ],
        0..max,
    )
    .prop_map(|w| w.join(" "))
}

fn edit() -> impl Strategy<Value = Edit> {
    (0usize..400, 0usize..8, words(4)).prop_map(|(at, delete, insert)| Edit { at, delete, insert })
}

#[test]
fn for_any_edits_an_anchor_finds_its_exact_words_or_is_orphaned() {
    let mut runner = TestRunner::new(Config {
        cases: 600,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        words(40),
        0usize..1000,
        1usize..15,
        prop::collection::vec(edit(), 0..8),
    );
    runner
        .run(&strategy, |(text, from, len, edits)| {
            let mut chars: Vec<char> = text.chars().collect();
            if chars.is_empty() {
                return Ok(());
            }
            let start = from % chars.len();
            let end = (start + len).min(chars.len());
            let original: String = chars.iter().collect();
            let Ok(anchor) = anchor_span(&original, start, end) else {
                return Ok(()); // a span of spaces only is refused, rightly
            };
            // Follow the span through the edits: where it is, and whether it was touched.
            let (mut s, mut e, mut touched) = (start, end, false);
            for ed in &edits {
                let at = ed.at % (chars.len() + 1);
                let del = ed.delete.min(chars.len() - at);
                let ins: Vec<char> = ed.insert.chars().collect();
                let (del_end, grow) = (at + del, ins.len() as isize - del as isize);
                if (del > 0 && at < e && del_end > s) || (del == 0 && at > s && at < e) {
                    touched = true;
                } else if del_end <= s {
                    s = (s as isize + grow) as usize;
                    e = (e as isize + grow) as usize;
                }
                chars.splice(at..del_end, ins);
            }
            let edited: String = chars.iter().collect();
            let place = locate(&anchor, &edited);
            match place {
                AnchorPlace::Located { start, end } => {
                    // Never on other words.
                    let found: String = chars[start..end].iter().collect();
                    prop_assert_eq!(&found, &anchor.exact);
                }
                AnchorPlace::Orphaned => {
                    prop_assert!(
                        !edited.contains(&anchor.exact),
                        "orphaned, yet the words are there"
                    );
                }
            }
            if !touched {
                // Untouched words are always found; when they stand only once, exactly there.
                prop_assert!(
                    place != AnchorPlace::Orphaned,
                    "untouched words were orphaned"
                );
                let tracked: String = chars[s..e].iter().collect();
                prop_assert_eq!(&tracked, &anchor.exact);
                if edited.matches(&anchor.exact).count() == 1
                    && anchor_quote(&edited, &anchor.exact).is_ok()
                {
                    prop_assert_eq!(place, AnchorPlace::Located { start: s, end: e });
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn with_its_context_untouched_an_anchor_finds_its_own_place_among_copies() {
    // The same words stand many times; only the context says which one was meant.
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (1usize..6, 0usize..6, words(6), words(6));
    runner
        .run(&strategy, |(copies, pick, head, tail)| {
            let pick = pick % copies;
            let block = "risk was not shared";
            let mut text = String::new();
            for i in 0..copies {
                text.push_str(&format!("Agency {i}: {block}. "));
            }
            let start = text
                .match_indices(block)
                .nth(pick)
                .map(|(b, _)| text[..b].chars().count())
                .unwrap();
            let anchor = anchor_span(&text, start, start + block.chars().count()).unwrap();
            // Text added before and after the whole passage moves every copy.
            let edited = format!("{head} {text}{tail}");
            let shift = head.chars().count() + 1;
            prop_assert_eq!(
                locate(&anchor, &edited),
                AnchorPlace::Located {
                    start: start + shift,
                    end: start + shift + block.chars().count()
                }
            );
            Ok(())
        })
        .unwrap();
}

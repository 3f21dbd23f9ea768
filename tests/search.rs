//! Full-text search: any input is safe, hits are ranked, paged, filtered and located.

use chrono::NaiveDate;
use threadline::model::chronology::ChronologyInput;
use threadline::model::findings::{FindingInput, FindingKind};
use threadline::model::recommendations::{ActionInput, RecommendationInput};
use threadline::model::sections::{Document, SectionInput};
use threadline::model::sources::{SourceInput, SourceKind};
use threadline::model::themes::ThemeInput;
use threadline::model::tor::{TorInput, TorKind};
use threadline::search::{fts_query, SearchPage, SearchQuery, MAX_LIMIT, TOTAL_CAP};
use threadline::{Error, Review};

use crate::common::{fresh, Fixture};

const IMR_TEXT: &str = "\
CHILDREN'S SOCIAL CARE
3.2.1 Child S's mother was seen at home by the allocated social worker.
3.2.2 The assessment template ver1.1 was used although ver2.0 had been issued.
3.2.3 On 12.03.2021 the police shared a domestic abuse notification.
3.2.4 Managers agreed AND noted that NEAR misses were not recorded.
3.2.5 Project1 was the name given to the early help pilot.
";

fn source(title: &str) -> SourceInput {
    SourceInput {
        kind: SourceKind::Imr,
        title: title.into(),
        ..SourceInput::default()
    }
}

fn imr() -> Fixture {
    let mut f = fresh();
    f.review
        .import_text(source("Children's Social Care IMR"), IMR_TEXT)
        .unwrap();
    f
}

fn search(review: &Review, text: &str) -> SearchPage {
    review
        .search(&SearchQuery::new(text))
        .unwrap_or_else(|e| panic!("searching {text:?} failed: {e}"))
}

/// The paragraph labels of the hits, in rank order.
fn labels(page: &SearchPage) -> Vec<String> {
    page.hits
        .iter()
        .map(|h| h.location.paragraph_label.clone().unwrap_or_default())
        .collect()
}

#[test]
fn fts_query_quotes_every_word_so_operators_are_plain_words() {
    assert_eq!(fts_query("Child S's").as_deref(), Some(r#""Child" "S's""#));
    assert_eq!(fts_query("ver1.1").as_deref(), Some(r#""ver1.1""#));
    assert_eq!(fts_query("12.03.2021").as_deref(), Some(r#""12.03.2021""#));
    assert_eq!(fts_query("AND").as_deref(), Some(r#""AND""#));
    assert_eq!(fts_query("OR OR").as_deref(), Some(r#""OR" "OR""#));
    assert_eq!(fts_query("NEAR(").as_deref(), Some(r#""NEAR""#));
    assert_eq!(
        fts_query("title:abuse ^x").as_deref(),
        Some(r#""title:abuse" "x""#)
    );
}

#[test]
fn fts_query_keeps_balanced_phrases_and_prefixes_and_ignores_a_lone_quote() {
    assert_eq!(
        fts_query(r#"mother "social worker" proj*"#).as_deref(),
        Some(r#""mother" "social worker" "proj" *"#)
    );
    assert_eq!(
        fts_query(r#""unbalanced"#).as_deref(),
        Some(r#""unbalanced""#)
    );
    assert_eq!(
        fts_query(r#""a b" "c"#).as_deref(),
        Some(r#""a b" "c""#),
        "the third quote has no partner and is dropped"
    );
    assert_eq!(
        fts_query("\u{201C}social worker\u{201D}").as_deref(),
        Some(r#""social worker""#),
        "curly quotes make a phrase too"
    );
    assert_eq!(
        fts_query(r#""early help"*"#).as_deref(),
        Some(r#""early help" *"#)
    );
}

#[test]
fn fts_query_returns_none_for_input_without_words() {
    for input in ["", "   ", "\"\"", "*", "-", "()", "\"", "—–…", "\"  \" *"] {
        assert_eq!(fts_query(input), None, "input {input:?}");
    }
}

#[test]
fn fts_query_limits_how_many_words_take_part() {
    let long = "word ".repeat(500);
    let q = fts_query(&long).unwrap();
    assert_eq!(q.matches("\"word\"").count(), threadline::search::MAX_TERMS);
}

#[test]
fn a_possessive_finds_the_paragraph_it_appears_in() {
    let f = imr();
    assert_eq!(labels(&search(&f.review, "Child S's")), ["3.2.1"]);
}

#[test]
fn a_dotted_version_number_is_searched_as_a_phrase() {
    let f = imr();
    assert_eq!(labels(&search(&f.review, "ver1.1")), ["3.2.2"]);
    assert!(search(&f.review, "ver1.3").hits.is_empty());
}

#[test]
fn a_dotted_date_finds_the_paragraph_with_that_date() {
    let f = imr();
    assert_eq!(labels(&search(&f.review, "12.03.2021")), ["3.2.3"]);
    assert!(search(&f.review, "12.04.2021").hits.is_empty());
}

#[test]
fn fts_operators_typed_alone_are_searched_as_words() {
    let f = imr();
    assert_eq!(labels(&search(&f.review, "AND")), ["3.2.4"]);
    assert_eq!(labels(&search(&f.review, "NEAR(")), ["3.2.4"]);
    assert_eq!(labels(&search(&f.review, "NOT")), ["3.2.4"]);
    assert!(search(&f.review, "OR OR").hits.is_empty());
}

#[test]
fn an_unbalanced_quote_is_ignored() {
    let f = imr();
    assert_eq!(labels(&search(&f.review, "\"allocated")), ["3.2.1"]);
    assert_eq!(labels(&search(&f.review, "allocated\" social")), ["3.2.1"]);
}

#[test]
fn input_without_words_gives_no_hits_and_no_error() {
    let f = imr();
    for input in ["", "\"\"", "*", "-", "()", "\"", "^", ":", "(((", "\"*\""] {
        let page = search(&f.review, input);
        assert!(page.hits.is_empty(), "input {input:?}");
        assert_eq!(page.total, 0);
        assert!(!page.total_capped);
    }
}

#[test]
fn a_quoted_phrase_needs_its_words_together() {
    let f = imr();
    assert_eq!(labels(&search(&f.review, "\"social worker\"")), ["3.2.1"]);
    assert!(search(&f.review, "\"worker social\"").hits.is_empty());
}

#[test]
fn a_trailing_star_searches_by_prefix() {
    let f = imr();
    assert_eq!(labels(&search(&f.review, "Proj*")), ["3.2.5"]);
    assert!(search(&f.review, "Proj").hits.is_empty());
}

#[test]
fn case_and_accents_do_not_matter() {
    let mut f = fresh();
    f.review
        .import_text(source("Health IMR"), "The naïve café manager called.")
        .unwrap();
    assert_eq!(search(&f.review, "NAIVE CAFE").hits.len(), 1);
    assert_eq!(search(&f.review, "Café").hits.len(), 1);
}

#[test]
fn the_closer_match_ranks_first() {
    let mut f = fresh();
    f.review
        .import_text(
            source("Police IMR"),
            "Neglect neglect neglect: the neglect was plain.\n\
             The long report covered housing, schooling, health visits, benefits, \
             transport, the family's finances, and once, briefly, neglect.\n",
        )
        .unwrap();
    let page = search(&f.review, "neglect");
    assert_eq!(page.hits.len(), 2);
    assert_eq!(page.hits[0].location.paragraph_seq, Some(1));
    assert!(
        page.hits[0].score < page.hits[1].score,
        "bm25: lower is better"
    );
}

#[test]
fn snippets_mark_the_matched_words() {
    let f = imr();
    let page = search(&f.review, "\"domestic abuse\"");
    let hit = &page.hits[0];
    assert!(
        hit.snippet.contains("«domestic abuse»"),
        "snippet: {}",
        hit.snippet
    );
    let marked: Vec<&str> = hit
        .snippet_parts
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, ["domestic abuse"]);
    let whole: String = hit.snippet_parts.iter().map(|p| p.text.as_str()).collect();
    assert!(whole.contains("the police shared a domestic abuse notification"));
}

#[test]
fn pages_are_disjoint_and_cover_every_hit() {
    let mut f = fresh();
    let text: String = (1..=25)
        .map(|i| format!("Welfare visit number {i} took place.\n"))
        .collect();
    f.review.import_text(source("Visits log"), &text).unwrap();
    let mut seen = std::collections::HashSet::new();
    for page_no in 0..3 {
        let page = f
            .review
            .search(&SearchQuery {
                text: "welfare".into(),
                kinds: None,
                offset: page_no * 10,
                limit: 10,
            })
            .unwrap();
        assert_eq!(page.total, 25);
        assert_eq!(page.hits.len(), if page_no < 2 { 10 } else { 5 });
        for hit in page.hits {
            assert!(seen.insert(hit.object_id), "a hit came back twice");
        }
    }
    assert_eq!(seen.len(), 25);
    let past_end = f
        .review
        .search(&SearchQuery {
            text: "welfare".into(),
            kinds: None,
            offset: 25,
            limit: 10,
        })
        .unwrap();
    assert!(past_end.hits.is_empty());
    assert_eq!(past_end.total, 25);
}

#[test]
fn the_total_is_capped_and_a_page_is_never_bigger_than_the_limit() {
    let mut f = fresh();
    let text: String = (1..=TOTAL_CAP + 50)
        .map(|i| format!("Contact {i} with the family.\n"))
        .collect();
    f.review.import_text(source("Contact log"), &text).unwrap();
    let page = f
        .review
        .search(&SearchQuery {
            text: "family".into(),
            kinds: None,
            offset: 0,
            limit: 10_000,
        })
        .unwrap();
    assert_eq!(page.total, TOTAL_CAP);
    assert!(page.total_capped);
    assert_eq!(page.hits.len(), MAX_LIMIT);
    let count_only = f
        .review
        .search(&SearchQuery {
            text: "family".into(),
            kinds: None,
            offset: 0,
            limit: 0,
        })
        .unwrap();
    assert!(count_only.hits.is_empty());
    assert!(count_only.total_capped);
    let rare = search(&f.review, "1049");
    assert_eq!((rare.total, rare.total_capped), (1, false));
}

#[test]
fn the_kinds_filter_keeps_only_those_kinds() {
    let mut f = imr();
    f.review
        .add_finding(FindingInput {
            theme_id: None,
            kind: FindingKind::Practice,
            statement: "The allocated worker did not see the child alone.".into(),
            analysis: String::new(),
        })
        .unwrap();
    assert_eq!(search(&f.review, "allocated").hits.len(), 2);
    let only = f
        .review
        .search(&SearchQuery {
            kinds: Some(vec!["finding".into()]),
            ..SearchQuery::new("allocated")
        })
        .unwrap();
    assert_eq!(only.total, 1);
    assert_eq!(only.hits[0].kind, "finding");
    let none = f
        .review
        .search(&SearchQuery {
            kinds: Some(vec![]),
            ..SearchQuery::new("allocated")
        })
        .unwrap();
    assert!(none.hits.is_empty());
}

#[test]
fn an_unknown_kind_in_the_filter_is_refused() {
    let f = imr();
    let err = f
        .review
        .search(&SearchQuery {
            kinds: Some(vec!["email".into()]),
            ..SearchQuery::new("allocated")
        })
        .unwrap_err();
    match err {
        Error::Invalid { field, message } => {
            assert_eq!(field, "kinds");
            assert!(message.contains("'email'"), "{message}");
            assert!(message.contains("paragraph"), "{message}");
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn a_paragraph_hit_names_its_source_label_and_heading() {
    let f = imr();
    let hit = &search(&f.review, "notification").hits[0];
    assert_eq!(hit.kind, "paragraph");
    let loc = &hit.location;
    assert_eq!(loc.label, "Children's Social Care IMR ¶3.2.3");
    assert_eq!(
        loc.source_title.as_deref(),
        Some("Children's Social Care IMR")
    );
    assert_eq!(loc.paragraph_label.as_deref(), Some("3.2.3"));
    assert_eq!(loc.paragraph_seq, Some(4));
    assert_eq!(loc.heading.as_deref(), Some("CHILDREN'S SOCIAL CARE"));
    assert_eq!(loc.paragraph_id.as_deref(), Some(hit.object_id.as_str()));
}

#[test]
fn an_unlabelled_paragraph_is_located_by_its_number() {
    let mut f = fresh();
    f.review
        .import_text(
            source("Interview notes"),
            "First line.\nSecond line about bruising.",
        )
        .unwrap();
    let hit = &search(&f.review, "bruising").hits[0];
    assert_eq!(hit.location.label, "Interview notes, paragraph 2");
    assert_eq!(hit.location.heading, None);
}

#[test]
fn every_kind_of_record_is_found_and_located() {
    let mut f = imr();
    let r = &mut f.review;
    let para = r
        .paragraphs(&r.sources().unwrap()[0].id, 0, 10)
        .unwrap()
        .into_iter()
        .find(|p| p.label.as_deref() == Some("3.2.3"))
        .unwrap();
    let excerpt = r.excerpt_for_text(&para.id, "domestic abuse").unwrap();
    r.update_excerpt_note(&excerpt.id, "zebraexcerpt").unwrap();
    let mut entry = ChronologyInput::new(
        NaiveDate::from_ymd_opt(2021, 3, 12).unwrap(),
        "zebrachronology notification received",
    );
    entry.source_id = Some(para.source_id.clone());
    entry.paragraph_id = Some(para.id.clone());
    r.add_chronology_entry(entry).unwrap();
    r.add_theme(ThemeInput {
        title: "Zebratheme".into(),
        summary: String::new(),
    })
    .unwrap();
    r.add_finding(FindingInput {
        theme_id: None,
        kind: FindingKind::Systemic,
        statement: "zebrafinding".into(),
        analysis: String::new(),
    })
    .unwrap();
    r.add_recommendation(RecommendationInput {
        text: "first recommendation".into(),
        ..Default::default()
    })
    .unwrap();
    let rec = r
        .add_recommendation(RecommendationInput {
            text: "zebrarecommendation".into(),
            ..Default::default()
        })
        .unwrap();
    r.add_action(
        &rec.id,
        ActionInput {
            text: "first action".into(),
            ..Default::default()
        },
    )
    .unwrap();
    r.add_action(
        &rec.id,
        ActionInput {
            text: "zebraaction".into(),
            ..Default::default()
        },
    )
    .unwrap();
    r.add_section(SectionInput {
        document: Document::Overview,
        heading: "Analysis".into(),
        body: "zebrasection".into(),
    })
    .unwrap();
    r.add_section(SectionInput {
        document: Document::Summary,
        heading: "Key findings".into(),
        body: "zebrasummary".into(),
    })
    .unwrap();
    r.add_tor(TorInput {
        kind: TorKind::Generic,
        text: "zebrator".into(),
        out_of_scope_reason: None,
    })
    .unwrap();
    r.add_source(SourceInput {
        summary: "zebrasource".into(),
        ..source("Police IMR")
    })
    .unwrap();

    let expect = [
        (
            "zebraexcerpt",
            "excerpt",
            "Excerpt, Children's Social Care IMR ¶3.2.3",
        ),
        (
            "zebrachronology",
            "chronology_entry",
            "Chronology 12/03/2021",
        ),
        ("zebratheme", "theme", "Theme: Zebratheme"),
        ("zebrafinding", "finding", "F1"),
        ("zebrarecommendation", "recommendation", "R2"),
        ("zebraaction", "action", "R2 action 2"),
        ("zebrasection", "section", "Overview report: Analysis"),
        ("zebrasummary", "section", "Executive summary: Key findings"),
        ("zebrator", "tor_item", "ToR 1"),
        ("zebrasource", "source", "Police IMR"),
    ];
    for (word, kind, label) in expect {
        let page = search(r, word);
        assert_eq!(page.hits.len(), 1, "{word}");
        assert_eq!(page.hits[0].kind, kind, "{word}");
        assert_eq!(page.hits[0].location.label, label, "{word}");
        // The kinds filter agrees with the kind each record is stored under.
        for other in threadline::search::SEARCH_KINDS {
            let filtered = r
                .search(&SearchQuery {
                    kinds: Some(vec![other.to_string()]),
                    ..SearchQuery::new(word)
                })
                .unwrap();
            assert_eq!(
                filtered.total,
                usize::from(*other == kind),
                "{word} as {other}"
            );
        }
    }
    let chron = &search(r, "zebrachronology").hits[0].location;
    assert_eq!(chron.paragraph_label.as_deref(), Some("3.2.3"));
    assert_eq!(
        chron.source_title.as_deref(),
        Some("Children's Social Care IMR")
    );
    let zebra = search(r, "zebra*");
    assert_eq!(zebra.total, 10, "a prefix finds every kind");
}

#[test]
fn search_follows_edits_deletes_and_undo() {
    let mut f = fresh();
    let tor = f
        .review
        .add_tor(TorInput {
            kind: TorKind::CaseSpecific,
            text: "Was the housing referral acted on?".into(),
            out_of_scope_reason: None,
        })
        .unwrap();
    assert_eq!(search(&f.review, "housing").total, 1);
    f.review
        .update_tor(
            &tor.id,
            TorInput {
                kind: TorKind::CaseSpecific,
                text: "Was the school referral acted on?".into(),
                out_of_scope_reason: None,
            },
        )
        .unwrap();
    assert_eq!(search(&f.review, "housing").total, 0);
    assert_eq!(search(&f.review, "school").total, 1);
    f.review.undo().unwrap();
    assert_eq!(search(&f.review, "housing").total, 1);
    f.review.delete_tor(&tor.id, false).unwrap();
    assert_eq!(search(&f.review, "housing").total, 0);
}

#[test]
fn locating_a_record_that_is_gone_names_only_its_kind() {
    let f = fresh();
    let loc = f.review.locate("chronology_entry", "no-such-id").unwrap();
    assert_eq!(loc.label, "chronology entry");
    assert_eq!(loc.source_id, None);
}

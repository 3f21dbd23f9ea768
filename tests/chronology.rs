//! The chronology: dated entries, loose date reading, same-day order, filters, the derived
//! review/context period, and guarded deletes.

use chrono::NaiveDate;
use threadline::model::agencies::AgencyInput;
use threadline::model::chronology::{
    parse_loose_date, ChronologyFilter, ChronologyInput, DatePrecision, Period, Significance,
};
use threadline::model::comments::CommentTarget;
use threadline::model::details::DetailsInput;
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::people::{PersonCategory, PersonInput};
use threadline::model::sections::{Document, SectionInput};
use threadline::model::sources::SourceInput;
use threadline::{Error, Review};

use crate::common::fresh;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn entry(date: NaiveDate, event: &str) -> ChronologyInput {
    ChronologyInput::new(date, event)
}

fn events(r: &Review, filter: &ChronologyFilter) -> Vec<String> {
    r.chronology(filter)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}

fn all(r: &Review) -> Vec<String> {
    events(r, &ChronologyFilter::default())
}

fn log_len(r: &Review) -> usize {
    r.audit_log(1000).unwrap().len()
}

fn agency(r: &mut Review, name: &str) -> String {
    r.add_agency(AgencyInput {
        name: name.into(),
        short_name: String::new(),
        sector: String::new(),
    })
    .unwrap()
    .id
}

fn person(r: &mut Review, name: &str) -> String {
    r.add_person(PersonInput {
        category: PersonCategory::Person,
        real_name: name.into(),
        aliases: Vec::new(),
        pseudonym: format!("Pseudonym {name}"),
        role: String::new(),
        relation: String::new(),
        safe_to_name: false,
    })
    .unwrap()
    .id
}

fn set_periods(r: &mut Review, review: (NaiveDate, NaiveDate), context: (NaiveDate, NaiveDate)) {
    r.update_details(DetailsInput {
        title: "Child Z".into(),
        review_period_start: Some(review.0),
        review_period_end: Some(review.1),
        context_period_start: Some(context.0),
        context_period_end: Some(context.1),
        ..DetailsInput::default()
    })
    .unwrap();
}

// ---- reading dates ----

#[test]
fn loose_dates_are_read_day_first_with_their_precision() {
    use DatePrecision::*;
    let table: &[(&str, NaiveDate, DatePrecision)] = &[
        ("12/03/2021", d(2021, 3, 12), Day),
        ("12.03.2021", d(2021, 3, 12), Day),
        ("12-03-2021", d(2021, 3, 12), Day),
        ("1/3/2021", d(2021, 3, 1), Day),
        ("12/03/21", d(2021, 3, 12), Day),
        ("12/03/98", d(1998, 3, 12), Day),
        ("2021-03-12", d(2021, 3, 12), Day),
        ("  2021-03-12  ", d(2021, 3, 12), Day),
        ("12 March 2021", d(2021, 3, 12), Day),
        ("12th Mar 2021", d(2021, 3, 12), Day),
        ("Tuesday 12th October 2010", d(2010, 10, 12), Day),
        ("March 12, 2021", d(2021, 3, 12), Day),
        ("29/02/2024", d(2024, 2, 29), Day),
        ("March 2021", d(2021, 3, 1), Month),
        ("Mar 2021", d(2021, 3, 1), Month),
        ("sept 2019", d(2019, 9, 1), Month),
        ("03/2021", d(2021, 3, 1), Month),
        ("2021-03", d(2021, 3, 1), Month),
        ("2021", d(2021, 1, 1), Year),
        ("c. 2019", d(2019, 1, 1), Approximate),
        ("c 2019", d(2019, 1, 1), Approximate),
        ("circa 2019", d(2019, 1, 1), Approximate),
        ("Approx. 2019", d(2019, 1, 1), Approximate),
        ("approximately June 2018", d(2018, 6, 1), Approximate),
        ("about 3/6/2018", d(2018, 6, 3), Approximate),
    ];
    for (text, date, precision) in table {
        assert_eq!(
            parse_loose_date(text).unwrap_or_else(|e| panic!("{text}: {e}")),
            (*date, *precision),
            "{text}"
        );
    }
}

#[test]
fn unreadable_or_impossible_dates_say_what_is_wrong() {
    let cases: &[(&str, &str)] = &[
        ("31/02/2021", "February 2021 has no day 31"),
        ("29/02/2023", "February 2023 has no day 29"),
        ("31 April 2020", "April 2020 has no day 31"),
        ("12/13/2021", "no month 13"),
        ("next Tuesday", "is not a date Threadline can read"),
        ("", "must not be empty"),
        ("c.", "is not a date Threadline can read"),
        ("2021-02-30", "February 2021 has no day 30"),
        ("12/03/2021/4", "is not a date Threadline can read"),
        ("Smarch 2021", "is not a date Threadline can read"),
        ("c2019", "is not a date Threadline can read"),
        ("123", "is not a date Threadline can read"),
    ];
    for (text, expected) in cases {
        let err = parse_loose_date(text).unwrap_err();
        assert_eq!(err.code(), "invalid", "{text}");
        assert!(
            err.to_string().contains(expected),
            "{text}: got '{err}', wanted '{expected}'"
        );
    }
}

// ---- adding, editing, ordering ----

#[test]
fn entries_are_added_in_date_order_with_a_same_day_sequence() {
    let mut f = fresh();
    let later = f
        .review
        .add_chronology_entry(entry(d(2021, 5, 2), "later"))
        .unwrap();
    let a = f
        .review
        .add_chronology_entry(entry(d(2021, 5, 1), "morning"))
        .unwrap();
    let b = f
        .review
        .add_chronology_entry(entry(d(2021, 5, 1), "afternoon"))
        .unwrap();
    let c = f
        .review
        .add_chronology_entry(entry(d(2021, 5, 1), "evening"))
        .unwrap();
    assert_eq!((a.seq, b.seq, c.seq, later.seq), (0, 1, 2, 0));
    assert_eq!(all(&f.review), ["morning", "afternoon", "evening", "later"]);
    assert_eq!(f.review.chronology_entry(&b.id).unwrap(), b);
    assert_eq!(b.period, Period::Unknown);
    assert_eq!(
        f.review.chronology_entry("missing").unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn moving_within_a_day_rewrites_that_day_only_and_undoes() {
    let mut f = fresh();
    let other = f
        .review
        .add_chronology_entry(entry(d(2021, 5, 2), "next day"))
        .unwrap();
    let a = f
        .review
        .add_chronology_entry(entry(d(2021, 5, 1), "a"))
        .unwrap();
    let b = f
        .review
        .add_chronology_entry(entry(d(2021, 5, 1), "b"))
        .unwrap();
    let c = f
        .review
        .add_chronology_entry(entry(d(2021, 5, 1), "c"))
        .unwrap();
    f.review.move_chronology_entry_within_day(&c.id, 0).unwrap();
    assert_eq!(all(&f.review), ["c", "a", "b", "next day"]);
    let seqs: Vec<i64> = f
        .review
        .chronology(&ChronologyFilter::default())
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, [0, 1, 2, 0]);
    assert_eq!(f.review.chronology_entry(&other.id).unwrap(), other);

    f.review
        .move_chronology_entry_within_day(&c.id, 99)
        .unwrap();
    assert_eq!(all(&f.review), ["a", "b", "c", "next day"]);
    f.review.undo().unwrap();
    f.review.undo().unwrap();
    assert_eq!(f.review.chronology_entry(&a.id).unwrap(), a);
    assert_eq!(f.review.chronology_entry(&b.id).unwrap(), b);
    assert_eq!(f.review.chronology_entry(&c.id).unwrap(), c);
    assert_eq!(
        f.review
            .move_chronology_entry_within_day("missing", 0)
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn an_edit_keeps_every_field_and_a_new_date_puts_the_entry_last_that_day() {
    let mut f = fresh();
    let police = agency(&mut f.review, "Police");
    let mum = person(&mut f.review, "Mother");
    let baby = person(&mut f.review, "Baby");
    f.review
        .add_chronology_entry(entry(d(2021, 6, 1), "existing"))
        .unwrap();
    let e = f
        .review
        .add_chronology_entry(ChronologyInput {
            precision: DatePrecision::Month,
            end_date: Some(d(2021, 5, 20)),
            date_text: " May 2021 ".into(),
            agency_id: Some(police.clone()),
            people: vec![mum.clone(), baby.clone(), mum.clone(), " ".into()],
            source_locator: " IMR 4.2 ".into(),
            significance: Significance::KeyPracticeEpisode,
            missed_opportunity: true,
            missed_rationale: " No strategy discussion was held ".into(),
            ..entry(d(2021, 5, 1), "  Domestic abuse call-out  ")
        })
        .unwrap();
    assert_eq!(e.event, "Domestic abuse call-out");
    assert_eq!(e.date_text, "May 2021");
    assert_eq!(e.people, [mum.clone(), baby.clone()]);
    assert_eq!(e.source_locator, "IMR 4.2");
    assert_eq!(e.missed_rationale, "No strategy discussion was held");
    assert!(e.missed_opportunity);
    assert_eq!(e.precision, DatePrecision::Month);
    assert_eq!(e.agency_id.as_deref(), Some(police.as_str()));

    let mut moved: ChronologyInput = e.clone().into();
    moved.date = d(2021, 6, 1);
    moved.end_date = None;
    moved.precision = DatePrecision::Day;
    let m = f.review.update_chronology_entry(&e.id, moved).unwrap();
    assert_eq!(m.seq, 1);
    assert_eq!(all(&f.review), ["existing", "Domestic abuse call-out"]);
    assert_eq!(m.people, e.people);

    let mut same_day: ChronologyInput = m.clone().into();
    same_day.event = "Call-out".into();
    assert_eq!(
        f.review
            .update_chronology_entry(&e.id, same_day)
            .unwrap()
            .seq,
        1
    );

    f.review.undo().unwrap();
    f.review.undo().unwrap();
    assert_eq!(f.review.chronology_entry(&e.id).unwrap(), e);
}

#[test]
fn bad_entries_are_refused_and_change_nothing() {
    let mut f = fresh();
    let s1 = f
        .review
        .import_text(
            SourceInput {
                title: "One".into(),
                ..SourceInput::default()
            },
            "p1\np2",
        )
        .unwrap();
    let s2 = f
        .review
        .import_text(
            SourceInput {
                title: "Two".into(),
                ..SourceInput::default()
            },
            "q1",
        )
        .unwrap();
    let p2 = f.review.paragraphs(&s2.id, 0, 1).unwrap().remove(0);
    let log = log_len(&f.review);
    let day = d(2021, 1, 10);

    let invalid = |r: &mut Review, input: ChronologyInput, field: &str| {
        let err = r.add_chronology_entry(input).unwrap_err();
        assert!(
            matches!(&err, Error::Invalid { field: got, .. } if got == field),
            "wanted {field}: {err}"
        );
        err
    };
    invalid(&mut f.review, entry(day, "  "), "event");
    let err = invalid(
        &mut f.review,
        ChronologyInput {
            end_date: Some(d(2021, 1, 9)),
            ..entry(day, "stay")
        },
        "end_date",
    );
    assert!(err.to_string().contains("before it starts"), "{err}");
    let err = invalid(
        &mut f.review,
        ChronologyInput {
            missed_opportunity: true,
            ..entry(day, "missed")
        },
        "missed_rationale",
    );
    assert!(err.to_string().contains("rationale"), "{err}");
    invalid(
        &mut f.review,
        ChronologyInput {
            source_id: Some(s1.id.clone()),
            paragraph_id: Some(p2.id.clone()),
            ..entry(day, "wrong source")
        },
        "paragraph_id",
    );

    let not_found = |r: &mut Review, input: ChronologyInput, kind: &str| {
        let err = r.add_chronology_entry(input).unwrap_err();
        assert!(
            matches!(&err, Error::NotFound { kind: got, .. } if *got == kind),
            "wanted {kind}: {err}"
        );
    };
    not_found(
        &mut f.review,
        ChronologyInput {
            agency_id: Some("nope".into()),
            ..entry(day, "x")
        },
        "agency",
    );
    not_found(
        &mut f.review,
        ChronologyInput {
            people: vec!["nobody".into()],
            ..entry(day, "x")
        },
        "person",
    );
    not_found(
        &mut f.review,
        ChronologyInput {
            source_id: Some("nope".into()),
            ..entry(day, "x")
        },
        "source",
    );
    not_found(
        &mut f.review,
        ChronologyInput {
            paragraph_id: Some("nope".into()),
            ..entry(day, "x")
        },
        "paragraph",
    );
    assert!(all(&f.review).is_empty());
    assert_eq!(log_len(&f.review), log);

    // A paragraph alone fills in its source.
    let ok = f
        .review
        .add_chronology_entry(ChronologyInput {
            paragraph_id: Some(p2.id.clone()),
            ..entry(day, "from a paragraph")
        })
        .unwrap();
    assert_eq!(ok.source_id.as_deref(), Some(s2.id.as_str()));

    let err = f
        .review
        .update_chronology_entry(&ok.id, entry(day, ""))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(f.review.chronology_entry(&ok.id).unwrap(), ok);
}

// ---- filters and periods ----

#[test]
fn the_period_is_derived_from_the_review_details_and_follows_them() {
    let mut f = fresh();
    let review = f
        .review
        .add_chronology_entry(entry(d(2021, 3, 1), "in review"))
        .unwrap();
    let context = f
        .review
        .add_chronology_entry(entry(d(2019, 6, 1), "in context"))
        .unwrap();
    let before = f
        .review
        .add_chronology_entry(entry(d(2015, 1, 1), "long before"))
        .unwrap();
    // February 2021 as a month overlaps a review period starting mid-February.
    let month = f
        .review
        .add_chronology_entry(ChronologyInput {
            precision: DatePrecision::Month,
            ..entry(d(2021, 2, 1), "some time in February")
        })
        .unwrap();
    // An event spanning into the review period counts as in it.
    let spanning = f
        .review
        .add_chronology_entry(ChronologyInput {
            end_date: Some(d(2021, 2, 20)),
            ..entry(d(2020, 12, 1), "stay with grandparents")
        })
        .unwrap();
    let approx = f
        .review
        .add_chronology_entry(ChronologyInput {
            precision: DatePrecision::Approximate,
            ..entry(d(2018, 1, 1), "c. 2018 family moved")
        })
        .unwrap();
    let ids = [&review, &context, &before, &month, &spanning, &approx];
    for e in ids {
        assert_eq!(
            f.review.chronology_entry(&e.id).unwrap().period,
            Period::Unknown
        );
    }

    set_periods(
        &mut f.review,
        (d(2021, 2, 15), d(2021, 10, 31)),
        (d(2018, 1, 1), d(2021, 2, 14)),
    );
    let periods: Vec<Period> = ids
        .iter()
        .map(|e| f.review.chronology_entry(&e.id).unwrap().period)
        .collect();
    assert_eq!(
        periods,
        [
            Period::Review,
            Period::Context,
            Period::Outside,
            Period::Review,
            Period::Review,
            Period::Context
        ]
    );

    let only = |r: &Review, p: Period| {
        events(
            r,
            &ChronologyFilter {
                period: Some(p),
                ..ChronologyFilter::default()
            },
        )
    };
    assert_eq!(
        only(&f.review, Period::Review),
        [
            "stay with grandparents",
            "some time in February",
            "in review"
        ]
    );
    assert_eq!(
        only(&f.review, Period::Context),
        ["c. 2018 family moved", "in context"]
    );
    assert_eq!(only(&f.review, Period::Outside), ["long before"]);

    // Nothing was written to the entries: undoing the details change brings Unknown back.
    f.review.undo().unwrap();
    assert_eq!(f.review.chronology_entry(&review.id).unwrap(), review);
    assert!(only(&f.review, Period::Review).is_empty());
    assert_eq!(only(&f.review, Period::Unknown).len(), 6);
}

#[test]
fn filters_narrow_by_agency_dates_significance_and_missed_opportunities() {
    let mut f = fresh();
    let police = agency(&mut f.review, "Police");
    let school = agency(&mut f.review, "School");
    f.review
        .add_chronology_entry(ChronologyInput {
            agency_id: Some(police.clone()),
            significance: Significance::Significant,
            ..entry(d(2021, 1, 5), "police visit")
        })
        .unwrap();
    f.review
        .add_chronology_entry(ChronologyInput {
            agency_id: Some(school.clone()),
            missed_opportunity: true,
            missed_rationale: "Absence not followed up".into(),
            significance: Significance::KeyPracticeEpisode,
            ..entry(d(2021, 2, 5), "school absence")
        })
        .unwrap();
    f.review
        .add_chronology_entry(ChronologyInput {
            agency_id: Some(police.clone()),
            end_date: Some(d(2021, 3, 10)),
            ..entry(d(2021, 2, 25), "police bail period")
        })
        .unwrap();
    f.review
        .add_chronology_entry(entry(d(2021, 4, 1), "no agency"))
        .unwrap();

    let by = |filter: ChronologyFilter| events(&f.review, &filter);
    assert_eq!(
        by(ChronologyFilter {
            agency_id: Some(police.clone()),
            ..Default::default()
        }),
        ["police visit", "police bail period"]
    );
    assert_eq!(
        by(ChronologyFilter {
            from: Some(d(2021, 3, 1)),
            ..Default::default()
        }),
        ["police bail period", "no agency"]
    );
    assert_eq!(
        by(ChronologyFilter {
            to: Some(d(2021, 2, 5)),
            ..Default::default()
        }),
        ["police visit", "school absence"]
    );
    assert_eq!(
        by(ChronologyFilter {
            significance: Some(Significance::KeyPracticeEpisode),
            ..Default::default()
        }),
        ["school absence"]
    );
    assert_eq!(
        by(ChronologyFilter {
            missed_only: true,
            ..Default::default()
        }),
        ["school absence"]
    );
    assert_eq!(
        by(ChronologyFilter {
            agency_id: Some(police),
            from: Some(d(2021, 2, 1)),
            to: Some(d(2021, 2, 28)),
            ..Default::default()
        }),
        ["police bail period"]
    );
    assert_eq!(by(ChronologyFilter::default()).len(), 4);
}

// ---- deleting ----

#[test]
fn a_cited_entry_is_not_deleted_unless_cascading() {
    let mut f = fresh();
    let e = f
        .review
        .add_chronology_entry(entry(d(2021, 3, 1), "Strategy meeting not held"))
        .unwrap();
    let mut findings = Vec::new();
    for statement in ["No strategy meeting", "Thresholds too high"] {
        let fid = f
            .review
            .add_finding(FindingInput {
                theme_id: None,
                kind: FindingKind::Practice,
                statement: statement.into(),
                analysis: String::new(),
            })
            .unwrap()
            .id;
        f.review
            .link_evidence(
                &fid,
                EvidenceTarget::Chronology(e.id.clone()),
                Relation::Supports,
                "",
            )
            .unwrap();
        findings.push(fid);
    }
    f.review
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Key episodes".into(),
            body: format!("On 1 March no meeting was held [[chronology:{}]].", e.id),
        })
        .unwrap();
    f.review
        .add_comment(
            CommentTarget::Chronology,
            &e.id,
            None,
            "Confirm with police",
        )
        .unwrap();

    let log = log_len(&f.review);
    let err = f.review.delete_chronology_entry(&e.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete the chronology entry of 2021-03-01: 2 findings cite this chronology entry; \
         1 report section cites this chronology entry; 1 comment is on this chronology entry"
    );
    assert_eq!(log_len(&f.review), log);

    f.review.delete_chronology_entry(&e.id, true).unwrap();
    assert!(all(&f.review).is_empty());
    for fid in &findings {
        assert!(f.review.evidence_of(fid).unwrap().is_empty());
    }
    assert!(f.review.open_comments().unwrap().is_empty());

    f.review.undo().unwrap();
    assert_eq!(f.review.chronology_entry(&e.id).unwrap(), e);
    assert_eq!(f.review.evidence_of(&findings[0]).unwrap().len(), 1);
    assert_eq!(f.review.open_comments().unwrap().len(), 1);
}

#[test]
fn an_uncited_entry_is_deleted_and_undo_brings_it_back() {
    let mut f = fresh();
    let e = f
        .review
        .add_chronology_entry(entry(d(2021, 3, 1), "visit"))
        .unwrap();
    f.review.delete_chronology_entry(&e.id, false).unwrap();
    assert!(all(&f.review).is_empty());
    assert_eq!(f.review.undo().unwrap(), "Delete chronology entry");
    assert_eq!(f.review.chronology_entry(&e.id).unwrap(), e);
    assert_eq!(
        f.review
            .delete_chronology_entry("missing", true)
            .unwrap_err()
            .code(),
        "not_found"
    );
}

//! The chronology: dated events, each with how precisely its date is known, the agency and
//! people involved, where it came from, how significant it is, and whether it was a missed
//! opportunity.
//!
//! Whether an event falls in the review period or the context period is never stored: it is
//! worked out at read time from the review details, so changing the periods re-sorts every
//! entry at once.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::details::Details;
use super::{
    date_range, delete_comments_on, ensure_exists, from_json_list, month_name, month_number,
    move_within, refuse_if_used, required, text_enum, to_json_list, Use, COMMENTS_ON,
    SECTION_CITES,
};
use crate::change::{Change, Table};
use crate::error::{Error, Result};
use crate::review::Review;

text_enum! {
    /// How precisely an entry's date is known.
    DatePrecision { Day = "day", Month = "month", Year = "year", Approximate = "approximate" }
}

text_enum! {
    /// How much an event matters to the review.
    Significance {
        Routine = "routine", Significant = "significant",
        KeyPracticeEpisode = "key_practice_episode",
    }
}

text_enum! {
    /// Which of the review's periods an entry falls in; derived, never stored.
    Period { Review = "review", Context = "context", Outside = "outside", Unknown = "unknown" }
}

/// One dated event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ChronologyEntry {
    pub id: String,
    /// The day of the event, or the first day of its month or year when less precise.
    pub date: NaiveDate,
    pub precision: DatePrecision,
    /// The last day, for an event that spans days.
    pub end_date: Option<NaiveDate>,
    /// The date as the document wrote it.
    pub date_text: String,
    /// Order among the entries of the same date.
    pub seq: i64,
    pub agency_id: Option<String>,
    /// Ids of the people involved (from the people register).
    pub people: Vec<String>,
    pub event: String,
    /// Where in the source the event is recorded ("IMR para 4.3").
    pub source_locator: String,
    pub source_id: Option<String>,
    pub paragraph_id: Option<String>,
    pub significance: Significance,
    pub missed_opportunity: bool,
    /// Why it was a missed opportunity; required when it is one.
    pub missed_rationale: String,
    /// Derived from the review and context periods in the review details.
    pub period: Period,
}

fn day() -> DatePrecision {
    DatePrecision::Day
}

fn routine() -> Significance {
    Significance::Routine
}

/// The editable fields of a [`ChronologyEntry`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ChronologyInput {
    pub date: NaiveDate,
    #[serde(default = "day")]
    pub precision: DatePrecision,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub date_text: String,
    #[serde(default)]
    pub agency_id: Option<String>,
    #[serde(default)]
    pub people: Vec<String>,
    pub event: String,
    #[serde(default)]
    pub source_locator: String,
    #[serde(default)]
    pub source_id: Option<String>,
    #[serde(default)]
    pub paragraph_id: Option<String>,
    #[serde(default = "routine")]
    pub significance: Significance,
    #[serde(default)]
    pub missed_opportunity: bool,
    #[serde(default)]
    pub missed_rationale: String,
}

impl ChronologyInput {
    /// A routine, day-precise event with nothing else filled in.
    pub fn new(date: NaiveDate, event: impl Into<String>) -> Self {
        ChronologyInput {
            date,
            precision: DatePrecision::Day,
            end_date: None,
            date_text: String::new(),
            agency_id: None,
            people: Vec::new(),
            event: event.into(),
            source_locator: String::new(),
            source_id: None,
            paragraph_id: None,
            significance: Significance::Routine,
            missed_opportunity: false,
            missed_rationale: String::new(),
        }
    }
}

impl From<ChronologyEntry> for ChronologyInput {
    fn from(e: ChronologyEntry) -> Self {
        ChronologyInput {
            date: e.date,
            precision: e.precision,
            end_date: e.end_date,
            date_text: e.date_text,
            agency_id: e.agency_id,
            people: e.people,
            event: e.event,
            source_locator: e.source_locator,
            source_id: e.source_id,
            paragraph_id: e.paragraph_id,
            significance: e.significance,
            missed_opportunity: e.missed_opportunity,
            missed_rationale: e.missed_rationale,
        }
    }
}

/// Which entries [`Review::chronology`] returns; every field left empty lets all through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct ChronologyFilter {
    pub agency_id: Option<String>,
    /// Entries that end on or after this day.
    pub from: Option<NaiveDate>,
    /// Entries that start on or before this day.
    pub to: Option<NaiveDate>,
    pub significance: Option<Significance>,
    pub missed_only: bool,
    pub period: Option<Period>,
}

const SELECT: &str = "SELECT id, date, precision, end_date, date_text, seq, agency_id, people,
        event, source_locator, source_id, paragraph_id, significance, missed_opportunity,
        missed_rationale
    FROM chronology_entry";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ChronologyEntry> {
    Ok(ChronologyEntry {
        id: r.get(0)?,
        date: r.get(1)?,
        precision: r.get(2)?,
        end_date: r.get(3)?,
        date_text: r.get(4)?,
        seq: r.get(5)?,
        agency_id: r.get(6)?,
        people: from_json_list(&r.get::<_, String>(7)?),
        event: r.get(8)?,
        source_locator: r.get(9)?,
        source_id: r.get(10)?,
        paragraph_id: r.get(11)?,
        significance: r.get(12)?,
        missed_opportunity: r.get(13)?,
        missed_rationale: r.get(14)?,
        period: Period::Unknown,
    })
}

/// The days an entry may cover: its whole month or year when the date is that coarse (an
/// approximate date counts as its year), stretched to its end date.
fn span(
    date: NaiveDate,
    precision: DatePrecision,
    end_date: Option<NaiveDate>,
) -> (NaiveDate, NaiveDate) {
    let (start, natural_end) = match precision {
        DatePrecision::Day => (date, date),
        DatePrecision::Month => {
            let first = date.with_day(1).unwrap_or(date);
            let next = if date.month() == 12 {
                NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
            };
            (first, next.and_then(|n| n.pred_opt()).unwrap_or(date))
        }
        DatePrecision::Year | DatePrecision::Approximate => (
            NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date),
            NaiveDate::from_ymd_opt(date.year(), 12, 31).unwrap_or(date),
        ),
    };
    let end = end_date.map_or(natural_end, |e| e.max(natural_end));
    (start, end)
}

/// Whether `(start, end)` shares a day with a period; an open end reaches forever.
fn overlaps(span: (NaiveDate, NaiveDate), from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    to.is_none_or(|to| span.0 <= to) && from.is_none_or(|from| span.1 >= from)
}

/// Which period an event falls in: `Review` when any day it may cover is in the review period,
/// else `Context` when in the context period, else `Outside`; `Unknown` when neither period
/// is set in the details.
pub fn period_for(
    date: NaiveDate,
    precision: DatePrecision,
    end_date: Option<NaiveDate>,
    details: &Details,
) -> Period {
    let s = span(date, precision, end_date);
    let review_set = details.review_period_start.is_some() || details.review_period_end.is_some();
    let context_set =
        details.context_period_start.is_some() || details.context_period_end.is_some();
    if review_set && overlaps(s, details.review_period_start, details.review_period_end) {
        Period::Review
    } else if context_set && overlaps(s, details.context_period_start, details.context_period_end) {
        Period::Context
    } else if review_set || context_set {
        Period::Outside
    } else {
        Period::Unknown
    }
}

/// Things that stop an entry from being deleted.
const CHRONOLOGY_USES: &[Use] = &[
    Use {
        sql: "SELECT count(DISTINCT finding_id) FROM evidence_link WHERE chronology_id = ?1",
        singular: "finding",
        plural: "findings",
        verb_singular: "cites",
        verb_plural: "cite",
    },
    SECTION_CITES,
    COMMENTS_ON,
];

/// Checks and tidies an entry's fields against the records it refers to.
fn validate(conn: &rusqlite::Connection, input: &ChronologyInput) -> Result<ChronologyInput> {
    required("event", &input.event)?;
    date_range("end_date", Some(input.date), input.end_date)?;
    if input.missed_opportunity && input.missed_rationale.trim().is_empty() {
        return Err(Error::invalid(
            "missed_rationale",
            "a missed opportunity needs its rationale (what could have been done)",
        ));
    }
    let tidy = |v: &Option<String>| match v.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(s.to_owned()),
    };
    let agency_id = tidy(&input.agency_id);
    if let Some(a) = &agency_id {
        ensure_exists(conn, Table::Agency, "agency", a)?;
    }
    let mut people: Vec<String> = Vec::new();
    for p in input
        .people
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        if !people.iter().any(|q| q == p) {
            ensure_exists(conn, Table::Person, "person", p)?;
            people.push(p.to_owned());
        }
    }
    let mut source_id = tidy(&input.source_id);
    if let Some(s) = &source_id {
        ensure_exists(conn, Table::Source, "source", s)?;
    }
    let paragraph_id = tidy(&input.paragraph_id);
    if let Some(p) = &paragraph_id {
        let owner: String = conn
            .query_row("SELECT source_id FROM paragraph WHERE id = ?1", [p], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "paragraph",
                id: p.clone(),
            })?;
        match &source_id {
            Some(s) if *s != owner => {
                return Err(Error::invalid(
                    "paragraph_id",
                    "the paragraph belongs to a different source than the one given",
                ))
            }
            Some(_) => {}
            // A paragraph names its source, so the source can be filled in.
            None => source_id = Some(owner),
        }
    }
    Ok(ChronologyInput {
        date: input.date,
        precision: input.precision,
        end_date: input.end_date,
        date_text: input.date_text.trim().to_owned(),
        agency_id,
        people,
        event: input.event.trim().to_owned(),
        source_locator: input.source_locator.trim().to_owned(),
        source_id,
        paragraph_id,
        significance: input.significance,
        missed_opportunity: input.missed_opportunity,
        missed_rationale: input.missed_rationale.trim().to_owned(),
    })
}

/// The order of the integrated chronology, as SQL over `chronology_entry`: by date, then
/// coarse before precise on the same date (a year before the months of that year, an
/// approximate date before the month it starts in, a month before its days), then the
/// same-day sequence, then the order of entry.
pub(crate) const CHRONOLOGY_ORDER: &str = "date, CASE precision WHEN 'year' THEN 0 \
    WHEN 'approximate' THEN 1 WHEN 'month' THEN 2 ELSE 3 END, seq, rid";

/// The next free same-day sequence number on `date`.
fn next_seq(c: &Change<'_>, date: NaiveDate) -> Result<i64> {
    Ok(c.query_row(
        "SELECT coalesce(max(seq) + 1, 0) FROM chronology_entry WHERE date = ?1",
        [date],
        |r| r.get(0),
    )?)
}

/// Inserts a checked entry with same-day sequence `seq`, returning its new id.
pub(crate) fn insert_entry(
    c: &mut Change<'_>,
    input: &ChronologyInput,
    seq: i64,
) -> Result<String> {
    let id = c.new_id();
    c.track(Table::ChronologyEntry, &id)?;
    c.execute(
        "INSERT INTO chronology_entry (id, date, precision, end_date, date_text, seq,
            agency_id, people, event, source_locator, source_id, paragraph_id,
            significance, missed_opportunity, missed_rationale)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            id,
            input.date,
            input.precision,
            input.end_date,
            input.date_text,
            seq,
            input.agency_id,
            to_json_list(&input.people),
            input.event,
            input.source_locator,
            input.source_id,
            input.paragraph_id,
            input.significance,
            input.missed_opportunity,
            input.missed_rationale
        ],
    )?;
    Ok(id)
}

impl Review {
    /// The entries that pass `filter`, in the integrated order across agencies: by date, a
    /// coarser date before finer ones on the same day (year, approximate, month, day), then
    /// the same-day sequence.
    pub fn chronology(&self, filter: &ChronologyFilter) -> Result<Vec<ChronologyEntry>> {
        let details = self.details()?;
        let mut stmt = self.db().prepare_cached(&format!(
            "{SELECT}
             WHERE (?1 IS NULL OR agency_id = ?1)
               AND (?2 IS NULL OR coalesce(end_date, date) >= ?2)
               AND (?3 IS NULL OR date <= ?3)
               AND (?4 IS NULL OR significance = ?4)
               AND (?5 = 0 OR missed_opportunity = 1)
             ORDER BY {CHRONOLOGY_ORDER}"
        ))?;
        let rows = stmt.query_map(
            params![
                filter.agency_id,
                filter.from,
                filter.to,
                filter.significance,
                filter.missed_only
            ],
            from_row,
        )?;
        let mut out = Vec::new();
        for row in rows {
            let mut e = row?;
            e.period = period_for(e.date, e.precision, e.end_date, &details);
            if filter.period.is_none_or(|p| p == e.period) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// One entry.
    pub fn chronology_entry(&self, id: &str) -> Result<ChronologyEntry> {
        let mut e = self
            .db()
            .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
            .query_row([id], from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "chronology entry",
                id: id.to_owned(),
            })?;
        e.period = period_for(e.date, e.precision, e.end_date, &self.details()?);
        Ok(e)
    }

    /// Adds an entry, last among those of its date.
    pub fn add_chronology_entry(&mut self, input: ChronologyInput) -> Result<ChronologyEntry> {
        let input = validate(self.db(), &input)?;
        let id = self.change("Add chronology entry", |c| {
            let seq = next_seq(c, input.date)?;
            insert_entry(c, &input, seq)
        })?;
        self.chronology_entry(&id)
    }

    /// Changes an entry. Moving it to another date (or precision) puts it last among that
    /// date's entries.
    pub fn update_chronology_entry(
        &mut self,
        id: &str,
        input: ChronologyInput,
    ) -> Result<ChronologyEntry> {
        let old = self.chronology_entry(id)?;
        let input = validate(self.db(), &input)?;
        self.change("Edit chronology entry", |c| {
            let seq = if input.date == old.date && input.precision == old.precision {
                old.seq
            } else {
                next_seq(c, input.date)?
            };
            c.track(Table::ChronologyEntry, id)?;
            c.execute(
                "UPDATE chronology_entry SET date = ?2, precision = ?3, end_date = ?4,
                    date_text = ?5, seq = ?6, agency_id = ?7, people = ?8, event = ?9,
                    source_locator = ?10, source_id = ?11, paragraph_id = ?12,
                    significance = ?13, missed_opportunity = ?14, missed_rationale = ?15
                 WHERE id = ?1",
                params![
                    id,
                    input.date,
                    input.precision,
                    input.end_date,
                    input.date_text,
                    seq,
                    input.agency_id,
                    to_json_list(&input.people),
                    input.event,
                    input.source_locator,
                    input.source_id,
                    input.paragraph_id,
                    input.significance,
                    input.missed_opportunity,
                    input.missed_rationale
                ],
            )?;
            Ok(())
        })?;
        self.chronology_entry(id)
    }

    /// Moves an entry to index `to` (0-based) among the entries of its date and precision
    /// (the ones that sort together), and numbers those entries 0, 1, 2... again.
    pub fn move_chronology_entry_within_day(&mut self, id: &str, to: usize) -> Result<()> {
        let entry = self.chronology_entry(id)?;
        self.change("Reorder chronology entries", |c| {
            let mut day: Vec<(String, i64)> = c
                .prepare_cached(
                    "SELECT id, seq FROM chronology_entry WHERE date = ?1 AND precision = ?2
                     ORDER BY seq, rid",
                )?
                .query_map(params![entry.date, entry.precision], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut ids: Vec<String> = day.iter().map(|(i, _)| i.clone()).collect();
            move_within("chronology entry", &mut ids, id, to)?;
            day.sort_by_key(|(i, _)| ids.iter().position(|x| x == i));
            for (index, (eid, seq)) in day.iter().enumerate() {
                if *seq != index as i64 {
                    c.track(Table::ChronologyEntry, eid)?;
                    c.execute(
                        "UPDATE chronology_entry SET seq = ?2 WHERE id = ?1",
                        params![eid, index as i64],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Deletes an entry. Refused while findings cite it, the report cites it or comments are
    /// on it, unless `cascade`, which also removes those evidence links and comments.
    pub fn delete_chronology_entry(&mut self, id: &str, cascade: bool) -> Result<()> {
        let entry = self.chronology_entry(id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("the chronology entry of {}", entry.date),
            "this chronology entry",
            CHRONOLOGY_USES,
            cascade,
        )?;
        self.change("Delete chronology entry", |c| {
            let links: Vec<String> = c
                .prepare_cached("SELECT id FROM evidence_link WHERE chronology_id = ?1")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for link in &links {
                c.track(Table::EvidenceLink, link)?;
                c.execute("DELETE FROM evidence_link WHERE id = ?1", [link])?;
            }
            delete_comments_on(c, id)?;
            c.track(Table::ChronologyEntry, id)?;
            c.execute("DELETE FROM chronology_entry WHERE id = ?1", [id])?;
            Ok(())
        })
    }
}

/// Words that mark a date as approximate, longest first so "approx." wins over "approx".
const APPROXIMATE: &[&str] = &[
    "approximately",
    "approx.",
    "approx",
    "circa",
    "about",
    "around",
    "ca.",
    "c.",
    "~",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn is_weekday(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    word.len() >= 3 && WEEKDAYS.iter().any(|d| d.starts_with(word))
}

/// A day of the month, allowing an ordinal ending: "12", "12th", "1st".
fn day_number(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .unwrap_or(word);
    if (1..=2).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

fn all_digits(s: &str, lens: &[usize]) -> bool {
    lens.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
}

/// A year written with four digits, or two in a numeric date (00–49 → 20xx, 50–99 → 19xx).
fn year_number(s: &str, two_digits_allowed: bool) -> Option<i32> {
    let lens: &[usize] = if two_digits_allowed { &[2, 4] } else { &[4] };
    if !all_digits(s, lens) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    Some(match (s.len(), y) {
        (2, 0..=49) => 2000 + y,
        (2, _) => 1900 + y,
        _ => y,
    })
}

/// Builds a date, explaining what is wrong when there is no such day.
fn make_date(original: &str, y: i32, m: u32, d: u32) -> Result<NaiveDate> {
    if !(1..=12).contains(&m) {
        return Err(Error::invalid(
            "date",
            format!("'{original}' has no month {m} (dates are read day first, as 12/03/2021 for 12 March 2021)"),
        ));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        Error::invalid(
            "date",
            format!(
                "'{original}' is not a real date: {} {y} has no day {d}",
                month_name(m)
            ),
        )
    })
}

/// Reads a date as case documents write them, UK order (day first): "12/03/2021",
/// "12.03.2021", "12-03-21", "2021-03-12", "12th March 2021", "Tuesday 12 March 2021" (day
/// precision); "March 2021", "Mar 2021", "03/2021", "2021-03" (month); "2021" (year); any of
/// these after "c.", "circa", "approx." or "about" (approximate). A month or year gives its
/// first day. [`parse_loose_span`] reads more forms and also gives the last day.
pub fn parse_loose_date(text: &str) -> Result<(NaiveDate, DatePrecision)> {
    parse_loose_span(text).map(|(date, precision, _)| (date, precision))
}

/// Reads a date as [`parse_loose_date`] does, and more of the forms chronologies use, giving
/// its first day, its precision, and its last day when that is not already implied by the
/// precision (a month's or year's last day; an approximate date's year end):
/// - a time after the date is dropped: "03/04/2009 14:30", "2009-04-03T14:30:00";
/// - Excel serial day numbers: "39906" is 3 April 2009 (five digits only, so "2004" stays a
///   year);
/// - unknown parts: "?/10/2010" and "xx/10/2010" are October 2010 (month), "?/?/2010" is 2010;
/// - seasons (approximate): spring March–May, summer June–August, autumn or fall
///   September–November, winter December to the end of February after it ("winter 2009"
///   and "winter 2009/10" both start in December 2009);
/// - "early", "mid" and "late" (also "beginning of", "middle of", "end of") a year (January–
///   April, May–August, September–December), a month (days 1–10, 11–20, 21 to the end) or a
///   season (its thirds), all approximate;
/// - ranges: "between 3 and 5 March 2010", "3 to 5 March 2010", "March - May 2010",
///   "2004-2006", "from 1/2/2009 until 3/2/2009": the start's precision, ending with the end;
/// - "2004?", "2004 (approx)" or "2004 (estimated)" are approximate, as after "c.".
///
/// An approximate date gives its end whenever it covers more than a day ("c. 2019" ends
/// on 31 December 2019, "c. summer 2009" on 31 August 2009).
pub fn parse_loose_span(text: &str) -> Result<(NaiveDate, DatePrecision, Option<NaiveDate>)> {
    let original = text.trim();
    if original.is_empty() {
        return Err(Error::invalid("date", "must not be empty"));
    }
    let lower = original
        .to_lowercase()
        .replace(['\u{2013}', '\u{2014}'], " - ");
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let (rest, approximate) = strip_approximate(&lower);
    let loose = match split_range(rest) {
        Some((a, b)) => {
            let end = parse_single(original, b)?;
            let start = match parse_single(original, a) {
                Ok(start) => start,
                Err(e) => complete_start(original, a, &end)?.ok_or(e)?,
            };
            if end.end < start.start {
                return Err(Error::invalid(
                    "date",
                    format!("'{original}' ends before it starts"),
                ));
            }
            let precision = if end.precision == DatePrecision::Approximate {
                DatePrecision::Approximate
            } else {
                start.precision
            };
            Loose {
                start: start.start,
                end: end.end.max(start.end),
                precision,
            }
        }
        None => parse_single(original, rest)?,
    };
    let precision = if approximate {
        DatePrecision::Approximate
    } else {
        loose.precision
    };
    Ok((
        loose.start,
        precision,
        end_to_store(loose.start, precision, loose.end),
    ))
}

/// The end date to store for an entry from `start` to `last`: none when the precision already
/// says it (the last day of a day, month or year); an approximate date keeps any end past its
/// start, since "c. 2019" and "late 2019" say different things.
pub(crate) fn end_to_store(
    start: NaiveDate,
    precision: DatePrecision,
    last: NaiveDate,
) -> Option<NaiveDate> {
    let implied = match precision {
        DatePrecision::Approximate => start,
        _ => span(start, precision, None).1,
    };
    (last != start && last != implied).then_some(last)
}

/// The last day a date of this precision covers on its own: the day itself, or the last of
/// its month or year (an approximate date counts as its year).
pub(crate) fn implied_end(date: NaiveDate, precision: DatePrecision) -> NaiveDate {
    span(date, precision, None).1
}

/// A date read from text: its first and last day and how precisely it is known.
#[derive(Debug, Clone, Copy)]
struct Loose {
    start: NaiveDate,
    end: NaiveDate,
    precision: DatePrecision,
}

impl Loose {
    /// A date covering what its precision implies (a whole month for a month...).
    fn of(start: NaiveDate, precision: DatePrecision) -> Loose {
        Loose {
            start,
            end: span(start, precision, None).1,
            precision,
        }
    }

    /// An approximate date from `start` to `end`.
    fn approximate(start: NaiveDate, end: NaiveDate) -> Loose {
        Loose {
            start,
            end,
            precision: DatePrecision::Approximate,
        }
    }
}

/// Words after a date that make it approximate.
const APPROXIMATE_AFTER: &[&str] = &[
    "(approximately)",
    "(approximate)",
    "(approx.)",
    "(approx)",
    "(estimated)",
    "(est.)",
    "(est)",
    "(circa)",
    "approx.",
    "approx",
    "?",
];

/// Takes the approximate markers off a lowercase date: `(rest, whether any was found)`.
fn strip_approximate(s: &str) -> (&str, bool) {
    let mut rest = s;
    let mut approximate = false;
    for word in APPROXIMATE {
        if let Some(after) = rest.strip_prefix(word) {
            approximate = true;
            rest = after.trim_start();
            break;
        }
    }
    // A bare "c" or "ca" needs a space after it, or "c2019" would be read as a date.
    if !approximate {
        for word in ["c ", "ca "] {
            if let Some(after) = rest.strip_prefix(word) {
                approximate = true;
                rest = after.trim_start();
                break;
            }
        }
    }
    for word in APPROXIMATE_AFTER {
        if let Some(before) = rest.strip_suffix(word) {
            // A lone "?" marks doubt only after a whole date: "2010-10-??" is a month.
            let doubt = *word != "?"
                || (!before.contains('?') && before.ends_with(|c: char| c.is_ascii_alphanumeric()));
            if doubt && !before.trim().is_empty() {
                approximate = true;
                rest = before.trim_end();
                break;
            }
        }
    }
    (rest, approximate)
}

/// Splits "between A and B", "A to B", "A until B" or "A - B" into its two ends.
fn split_range(s: &str) -> Option<(&str, &str)> {
    if let Some((a, b)) = s
        .strip_prefix("between ")
        .and_then(|r| r.split_once(" and "))
    {
        return Some((a.trim(), b.trim()));
    }
    let s = s.strip_prefix("from ").unwrap_or(s);
    [" to ", " until ", " till ", " - "]
        .iter()
        .find_map(|sep| s.split_once(sep))
        .map(|(a, b)| (a.trim(), b.trim()))
}

/// Fills in a range's start from its end when the start leaves out what the end says: "3"
/// in "3 to 5 March 2010", "28 February" in "28 February to 3 March 2010", "March" in
/// "March to May 2010", "3/4" in "3/4 - 5/4/2009". `Ok(None)` when it is none of these.
fn complete_start(original: &str, a: &str, end: &Loose) -> Result<Option<Loose>> {
    let year = end.start.year();
    let words: Vec<&str> = a
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty() && *w != "of" && *w != "the")
        .collect();
    let day = |d: u32, m: u32| -> Result<Option<Loose>> {
        Ok(Some(Loose::of(
            make_date(original, year, m, d)?,
            DatePrecision::Day,
        )))
    };
    match words.as_slice() {
        [w] => {
            if let Some(m) = month_number(w) {
                return Ok(Some(Loose::of(
                    make_date(original, year, m, 1)?,
                    DatePrecision::Month,
                )));
            }
            if end.precision != DatePrecision::Day {
                return Ok(None);
            }
            if let Some(d) = day_number(w) {
                return day(d, end.start.month());
            }
            match w.split(['/', '.']).collect::<Vec<_>>().as_slice() {
                [d, m] if all_digits(d, &[1, 2]) && all_digits(m, &[1, 2]) => {
                    day(d.parse().unwrap_or(0), m.parse().unwrap_or(0))
                }
                _ => Ok(None),
            }
        }
        [a, b] => match (day_number(a), month_number(b)) {
            (Some(d), Some(m)) => day(d, m),
            _ => match (month_number(a), day_number(b)) {
                (Some(m), Some(d)) => day(d, m),
                _ => Ok(None),
            },
        },
        _ => Ok(None),
    }
}

/// Which third of a span "early", "mid" and "late" pick.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Third {
    Early,
    Mid,
    Late,
}

const QUALIFIERS: &[(&str, Third)] = &[
    ("beginning of", Third::Early),
    ("start of", Third::Early),
    ("early", Third::Early),
    ("middle of", Third::Mid),
    ("mid", Third::Mid),
    ("end of", Third::Late),
    ("late", Third::Late),
];

/// The part of `whole` that `third` names: months 1–4, 5–8 or 9–12 of a year; days 1–10,
/// 11–20 or 21 to the end of a month; otherwise thirds of its days.
fn third_of(whole: Loose, third: Third) -> Loose {
    let (s, e) = (whole.start, whole.end);
    let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(s);
    let (start, end) = match whole.precision {
        DatePrecision::Year => {
            let y = s.year();
            match third {
                Third::Early => (ymd(y, 1, 1), ymd(y, 4, 30)),
                Third::Mid => (ymd(y, 5, 1), ymd(y, 8, 31)),
                Third::Late => (ymd(y, 9, 1), ymd(y, 12, 31)),
            }
        }
        DatePrecision::Month => {
            let (y, m) = (s.year(), s.month());
            match third {
                Third::Early => (ymd(y, m, 1), ymd(y, m, 10)),
                Third::Mid => (ymd(y, m, 11), ymd(y, m, 20)),
                Third::Late => (ymd(y, m, 21), e),
            }
        }
        _ => {
            let days = (e - s).num_days() + 1;
            let at = |n: i64| s + chrono::Duration::days(n);
            match third {
                Third::Early => (s, at(days / 3 - 1).max(s)),
                Third::Mid => (at(days / 3), at(2 * days / 3 - 1).max(at(days / 3))),
                Third::Late => (at(2 * days / 3), e),
            }
        }
    };
    Loose::approximate(start, end)
}

/// The first month of a season (each covers three months).
fn season(word: &str) -> Option<u32> {
    match word {
        "spring" => Some(3),
        "summer" => Some(6),
        "autumn" | "fall" => Some(9),
        "winter" => Some(12),
        _ => None,
    }
}

/// A year written "2009", or "2009/10", "2009/2010", "2009-10" for a winter across two years.
fn season_year(s: &str, first_month: u32) -> Option<i32> {
    if let Some(y) = year_number(s, false) {
        return Some(y);
    }
    let (a, b) = s.split_once(['/', '-'])?;
    let y = year_number(a, false)?;
    let next = (y + 1).to_string();
    let follows = (b.len() == 2 || b.len() == 4) && next.ends_with(b);
    (first_month == 12 && follows).then_some(y)
}

/// Whether a numeric date part stands for an unknown day or month: "?", "??", "x", "xx".
fn unknown_part(p: &str) -> bool {
    (1..=2).contains(&p.len()) && (p.chars().all(|c| c == '?') || p.chars().all(|c| c == 'x'))
}

/// The day an Excel serial day number stands for (1900 system; 60 is Excel's phantom
/// 29 February 1900).
fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = match days {
        60 => return None,
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// Whether `word` is a time of day: "14:30", "9:05:00", "14.30", "2pm", "2:30pm", "1430hrs".
fn is_time(word: &str) -> bool {
    let w = word
        .trim_end_matches(',')
        .trim_end_matches("hrs")
        .trim_end_matches("am")
        .trim_end_matches("pm");
    if w.is_empty() {
        return false;
    }
    let ampm = word.ends_with("am") || word.ends_with("pm");
    let parts: Vec<&str> = w.split([':', '.']).collect();
    match parts.as_slice() {
        [h] => ampm && all_digits(h, &[1, 2]) || word.ends_with("hrs") && all_digits(h, &[4]),
        [h, m] => all_digits(h, &[1, 2]) && all_digits(m, &[2]),
        [h, m, s] => all_digits(h, &[1, 2]) && all_digits(m, &[2]) && all_digits(s, &[2]),
        _ => false,
    }
}

/// One date, not a range; `s` is lowercase, trimmed, without approximate markers.
fn parse_single(original: &str, s: &str) -> Result<Loose> {
    let s = s.strip_prefix("the ").unwrap_or(s).trim();
    // Early, mid, late...
    for (word, third) in QUALIFIERS {
        if let Some(rest) = s.strip_prefix(word) {
            if let Some(rest) = rest.strip_prefix([' ', '-']) {
                let whole = parse_single(original, rest.trim())?;
                if whole.start == whole.end {
                    return Err(Error::invalid(
                        "date",
                        format!("'{original}' puts '{word}' before a single day"),
                    ));
                }
                return Ok(third_of(whole, *third));
            }
        }
    }
    let words: Vec<&str> = s.split(' ').collect();
    // Seasons.
    if let [w, y] = words.as_slice() {
        if let Some(first) = season(w) {
            let y = season_year(y, first).ok_or_else(|| unreadable(original))?;
            let start = make_date(original, y, first, 1)?;
            let end = span(
                start
                    .checked_add_months(chrono::Months::new(2))
                    .ok_or_else(|| unreadable(original))?,
                DatePrecision::Month,
                None,
            )
            .1;
            return Ok(Loose::approximate(start, end));
        }
    }
    // Unknown day or month: "?/10/2010", "xx/xx/2010", "2010-10-??", "? October 2010".
    if s.contains(['?', 'x']) {
        let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
        let known = |p: &str, lens: &[usize]| all_digits(p, lens);
        let month = |y: &str, m: &str| -> Result<Loose> {
            let y = year_number(y, true).ok_or_else(|| unreadable(original))?;
            let m = m.parse().map_err(|_| unreadable(original))?;
            Ok(Loose::of(
                make_date(original, y, m, 1)?,
                DatePrecision::Month,
            ))
        };
        let year = |y: &str| -> Result<Loose> {
            let y = year_number(y, false).ok_or_else(|| unreadable(original))?;
            Ok(Loose::of(
                make_date(original, y, 1, 1)?,
                DatePrecision::Year,
            ))
        };
        match parts.as_slice() {
            [d, m, y] if unknown_part(d) && known(m, &[1, 2]) => return month(y, m),
            [d, m, y] if unknown_part(d) && unknown_part(m) && known(y, &[4]) => return year(y),
            [u, y] if unknown_part(u) && known(y, &[4]) => return year(y),
            [y, m, d] if known(y, &[4]) && known(m, &[1, 2]) && unknown_part(d) => {
                return month(y, m)
            }
            [y, m, d] if known(y, &[4]) && unknown_part(m) && unknown_part(d) => return year(y),
            _ => {}
        }
        if let [u, rest @ ..] = words.as_slice() {
            if unknown_part(u) && !rest.is_empty() {
                let inner = parse_exact(original, &rest.join(" "))?;
                if inner.1 == DatePrecision::Month {
                    return Ok(Loose::of(inner.0, inner.1));
                }
            }
        }
    }
    // An Excel serial day number.
    if let Some((whole, fraction)) = s.split_once('.').or(Some((s, "0"))) {
        if all_digits(whole, &[5]) && fraction.chars().all(|c| c.is_ascii_digit()) {
            if let Some(day) = s.parse::<f64>().ok().and_then(excel_serial_date) {
                return Ok(Loose::of(day, DatePrecision::Day));
            }
        }
    }
    // A span of whole years: "2004-2006", "2004/2006".
    if let Some((a, b)) = s.split_once(['-', '/']) {
        if let (Some(a), Some(b)) = (year_number(a, false), year_number(b, false)) {
            if b < a {
                return Err(Error::invalid(
                    "date",
                    format!("'{original}' ends before it starts"),
                ));
            }
            let start = make_date(original, a, 1, 1)?;
            let end = make_date(original, b, 12, 31)?;
            return Ok(Loose {
                start,
                end,
                precision: DatePrecision::Year,
            });
        }
    }
    match parse_exact(original, s) {
        Ok((date, precision)) => Ok(Loose::of(date, precision)),
        Err(e) => {
            // A time of day after the date: "2009-04-03t14:30:00", "03/04/2009 14:30".
            if s.len() > 10 && s.as_bytes()[10] == b't' && s.is_char_boundary(10) {
                if let Ok((date, precision)) = parse_exact(original, &s[..10]) {
                    return Ok(Loose::of(date, precision));
                }
            }
            let mut words = words;
            let mut cut = false;
            if words.last().is_some_and(|w| *w == "am" || *w == "pm") && words.len() > 2 {
                words.pop();
                cut = words.last().is_some_and(|w| all_digits(w, &[1, 2]));
                if cut {
                    words.pop();
                }
            }
            if !cut && words.len() > 1 && words.last().is_some_and(|w| is_time(w)) {
                words.pop();
                cut = true;
            }
            if cut {
                if words.last() == Some(&"at") {
                    words.pop();
                }
                let rest = words.join(" ");
                let rest = rest.trim_end_matches(',');
                if let Ok((date, DatePrecision::Day)) = parse_exact(original, rest) {
                    return Ok(Loose::of(date, DatePrecision::Day));
                }
            }
            Err(e)
        }
    }
}

/// The error for text that is not a date in any form we read.
fn unreadable(original: &str) -> Error {
    Error::invalid(
        "date",
        format!(
            "'{original}' is not a date Threadline can read; write it like 12/03/2021, \
             12 March 2021, March 2021, 2021, c. 2019 or summer 2019"
        ),
    )
}

/// [`parse_loose_date`] without the approximate prefixes; `s` is lowercase and trimmed.
fn parse_exact(original: &str, s: &str) -> Result<(NaiveDate, DatePrecision)> {
    let unreadable = || unreadable(original);
    if s.is_empty() {
        return Err(unreadable());
    }
    // Numbers joined by "/", "." or "-".
    if s.chars().all(|c| c.is_ascii_digit() || "/.-".contains(c)) {
        let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
        let num = |p: &str| p.parse::<u32>().ok();
        return match parts.as_slice() {
            [y] => {
                let y = year_number(y, false).ok_or_else(unreadable)?;
                Ok((make_date(original, y, 1, 1)?, DatePrecision::Year))
            }
            [y, m, d]
                if all_digits(y, &[4]) && all_digits(m, &[1, 2]) && all_digits(d, &[1, 2]) =>
            {
                let y = year_number(y, false).ok_or_else(unreadable)?;
                let (m, d) = (
                    num(m).ok_or_else(unreadable)?,
                    num(d).ok_or_else(unreadable)?,
                );
                Ok((make_date(original, y, m, d)?, DatePrecision::Day))
            }
            [d, m, y] if all_digits(d, &[1, 2]) && all_digits(m, &[1, 2]) => {
                let y = year_number(y, true).ok_or_else(unreadable)?;
                let (m, d) = (
                    num(m).ok_or_else(unreadable)?,
                    num(d).ok_or_else(unreadable)?,
                );
                Ok((make_date(original, y, m, d)?, DatePrecision::Day))
            }
            [y, m] if all_digits(y, &[4]) && all_digits(m, &[1, 2]) => {
                let y = year_number(y, false).ok_or_else(unreadable)?;
                let m = num(m).ok_or_else(unreadable)?;
                Ok((make_date(original, y, m, 1)?, DatePrecision::Month))
            }
            [m, y] if all_digits(m, &[1, 2]) => {
                let y = year_number(y, false).ok_or_else(unreadable)?;
                let m = num(m).ok_or_else(unreadable)?;
                Ok((make_date(original, y, m, 1)?, DatePrecision::Month))
            }
            _ => Err(unreadable()),
        };
    }
    // Words: an optional weekday, then day month year, month day year, or month year.
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty() && *w != "of" && *w != "the")
        .collect();
    let words: &[&str] = match words.split_first() {
        Some((first, rest)) if is_weekday(first) && !rest.is_empty() => rest,
        _ => &words,
    };
    match *words {
        [m, y] => {
            let m = month_number(m).ok_or_else(unreadable)?;
            let y = year_number(y, false).ok_or_else(unreadable)?;
            Ok((make_date(original, y, m, 1)?, DatePrecision::Month))
        }
        [a, b, y] => {
            let y = year_number(y, false).ok_or_else(unreadable)?;
            let (d, m) = match (day_number(a), month_number(b)) {
                (Some(d), Some(m)) => (d, m),
                _ => match (month_number(a), day_number(b)) {
                    (Some(m), Some(d)) => (d, m),
                    _ => return Err(unreadable()),
                },
            };
            Ok((make_date(original, y, m, d)?, DatePrecision::Day))
        }
        _ => Err(unreadable()),
    }
}

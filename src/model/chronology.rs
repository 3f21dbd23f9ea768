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

/// The next free same-day sequence number on `date`.
fn next_seq(c: &Change<'_>, date: NaiveDate) -> Result<i64> {
    Ok(c.query_row(
        "SELECT coalesce(max(seq) + 1, 0) FROM chronology_entry WHERE date = ?1",
        [date],
        |r| r.get(0),
    )?)
}

impl Review {
    /// The entries that pass `filter`, in date order (then same-day order).
    pub fn chronology(&self, filter: &ChronologyFilter) -> Result<Vec<ChronologyEntry>> {
        let details = self.details()?;
        let mut stmt = self.db().prepare_cached(&format!(
            "{SELECT}
             WHERE (?1 IS NULL OR agency_id = ?1)
               AND (?2 IS NULL OR coalesce(end_date, date) >= ?2)
               AND (?3 IS NULL OR date <= ?3)
               AND (?4 IS NULL OR significance = ?4)
               AND (?5 = 0 OR missed_opportunity = 1)
             ORDER BY date, seq, rid"
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
            let id = c.new_id();
            let seq = next_seq(c, input.date)?;
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
        })?;
        self.chronology_entry(&id)
    }

    /// Changes an entry. Moving it to another date puts it last among that date's entries.
    pub fn update_chronology_entry(
        &mut self,
        id: &str,
        input: ChronologyInput,
    ) -> Result<ChronologyEntry> {
        let old = self.chronology_entry(id)?;
        let input = validate(self.db(), &input)?;
        self.change("Edit chronology entry", |c| {
            let seq = if input.date == old.date {
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

    /// Moves an entry to index `to` (0-based) among the entries of its date, and numbers that
    /// day's entries 0, 1, 2... again.
    pub fn move_chronology_entry_within_day(&mut self, id: &str, to: usize) -> Result<()> {
        let entry = self.chronology_entry(id)?;
        self.change("Reorder chronology entries", |c| {
            let mut day: Vec<(String, i64)> = c
                .prepare_cached(
                    "SELECT id, seq FROM chronology_entry WHERE date = ?1 ORDER BY seq, rid",
                )?
                .query_map([entry.date], |r| Ok((r.get(0)?, r.get(1)?)))?
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
/// first day.
pub fn parse_loose_date(text: &str) -> Result<(NaiveDate, DatePrecision)> {
    let original = text.trim();
    if original.is_empty() {
        return Err(Error::invalid("date", "must not be empty"));
    }
    let lower = original.to_lowercase();
    let mut rest = lower.as_str();
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
    let (date, precision) = parse_exact(original, rest.trim())?;
    Ok((
        date,
        if approximate {
            DatePrecision::Approximate
        } else {
            precision
        },
    ))
}

/// [`parse_loose_date`] without the approximate prefixes; `s` is lowercase and trimmed.
fn parse_exact(original: &str, s: &str) -> Result<(NaiveDate, DatePrecision)> {
    let unreadable = || {
        Error::invalid(
            "date",
            format!(
                "'{original}' is not a date Threadline can read; write it like 12/03/2021, \
                 12 March 2021, March 2021, 2021 or c. 2019"
            ),
        )
    };
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
        .filter(|w| !w.is_empty())
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

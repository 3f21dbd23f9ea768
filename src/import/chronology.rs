//! Chronology import from a table: guessing the column mapping, previewing, importing.
//!
//! A chronology arrives as a spreadsheet (or CSV) with a row per event. The user sees a
//! preview first ([`Review::preview_chronology_import`]): the columns as guessed from the
//! headers ([`guess_mapping`]) and what would happen to every row. The import
//! ([`Review::import_chronology`]) is then one change that adds every good row that is not
//! already there; rows that fail are listed with their row numbers and reasons, and one undo
//! takes the whole import away again.
//!
//! Reading cells is lenient: dates as [`parse_loose_span`] reads them (day first, partial and
//! uncertain dates kept with their precision and original text); significance from words like
//! "key", "KPE", "significant" or a "Yes"/"x" in a key-episode column; a missed opportunity
//! from "Yes"/"Y"/"x"/"true", or from any other text, which is then taken as its rationale.
//! A missed opportunity needs a rationale: it comes from the mapped rationale column, else the
//! text after "Yes -" in the cell, else it says it was not given ([`MISSING_RATIONALE`]), so
//! the author can find and complete those entries.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::table::{read_table_from, SheetChoice, Table};
use super::{detect_format, file_name, read_limited, FileFormat, ImportProgress, MAX_FILE_BYTES};
use crate::change::{ChangeKind, Table as Db};
use crate::error::{Error, Result};
use crate::model::agencies::Agency;
use crate::model::chronology::{
    end_to_store, implied_end, insert_entry, parse_loose_span, ChronologyInput, DatePrecision,
    Significance,
};
use crate::model::next_position;
use crate::review::Review;

/// The start of the rationale written for a missed opportunity whose file gave none.
pub const MISSING_RATIONALE: &str = "Rationale not given in the imported chronology";

/// Which column of the table holds each field (0-based column indexes), and the import's
/// other choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct ColumnMapping {
    /// The worksheet to read, for a workbook; none takes the first sheet with a date and an
    /// event column (else the first with anything in it).
    pub sheet: Option<String>,
    /// The date of the event (required).
    pub date: Option<usize>,
    /// The last day, for an event that spans days.
    pub end_date: Option<usize>,
    /// The agency's name; unknown agencies are created.
    pub agency: Option<usize>,
    /// What happened (required).
    pub event: Option<usize>,
    /// Where it is recorded; without it, the file and row ("police.csv row 12").
    pub source: Option<usize>,
    /// Routine, significant or key practice episode.
    pub significance: Option<usize>,
    /// Whether it was a missed opportunity.
    pub missed_opportunity: Option<usize>,
    /// Why it was a missed opportunity.
    pub rationale: Option<usize>,
    /// The people involved, by name, matched against the people register.
    pub people: Option<usize>,
    /// The agency's name for rows that do not name one (for a file from a single agency);
    /// created when new.
    pub default_agency: Option<String>,
}

/// What the import does with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// It will be added.
    Ready,
    /// It is already in the chronology, or an earlier row says the same; it is skipped.
    Duplicate,
    /// It cannot be imported; `reason` says why.
    Failed,
}

/// One row of a chronology file, as the import reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ChronologyRow {
    /// The row's number in the file as the user sees it.
    pub row: usize,
    pub status: RowStatus,
    /// The date as the file wrote it.
    pub date_text: String,
    pub date: Option<NaiveDate>,
    pub precision: Option<DatePrecision>,
    pub end_date: Option<NaiveDate>,
    /// The agency's name as it will be recorded, if any.
    pub agency: Option<String>,
    /// True when the agency is not in the review yet and will be created.
    pub agency_is_new: bool,
    pub event: String,
    pub source_locator: String,
    pub significance: Significance,
    pub missed_opportunity: bool,
    pub missed_rationale: String,
    /// Ids of the people matched in the register.
    pub people: Vec<String>,
    /// Why the row fails, or what it duplicates.
    pub reason: Option<String>,
    /// The earlier row of the file it repeats.
    pub duplicate_of_row: Option<usize>,
    /// The chronology entry it repeats.
    pub duplicate_of_entry: Option<String>,
    /// Things read leniently that the author may want to check.
    pub warnings: Vec<String>,
}

/// What importing a file would do, before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ChronologyPreview {
    pub file_name: String,
    pub format: FileFormat,
    /// How the text was encoded (CSV), e.g. "Windows-1252".
    pub encoding: String,
    /// The separator found (CSV).
    pub delimiter: Option<char>,
    /// The worksheet read (workbook).
    pub sheet: Option<String>,
    /// Every worksheet of the workbook, for choosing another.
    pub sheets: Vec<String>,
    pub headers: Vec<String>,
    /// The mapping used: the one given, or the one guessed from the headers.
    pub mapping: ColumnMapping,
    /// What stops the import as mapped (a required column not chosen); empty when none.
    pub problems: Vec<String>,
    pub rows: Vec<ChronologyRow>,
    /// Rows that would be added.
    pub ready: usize,
    /// Rows skipped as already present.
    pub duplicates: usize,
    /// Rows that cannot be imported.
    pub failed: usize,
    /// Agencies that would be created, in order of first appearance.
    pub new_agencies: Vec<String>,
}

/// A row the import skipped or read with a caveat, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RowProblem {
    pub row: usize,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ChronologyImport {
    pub file_name: String,
    /// Entries added.
    pub added: usize,
    /// Rows skipped because the chronology already had them (or an earlier row did).
    pub duplicates: usize,
    /// Rows that could not be imported, with the reason.
    pub failed: Vec<RowProblem>,
    /// Rows imported with something read leniently.
    pub warnings: Vec<RowProblem>,
    /// Agencies created for names the review did not know.
    pub new_agencies: Vec<Agency>,
}

// ---- guessing the mapping ----

/// A header in lowercase words: "Date of Event:" → "date of event".
fn words_of(header: &str) -> String {
    header
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Clone, Copy)]
enum Field {
    EndDate,
    Date,
    Rationale,
    Missed,
    Significance,
    Agency,
    People,
    Source,
    Event,
}

const FIELDS: [Field; 9] = [
    Field::EndDate,
    Field::Date,
    Field::Rationale,
    Field::Missed,
    Field::Significance,
    Field::Agency,
    Field::People,
    Field::Source,
    Field::Event,
];

/// Headers that name a field outright.
fn exact(field: Field) -> &'static [&'static str] {
    match field {
        Field::EndDate => &[
            "end date",
            "date to",
            "to date",
            "end",
            "until",
            "date end",
            "finish date",
            "date ended",
            "end of event",
            "to",
        ],
        Field::Date => &[
            "date",
            "dates",
            "date of event",
            "event date",
            "when",
            "date time",
            "date and time",
            "start date",
            "date from",
            "from",
            "day",
            "date of contact",
            "contact date",
            "incident date",
            "date of incident",
        ],
        Field::Rationale => &[
            "rationale",
            "reason",
            "reasons",
            "why",
            "why missed",
            "missed opportunity rationale",
            "rationale for missed opportunity",
            "missed opportunity reason",
            "missed opportunity details",
            "missed opportunity comments",
            "analysis",
        ],
        Field::Missed => &[
            "missed opportunity",
            "missed opportunities",
            "missed",
            "mo",
            "missed opp",
            "missed opportunity y n",
        ],
        Field::Significance => &[
            "significance",
            "significant",
            "significant event",
            "key episode",
            "key practice episode",
            "kpe",
            "key event",
            "key",
            "importance",
            "significance level",
        ],
        Field::Agency => &[
            "agency",
            "agencies",
            "organisation",
            "organization",
            "service",
            "agency name",
            "organisation name",
            "organization name",
            "org",
            "provider",
            "partner agency",
            "agency service",
            "team",
        ],
        Field::People => &[
            "people",
            "persons",
            "person",
            "people involved",
            "persons involved",
            "individuals",
            "individual",
            "who",
            "family members",
            "family member",
            "names",
            "name",
            "involved",
        ],
        Field::Source => &[
            "source",
            "sources",
            "reference",
            "ref",
            "ref no",
            "document",
            "source document",
            "source reference",
            "record",
            "records",
            "document reference",
            "source of information",
            "information source",
            "locator",
        ],
        Field::Event => &[
            "event",
            "events",
            "details",
            "detail",
            "description",
            "what happened",
            "entry",
            "event details",
            "details of event",
            "event description",
            "description of event",
            "summary",
            "summary of event",
            "narrative",
            "information",
            "activity",
            "what",
        ],
    }
}

/// Word beginnings that suggest a field when no header names it outright.
fn partial(field: Field) -> &'static [&'static str] {
    match field {
        Field::EndDate => &[],
        Field::Date => &["date"],
        Field::Rationale => &["rational", "reason", "why"],
        Field::Missed => &["missed"],
        Field::Significance => &["signific", "key", "kpe"],
        Field::Agency => &["agenc", "organis", "organiz", "service", "provider"],
        Field::People => &["people", "person", "individual", "involved"],
        Field::Source => &["source", "reference", "document"],
        Field::Event => &[
            "event", "detail", "descri", "happen", "summar", "narrativ", "entry", "entries",
        ],
    }
}

fn slot(mapping: &mut ColumnMapping, field: Field) -> &mut Option<usize> {
    match field {
        Field::EndDate => &mut mapping.end_date,
        Field::Date => &mut mapping.date,
        Field::Rationale => &mut mapping.rationale,
        Field::Missed => &mut mapping.missed_opportunity,
        Field::Significance => &mut mapping.significance,
        Field::Agency => &mut mapping.agency,
        Field::People => &mut mapping.people,
        Field::Source => &mut mapping.source,
        Field::Event => &mut mapping.event,
    }
}

/// Guesses which column holds what from the header words, ignoring case and punctuation:
/// headers that name a field outright first ("Date", "Date of event", "When"; "Agency",
/// "Organisation", "Service"; "Event", "Details", "Description", "What happened", "Entry";
/// "Source", "Reference", "Document"; "Significance", "Key episode"; "Missed opportunity";
/// "End date"; "People", "Persons"...), then headers containing such words. Each column is
/// used at most once.
pub fn guess_mapping(headers: &[String]) -> ColumnMapping {
    let words: Vec<String> = headers.iter().map(|h| words_of(h)).collect();
    let mut mapping = ColumnMapping::default();
    let mut used = vec![false; headers.len()];
    for field in FIELDS {
        if let Some(i) =
            (0..words.len()).find(|&i| !used[i] && exact(field).contains(&words[i].as_str()))
        {
            *slot(&mut mapping, field) = Some(i);
            used[i] = true;
        }
    }
    for field in FIELDS {
        if slot(&mut mapping, field).is_some() {
            continue;
        }
        let found = (0..words.len()).find(|&i| {
            if used[i] {
                return false;
            }
            let tokens: Vec<&str> = words[i].split(' ').collect();
            let has = |stem: &str| tokens.iter().any(|t| t.starts_with(stem));
            match field {
                Field::EndDate => has("date") && (has("end") || has("until") || has("finish")),
                Field::Date => has("date") && !has("birth") && !has("dob"),
                // A header with "date" in it is a date, whatever else it says.
                _ => !has("date") && partial(field).iter().any(|s| has(s)),
            }
        });
        if let Some(i) = found {
            *slot(&mut mapping, field) = Some(i);
            used[i] = true;
        }
    }
    mapping
}

// ---- reading rows ----

/// Text folded for comparing: lowercase, single spaces.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

const YES: &[&str] = &[
    "yes",
    "y",
    "x",
    "true",
    "1",
    "\u{2713}",
    "\u{2714}",
    "tick",
    "ticked",
    "yes missed",
];
const NO: &[&str] = &[
    "no",
    "n",
    "false",
    "0",
    "-",
    "n/a",
    "na",
    "none",
    "not applicable",
    "nil",
    "\u{2717}",
];

/// Significance from a cell; `key_column` when the column is about key episodes, so "Yes"
/// there means a key practice episode. Returns a warning when the text was not understood.
fn read_significance(cell: &str, key_column: bool) -> (Significance, Option<String>) {
    let text = fold(cell);
    let t = text.trim_end_matches(['.', '!']);
    if t.is_empty() || NO.contains(&t) {
        return (Significance::Routine, None);
    }
    let words = words_of(t);
    let has = |w: &str| words.split(' ').any(|x| x.starts_with(w));
    if has("kpe") || has("key") {
        return (Significance::KeyPracticeEpisode, None);
    }
    if YES.contains(&t) {
        let s = if key_column {
            Significance::KeyPracticeEpisode
        } else {
            Significance::Significant
        };
        return (s, None);
    }
    if has("signific") || has("high") || has("important") || has("major") {
        return (Significance::Significant, None);
    }
    if has("routine") || has("low") || has("normal") || has("minor") || has("standard") {
        return (Significance::Routine, None);
    }
    (
        Significance::Routine,
        Some(format!(
            "significance '{}' was not understood, so the entry is routine",
            cell.trim()
        )),
    )
}

/// A missed-opportunity cell: whether it is one, and any rationale the cell itself gives
/// ("Yes - no referral made", or free text).
fn read_missed(cell: &str) -> (bool, String) {
    let text = fold(cell);
    let t = text.trim_end_matches(['.', '!']);
    if t.is_empty() || NO.contains(&t) {
        return (false, String::new());
    }
    if YES.contains(&t) {
        return (true, String::new());
    }
    let trimmed = cell.trim();
    const MARKS: [char; 8] = ['-', ':', ',', ';', '(', '.', '\u{2013}', '\u{2014}'];
    // The words after a leading "yes" or "no" and a mark ("Yes - no referral", "No: seen").
    // After a plain space only "yes" and "y" count, since "No referral made" describes a
    // missed opportunity rather than denying one.
    let after = |word: &str| -> Option<String> {
        let head = trimmed.get(..word.len())?;
        if trimmed.len() == word.len() || !head.eq_ignore_ascii_case(word) {
            return None;
        }
        let rest = &trimmed[word.len()..];
        let marked = rest.trim_start().starts_with(MARKS);
        let spaced = rest.starts_with(' ') && word != "no";
        if !marked && !spaced {
            return None;
        }
        Some(
            rest.trim_start_matches(|c: char| c == ' ' || MARKS.contains(&c))
                .trim_end_matches(')')
                .trim()
                .to_owned(),
        )
    };
    if after("no").is_some() || after("n/a").is_some() {
        return (false, String::new());
    }
    for yes in ["yes", "y"] {
        if let Some(rest) = after(yes) {
            return (true, rest);
        }
    }
    (true, trimmed.to_owned())
}

/// Splits a people cell into names: "Mother; Child S", "Mother, Father and Child S".
fn names_in(cell: &str) -> Vec<String> {
    cell.split([';', ',', '/', '\n', '&', '+'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Who an agency cell or default names: an agency already in the review, or a new one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum AgencyRef {
    Existing(String),
    /// Index into the plan's new agencies.
    New(usize),
}

/// A row ready to be added.
struct Ready {
    row: usize,
    agency: Option<AgencyRef>,
    input: ChronologyInput,
}

/// What the import would do with a table under a mapping.
struct Plan {
    rows: Vec<ChronologyRow>,
    ready: Vec<Ready>,
    /// Names of agencies to create, in order of first appearance.
    new_agencies: Vec<String>,
    problems: Vec<String>,
}

/// Refuses a mapping that points past the table's columns.
fn check_columns(mapping: &ColumnMapping, width: usize) -> Result<()> {
    let fields = [
        ("date", mapping.date),
        ("end_date", mapping.end_date),
        ("agency", mapping.agency),
        ("event", mapping.event),
        ("source", mapping.source),
        ("significance", mapping.significance),
        ("missed_opportunity", mapping.missed_opportunity),
        ("rationale", mapping.rationale),
        ("people", mapping.people),
    ];
    for (field, column) in fields {
        if let Some(c) = column {
            if c >= width {
                return Err(Error::invalid(
                    format!("mapping.{field}"),
                    format!("column {} is past the file's last column ({width})", c + 1),
                ));
            }
        }
    }
    Ok(())
}

/// Reads every row of `table` under `mapping` against what the review already holds.
fn plan(review: &Review, table: &Table, mapping: &ColumnMapping, file: &str) -> Result<Plan> {
    let mut problems = Vec::new();
    if mapping.date.is_none() {
        problems.push("no column is chosen for the date".to_owned());
    }
    if mapping.event.is_none() {
        problems.push("no column is chosen for the event".to_owned());
    }

    // Agencies by folded name and short name.
    let mut agencies: HashMap<String, (String, String)> = HashMap::new();
    for a in review.agencies()? {
        agencies.insert(fold(&a.name), (a.id.clone(), a.name.clone()));
        if !a.short_name.trim().is_empty() {
            agencies
                .entry(fold(&a.short_name))
                .or_insert((a.id.clone(), a.name.clone()));
        }
    }
    let mut new_agencies: Vec<String> = Vec::new();
    let mut new_index: HashMap<String, usize> = HashMap::new();
    let mut resolve = |name: &str| -> Option<(AgencyRef, String, bool)> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return None;
        }
        let key = fold(&name);
        if let Some((id, display)) = agencies.get(&key) {
            return Some((AgencyRef::Existing(id.clone()), display.clone(), false));
        }
        let index = *new_index.entry(key).or_insert_with(|| {
            new_agencies.push(name.clone());
            new_agencies.len() - 1
        });
        Some((AgencyRef::New(index), new_agencies[index].clone(), true))
    };
    let default_agency = mapping.default_agency.as_deref().and_then(&mut resolve);

    // People by folded real name, pseudonym and aliases.
    let mut people: HashMap<String, String> = HashMap::new();
    for p in review.people()? {
        for n in std::iter::once(&p.real_name)
            .chain(std::iter::once(&p.pseudonym))
            .chain(p.aliases.iter())
        {
            if !n.trim().is_empty() {
                people.entry(fold(n)).or_insert(p.id.clone());
            }
        }
    }

    // What the chronology holds already, by (date, agency, folded event).
    let mut existing: HashMap<(NaiveDate, Option<String>, String), String> = HashMap::new();
    {
        let mut stmt = review
            .db()
            .prepare("SELECT date, agency_id, event, id FROM chronology_entry ORDER BY rid")?;
        let found = stmt.query_map([], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for f in found {
            let (date, agency, event, id) = f?;
            existing
                .entry((date, agency.map(|a| format!("id:{a}")), fold(&event)))
                .or_insert(id);
        }
    }
    let mut earlier: HashMap<(NaiveDate, Option<String>, String), usize> = HashMap::new();

    let key_column = mapping
        .significance
        .and_then(|c| table.headers.get(c))
        .map(|h| {
            let w = words_of(h);
            w.split(' ').any(|t| t.starts_with("key") || t == "kpe")
        })
        .unwrap_or(false);

    let mut rows = Vec::with_capacity(table.rows.len());
    let mut ready = Vec::new();
    for r in &table.rows {
        let cell =
            |c: Option<usize>| -> &str { c.and_then(|c| r.cells.get(c)).map_or("", |s| s.trim()) };
        let date_text = cell(mapping.date).to_owned();
        let event = cell(mapping.event).to_owned();
        let mut out = ChronologyRow {
            row: r.number,
            status: RowStatus::Failed,
            date_text: date_text.clone(),
            date: None,
            precision: None,
            end_date: None,
            agency: None,
            agency_is_new: false,
            event: event.clone(),
            source_locator: String::new(),
            significance: Significance::Routine,
            missed_opportunity: false,
            missed_rationale: String::new(),
            people: Vec::new(),
            reason: None,
            duplicate_of_row: None,
            duplicate_of_entry: None,
            warnings: Vec::new(),
        };

        let source = cell(mapping.source);
        out.source_locator = if source.is_empty() {
            format!("{file} row {}", r.number)
        } else {
            source.to_owned()
        };
        let agency = match resolve(cell(mapping.agency)) {
            Some(a) => Some(a),
            None => default_agency.clone(),
        };
        if let Some((_, name, is_new)) = &agency {
            out.agency = Some(name.clone());
            out.agency_is_new = *is_new;
        }
        let (significance, warning) = read_significance(cell(mapping.significance), key_column);
        out.significance = significance;
        out.warnings.extend(warning);
        let (missed, from_cell) = read_missed(cell(mapping.missed_opportunity));
        if missed {
            out.missed_opportunity = true;
            let rationale = cell(mapping.rationale);
            out.missed_rationale = if !rationale.is_empty() {
                rationale.to_owned()
            } else if !from_cell.is_empty() {
                from_cell
            } else {
                out.warnings
                    .push("a missed opportunity without a rationale".to_owned());
                format!("{MISSING_RATIONALE} ({file} row {})", r.number)
            };
        }
        let mut unknown = Vec::new();
        for name in names_in(cell(mapping.people)) {
            match people.get(&fold(&name)) {
                Some(id) if !out.people.contains(id) => out.people.push(id.clone()),
                Some(_) => {}
                None => unknown.push(name),
            }
        }
        if !unknown.is_empty() {
            out.warnings.push(format!(
                "not in the people register, so not linked: {}",
                unknown.join(", ")
            ));
        }

        // Why the row cannot be imported, if it cannot.
        let failure =
            (|| -> std::result::Result<(NaiveDate, DatePrecision, Option<NaiveDate>), String> {
                if !problems.is_empty() {
                    return Err(problems.join("; "));
                }
                if date_text.is_empty() {
                    return Err("it has no date".to_owned());
                }
                let (date, precision, end) =
                    parse_loose_span(&date_text).map_err(|e| message_of(&e))?;
                let end_text = cell(mapping.end_date);
                let end = if end_text.is_empty() {
                    end
                } else {
                    let (e_date, e_precision, e_end) = parse_loose_span(end_text)
                        .map_err(|e| format!("end date: {}", message_of(&e)))?;
                    let last = e_end.unwrap_or_else(|| implied_end(e_date, e_precision));
                    if last < date {
                        return Err(format!(
                            "the end date '{end_text}' is before the date '{date_text}'"
                        ));
                    }
                    end_to_store(date, precision, last)
                };
                if event.is_empty() {
                    return Err("it has no event text".to_owned());
                }
                Ok((date, precision, end))
            })();
        match failure {
            Err(reason) => out.reason = Some(reason),
            Ok((date, precision, end_date)) => {
                out.date = Some(date);
                out.precision = Some(precision);
                out.end_date = end_date;
                let agency_key = agency.as_ref().map(|(a, _, _)| match a {
                    AgencyRef::Existing(id) => format!("id:{id}"),
                    AgencyRef::New(i) => format!("new:{i}"),
                });
                let key = (date, agency_key, fold(&event));
                if let Some(id) = existing.get(&key) {
                    out.status = RowStatus::Duplicate;
                    out.reason = Some("the chronology already has this entry".to_owned());
                    out.duplicate_of_entry = Some(id.clone());
                } else if let Some(first) = earlier.get(&key) {
                    out.status = RowStatus::Duplicate;
                    out.reason = Some(format!("it repeats row {first}"));
                    out.duplicate_of_row = Some(*first);
                } else {
                    earlier.insert(key, r.number);
                    out.status = RowStatus::Ready;
                    ready.push(Ready {
                        row: r.number,
                        agency: agency.as_ref().map(|(a, _, _)| a.clone()),
                        input: ChronologyInput {
                            date,
                            precision,
                            end_date,
                            date_text: date_text.clone(),
                            agency_id: None,
                            people: out.people.clone(),
                            event: event.clone(),
                            source_locator: out.source_locator.clone(),
                            source_id: None,
                            paragraph_id: None,
                            significance: out.significance,
                            missed_opportunity: out.missed_opportunity,
                            missed_rationale: out.missed_rationale.clone(),
                        },
                    });
                }
            }
        }
        rows.push(out);
    }
    // Only agencies that a row to be added uses are created.
    let used: HashSet<usize> = ready
        .iter()
        .filter_map(|r| match r.agency {
            Some(AgencyRef::New(i)) => Some(i),
            _ => None,
        })
        .collect();
    let mut renumber = HashMap::new();
    let mut kept = Vec::new();
    for (i, name) in new_agencies.into_iter().enumerate() {
        if used.contains(&i) {
            renumber.insert(i, kept.len());
            kept.push(name);
        }
    }
    for r in &mut ready {
        if let Some(AgencyRef::New(i)) = &mut r.agency {
            *i = renumber[i];
        }
    }
    for row in &mut rows {
        if row.agency_is_new && row.status != RowStatus::Ready {
            // Shown as new only if some row creates it.
            row.agency_is_new = row.agency.as_ref().is_some_and(|a| kept.contains(a));
        }
    }
    Ok(Plan {
        rows,
        ready,
        new_agencies: kept,
        problems,
    })
}

/// The message of a validation error without its field name.
fn message_of(e: &Error) -> String {
    match e {
        Error::Invalid { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// Reads a chronology file into a table, choosing the sheet the mapping names or the first
/// that looks like a chronology.
fn read_file(path: &Path, sheet: Option<&str>) -> Result<(Table, FileFormat, String)> {
    let name = file_name(path);
    let format = detect_format(path)?;
    let kind = match format {
        FileFormat::Csv | FileFormat::Xlsx => None,
        FileFormat::Docx => Some("a Word"),
        FileFormat::Text => Some("a plain-text"),
    };
    if let Some(kind) = kind {
        return Err(Error::Unsupported {
            name,
            kind: kind.into(),
            advice: "chronologies are imported from .csv or .xlsx files (import an IMR as a \
                     source document instead)"
                .into(),
        });
    }
    let bytes = read_limited(path, MAX_FILE_BYTES)?;
    let looks_right = |headers: &[String]| {
        let m = guess_mapping(headers);
        m.date.is_some() && m.event.is_some()
    };
    let choice = match sheet {
        Some(s) => SheetChoice::Named(s),
        None => SheetChoice::FirstMatching(&looks_right),
    };
    let table = read_table_from(&bytes, &name, format, choice)?;
    if table.headers.is_empty() {
        return Err(Error::BadDocument {
            name,
            reason: "it is empty".into(),
        });
    }
    if table.rows.is_empty() {
        return Err(Error::BadDocument {
            name,
            reason: "it has a header row but no rows below it".into(),
        });
    }
    Ok((table, format, name))
}

impl Review {
    /// Reads a chronology file (.csv or .xlsx) and shows what importing it would do, with the
    /// given mapping or one guessed from its headers. Writes nothing.
    pub fn preview_chronology_import(
        &self,
        path: &Path,
        mapping: Option<ColumnMapping>,
    ) -> Result<ChronologyPreview> {
        let sheet = mapping.as_ref().and_then(|m| m.sheet.clone());
        let (table, format, name) = read_file(path, sheet.as_deref())?;
        let mut mapping = mapping.unwrap_or_else(|| ColumnMapping {
            default_agency: None,
            ..guess_mapping(&table.headers)
        });
        mapping.sheet = table.sheet.clone();
        check_columns(&mapping, table.headers.len())?;
        let plan = plan(self, &table, &mapping, &name)?;
        let count = |s: RowStatus| plan.rows.iter().filter(|r| r.status == s).count();
        Ok(ChronologyPreview {
            file_name: name,
            format,
            encoding: table.encoding.clone(),
            delimiter: table.delimiter,
            sheet: table.sheet.clone(),
            sheets: table.sheets.clone(),
            headers: table.headers.clone(),
            mapping,
            problems: plan.problems.clone(),
            ready: count(RowStatus::Ready),
            duplicates: count(RowStatus::Duplicate),
            failed: count(RowStatus::Failed),
            new_agencies: plan.new_agencies.clone(),
            rows: plan.rows,
        })
    }

    /// Imports a chronology file as one change: every good row not already in the
    /// chronology is added (unknown agencies are created); rows that fail are skipped and
    /// listed with the reason; duplicates are skipped and counted, so importing the same file
    /// again adds nothing. Refused, writing nothing, when the date or event column is not
    /// chosen or the file has no rows.
    pub fn import_chronology(
        &mut self,
        path: &Path,
        mapping: &ColumnMapping,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ChronologyImport> {
        if mapping.date.is_none() {
            return Err(Error::invalid(
                "mapping.date",
                "choose the column that holds each row's date",
            ));
        }
        if mapping.event.is_none() {
            return Err(Error::invalid(
                "mapping.event",
                "choose the column that holds what happened",
            ));
        }
        let name = file_name(path);
        progress(ImportProgress {
            stage: format!("Reading {name}"),
            done: 0,
            total: 1,
        });
        let (table, _, name) = read_file(path, mapping.sheet.as_deref())?;
        check_columns(mapping, table.headers.len())?;
        let total_rows = table.rows.len() as u64;
        progress(ImportProgress {
            stage: "Checking rows".into(),
            done: 0,
            total: total_rows,
        });
        let plan = plan(self, &table, mapping, &name)?;
        let failed: Vec<RowProblem> = plan
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Failed)
            .map(|r| RowProblem {
                row: r.row,
                reason: r.reason.clone().unwrap_or_default(),
            })
            .collect();
        let warnings: Vec<RowProblem> = plan
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Ready && !r.warnings.is_empty())
            .map(|r| RowProblem {
                row: r.row,
                reason: r.warnings.join("; "),
            })
            .collect();
        let duplicates = plan
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Duplicate)
            .count();
        let total = plan.ready.len() as u64;
        let mut agency_ids: Vec<String> = Vec::new();
        if !plan.ready.is_empty() {
            self.snapshot("import")?;
            let summary = format!("Import chronology {name}");
            let step = (total / 100).max(1);
            agency_ids = self.change_as(ChangeKind::Import, &summary, true, |c| {
                let mut ids = Vec::new();
                for agency in &plan.new_agencies {
                    let id = c.new_id();
                    let position = next_position(c, Db::Agency, None)?;
                    c.track(Db::Agency, &id)?;
                    c.execute(
                        "INSERT INTO agency (id, position, name, short_name, sector)
                         VALUES (?1, ?2, ?3, '', '')",
                        rusqlite::params![id, position, agency],
                    )?;
                    ids.push(id);
                }
                let mut seqs: HashMap<NaiveDate, i64> = HashMap::new();
                for (done, r) in plan.ready.iter().enumerate() {
                    let mut input = r.input.clone();
                    input.agency_id = r.agency.as_ref().map(|a| match a {
                        AgencyRef::Existing(id) => id.clone(),
                        AgencyRef::New(i) => ids[*i].clone(),
                    });
                    let seq = match seqs.get_mut(&input.date) {
                        Some(s) => {
                            *s += 1;
                            *s
                        }
                        None => {
                            let s: i64 = c.query_row(
                                "SELECT coalesce(max(seq) + 1, 0) FROM chronology_entry
                                 WHERE date = ?1",
                                [input.date],
                                |row| row.get(0),
                            )?;
                            seqs.insert(input.date, s);
                            s
                        }
                    };
                    insert_entry(c, &input, seq).map_err(|e| match e {
                        Error::Invalid { field, message } => {
                            Error::invalid(field, format!("row {}: {message}", r.row))
                        }
                        other => other,
                    })?;
                    let done = done as u64 + 1;
                    if done.is_multiple_of(step) || done == total {
                        progress(ImportProgress {
                            stage: "Saving rows".into(),
                            done,
                            total,
                        });
                    }
                }
                Ok(ids)
            })?;
        }
        let new_agencies = agency_ids
            .iter()
            .map(|id| self.agency(id))
            .collect::<Result<Vec<_>>>()?;
        progress(ImportProgress {
            stage: "Done".into(),
            done: total,
            total,
        });
        Ok(ChronologyImport {
            file_name: name,
            added: plan.ready.len(),
            duplicates,
            failed,
            warnings,
            new_agencies,
        })
    }
}

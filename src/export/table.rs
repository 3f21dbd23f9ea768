//! The review's tables (action plan, chronology, coverage matrix) as rows of typed cells,
//! and their Excel and CSV writers.
//!
//! Spreadsheets open what they are given as formulas when a cell starts with `=`, `+`, `-` or
//! `@` (and some read a leading tab or carriage return the same way), so every text cell that
//! starts with one of them is written with a leading apostrophe: shown as text, never run.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::{Printable, PUBLICATION_NOTE};
use crate::error::{Error, Result};
use crate::model::chronology::{ChronologyFilter, DatePrecision, Period, Significance};
use crate::model::recommendations::{ActionStatus, BoardResponse, Due, Origin};
use crate::publication::Pseudonymiser;
use crate::report::{
    publish_with, short_source_name, Block, CitationStyle, Inline, RenderedSection,
};
use crate::review::Review;

/// How much of a date a cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateShow {
    Day,
    Month,
    Year,
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(i64),
    Date(NaiveDate, DateShow),
}

impl Cell {
    fn text(s: &str) -> Cell {
        let s = s.trim();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_owned())
        }
    }

    fn date(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, |d| Cell::Date(d, DateShow::Day))
    }

    /// The cell as a reader sees it in a document table.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d, DateShow::Day) => d.format("%d/%m/%Y").to_string(),
            Cell::Date(d, DateShow::Month) => d.format("%b %Y").to_string(),
            Cell::Date(d, DateShow::Year) => d.year().to_string(),
        }
    }
}

/// One column: its header and its width in characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub width: f64,
}

/// A table ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct TableData {
    /// "Action plan", "Chronology"…
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

fn columns(spec: &[(&str, f64)]) -> Vec<Column> {
    spec.iter()
        .map(|(name, width)| Column {
            name: (*name).to_owned(),
            width: *width,
        })
        .collect()
}

/// Prefixes an apostrophe to text a spreadsheet would read as a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// The action plan: one row per action, under its recommendation; a recommendation with no
/// actions yet still has its row.
pub fn action_plan(review: &Review) -> Result<TableData> {
    let agencies: HashMap<String, String> = review
        .agencies()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let agency = |id: &Option<String>| {
        id.as_ref()
            .and_then(|a| agencies.get(a))
            .map(|s| s.as_str())
            .unwrap_or("")
    };
    let mut rows = Vec::new();
    for r in review.recommendations()? {
        let made_by = match r.origin {
            Origin::OverviewAuthor => "Overview author".to_owned(),
            Origin::AgencyImr => match agency(&r.origin_agency_id) {
                "" => "An agency's IMR".to_owned(),
                a => format!("{a} IMR"),
            },
            Origin::HealthOverview => "Health overview".to_owned(),
            Origin::Other => "Other".to_owned(),
        };
        let response = match r.board_response {
            BoardResponse::Pending => "Pending".to_owned(),
            BoardResponse::Accepted => "Accepted".to_owned(),
            BoardResponse::Rejected if r.response_reason.trim().is_empty() => "Rejected".into(),
            BoardResponse::Rejected => format!("Rejected: {}", r.response_reason.trim()),
        };
        let due = if r.due == Due::None {
            String::new()
        } else {
            r.due.to_string()
        };
        let lead = vec![
            Cell::Number(r.number),
            Cell::text(&r.text),
            Cell::text(&made_by),
            Cell::text(agency(&r.addressee_agency_id)),
            Cell::text(&r.owner_role),
            Cell::text(&due),
            Cell::text(&response),
        ];
        if r.actions.is_empty() {
            let mut row = lead.clone();
            row.extend(std::iter::repeat_n(Cell::Empty, 8));
            rows.push(row);
        }
        for (i, a) in r.actions.iter().enumerate() {
            let status = match a.status {
                ActionStatus::NotStarted => "Not started",
                ActionStatus::OnTrack => "On track",
                ActionStatus::AtRisk => "At risk",
                ActionStatus::Overdue => "Overdue",
                ActionStatus::Complete => "Complete",
            };
            let last = a.updates.last();
            let mut row = lead.clone();
            row.extend([
                Cell::Number(i as i64 + 1),
                Cell::text(&a.text),
                Cell::text(&a.lead),
                Cell::date(a.due_date),
                Cell::text(status),
                Cell::text(&a.completion_evidence),
                Cell::date(last.map(|u| u.date)),
                last.map_or(Cell::Empty, |u| Cell::text(&u.text)),
            ]);
            rows.push(row);
        }
    }
    Ok(TableData {
        title: "Action plan".into(),
        columns: columns(&[
            ("Rec.", 6.0),
            ("Recommendation", 50.0),
            ("Made by", 20.0),
            ("Addressed to", 24.0),
            ("Owner", 24.0),
            ("Due", 16.0),
            ("Board response", 16.0),
            ("Action", 7.0),
            ("Action to take", 50.0),
            ("Lead", 24.0),
            ("Action due", 12.0),
            ("Status", 12.0),
            ("Evidence of completion", 36.0),
            ("Last update", 12.0),
            ("Update", 40.0),
        ]),
        rows,
    })
}

/// The integrated chronology, in date order across agencies.
pub fn chronology(review: &Review) -> Result<TableData> {
    let agencies: HashMap<String, String> = review
        .agencies()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    // People by the name publication will use, where one is chosen.
    let people: HashMap<String, String> = review
        .people()?
        .into_iter()
        .map(|p| {
            let name = if p.pseudonym.trim().is_empty() {
                p.real_name
            } else {
                p.pseudonym
            };
            (p.id, name)
        })
        .collect();
    let short: HashMap<String, String> = review
        .agencies()?
        .into_iter()
        .map(|a| {
            let name = if a.short_name.trim().is_empty() {
                a.name
            } else {
                a.short_name
            };
            (a.id, name)
        })
        .collect();
    let source_names: HashMap<String, String> = review
        .sources()?
        .into_iter()
        .map(|s| {
            let agency = s.agency_id.as_ref().and_then(|a| short.get(a));
            let name = short_source_name(s.kind.as_str(), &s.title, agency.map(|a| a.as_str()));
            (s.id, name)
        })
        .collect();
    let mut rows = Vec::new();
    for e in review.chronology(&ChronologyFilter::default())? {
        let show = match e.precision {
            DatePrecision::Month => DateShow::Month,
            DatePrecision::Year => DateShow::Year,
            DatePrecision::Day | DatePrecision::Approximate => DateShow::Day,
        };
        let precision = match e.precision {
            DatePrecision::Day => "Day",
            DatePrecision::Month => "Month",
            DatePrecision::Year => "Year",
            DatePrecision::Approximate => "Approximate",
        };
        let source = if !e.source_locator.trim().is_empty() {
            e.source_locator.clone()
        } else {
            e.source_id
                .as_ref()
                .and_then(|s| source_names.get(s).cloned())
                .unwrap_or_default()
        };
        let significance = match e.significance {
            Significance::Routine => "Routine",
            Significance::Significant => "Significant",
            Significance::KeyPracticeEpisode => "Key practice episode",
        };
        let period = match e.period {
            Period::Review => "Review period",
            Period::Context => "Context period",
            Period::Outside => "Outside both periods",
            Period::Unknown => "",
        };
        let names: Vec<&str> = e
            .people
            .iter()
            .filter_map(|p| people.get(p).map(|s| s.trim()))
            .collect();
        rows.push(vec![
            Cell::Date(e.date, show),
            Cell::text(precision),
            Cell::date(e.end_date),
            Cell::text(&e.date_text),
            Cell::text(
                e.agency_id
                    .as_ref()
                    .and_then(|a| agencies.get(a))
                    .map_or("", |s| s.as_str()),
            ),
            Cell::text(&names.join(", ")),
            Cell::text(&e.event),
            Cell::text(&source),
            Cell::text(significance),
            Cell::text(if e.missed_opportunity { "Yes" } else { "" }),
            Cell::text(&e.missed_rationale),
            Cell::text(period),
        ]);
    }
    Ok(TableData {
        title: "Chronology".into(),
        columns: columns(&[
            ("Date", 12.0),
            ("Date precision", 12.0),
            ("End date", 12.0),
            ("Date as written", 16.0),
            ("Agency", 24.0),
            ("People", 24.0),
            ("Event", 60.0),
            ("Source", 24.0),
            ("Significance", 16.0),
            ("Missed opportunity", 11.0),
            ("Why it was a missed opportunity", 40.0),
            ("Period", 16.0),
        ]),
        rows,
    })
}

/// The coverage matrix: each term of reference with the findings that answer it, the
/// evidence behind them and the recommendations they lead to.
pub fn coverage(review: &Review) -> Result<TableData> {
    let table = review.coverage_matrix()?.to_table();
    let mut rows = table.into_iter();
    let header = rows.next().unwrap_or_default();
    let columns = header
        .iter()
        .map(|h| Column {
            width: match h.to_lowercase().as_str() {
                t if t.contains("term of reference") => 45.0,
                t if t.contains("finding") => 60.0,
                t if t.contains("recommendation") || t.contains("status") => 20.0,
                _ => (h.chars().count() as f64 + 4.0).max(8.0),
            },
            name: h.clone(),
        })
        .collect();
    Ok(TableData {
        title: "Coverage of the terms of reference".into(),
        columns,
        rows: rows
            .map(|r| r.iter().map(|c| Cell::text(c)).collect())
            .collect(),
    })
}

/// The coverage matrix as the overview report's appendix; `None` with no terms of reference.
pub(crate) fn coverage_appendix(
    review: &Review,
    publisher: Option<&Pseudonymiser>,
) -> Result<Option<RenderedSection>> {
    let mut data = coverage(review)?;
    if let Some(p) = publisher {
        data.publish(p);
    }
    if data.rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(RenderedSection {
        id: "appendix-coverage".into(),
        heading: "Appendix: coverage of the terms of reference".into(),
        heading_substitutions: Vec::new(),
        blocks: vec![
            Block::Paragraph {
                content: vec![Inline::plain(
                    "Each term of reference with the findings that answer it, the number of \
                     pieces of evidence behind those findings, and the recommendations that \
                     follow from them.",
                )],
            },
            data.block(),
        ],
    }))
}

impl TableData {
    /// Puts pseudonyms in place of real names in every text cell (for a publication export).
    pub fn publish(&mut self, p: &Pseudonymiser) {
        for cell in self.rows.iter_mut().flatten() {
            if let Cell::Text(text) = cell {
                *text = p.apply(text);
            }
        }
    }

    /// The table as a document block.
    pub fn block(&self) -> Block {
        // Lines within a cell stay lines.
        let cell = |text: String| {
            let mut out = Vec::new();
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    out.push(Inline::Break);
                }
                if !line.is_empty() {
                    out.push(Inline::plain(line));
                }
            }
            out
        };
        Block::Table {
            header: self
                .columns
                .iter()
                .map(|c| vec![Inline::plain(c.name.clone())])
                .collect(),
            rows: self
                .rows
                .iter()
                .map(|r| r.iter().map(|c| cell(c.display())).collect())
                .collect(),
        }
    }

    /// The table as a document of its own (for Word, HTML and Markdown).
    /// With `publisher`, the table is taken to be published already (see [`Self::publish`])
    /// and the document's own words (title, board, author) get pseudonyms too.
    pub fn printable(
        &self,
        review: &Review,
        created: DateTime<Utc>,
        publisher: Option<&Pseudonymiser>,
    ) -> Result<Printable> {
        let details = review.details()?;
        let title = if details.title.trim().is_empty() {
            "Untitled review".to_owned()
        } else {
            publish_with(publisher, details.title.trim())
        };
        let blocks = if self.rows.is_empty() {
            vec![Block::Paragraph {
                content: vec![Inline::italic("Nothing has been recorded yet.")],
            }]
        } else {
            vec![self.block()]
        };
        Ok(Printable {
            title,
            subtitle: self.title.clone(),
            board: publish_with(publisher, details.board.trim()),
            author: publish_with(publisher, &review.report_author()?),
            marking: None,
            style: CitationStyle::Brackets,
            sections: vec![RenderedSection {
                id: "table".into(),
                heading: self.title.clone(),
                heading_substitutions: Vec::new(),
                blocks,
            }],
            appendices: Vec::new(),
            citations: Vec::new(),
            notes: Vec::new(),
            contents: false,
            landscape: self.columns.len() > 5,
            created,
            publication: publisher.is_some(),
        })
    }
}

/// The most characters one Excel cell holds.
const EXCEL_CELL_CHARS: usize = 32_767;

fn xlsx_error(e: XlsxError) -> Error {
    Error::BadDocument {
        name: "the spreadsheet".into(),
        reason: format!("it could not be written ({e})"),
    }
}

/// The table as an Excel workbook: a bold, frozen, filterable header row, set column widths,
/// wrapped text, and dates stored as dates.
/// With `publisher`, the workbook's properties get pseudonyms and say it is the publication
/// version (the cells are published beforehand with [`TableData::publish`]).
pub fn xlsx(
    data: &TableData,
    review: &Review,
    created: DateTime<Utc>,
    publisher: Option<&Pseudonymiser>,
) -> Result<Vec<u8>> {
    let details = review.details()?;
    let mut workbook = Workbook::new();
    let created_xl =
        ExcelDateTime::parse_from_str(&created.format("%Y-%m-%dT%H:%M:%S").to_string())
            .map_err(xlsx_error)?;
    let title = if details.title.trim().is_empty() {
        data.title.clone()
    } else {
        format!(
            "{}: {}",
            publish_with(publisher, details.title.trim()),
            data.title
        )
    };
    let mut properties = DocProperties::new()
        .set_title(&title)
        .set_author(publish_with(publisher, &review.report_author()?))
        .set_company(publish_with(publisher, details.board.trim()))
        .set_creation_datetime(&created_xl);
    if publisher.is_some() {
        properties = properties
            .set_subject(&data.title)
            .set_comment(PUBLICATION_NOTE)
            .set_keywords("");
    }
    workbook.set_properties(&properties);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("D9E2F3")
        .set_border_bottom(FormatBorder::Thin);
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let number = Format::new()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);
    let day = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);
    let month = Format::new()
        .set_num_format("mmm yyyy")
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);
    let year = Format::new()
        .set_num_format("yyyy")
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);

    let sheet = workbook.add_worksheet();
    let name: String = data
        .title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(name).map_err(xlsx_error)?;
    for (col, c) in data.columns.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, neutralise(&c.name), &header)
            .map_err(xlsx_error)?;
        sheet.set_column_width(col, c.width).map_err(xlsx_error)?;
    }
    sheet
        .set_row_height(
            0,
            row_height(data.columns.iter().map(|c| (c.name.as_str(), c.width))),
        )
        .map_err(xlsx_error)?;
    for (i, row) in data.rows.iter().enumerate() {
        let r = i as u32 + 1;
        // Wrapped text needs tall enough rows; not every spreadsheet works the height out
        // on opening, so it is set here.
        let texts = row.iter().zip(&data.columns).map(|(cell, c)| match cell {
            Cell::Text(t) => (t.as_str(), c.width),
            _ => ("", c.width),
        });
        sheet
            .set_row_height(r, row_height(texts))
            .map_err(xlsx_error)?;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    let t = neutralise(t);
                    let t: Cow<'_, str> = if t.chars().count() > EXCEL_CELL_CHARS {
                        let mut cut: String = t.chars().take(EXCEL_CELL_CHARS - 1).collect();
                        cut.push('…');
                        Cow::Owned(cut)
                    } else {
                        t
                    };
                    sheet
                        .write_string_with_format(r, col, t.as_ref(), &text)
                        .map_err(xlsx_error)?;
                }
                Cell::Number(n) => {
                    sheet
                        .write_number_with_format(r, col, *n as f64, &number)
                        .map_err(xlsx_error)?;
                }
                Cell::Date(d, show) => {
                    let when =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .map_err(xlsx_error)?;
                    let format = match show {
                        DateShow::Day => &day,
                        DateShow::Month => &month,
                        DateShow::Year => &year,
                    };
                    sheet
                        .write_datetime_with_format(r, col, &when, format)
                        .map_err(xlsx_error)?;
                }
            }
        }
    }
    let last_col = data.columns.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    sheet
        .autofilter(0, 0, data.rows.len() as u32, last_col)
        .map_err(xlsx_error)?;
    sheet.set_repeat_rows(0, 0).map_err(xlsx_error)?;
    if data.columns.len() > 5 {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The height in points of a row whose cells hold these texts in columns of these widths
/// (in characters): enough lines for the longest cell once wrapped, at 15 points a line.
fn row_height<'a>(cells: impl Iterator<Item = (&'a str, f64)>) -> f64 {
    let mut lines = 1usize;
    for (text, width) in cells {
        let per_line = (width - 1.0).max(1.0);
        let n: usize = text
            .split('\n')
            .map(|line| {
                // Words wrap whole, so count line by line as a reader's wrapping would.
                let mut count = 1usize;
                let mut used = 0.0f64;
                for word in line.split_whitespace() {
                    let w = word.chars().count() as f64;
                    if used > 0.0 && used + 1.0 + w > per_line {
                        count += 1;
                        used = w;
                    } else {
                        used += if used > 0.0 { 1.0 + w } else { w };
                    }
                    while used > per_line {
                        count += 1;
                        used -= per_line;
                    }
                }
                count
            })
            .sum();
        lines = lines.max(n);
    }
    (lines as f64 * 15.0).min(409.0)
}

/// The table as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, ISO dates, and
/// formula-like text neutralised.
pub fn csv(data: &TableData) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice("\u{FEFF}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let write_err = |e: csv::Error| Error::BadDocument {
            name: "the CSV file".into(),
            reason: format!("it could not be written ({e})"),
        };
        w.write_record(
            data.columns
                .iter()
                .map(|c| neutralise(&c.name).into_owned()),
        )
        .map_err(write_err)?;
        for row in &data.rows {
            w.write_record(row.iter().map(|cell| match cell {
                Cell::Empty => String::new(),
                Cell::Text(t) => neutralise(t).into_owned(),
                Cell::Number(n) => n.to_string(),
                Cell::Date(d, _) => d.format("%Y-%m-%d").to_string(),
            }))
            .map_err(write_err)?;
        }
        w.flush()
            .map_err(|e| Error::io("cannot write the CSV file", e))?;
    }
    Ok(out)
}

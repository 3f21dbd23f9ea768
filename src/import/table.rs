//! The table reader: CSV in any common encoding and delimiter, and Excel workbooks.
//!
//! [`read_table`] is a pure function over the file's bytes that never panics: whatever it is
//! given, it returns a [`Table`] or a [`Error::BadDocument`] saying what is wrong. Rows keep
//! the number the user sees for them (the spreadsheet row, or the CSV record counting blank
//! lines), so a refused row can be found in the file.
//!
//! Limits, each refused with its own reason: more than [`MAX_ROWS`] rows, more than
//! [`MAX_CHARS`] characters of text, more than [`MAX_COLUMNS`] columns; for a workbook also
//! more than [`MAX_PARTS`] zip parts, a part inflating past [`MAX_PART_BYTES`], or past 100
//! times its compressed size once beyond 1 MB (sizes are checked from the zip's directory, and
//! the zip reader refuses a part that inflates past the size it declares).

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, Xlsx};
use serde::{Deserialize, Serialize};

use super::FileFormat;
use crate::error::{Error, Result};

/// The most data rows a table may have (below its header row).
pub const MAX_ROWS: usize = 200_000;
/// The most characters of text a table may hold.
pub const MAX_CHARS: usize = 10_000_000;
/// The most columns a table may have.
pub const MAX_COLUMNS: usize = 1_000;
/// The most parts (zip entries) a workbook may hold.
pub const MAX_PARTS: usize = 1_000;
/// The most bytes one workbook part may inflate to.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Beyond this size a part may inflate to at most 100 times its compressed size.
const RATIO_FREE_BYTES: u64 = 1024 * 1024;
const MAX_RATIO: u64 = 100;

/// A table read from a file: the header row's names and the rows below it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The first non-blank row; a blank header cell is named "Column N".
    pub headers: Vec<String>,
    /// The non-blank rows below the header, each padded to the header's width.
    pub rows: Vec<TableRow>,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// Every worksheet of a workbook in order; empty for CSV.
    pub sheets: Vec<String>,
    /// How the text was encoded ("UTF-8", "UTF-8 with BOM", "UTF-16LE", "Windows-1252").
    pub encoding: String,
    /// The separator found in a CSV file.
    pub delimiter: Option<char>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    /// The row's number as the user sees it (1-based; the header row of a plain file is 1).
    pub number: usize,
    /// The cells, trimmed, as many as the table has headers.
    pub cells: Vec<String>,
}

/// Which worksheet of a workbook [`read_table_from`] reads.
#[derive(Clone, Copy)]
pub enum SheetChoice<'a> {
    /// The first worksheet with anything in it.
    FirstNonEmpty,
    /// The worksheet with this name.
    Named(&'a str),
    /// The first worksheet whose header row passes the test, else the first non-empty one.
    FirstMatching(&'a dyn Fn(&[String]) -> bool),
}

/// Reads a CSV file or the first non-empty worksheet of an Excel workbook.
pub fn read_table(bytes: &[u8], name: &str, format: FileFormat) -> Result<Table> {
    read_table_from(bytes, name, format, SheetChoice::FirstNonEmpty)
}

/// Reads a CSV file, or the chosen worksheet of an Excel workbook; other formats are refused.
pub fn read_table_from(
    bytes: &[u8],
    name: &str,
    format: FileFormat,
    sheet: SheetChoice<'_>,
) -> Result<Table> {
    match format {
        FileFormat::Csv => read_csv(bytes, name),
        FileFormat::Xlsx => read_xlsx(bytes, name, sheet),
        FileFormat::Docx | FileFormat::Text => Err(Error::Unsupported {
            name: name.to_owned(),
            kind: if format == FileFormat::Docx {
                "a Word"
            } else {
                "a plain-text"
            }
            .into(),
            advice: "tables are read from .csv or .xlsx files".into(),
        }),
    }
}

fn bad(name: &str, reason: impl Into<String>) -> Error {
    Error::BadDocument {
        name: name.to_owned(),
        reason: reason.into(),
    }
}

fn too_many_rows(name: &str) -> Error {
    bad(name, "it has more than 200,000 rows")
}

fn too_much_text(name: &str) -> Error {
    bad(name, "it holds more than 10 million characters of text")
}

/// Collects non-blank rows into a table: the first is the header row, every row is padded to
/// the widest row, and blank header cells get a name.
#[derive(Default)]
struct Builder {
    headers: Option<Vec<String>>,
    rows: Vec<TableRow>,
    width: usize,
}

impl Builder {
    fn push(&mut self, name: &str, number: usize, cells: Vec<String>) -> Result<()> {
        let used = cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |i| i + 1);
        if used == 0 {
            return Ok(());
        }
        self.width = self.width.max(used);
        if self.headers.is_none() {
            self.headers = Some(cells);
        } else {
            if self.rows.len() >= MAX_ROWS {
                return Err(too_many_rows(name));
            }
            self.rows.push(TableRow { number, cells });
        }
        Ok(())
    }

    fn finish(
        self,
        sheet: Option<String>,
        sheets: Vec<String>,
        encoding: &str,
        delimiter: Option<char>,
    ) -> Table {
        let width = self.width;
        let mut headers = self.headers.unwrap_or_default();
        if !headers.is_empty() {
            headers.resize(width, String::new());
            for (i, h) in headers.iter_mut().enumerate() {
                if h.is_empty() {
                    *h = format!("Column {}", i + 1);
                }
            }
        }
        let mut rows = self.rows;
        for r in &mut rows {
            r.cells.resize(width, String::new());
        }
        Table {
            headers,
            rows,
            sheet,
            sheets,
            encoding: encoding.to_owned(),
            delimiter,
        }
    }
}

// ---- CSV ----

/// Decodes CSV bytes: UTF-8 (a BOM is dropped), UTF-16 with a BOM (or without one when its
/// zero bytes give it away), else Windows-1252. Returns the text and the encoding's name.
fn decode(bytes: &[u8], name: &str) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let text = std::str::from_utf8(rest)
            .map(str::to_owned)
            .unwrap_or_else(|_| String::from_utf8_lossy(rest).into_owned());
        return Ok((text, "UTF-8 with BOM"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return Ok((text.into_owned(), "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return Ok((text.into_owned(), "UTF-16BE"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(bad(
            name,
            "it is a zip file (perhaps an Excel workbook with a .csv name); save it as .xlsx \
             or export it as CSV",
        ));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(bad(
            name,
            "it is an old Excel (.xls) workbook with a .csv name; save it as .xlsx or export it \
             as CSV",
        ));
    }
    if bytes.contains(&0) {
        // UTF-16 without a BOM shows as a zero in every other byte of plain text.
        let zeros = |offset: usize| {
            bytes
                .iter()
                .skip(offset)
                .step_by(2)
                .filter(|b| **b == 0)
                .count()
        };
        let half = bytes.len() / 2;
        let (even, odd) = (zeros(0), zeros(1));
        if half > 0 && odd * 10 >= half * 3 && even * 10 < half {
            let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(bytes);
            return Ok((text.into_owned(), "UTF-16LE"));
        }
        if half > 0 && even * 10 >= half * 3 && odd * 10 < half {
            let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(bytes);
            return Ok((text.into_owned(), "UTF-16BE"));
        }
        return Err(bad(
            name,
            "it holds binary data, not text (is it really a CSV file?)",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), "UTF-8")),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text.into_owned(), "Windows-1252"))
        }
    }
}

/// Why CSV text could not be split into records.
enum CsvProblem {
    /// A quoted cell that starts on this row is never closed.
    Unclosed(usize),
    /// This row has more than [`MAX_COLUMNS`] cells.
    TooWide(usize),
}

/// Splits CSV text into records: quoted cells may hold separators, line breaks and doubled
/// quotes; a record ends at a line break (LF, CRLF or CR). Each record has the row number the
/// user sees: blank lines count, line breaks inside a quoted cell do not.
struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    delimiter: char,
    row: usize,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, delimiter: char) -> Self {
        Records {
            chars: text.chars().peekable(),
            delimiter,
            row: 0,
        }
    }

    fn next_record(&mut self) -> std::result::Result<Option<(usize, Vec<String>)>, CsvProblem> {
        if self.chars.peek().is_none() {
            return Ok(None);
        }
        self.row += 1;
        let number = self.row;
        let mut cells = Vec::new();
        let mut cell = String::new();
        loop {
            if self.chars.peek() == Some(&'"') {
                self.chars.next();
                loop {
                    match self.chars.next() {
                        None => return Err(CsvProblem::Unclosed(number)),
                        Some('"') if self.chars.peek() == Some(&'"') => {
                            self.chars.next();
                            cell.push('"');
                        }
                        Some('"') => break,
                        Some(c) => cell.push(c),
                    }
                }
            }
            // Unquoted text, or whatever follows a closing quote, up to the cell's end.
            let end = loop {
                match self.chars.next() {
                    None => break None,
                    Some(c) if c == self.delimiter => break Some(c),
                    Some('\r') => {
                        if self.chars.peek() == Some(&'\n') {
                            self.chars.next();
                        }
                        break Some('\n');
                    }
                    Some('\n') => break Some('\n'),
                    Some(c) => cell.push(c),
                }
            };
            cells.push(std::mem::take(&mut cell));
            if cells.len() > MAX_COLUMNS {
                return Err(CsvProblem::TooWide(number));
            }
            match end {
                Some(c) if c == self.delimiter && c != '\n' => continue,
                _ => return Ok(Some((number, cells))),
            }
        }
    }
}

/// Picks the separator among comma, semicolon and tab: the one that splits the header row into
/// most agreement with the rows after it.
fn sniff_delimiter(text: &str) -> char {
    let sample_end = text
        .char_indices()
        .nth(256 * 1024)
        .map_or(text.len(), |(i, _)| i);
    let sample = &text[..sample_end];
    let mut best = (',', (false, 0usize, 0usize));
    for delimiter in [',', ';', '\t'] {
        let mut records = Records::new(sample, delimiter);
        let mut header = 0;
        let mut agreeing = 0;
        let mut seen = 0;
        while seen < 30 {
            let Ok(Some((_, cells))) = records.next_record() else {
                break;
            };
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            seen += 1;
            if header == 0 {
                header = cells.len();
            } else if cells.len() == header {
                agreeing += 1;
            }
        }
        let score = (header > 1, agreeing, header);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

fn read_csv(bytes: &[u8], name: &str) -> Result<Table> {
    let (text, encoding) = decode(bytes, name)?;
    if text.chars().count() > MAX_CHARS {
        return Err(too_much_text(name));
    }
    let mut body = text.as_str();
    // Excel's "sep=;" first line names the separator.
    let mut delimiter = None;
    if let Some(rest) = body.strip_prefix("sep=") {
        let mut chars = rest.chars();
        if let (Some(d), next) = (chars.next(), chars.next()) {
            if matches!(next, None | Some('\r') | Some('\n')) && d != '"' && d != '\n' && d != '\r'
            {
                delimiter = Some(d);
                body = rest[d.len_utf8()..].trim_start_matches(['\r', '\n']);
            }
        }
    }
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(body));
    let mut records = Records::new(body, delimiter);
    let mut builder = Builder::default();
    loop {
        match records.next_record() {
            Ok(Some((number, cells))) => {
                let cells = cells.into_iter().map(|c| c.trim().to_owned()).collect();
                builder.push(name, number, cells)?;
            }
            Ok(None) => break,
            Err(CsvProblem::Unclosed(row)) => {
                return Err(bad(
                    name,
                    format!("the quoted cell that starts on row {row} is never closed"),
                ))
            }
            Err(CsvProblem::TooWide(row)) => {
                return Err(bad(name, format!("row {row} has more than 1,000 columns")))
            }
        }
    }
    Ok(builder.finish(None, Vec::new(), encoding, Some(delimiter)))
}

// ---- Excel ----

/// Checks a workbook's zip directory against the part-count and inflation limits.
fn check_zip(bytes: &[u8], name: &str) -> Result<()> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        bad(
            name,
            format!("it is not a readable Excel workbook: its zip structure is damaged ({e})"),
        )
    })?;
    if archive.len() > MAX_PARTS {
        return Err(bad(name, "it holds more than 1,000 parts"));
    }
    let meta = archive.metadata();
    for i in 0..archive.len() {
        let entry = meta.entry(i).map_err(|e| {
            bad(
                name,
                format!("it is not a readable Excel workbook: its zip structure is damaged ({e})"),
            )
        })?;
        let part = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("number {}", i + 1));
        let (size, packed) = (entry.size(), entry.compressed_size());
        if size > MAX_PART_BYTES {
            return Err(bad(name, format!("part {part} would inflate past 64 MB")));
        }
        if size > RATIO_FREE_BYTES && size > packed.saturating_mul(MAX_RATIO) {
            return Err(bad(
                name,
                format!("part {part} would inflate to more than 100 times its compressed size"),
            ));
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], name: &str, choice: SheetChoice<'_>) -> Result<Table> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(bad(
            name,
            "it is an old Excel (.xls) workbook or a password-protected one; save it as an \
             unprotected .xlsx or as .csv",
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(bad(
            name,
            "it is not an Excel workbook (an .xlsx file is a zip archive and this is not one)",
        ));
    }
    check_zip(bytes, name)?;
    // The workbook reader is a third-party parser: a panic inside it on a hostile file is
    // turned into a refusal rather than taking the application down.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_workbook(bytes, name, choice)
    }))
    .unwrap_or_else(|_| Err(bad(name, "the Excel reader could not make sense of it")))
}

fn read_workbook(bytes: &[u8], name: &str, choice: SheetChoice<'_>) -> Result<Table> {
    let mut book: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| bad(name, format!("it is not a readable Excel workbook ({e})")))?;
    let sheets: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let empty = |sheet: Option<&String>| Table {
        headers: Vec::new(),
        rows: Vec::new(),
        sheet: sheet.cloned(),
        sheets: sheets.clone(),
        encoding: "UTF-8".into(),
        delimiter: None,
    };
    match choice {
        SheetChoice::Named(wanted) => {
            let Some(sheet) = sheets.iter().find(|s| *s == wanted) else {
                return Err(Error::invalid(
                    "sheet",
                    format!(
                        "{name} has no sheet called '{wanted}'; its sheets are: {}",
                        sheets.join(", ")
                    ),
                ));
            };
            read_sheet(&mut book, name, sheet, &sheets)
        }
        SheetChoice::FirstNonEmpty | SheetChoice::FirstMatching(_) => {
            let mut fallback = None;
            for sheet in &sheets {
                let table = read_sheet(&mut book, name, sheet, &sheets)?;
                if table.headers.is_empty() {
                    continue;
                }
                match choice {
                    SheetChoice::FirstMatching(test) if !test(&table.headers) => {
                        if fallback.is_none() {
                            fallback = Some(table);
                        }
                    }
                    _ => return Ok(table),
                }
            }
            Ok(fallback.unwrap_or_else(|| empty(sheets.first())))
        }
    }
}

fn read_sheet(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    sheet: &str,
    sheets: &[String],
) -> Result<Table> {
    let unreadable =
        |e: calamine::XlsxError| bad(name, format!("sheet '{sheet}' cannot be read ({e})"));
    let mut reader = book.worksheet_cells_reader(sheet).map_err(unreadable)?;
    let mut rows: BTreeMap<u32, Vec<(usize, String)>> = BTreeMap::new();
    let mut chars = 0usize;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let text = cell_text(cell.get_value());
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let column = column as usize;
        if column >= MAX_COLUMNS {
            return Err(bad(
                name,
                format!("sheet '{sheet}' has more than 1,000 columns"),
            ));
        }
        chars += text.chars().count();
        if chars > MAX_CHARS {
            return Err(too_much_text(name));
        }
        if !rows.contains_key(&row) && rows.len() > MAX_ROWS {
            return Err(too_many_rows(name));
        }
        rows.entry(row).or_default().push((column, text.to_owned()));
    }
    let mut builder = Builder::default();
    for (row, cells) in rows {
        let width = cells.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
        let mut line = vec![String::new(); width];
        for (c, text) in cells {
            line[c] = text;
        }
        builder.push(name, row as usize + 1, line)?;
    }
    Ok(builder.finish(Some(sheet.to_owned()), sheets.to_vec(), "UTF-8", None))
}

/// A cell as the text the user sees: dates as ISO days ("2009-04-03", with a time when it has
/// one), whole numbers without ".0", others to 15 significant digits as Excel shows them.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(dt) => {
            let serial = dt.as_f64();
            if dt.is_duration() || !serial.is_finite() {
                return number_text(serial);
            }
            let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
            let (h, m, s) = (seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
            let time = if s == 0 {
                format!("{h:02}:{m:02}")
            } else {
                format!("{h:02}:{m:02}:{s:02}")
            };
            if serial < 1.0 {
                return time;
            }
            // Both date systems (1900 and 1904) are handled by the reader's own conversion.
            let (y, mo, d, ..) = dt.to_ymd_hms_milli();
            let day = format!("{y:04}-{mo:02}-{d:02}");
            if seconds == 0 {
                day
            } else {
                format!("{day} {time}")
            }
        }
        DataRef::DateTimeIso(s) => {
            let s = s.strip_suffix("T00:00:00").unwrap_or(s);
            s.replacen('T', " ", 1)
        }
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
    }
}

/// A number as Excel's General format shows it: whole numbers plainly, others rounded to 15
/// significant digits with no trailing zeros.
fn number_text(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let rounded: f64 = format!("{v:.14e}").parse().unwrap_or(v);
    format!("{rounded}")
}

//! Importing what agencies send: IMRs as Word or text files become sources, chronologies as
//! CSV or Excel files become chronology entries.
//!
//! Every importer reads the whole file into checked, bounded structures first and writes
//! nothing until the file has been read completely; the write is then one change, so a file
//! that fails leaves the review as it was and one undo takes a whole import away.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub mod chronology;
pub mod document;
pub mod docx;
pub mod table;

/// The largest file any importer will open: 50 MB.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// What an import file holds, judged from its name and its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// A Word document (Office Open XML).
    Docx,
    /// Plain text (UTF-8, UTF-16 or Windows-1252).
    Text,
    /// Comma-, semicolon- or tab-separated values.
    Csv,
    /// An Excel workbook (Office Open XML).
    Xlsx,
}

/// How far a long import has got, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportProgress {
    /// What is happening now, in words ("Reading the document", "Saving 120 of 400 rows").
    pub stage: String,
    pub done: u64,
    pub total: u64,
}

/// The display name of a path: its file name, or the whole path when it has none.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Which importer reads `path`, from its extension; anything else is refused with advice on
/// what to save it as instead.
pub fn detect_format(path: &Path) -> Result<FileFormat> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let unsupported = |kind: &str, advice: &str| Error::Unsupported {
        name: file_name(path),
        kind: kind.to_owned(),
        advice: advice.to_owned(),
    };
    match ext.as_str() {
        "docx" => Ok(FileFormat::Docx),
        "txt" | "text" | "md" => Ok(FileFormat::Text),
        "csv" | "tsv" => Ok(FileFormat::Csv),
        "xlsx" => Ok(FileFormat::Xlsx),
        "doc" => Err(unsupported(
            "an old Word (.doc)",
            "open it in Word or LibreOffice and save it as .docx",
        )),
        "odt" | "rtf" => Err(unsupported(
            "an OpenDocument or RTF",
            "open it in Word or LibreOffice and save it as .docx",
        )),
        "pdf" => Err(unsupported(
            "a PDF",
            "ask the agency for the Word version, or save it as .docx",
        )),
        "xls" | "ods" => Err(unsupported(
            "an old Excel or OpenDocument spreadsheet",
            "open it in Excel or LibreOffice and save it as .xlsx or .csv",
        )),
        "" => Err(unsupported(
            "an unnamed",
            "save documents as .docx and chronologies as .xlsx or .csv",
        )),
        other => Err(unsupported(
            &format!("a .{other}"),
            "save documents as .docx and chronologies as .xlsx or .csv",
        )),
    }
}

/// Reads a whole file of at most `limit` bytes, refusing a bigger one before reading it.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let name = file_name(path);
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if meta.is_dir() {
        return Err(Error::BadDocument {
            name,
            reason: "it is a folder, not a file".into(),
        });
    }
    if meta.len() > limit {
        return Err(too_large(&name, limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow after the size check; never read more than the limit plus one byte.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&name, limit));
    }
    Ok(bytes)
}

fn too_large(name: &str, limit: u64) -> Error {
    Error::BadDocument {
        name: name.to_owned(),
        reason: if limit >= 1024 * 1024 {
            format!("it is larger than {} MB", limit / (1024 * 1024))
        } else {
            format!("it is larger than {} KB", limit.div_ceil(1024))
        },
    }
}

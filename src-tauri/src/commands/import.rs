//! Importing files from disk (File › Import…, the panels' Import buttons, a file dropped on the
//! window): a Word or text document becomes a source, a CSV or Excel chronology becomes
//! chronology entries after a preview of what each row would become. The core reads the whole
//! file before writing anything, and the write is one undoable change.
//!
//! The two imports report their stages on the `on_progress` channel while they work off the
//! window's thread (see `app::forward_progress`); the preview and the two helpers answer at
//! once.

use std::path::PathBuf;

use tauri::ipc::Channel;
use tauri::State;
use threadline::import::chronology::{ChronologyImport, ChronologyPreview, ColumnMapping};
use threadline::import::document::DocumentImport;
use threadline::import::{FileFormat, ImportProgress};
use threadline::model::sources::SourceInput;

use crate::app::forward_progress;
use crate::state::{IpcError, Open};

/// What the file at `path` holds, judged from its name; anything no importer reads (.doc,
/// .pdf, .odt…) is refused with advice on what to save it as. Needs no open review.
#[tauri::command(async)]
pub fn detect_format(path: PathBuf) -> Result<FileFormat, IpcError> {
    Ok(threadline::import::detect_format(&path)?)
}

/// Which column holds what, guessed from a chronology's header row (for another worksheet of
/// a workbook, whose headers the preview has just read). Needs no open review.
#[tauri::command(async)]
pub fn guess_mapping(headers: Vec<String>) -> ColumnMapping {
    threadline::import::chronology::guess_mapping(&headers)
}

/// Imports a Word (.docx) or text (.txt, .md) file as a new source; with `supersedes`, as the
/// new version of that source, whose excerpts move across where their words are found.
#[tauri::command(async)]
pub fn import_document(
    open: State<'_, Open>,
    input: SourceInput,
    path: PathBuf,
    supersedes: Option<String>,
    on_progress: Channel<ImportProgress>,
) -> Result<DocumentImport, IpcError> {
    open.with(|r| {
        r.import_document(
            input,
            &path,
            supersedes.as_deref(),
            &mut forward_progress(&on_progress),
        )
    })
}

/// What importing the chronology file at `path` would do under `mapping` (or the mapping
/// guessed from its headers), row by row. Writes nothing.
#[tauri::command(async)]
pub fn preview_chronology_import(
    open: State<'_, Open>,
    path: PathBuf,
    mapping: Option<ColumnMapping>,
) -> Result<ChronologyPreview, IpcError> {
    open.with(|r| r.preview_chronology_import(&path, mapping))
}

/// Imports the chronology file at `path` under `mapping`: every ready row becomes an entry,
/// duplicates and failing rows are skipped and listed.
#[tauri::command(async)]
pub fn import_chronology(
    open: State<'_, Open>,
    path: PathBuf,
    mapping: ColumnMapping,
    on_progress: Channel<ImportProgress>,
) -> Result<ChronologyImport, IpcError> {
    open.with(|r| r.import_chronology(&path, &mapping, &mut forward_progress(&on_progress)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_chronologies_are_told_apart_by_name() {
        for (name, format) in [
            ("IMR v2.DOCX", FileFormat::Docx),
            ("notes.txt", FileFormat::Text),
            ("notes.md", FileFormat::Text),
            ("police.csv", FileFormat::Csv),
            ("chronology.xlsx", FileFormat::Xlsx),
        ] {
            assert_eq!(
                detect_format(PathBuf::from(name)).unwrap(),
                format,
                "{name}"
            );
        }
    }

    #[test]
    fn other_files_are_refused_with_advice() {
        let err = detect_format(PathBuf::from("/home/u/minutes.pdf")).unwrap_err();
        assert_eq!(err.code, "unsupported");
        assert!(
            err.message.starts_with("minutes.pdf is a PDF"),
            "{}",
            err.message
        );
        assert!(err.message.contains(".docx"), "{}", err.message);
        let err = detect_format(PathBuf::from("old.doc")).unwrap_err();
        assert_eq!(err.code, "unsupported");
    }

    #[test]
    fn the_mapping_is_guessed_from_headers() {
        let headers = ["Date of event", "Organisation", "Details", "Reference"]
            .map(String::from)
            .to_vec();
        let mapping = guess_mapping(headers);
        assert_eq!(
            (mapping.date, mapping.agency, mapping.event, mapping.source),
            (Some(0), Some(1), Some(2), Some(3))
        );
    }
}

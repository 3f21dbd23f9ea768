//! Checks, the coverage matrix and File › Export…: the core's `Review::checks`,
//! `Review::coverage_matrix` and `export::export_to_file`, the export reporting its stages on
//! the `on_progress` channel while it works off the window's thread.

use std::path::PathBuf;

use tauri::ipc::Channel;
use tauri::State;
use threadline::checks::CheckReport;
use threadline::coverage::CoverageMatrix;
use threadline::export::{ExportProgress, ExportRequest};

use super::review_commands;
use crate::state::{IpcError, Open};

review_commands! {
    /// Every check result, most serious first, with the counts per severity.
    fn checks() -> CheckReport => |r| r.checks();
    /// Terms of reference × findings × evidence counts × recommendations.
    fn coverage_matrix() -> CoverageMatrix => |r| r.coverage_matrix();
}

/// Writes the document `request` names to `path` (chosen in the save dialog); an existing
/// file is replaced only with `replace` (after the dialog's own overwrite question). Answers
/// the number of bytes written.
#[tauri::command(async)]
pub fn export_to_file(
    open: State<'_, Open>,
    request: ExportRequest,
    path: PathBuf,
    replace: bool,
    on_progress: Channel<ExportProgress>,
) -> Result<u64, IpcError> {
    // The core checks the request before any work.
    open.with(|r| {
        threadline::export::export_to_file(r, &request, &path, replace, &mut |update| {
            if let Err(e) = on_progress.send(update) {
                eprintln!("threadline: cannot send progress to the window: {e}");
            }
        })
    })
}

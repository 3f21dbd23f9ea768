//! Undo, redo and the audit log. Undo and redo can change the review's title, so they refresh
//! the window title after the core call.

use tauri::{AppHandle, State};
use threadline::AuditEntry;

use super::review_commands;
use crate::state::{IpcError, Open};

review_commands! {
    /// The summaries of the change Undo and Redo would act on: `[undo, redo]`.
    fn undo_state() -> (Option<String>, Option<String>) => |r| r.undo_state();
    fn audit_log(limit: usize) -> Vec<AuditEntry> => |r| r.audit_log(limit);
}

/// Undoes the latest change; answers its summary ("Add finding F3").
#[tauri::command(async)]
pub fn undo(app: AppHandle, open: State<'_, Open>) -> Result<String, IpcError> {
    let summary = open.with(|r| r.undo())?;
    crate::app::refresh_title(&app, &open);
    Ok(summary)
}

/// Redoes the latest undone change; answers its summary.
#[tauri::command(async)]
pub fn redo(app: AppHandle, open: State<'_, Open>) -> Result<String, IpcError> {
    let summary = open.with(|r| r.redo())?;
    crate::app::refresh_title(&app, &open);
    Ok(summary)
}

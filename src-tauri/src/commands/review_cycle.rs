//! The chair's review cycle: issued drafts, what changed between two of them (or a draft and
//! now), comments anchored on a section's words, approvals of sections, and the review packs
//! the author and the chair exchange by file. Commands that write a file take the path the
//! save dialog chose; an existing file is replaced only with `replace` (after the dialog's own
//! overwrite question), except packs, which the core never writes over an existing file.

use std::path::PathBuf;

use tauri::ipc::Channel;
use tauri::State;
use threadline::drafts::{
    diff_html, export_draft, Approval, ApprovalState, Draft, DraftContent, DraftDiff, DraftInfo,
    DraftRef,
};
use threadline::export::{write_atomically, ExportProgress, ExportRequest};
use threadline::model::comments::{Comment, CommentFilter, CommentPosition, CommentTarget};
use threadline::model::sections::Document;
use threadline::report::RenderedDocument;
use threadline::review_pack::{PackImportReport, PackWritten};

use super::review_commands;
use crate::state::{IpcError, Open};

review_commands! {
    /// Every issued draft, oldest first.
    fn drafts() -> Vec<DraftInfo> => |r| r.drafts();
    /// One issued draft with everything it froze, by number, id or label.
    fn draft(key: String) -> Draft => |r| r.draft(&key);
    /// The review's content as it is now: what issuing a draft would freeze.
    fn draft_content() -> DraftContent => |r| r.draft_content();
    /// Freezes the report, findings, recommendations and ToR as "Draft N" or `label`.
    fn issue_draft(label: Option<String>) -> Draft => |r| r.issue_draft(label.as_deref());
    /// One document of an issued draft as it was rendered when issued.
    fn render_draft(key: String, document: Document) -> RenderedDocument =>
        |r| r.render_draft(&key, document);
    /// What changed from one side to the other.
    fn diff(from: DraftRef, to: DraftRef) -> DraftDiff => |r| r.diff(&from, &to);
    /// Every verdict on a section, each saying whether it is stale.
    fn approvals() -> Vec<Approval> => |r| r.approvals();
    /// The current person's verdict on a section as it stood in an issued draft.
    fn set_approval(section_id: String, draft: String, state: ApprovalState, note: String)
        -> Approval => |r| r.set_approval(&section_id, &draft, state, &note);
    /// The threads that pass `filter`, each with its replies.
    fn comments(filter: CommentFilter) -> Vec<Comment> => |r| r.comments(&filter);
    /// The threads on a section with where their words stand in its current text.
    fn comment_positions(section_id: String) -> Vec<CommentPosition> =>
        |r| r.comment_positions(&section_id);
    /// Starts a thread on the one place `quote` stands in the record's text.
    fn comment_on_quote(target_kind: CommentTarget, target_id: String, quote: String, body: String)
        -> Comment => |r| r.comment_on_quote(target_kind, &target_id, &quote, &body);
    /// Writes a full copy of the review for the chair to `out` (chosen in the save dialog).
    fn send_pack(out: PathBuf) -> PackWritten => |r| r.send_pack(&out);
    /// Writes what the current person did in this copy to `out` (chosen in the save dialog).
    fn return_pack(out: PathBuf) -> PackWritten => |r| r.return_pack(&out);
    /// Merges the return pack at `path` (chosen in the open dialog) into the review.
    fn import_pack(path: PathBuf) -> PackImportReport => |r| r.import_pack(&path);
}

/// Writes one document of an issued draft to `path` exactly as it was issued; answers the
/// number of bytes written.
#[tauri::command(async)]
pub fn export_draft_to_file(
    open: State<'_, Open>,
    key: String,
    request: ExportRequest,
    path: PathBuf,
    replace: bool,
    on_progress: Channel<ExportProgress>,
) -> Result<u64, IpcError> {
    open.with(|r| {
        let bytes = export_draft(r, &key, &request, &mut |update| {
            if let Err(e) = on_progress.send(update) {
                eprintln!("threadline: cannot send progress to the window: {e}");
            }
        })?;
        write_atomically(&path, &bytes, replace).map(|()| bytes.len() as u64)
    })
}

/// Writes what changed as an HTML page (insertions `<ins>`, deletions `<del>`) to `path`.
#[tauri::command(async)]
pub fn export_diff_html(
    open: State<'_, Open>,
    from: DraftRef,
    to: DraftRef,
    path: PathBuf,
    replace: bool,
) -> Result<u64, IpcError> {
    open.with(|r| {
        let html = diff_html(&r.diff(&from, &to)?);
        write_atomically(&path, html.as_bytes(), replace).map(|()| html.len() as u64)
    })
}

/// Writes what changed as a Word document with tracked changes to `path`.
#[tauri::command(async)]
pub fn export_diff_docx(
    open: State<'_, Open>,
    from: DraftRef,
    to: DraftRef,
    path: PathBuf,
    replace: bool,
) -> Result<u64, IpcError> {
    open.with(|r| {
        let bytes = r.diff_docx(&from, &to)?;
        write_atomically(&path, &bytes, replace).map(|()| bytes.len() as u64)
    })
}

//! The commands that expose the core's `Review` methods to the window, one per method, with
//! the method's own name and parameter names (the IPC contract). Each is one line: lock the
//! open review, call the core, map the error to `{ code, message }`.

pub mod chronology;
pub mod findings;
pub mod history;
pub mod import;
pub mod publication;
pub mod recommendations;
pub mod records;
pub mod report;
pub mod report_export;
pub mod review_cycle;
pub mod security;
pub mod sources;
pub mod views;

/// Declares review commands from a compact form,
/// `fn name(arg: Type, ...) -> Output => |review| review.name(...);`, each becoming a
/// `#[tauri::command(async)]` (the file is never touched on the UI thread) that runs the
/// call on the open review through [`crate::state::Open::with`].
macro_rules! review_commands {
    ($(
        $(#[$attr:meta])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $output:ty => |$review:ident| $call:expr;
    )*) => {$(
        $(#[$attr])*
        #[tauri::command(async)]
        pub fn $name(
            open: tauri::State<'_, crate::state::Open>,
            $($arg: $ty),*
        ) -> Result<$output, crate::state::IpcError> {
            open.with(|$review| $call)
        }
    )*};
}
pub(crate) use review_commands;

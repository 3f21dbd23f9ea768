//! The native menu. Every item but Quit only tells the window: a click emits the `menu` event
//! with the item's id ("file.open", "file.import", "file.recent:/path/to/review.threadline",
//! "view.findings"), and the window acts on it (it owns the dialogs, the panels and the undo
//! flow).

use tauri::menu::{Menu, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Wry};

/// The event the window receives; its payload is the item id.
pub const MENU_EVENT: &str = "menu";

/// Prefix of the ids of the Open recent items; the rest of the id is the review's path.
pub const RECENT_PREFIX: &str = "file.recent:";

const QUIT: &str = "file.quit";

/// Builds the menu bar and makes it the app's menu. Called again whenever the recent files or
/// the open review change.
pub fn install(app: &AppHandle, recent: &[String], review_open: bool) -> tauri::Result<()> {
    app.set_menu(build(app, recent, review_open)?)?;
    Ok(())
}

fn build(app: &AppHandle, recent: &[String], review_open: bool) -> tauri::Result<Menu<Wry>> {
    let item = |id: &str, text: &str, accelerator: Option<&str>, enabled: bool| {
        let builder = MenuItemBuilder::with_id(id, text).enabled(enabled);
        match accelerator {
            Some(keys) => builder.accelerator(keys).build(app),
            None => builder.build(app),
        }
    };

    let mut open_recent = SubmenuBuilder::new(app, "Open &recent");
    if recent.is_empty() {
        open_recent =
            open_recent.item(&item("file.recent.none", "No recent reviews", None, false)?);
    }
    for path in recent {
        open_recent = open_recent.text(format!("{RECENT_PREFIX}{path}"), recent_label(path));
    }

    let file = SubmenuBuilder::new(app, "&File")
        .item(&item(
            "file.new",
            "&New review…",
            Some("CmdOrCtrl+N"),
            true,
        )?)
        .item(&item("file.open", "&Open…", Some("CmdOrCtrl+O"), true)?)
        .item(&open_recent.build()?)
        .item(&item("file.demo", "Open &demo review", None, true)?)
        .separator()
        .item(&item(
            "file.import",
            "&Import…",
            Some("CmdOrCtrl+I"),
            review_open,
        )?)
        .item(&item(
            "file.export",
            "&Export…",
            Some("CmdOrCtrl+E"),
            review_open,
        )?)
        .separator()
        .item(&item("file.passphrase", "Pass&phrase…", None, review_open)?)
        .item(&item(
            "file.restore",
            "Restore from a &backup…",
            None,
            review_open,
        )?)
        .separator()
        .item(&item("file.close", "&Close review", None, review_open)?)
        .separator()
        .item(&item("file.profile", "Your &name and role…", None, true)?)
        .separator()
        .item(&item(QUIT, "&Quit", Some("CmdOrCtrl+Q"), true)?)
        .build()?;
    let edit = SubmenuBuilder::new(app, "&Edit")
        .item(&item(
            "edit.undo",
            "&Undo",
            Some("CmdOrCtrl+Z"),
            review_open,
        )?)
        .item(&item(
            "edit.redo",
            "&Redo",
            Some("CmdOrCtrl+Shift+Z"),
            review_open,
        )?)
        .separator()
        .item(&item(
            "edit.find",
            "&Find…",
            Some("CmdOrCtrl+K"),
            review_open,
        )?)
        .build()?;
    // The panels in sidebar order, with the window's Ctrl+digit keys (ui/src/lib/panels.ts).
    let view = SubmenuBuilder::new(app, "&View")
        .item(&item(
            "view.overview",
            "&Overview",
            Some("CmdOrCtrl+1"),
            review_open,
        )?)
        .item(&item(
            "view.tor",
            "&Terms of reference",
            Some("CmdOrCtrl+2"),
            review_open,
        )?)
        .item(&item(
            "view.sources",
            "&Sources",
            Some("CmdOrCtrl+3"),
            review_open,
        )?)
        .item(&item(
            "view.chronology",
            "&Chronology",
            Some("CmdOrCtrl+4"),
            review_open,
        )?)
        .item(&item(
            "view.findings",
            "&Findings",
            Some("CmdOrCtrl+5"),
            review_open,
        )?)
        .item(&item(
            "view.recommendations",
            "&Recommendations",
            Some("CmdOrCtrl+6"),
            review_open,
        )?)
        .item(&item(
            "view.report",
            "Re&port",
            Some("CmdOrCtrl+7"),
            review_open,
        )?)
        .item(&item("view.review", "Re&view", None, review_open)?)
        .item(&item(
            "view.register",
            "&Names and pseudonyms",
            None,
            review_open,
        )?)
        .item(&item(
            "view.checks",
            "C&hecks",
            Some("CmdOrCtrl+8"),
            review_open,
        )?)
        .separator()
        .item(&item(
            "view.search",
            "S&earch",
            Some("CmdOrCtrl+9"),
            review_open,
        )?)
        .build()?;
    Menu::with_items(app, &[&file, &edit, &view])
}

/// "review.threadline — /folder/of/it", with `&` doubled so GTK shows it instead of taking it
/// as a keyboard mnemonic.
fn recent_label(path: &str) -> String {
    let p = std::path::Path::new(path);
    let label = match (p.file_name(), p.parent()) {
        (Some(name), Some(dir)) => format!("{} — {}", name.to_string_lossy(), dir.display()),
        _ => path.to_owned(),
    };
    label.replace('&', "&&")
}

/// Quit ends the app (the review is closed at exit); every other item goes to the window.
pub fn on_event(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref();
    if id == QUIT {
        app.exit(0);
    } else if let Err(e) = app.emit(MENU_EVENT, id) {
        eprintln!("threadline: cannot send the menu click to the window: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recent_item_shows_the_file_name_then_its_folder() {
        assert_eq!(
            recent_label("/home/u/reviews/child-a.threadline"),
            "child-a.threadline — /home/u/reviews"
        );
    }

    #[test]
    fn an_ampersand_in_a_path_is_shown_not_taken_as_a_mnemonic() {
        assert_eq!(recent_label("/r&d/x.threadline"), "x.threadline — /r&&d");
    }
}

//! Threadline's desktop shell: one window over the `threadline` core. The shell holds the open
//! review (or none) and hands the window thin commands over it; it has no SQL and no logic of
//! its own beyond which file is open, the recent-files list, the menu and the window title.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod commands;
mod menu;
mod recent;
mod state;
mod webview;

include!("command_list.rs");

use commands::{
    chronology, findings, history, import, publication, recommendations, records, report,
    report_export, sources, views,
};

/// The invoke handler for the command list.
macro_rules! invoke_handler {
    ($($module:ident :: $name:ident),* $(,)?) => {
        tauri::generate_handler![$($module::$name),*]
    };
}

fn main() {
    // First: it sets environment variables, which is only sound before other threads start.
    webview::prepare_environment();
    let built = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state::Open::default())
        .invoke_handler(threadline_commands!(invoke_handler))
        .on_menu_event(menu::on_event)
        .setup(|app| {
            webview::tune(app);
            app::start(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!());
    match built {
        Ok(built) => built.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                app::close_at_exit(app);
            }
        }),
        Err(e) => {
            eprintln!("threadline: the window could not start: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The bare command names of the list.
    macro_rules! command_names {
        ($($module:ident :: $name:ident),* $(,)?) => {
            &[$(stringify!($name)),*]
        };
    }
    const COMMANDS: &[&str] = threadline_commands!(command_names);

    fn manifest_file(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The quoted `allow-…` permissions a file names.
    fn allowed(text: &str) -> BTreeSet<String> {
        text.split('"')
            .filter(|s| s.starts_with("allow-"))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn permissions_grant_every_command_and_nothing_else() {
        let expected: BTreeSet<String> = COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        assert_eq!(expected.len(), COMMANDS.len(), "a command is listed twice");
        assert_eq!(
            allowed(&manifest_file("permissions/threadline.toml")),
            expected
        );
    }

    #[test]
    fn the_main_window_gets_the_app_sets_the_dialogs_and_events_only() {
        let capability: serde_json::Value =
            serde_json::from_str(&manifest_file("capabilities/main.json")).unwrap();
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        let granted: BTreeSet<&str> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        let expected: BTreeSet<&str> = [
            "app",
            "review",
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "dialog:allow-open",
            "dialog:allow-save",
        ]
        .into();
        assert_eq!(granted, expected);
    }

    #[test]
    fn the_webview_is_locked_down() {
        let config: serde_json::Value =
            serde_json::from_str(&manifest_file("tauri.conf.json")).unwrap();
        assert_eq!(config["app"]["withGlobalTauri"], false);
        assert_eq!(config["build"]["frontendDist"], "../ui/dist");
        let csp = config["app"]["security"]["csp"].as_str().unwrap();
        for forbidden in [
            "unsafe-inline",
            "unsafe-eval",
            "data:",
            "blob:",
            "https:",
            "*",
        ] {
            assert!(
                !csp.contains(forbidden),
                "the CSP allows {forbidden}: {csp}"
            );
        }
        assert!(csp.contains("script-src 'self';"));
        assert!(csp.contains("connect-src ipc: http://ipc.localhost;"));
    }
}

//! Threadline's desktop shell: one window over the `threadline` core. The shell holds the open
//! review (or none) and hands the window thin commands over it; it has no SQL and no logic of
//! its own beyond which file is open, the recent-files list, the menu and the window title.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod app;
mod commands;
mod menu;
mod profile;
mod recent;
mod state;
mod webview;

include!("command_list.rs");

use commands::{
    chronology, findings, history, import, publication, recommendations, records, report,
    report_export, review_cycle, security, sources, views,
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
        // No directive names a remote origin: every source is the app itself, nothing, or
        // Tauri's IPC endpoint.
        for directive in csp.split(';').map(str::trim).filter(|d| !d.is_empty()) {
            let mut words = directive.split_whitespace();
            let name = words.next().unwrap();
            for source in words {
                assert!(
                    ["'self'", "'none'", "ipc:", "http://ipc.localhost"].contains(&source),
                    "{name} allows {source}, which is not the app itself"
                );
            }
        }
    }

    /// Crates that speak a network protocol or carry a TLS stack, and Tauri plugins that reach
    /// outside the machine. None of them may be built into the app.
    const NETWORK_CRATES: &[&str] = &[
        "reqwest",
        "hyper",
        "hyper-util",
        "h2",
        "h3",
        "quinn",
        "ureq",
        "isahc",
        "curl",
        "curl-sys",
        "surf",
        "attohttpc",
        "tungstenite",
        "tokio-tungstenite",
        "rustls",
        "native-tls",
        "tokio-native-tls",
        "tokio-rustls",
        "lettre",
        "tauri-plugin-http",
        "tauri-plugin-websocket",
        "tauri-plugin-updater",
        "tauri-plugin-upload",
        "tauri-plugin-shell",
    ];

    /// Every package the app binary links, following normal dependencies only (build scripts
    /// and tests may use what they like), read from `cargo metadata` for this platform.
    fn linked_packages() -> BTreeSet<String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked", "--offline"])
            .args(["--filter-platform", env!("THREADLINE_TARGET")])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let nodes = meta["resolve"]["nodes"].as_array().unwrap();
        let by_id: std::collections::HashMap<&str, &serde_json::Value> = nodes
            .iter()
            .map(|n| (n["id"].as_str().unwrap(), n))
            .collect();
        let packages = meta["packages"].as_array().unwrap();
        let name_of = |id: &str| -> String {
            let p = packages.iter().find(|p| p["id"] == id).unwrap();
            p["name"].as_str().unwrap().to_string()
        };
        let root = packages
            .iter()
            .find(|p| p["name"] == "threadline-desktop")
            .unwrap()["id"]
            .as_str()
            .unwrap();
        let mut seen = BTreeSet::new();
        let mut names = BTreeSet::new();
        let mut todo = vec![root];
        while let Some(id) = todo.pop() {
            if !seen.insert(id) {
                continue;
            }
            names.insert(name_of(id));
            for dep in by_id[id]["deps"].as_array().unwrap() {
                let normal = dep["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| k["kind"].is_null());
                if normal {
                    todo.push(dep["pkg"].as_str().unwrap());
                }
            }
        }
        names
    }

    #[test]
    fn the_app_links_no_network_client() {
        let linked = linked_packages();
        // The walk reaches the whole tree: the core, Tauri and SQLite are all there.
        for expected in ["threadline", "tauri", "rusqlite", "libsqlite3-sys"] {
            assert!(
                linked.contains(expected),
                "{expected} not found in {linked:?}"
            );
        }
        let found: Vec<&str> = NETWORK_CRATES
            .iter()
            .copied()
            .filter(|c| linked.contains(*c))
            .collect();
        assert!(found.is_empty(), "the app links network crates: {found:?}");
    }
}

//! The memory floor of a Tauri app on this machine: Tauri's runtime with one window whose
//! webview shows a heading and a line of text, with no plugin, no menu, no command and no
//! script of the app's own. It uses the app's configuration (with its windows left out), the
//! app's rendering environment and webview settings (src/webview.rs), and the page comes
//! through a custom URI scheme, as the app's pages do. `scripts/desktop-bench.sh` measures it
//! beside the app and the bare WebKitGTK window (`webkit_floor`), so that what Tauri adds to
//! WebKitGTK, and what the app adds to Tauri, can be told apart.
//!
//! Run: `cargo run --release -p threadline-desktop --example tauri_floor` (closes with the
//! window).

#[allow(dead_code)]
#[path = "../src/webview.rs"]
mod webview;

/// The page: the same heading and line as the WebKitGTK floor's.
const PAGE: &str =
    "<!doctype html><title>Floor</title><h1>Overview</h1><p>One heading and one line.</p>";

fn main() -> std::process::ExitCode {
    webview::prepare_environment();
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    let built = tauri::Builder::default()
        .register_uri_scheme_protocol("floor", |_, _| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(PAGE.as_bytes().to_vec())
                .unwrap_or_default()
        })
        .setup(|app| {
            let url = tauri::WebviewUrl::CustomProtocol("floor://localhost/".parse()?);
            tauri::WebviewWindowBuilder::new(app, "main", url)
                .title("Tauri floor")
                .inner_size(1280.0, 800.0)
                .build()?;
            webview::tune(app);
            Ok(())
        })
        .build(context);
    match built {
        Ok(app) => {
            app.run(|_, _| {});
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tauri_floor: the window could not start: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

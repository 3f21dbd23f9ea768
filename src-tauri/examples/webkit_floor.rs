//! The memory floor of the webview the app is built on: one GTK window holding one WebKitGTK
//! webview that shows a heading and a line of text, with the webview settings the app applies
//! (src/webview.rs), after setting the rendering environment the same way, through the same
//! code. `scripts/desktop-bench.sh` measures it beside the app, so that what the app adds on
//! top of WebKitGTK can be told from what any window using WebKitGTK costs.
//!
//! Run: `cargo run --release -p threadline-desktop --example webkit_floor` (closes with the
//! window).

// The app's own module, so the floor chooses the rendering environment exactly as the app does;
// its `tune` takes a Tauri app, and this window is a plain GTK one with the same settings.
#[allow(dead_code)]
#[path = "../src/webview.rs"]
mod webview;

#[cfg(target_os = "linux")]
fn main() {
    use gtk::prelude::*;
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebView, WebViewExt,
    };

    webview::prepare_environment();
    gtk::init().expect("GTK could not start: is DISPLAY set?");
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_title("WebKitGTK floor");
    window.set_default_size(1280, 800);
    let view = WebView::new();
    if let Some(context) = view.context() {
        context.set_cache_model(CacheModel::DocumentViewer);
    }
    if let Some(settings) = WebViewExt::settings(&view) {
        settings.set_enable_page_cache(false);
        settings.set_enable_webgl(false);
        settings.set_enable_webaudio(false);
        settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        settings.set_enable_developer_extras(false);
    }
    view.load_html(
        "<!doctype html><title>Floor</title><h1>Overview</h1><p>One heading and one line.</p>",
        None,
    );
    window.add(&view);
    window.connect_destroy(|_| gtk::main_quit());
    window.show_all();
    gtk::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("webkit_floor measures WebKitGTK, which is only used on Linux");
}

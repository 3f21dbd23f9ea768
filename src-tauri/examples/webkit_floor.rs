//! The memory floor of the webview the app is built on: one GTK window holding one WebKitGTK
//! webview that shows a heading and a line of text, with the webview settings the app applies
//! (src/webview.rs), after setting the rendering environment the same way, through the same
//! code. `scripts/desktop-bench.sh` measures it beside the app, so that what the app adds on
//! top of WebKitGTK can be told from what any window using WebKitGTK costs.
//!
//! Run: `cargo run --release -p threadline-desktop --example webkit_floor` (closes with the
//! window).

// The app's own module, so the floor chooses the rendering environment exactly as the app does;
// `apply_settings` gives this plain GTK window's webview the settings the app's webview gets.
#[allow(dead_code)]
#[path = "../src/webview.rs"]
mod webview;

#[cfg(target_os = "linux")]
fn main() {
    use gtk::prelude::*;
    use webkit2gtk::{WebView, WebViewExt};

    webview::prepare_environment();
    gtk::init().expect("GTK could not start: is DISPLAY set?");
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_title("WebKitGTK floor");
    window.set_default_size(1280, 800);
    let view = WebView::new();
    webview::apply_settings(&view, webview::plain_rendering_on());
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

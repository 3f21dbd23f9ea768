//! How the shell sets up WebKitGTK: the panels are documents, not animations or games, so the
//! webview is configured for the least memory and the quickest start that draws them the same.
//! The measurements behind each choice are in BENCHMARKS.md ("Desktop app: startup and
//! memory").
//!
//! Two steps, because WebKit reads some choices from the environment when it starts and the
//! others from the webview's settings:
//! - [`prepare_environment`] runs first in `main`, before GTK or any other thread starts;
//! - [`tune`] runs once the main window exists.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The user's switch: when set (to any value), the user has chosen how WebKit renders, and the
/// shell sets none of the rendering variables below.
const COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// WebKit's renderer that hands GPU buffers from the web process to the window; only used in
/// compositing mode.
const DMABUF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
/// The GPU device WebKit tells its web process to use. Without it the window's process opens
/// an EGL display (and with it Mesa and LLVM) only to ask which device that is.
const RENDER_DEVICE: &str = "WEBKIT_WEB_RENDER_DEVICE_FILE";
/// GTK 3's OpenGL switch. Without it GDK loads GLX (Mesa and LLVM again) at start-up to pick
/// a window visual; nothing in this window draws with OpenGL.
const GDK_GL: &str = "GDK_GL";
/// The value of [`RENDER_DEVICE`] on a machine without a GPU render node. WebKit compares it
/// with the machine's DRM devices, finds none, and goes on exactly as it does when it finds no
/// GPU itself.
const NO_RENDER_DEVICE: &str = "none";

/// The environment variables plain rendering needs, with their values, given how the
/// environment looks now (`current`) and the machine's GPU render nodes. Empty when the user
/// has set [`COMPOSITING`]; otherwise every variable the user has not set.
///
/// Plain rendering: WebKit paints the page on the CPU into memory shared with the window
/// (non-composited mode) and nothing in the window's process loads OpenGL. Accelerated
/// compositing costs 0.7–1 s of start-up and about 100 MiB where it runs on Mesa's software
/// renderer (a virtual machine, a remote desktop); the GL libraries cost about 50 MB in each
/// process that loads them, whatever the driver.
fn plain_rendering(
    current: impl Fn(&str) -> Option<OsString>,
    render_nodes: &[PathBuf],
) -> Vec<(&'static str, OsString)> {
    if current(COMPOSITING).is_some() {
        return Vec::new();
    }
    let device = render_nodes
        .first()
        .map(|node| node.as_os_str().to_owned())
        .unwrap_or_else(|| NO_RENDER_DEVICE.into());
    [
        (COMPOSITING, OsString::from("1")),
        (DMABUF, OsString::from("1")),
        (GDK_GL, OsString::from("disable")),
        (RENDER_DEVICE, device),
    ]
    .into_iter()
    .filter(|(key, _)| current(key).is_none())
    .collect()
}

/// The GPU render nodes (`/dev/dri/renderD128`, …) in `dir`, lowest number first: the one Mesa
/// picks on a machine with one GPU comes first.
fn render_nodes(dir: &Path) -> Vec<PathBuf> {
    let mut nodes: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let number = name.to_str()?.strip_prefix("renderD")?.parse().ok()?;
            Some((number, entry.path()))
        })
        .collect();
    nodes.sort();
    nodes.into_iter().map(|(_, path)| path).collect()
}

/// Whether this run uses plain rendering: the shell chose it, or the user turned compositing
/// off themselves.
pub fn plain_rendering_on() -> bool {
    std::env::var_os(COMPOSITING).is_some_and(|v| v != "0")
}

/// Sets the environment WebKitGTK and GTK read at start-up. Must run first in `main`: setting
/// the environment is only sound while no other thread can read it.
pub fn prepare_environment() {
    if !cfg!(target_os = "linux") {
        return;
    }
    for (key, value) in plain_rendering(
        |key| std::env::var_os(key),
        &render_nodes(Path::new("/dev/dri")),
    ) {
        std::env::set_var(key, value);
    }
}

/// The settings `tune` gives a webview (listed there); `plain` when plain rendering is on.
#[cfg(target_os = "linux")]
pub fn apply_settings(view: &webkit2gtk::WebView, plain: bool) {
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
    };
    if let Some(context) = view.context() {
        context.set_cache_model(CacheModel::DocumentViewer);
    }
    if let Some(settings) = WebViewExt::settings(view) {
        settings.set_enable_page_cache(false);
        settings.set_enable_webgl(false);
        settings.set_enable_webaudio(false);
        if plain {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
        if !cfg!(debug_assertions) {
            settings.set_enable_developer_extras(false);
        }
    }
}

/// Settings on the main window's webview, applied once it exists:
/// - cache model "document viewer": WebKit keeps no memory cache of decoded resources (the
///   UI's few files come from the app itself, at no cost to load again) and sizes its other
///   caches for one document;
/// - no back/forward page cache: the app never navigates away from its one page;
/// - no WebGL, no Web Audio: nothing in the UI uses them, and they cannot be started by
///   accident;
/// - the hardware-acceleration policy "never" whenever plain rendering is on, so the settings
///   say what the environment already chose;
/// - no developer tools in a release build.
pub fn tune(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        let plain = plain_rendering_on();
        let applied = window.with_webview(move |webview| apply_settings(&webview.inner(), plain));
        if let Err(e) = applied {
            eprintln!("threadline: the webview settings could not be applied: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let vars: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |key| vars.get(key).cloned()
    }

    fn set(pairs: Vec<(&'static str, OsString)>) -> Vec<(&'static str, String)> {
        pairs
            .into_iter()
            .map(|(k, v)| (k, v.into_string().unwrap()))
            .collect()
    }

    #[test]
    fn plain_rendering_sets_all_four_on_a_machine_without_a_gpu() {
        assert_eq!(
            set(plain_rendering(env(&[]), &[])),
            [
                (COMPOSITING, "1".to_owned()),
                (DMABUF, "1".to_owned()),
                (GDK_GL, "disable".to_owned()),
                (RENDER_DEVICE, NO_RENDER_DEVICE.to_owned()),
            ]
        );
    }

    #[test]
    fn the_render_device_is_the_first_node_when_there_is_one() {
        let nodes = [
            PathBuf::from("/dev/dri/renderD128"),
            PathBuf::from("/dev/dri/renderD129"),
        ];
        let vars = set(plain_rendering(env(&[]), &nodes));
        assert!(vars.contains(&(RENDER_DEVICE, "/dev/dri/renderD128".to_owned())));
    }

    #[test]
    fn a_user_who_set_compositing_keeps_every_rendering_default() {
        for value in ["0", "1"] {
            assert!(plain_rendering(env(&[(COMPOSITING, value)]), &[]).is_empty());
        }
    }

    #[test]
    fn variables_the_user_set_are_left_alone() {
        let vars = set(plain_rendering(
            env(&[(GDK_GL, "always"), (RENDER_DEVICE, "/dev/dri/renderD129")]),
            &[PathBuf::from("/dev/dri/renderD128")],
        ));
        assert_eq!(
            vars,
            [(COMPOSITING, "1".to_owned()), (DMABUF, "1".to_owned())]
        );
    }

    #[test]
    fn render_nodes_are_found_and_sorted_by_number() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["card0", "renderD129", "renderD128", "renderDx", "by-path"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        assert_eq!(
            render_nodes(dir.path()),
            [dir.path().join("renderD128"), dir.path().join("renderD129")]
        );
        assert!(render_nodes(&dir.path().join("missing")).is_empty());
    }
}

//! Build script: embeds the window's pages and the app's access-control manifest.

include!("src/command_list.rs");

/// The bare command names of the list, for the app manifest.
macro_rules! command_names {
    ($($module:ident :: $name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

const COMMANDS: &[&str] = threadline_commands!(command_names);

fn main() {
    // The UI is embedded at compile time; files added to its build output must rebuild the
    // shell (tauri-build only watches the config).
    println!("cargo:rerun-if-changed=../ui/dist");
    println!("cargo:rerun-if-changed=src/command_list.rs");
    // The dependency test asks cargo for this platform's tree.
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    println!("cargo:rustc-env=THREADLINE_TARGET={target}");
    startup_layout(&target);
    // Declaring the commands makes every one of them denied unless a capability grants its
    // `allow-<kebab-name>` permission (permissions/threadline.toml groups them).
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        // A build script reports by failing; the message says which file is wrong.
        panic!("tauri-build failed: {e:#}");
    }
}

/// Link options for a release build of the desktop binary on x86-64 Linux, where rustc links
/// with its own lld (the default since Rust 1.90): the functions listed in `startup-order.txt`
/// (those run from launch to the first panel) placed first and together, so that start-up
/// maps about 3 MB of code instead of touching most of the binary's 16 MB. A name missing from
/// the binary (another compiler or dependency version) is skipped;
/// `scripts/startup-order.sh` writes the list again.
///
/// Not used: packed relative relocations (`-z pack-relative-relocs`), 1 MB less mapped, but
/// the binary then needs glibc 2.36 and no longer runs on Ubuntu 22.04.
///
/// The measurements are in BENCHMARKS.md ("Desktop app: startup and memory").
fn startup_layout(target: &str) {
    let order = std::path::Path::new("startup-order.txt");
    println!("cargo:rerun-if-changed={}", order.display());
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    if !release || target != "x86_64-unknown-linux-gnu" || !rustc_links_with_lld() {
        return;
    }
    let Ok(order) = order.canonicalize() else {
        return;
    };
    let bin = "cargo:rustc-link-arg-bin=threadline-desktop";
    println!("{bin}=-Wl,--symbol-ordering-file={}", order.display());
    println!("{bin}=-Wl,--no-warn-symbol-ordering");
}

/// Whether rustc links with its own lld: Rust 1.90 or later, and no other linker chosen, in
/// the flags or as cargo's linker for this target (environment or `.cargo/config.toml`).
fn rustc_links_with_lld() -> bool {
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let linker_set = std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
        || std::env::var_os("RUSTC_LINKER").is_some();
    if flags.contains("linker") || linker_set {
        return false;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = std::process::Command::new(rustc).arg("--version").output() else {
        return false;
    };
    let version = String::from_utf8_lossy(&out.stdout);
    let minor = version
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    minor.is_some_and(|m| m >= 90)
}

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
    // Declaring the commands makes every one of them denied unless a capability grants its
    // `allow-<kebab-name>` permission (permissions/threadline.toml groups them).
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        // A build script reports by failing; the message says which file is wrong.
        panic!("tauri-build failed: {e:#}");
    }
}

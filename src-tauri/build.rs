fn main() {
    // The window's pages are embedded at compile time; rebuild when they change.
    println!("cargo:rerun-if-changed=shell-ui");
    tauri_build::build()
}

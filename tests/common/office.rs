//! Real office files for the import tests, written by LibreOffice (headless) at test time.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Converts `input` with LibreOffice into `dir`, as `filter` (e.g. `docx:MS Word 2007 XML`,
/// `xlsx:Calc MS Excel 2007 XML`: one argument, no quotes), and returns the written file. Each call has its own
/// LibreOffice profile, so tests may convert in parallel.
pub fn soffice_convert(input: &Path, filter: &str, dir: &Path) -> PathBuf {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(dir)
        .arg(input)
        .output()
        .expect("LibreOffice (soffice) must be installed: scripts/setup.sh installs it");
    let ext = filter.split(':').next().unwrap_or(filter);
    let stem = input.file_stem().expect("input has a name");
    let written = dir.join(stem).with_extension(ext);
    assert!(
        written.exists(),
        "LibreOffice did not write {}: {}{}",
        written.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    written
}

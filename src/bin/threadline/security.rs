//! Passphrases, backups and checks from the command line: `verify`, `backup`, `passphrase`,
//! and the one place the CLI learns a passphrase ([`context_for`]).
//!
//! A passphrase comes from `THREADLINE_PASSPHRASE`, or is asked for without echo when stdin is
//! a terminal. A new passphrase (`new --encrypt`, `passphrase --add/--change`) comes from
//! `THREADLINE_NEW_PASSPHRASE` (for `new --encrypt` and `--add`, `THREADLINE_PASSPHRASE` also
//! serves), or is asked for twice.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;
use threadline::crypto::{file_kind, FileKind};
use threadline::{Context, Error, Passphrase, Review};

/// The environment variable that holds the passphrase of the file a command opens.
pub const PASSPHRASE_VAR: &str = "THREADLINE_PASSPHRASE";
/// The environment variable that holds a new passphrase.
pub const NEW_PASSPHRASE_VAR: &str = "THREADLINE_NEW_PASSPHRASE";

#[derive(Args)]
pub struct VerifyArgs {
    /// The review file (or a snapshot) to check.
    pub file: PathBuf,
}

#[derive(Args)]
pub struct BackupArgs {
    /// The review file.
    pub file: PathBuf,
    /// Write the copy here (it must not exist) instead of the review's backups folder.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("action").required(true).args(["add", "change", "remove"])))]
pub struct PassphraseArgs {
    /// The review file.
    pub file: PathBuf,
    /// Protect an unprotected review with a new passphrase.
    #[arg(long)]
    pub add: bool,
    /// Change the passphrase of a protected review.
    #[arg(long)]
    pub change: bool,
    /// Remove the protection: the review becomes a plain file.
    #[arg(long)]
    pub remove: bool,
}

#[derive(Args)]
pub struct CrashWriterArgs {
    /// The review file; created when missing.
    pub file: PathBuf,
    /// Stop after this many edits (default: until killed).
    #[arg(long)]
    pub limit: Option<u64>,
}

/// A context for opening `file`: with its passphrase when the file is protected.
pub fn context_for(file: &Path) -> Result<Context, Error> {
    Ok(context_with(current_passphrase(file)?))
}

/// The passphrase `file` opens with: none when it is not protected (plain, missing or not a
/// review: `Review::open` gives the right error).
fn current_passphrase(file: &Path) -> Result<Option<Passphrase>, Error> {
    if matches!(file_kind(file), Ok(FileKind::Encrypted)) {
        passphrase_for(file).map(Some)
    } else {
        Ok(None)
    }
}

/// The context for opening a file with `passphrase`, if any.
fn context_with(passphrase: Option<Passphrase>) -> Context {
    match passphrase {
        Some(p) => Context::default().with_passphrase(p),
        None => Context::default(),
    }
}

/// The passphrase of the protected `file`: from the environment, or asked for.
fn passphrase_for(file: &Path) -> Result<Passphrase, Error> {
    if let Ok(text) = std::env::var(PASSPHRASE_VAR) {
        return Passphrase::new(text);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::PassphraseNeeded {
            path: file.to_owned(),
        });
    }
    let text = rpassword::prompt_password(format!("Passphrase for {}: ", file.display())).map_err(
        |e| Error::Io {
            context: "cannot read the passphrase".into(),
            source: e,
        },
    )?;
    Passphrase::new(text)
}

/// A new passphrase: from `THREADLINE_NEW_PASSPHRASE` (or `fallback_var`), or asked for twice.
pub fn new_passphrase(fallback_var: Option<&str>) -> Result<Passphrase, Error> {
    for var in std::iter::once(NEW_PASSPHRASE_VAR).chain(fallback_var) {
        if let Ok(text) = std::env::var(var) {
            return Passphrase::new(text);
        }
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(
            "passphrase",
            format!("set {NEW_PASSPHRASE_VAR}, or run in a terminal to be asked"),
        ));
    }
    let read = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|e| Error::Io {
            context: "cannot read the passphrase".into(),
            source: e,
        })
    };
    let first = read("New passphrase: ")?;
    let again = read("The same again: ")?;
    if first != again {
        return Err(Error::invalid(
            "passphrase",
            "the two passphrases differ; nothing was changed",
        ));
    }
    Passphrase::new(first)
}

/// `threadline verify`: one line when sound; an error (and a non-zero exit) otherwise.
pub fn verify(args: &VerifyArgs) -> Result<String, Error> {
    let ctx = context_for(&args.file)?;
    let report = Review::verify(&args.file, ctx.passphrase.as_ref())?;
    Ok(format!(
        "{}: sound (integrity ok, Threadline review, schema {}, {})",
        args.file.display(),
        report.schema_version,
        if report.encrypted {
            "protected with a passphrase"
        } else {
            "not protected"
        }
    ))
}

/// `threadline backup`: a checked copy, in the backups folder or at `--out`.
pub fn backup(args: &BackupArgs) -> Result<String, Error> {
    let mut review = Review::open(&args.file, context_for(&args.file)?)?;
    let written = match &args.out {
        Some(out) => {
            review.backup_to(out)?;
            out.display().to_string()
        }
        None => review.snapshot("manual")?.path,
    };
    review.close()?;
    Ok(format!("backed up {} to {written}", args.file.display()))
}

/// `threadline passphrase`: add, change or remove a review's passphrase.
pub fn passphrase(args: &PassphraseArgs) -> Result<String, Error> {
    // The passphrase the file opens with is the current one that change and remove need.
    let current = current_passphrase(&args.file)?;
    let mut review = Review::open(&args.file, context_with(current.clone()))?;
    let done = if args.add {
        if review.is_encrypted() {
            return Err(Error::invalid(
                "--add",
                "this review is already protected; use --change",
            ));
        }
        review.add_passphrase(new_passphrase(Some(PASSPHRASE_VAR))?)?;
        "protected"
    } else if args.change {
        // No current passphrase: the file opened without one, so it is not protected.
        let current = current
            .ok_or_else(|| Error::invalid("--change", "this review is not protected; use --add"))?;
        review.change_passphrase(&current, new_passphrase(None)?)?;
        "changed the passphrase of"
    } else {
        let current =
            current.ok_or_else(|| Error::invalid("--remove", "this review is not protected"))?;
        review.remove_passphrase(&current)?;
        "removed the protection of"
    };
    review.close()?;
    Ok(format!("{done} {} and its snapshots", args.file.display()))
}

/// A hidden command for the crash-safety test: real edits through the core in a loop, each
/// one a source with three paragraphs in one transaction, printing "saved N" after each
/// commit. The test kills it at random moments.
pub fn crash_writer(args: &CrashWriterArgs) -> Result<(), Error> {
    use std::io::Write;
    use threadline::model::sources::SourceInput;
    let mut review = if args.file.exists() {
        Review::open(&args.file, context_for(&args.file)?)?
    } else {
        Review::create(&args.file, context_for(&args.file)?)?
    };
    let mut n = review.sources()?.len() as u64;
    let mut stdout = std::io::stdout();
    loop {
        if args.limit.is_some_and(|limit| n >= limit) {
            break;
        }
        n += 1;
        let text = (1..=3)
            .map(|k| format!("Edit {n} paragraph {k}: {}", "words ".repeat(200)))
            .collect::<Vec<_>>()
            .join("\n\n");
        review.import_text(
            SourceInput {
                title: format!("edit {n}"),
                ..SourceInput::default()
            },
            &text,
        )?;
        writeln!(stdout, "saved {n}")
            .and_then(|_| stdout.flush())
            .map_err(|e| Error::Io {
                context: "cannot report progress".into(),
                source: e,
            })?;
    }
    review.close()
}

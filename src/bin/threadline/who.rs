//! `--as NAME --role ROLE`: who is working, for the commands that record a person (drafts,
//! verdicts, comments, packs). Without `--as` the core's default author is recorded.

use std::path::Path;

use clap::Args;
use threadline::{Actor, Error, Review, Role};

/// Who is working, for the commands that write.
#[derive(Args, Clone)]
pub struct Who {
    /// The name of the person working (recorded in the audit log, and in comments, drafts and
    /// verdicts).
    #[arg(long = "as", value_name = "NAME")]
    pub name: Option<String>,
    /// Their role: author, chair, panel member or business manager.
    #[arg(long, value_name = "ROLE", requires = "name")]
    pub role: Option<String>,
}

impl Who {
    /// The person given, checked as the app checks it; `None` without `--as`.
    pub fn actor(&self) -> Result<Option<Actor>, Error> {
        let Some(name) = &self.name else {
            return Ok(None);
        };
        let role = match self.role.as_deref() {
            None => Role::Author,
            Some(text) => Role::parse(text).ok_or_else(|| {
                Error::invalid(
                    "--role",
                    format!(
                        "'{text}' is not a role: use author, chair, panel member or business manager"
                    ),
                )
            })?,
        };
        Actor::new(name, role).map(Some).map_err(|e| match e {
            Error::Invalid { message, .. } => Error::invalid("--as", message),
            other => other,
        })
    }

    /// Opens `file` (asking for its passphrase as every command does) as this person.
    pub fn open(&self, file: &Path) -> Result<Review, Error> {
        let mut ctx = super::security::context_for(file)?;
        if let Some(actor) = self.actor()? {
            ctx.actor = actor;
        }
        Review::open(file, ctx)
    }
}

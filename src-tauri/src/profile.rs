//! Who is working on this machine: the name and role the user gave on first start, kept as a
//! small JSON file in the app's config folder (never in a review). Every review the app opens
//! or creates records this person in its audit rows, comments and approvals.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, State};
use threadline::{Actor, Context, Passphrase, Role};

use crate::app::config_dir;
use crate::state::{IpcError, Open};

/// The stored profile in its config file.
pub struct ProfileFile {
    file: PathBuf,
}

impl ProfileFile {
    pub fn new(config_dir: &Path) -> Self {
        ProfileFile {
            file: config_dir.join("profile.json"),
        }
    }

    /// The stored person, or `None` when none was given yet or the file is unreadable,
    /// malformed or names no known role (the app then asks again rather than guessing).
    pub fn load(&self) -> Option<Actor> {
        let text = std::fs::read_to_string(&self.file).ok()?;
        parse(&text)
    }

    /// Writes the person through a temporary file and a rename, so a crash never leaves half.
    pub fn save(&self, actor: &Actor) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(actor).map_err(std::io::Error::other)?;
        let partial = self.file.with_extension("json.partial");
        std::fs::write(&partial, text)?;
        std::fs::rename(&partial, &self.file)
    }
}

/// A stored profile, checked as if the person had typed it again.
pub fn parse(text: &str) -> Option<Actor> {
    let stored: Actor = serde_json::from_str(text).ok()?;
    Actor::new(&stored.name, stored.role()?).ok()
}

fn profile_file(app: &AppHandle) -> Result<ProfileFile, IpcError> {
    Ok(ProfileFile::new(&config_dir(app)?))
}

/// The context a review is opened or created with: this machine's person (or the core's
/// default author while none was given), and the passphrase of a protected review, if any.
pub fn context(app: &AppHandle, passphrase: Option<Passphrase>) -> Context {
    let actor = profile_file(app)
        .ok()
        .and_then(|f| f.load())
        .unwrap_or_default();
    Context {
        actor,
        passphrase,
        ..Context::default()
    }
}

/// The person working on this machine, or `null` before they said who they are.
#[tauri::command(async)]
pub fn profile(app: AppHandle) -> Result<Option<Actor>, IpcError> {
    Ok(profile_file(&app)?.load())
}

/// Remembers who is working (name and role) and records them from now on, in the open
/// review too. A missing name or an unknown role changes nothing.
#[tauri::command(async)]
pub fn save_profile(
    app: AppHandle,
    open: State<'_, Open>,
    name: String,
    role: Role,
) -> Result<Actor, IpcError> {
    let actor = Actor::new(&name, role)?;
    profile_file(&app)?
        .save(&actor)
        .map_err(|e| IpcError::io("cannot save your name and role", e))?;
    if let Some(review) = open.lock().as_mut() {
        review.set_actor(actor.clone());
    }
    Ok(actor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_profile_loads_back_and_a_bad_one_is_asked_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = ProfileFile::new(&dir.path().join("nested"));
        assert_eq!(file.load(), None);
        let actor = Actor::new("Martin Osei", Role::Chair).unwrap();
        file.save(&actor).unwrap();
        assert_eq!(file.load(), Some(actor));
        assert!(!dir.path().join("nested/profile.json.partial").exists());

        assert_eq!(parse("not json"), None);
        assert_eq!(parse(r#"{"name":"A","role":"overlord"}"#), None);
        assert_eq!(parse(r#"{"name":"  ","role":"chair"}"#), None);
        assert_eq!(
            parse(r#"{"name":" Alison ","role":"panel member"}"#),
            Some(Actor::new("Alison", Role::PanelMember).unwrap())
        );
    }
}

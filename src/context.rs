//! What a review needs from the outside world: who is working, what time it is, and how new
//! ids are made. Passed in, so tests can fix all three and get the same file every run.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A source of the current time.
pub trait Clock: Send {
    fn now(&self) -> DateTime<Utc>;
}

/// A source of fresh record ids.
pub trait Ids: Send {
    fn next_id(&mut self) -> Uuid;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Random (version 4) UUIDs.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl Ids for RandomIds {
    fn next_id(&mut self) -> Uuid {
        Uuid::new_v4()
    }
}

/// A clock stopped at one instant; it moves only when told.
#[derive(Debug, Clone)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Ids counted up from a seed: deterministic, still valid UUIDs.
#[derive(Debug, Clone)]
pub struct CountingIds {
    seed: u64,
    next: u64,
}

impl CountingIds {
    pub fn new(seed: u64) -> Self {
        CountingIds { seed, next: 1 }
    }
}

impl Ids for CountingIds {
    fn next_id(&mut self) -> Uuid {
        let n = self.next;
        self.next += 1;
        let bits = ((self.seed as u128) << 64) | n as u128;
        // Set the version (4) and variant bits so the id looks like any other UUID.
        uuid::Builder::from_u128(bits)
            .with_version(uuid::Version::Random)
            .with_variant(uuid::Variant::RFC4122)
            .into_uuid()
    }
}

/// The person working on this copy of the review, written into every audit row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Actor {
    pub name: String,
    pub role: String,
}

/// What the person working does in the review. Stored in audit rows and comments as
/// [`Role::as_str`]; it changes the app's defaults (the chair starts on the Review panel),
/// never what anyone can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Role {
    #[serde(rename = "author")]
    Author,
    #[serde(rename = "chair")]
    Chair,
    #[serde(rename = "panel member")]
    PanelMember,
    #[serde(rename = "business manager")]
    BusinessManager,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Author,
        Role::Chair,
        Role::PanelMember,
        Role::BusinessManager,
    ];

    /// The stored word: "author", "chair", "panel member" or "business manager".
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Chair => "chair",
            Role::PanelMember => "panel member",
            Role::BusinessManager => "business manager",
        }
    }

    /// How the role is named to a person.
    pub fn label(self) -> &'static str {
        match self {
            Role::Author => "Overview author",
            Role::Chair => "Panel chair",
            Role::PanelMember => "Panel member",
            Role::BusinessManager => "Business manager",
        }
    }

    /// The role a stored or typed word names: the stored word or the label, any case,
    /// hyphens and underscores read as spaces ("panel-member", "Panel chair").
    pub fn parse(text: &str) -> Option<Role> {
        let t = text.trim().to_lowercase().replace(['-', '_'], " ");
        Role::ALL
            .into_iter()
            .find(|r| t == r.as_str() || t == r.label().to_lowercase())
    }
}

/// The longest name a person can give (in characters).
pub const MAX_NAME_CHARS: usize = 120;

impl Actor {
    /// A person as they gave themselves: the name trimmed, not empty, at most
    /// [`MAX_NAME_CHARS`] characters and without control characters.
    pub fn new(name: &str, role: Role) -> crate::Result<Actor> {
        let name = name.trim();
        if name.is_empty() {
            return Err(crate::Error::invalid("name", "Give your name."));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(crate::Error::invalid(
                "name",
                format!("A name can be at most {MAX_NAME_CHARS} characters."),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(crate::Error::invalid(
                "name",
                "A name cannot contain line breaks or other control characters.",
            ));
        }
        Ok(Actor {
            name: name.to_string(),
            role: role.as_str().to_string(),
        })
    }

    /// The role, when the stored word is one of the four.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

impl Default for Actor {
    fn default() -> Self {
        Actor {
            name: "Overview author".into(),
            role: "author".into(),
        }
    }
}

/// Everything `Review::open` and `Review::create` take besides the path.
pub struct Context {
    pub actor: Actor,
    pub clock: Box<dyn Clock>,
    pub ids: Box<dyn Ids>,
    /// The passphrase of a protected review. `create` protects the new file with it; `open`
    /// needs it for a protected file and ignores it for an unprotected one.
    pub passphrase: Option<crate::crypto::Passphrase>,
    /// Open even when the lock file says the review is open on another computer: the person
    /// has checked that it is not (that computer crashed with the review open).
    pub take_over_lock: bool,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            actor: Actor::default(),
            clock: Box::new(SystemClock),
            ids: Box::new(RandomIds),
            passphrase: None,
            take_over_lock: false,
        }
    }
}

impl Context {
    /// A deterministic context for tests and reproducible output.
    pub fn fixed(at: DateTime<Utc>, seed: u64) -> Self {
        Context {
            actor: Actor::default(),
            clock: Box::new(FixedClock(at)),
            ids: Box::new(CountingIds::new(seed)),
            passphrase: None,
            take_over_lock: false,
        }
    }

    /// This context with a passphrase for a protected review.
    pub fn with_passphrase(mut self, passphrase: crate::crypto::Passphrase) -> Self {
        self.passphrase = Some(passphrase);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_their_words_and_labels() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(Role::parse(role.label()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse(" Panel-Member "), Some(Role::PanelMember));
        assert_eq!(Role::parse("business_manager"), Some(Role::BusinessManager));
        assert_eq!(Role::parse("chairperson"), None);
        assert_eq!(Role::parse(""), None);
    }

    #[test]
    fn an_actor_needs_a_plain_name() {
        let a = Actor::new("  Martin Osei ", Role::Chair).unwrap();
        assert_eq!(a.name, "Martin Osei");
        assert_eq!(a.role, "chair");
        assert_eq!(a.role(), Some(Role::Chair));
        for bad in ["", "   ", "Line\nbreak", "Tab\there"] {
            let e = Actor::new(bad, Role::Author).unwrap_err();
            assert_eq!(e.code(), "invalid", "{bad:?}");
        }
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert!(Actor::new(&long, Role::Author).is_err());
        assert!(Actor::new(&long[1..], Role::Author).is_ok());
    }
}

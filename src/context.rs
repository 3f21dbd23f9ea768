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
}

impl Default for Context {
    fn default() -> Self {
        Context {
            actor: Actor::default(),
            clock: Box::new(SystemClock),
            ids: Box::new(RandomIds),
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
        }
    }
}

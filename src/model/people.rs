//! The people and pseudonym register: every person, place and organisation the review
//! mentions, with the real name (and the other names the documents use for them) mapped to the
//! pseudonym used in anything published.
//!
//! A pseudonym must point at one entry only, so it may not be anyone else's real name, alias or
//! pseudonym. An entry that is not safe to name may be saved without a pseudonym while the
//! author works, but [`Review::people_missing_pseudonym`] lists it until one is given.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{
    delete_comments_on, ensure_exists, from_json_list, move_within, next_position, ordered_ids,
    refuse_if_used, required, text_enum, to_json_list, write_order, Use, COMMENTS_ON,
};
use crate::change::{Change, Table};
use crate::error::{Error, Result};
use crate::review::Review;

text_enum! {
    /// What kind of name a register entry holds.
    PersonCategory { Person = "person", Place = "place", Organisation = "organisation" }
}

/// One entry of the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Person {
    /// The entry's UUID; chronology entries list people by it.
    pub id: String,
    /// Whether it names a person, a place or an organisation.
    pub category: PersonCategory,
    /// The name as the source documents give it.
    pub real_name: String,
    /// Other names the documents use ("Mum", a maiden name, a nickname).
    pub aliases: Vec<String>,
    /// The name used in published text ("Child S"); empty while none is chosen.
    pub pseudonym: String,
    /// The part they play ("mother", "health visitor", "family home").
    pub role: String,
    /// Their relation to the subject of the review.
    pub relation: String,
    /// True when the real name may appear in published text (a public body, say).
    pub safe_to_name: bool,
}

impl Person {
    /// True when this entry may not be named and has no pseudonym yet.
    pub fn needs_pseudonym(&self) -> bool {
        !self.safe_to_name && self.pseudonym.is_empty()
    }

    /// The name to use in published text: the pseudonym, else the real name when it is safe
    /// to name; `None` when the entry needs a pseudonym first.
    pub fn published_name(&self) -> Option<&str> {
        if !self.pseudonym.is_empty() {
            Some(&self.pseudonym)
        } else if self.safe_to_name {
            Some(&self.real_name)
        } else {
            None
        }
    }

    /// Why this entry cannot be used in published text yet, if it cannot.
    pub fn publication_problem(&self) -> Option<String> {
        self.needs_pseudonym().then(|| {
            format!(
                "{} is not safe to name and needs a pseudonym before it can be used in a published text",
                self.real_name
            )
        })
    }
}

/// The editable fields of a [`Person`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PersonInput {
    pub category: PersonCategory,
    pub real_name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub pseudonym: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub relation: String,
    #[serde(default)]
    pub safe_to_name: bool,
}

impl From<Person> for PersonInput {
    fn from(p: Person) -> Self {
        PersonInput {
            category: p.category,
            real_name: p.real_name,
            aliases: p.aliases,
            pseudonym: p.pseudonym,
            role: p.role,
            relation: p.relation,
            safe_to_name: p.safe_to_name,
        }
    }
}

const SELECT: &str = "SELECT id, category, real_name, aliases, pseudonym, role, relation,
                             safe_to_name FROM person";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        category: r.get(1)?,
        real_name: r.get(2)?,
        aliases: from_json_list(&r.get::<_, String>(3)?),
        pseudonym: r.get(4)?,
        role: r.get(5)?,
        relation: r.get(6)?,
        safe_to_name: r.get(7)?,
    })
}

/// Names are compared without regard to case or surrounding space.
fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Checks one entry on its own and returns it tidied: text trimmed, blank and repeated
/// aliases dropped.
fn validate(input: &PersonInput) -> Result<PersonInput> {
    required("real_name", &input.real_name)?;
    let real_name = input.real_name.trim().to_owned();
    let mut seen = HashSet::from([fold(&real_name)]);
    let aliases: Vec<String> = input
        .aliases
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty() && seen.insert(fold(a)))
        .map(str::to_owned)
        .collect();
    let pseudonym = input.pseudonym.trim().to_owned();
    if !pseudonym.is_empty() && !input.safe_to_name && seen.contains(&fold(&pseudonym)) {
        // A pseudonym that is the person's own name hides nothing.
        return Err(Error::invalid(
            "pseudonym",
            format!("'{pseudonym}' is this entry's own name; a pseudonym must differ from the real name and aliases"),
        ));
    }
    Ok(PersonInput {
        category: input.category,
        real_name,
        aliases,
        pseudonym,
        role: input.role.trim().to_owned(),
        relation: input.relation.trim().to_owned(),
        safe_to_name: input.safe_to_name,
    })
}

/// Checks `input` against every other entry: its pseudonym must not be another entry's real
/// name, alias or pseudonym, and its own names must not be another entry's pseudonym.
fn check_register(others: &[Person], input: &PersonInput) -> Result<()> {
    let pseudonym = fold(&input.pseudonym);
    for other in others {
        if !pseudonym.is_empty() {
            if fold(&other.pseudonym) == pseudonym {
                return Err(Error::invalid(
                    "pseudonym",
                    format!(
                        "'{}' is already the pseudonym of {}; each pseudonym must stand for one entry",
                        input.pseudonym, other.real_name
                    ),
                ));
            }
            if fold(&other.real_name) == pseudonym {
                return Err(Error::invalid(
                    "pseudonym",
                    format!(
                        "'{}' is the real name of another entry; a pseudonym must not be anyone's real name",
                        input.pseudonym
                    ),
                ));
            }
            if other.aliases.iter().any(|a| fold(a) == pseudonym) {
                return Err(Error::invalid(
                    "pseudonym",
                    format!(
                        "'{}' is an alias of {}; a pseudonym must not be anyone's real name or alias",
                        input.pseudonym, other.real_name
                    ),
                ));
            }
        }
        let theirs = fold(&other.pseudonym);
        if theirs.is_empty() {
            continue;
        }
        if fold(&input.real_name) == theirs {
            return Err(Error::invalid(
                "real_name",
                format!(
                    "'{}' is already the pseudonym of {}; change that pseudonym first",
                    input.real_name, other.real_name
                ),
            ));
        }
        if let Some(alias) = input.aliases.iter().find(|a| fold(a) == theirs) {
            return Err(Error::invalid(
                "aliases",
                format!(
                    "'{alias}' is already the pseudonym of {}; change that pseudonym first",
                    other.real_name
                ),
            ));
        }
    }
    Ok(())
}

const PERSON_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM chronology_entry WHERE instr(people, ?1) > 0",
        singular: "chronology entry",
        plural: "chronology entries",
        verb_singular: "involves",
        verb_plural: "involve",
    },
    COMMENTS_ON,
];

/// Removes `id` from the `people` list of every chronology entry that names it.
fn remove_from_chronology(c: &mut Change<'_>, id: &str) -> Result<()> {
    let entries: Vec<(String, String)> = c
        .prepare("SELECT id, people FROM chronology_entry WHERE instr(people, ?1) > 0")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (entry, people) in entries {
        let kept: Vec<String> = from_json_list(&people)
            .into_iter()
            .filter(|p| p != id)
            .collect();
        c.track(Table::ChronologyEntry, &entry)?;
        c.execute(
            "UPDATE chronology_entry SET people = ?2 WHERE id = ?1",
            params![entry, to_json_list(&kept)],
        )?;
    }
    Ok(())
}

impl Review {
    /// Every register entry in its set order.
    pub fn people(&self) -> Result<Vec<Person>> {
        let mut stmt = self
            .db()
            .prepare_cached(&format!("{SELECT} ORDER BY position, rid"))?;
        let people = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(people)
    }

    /// One register entry.
    pub fn person(&self, id: &str) -> Result<Person> {
        self.db()
            .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "person",
                id: id.to_owned(),
            })
    }

    /// Entries that are not safe to name and still have no pseudonym, in register order.
    pub fn people_missing_pseudonym(&self) -> Result<Vec<Person>> {
        Ok(self
            .people()?
            .into_iter()
            .filter(Person::needs_pseudonym)
            .collect())
    }

    /// Adds an entry at the end of the register.
    pub fn add_person(&mut self, input: PersonInput) -> Result<Person> {
        let input = validate(&input)?;
        check_register(&self.people()?, &input)?;
        let id = self.change("Add to pseudonym register", |c| {
            let id = c.new_id();
            let position = next_position(c, Table::Person, None)?;
            c.track(Table::Person, &id)?;
            c.execute(
                "INSERT INTO person (id, position, category, real_name, aliases, pseudonym, role,
                                     relation, safe_to_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    id,
                    position,
                    input.category,
                    input.real_name,
                    to_json_list(&input.aliases),
                    input.pseudonym,
                    input.role,
                    input.relation,
                    input.safe_to_name
                ],
            )?;
            Ok(id)
        })?;
        self.person(&id)
    }

    /// Changes an entry's names, pseudonym, role or flags.
    pub fn update_person(&mut self, id: &str, input: PersonInput) -> Result<Person> {
        let input = validate(&input)?;
        ensure_exists(self.db(), Table::Person, "person", id)?;
        let others: Vec<Person> = self.people()?.into_iter().filter(|p| p.id != id).collect();
        check_register(&others, &input)?;
        self.change("Edit pseudonym register entry", |c| {
            c.track(Table::Person, id)?;
            c.execute(
                "UPDATE person SET category = ?2, real_name = ?3, aliases = ?4, pseudonym = ?5,
                                   role = ?6, relation = ?7, safe_to_name = ?8
                 WHERE id = ?1",
                params![
                    id,
                    input.category,
                    input.real_name,
                    to_json_list(&input.aliases),
                    input.pseudonym,
                    input.role,
                    input.relation,
                    input.safe_to_name
                ],
            )?;
            Ok(())
        })?;
        self.person(id)
    }

    /// Moves an entry to index `to` (0-based, clamped to the end) of the register.
    pub fn move_person(&mut self, id: &str, to: usize) -> Result<()> {
        ensure_exists(self.db(), Table::Person, "person", id)?;
        self.change("Reorder pseudonym register", |c| {
            let mut ids = ordered_ids(c, Table::Person, None)?;
            move_within("person", &mut ids, id, to)?;
            write_order(c, Table::Person, &ids, false)
        })
    }

    /// Deletes an entry. Refused while chronology entries involve it or comments are on it,
    /// unless `cascade`, which takes it out of those entries and deletes the comments.
    pub fn delete_person(&mut self, id: &str, cascade: bool) -> Result<()> {
        let person = self.person(id)?;
        refuse_if_used(
            self.db(),
            id,
            &person.real_name,
            "this person",
            PERSON_USES,
            cascade,
        )?;
        // The label is kept in the file's history and shown in the app: never the real name.
        let label = if person.pseudonym.is_empty() {
            "Delete an entry from the pseudonym register".to_owned()
        } else {
            format!("Delete {} from the pseudonym register", person.pseudonym)
        };
        self.change(&label, |c| {
            remove_from_chronology(c, id)?;
            delete_comments_on(c, id)?;
            c.track(Table::Person, id)?;
            c.execute("DELETE FROM person WHERE id = ?1", [id])?;
            let ids = ordered_ids(c, Table::Person, None)?;
            write_order(c, Table::Person, &ids, false)
        })
    }
}

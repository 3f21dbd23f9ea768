//! Agencies: the organisations that worked with the family. Sources, chronology entries and
//! recommendations point at them, so a name must pick out one agency.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{
    delete_comments_on, ensure_exists, move_within, next_position, ordered_ids, refuse_if_used,
    required, write_order, Use, COMMENTS_ON,
};
use crate::change::{Change, Table};
use crate::error::{Error, Result};
use crate::review::Review;

/// One agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Agency {
    /// The agency's UUID; sources, chronology entries and recommendations point at it.
    pub id: String,
    /// The full name, unique within the review ("Northshire Police").
    pub name: String,
    /// A short form for tables and swim-lanes ("Police"); may be empty.
    pub short_name: String,
    /// The sector it belongs to ("health", "education", "police"...), free text.
    pub sector: String,
}

/// The editable fields of an [`Agency`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct AgencyInput {
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub sector: String,
}

impl From<Agency> for AgencyInput {
    fn from(a: Agency) -> Self {
        AgencyInput {
            name: a.name,
            short_name: a.short_name,
            sector: a.sector,
        }
    }
}

const SELECT: &str = "SELECT id, name, short_name, sector FROM agency";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Agency> {
    Ok(Agency {
        id: r.get(0)?,
        name: r.get(1)?,
        short_name: r.get(2)?,
        sector: r.get(3)?,
    })
}

fn validate(input: &AgencyInput) -> Result<AgencyInput> {
    required("name", &input.name)?;
    Ok(AgencyInput {
        name: input.name.trim().to_owned(),
        short_name: input.short_name.trim().to_owned(),
        sector: input.sector.trim().to_owned(),
    })
}

/// Refuses a name that another agency (other than `except`) already has, ignoring case.
fn check_unique(review: &Review, name: &str, except: Option<&str>) -> Result<()> {
    let folded = name.to_lowercase();
    let clash = review
        .agencies()?
        .into_iter()
        .find(|a| Some(a.id.as_str()) != except && a.name.trim().to_lowercase() == folded);
    match clash {
        Some(a) => Err(Error::invalid(
            "name",
            format!(
                "an agency called '{}' already exists; agency names must be unique",
                a.name
            ),
        )),
        None => Ok(()),
    }
}

const AGENCY_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM source WHERE agency_id = ?1",
        singular: "source",
        plural: "sources",
        verb_singular: "belongs to",
        verb_plural: "belong to",
    },
    Use {
        sql: "SELECT count(*) FROM chronology_entry WHERE agency_id = ?1",
        singular: "chronology entry",
        plural: "chronology entries",
        verb_singular: "is recorded against",
        verb_plural: "are recorded against",
    },
    Use {
        sql: "SELECT count(*) FROM recommendation
              WHERE origin_agency_id = ?1 OR addressee_agency_id = ?1",
        singular: "recommendation",
        plural: "recommendations",
        verb_singular: "names",
        verb_plural: "name",
    },
    COMMENTS_ON,
];

/// Sets `column` of every row of `table` that points at `id` to NULL, tracking each row.
fn clear_references(c: &mut Change<'_>, table: Table, column: &str, id: &str) -> Result<()> {
    let t = table.name();
    let rows: Vec<String> = c
        .prepare(&format!("SELECT id FROM {t} WHERE {column} = ?1"))?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for row in rows {
        c.track(table, &row)?;
        c.execute(
            &format!("UPDATE {t} SET {column} = NULL WHERE id = ?1"),
            [&row],
        )?;
    }
    Ok(())
}

impl Review {
    /// Every agency in its set order.
    pub fn agencies(&self) -> Result<Vec<Agency>> {
        let mut stmt = self
            .db()
            .prepare_cached(&format!("{SELECT} ORDER BY position, rid"))?;
        let agencies = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(agencies)
    }

    /// One agency.
    pub fn agency(&self, id: &str) -> Result<Agency> {
        self.db()
            .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "agency",
                id: id.to_owned(),
            })
    }

    /// Adds an agency at the end of the list.
    pub fn add_agency(&mut self, input: AgencyInput) -> Result<Agency> {
        let input = validate(&input)?;
        check_unique(self, &input.name, None)?;
        let id = self.change("Add agency", |c| {
            let id = c.new_id();
            let position = next_position(c, Table::Agency, None)?;
            c.track(Table::Agency, &id)?;
            c.execute(
                "INSERT INTO agency (id, position, name, short_name, sector)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, position, input.name, input.short_name, input.sector],
            )?;
            Ok(id)
        })?;
        self.agency(&id)
    }

    /// Changes an agency's name, short name or sector.
    pub fn update_agency(&mut self, id: &str, input: AgencyInput) -> Result<Agency> {
        let input = validate(&input)?;
        ensure_exists(self.db(), Table::Agency, "agency", id)?;
        check_unique(self, &input.name, Some(id))?;
        self.change("Edit agency", |c| {
            c.track(Table::Agency, id)?;
            c.execute(
                "UPDATE agency SET name = ?2, short_name = ?3, sector = ?4 WHERE id = ?1",
                params![id, input.name, input.short_name, input.sector],
            )?;
            Ok(())
        })?;
        self.agency(id)
    }

    /// Moves an agency to index `to` (0-based, clamped to the end) of the list.
    pub fn move_agency(&mut self, id: &str, to: usize) -> Result<()> {
        ensure_exists(self.db(), Table::Agency, "agency", id)?;
        self.change("Reorder agencies", |c| {
            let mut ids = ordered_ids(c, Table::Agency, None)?;
            move_within("agency", &mut ids, id, to)?;
            write_order(c, Table::Agency, &ids, false)
        })
    }

    /// Deletes an agency. Refused while sources, chronology entries or recommendations point
    /// at it or comments are on it, unless `cascade`: then those records are kept with no
    /// agency (their reference set to none) and the comments are deleted.
    pub fn delete_agency(&mut self, id: &str, cascade: bool) -> Result<()> {
        let agency = self.agency(id)?;
        refuse_if_used(
            self.db(),
            id,
            &agency.name,
            "this agency",
            AGENCY_USES,
            cascade,
        )?;
        self.change(&format!("Delete agency {}", agency.name), |c| {
            clear_references(c, Table::Source, "agency_id", id)?;
            clear_references(c, Table::ChronologyEntry, "agency_id", id)?;
            clear_references(c, Table::Recommendation, "origin_agency_id", id)?;
            clear_references(c, Table::Recommendation, "addressee_agency_id", id)?;
            delete_comments_on(c, id)?;
            c.track(Table::Agency, id)?;
            c.execute("DELETE FROM agency WHERE id = ?1", [id])?;
            let ids = ordered_ids(c, Table::Agency, None)?;
            write_order(c, Table::Agency, &ids, false)
        })
    }
}

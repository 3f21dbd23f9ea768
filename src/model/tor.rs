//! Terms of reference: the questions the review must answer, generic items first by
//! convention but in whatever order the author sets, numbered 1.. in that order.

use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};

use super::{
    delete_comments_on, ensure_exists, move_within, next_position, ordered_ids, refuse_if_used,
    required, text_enum, write_order, Use, COMMENTS_ON, SECTION_CITES,
};
use crate::change::Table;
use crate::error::{Error, Result};
use crate::review::Review;

text_enum! {
    /// Whether an item is one every review answers or one set for this case.
    TorKind { Generic = "generic", CaseSpecific = "case_specific" }
}

/// One term of reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TorItem {
    pub id: String,
    /// The human number, "ToR 4".
    pub number: i64,
    pub kind: TorKind,
    pub text: String,
    /// Set when the panel decided the item is out of this review's scope, with the reason.
    pub out_of_scope_reason: Option<String>,
}

/// The editable fields of a [`TorItem`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TorInput {
    pub kind: TorKind,
    pub text: String,
    #[serde(default)]
    pub out_of_scope_reason: Option<String>,
}

const SELECT: &str = "SELECT id, number, kind, text, out_of_scope_reason FROM tor_item";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TorItem> {
    Ok(TorItem {
        id: r.get(0)?,
        number: r.get(1)?,
        kind: r.get(2)?,
        text: r.get(3)?,
        out_of_scope_reason: r.get(4)?,
    })
}

fn validate(input: &TorInput) -> Result<TorInput> {
    required("text", &input.text)?;
    let reason = match &input.out_of_scope_reason {
        Some(r) if r.trim().is_empty() => {
            return Err(Error::invalid(
                "out_of_scope_reason",
                "an item marked out of scope needs the reason",
            ))
        }
        Some(r) => Some(r.trim().to_owned()),
        None => None,
    };
    Ok(TorInput {
        kind: input.kind,
        text: input.text.trim().to_owned(),
        out_of_scope_reason: reason,
    })
}

const TOR_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM finding_tor WHERE tor_id = ?1",
        singular: "finding",
        plural: "findings",
        verb_singular: "answers",
        verb_plural: "answer",
    },
    SECTION_CITES,
    COMMENTS_ON,
];

impl Review {
    /// All terms of reference in order.
    pub fn tor_items(&self) -> Result<Vec<TorItem>> {
        let mut stmt = self
            .db()
            .prepare_cached(&format!("{SELECT} ORDER BY position"))?;
        let items = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    /// One term of reference.
    pub fn tor_item(&self, id: &str) -> Result<TorItem> {
        use rusqlite::OptionalExtension;
        self.db()
            .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "term of reference",
                id: id.to_owned(),
            })
    }

    /// Adds an item at the end.
    pub fn add_tor(&mut self, input: TorInput) -> Result<TorItem> {
        let input = validate(&input)?;
        let id = self.change("Add term of reference", |c| {
            let id = c.new_id();
            let position = next_position(c, Table::TorItem, None)?;
            c.track(Table::TorItem, &id)?;
            c.execute(
                "INSERT INTO tor_item (id, position, number, kind, text, out_of_scope_reason)
                 VALUES (?1, ?2, ?2 + 1, ?3, ?4, ?5)",
                params![
                    id,
                    position,
                    input.kind,
                    input.text,
                    input.out_of_scope_reason
                ],
            )?;
            // Positions may have gaps after deletes; numbers follow order, not position.
            let ids = ordered_ids(c, Table::TorItem, None)?;
            write_order(c, Table::TorItem, &ids, true)?;
            Ok(id)
        })?;
        self.tor_item(&id)
    }

    /// Changes an item's kind, text or scope.
    pub fn update_tor(&mut self, id: &str, input: TorInput) -> Result<TorItem> {
        let input = validate(&input)?;
        ensure_exists(self.db(), Table::TorItem, "term of reference", id)?;
        self.change("Edit term of reference", |c| {
            c.track(Table::TorItem, id)?;
            c.execute(
                "UPDATE tor_item SET kind = ?2, text = ?3, out_of_scope_reason = ?4 WHERE id = ?1",
                params![id, input.kind, input.text, input.out_of_scope_reason],
            )?;
            Ok(())
        })?;
        self.tor_item(id)
    }

    /// Moves an item to index `to` (0-based) and renumbers them all.
    pub fn move_tor(&mut self, id: &str, to: usize) -> Result<()> {
        self.change("Reorder terms of reference", |c| {
            let mut ids = ordered_ids(c, Table::TorItem, None)?;
            move_within("term of reference", &mut ids, id, to)?;
            write_order(c, Table::TorItem, &ids, true)
        })
    }

    /// Deletes an item. Refused while findings answer it or the report cites it, unless
    /// `cascade`, which also removes those links and comments.
    pub fn delete_tor(&mut self, id: &str, cascade: bool) -> Result<()> {
        let item = self.tor_item(id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("ToR {}", item.number),
            "this term of reference",
            TOR_USES,
            cascade,
        )?;
        self.change(&format!("Delete ToR {}", item.number), |c| {
            let links: Vec<String> = c
                .prepare("SELECT id FROM finding_tor WHERE tor_id = ?1")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for link in &links {
                c.track(Table::FindingTor, link)?;
                c.execute("DELETE FROM finding_tor WHERE id = ?1", [link])?;
            }
            delete_comments_on(c, id)?;
            c.track(Table::TorItem, id)?;
            c.execute("DELETE FROM tor_item WHERE id = ?1", [id])?;
            let ids = ordered_ids(c, Table::TorItem, None)?;
            write_order(c, Table::TorItem, &ids, true)
        })
    }
}

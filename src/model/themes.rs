//! Themes: the key-issue headings that group findings, in the order the report presents them.
//! A theme's place decides the F-numbers of its findings, so reordering themes renumbers
//! findings in the same change.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::findings::renumber_findings;
use super::{
    delete_comments_on, ensure_exists, move_within, next_position, ordered_ids, refuse_if_used,
    required, write_order, Use, COMMENTS_ON,
};
use crate::change::Table;
use crate::error::{Error, Result};
use crate::review::Review;

/// One theme (key issue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Theme {
    pub id: String,
    /// The heading, unique within the review whatever its case.
    pub title: String,
    /// A short framing of the issue; may be empty.
    pub summary: String,
}

/// The editable fields of a [`Theme`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ThemeInput {
    pub title: String,
    #[serde(default)]
    pub summary: String,
}

const SELECT: &str = "SELECT id, title, summary FROM theme";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Theme> {
    Ok(Theme {
        id: r.get(0)?,
        title: r.get(1)?,
        summary: r.get(2)?,
    })
}

const THEME_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM finding WHERE theme_id = ?1",
        singular: "finding",
        plural: "findings",
        verb_singular: "belongs to",
        verb_plural: "belong to",
    },
    COMMENTS_ON,
];

impl Review {
    /// Checks and tidies a theme's fields; `id` is the theme being edited, if any, so its own
    /// title does not count as a clash.
    fn validate_theme(&self, id: Option<&str>, input: &ThemeInput) -> Result<ThemeInput> {
        required("title", &input.title)?;
        let title = input.title.trim().to_owned();
        let wanted = title.to_lowercase();
        if let Some(other) = self
            .themes()?
            .into_iter()
            .find(|t| Some(t.id.as_str()) != id && t.title.to_lowercase() == wanted)
        {
            return Err(Error::invalid(
                "title",
                format!("a theme called '{}' already exists", other.title),
            ));
        }
        Ok(ThemeInput {
            title,
            summary: input.summary.trim().to_owned(),
        })
    }

    /// All themes in order.
    pub fn themes(&self) -> Result<Vec<Theme>> {
        let mut stmt = self
            .db()
            .prepare_cached(&format!("{SELECT} ORDER BY position, rid"))?;
        let items = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    /// One theme.
    pub fn theme(&self, id: &str) -> Result<Theme> {
        self.db()
            .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "theme",
                id: id.to_owned(),
            })
    }

    /// Adds a theme at the end.
    pub fn add_theme(&mut self, input: ThemeInput) -> Result<Theme> {
        let input = self.validate_theme(None, &input)?;
        let id = self.change("Add theme", |c| {
            let id = c.new_id();
            let position = next_position(c, Table::Theme, None)?;
            c.track(Table::Theme, &id)?;
            c.execute(
                "INSERT INTO theme (id, position, title, summary) VALUES (?1, ?2, ?3, ?4)",
                params![id, position, input.title, input.summary],
            )?;
            Ok(id)
        })?;
        self.theme(&id)
    }

    /// Changes a theme's title or summary.
    pub fn update_theme(&mut self, id: &str, input: ThemeInput) -> Result<Theme> {
        ensure_exists(self.db(), Table::Theme, "theme", id)?;
        let input = self.validate_theme(Some(id), &input)?;
        self.change("Edit theme", |c| {
            c.track(Table::Theme, id)?;
            c.execute(
                "UPDATE theme SET title = ?2, summary = ?3 WHERE id = ?1",
                params![id, input.title, input.summary],
            )?;
            Ok(())
        })?;
        self.theme(id)
    }

    /// Moves a theme to index `to` (0-based, clamped) and renumbers every finding to follow.
    pub fn move_theme(&mut self, id: &str, to: usize) -> Result<()> {
        self.change("Reorder themes", |c| {
            let mut ids = ordered_ids(c, Table::Theme, None)?;
            move_within("theme", &mut ids, id, to)?;
            write_order(c, Table::Theme, &ids, false)?;
            renumber_findings(c)
        })
    }

    /// Deletes a theme. Refused while findings belong to it or comments are on it, unless
    /// `cascade`: then its findings stay but lose their theme (they join the unthemed ones at
    /// the end, in the same order) and its comments go.
    pub fn delete_theme(&mut self, id: &str, cascade: bool) -> Result<()> {
        let theme = self.theme(id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("theme '{}'", theme.title),
            "this theme",
            THEME_USES,
            cascade,
        )?;
        self.change(&format!("Delete theme '{}'", theme.title), |c| {
            let members = ordered_ids(c, Table::Finding, Some(("theme_id", Some(id))))?;
            let base = next_position(c, Table::Finding, Some(("theme_id", None)))?;
            for (i, finding) in members.iter().enumerate() {
                c.track(Table::Finding, finding)?;
                c.execute(
                    "UPDATE finding SET theme_id = NULL, position = ?2 WHERE id = ?1",
                    params![finding, base + i as i64],
                )?;
            }
            delete_comments_on(c, id)?;
            c.track(Table::Theme, id)?;
            c.execute("DELETE FROM theme WHERE id = ?1", [id])?;
            let ids = ordered_ids(c, Table::Theme, None)?;
            write_order(c, Table::Theme, &ids, false)?;
            renumber_findings(c)
        })
    }
}

//! Findings: the review's analytical statements, grouped under themes, numbered F1, F2... across
//! the whole review in report order (themes in their order, unthemed findings last), and backed
//! by evidence links to excerpts and chronology entries, and by links to the terms of reference
//! they answer.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{
    delete_comments_on, ensure_exists, move_within, next_position, ordered_ids, refuse_if_used,
    required, text_enum, Use, COMMENTS_ON, SECTION_CITES,
};
use crate::change::{Change, Table};
use crate::error::{Error, Result};
use crate::review::Review;

text_enum! {
    /// What sort of statement a finding makes.
    FindingKind {
        Practice = "practice",
        Systemic = "systemic",
        GoodPractice = "good_practice",
        Conclusion = "conclusion",
    }
}

text_enum! {
    /// How a piece of evidence bears on a finding.
    Relation { Supports = "supports", Contradicts = "contradicts", Context = "context" }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Finding {
    pub id: String,
    /// The human number, "F12", counted across all themes in report order.
    pub number: i64,
    /// The theme it sits under; `None` for findings not yet placed.
    pub theme_id: Option<String>,
    pub kind: FindingKind,
    pub statement: String,
    pub analysis: String,
    /// How many evidence links it has.
    pub evidence_count: i64,
    /// The terms of reference it answers, in ToR order.
    pub tor_ids: Vec<String>,
}

/// The editable fields of a [`Finding`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FindingInput {
    #[serde(default)]
    pub theme_id: Option<String>,
    pub kind: FindingKind,
    pub statement: String,
    #[serde(default)]
    pub analysis: String,
}

/// One link between a finding and a piece of evidence: exactly one of `excerpt_id` and
/// `chronology_id` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct EvidenceLink {
    pub id: String,
    pub finding_id: String,
    pub excerpt_id: Option<String>,
    pub chronology_id: Option<String>,
    pub relation: Relation,
    pub note: String,
}

/// What a finding's evidence link points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum EvidenceTarget {
    /// An excerpt of a source, by id.
    Excerpt(String),
    /// A chronology entry, by id.
    Chronology(String),
}

impl EvidenceTarget {
    /// The noun for messages.
    fn describe(&self) -> &'static str {
        match self {
            EvidenceTarget::Excerpt(_) => "excerpt",
            EvidenceTarget::Chronology(_) => "chronology entry",
        }
    }

    /// The id of the excerpt or chronology entry.
    fn id(&self) -> &str {
        match self {
            EvidenceTarget::Excerpt(id) | EvidenceTarget::Chronology(id) => id,
        }
    }
}

/// Findings with their evidence counts; `t` is the theme joined for ordering.
const SELECT: &str = "SELECT f.id, f.number, f.theme_id, f.kind, f.statement, f.analysis,
        (SELECT count(*) FROM evidence_link e WHERE e.finding_id = f.id)
    FROM finding f LEFT JOIN theme t ON t.id = f.theme_id";

/// Report order: themes in their order, unthemed findings last, then order within the theme.
const ORDER: &str = "ORDER BY f.theme_id IS NULL, t.position, t.rid, f.position, f.rid";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Finding> {
    Ok(Finding {
        id: r.get(0)?,
        number: r.get(1)?,
        theme_id: r.get(2)?,
        kind: r.get(3)?,
        statement: r.get(4)?,
        analysis: r.get(5)?,
        evidence_count: r.get(6)?,
        tor_ids: Vec::new(),
    })
}

const EVIDENCE_SELECT: &str =
    "SELECT id, finding_id, excerpt_id, chronology_id, relation, note FROM evidence_link";

fn evidence_from_row(r: &Row<'_>) -> rusqlite::Result<EvidenceLink> {
    Ok(EvidenceLink {
        id: r.get(0)?,
        finding_id: r.get(1)?,
        excerpt_id: r.get(2)?,
        chronology_id: r.get(3)?,
        relation: r.get(4)?,
        note: r.get(5)?,
    })
}

const FINDING_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM recommendation_finding WHERE finding_id = ?1",
        singular: "recommendation",
        plural: "recommendations",
        verb_singular: "rests on",
        verb_plural: "rest on",
    },
    SECTION_CITES,
    COMMENTS_ON,
];

fn validate(conn: &rusqlite::Connection, input: &FindingInput) -> Result<FindingInput> {
    required("statement", &input.statement)?;
    if let Some(theme) = &input.theme_id {
        ensure_exists(conn, Table::Theme, "theme", theme)?;
    }
    Ok(FindingInput {
        theme_id: input.theme_id.clone(),
        kind: input.kind,
        statement: input.statement.trim().to_owned(),
        analysis: input.analysis.trim().to_owned(),
    })
}

/// The finding's current F-number, for messages and change summaries.
fn number_of(conn: &rusqlite::Connection, id: &str) -> Result<i64> {
    conn.query_row("SELECT number FROM finding WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: "finding",
        id: id.to_owned(),
    })
}

/// The ToR ids each finding answers, in ToR order; only for `finding` when given.
fn tor_links(
    conn: &rusqlite::Connection,
    finding: Option<&str>,
) -> Result<HashMap<String, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ft.finding_id, ft.tor_id FROM finding_tor ft
         JOIN tor_item t ON t.id = ft.tor_id
         WHERE ?1 IS NULL OR ft.finding_id = ?1
         ORDER BY t.position, t.rid",
    )?;
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    let rows = stmt.query_map([finding], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (finding, tor) = row?;
        map.entry(finding).or_default().push(tor);
    }
    Ok(map)
}

/// Writes `position` = index for the findings of one theme, in the order given, tracking only
/// rows whose position moves.
fn write_positions(c: &mut Change<'_>, ids: &[String]) -> Result<()> {
    for (i, id) in ids.iter().enumerate() {
        let position: i64 =
            c.query_row("SELECT position FROM finding WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        if position != i as i64 {
            c.track(Table::Finding, id)?;
            c.execute(
                "UPDATE finding SET position = ?2 WHERE id = ?1",
                params![id, i as i64],
            )?;
        }
    }
    Ok(())
}

/// Rewrites every finding's position within its theme (0, 1, ...) and its F-number across the
/// review, both following report order. Only rows whose values change are tracked, so the audit
/// log holds exactly the findings that were renumbered. Numbering spans themes, which is why
/// this is ours rather than the shared per-table `write_order`.
pub(crate) fn renumber_findings(c: &mut Change<'_>) -> Result<()> {
    let rows: Vec<(String, Option<String>, i64, i64)> = c
        .prepare_cached(&format!(
            "SELECT f.id, f.theme_id, f.position, f.number
             FROM finding f LEFT JOIN theme t ON t.id = f.theme_id {ORDER}"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut group: Option<&Option<String>> = None;
    let mut position = 0i64;
    for (i, (id, theme, old_position, old_number)) in rows.iter().enumerate() {
        if group != Some(theme) {
            group = Some(theme);
            position = 0;
        }
        let number = i as i64 + 1;
        if *old_position != position || *old_number != number {
            c.track(Table::Finding, id)?;
            c.execute(
                "UPDATE finding SET position = ?2, number = ?3 WHERE id = ?1",
                params![id, position, number],
            )?;
        }
        position += 1;
    }
    Ok(())
}

/// Adds a `finding_tor` row unless the pair is already linked.
fn insert_tor_link(c: &mut Change<'_>, finding_id: &str, tor_id: &str) -> Result<()> {
    let exists: bool = c.query_row(
        "SELECT EXISTS (SELECT 1 FROM finding_tor WHERE finding_id = ?1 AND tor_id = ?2)",
        [finding_id, tor_id],
        |r| r.get(0),
    )?;
    if !exists {
        let id = c.new_id();
        c.track(Table::FindingTor, &id)?;
        c.execute(
            "INSERT INTO finding_tor (id, finding_id, tor_id) VALUES (?1, ?2, ?3)",
            [&id, finding_id, tor_id],
        )?;
    }
    Ok(())
}

/// Deletes `finding_tor` rows by id, tracking each.
fn delete_tor_links(c: &mut Change<'_>, ids: &[String]) -> Result<()> {
    for id in ids {
        c.track(Table::FindingTor, id)?;
        c.execute("DELETE FROM finding_tor WHERE id = ?1", [id])?;
    }
    Ok(())
}

/// The ids of the rows of `table` whose `column` is `value`.
fn ids_where(c: &Change<'_>, table: Table, column: &str, value: &str) -> Result<Vec<String>> {
    let ids = c
        .prepare_cached(&format!(
            "SELECT id FROM {} WHERE {column} = ?1 ORDER BY rid",
            table.name()
        ))?
        .query_map([value], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

impl Review {
    /// All findings in report order.
    pub fn findings(&self) -> Result<Vec<Finding>> {
        let mut stmt = self.db().prepare_cached(&format!("{SELECT} {ORDER}"))?;
        let mut items: Vec<Finding> = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut tors = tor_links(self.db(), None)?;
        for f in &mut items {
            f.tor_ids = tors.remove(&f.id).unwrap_or_default();
        }
        Ok(items)
    }

    /// One finding.
    pub fn finding(&self, id: &str) -> Result<Finding> {
        let mut f = self
            .db()
            .query_row(&format!("{SELECT} WHERE f.id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "finding",
                id: id.to_owned(),
            })?;
        f.tor_ids = tor_links(self.db(), Some(id))?
            .remove(id)
            .unwrap_or_default();
        Ok(f)
    }

    /// The findings under one theme, in order.
    pub fn findings_of_theme(&self, theme_id: &str) -> Result<Vec<Finding>> {
        ensure_exists(self.db(), Table::Theme, "theme", theme_id)?;
        Ok(self
            .findings()?
            .into_iter()
            .filter(|f| f.theme_id.as_deref() == Some(theme_id))
            .collect())
    }

    /// The findings not placed under any theme, in order.
    pub fn unthemed_findings(&self) -> Result<Vec<Finding>> {
        Ok(self
            .findings()?
            .into_iter()
            .filter(|f| f.theme_id.is_none())
            .collect())
    }

    /// Adds a finding at the end of its theme (or of the unthemed ones) and renumbers.
    pub fn add_finding(&mut self, input: FindingInput) -> Result<Finding> {
        let input = validate(self.db(), &input)?;
        let id = self.change("Add finding", |c| {
            let id = c.new_id();
            let theme = input.theme_id.as_deref();
            let position = next_position(c, Table::Finding, Some(("theme_id", theme)))?;
            c.track(Table::Finding, &id)?;
            c.execute(
                "INSERT INTO finding (id, theme_id, position, number, kind, statement, analysis)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6)",
                params![
                    id,
                    input.theme_id,
                    position,
                    input.kind,
                    input.statement,
                    input.analysis
                ],
            )?;
            renumber_findings(c)?;
            Ok(id)
        })?;
        self.finding(&id)
    }

    /// Changes a finding's kind, statement, analysis or theme. A finding given a new theme goes
    /// to the end of it, and the findings are renumbered.
    pub fn update_finding(&mut self, id: &str, input: FindingInput) -> Result<Finding> {
        let current = self.finding(id)?;
        let input = validate(self.db(), &input)?;
        self.change(&format!("Edit F{}", current.number), |c| {
            c.track(Table::Finding, id)?;
            c.execute(
                "UPDATE finding SET kind = ?2, statement = ?3, analysis = ?4 WHERE id = ?1",
                params![id, input.kind, input.statement, input.analysis],
            )?;
            if input.theme_id != current.theme_id {
                let theme = input.theme_id.as_deref();
                let position = next_position(c, Table::Finding, Some(("theme_id", theme)))?;
                c.execute(
                    "UPDATE finding SET theme_id = ?2, position = ?3 WHERE id = ?1",
                    params![id, theme, position],
                )?;
                renumber_findings(c)?;
            }
            Ok(())
        })?;
        self.finding(id)
    }

    /// Moves a finding to index `to` (0-based, clamped) under `theme_id` (`None`: among the
    /// unthemed findings), which may be its own theme or another, and renumbers.
    pub fn move_finding(&mut self, id: &str, theme_id: Option<&str>, to: usize) -> Result<()> {
        let current = self.finding(id)?;
        if let Some(theme) = theme_id {
            ensure_exists(self.db(), Table::Theme, "theme", theme)?;
        }
        self.change(&format!("Move F{}", current.number), |c| {
            if current.theme_id.as_deref() != theme_id {
                let end = next_position(c, Table::Finding, Some(("theme_id", theme_id)))?;
                c.track(Table::Finding, id)?;
                c.execute(
                    "UPDATE finding SET theme_id = ?2, position = ?3 WHERE id = ?1",
                    params![id, theme_id, end],
                )?;
            }
            let mut ids = ordered_ids(c, Table::Finding, Some(("theme_id", theme_id)))?;
            move_within("finding", &mut ids, id, to)?;
            write_positions(c, &ids)?;
            renumber_findings(c)
        })
    }

    /// Deletes a finding with its evidence and ToR links. Refused while recommendations rest on
    /// it, report sections cite it or comments are on it, unless `cascade`, which also removes
    /// the recommendation links and comments (citations in report text are left for the
    /// author to rewrite).
    pub fn delete_finding(&mut self, id: &str, cascade: bool) -> Result<()> {
        let number = number_of(self.db(), id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("F{number}"),
            "this finding",
            FINDING_USES,
            cascade,
        )?;
        self.change(&format!("Delete F{number}"), |c| {
            for link in ids_where(c, Table::EvidenceLink, "finding_id", id)? {
                c.track(Table::EvidenceLink, &link)?;
                c.execute("DELETE FROM evidence_link WHERE id = ?1", [&link])?;
            }
            let tors = ids_where(c, Table::FindingTor, "finding_id", id)?;
            delete_tor_links(c, &tors)?;
            for link in ids_where(c, Table::RecommendationFinding, "finding_id", id)? {
                c.track(Table::RecommendationFinding, &link)?;
                c.execute("DELETE FROM recommendation_finding WHERE id = ?1", [&link])?;
            }
            delete_comments_on(c, id)?;
            c.track(Table::Finding, id)?;
            c.execute("DELETE FROM finding WHERE id = ?1", [id])?;
            renumber_findings(c)
        })
    }

    /// The evidence links of one finding, oldest first.
    pub fn evidence_of(&self, finding_id: &str) -> Result<Vec<EvidenceLink>> {
        ensure_exists(self.db(), Table::Finding, "finding", finding_id)?;
        let mut stmt = self.db().prepare_cached(&format!(
            "{EVIDENCE_SELECT} WHERE finding_id = ?1 ORDER BY rid"
        ))?;
        let links = stmt
            .query_map([finding_id], evidence_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(links)
    }

    /// One evidence link.
    pub fn evidence_link(&self, id: &str) -> Result<EvidenceLink> {
        self.db()
            .query_row(
                &format!("{EVIDENCE_SELECT} WHERE id = ?1"),
                [id],
                evidence_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "evidence link",
                id: id.to_owned(),
            })
    }

    /// Links a finding to an excerpt or chronology entry. Both must exist, and the same target
    /// may back a finding only once (change the existing link's relation instead).
    pub fn link_evidence(
        &mut self,
        finding_id: &str,
        target: EvidenceTarget,
        relation: Relation,
        note: &str,
    ) -> Result<EvidenceLink> {
        let number = number_of(self.db(), finding_id)?;
        let (table, column) = match &target {
            EvidenceTarget::Excerpt(_) => (Table::Excerpt, "excerpt_id"),
            EvidenceTarget::Chronology(_) => (Table::ChronologyEntry, "chronology_id"),
        };
        ensure_exists(self.db(), table, target.describe(), target.id())?;
        let duplicate: bool = self.db().query_row(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM evidence_link WHERE finding_id = ?1 AND {column} = ?2)"
            ),
            [finding_id, target.id()],
            |r| r.get(0),
        )?;
        if duplicate {
            return Err(Error::invalid(
                "target",
                format!(
                    "this {} is already linked to F{number}; edit that link instead",
                    target.describe()
                ),
            ));
        }
        let (excerpt_id, chronology_id) = match &target {
            EvidenceTarget::Excerpt(id) => (Some(id.as_str()), None),
            EvidenceTarget::Chronology(id) => (None, Some(id.as_str())),
        };
        let note = note.trim();
        let id = self.change(&format!("Link evidence to F{number}"), |c| {
            let id = c.new_id();
            c.track(Table::EvidenceLink, &id)?;
            c.execute(
                "INSERT INTO evidence_link (id, finding_id, excerpt_id, chronology_id, relation, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, finding_id, excerpt_id, chronology_id, relation, note],
            )?;
            Ok(id)
        })?;
        self.evidence_link(&id)
    }

    /// Changes how an evidence link bears on its finding, and its note.
    pub fn update_evidence(
        &mut self,
        id: &str,
        relation: Relation,
        note: &str,
    ) -> Result<EvidenceLink> {
        ensure_exists(self.db(), Table::EvidenceLink, "evidence link", id)?;
        let note = note.trim();
        self.change("Edit evidence link", |c| {
            c.track(Table::EvidenceLink, id)?;
            c.execute(
                "UPDATE evidence_link SET relation = ?2, note = ?3 WHERE id = ?1",
                params![id, relation, note],
            )?;
            Ok(())
        })?;
        self.evidence_link(id)
    }

    /// Removes one evidence link; the finding and the evidence itself stay.
    pub fn unlink_evidence(&mut self, id: &str) -> Result<()> {
        let link = self.evidence_link(id)?;
        let number = number_of(self.db(), &link.finding_id)?;
        self.change(&format!("Unlink evidence from F{number}"), |c| {
            c.track(Table::EvidenceLink, id)?;
            c.execute("DELETE FROM evidence_link WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// Records that a finding answers a term of reference. Linking a pair that is already
    /// linked changes nothing (and logs nothing).
    pub fn link_tor(&mut self, finding_id: &str, tor_id: &str) -> Result<()> {
        let number = number_of(self.db(), finding_id)?;
        let tor = self.tor_item(tor_id)?;
        self.change(&format!("Link F{number} to ToR {}", tor.number), |c| {
            insert_tor_link(c, finding_id, tor_id)
        })
    }

    /// Removes the link between a finding and a term of reference; nothing happens when they
    /// are not linked.
    pub fn unlink_tor(&mut self, finding_id: &str, tor_id: &str) -> Result<()> {
        let number = number_of(self.db(), finding_id)?;
        let tor = self.tor_item(tor_id)?;
        self.change(&format!("Unlink F{number} from ToR {}", tor.number), |c| {
            let links: Vec<String> = c
                .prepare_cached("SELECT id FROM finding_tor WHERE finding_id = ?1 AND tor_id = ?2")?
                .query_map([finding_id, tor_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            delete_tor_links(c, &links)
        })
    }

    /// Makes `tor_ids` exactly the terms of reference a finding answers, in one change. Every
    /// id must exist; repeats are ignored.
    pub fn set_finding_tors(&mut self, finding_id: &str, tor_ids: &[String]) -> Result<Finding> {
        let number = number_of(self.db(), finding_id)?;
        for tor in tor_ids {
            ensure_exists(self.db(), Table::TorItem, "term of reference", tor)?;
        }
        self.change(&format!("Set the ToR answered by F{number}"), |c| {
            let existing: Vec<(String, String)> = c
                .prepare_cached("SELECT id, tor_id FROM finding_tor WHERE finding_id = ?1")?
                .query_map([finding_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let stale: Vec<String> = existing
                .into_iter()
                .filter(|(_, tor)| !tor_ids.contains(tor))
                .map(|(id, _)| id)
                .collect();
            delete_tor_links(c, &stale)?;
            for tor in tor_ids {
                insert_tor_link(c, finding_id, tor)?;
            }
            Ok(())
        })?;
        self.finding(finding_id)
    }
}

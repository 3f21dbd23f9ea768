//! Comments: remarks by the author, the chair or a panel member on a record, or on a span of
//! its text, kept as threads (a first comment and its replies) that can be resolved.
//!
//! Who wrote a comment and when come from the open review (its actor and clock), never from
//! the caller, so the record matches the audit log.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{ensure_exists, required, text_enum};
use crate::anchor::{anchor_quote, locate, AnchorPlace};
use crate::change::{Change, Table};
use crate::error::{Error, Result};
use crate::review::Review;

text_enum! {
    /// The kind of record a comment is on. The first eight are named as citation tokens name
    /// them; the rest by their table's name.
    CommentTarget {
        Finding = "finding", Section = "section", Recommendation = "recommendation",
        Excerpt = "excerpt", Chronology = "chronology", Tor = "tor", Source = "source",
        Paragraph = "paragraph", Theme = "theme", Person = "person", Agency = "agency",
        PanelMember = "panel_member", Meeting = "meeting", Action = "action",
    }
}

impl CommentTarget {
    /// The table holding records of this kind.
    pub fn table(self) -> Table {
        match self {
            CommentTarget::Finding => Table::Finding,
            CommentTarget::Section => Table::Section,
            CommentTarget::Recommendation => Table::Recommendation,
            CommentTarget::Excerpt => Table::Excerpt,
            CommentTarget::Chronology => Table::ChronologyEntry,
            CommentTarget::Tor => Table::TorItem,
            CommentTarget::Source => Table::Source,
            CommentTarget::Paragraph => Table::Paragraph,
            CommentTarget::Theme => Table::Theme,
            CommentTarget::Person => Table::Person,
            CommentTarget::Agency => Table::Agency,
            CommentTarget::PanelMember => Table::PanelMember,
            CommentTarget::Meeting => Table::Meeting,
            CommentTarget::Action => Table::Action,
        }
    }

    /// The noun used in messages ("no chronology entry with id …").
    fn noun(self) -> &'static str {
        match self {
            CommentTarget::Finding => "finding",
            CommentTarget::Section => "section",
            CommentTarget::Recommendation => "recommendation",
            CommentTarget::Excerpt => "excerpt",
            CommentTarget::Chronology => "chronology entry",
            CommentTarget::Tor => "term of reference",
            CommentTarget::Source => "source",
            CommentTarget::Paragraph => "paragraph",
            CommentTarget::Theme => "theme",
            CommentTarget::Person => "person",
            CommentTarget::Agency => "agency",
            CommentTarget::PanelMember => "panel member",
            CommentTarget::Meeting => "meeting",
            CommentTarget::Action => "action",
        }
    }
}

/// A span of the target's text, found again by its words rather than offsets (a text-quote
/// selector): the exact words, with a little of what comes before and after, and where they
/// were (see [`crate::anchor`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TextAnchor {
    pub exact: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    /// The character offset the words started at when the anchor was made: among several
    /// equally good places, the nearest wins. Older anchors have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub hint: Option<usize>,
}

/// Who did something, in what role, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Stamp {
    pub name: String,
    pub role: String,
    pub at: DateTime<Utc>,
}

/// One comment; a thread's first comment carries its replies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Comment {
    pub id: String,
    /// The thread's first comment, for a reply.
    pub parent_id: Option<String>,
    pub author: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub target_kind: CommentTarget,
    pub target_id: String,
    pub anchor: Option<TextAnchor>,
    pub body: String,
    /// Whether the thread is closed; only a thread's first comment is ever resolved.
    pub resolved: bool,
    /// Who last resolved or reopened the thread, and when (none if nobody has yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub state_changed: Option<Stamp>,
    /// When the text was last edited (none if never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub edited_at: Option<DateTime<Utc>>,
    /// The replies, oldest first (empty on replies themselves).
    pub replies: Vec<Comment>,
}

/// Which threads [`Review::comments`] returns. Every field left empty matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CommentFilter {
    /// Threads this person took part in (started or replied to), by name, any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub author: Option<String>,
    /// Only resolved threads (`true`) or only open ones (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resolved: Option<bool>,
    /// Only threads on records of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub target_kind: Option<CommentTarget>,
    /// Only threads on this record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub target_id: Option<String>,
}

impl CommentFilter {
    fn matches(&self, thread: &Comment) -> bool {
        if let Some(author) = &self.author {
            let wanted = author.trim().to_lowercase();
            let took_part = std::iter::once(thread)
                .chain(thread.replies.iter())
                .any(|c| c.author.trim().to_lowercase() == wanted);
            if !took_part {
                return false;
            }
        }
        self.resolved.is_none_or(|r| thread.resolved == r)
            && self.target_kind.is_none_or(|k| thread.target_kind == k)
            && self
                .target_id
                .as_deref()
                .is_none_or(|id| thread.target_id == id)
    }
}

/// A thread on a section and where its words are in the section's text now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CommentPosition {
    pub comment: Comment,
    /// Where the anchor's words are in the current text; none for a comment on the whole
    /// section. An orphaned comment keeps its quote in `comment.anchor`.
    pub place: Option<AnchorPlace>,
}

const SELECT: &str = "SELECT id, parent_id, author, role, created_at, target_kind, target_id,
        anchor, body, resolved, state_by, state_role, state_at, edited_at
    FROM comment";

/// Column `i` of `r`, an RFC 3339 time.
fn time_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = r.get(i)?;
    text.map(|t| {
        DateTime::parse_from_rfc3339(&t)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
            })
    })
    .transpose()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Comment> {
    let created_at = time_at(r, 4)?.ok_or(rusqlite::Error::InvalidColumnType(
        4,
        "created_at".into(),
        rusqlite::types::Type::Null,
    ))?;
    let state_changed = match (r.get::<_, Option<String>>(10)?, time_at(r, 12)?) {
        (Some(name), Some(at)) => Some(Stamp {
            name,
            role: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
            at,
        }),
        _ => None,
    };
    let anchor: Option<String> = r.get(7)?;
    Ok(Comment {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        author: r.get(2)?,
        role: r.get(3)?,
        created_at,
        target_kind: r.get(5)?,
        target_id: r.get(6)?,
        // A damaged anchor reads as none: the comment still shows, on the whole record.
        anchor: anchor.and_then(|a| serde_json::from_str(&a).ok()),
        body: r.get(8)?,
        resolved: r.get(9)?,
        state_changed,
        edited_at: time_at(r, 13)?,
        replies: Vec::new(),
    })
}

/// Groups comments (oldest first) into threads: each first comment with its replies.
fn threads(comments: Vec<Comment>) -> Vec<Comment> {
    let parents: HashMap<String, Option<String>> = comments
        .iter()
        .map(|c| (c.id.clone(), c.parent_id.clone()))
        .collect();
    // A reply to a reply (never made here, but possible in a loaded file) joins the root's
    // thread; the walk is bounded so a damaged cycle cannot hang it.
    let root_of = |id: &str| -> String {
        let mut current = id.to_owned();
        for _ in 0..parents.len() {
            match parents.get(&current) {
                Some(Some(parent)) if parents.contains_key(parent) => current = parent.clone(),
                _ => break,
            }
        }
        current
    };
    let mut roots: Vec<Comment> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut replies: Vec<(String, Comment)> = Vec::new();
    for c in comments {
        if c.parent_id.is_none() {
            index.insert(c.id.clone(), roots.len());
            roots.push(c);
        } else {
            replies.push((root_of(&c.id), c));
        }
    }
    for (root, reply) in replies {
        if let Some(&i) = index.get(&root) {
            roots[i].replies.push(reply);
        }
    }
    roots
}

/// The whole row of comment `id` without replies, or `NotFound`.
fn load(conn: &Connection, id: &str) -> Result<Comment> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: "comment",
            id: id.to_owned(),
        })
}

/// Every comment and reply in the review, flat, oldest first.
pub(crate) fn all_comments(conn: &Connection) -> Result<Vec<Comment>> {
    let all = conn
        .prepare_cached(&format!("{SELECT} ORDER BY created_at, rid"))?
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(all)
}

/// The ids of comment `id` and every reply under it, replies last.
fn thread_ids(c: &Change<'_>, id: &str) -> Result<Vec<String>> {
    let ids = c
        .prepare_cached(
            "WITH RECURSIVE thread(id) AS (
                 SELECT ?1
                 UNION SELECT comment.id FROM comment JOIN thread ON comment.parent_id = thread.id)
             SELECT id FROM thread",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

impl Review {
    /// One comment; a thread's first comment comes with its replies.
    pub fn comment(&self, id: &str) -> Result<Comment> {
        let comment = load(self.db(), id)?;
        if comment.parent_id.is_some() {
            return Ok(comment);
        }
        let replies = self
            .db()
            .prepare_cached(&format!(
                "{SELECT} WHERE parent_id = ?1 ORDER BY created_at, rid"
            ))?
            .query_map([id], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Comment { replies, ..comment })
    }

    /// The threads on one record, oldest first, each with its replies in order.
    pub fn comments_on(&self, target_kind: CommentTarget, target_id: &str) -> Result<Vec<Comment>> {
        let all = self
            .db()
            .prepare_cached(&format!(
                "{SELECT} WHERE target_kind = ?1 AND target_id = ?2 ORDER BY created_at, rid"
            ))?
            .query_map(params![target_kind, target_id], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(threads(all))
    }

    /// The threads that pass `filter`, oldest first, each with its replies in order.
    pub fn comments(&self, filter: &CommentFilter) -> Result<Vec<Comment>> {
        let all = match (&filter.target_kind, &filter.target_id) {
            (Some(kind), Some(id)) => self
                .db()
                .prepare_cached(&format!(
                    "{SELECT} WHERE target_kind = ?1 AND target_id = ?2 ORDER BY created_at, rid"
                ))?
                .query_map(params![kind, id], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            _ => self
                .db()
                .prepare_cached(&format!("{SELECT} ORDER BY created_at, rid"))?
                .query_map([], from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        };
        Ok(threads(all)
            .into_iter()
            .filter(|t| filter.matches(t))
            .collect())
    }

    /// The threads on a section, oldest first, each with where its words stand in the
    /// section's current text (see [`crate::anchor::locate`]).
    pub fn comment_positions(&self, section_id: &str) -> Result<Vec<CommentPosition>> {
        let text =
            target_text(self.db(), CommentTarget::Section, section_id)?.ok_or_else(|| {
                Error::NotFound {
                    kind: "section",
                    id: section_id.to_owned(),
                }
            })?;
        Ok(self
            .comments_on(CommentTarget::Section, section_id)?
            .into_iter()
            .map(|comment| CommentPosition {
                place: comment.anchor.as_ref().map(|a| locate(a, &text)),
                comment,
            })
            .collect())
    }

    /// Starts a thread on the one place `quote` stands in the record's text. Refuses a quote
    /// that is not in the text, or is there more than once.
    pub fn comment_on_quote(
        &mut self,
        target_kind: CommentTarget,
        target_id: &str,
        quote: &str,
        body: &str,
    ) -> Result<Comment> {
        let text =
            target_text(self.db(), target_kind, target_id)?.ok_or_else(|| Error::NotFound {
                kind: target_kind.noun(),
                id: target_id.to_owned(),
            })?;
        let anchor = anchor_quote(&text, quote)?;
        self.add_comment(target_kind, target_id, Some(anchor), body)
    }

    /// Every unresolved thread in the review, oldest first.
    pub fn open_comments(&self) -> Result<Vec<Comment>> {
        let all = self
            .db()
            .prepare_cached(&format!("{SELECT} ORDER BY created_at, rid"))?
            .query_map([], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(threads(all).into_iter().filter(|t| !t.resolved).collect())
    }

    /// Starts a thread on a record (or on a span of its text, when `anchor` is given), written
    /// by the review's current actor.
    pub fn add_comment(
        &mut self,
        target_kind: CommentTarget,
        target_id: &str,
        anchor: Option<TextAnchor>,
        body: &str,
    ) -> Result<Comment> {
        required("body", body)?;
        if let Some(a) = &anchor {
            required("anchor", &a.exact)?;
        }
        ensure_exists(
            self.db(),
            target_kind.table(),
            target_kind.noun(),
            target_id,
        )?;
        let anchor = anchor.as_ref().map(serde_json::to_string).transpose()?;
        let at = now_text(self);
        let actor = self.actor().clone();
        let body = body.trim();
        let id = self.change(&format!("Comment on {}", target_kind.noun()), |c| {
            let id = c.new_id();
            c.track(Table::Comment, &id)?;
            c.execute(
                "INSERT INTO comment (id, parent_id, author, role, created_at, target_kind,
                    target_id, anchor, body, resolved)
                 VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
                params![
                    id,
                    actor.name,
                    actor.role,
                    at,
                    target_kind,
                    target_id,
                    anchor,
                    body
                ],
            )?;
            Ok(id)
        })?;
        self.comment(&id)
    }

    /// Replies to a comment. The reply joins the comment's thread, and a resolved thread is
    /// opened again.
    pub fn reply(&mut self, parent_id: &str, body: &str) -> Result<Comment> {
        required("body", body)?;
        let parent = load(self.db(), parent_id)?;
        let root = match &parent.parent_id {
            Some(root) => load(self.db(), root)?,
            None => parent,
        };
        let at = now_text(self);
        let actor = self.actor().clone();
        let body = body.trim();
        let id = self.change("Reply to comment", |c| {
            let id = c.new_id();
            c.track(Table::Comment, &id)?;
            c.execute(
                "INSERT INTO comment (id, parent_id, author, role, created_at, target_kind,
                    target_id, anchor, body, resolved)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, ?8, 0)",
                params![
                    id,
                    root.id,
                    actor.name,
                    actor.role,
                    at,
                    root.target_kind,
                    root.target_id,
                    body
                ],
            )?;
            if root.resolved {
                c.track(Table::Comment, &root.id)?;
                c.execute(
                    "UPDATE comment SET resolved = 0, state_by = ?2, state_role = ?3,
                        state_at = ?4
                     WHERE id = ?1",
                    params![root.id, actor.name, actor.role, at],
                )?;
            }
            Ok(id)
        })?;
        self.comment(&id)
    }

    /// Changes a comment's text.
    pub fn edit_comment(&mut self, id: &str, body: &str) -> Result<Comment> {
        required("body", body)?;
        let old = load(self.db(), id)?;
        let body = body.trim();
        if old.body == body {
            return self.comment(id);
        }
        let at = now_text(self);
        self.change("Edit comment", |c| {
            c.track(Table::Comment, id)?;
            c.execute(
                "UPDATE comment SET body = ?2, edited_at = ?3 WHERE id = ?1",
                params![id, body, at],
            )?;
            Ok(())
        })?;
        self.comment(id)
    }

    /// Marks a thread resolved, or open again. Only a thread's first comment takes this.
    pub fn resolve_comment(&mut self, id: &str, resolved: bool) -> Result<Comment> {
        let comment = load(self.db(), id)?;
        if comment.parent_id.is_some() {
            return Err(Error::invalid(
                "resolved",
                "a reply cannot be resolved on its own; resolve the thread's first comment",
            ));
        }
        if comment.resolved == resolved {
            // Already so: nothing to record, and who resolved it stays as it was.
            return self.comment(id);
        }
        let summary = if resolved {
            "Resolve comment"
        } else {
            "Reopen comment"
        };
        let at = now_text(self);
        let actor = self.actor().clone();
        self.change(summary, |c| {
            c.track(Table::Comment, id)?;
            c.execute(
                "UPDATE comment SET resolved = ?2, state_by = ?3, state_role = ?4, state_at = ?5
                 WHERE id = ?1",
                params![id, resolved, actor.name, actor.role, at],
            )?;
            Ok(())
        })?;
        self.comment(id)
    }

    /// Deletes a comment and every reply under it.
    pub fn delete_comment(&mut self, id: &str) -> Result<()> {
        load(self.db(), id)?;
        self.change("Delete comment", |c| {
            let ids = thread_ids(c, id)?;
            // Replies first, so no comment goes while a reply still points at it.
            for cid in ids.iter().rev() {
                c.track(Table::Comment, cid)?;
                c.execute("DELETE FROM comment WHERE id = ?1", [cid])?;
            }
            Ok(())
        })
    }
}

/// The text a comment's anchor is found in, for records that have one text: a section's body,
/// a finding's statement, a recommendation's text, a paragraph's text, a ToR item's text, an
/// excerpt's quote, a chronology entry's event. `None` when the record does not exist or
/// has no such text.
pub(crate) fn target_text(
    conn: &Connection,
    kind: CommentTarget,
    id: &str,
) -> Result<Option<String>> {
    let sql = match kind {
        CommentTarget::Section => "SELECT body FROM section WHERE id = ?1",
        CommentTarget::Finding => "SELECT statement FROM finding WHERE id = ?1",
        CommentTarget::Recommendation => "SELECT text FROM recommendation WHERE id = ?1",
        CommentTarget::Paragraph => "SELECT text FROM paragraph WHERE id = ?1",
        CommentTarget::Tor => "SELECT text FROM tor_item WHERE id = ?1",
        CommentTarget::Excerpt => "SELECT quote FROM excerpt WHERE id = ?1",
        CommentTarget::Chronology => "SELECT event FROM chronology_entry WHERE id = ?1",
        _ => return Ok(None),
    };
    Ok(conn.query_row(sql, [id], |r| r.get(0)).optional()?)
}

/// The review clock's time, written as the audit log writes it.
pub(crate) fn now_text(review: &Review) -> String {
    review
        .clock
        .now()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

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
/// selector): the exact words, with a little of what comes before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TextAnchor {
    pub exact: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
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
    /// The replies, oldest first (empty on replies themselves).
    pub replies: Vec<Comment>,
}

const SELECT: &str = "SELECT id, parent_id, author, role, created_at, target_kind, target_id,
        anchor, body, resolved
    FROM comment";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Comment> {
    let created: String = r.get(4)?;
    let created_at = DateTime::parse_from_rfc3339(&created)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, e.into())
        })?;
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
                c.execute("UPDATE comment SET resolved = 0 WHERE id = ?1", [&root.id])?;
            }
            Ok(id)
        })?;
        self.comment(&id)
    }

    /// Changes a comment's text.
    pub fn edit_comment(&mut self, id: &str, body: &str) -> Result<Comment> {
        required("body", body)?;
        load(self.db(), id)?;
        let body = body.trim();
        self.change("Edit comment", |c| {
            c.track(Table::Comment, id)?;
            c.execute(
                "UPDATE comment SET body = ?2 WHERE id = ?1",
                params![id, body],
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
        let summary = if resolved {
            "Resolve comment"
        } else {
            "Reopen comment"
        };
        self.change(summary, |c| {
            c.track(Table::Comment, id)?;
            c.execute(
                "UPDATE comment SET resolved = ?2 WHERE id = ?1",
                params![id, resolved],
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

/// The review clock's time, written as the audit log writes it.
fn now_text(review: &Review) -> String {
    review
        .clock
        .now()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

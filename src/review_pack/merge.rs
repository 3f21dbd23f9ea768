//! Merging a return pack into a review: checked in full first, then written in one
//! transaction (one undoable change), or not at all.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection};

use super::{
    bad, OrphanedComment, PackApproval, PackComment, PackImportReport, ReturnPack, MAX_PACK_ITEMS,
    RETURN_PACK_FORMAT, RETURN_PACK_VERSION,
};
use crate::anchor::{locate, AnchorPlace};
use crate::change::{Change, ChangeKind, Table};
use crate::error::Result;
use crate::model::comments::{all_comments, target_text, Comment, TextAnchor};
use crate::review::{review_row_id, Review};

/// Longest name or role, in characters.
const MAX_NAME: usize = 200;
/// Longest comment text, in characters.
const MAX_BODY: usize = 200_000;
/// Longest quote, and longest prefix or suffix, in characters.
const MAX_QUOTE: usize = 20_000;
const MAX_CONTEXT: usize = 1_000;

/// Where a merge reads the text that comments are re-anchored on, and whose edits it takes.
#[derive(Clone, Copy)]
pub(super) struct Source<'a> {
    /// The review holding the text comments are re-anchored on (the file itself for a return
    /// pack; the incoming copy when a whole copy replaces the content).
    pub texts: &'a Connection,
    /// A newer edit or verdict wins whoever made it (a whole copy of the review); otherwise
    /// only the pack maker's own (a return pack).
    pub anyone: bool,
}

/// Everything a merge will write, worked out before the first write.
pub(super) struct Plan<'p> {
    comments: Vec<CommentStep<'p>>,
    approvals: Vec<ApprovalStep<'p>>,
}

impl Plan<'_> {
    pub(super) fn is_empty(&self) -> bool {
        self.comments.is_empty() && self.approvals.is_empty()
    }

    pub(super) fn has_comments(&self) -> bool {
        !self.comments.is_empty()
    }
}

/// What to do with one comment of the pack.
enum CommentStep<'p> {
    Insert(&'p PackComment, Option<TextAnchor>),
    Update {
        pack: &'p PackComment,
        body: bool,
        state: bool,
    },
}

/// What to do with one approval of the pack.
enum ApprovalStep<'p> {
    Insert(&'p PackApproval),
    /// Replace the verdict in the row with this id.
    Update(String, &'p PackApproval),
}

fn time_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// Whether the file has the approvals table (added with issued drafts).
fn has_approvals(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'approval')",
        [],
        |r| r.get(0),
    )?)
}

/// The approvals in the file, all or only those given by `by_name`, in the order they were
/// made. Empty when the file has no approvals table.
pub(super) fn local_approvals(
    conn: &Connection,
    by_name: Option<&str>,
) -> Result<Vec<PackApproval>> {
    if !has_approvals(conn)? {
        return Ok(Vec::new());
    }
    let rows = conn
        .prepare(
            "SELECT id, section_id, draft_id, state, note, text_sha256, by_name, role, at
             FROM approval WHERE ?1 IS NULL OR by_name = ?1 ORDER BY rid",
        )?
        .query_map([by_name], |r| {
            Ok(PackApproval {
                id: r.get(0)?,
                section_id: r.get(1)?,
                draft_id: r.get(2)?,
                state: r.get(3)?,
                note: r.get(4)?,
                text_sha256: r.get(5)?,
                by_name: r.get(6)?,
                role: r.get(7)?,
                at: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Checks every comment of the pack on its own and against the file's comments (by id).
fn check_comments(name: &str, pack: &ReturnPack, local: &HashMap<String, Comment>) -> Result<()> {
    let ids: HashSet<&str> = pack.comments.iter().map(|c| c.id.as_str()).collect();
    if ids.len() != pack.comments.len() {
        return Err(bad(name, "it holds the same comment twice"));
    }
    let in_pack: HashMap<&str, &PackComment> =
        pack.comments.iter().map(|c| (c.id.as_str(), c)).collect();
    for c in &pack.comments {
        let what = |reason: &str| bad(name, format!("comment {} {reason}", c.id));
        if !is_uuid(&c.id) {
            return Err(bad(name, "a comment's id is not a UUID"));
        }
        if !is_uuid(&c.target_id) {
            return Err(what("is on a record whose id is not a UUID"));
        }
        if c.author.trim().is_empty() || c.author.chars().count() > MAX_NAME {
            return Err(what("has no author, or an author name that is too long"));
        }
        if c.role.chars().count() > MAX_NAME {
            return Err(what("has a role that is too long"));
        }
        if c.body.trim().is_empty() || c.body.chars().count() > MAX_BODY {
            return Err(what("has no text, or more text than a comment can have"));
        }
        if let Some(a) = &c.anchor {
            if a.exact.trim().is_empty()
                || a.exact.chars().count() > MAX_QUOTE
                || a.prefix.chars().count() > MAX_CONTEXT
                || a.suffix.chars().count() > MAX_CONTEXT
            {
                return Err(what("has an empty or oversized quote"));
            }
        }
        if let Some(s) = &c.state_changed {
            if s.name.chars().count() > MAX_NAME || s.role.chars().count() > MAX_NAME {
                return Err(what("names who resolved it with a name that is too long"));
            }
        }
        if let Some(parent) = &c.parent_id {
            if parent == &c.id {
                return Err(what("is a reply to itself"));
            }
            let (kind, target) = match (in_pack.get(parent.as_str()), local.get(parent)) {
                (Some(p), _) => (p.target_kind, &p.target_id),
                (None, Some(p)) => (p.target_kind, &p.target_id),
                (None, None) => {
                    return Err(what(
                        "replies to a comment that is neither in the pack nor here",
                    ))
                }
            };
            if kind != c.target_kind || target != &c.target_id {
                return Err(what("is on another record than the comment it replies to"));
            }
            if c.anchor.is_some() {
                return Err(what("is a reply with a quote of its own"));
            }
        }
        if let Some(here) = local.get(&c.id) {
            if here.parent_id != c.parent_id
                || here.target_kind != c.target_kind
                || here.target_id != c.target_id
                || here.author != c.author
                || here.role != c.role
            {
                return Err(what(
                    "differs from the comment with the same id here (its record, thread or \
                     author)",
                ));
            }
        }
    }
    Ok(())
}

fn check_approvals(
    name: &str,
    pack: &ReturnPack,
    approvals: &[PackApproval],
    anyone: bool,
) -> Result<()> {
    let ids: HashSet<&str> = approvals.iter().map(|a| a.id.as_str()).collect();
    if ids.len() != approvals.len() {
        return Err(bad(name, "it holds the same approval twice"));
    }
    for a in approvals {
        let what = |reason: &str| bad(name, format!("approval {} {reason}", a.id));
        if !is_uuid(&a.id) || !is_uuid(&a.section_id) || !is_uuid(&a.draft_id) {
            return Err(bad(name, "an approval's ids are not UUIDs"));
        }
        if a.state != "approved" && a.state != "changes_requested" {
            return Err(what(
                "has a state that is neither approved nor changes requested",
            ));
        }
        if !anyone && a.by_name != pack.made_by.name {
            return Err(what("was given by someone other than the pack's maker"));
        }
        if a.role.chars().count() > MAX_NAME
            || a.note.chars().count() > MAX_BODY
            || a.text_sha256.len() != 64
            || !a.text_sha256.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(what("is damaged"));
        }
        if DateTime::parse_from_rfc3339(&a.at).is_err() {
            return Err(what("has a time that is not a time"));
        }
    }
    Ok(())
}

fn at_of(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

pub(super) fn import(
    review: &mut Review,
    pack: &ReturnPack,
    name: &str,
) -> Result<PackImportReport> {
    let (report, plan) = plan(
        review,
        pack,
        name,
        Source {
            texts: review.db(),
            anyone: false,
        },
    )?;
    if plan.is_empty() {
        return Ok(report);
    }
    let summary = format!("Import comments from {}", pack.made_by.name);
    // Comment rows are tracked, so the import can be undone. Approvals are not rows undo
    // covers (issued drafts and verdicts stay); a pack with only approvals is logged as such.
    let (kind, record_rows) = if !plan.has_comments() && Table::from_name("approval").is_none() {
        (ChangeKind::Load, false)
    } else {
        (ChangeKind::Import, true)
    };
    review.change_as(kind, &summary, record_rows, |c| apply(c, &plan))?;
    Ok(report)
}

/// Checks `pack` against the review and works out what merging it writes.
pub(super) fn plan<'p>(
    review: &Review,
    pack: &'p ReturnPack,
    name: &str,
    source: Source<'_>,
) -> Result<(PackImportReport, Plan<'p>)> {
    // Everything is checked before the first write.
    if pack.format != RETURN_PACK_FORMAT {
        return Err(bad(name, "it is not a Threadline return pack"));
    }
    if pack.version == 0 || pack.version > RETURN_PACK_VERSION {
        return Err(bad(name, "its version is not one this Threadline reads"));
    }
    let here = review_row_id(review.db())?.unwrap_or_default();
    if pack.review_id != here {
        return Err(bad(
            name,
            format!(
                "it comes from another review (review id {}), not this one ({here})",
                pack.review_id
            ),
        ));
    }
    let approvals: &[PackApproval] = pack.approvals.as_deref().unwrap_or(&[]);
    if pack.comments.len() > MAX_PACK_ITEMS || approvals.len() > MAX_PACK_ITEMS {
        return Err(bad(
            name,
            "it holds more comments or approvals than a pack can",
        ));
    }
    if pack.made_by.name.trim().is_empty() || pack.made_by.name.chars().count() > MAX_NAME {
        return Err(bad(name, "it does not say who made it"));
    }
    let local: HashMap<String, Comment> = all_comments(review.db())?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    check_comments(name, pack, &local)?;
    check_approvals(name, pack, approvals, source.anyone)?;

    let mut report = PackImportReport {
        made_by: pack.made_by.name.clone(),
        ..PackImportReport::default()
    };

    // Comments: thread starts before replies, so a reply's thread is always there first.
    let mut ordered: Vec<&PackComment> = pack.comments.iter().collect();
    ordered.sort_by_key(|c| c.parent_id.is_some());
    let mut comment_steps = Vec::new();
    for c in ordered {
        match local.get(&c.id) {
            None => {
                let anchor = match &c.anchor {
                    None => {
                        // A thread on a whole record that is gone is listed too, with no quote.
                        let table = c.target_kind.table().name();
                        let there: bool = source.texts.query_row(
                            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
                            [&c.target_id],
                            |r| r.get(0),
                        )?;
                        if !there && c.parent_id.is_none() {
                            report.orphaned.push(OrphanedComment {
                                comment_id: c.id.clone(),
                                quote: String::new(),
                            });
                        }
                        None
                    }
                    Some(a) => {
                        let text = target_text(source.texts, c.target_kind, &c.target_id)?;
                        match text.as_deref().map(|t| locate(a, t)) {
                            Some(AnchorPlace::Located { start, .. }) => {
                                if a.hint != Some(start) {
                                    report.reanchored += 1;
                                }
                                Some(TextAnchor {
                                    hint: Some(start),
                                    ..a.clone()
                                })
                            }
                            Some(AnchorPlace::Orphaned) | None => {
                                report.orphaned.push(OrphanedComment {
                                    comment_id: c.id.clone(),
                                    quote: a.exact.clone(),
                                });
                                Some(a.clone())
                            }
                        }
                    }
                };
                report.merged += 1;
                comment_steps.push(CommentStep::Insert(c, anchor));
            }
            Some(mine) => {
                // Only the maker's own text, and only a newer edit of it.
                let body = (source.anyone
                    || (c.author == pack.made_by.name && c.role == pack.made_by.role))
                    && c.body != mine.body
                    && c.edited_at.is_some()
                    && c.edited_at > mine.edited_at;
                // A newer resolve or reopen; never one older than the file's own.
                let state = c.parent_id.is_none()
                    && c.state_changed
                        .as_ref()
                        .is_some_and(|s| mine.state_changed.as_ref().is_none_or(|m| s.at > m.at))
                    && (c.resolved != mine.resolved || c.state_changed != mine.state_changed);
                if body || state {
                    report.updated += 1;
                    comment_steps.push(CommentStep::Update {
                        pack: c,
                        body,
                        state,
                    });
                } else {
                    report.unchanged += 1;
                }
            }
        }
    }

    // Approvals: by id, or by the one verdict a person gives a section in a draft.
    let mut approval_steps = Vec::new();
    if !approvals.is_empty() {
        if !has_approvals(review.db())? {
            report
                .skipped
                .push("approvals: this file does not hold approvals yet".to_owned());
        } else {
            let existing = local_approvals(review.db(), None)?;
            for a in approvals {
                // A whole copy brings its drafts along; a return pack needs them here.
                let draft_in = |conn: &Connection| -> Result<bool> {
                    Ok(conn.query_row(
                        "SELECT EXISTS (SELECT 1 FROM draft WHERE id = ?1)",
                        [&a.draft_id],
                        |r| r.get(0),
                    )?)
                };
                let draft_here = draft_in(review.db())? || draft_in(source.texts)?;
                if !draft_here {
                    report.skipped.push(format!(
                        "approval {}: its draft ({}) is not in this file",
                        a.id, a.draft_id
                    ));
                    continue;
                }
                let same = existing.iter().find(|e| {
                    e.id == a.id
                        || (e.section_id == a.section_id
                            && e.draft_id == a.draft_id
                            && e.by_name == a.by_name)
                });
                match same {
                    None => {
                        report.merged += 1;
                        approval_steps.push(ApprovalStep::Insert(a));
                    }
                    Some(e) => {
                        let newer = at_of(&a.at) > at_of(&e.at);
                        let differs = (&e.state, &e.note, &e.text_sha256, &e.role, &e.at)
                            != (&a.state, &a.note, &a.text_sha256, &a.role, &a.at);
                        if newer && differs {
                            report.updated += 1;
                            approval_steps.push(ApprovalStep::Update(e.id.clone(), a));
                        } else {
                            report.unchanged += 1;
                        }
                    }
                }
            }
        }
    }

    Ok((
        report,
        Plan {
            comments: comment_steps,
            approvals: approval_steps,
        },
    ))
}

/// Writes a plan inside the change `c`.
pub(super) fn apply(c: &mut Change<'_>, plan: &Plan<'_>) -> Result<()> {
    // A reply may come before the reply it answers; references are checked at commit.
    c.pragma_update(None, "defer_foreign_keys", "ON")?;
    let approval_table = Table::from_name("approval");
    for step in &plan.comments {
        match step {
            CommentStep::Insert(p, anchor) => {
                let anchor = anchor.as_ref().map(serde_json::to_string).transpose()?;
                c.track(Table::Comment, &p.id)?;
                let stamp = p.state_changed.as_ref();
                c.execute(
                    "INSERT INTO comment (id, parent_id, author, role, created_at,
                        target_kind, target_id, anchor, body, resolved, state_by,
                        state_role, state_at, edited_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                    params![
                        p.id,
                        p.parent_id,
                        p.author,
                        p.role,
                        time_text(&p.created_at),
                        p.target_kind,
                        p.target_id,
                        anchor,
                        p.body,
                        p.resolved && p.parent_id.is_none(),
                        stamp.map(|s| &s.name),
                        stamp.map(|s| &s.role),
                        stamp.map(|s| time_text(&s.at)),
                        p.edited_at.as_ref().map(time_text),
                    ],
                )?;
            }
            CommentStep::Update {
                pack: p,
                body,
                state,
            } => {
                c.track(Table::Comment, &p.id)?;
                if *body {
                    c.execute(
                        "UPDATE comment SET body = ?2, edited_at = ?3 WHERE id = ?1",
                        params![p.id, p.body, p.edited_at.as_ref().map(time_text)],
                    )?;
                }
                if *state {
                    let stamp = p.state_changed.as_ref();
                    c.execute(
                        "UPDATE comment SET resolved = ?2, state_by = ?3, state_role = ?4,
                            state_at = ?5
                         WHERE id = ?1",
                        params![
                            p.id,
                            p.resolved,
                            stamp.map(|s| &s.name),
                            stamp.map(|s| &s.role),
                            stamp.map(|s| time_text(&s.at)),
                        ],
                    )?;
                }
            }
        }
    }
    for step in &plan.approvals {
        let (id, a, insert) = match step {
            ApprovalStep::Insert(a) => (a.id.as_str(), *a, true),
            ApprovalStep::Update(id, a) => (id.as_str(), *a, false),
        };
        if let Some(t) = approval_table {
            c.track(t, id)?;
        }
        if insert {
            c.execute(
                "INSERT INTO approval (id, section_id, draft_id, state, note, text_sha256,
                    by_name, role, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    a.id,
                    a.section_id,
                    a.draft_id,
                    a.state,
                    a.note,
                    a.text_sha256,
                    a.by_name,
                    a.role,
                    a.at
                ],
            )?;
        } else {
            c.execute(
                "UPDATE approval SET state = ?2, note = ?3, text_sha256 = ?4, role = ?5,
                    at = ?6
                 WHERE id = ?1",
                params![id, a.state, a.note, a.text_sha256, a.role, a.at],
            )?;
        }
    }
    Ok(())
}

//! Approvals: a person's verdict on one section as it stood in one issued draft, "approved"
//! or "changes requested", with who, in which role and when. The verdict keeps a hash of the
//! section's text in that draft, so it shows as stale once the section's current text differs.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::change::ChangeKind;
use crate::error::{Error, Result};
use crate::model::text_enum;
use crate::review::Review;

text_enum! {
    /// A verdict on a section.
    ApprovalState { Approved = "approved", ChangesRequested = "changes_requested" }
}

impl ApprovalState {
    /// Reads a state as the command line writes it (`changes-requested` too).
    pub fn from_cli(text: &str) -> Result<ApprovalState> {
        text.trim().to_lowercase().replace('-', "_").parse()
    }
}

/// One verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Approval {
    pub id: String,
    pub section_id: String,
    /// The section's heading in the draft the verdict is on.
    pub heading: String,
    pub draft_id: String,
    pub draft_number: i64,
    pub draft_label: String,
    pub state: ApprovalState,
    pub note: String,
    /// SHA-256 (lowercase hex) of the section's heading and body in that draft.
    pub text_sha256: String,
    /// Who gave the verdict, in which role, when (RFC 3339, UTC).
    pub by: String,
    pub role: String,
    pub at: String,
    /// True when the section's current text differs from the text the verdict is on (or the
    /// section has been deleted since).
    pub stale: bool,
    /// True when the section no longer exists.
    pub section_deleted: bool,
}

/// The hash an approval keeps of a section's text.
pub(crate) fn text_hash(heading: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(heading.as_bytes());
    h.update([0u8]);
    h.update(body.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const SELECT: &str = "SELECT a.id, a.section_id, a.draft_id, d.number, d.label, a.state, a.note,
        a.text_sha256, a.by_name, a.role, a.at, s.heading, s.body
    FROM approval a JOIN draft d ON d.id = a.draft_id LEFT JOIN section s ON s.id = a.section_id";

impl Review {
    /// Records the current person's verdict on section `section_id` as it stood in the issued
    /// draft `draft` (number, id or label). Giving a verdict again on the same section and
    /// draft replaces it. Refused when the section was not in that draft.
    pub fn set_approval(
        &mut self,
        section_id: &str,
        draft: &str,
        state: ApprovalState,
        note: &str,
    ) -> Result<Approval> {
        let d = self.draft(draft)?;
        let section = d
            .snapshot
            .content
            .sections
            .iter()
            .find(|s| s.id == section_id)
            .ok_or_else(|| {
                Error::invalid(
                    "section",
                    format!("{} has no section with id {section_id}", d.info.label),
                )
            })?;
        let hash = text_hash(&section.heading, &section.body);
        let actor = self.actor().clone();
        let at = self
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let existing: Option<String> = self
            .db()
            .query_row(
                "SELECT id FROM approval WHERE section_id = ?1 AND draft_id = ?2 AND by_name = ?3",
                params![section_id, d.info.id, actor.name],
                |r| r.get(0),
            )
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => self.new_id(),
        };
        let summary = match state {
            ApprovalState::Approved => format!("Approve a section of {}", d.info.label),
            ApprovalState::ChangesRequested => {
                format!("Request changes to a section of {}", d.info.label)
            }
        };
        let note = note.trim();
        self.change_as(ChangeKind::Load, &summary, false, |c| {
            c.execute(
                "INSERT INTO approval
                    (id, section_id, draft_id, state, note, text_sha256, by_name, role, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (section_id, draft_id, by_name) DO UPDATE SET
                    state = excluded.state, note = excluded.note,
                    text_sha256 = excluded.text_sha256, role = excluded.role, at = excluded.at",
                params![id, section_id, d.info.id, state, note, hash, actor.name, actor.role, at],
            )?;
            Ok(())
        })?;
        self.approvals()?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| Error::NotFound {
                kind: "approval",
                id,
            })
    }

    /// Every verdict, by draft then by when it was given, each saying whether it is stale.
    pub fn approvals(&self) -> Result<Vec<Approval>> {
        let mut stmt = self
            .db()
            .prepare_cached(&format!("{SELECT} ORDER BY d.number, a.at, a.rid"))?;
        let rows = stmt.query_map([], |r| {
            let current: Option<(String, String)> = match r.get::<_, Option<String>>(11)? {
                Some(h) => Some((h, r.get(12)?)),
                None => None,
            };
            Ok((
                Approval {
                    id: r.get(0)?,
                    section_id: r.get(1)?,
                    heading: String::new(),
                    draft_id: r.get(2)?,
                    draft_number: r.get(3)?,
                    draft_label: r.get(4)?,
                    state: r.get(5)?,
                    note: r.get(6)?,
                    text_sha256: r.get(7)?,
                    by: r.get(8)?,
                    role: r.get(9)?,
                    at: r.get(10)?,
                    stale: false,
                    section_deleted: current.is_none(),
                },
                current,
            ))
        })?;
        let rows: Vec<(Approval, Option<(String, String)>)> =
            rows.collect::<rusqlite::Result<_>>()?;
        // Each draft's sections, read once, for the headings the verdicts were given on.
        let mut drafts: std::collections::HashMap<String, Vec<crate::model::sections::Section>> =
            std::collections::HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for (mut a, current) in rows {
            a.stale = match &current {
                Some((heading, body)) => text_hash(heading, body) != a.text_sha256,
                None => true,
            };
            if !drafts.contains_key(&a.draft_id) {
                let sections = self.draft(&a.draft_id)?.snapshot.content.sections;
                drafts.insert(a.draft_id.clone(), sections);
            }
            a.heading = drafts[&a.draft_id]
                .iter()
                .find(|s| s.id == a.section_id)
                .map(|s| s.heading.clone())
                .unwrap_or_default();
            out.push(a);
        }
        Ok(out)
    }
}

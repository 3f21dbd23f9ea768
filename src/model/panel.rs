//! The review panel: its members (in the order the author lists them) and its meetings (in
//! date order), each meeting recording who attended and what was decided.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{
    count_uses, delete_comments_on, ensure_exists, from_json_list, move_within, next_position,
    ordered_ids, refuse_if_used, required, to_json_list, write_order, Use, COMMENTS_ON,
};
use crate::change::{Change, Table};
use crate::error::{Error, Result};
use crate::review::Review;

/// One member of the review panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PanelMember {
    /// The member's UUID; meetings list attendees by it.
    pub id: String,
    /// Their name as it appears in minutes.
    pub name: String,
    /// Their part on the panel ("independent chair", "designated nurse").
    pub role: String,
    /// The organisation they come from.
    pub organisation: String,
}

/// The editable fields of a [`PanelMember`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PanelMemberInput {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organisation: String,
}

impl From<PanelMember> for PanelMemberInput {
    fn from(m: PanelMember) -> Self {
        PanelMemberInput {
            name: m.name,
            role: m.role,
            organisation: m.organisation,
        }
    }
}

/// One panel meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Meeting {
    /// The meeting's UUID.
    pub id: String,
    /// The day it was held.
    pub date: NaiveDate,
    /// "First panel meeting"; may be empty.
    pub title: String,
    /// The ids of the panel members who attended, in the order given.
    pub attendees: Vec<String>,
    /// What the panel decided, free text.
    pub decisions: String,
}

/// The editable fields of a [`Meeting`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct MeetingInput {
    pub date: NaiveDate,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub attendees: Vec<String>,
    #[serde(default)]
    pub decisions: String,
}

impl From<Meeting> for MeetingInput {
    fn from(m: Meeting) -> Self {
        MeetingInput {
            date: m.date,
            title: m.title,
            attendees: m.attendees,
            decisions: m.decisions,
        }
    }
}

const MEMBER_SELECT: &str = "SELECT id, name, role, organisation FROM panel_member";

fn member_from_row(r: &Row<'_>) -> rusqlite::Result<PanelMember> {
    Ok(PanelMember {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        organisation: r.get(3)?,
    })
}

const MEETING_SELECT: &str = "SELECT id, date, title, attendees, decisions FROM meeting";

fn meeting_from_row(r: &Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        date: r.get(1)?,
        title: r.get(2)?,
        attendees: from_json_list(&r.get::<_, String>(3)?),
        decisions: r.get(4)?,
    })
}

fn validate_member(input: &PanelMemberInput) -> Result<PanelMemberInput> {
    required("name", &input.name)?;
    Ok(PanelMemberInput {
        name: input.name.trim().to_owned(),
        role: input.role.trim().to_owned(),
        organisation: input.organisation.trim().to_owned(),
    })
}

/// Tidies a meeting: attendees must be panel members, each listed once.
fn validate_meeting(review: &Review, input: &MeetingInput) -> Result<MeetingInput> {
    let mut attendees: Vec<String> = Vec::with_capacity(input.attendees.len());
    for raw in &input.attendees {
        let id = raw.trim();
        if attendees.iter().any(|a| a == id) {
            continue;
        }
        let known: bool = review.db().query_row(
            "SELECT EXISTS (SELECT 1 FROM panel_member WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        if !known {
            return Err(Error::invalid(
                "attendees",
                format!("'{id}' is not a panel member of this review"),
            ));
        }
        attendees.push(id.to_owned());
    }
    Ok(MeetingInput {
        date: input.date,
        title: input.title.trim().to_owned(),
        attendees,
        decisions: input.decisions.trim().to_owned(),
    })
}

const ATTENDED: Use = Use {
    sql: "SELECT count(*) FROM meeting WHERE instr(attendees, ?1) > 0",
    singular: "meeting",
    plural: "meetings",
    verb_singular: "lists",
    verb_plural: "list",
};

/// Takes `id` out of the attendee list of every meeting that names it.
fn remove_from_meetings(c: &mut Change<'_>, id: &str) -> Result<()> {
    let meetings: Vec<(String, String)> = c
        .prepare("SELECT id, attendees FROM meeting WHERE instr(attendees, ?1) > 0")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (meeting, attendees) in meetings {
        let kept: Vec<String> = from_json_list(&attendees)
            .into_iter()
            .filter(|a| a != id)
            .collect();
        c.track(Table::Meeting, &meeting)?;
        c.execute(
            "UPDATE meeting SET attendees = ?2 WHERE id = ?1",
            params![meeting, to_json_list(&kept)],
        )?;
    }
    Ok(())
}

impl Review {
    /// Every panel member in their set order.
    pub fn panel_members(&self) -> Result<Vec<PanelMember>> {
        let mut stmt = self
            .db()
            .prepare_cached(&format!("{MEMBER_SELECT} ORDER BY position, rid"))?;
        let members = stmt
            .query_map([], member_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(members)
    }

    /// One panel member.
    pub fn panel_member(&self, id: &str) -> Result<PanelMember> {
        self.db()
            .query_row(
                &format!("{MEMBER_SELECT} WHERE id = ?1"),
                [id],
                member_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "panel member",
                id: id.to_owned(),
            })
    }

    /// Adds a panel member at the end of the list.
    pub fn add_panel_member(&mut self, input: PanelMemberInput) -> Result<PanelMember> {
        let input = validate_member(&input)?;
        let id = self.change("Add panel member", |c| {
            let id = c.new_id();
            let position = next_position(c, Table::PanelMember, None)?;
            c.track(Table::PanelMember, &id)?;
            c.execute(
                "INSERT INTO panel_member (id, position, name, role, organisation)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, position, input.name, input.role, input.organisation],
            )?;
            Ok(id)
        })?;
        self.panel_member(&id)
    }

    /// Changes a panel member's name, role or organisation.
    pub fn update_panel_member(
        &mut self,
        id: &str,
        input: PanelMemberInput,
    ) -> Result<PanelMember> {
        let input = validate_member(&input)?;
        ensure_exists(self.db(), Table::PanelMember, "panel member", id)?;
        self.change("Edit panel member", |c| {
            c.track(Table::PanelMember, id)?;
            c.execute(
                "UPDATE panel_member SET name = ?2, role = ?3, organisation = ?4 WHERE id = ?1",
                params![id, input.name, input.role, input.organisation],
            )?;
            Ok(())
        })?;
        self.panel_member(id)
    }

    /// Moves a panel member to index `to` (0-based, clamped to the end) of the list.
    pub fn move_panel_member(&mut self, id: &str, to: usize) -> Result<()> {
        ensure_exists(self.db(), Table::PanelMember, "panel member", id)?;
        self.change("Reorder panel members", |c| {
            let mut ids = ordered_ids(c, Table::PanelMember, None)?;
            move_within("panel member", &mut ids, id, to)?;
            write_order(c, Table::PanelMember, &ids, false)
        })
    }

    /// Deletes a panel member. Refused while meetings list them as attending or comments are
    /// on them, unless `cascade`, which takes them off those meetings and deletes the comments.
    pub fn delete_panel_member(&mut self, id: &str, cascade: bool) -> Result<()> {
        let member = self.panel_member(id)?;
        if !cascade {
            let mut uses =
                count_uses(self.db(), id, "this panel member as attending", &[ATTENDED])?;
            uses.extend(count_uses(
                self.db(),
                id,
                "this panel member",
                &[COMMENTS_ON],
            )?);
            if !uses.is_empty() {
                return Err(Error::InUse {
                    what: format!("panel member {}", member.name),
                    uses: uses.join("; "),
                });
            }
        }
        self.change(&format!("Delete panel member {}", member.name), |c| {
            remove_from_meetings(c, id)?;
            delete_comments_on(c, id)?;
            c.track(Table::PanelMember, id)?;
            c.execute("DELETE FROM panel_member WHERE id = ?1", [id])?;
            let ids = ordered_ids(c, Table::PanelMember, None)?;
            write_order(c, Table::PanelMember, &ids, false)
        })
    }

    /// Every meeting, earliest first (meetings on the same day in the order they were added).
    pub fn meetings(&self) -> Result<Vec<Meeting>> {
        let mut stmt = self
            .db()
            .prepare_cached(&format!("{MEETING_SELECT} ORDER BY date, rid"))?;
        let meetings = stmt
            .query_map([], meeting_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(meetings)
    }

    /// One meeting.
    pub fn meeting(&self, id: &str) -> Result<Meeting> {
        self.db()
            .query_row(
                &format!("{MEETING_SELECT} WHERE id = ?1"),
                [id],
                meeting_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "meeting",
                id: id.to_owned(),
            })
    }

    /// Records a meeting.
    pub fn add_meeting(&mut self, input: MeetingInput) -> Result<Meeting> {
        let input = validate_meeting(self, &input)?;
        let id = self.change("Add panel meeting", |c| {
            let id = c.new_id();
            c.track(Table::Meeting, &id)?;
            c.execute(
                "INSERT INTO meeting (id, date, title, attendees, decisions)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    id,
                    input.date,
                    input.title,
                    to_json_list(&input.attendees),
                    input.decisions
                ],
            )?;
            Ok(id)
        })?;
        self.meeting(&id)
    }

    /// Changes a meeting's date, title, attendees or decisions.
    pub fn update_meeting(&mut self, id: &str, input: MeetingInput) -> Result<Meeting> {
        ensure_exists(self.db(), Table::Meeting, "meeting", id)?;
        let input = validate_meeting(self, &input)?;
        self.change("Edit panel meeting", |c| {
            c.track(Table::Meeting, id)?;
            c.execute(
                "UPDATE meeting SET date = ?2, title = ?3, attendees = ?4, decisions = ?5
                 WHERE id = ?1",
                params![
                    id,
                    input.date,
                    input.title,
                    to_json_list(&input.attendees),
                    input.decisions
                ],
            )?;
            Ok(())
        })?;
        self.meeting(id)
    }

    /// Deletes a meeting. Refused while comments are on it, unless `cascade`, which deletes
    /// them too.
    pub fn delete_meeting(&mut self, id: &str, cascade: bool) -> Result<()> {
        let meeting = self.meeting(id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("the meeting of {}", meeting.date),
            "this meeting",
            &[COMMENTS_ON],
            cascade,
        )?;
        self.change(&format!("Delete panel meeting of {}", meeting.date), |c| {
            delete_comments_on(c, id)?;
            c.track(Table::Meeting, id)?;
            c.execute("DELETE FROM meeting WHERE id = ?1", [id])?;
            Ok(())
        })
    }
}

//! Review details: the single record that says what this review is (type, board, subjects,
//! key dates, the review and context periods, status).

use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{date_range, from_json_list, text_enum, to_json_list};
use crate::change::Table;
use crate::error::Result;
use crate::review::{review_row_id, Review};

text_enum! {
    /// The statutory kind of review.
    ReviewType { Scr = "scr", Cspr = "cspr", Sar = "sar", Dhr = "dhr", Other = "other" }
}

text_enum! {
    /// Where the review stands.
    ReviewStatus {
        Scoping = "scoping", Gathering = "gathering", Analysis = "analysis", Drafting = "drafting",
        PanelReview = "panel_review", Approved = "approved", Published = "published",
    }
}

/// What this review is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Details {
    pub id: String,
    pub title: String,
    pub review_type: ReviewType,
    pub board: String,
    pub subjects: Vec<String>,
    pub incident_date: Option<NaiveDate>,
    pub decision_date: Option<NaiveDate>,
    pub commissioned_date: Option<NaiveDate>,
    pub first_panel_date: Option<NaiveDate>,
    pub draft_issued_date: Option<NaiveDate>,
    pub published_date: Option<NaiveDate>,
    pub review_period_start: Option<NaiveDate>,
    pub review_period_end: Option<NaiveDate>,
    pub context_period_start: Option<NaiveDate>,
    pub context_period_end: Option<NaiveDate>,
    pub status: ReviewStatus,
}

/// The editable fields of [`Details`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct DetailsInput {
    pub title: String,
    pub review_type: ReviewType,
    pub board: String,
    pub subjects: Vec<String>,
    pub incident_date: Option<NaiveDate>,
    pub decision_date: Option<NaiveDate>,
    pub commissioned_date: Option<NaiveDate>,
    pub first_panel_date: Option<NaiveDate>,
    pub draft_issued_date: Option<NaiveDate>,
    pub published_date: Option<NaiveDate>,
    pub review_period_start: Option<NaiveDate>,
    pub review_period_end: Option<NaiveDate>,
    pub context_period_start: Option<NaiveDate>,
    pub context_period_end: Option<NaiveDate>,
    pub status: ReviewStatus,
}

impl Default for DetailsInput {
    fn default() -> Self {
        DetailsInput {
            title: String::new(),
            review_type: ReviewType::Cspr,
            board: String::new(),
            subjects: Vec::new(),
            incident_date: None,
            decision_date: None,
            commissioned_date: None,
            first_panel_date: None,
            draft_issued_date: None,
            published_date: None,
            review_period_start: None,
            review_period_end: None,
            context_period_start: None,
            context_period_end: None,
            status: ReviewStatus::Scoping,
        }
    }
}

impl From<Details> for DetailsInput {
    fn from(d: Details) -> Self {
        DetailsInput {
            title: d.title,
            review_type: d.review_type,
            board: d.board,
            subjects: d.subjects,
            incident_date: d.incident_date,
            decision_date: d.decision_date,
            commissioned_date: d.commissioned_date,
            first_panel_date: d.first_panel_date,
            draft_issued_date: d.draft_issued_date,
            published_date: d.published_date,
            review_period_start: d.review_period_start,
            review_period_end: d.review_period_end,
            context_period_start: d.context_period_start,
            context_period_end: d.context_period_end,
            status: d.status,
        }
    }
}

impl Review {
    /// Writes the one details row of a new file. Not an undoable edit.
    pub(crate) fn init_details(&mut self) -> Result<()> {
        if review_row_id(self.db())?.is_none() {
            let id = self.new_id();
            self.db()
                .execute("INSERT INTO review (id) VALUES (?1)", [id])?;
        }
        Ok(())
    }

    /// The review's details.
    pub fn details(&self) -> Result<Details> {
        Ok(self.db().query_row(
            "SELECT id, title, review_type, board, subjects, incident_date, decision_date,
                    commissioned_date, first_panel_date, draft_issued_date, published_date,
                    review_period_start, review_period_end, context_period_start,
                    context_period_end, status
             FROM review LIMIT 1",
            [],
            |r| {
                Ok(Details {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    review_type: r.get(2)?,
                    board: r.get(3)?,
                    subjects: from_json_list(&r.get::<_, String>(4)?),
                    incident_date: r.get(5)?,
                    decision_date: r.get(6)?,
                    commissioned_date: r.get(7)?,
                    first_panel_date: r.get(8)?,
                    draft_issued_date: r.get(9)?,
                    published_date: r.get(10)?,
                    review_period_start: r.get(11)?,
                    review_period_end: r.get(12)?,
                    context_period_start: r.get(13)?,
                    context_period_end: r.get(14)?,
                    status: r.get(15)?,
                })
            },
        )?)
    }

    /// Replaces the review's details.
    pub fn update_details(&mut self, input: DetailsInput) -> Result<Details> {
        date_range(
            "review period",
            input.review_period_start,
            input.review_period_end,
        )?;
        date_range(
            "context period",
            input.context_period_start,
            input.context_period_end,
        )?;
        if let (Some(ctx_end), Some(rev_start)) =
            (input.context_period_end, input.review_period_start)
        {
            if ctx_end > rev_start {
                return Err(crate::error::Error::invalid(
                    "context period",
                    format!("ends ({ctx_end}) after the review period starts ({rev_start})"),
                ));
            }
        }
        let id = self.details()?.id;
        self.change("Edit review details", |c| {
            c.track(Table::Review, &id)?;
            c.execute(
                "UPDATE review SET title = ?2, review_type = ?3, board = ?4, subjects = ?5,
                    incident_date = ?6, decision_date = ?7, commissioned_date = ?8,
                    first_panel_date = ?9, draft_issued_date = ?10, published_date = ?11,
                    review_period_start = ?12, review_period_end = ?13,
                    context_period_start = ?14, context_period_end = ?15, status = ?16
                 WHERE id = ?1",
                params![
                    id,
                    input.title.trim(),
                    input.review_type,
                    input.board.trim(),
                    to_json_list(&input.subjects),
                    input.incident_date,
                    input.decision_date,
                    input.commissioned_date,
                    input.first_panel_date,
                    input.draft_issued_date,
                    input.published_date,
                    input.review_period_start,
                    input.review_period_end,
                    input.context_period_start,
                    input.context_period_end,
                    input.status,
                ],
            )?;
            Ok(())
        })?;
        self.details()
    }
}

//! Recommendations and the action plan: numbered R1.. in the author's order, each with where it
//! came from, who must act, when, how success is measured, the board's response, the findings
//! that led to it, and the actions (with dated progress updates) that carry it out.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{
    delete_comments_on, ensure_exists, month_name, month_number, move_within, next_position,
    ordered_ids, refuse_if_used, required, text_enum, write_order, Use, COMMENTS_ON, SECTION_CITES,
};
use crate::change::{Change, Table};
use crate::error::{Error, Result};
use crate::review::Review;

text_enum! {
    /// Who made a recommendation: the overview author, an agency in its IMR, the health
    /// overview, or someone else.
    Origin {
        OverviewAuthor = "overview_author", AgencyImr = "agency_imr",
        HealthOverview = "health_overview", Other = "other",
    }
}

text_enum! {
    /// The safeguarding partnership's answer to a recommendation.
    BoardResponse { Pending = "pending", Accepted = "accepted", Rejected = "rejected" }
}

text_enum! {
    /// Where an action stands (the RAG rating of the action plan).
    ActionStatus {
        NotStarted = "not_started", OnTrack = "on_track", AtRisk = "at_risk",
        Overdue = "overdue", Complete = "complete",
    }
}

// `text_enum!` takes no per-variant attributes, so `#[default]` cannot be used; hence the
// hand-written defaults below.
#[allow(clippy::derivable_impls)]
impl Default for Origin {
    fn default() -> Self {
        Origin::OverviewAuthor
    }
}

#[allow(clippy::derivable_impls)]
impl Default for BoardResponse {
    fn default() -> Self {
        BoardResponse::Pending
    }
}

#[allow(clippy::derivable_impls)]
impl Default for ActionStatus {
    fn default() -> Self {
        ActionStatus::NotStarted
    }
}

/// When a recommendation is due: a day, a month, "immediately", "as a matter of urgency", or
/// not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Due {
    /// No due date set.
    #[default]
    None,
    /// Due by this day.
    Date(NaiveDate),
    /// Due by the end of this month.
    Month { year: i32, month: u32 },
    /// To be done at once.
    Immediately,
    /// "As a matter of urgency": sooner than any date, without one.
    Urgent,
}

/// Parses a whole number made only of ASCII digits, with at most `max_len` of them.
fn digits<T: std::str::FromStr>(s: &str, min_len: usize, max_len: usize) -> Option<T> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A day number written plainly or with an ordinal suffix ("1st", "30th").
fn day_number(s: &str) -> Option<u32> {
    let s = s.to_lowercase();
    let s = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| s.strip_suffix(suffix))
        .unwrap_or(&s);
    digits(s, 1, 2)
}

impl Due {
    /// Reads a due date as people write it: `2021-06-30`, `30/06/2021`, `30 June 2021`,
    /// `June 2021`, `2021-06`, `immediately`, `as a matter of urgency` or `urgent`; blank (or
    /// "none") means no due date.
    pub fn parse(text: &str) -> Result<Due> {
        let trimmed = text.trim();
        let lower = trimmed.to_lowercase();
        let lower = lower.trim_end_matches('.');
        let words: Vec<&str> = lower.split_whitespace().collect();
        let phrase = words.join(" ");
        match phrase.as_str() {
            "" | "none" | "no due date" => return Ok(Due::None),
            "immediately" | "immediate" => return Ok(Due::Immediately),
            "as a matter of urgency" | "urgent" | "urgently" => return Ok(Due::Urgent),
            _ => {}
        }
        let not_real = || Error::invalid("due", format!("'{trimmed}' is not a real date"));
        let parsed = if words.len() == 1 && phrase.contains('-') {
            let parts: Vec<&str> = phrase.split('-').collect();
            match parts.as_slice() {
                [y, m, d] => match (digits(y, 4, 4), digits(m, 1, 2), digits(d, 1, 2)) {
                    (Some(y), Some(m), Some(d)) => Some(Due::Date(
                        NaiveDate::from_ymd_opt(y, m, d).ok_or_else(not_real)?,
                    )),
                    _ => None,
                },
                [y, m] => match (digits(y, 4, 4), digits(m, 1, 2)) {
                    (Some(year), Some(month)) => Some(Due::Month { year, month }),
                    _ => None,
                },
                _ => None,
            }
        } else if words.len() == 1 && phrase.contains('/') {
            let parts: Vec<&str> = phrase.split('/').collect();
            match parts.as_slice() {
                [d, m, y] => match (digits(d, 1, 2), digits(m, 1, 2), digits(y, 4, 4)) {
                    (Some(d), Some(m), Some(y)) => Some(Due::Date(
                        NaiveDate::from_ymd_opt(y, m, d).ok_or_else(not_real)?,
                    )),
                    _ => None,
                },
                [m, y] => match (digits(m, 1, 2), digits(y, 4, 4)) {
                    (Some(month), Some(year)) => Some(Due::Month { year, month }),
                    _ => None,
                },
                _ => None,
            }
        } else {
            match words.as_slice() {
                [m, y] => match (month_number(m), digits(y, 4, 4)) {
                    (Some(month), Some(year)) => Some(Due::Month { year, month }),
                    _ => None,
                },
                [d, m, y] => match (day_number(d), month_number(m), digits(y, 4, 4)) {
                    (Some(d), Some(m), Some(y)) => Some(Due::Date(
                        NaiveDate::from_ymd_opt(y, m, d).ok_or_else(not_real)?,
                    )),
                    _ => None,
                },
                _ => None,
            }
        };
        let due = parsed.ok_or_else(|| {
            Error::invalid(
                "due",
                format!(
                    "'{trimmed}' is not a due date; write a date (2021-06-30 or 30/06/2021), \
                     a month (June 2021), 'immediately' or 'as a matter of urgency'"
                ),
            )
        })?;
        due.check()
    }

    /// Refuses a month that does not exist and years that are not written with four digits.
    pub fn check(self) -> Result<Due> {
        let year = match self {
            Due::Date(d) => d.year(),
            Due::Month { year, month } => {
                if !(1..=12).contains(&month) {
                    return Err(Error::invalid(
                        "due",
                        format!("month {month} does not exist (months run from 1 to 12)"),
                    ));
                }
                year
            }
            Due::None | Due::Immediately | Due::Urgent => return Ok(self),
        };
        if !(1000..=9999).contains(&year) {
            return Err(Error::invalid(
                "due",
                format!("year {year} is out of range (use a four-digit year)"),
            ));
        }
        Ok(self)
    }

    /// The last day by which the recommendation should be done, when there is one (the end of
    /// the month for a month).
    pub fn deadline(self) -> Option<NaiveDate> {
        match self {
            Due::Date(d) => Some(d),
            Due::Month { year, month } => {
                let (y, m) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
            }
            Due::None | Due::Immediately | Due::Urgent => None,
        }
    }

    /// The `due_kind` and `due_date` columns for this value.
    fn to_columns(self) -> (&'static str, Option<String>) {
        match self {
            Due::None => ("none", None),
            Due::Date(d) => ("date", Some(d.format("%Y-%m-%d").to_string())),
            Due::Month { year, month } => ("month", Some(format!("{year:04}-{month:02}"))),
            Due::Immediately => ("immediately", None),
            Due::Urgent => ("urgent", None),
        }
    }

    /// Reads the `due_kind` and `due_date` columns back; `None` when they make no sense.
    fn from_columns(kind: &str, date: Option<&str>) -> Option<Due> {
        match (kind, date) {
            ("none", _) => Some(Due::None),
            ("immediately", _) => Some(Due::Immediately),
            ("urgent", _) => Some(Due::Urgent),
            ("date", Some(d)) => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().map(Due::Date),
            ("month", Some(m)) => {
                let (y, m) = m.split_once('-')?;
                Some(Due::Month {
                    year: y.parse().ok()?,
                    month: m.parse().ok()?,
                })
            }
            _ => None,
        }
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Due::None => f.write_str("No due date"),
            Due::Date(d) => write!(f, "{}", d.format("%-d %B %Y")),
            Due::Month { year, month } => {
                write!(f, "{} {year}", month_name(month))
            }
            Due::Immediately => f.write_str("Immediately"),
            Due::Urgent => f.write_str("As a matter of urgency"),
        }
    }
}

impl std::str::FromStr for Due {
    type Err = Error;
    fn from_str(s: &str) -> Result<Due> {
        Due::parse(s)
    }
}

/// One recommendation, with its linked findings and its actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Recommendation {
    pub id: String,
    /// The human number, "R21".
    pub number: i64,
    pub origin: Origin,
    /// The agency whose IMR made the recommendation.
    pub origin_agency_id: Option<String>,
    /// The agency asked to act.
    pub addressee_agency_id: Option<String>,
    /// The role that owns it within the addressee ("Head of Children's Services").
    pub owner_role: String,
    pub text: String,
    pub due: Due,
    /// How the board will know it worked.
    pub measure: String,
    pub board_response: BoardResponse,
    /// Why the board answered as it did; required when it rejected the recommendation.
    pub response_reason: String,
    /// The findings that led to it, in finding-number order.
    pub finding_ids: Vec<String>,
    /// Its actions in plan order.
    pub actions: Vec<Action>,
}

/// The editable fields of a [`Recommendation`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct RecommendationInput {
    pub origin: Origin,
    pub origin_agency_id: Option<String>,
    pub addressee_agency_id: Option<String>,
    pub owner_role: String,
    pub text: String,
    pub due: Due,
    pub measure: String,
    pub board_response: BoardResponse,
    pub response_reason: String,
}

/// One action of the plan, under one recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Action {
    pub id: String,
    pub recommendation_id: String,
    pub text: String,
    /// Who leads it (a person or role).
    pub lead: String,
    pub due_date: Option<NaiveDate>,
    pub status: ActionStatus,
    /// What shows it was done; required once the action is complete.
    pub completion_evidence: String,
    /// Dated progress notes, oldest first.
    pub updates: Vec<ActionUpdate>,
}

/// The editable fields of an [`Action`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct ActionInput {
    pub text: String,
    pub lead: String,
    pub due_date: Option<NaiveDate>,
    pub status: ActionStatus,
    pub completion_evidence: String,
}

/// A dated note of progress on an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ActionUpdate {
    pub id: String,
    pub action_id: String,
    pub date: NaiveDate,
    pub text: String,
}

/// One line of the action plan: an action with the recommendation it serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PlanItem {
    pub recommendation_id: String,
    pub recommendation_number: i64,
    pub recommendation_text: String,
    pub action: Action,
}

impl Action {
    /// True when the action is not complete and its due date has passed by `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != ActionStatus::Complete && self.due_date.is_some_and(|d| d < today)
    }
}

impl PlanItem {
    /// True when this line's action is not complete and its due date has passed by `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.action.is_overdue(today)
    }
}

const SELECT: &str = "SELECT id, number, origin, origin_agency_id, addressee_agency_id, owner_role,
        text, due_kind, due_date, measure, board_response, response_reason
    FROM recommendation";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Recommendation> {
    let due_kind: String = r.get(7)?;
    let due_date: Option<String> = r.get(8)?;
    let due = Due::from_columns(&due_kind, due_date.as_deref()).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            8,
            rusqlite::types::Type::Text,
            format!("due '{due_kind}' with date {due_date:?} makes no sense").into(),
        )
    })?;
    Ok(Recommendation {
        id: r.get(0)?,
        number: r.get(1)?,
        origin: r.get(2)?,
        origin_agency_id: r.get(3)?,
        addressee_agency_id: r.get(4)?,
        owner_role: r.get(5)?,
        text: r.get(6)?,
        due,
        measure: r.get(9)?,
        board_response: r.get(10)?,
        response_reason: r.get(11)?,
        finding_ids: Vec::new(),
        actions: Vec::new(),
    })
}

/// Blank optional ids count as unset.
fn clean_id(id: &Option<String>) -> Option<String> {
    id.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn validate(conn: &Connection, input: &RecommendationInput) -> Result<RecommendationInput> {
    required("text", &input.text)?;
    let origin_agency_id = clean_id(&input.origin_agency_id);
    let addressee_agency_id = clean_id(&input.addressee_agency_id);
    if input.origin == Origin::AgencyImr && origin_agency_id.is_none() {
        return Err(Error::invalid(
            "origin_agency_id",
            "a recommendation from an agency's IMR needs the agency",
        ));
    }
    if input.board_response == BoardResponse::Rejected && input.response_reason.trim().is_empty() {
        return Err(Error::invalid(
            "response_reason",
            "a rejected recommendation needs the board's reason",
        ));
    }
    let due = input.due.check()?;
    for id in [&origin_agency_id, &addressee_agency_id]
        .into_iter()
        .flatten()
    {
        ensure_exists(conn, Table::Agency, "agency", id)?;
    }
    Ok(RecommendationInput {
        origin: input.origin,
        origin_agency_id,
        addressee_agency_id,
        owner_role: input.owner_role.trim().to_owned(),
        text: input.text.trim().to_owned(),
        due,
        measure: input.measure.trim().to_owned(),
        board_response: input.board_response,
        response_reason: input.response_reason.trim().to_owned(),
    })
}

fn validate_action(input: &ActionInput) -> Result<ActionInput> {
    required("text", &input.text)?;
    if input.status == ActionStatus::Complete && input.completion_evidence.trim().is_empty() {
        return Err(Error::invalid(
            "completion_evidence",
            "a complete action needs the evidence that it was done",
        ));
    }
    Ok(ActionInput {
        text: input.text.trim().to_owned(),
        lead: input.lead.trim().to_owned(),
        due_date: input.due_date,
        status: input.status,
        completion_evidence: input.completion_evidence.trim().to_owned(),
    })
}

const RECOMMENDATION_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM action WHERE recommendation_id = ?1",
        singular: "action",
        plural: "actions",
        verb_singular: "belongs to",
        verb_plural: "belong to",
    },
    SECTION_CITES,
    COMMENTS_ON,
];

const ACTION_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM action_update WHERE action_id = ?1",
        singular: "update",
        plural: "updates",
        verb_singular: "belongs to",
        verb_plural: "belong to",
    },
    COMMENTS_ON,
];

/// Which actions to load.
#[derive(Clone, Copy)]
enum ActionScope<'a> {
    All,
    Recommendation(&'a str),
    One(&'a str),
}

impl<'a> ActionScope<'a> {
    /// The recommendation id and action id to bind as `?1` and `?2`.
    fn bind(self) -> (Option<&'a str>, Option<&'a str>) {
        match self {
            ActionScope::All => (None, None),
            ActionScope::Recommendation(r) => (Some(r), None),
            ActionScope::One(a) => (None, Some(a)),
        }
    }
}

/// Actions (with their updates) in plan order: by recommendation number, then position.
fn load_actions(conn: &Connection, scope: ActionScope<'_>) -> Result<Vec<Action>> {
    let (rec, one) = scope.bind();
    let mut updates: HashMap<String, Vec<ActionUpdate>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT u.id, u.action_id, u.date, u.text FROM action_update u
             JOIN action a ON a.id = u.action_id
             WHERE (?1 IS NULL OR a.recommendation_id = ?1) AND (?2 IS NULL OR a.id = ?2)
             ORDER BY u.date, u.rid",
        )?;
        let rows = stmt.query_map(params![rec, one], |r| {
            Ok(ActionUpdate {
                id: r.get(0)?,
                action_id: r.get(1)?,
                date: r.get(2)?,
                text: r.get(3)?,
            })
        })?;
        for u in rows {
            let u = u?;
            updates.entry(u.action_id.clone()).or_default().push(u);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.recommendation_id, a.text, a.lead, a.due_date, a.status,
                a.completion_evidence
         FROM action a JOIN recommendation r ON r.id = a.recommendation_id
         WHERE (?1 IS NULL OR a.recommendation_id = ?1) AND (?2 IS NULL OR a.id = ?2)
         ORDER BY r.number, r.rid, a.position, a.rid",
    )?;
    let actions = stmt
        .query_map(params![rec, one], |r| {
            Ok(Action {
                id: r.get(0)?,
                recommendation_id: r.get(1)?,
                text: r.get(2)?,
                lead: r.get(3)?,
                due_date: r.get(4)?,
                status: r.get(5)?,
                completion_evidence: r.get(6)?,
                updates: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(actions
        .into_iter()
        .map(|mut a| {
            a.updates = updates.remove(&a.id).unwrap_or_default();
            a
        })
        .collect())
}

/// Fills in the findings and actions of `recs` (all of the review's, or the one `only`).
fn attach(
    conn: &Connection,
    mut recs: Vec<Recommendation>,
    only: Option<&str>,
) -> Result<Vec<Recommendation>> {
    let mut findings: HashMap<String, Vec<String>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT rf.recommendation_id, rf.finding_id FROM recommendation_finding rf
             JOIN finding f ON f.id = rf.finding_id
             WHERE ?1 IS NULL OR rf.recommendation_id = ?1
             ORDER BY f.number, f.rid",
        )?;
        let rows = stmt.query_map([only], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (rec, finding) = row?;
            findings.entry(rec).or_default().push(finding);
        }
    }
    let scope = match only {
        Some(id) => ActionScope::Recommendation(id),
        None => ActionScope::All,
    };
    let mut actions: HashMap<String, Vec<Action>> = HashMap::new();
    for a in load_actions(conn, scope)? {
        actions
            .entry(a.recommendation_id.clone())
            .or_default()
            .push(a);
    }
    for rec in &mut recs {
        rec.finding_ids = findings.remove(&rec.id).unwrap_or_default();
        rec.actions = actions.remove(&rec.id).unwrap_or_default();
    }
    Ok(recs)
}

/// The human number of recommendation `id`, or `NotFound`.
fn rec_number(conn: &Connection, id: &str) -> Result<i64> {
    conn.query_row(
        "SELECT number FROM recommendation WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: "recommendation",
        id: id.to_owned(),
    })
}

/// The recommendation an action belongs to and the action's 1-based place under it.
fn action_place(conn: &Connection, id: &str) -> Result<(String, i64)> {
    let rec: String = conn
        .query_row(
            "SELECT recommendation_id FROM action WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: "action",
            id: id.to_owned(),
        })?;
    let ids = ordered_ids(conn, Table::Action, Some(("recommendation_id", Some(&rec))))?;
    let place = ids.iter().position(|x| x == id).unwrap_or(0) as i64 + 1;
    Ok((rec, place))
}

/// Rewrites positions and numbers of all recommendations to follow their order.
fn renumber(c: &mut Change<'_>) -> Result<()> {
    let ids = ordered_ids(c, Table::Recommendation, None)?;
    write_order(c, Table::Recommendation, &ids, true)
}

/// Deletes every update of action `id`, then the action.
fn remove_action(c: &mut Change<'_>, id: &str) -> Result<()> {
    let updates: Vec<String> = c
        .prepare_cached("SELECT id FROM action_update WHERE action_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for u in &updates {
        c.track(Table::ActionUpdate, u)?;
        c.execute("DELETE FROM action_update WHERE id = ?1", [u])?;
    }
    delete_comments_on(c, id)?;
    c.track(Table::Action, id)?;
    c.execute("DELETE FROM action WHERE id = ?1", [id])?;
    Ok(())
}

impl Review {
    /// All recommendations in order, each with its findings and actions.
    pub fn recommendations(&self) -> Result<Vec<Recommendation>> {
        let recs = self
            .db()
            .prepare_cached(&format!("{SELECT} ORDER BY position, rid"))?
            .query_map([], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        attach(self.db(), recs, None)
    }

    /// One recommendation with its findings and actions.
    pub fn recommendation(&self, id: &str) -> Result<Recommendation> {
        let rec = self
            .db()
            .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "recommendation",
                id: id.to_owned(),
            })?;
        let mut recs = attach(self.db(), vec![rec], Some(id))?;
        Ok(recs.remove(0))
    }

    /// Adds a recommendation at the end of the list.
    pub fn add_recommendation(&mut self, input: RecommendationInput) -> Result<Recommendation> {
        let input = validate(self.db(), &input)?;
        let id = self.change("Add recommendation", |c| {
            let id = c.new_id();
            let position = next_position(c, Table::Recommendation, None)?;
            let (due_kind, due_date) = input.due.to_columns();
            c.track(Table::Recommendation, &id)?;
            c.execute(
                "INSERT INTO recommendation (id, position, number, origin, origin_agency_id,
                    addressee_agency_id, owner_role, text, due_kind, due_date, measure,
                    board_response, response_reason)
                 VALUES (?1, ?2, ?2 + 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    id,
                    position,
                    input.origin,
                    input.origin_agency_id,
                    input.addressee_agency_id,
                    input.owner_role,
                    input.text,
                    due_kind,
                    due_date,
                    input.measure,
                    input.board_response,
                    input.response_reason,
                ],
            )?;
            renumber(c)?;
            Ok(id)
        })?;
        self.recommendation(&id)
    }

    /// Changes a recommendation's fields (not its findings, actions or place).
    pub fn update_recommendation(
        &mut self,
        id: &str,
        input: RecommendationInput,
    ) -> Result<Recommendation> {
        let number = rec_number(self.db(), id)?;
        let input = validate(self.db(), &input)?;
        self.change(&format!("Edit R{number}"), |c| {
            let (due_kind, due_date) = input.due.to_columns();
            c.track(Table::Recommendation, id)?;
            c.execute(
                "UPDATE recommendation SET origin = ?2, origin_agency_id = ?3,
                    addressee_agency_id = ?4, owner_role = ?5, text = ?6, due_kind = ?7,
                    due_date = ?8, measure = ?9, board_response = ?10, response_reason = ?11
                 WHERE id = ?1",
                params![
                    id,
                    input.origin,
                    input.origin_agency_id,
                    input.addressee_agency_id,
                    input.owner_role,
                    input.text,
                    due_kind,
                    due_date,
                    input.measure,
                    input.board_response,
                    input.response_reason,
                ],
            )?;
            Ok(())
        })?;
        self.recommendation(id)
    }

    /// Moves a recommendation to index `to` (0-based) and renumbers them all.
    pub fn move_recommendation(&mut self, id: &str, to: usize) -> Result<()> {
        self.change("Reorder recommendations", |c| {
            let mut ids = ordered_ids(c, Table::Recommendation, None)?;
            move_within("recommendation", &mut ids, id, to)?;
            write_order(c, Table::Recommendation, &ids, true)
        })
    }

    /// Deletes a recommendation and its finding links. Refused while it has actions, report
    /// sections cite it or comments are on it, unless `cascade`, which also removes the actions
    /// (with their updates) and the comments.
    pub fn delete_recommendation(&mut self, id: &str, cascade: bool) -> Result<()> {
        let number = rec_number(self.db(), id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("R{number}"),
            "this recommendation",
            RECOMMENDATION_USES,
            cascade,
        )?;
        self.change(&format!("Delete R{number}"), |c| {
            let actions: Vec<String> = c
                .prepare_cached("SELECT id FROM action WHERE recommendation_id = ?1")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for a in &actions {
                remove_action(c, a)?;
            }
            let links: Vec<String> = c
                .prepare_cached(
                    "SELECT id FROM recommendation_finding WHERE recommendation_id = ?1",
                )?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for link in &links {
                c.track(Table::RecommendationFinding, link)?;
                c.execute("DELETE FROM recommendation_finding WHERE id = ?1", [link])?;
            }
            delete_comments_on(c, id)?;
            c.track(Table::Recommendation, id)?;
            c.execute("DELETE FROM recommendation WHERE id = ?1", [id])?;
            renumber(c)
        })
    }

    /// Makes `finding_ids` exactly the findings linked to a recommendation (duplicates ignored).
    pub fn set_recommendation_findings(
        &mut self,
        id: &str,
        finding_ids: &[String],
    ) -> Result<Recommendation> {
        let number = rec_number(self.db(), id)?;
        let mut wanted: Vec<&str> = Vec::new();
        for f in finding_ids {
            ensure_exists(self.db(), Table::Finding, "finding", f)?;
            if !wanted.contains(&f.as_str()) {
                wanted.push(f);
            }
        }
        self.change(&format!("Link findings to R{number}"), |c| {
            let current: Vec<(String, String)> = c
                .prepare_cached(
                    "SELECT id, finding_id FROM recommendation_finding
                     WHERE recommendation_id = ?1 ORDER BY rid",
                )?
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let have: HashSet<&str> = current.iter().map(|(_, f)| f.as_str()).collect();
            for (link, finding) in &current {
                if !wanted.contains(&finding.as_str()) {
                    c.track(Table::RecommendationFinding, link)?;
                    c.execute("DELETE FROM recommendation_finding WHERE id = ?1", [link])?;
                }
            }
            for finding in &wanted {
                if !have.contains(finding) {
                    insert_link(c, id, finding)?;
                }
            }
            Ok(())
        })?;
        self.recommendation(id)
    }

    /// Links one finding to a recommendation; nothing happens if they are linked already.
    pub fn link_finding(&mut self, recommendation_id: &str, finding_id: &str) -> Result<()> {
        let number = rec_number(self.db(), recommendation_id)?;
        ensure_exists(self.db(), Table::Finding, "finding", finding_id)?;
        self.change(&format!("Link a finding to R{number}"), |c| {
            let linked: bool = c.query_row(
                "SELECT EXISTS (SELECT 1 FROM recommendation_finding
                                WHERE recommendation_id = ?1 AND finding_id = ?2)",
                [recommendation_id, finding_id],
                |r| r.get(0),
            )?;
            if !linked {
                insert_link(c, recommendation_id, finding_id)?;
            }
            Ok(())
        })
    }

    /// Removes the link between a recommendation and a finding; nothing happens if there is
    /// none.
    pub fn unlink_finding(&mut self, recommendation_id: &str, finding_id: &str) -> Result<()> {
        let number = rec_number(self.db(), recommendation_id)?;
        ensure_exists(self.db(), Table::Finding, "finding", finding_id)?;
        self.change(&format!("Unlink a finding from R{number}"), |c| {
            let link: Option<String> = c
                .query_row(
                    "SELECT id FROM recommendation_finding
                     WHERE recommendation_id = ?1 AND finding_id = ?2",
                    [recommendation_id, finding_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(link) = link {
                c.track(Table::RecommendationFinding, &link)?;
                c.execute("DELETE FROM recommendation_finding WHERE id = ?1", [&link])?;
            }
            Ok(())
        })
    }

    /// One action with its updates.
    pub fn action(&self, id: &str) -> Result<Action> {
        load_actions(self.db(), ActionScope::One(id))?
            .pop()
            .ok_or_else(|| Error::NotFound {
                kind: "action",
                id: id.to_owned(),
            })
    }

    /// Adds an action at the end of a recommendation's plan.
    pub fn add_action(&mut self, recommendation_id: &str, input: ActionInput) -> Result<Action> {
        let number = rec_number(self.db(), recommendation_id)?;
        let input = validate_action(&input)?;
        let id = self.change(&format!("Add action to R{number}"), |c| {
            let id = c.new_id();
            let scope = Some(("recommendation_id", Some(recommendation_id)));
            let position = next_position(c, Table::Action, scope)?;
            c.track(Table::Action, &id)?;
            c.execute(
                "INSERT INTO action (id, recommendation_id, position, text, lead, due_date, status,
                    completion_evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    recommendation_id,
                    position,
                    input.text,
                    input.lead,
                    input.due_date,
                    input.status,
                    input.completion_evidence,
                ],
            )?;
            Ok(id)
        })?;
        self.action(&id)
    }

    /// Changes an action's fields (not its updates or place).
    pub fn update_action(&mut self, id: &str, input: ActionInput) -> Result<Action> {
        let (rec, place) = action_place(self.db(), id)?;
        let number = rec_number(self.db(), &rec)?;
        let input = validate_action(&input)?;
        self.change(&format!("Edit action {place} of R{number}"), |c| {
            c.track(Table::Action, id)?;
            c.execute(
                "UPDATE action SET text = ?2, lead = ?3, due_date = ?4, status = ?5,
                    completion_evidence = ?6
                 WHERE id = ?1",
                params![
                    id,
                    input.text,
                    input.lead,
                    input.due_date,
                    input.status,
                    input.completion_evidence,
                ],
            )?;
            Ok(())
        })?;
        self.action(id)
    }

    /// Moves an action to index `to` (0-based) among its recommendation's actions.
    pub fn move_action(&mut self, id: &str, to: usize) -> Result<()> {
        let (rec, _) = action_place(self.db(), id)?;
        let number = rec_number(self.db(), &rec)?;
        self.change(&format!("Reorder actions of R{number}"), |c| {
            let scope = Some(("recommendation_id", Some(rec.as_str())));
            let mut ids = ordered_ids(c, Table::Action, scope)?;
            move_within("action", &mut ids, id, to)?;
            write_order(c, Table::Action, &ids, false)
        })
    }

    /// Deletes an action. Refused while it has updates, unless `cascade`, which removes them.
    pub fn delete_action(&mut self, id: &str, cascade: bool) -> Result<()> {
        let (rec, place) = action_place(self.db(), id)?;
        let number = rec_number(self.db(), &rec)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("action {place} of R{number}"),
            "this action",
            ACTION_USES,
            cascade,
        )?;
        self.change(&format!("Delete action {place} of R{number}"), |c| {
            remove_action(c, id)?;
            let scope = Some(("recommendation_id", Some(rec.as_str())));
            let ids = ordered_ids(c, Table::Action, scope)?;
            write_order(c, Table::Action, &ids, false)
        })
    }

    /// Records a dated progress note on an action.
    pub fn add_action_update(
        &mut self,
        action_id: &str,
        date: NaiveDate,
        text: &str,
    ) -> Result<ActionUpdate> {
        let (rec, place) = action_place(self.db(), action_id)?;
        let number = rec_number(self.db(), &rec)?;
        required("text", text)?;
        let text = text.trim();
        let id = self.change(&format!("Add update to action {place} of R{number}"), |c| {
            let id = c.new_id();
            c.track(Table::ActionUpdate, &id)?;
            c.execute(
                "INSERT INTO action_update (id, action_id, date, text) VALUES (?1, ?2, ?3, ?4)",
                params![id, action_id, date, text],
            )?;
            Ok(id)
        })?;
        Ok(ActionUpdate {
            id,
            action_id: action_id.to_owned(),
            date,
            text: text.to_owned(),
        })
    }

    /// Deletes one progress note.
    pub fn delete_action_update(&mut self, id: &str) -> Result<()> {
        ensure_exists(self.db(), Table::ActionUpdate, "action update", id)?;
        self.change("Delete action update", |c| {
            c.track(Table::ActionUpdate, id)?;
            c.execute("DELETE FROM action_update WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// The whole action plan: every action with its recommendation's number and text, by
    /// recommendation number and then the action's place.
    pub fn action_plan(&self) -> Result<Vec<PlanItem>> {
        let recs: HashMap<String, (i64, String)> = self
            .db()
            .prepare_cached("SELECT id, number, text FROM recommendation")?
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        load_actions(self.db(), ActionScope::All)?
            .into_iter()
            .map(|action| {
                let (number, text) =
                    recs.get(&action.recommendation_id)
                        .cloned()
                        .ok_or_else(|| Error::NotFound {
                            kind: "recommendation",
                            id: action.recommendation_id.clone(),
                        })?;
                Ok(PlanItem {
                    recommendation_id: action.recommendation_id.clone(),
                    recommendation_number: number,
                    recommendation_text: text,
                    action,
                })
            })
            .collect()
    }
}

/// Inserts one recommendation ↔ finding link.
fn insert_link(c: &mut Change<'_>, recommendation_id: &str, finding_id: &str) -> Result<()> {
    let link = c.new_id();
    c.track(Table::RecommendationFinding, &link)?;
    c.execute(
        "INSERT INTO recommendation_finding (id, recommendation_id, finding_id)
         VALUES (?1, ?2, ?3)",
        params![link, recommendation_id, finding_id],
    )?;
    Ok(())
}

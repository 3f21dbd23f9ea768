//! The usual outline of each report, added to an empty document in one undoable change.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::change::Table;
use crate::error::{Error, Result};
use crate::model::sections::{Document, Section};
use crate::review::Review;

/// One section of a default outline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct OutlineSection {
    pub heading: String,
    /// The starting body: subheadings and live blocks, no invented prose.
    pub body: String,
}

/// The sections a new document starts from. The overview report follows the usual shape of a
/// published review; the executive summary is its short form.
pub fn default_outline(document: Document) -> Vec<OutlineSection> {
    let s = |heading: &str, body: &str| OutlineSection {
        heading: heading.to_owned(),
        body: body.to_owned(),
    };
    match document {
        Document::Overview => vec![
            s(
                "Introduction and background",
                "## Reasons for the review\n\n\
                 ## Scope\n\n\
                 ## Terms of reference\n\n\
                 [[block:tor]]\n\n\
                 ## Process\n\n\
                 ## Panel membership\n\n\
                 [[block:panel]]\n",
            ),
            s("Summary of events", ""),
            s("Key issues and themes", ""),
            s("Good practice", ""),
            s("Conclusions", ""),
            s("Recommendations", "[[block:recommendations]]\n"),
        ],
        Document::Summary => vec![
            s("Introduction", ""),
            s("Summary of events", ""),
            s("Key findings", ""),
            s("Recommendations", "[[block:recommendations]]\n"),
        ],
    }
}

impl Review {
    /// Adds the usual sections to `document`, which must have none yet, as one change that a
    /// single undo takes away. Returns the document's sections.
    pub fn add_default_outline(&mut self, document: Document) -> Result<Vec<Section>> {
        let name = crate::search::document_name(document.as_str()).to_lowercase();
        let refuse = |n: usize| {
            Error::invalid(
                "document",
                format!(
                    "the {name} already has {n} section{}; the default outline is only added to an empty document",
                    if n == 1 { "" } else { "s" }
                ),
            )
        };
        let existing = self.sections(document)?.len();
        if existing > 0 {
            return Err(refuse(existing));
        }
        self.change(&format!("Add the default outline of the {name}"), |c| {
            let n: i64 = c.query_row(
                "SELECT count(*) FROM section WHERE document = ?1",
                [document],
                |r| r.get(0),
            )?;
            if n > 0 {
                return Err(refuse(n as usize));
            }
            for (position, s) in default_outline(document).into_iter().enumerate() {
                let id = c.new_id();
                c.track(Table::Section, &id)?;
                c.execute(
                    "INSERT INTO section (id, document, position, heading, body)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, document, position as i64, s.heading, s.body],
                )?;
            }
            Ok(())
        })?;
        self.sections(document)
    }
}

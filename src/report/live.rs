//! Live blocks: parts of a report drawn from the review's records each time it is rendered, so
//! they never go stale. A line holding only `[[block:NAME]]` places one.

use std::collections::HashMap;

use super::{Block, Inline, NumberedItem, Renderer};
use crate::error::Result;
use crate::model::recommendations::{Due, Origin};
use crate::model::sources::{Confidence, SourceKind};
use crate::model::tor::TorKind;

/// The names a live block may have.
pub const LIVE_BLOCKS: [&str; 5] = ["tor", "panel", "agencies", "recommendations", "themes"];

/// A paragraph in italics, for "nothing recorded yet".
fn note(text: &str) -> Block {
    Block::Paragraph {
        content: vec![Inline::italic(text)],
    }
}

impl Renderer<'_> {
    /// A table cell or list item of one review text, empty when the text is blank.
    fn cell(&self, text: &str) -> Vec<Inline> {
        if text.trim().is_empty() {
            Vec::new()
        } else {
            vec![self.published_inline("", text.trim(), false, false)]
        }
    }

    /// The blocks of live block `name`; `None` when there is no such block.
    pub(crate) fn live_block(&mut self, name: &str) -> Result<Option<Vec<Block>>> {
        let blocks = match name {
            "tor" => self.tor_block()?,
            "panel" => self.panel_block()?,
            "agencies" => self.agencies_block()?,
            "recommendations" => self.recommendations_block()?,
            "themes" => self.themes_block()?,
            _ => return Ok(None),
        };
        Ok(Some(blocks))
    }

    /// The terms of reference by number, generic first under headings of their own when both
    /// kinds are present.
    fn tor_block(&mut self) -> Result<Vec<Block>> {
        let items = self.review.tor_items()?;
        if items.is_empty() {
            return Ok(vec![note("No terms of reference have been recorded yet.")]);
        }
        let both = items.iter().any(|t| t.kind == TorKind::Generic)
            && items.iter().any(|t| t.kind == TorKind::CaseSpecific);
        let mut blocks = Vec::new();
        for (kind, title) in [
            (TorKind::Generic, "Generic terms of reference"),
            (TorKind::CaseSpecific, "Case-specific terms of reference"),
        ] {
            let group: Vec<NumberedItem> = items
                .iter()
                .filter(|t| !both || t.kind == kind)
                .map(|t| NumberedItem {
                    id: t.id.clone(),
                    number: t.number,
                    label: format!("{}.", t.number),
                    content: self.cell(&t.text),
                    detail: match t.out_of_scope_reason.as_deref().map(str::trim) {
                        Some(reason) if !reason.is_empty() => {
                            vec![self.published_inline("Out of scope: ", reason, false, true)]
                        }
                        _ => Vec::new(),
                    },
                })
                .collect();
            if group.is_empty() {
                continue;
            }
            if both {
                blocks.push(Block::Heading {
                    level: 3,
                    content: vec![Inline::plain(title)],
                });
            }
            blocks.push(Block::Numbered {
                prefix: String::new(),
                items: group,
            });
            if !both {
                break;
            }
        }
        Ok(blocks)
    }

    /// The panel members as a table.
    fn panel_block(&mut self) -> Result<Vec<Block>> {
        let members = self.review.panel_members()?;
        if members.is_empty() {
            return Ok(vec![note("No panel members have been recorded yet.")]);
        }
        Ok(vec![Block::Table {
            header: vec![
                vec![Inline::plain("Name")],
                vec![Inline::plain("Role")],
                vec![Inline::plain("Organisation")],
            ],
            rows: members
                .iter()
                .map(|m| {
                    vec![
                        self.cell(&m.name),
                        self.cell(&m.role),
                        self.cell(&m.organisation),
                    ]
                })
                .collect(),
        }])
    }

    /// Each agency with the reports it gave the review (the current version of each IMR or
    /// health overview) and the author's confidence in them.
    fn agencies_block(&mut self) -> Result<Vec<Block>> {
        let agencies = self.review.agencies()?;
        if agencies.is_empty() {
            return Ok(vec![note("No agencies have been recorded yet.")]);
        }
        let mut reports: HashMap<String, Vec<_>> = HashMap::new();
        for s in self.review.sources()? {
            let is_report = matches!(s.kind, SourceKind::Imr | SourceKind::HealthOverview);
            if is_report && s.superseded_by_id.is_none() {
                if let Some(a) = s.agency_id.clone() {
                    reports.entry(a).or_default().push(s);
                }
            }
        }
        let mut rows = Vec::new();
        for a in &agencies {
            match reports.get(&a.id) {
                None => rows.push(vec![
                    self.cell(&a.name),
                    vec![Inline::italic("No report")],
                    Vec::new(),
                ]),
                Some(list) => {
                    for s in list {
                        let kind = if s.kind == SourceKind::Imr {
                            "IMR"
                        } else {
                            "Health overview"
                        };
                        let mut report =
                            vec![self.published_inline("", s.title.trim(), false, false)];
                        // Say what kind of report it is unless the title already does.
                        let title = s.title.to_lowercase();
                        let named = if s.kind == SourceKind::Imr {
                            title.contains("imr") || title.contains("management review")
                        } else {
                            title.contains("overview")
                        };
                        if !named {
                            report.push(Inline::plain(format!(" ({kind})")));
                        }
                        let rating = match s.confidence {
                            Confidence::High => "High",
                            Confidence::Medium => "Medium",
                            Confidence::Low => "Low",
                            Confidence::NotRated => "Not rated",
                        };
                        let mut confidence = vec![Inline::bold(rating)];
                        if !s.confidence_reason.trim().is_empty() {
                            confidence.push(self.published_inline(
                                ": ",
                                s.confidence_reason.trim(),
                                false,
                                false,
                            ));
                        }
                        rows.push(vec![self.cell(&a.name), report, confidence]);
                    }
                }
            }
        }
        Ok(vec![Block::Table {
            header: vec![
                vec![Inline::plain("Agency")],
                vec![Inline::plain("Report to the review")],
                vec![Inline::plain("Confidence in the report")],
            ],
            rows,
        }])
    }

    /// The recommendations, grouped by who made them, each group in number order.
    fn recommendations_block(&mut self) -> Result<Vec<Block>> {
        let recs = self.review.recommendations()?;
        if recs.is_empty() {
            return Ok(vec![note("No recommendations have been recorded yet.")]);
        }
        let agencies: HashMap<String, String> = self
            .review
            .agencies()?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let group_title = |origin: Origin, agency: Option<&String>| match origin {
            Origin::OverviewAuthor => "Recommendations of the overview report".to_owned(),
            Origin::AgencyImr => match agency.and_then(|a| agencies.get(a)) {
                Some(name) => format!("Recommendations of the {} IMR", name.trim()),
                None => "Recommendations of agencies' IMRs".to_owned(),
            },
            Origin::HealthOverview => "Recommendations of the health overview".to_owned(),
            Origin::Other => "Other recommendations".to_owned(),
        };
        // Groups in order of their first recommendation.
        let mut groups: Vec<(Inline, Vec<NumberedItem>)> = Vec::new();
        for r in &recs {
            let title = self.published_inline(
                "",
                &group_title(r.origin, r.origin_agency_id.as_ref()),
                false,
                false,
            );
            let mut detail = Vec::new();
            let addressee = r
                .addressee_agency_id
                .as_ref()
                .and_then(|a| agencies.get(a))
                .map(|s| s.trim().to_owned());
            let owner = match (addressee, r.owner_role.trim()) {
                (Some(a), "") => a,
                (Some(a), role) => format!("{role}, {a}"),
                (None, role) => role.to_owned(),
            };
            if !owner.is_empty() {
                detail.push(format!("Owner: {owner}"));
            }
            if r.due != Due::None {
                detail.push(format!("Due: {}", r.due));
            }
            let item = NumberedItem {
                id: r.id.clone(),
                number: r.number,
                label: format!("R{}", r.number),
                content: self.cell(&r.text),
                detail: if detail.is_empty() {
                    Vec::new()
                } else {
                    vec![self.published_inline("", &detail.join(". "), false, true)]
                },
            };
            match groups.iter_mut().find(|(t, _)| *t == title) {
                Some((_, items)) => items.push(item),
                None => groups.push((title, vec![item])),
            }
        }
        let mut blocks = Vec::new();
        for (title, items) in groups {
            blocks.push(Block::Heading {
                level: 3,
                content: vec![title],
            });
            blocks.push(Block::Numbered {
                prefix: "R".into(),
                items,
            });
        }
        Ok(blocks)
    }

    /// Each theme with its summary and findings; findings under no theme come last.
    fn themes_block(&mut self) -> Result<Vec<Block>> {
        let themes = self.review.themes()?;
        let unthemed = self.review.unthemed_findings()?;
        if themes.is_empty() && unthemed.is_empty() {
            return Ok(vec![note("No themes or findings have been recorded yet.")]);
        }
        let mut blocks = Vec::new();
        let mut add =
            |title: &str, summary: &str, findings: Vec<crate::model::findings::Finding>| {
                blocks.push(Block::Heading {
                    level: 3,
                    content: vec![self.published_inline("", title.trim(), false, false)],
                });
                if !summary.trim().is_empty() {
                    blocks.push(Block::Paragraph {
                        content: vec![self.published_inline("", summary.trim(), false, false)],
                    });
                }
                if findings.is_empty() {
                    blocks.push(note("No findings under this theme yet."));
                } else {
                    blocks.push(Block::Numbered {
                        prefix: "F".into(),
                        items: findings
                            .into_iter()
                            .map(|f| NumberedItem {
                                label: format!("F{}", f.number),
                                number: f.number,
                                content: self.cell(&f.statement),
                                detail: Vec::new(),
                                id: f.id,
                            })
                            .collect(),
                    });
                }
            };
        for t in themes {
            let findings = self.review.findings_of_theme(&t.id)?;
            add(&t.title, &t.summary, findings);
        }
        if !unthemed.is_empty() {
            add("Other findings", "", unthemed);
        }
        Ok(blocks)
    }
}

impl crate::review::Review {
    /// The current content of live block `name` on its own, as a section would show it (for
    /// the editor's preview of a block); `None` when there is no such block.
    pub fn live_block(&self, name: &str) -> Result<Option<Vec<Block>>> {
        Renderer::new(self).live_block(name)
    }
}

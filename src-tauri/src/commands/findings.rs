//! Themes, findings, the evidence behind each finding, and the terms of reference it answers.

use threadline::model::findings::{EvidenceLink, EvidenceTarget, Finding, FindingInput, Relation};
use threadline::model::themes::{Theme, ThemeInput};

use super::review_commands;

review_commands! {
    fn themes() -> Vec<Theme> => |r| r.themes();
    fn theme(id: String) -> Theme => |r| r.theme(&id);
    fn add_theme(input: ThemeInput) -> Theme => |r| r.add_theme(input);
    fn update_theme(id: String, input: ThemeInput) -> Theme => |r| r.update_theme(&id, input);
    fn move_theme(id: String, to: usize) -> () => |r| r.move_theme(&id, to);
    fn delete_theme(id: String, cascade: bool) -> () => |r| r.delete_theme(&id, cascade);

    fn findings() -> Vec<Finding> => |r| r.findings();
    fn finding(id: String) -> Finding => |r| r.finding(&id);
    fn findings_of_theme(theme_id: String) -> Vec<Finding> => |r| r.findings_of_theme(&theme_id);
    fn unthemed_findings() -> Vec<Finding> => |r| r.unthemed_findings();
    fn add_finding(input: FindingInput) -> Finding => |r| r.add_finding(input);
    fn update_finding(id: String, input: FindingInput) -> Finding =>
        |r| r.update_finding(&id, input);
    fn move_finding(id: String, theme_id: Option<String>, to: usize) -> () =>
        |r| r.move_finding(&id, theme_id.as_deref(), to);
    fn delete_finding(id: String, cascade: bool) -> () => |r| r.delete_finding(&id, cascade);

    fn evidence_of(finding_id: String) -> Vec<EvidenceLink> => |r| r.evidence_of(&finding_id);
    fn evidence_link(id: String) -> EvidenceLink => |r| r.evidence_link(&id);
    fn link_evidence(finding_id: String, target: EvidenceTarget, relation: Relation, note: String)
        -> EvidenceLink => |r| r.link_evidence(&finding_id, target, relation, &note);
    fn update_evidence(id: String, relation: Relation, note: String) -> EvidenceLink =>
        |r| r.update_evidence(&id, relation, &note);
    fn unlink_evidence(id: String) -> () => |r| r.unlink_evidence(&id);

    fn link_tor(finding_id: String, tor_id: String) -> () => |r| r.link_tor(&finding_id, &tor_id);
    fn unlink_tor(finding_id: String, tor_id: String) -> () =>
        |r| r.unlink_tor(&finding_id, &tor_id);
    fn set_finding_tors(finding_id: String, tor_ids: Vec<String>) -> Finding =>
        |r| r.set_finding_tors(&finding_id, &tor_ids);
}

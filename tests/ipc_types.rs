//! The TypeScript side of the IPC contract: every type a desktop command takes or returns is
//! written by ts-rs into `ui/src/lib/types/` (one file per type), with an `index.ts` that
//! re-exports them all. Running the tests rewrites the folder, so the UI never drifts from the
//! core; a stale `index.ts`, a type missing from the list below, or a file left behind by a
//! removed type fails the run.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ts_rs::{Config, ExportError, TS};

use threadline::anchor::AnchorPlace;
use threadline::backup::{SnapshotInfo, VerifyReport};
use threadline::change::{AuditEntry, AuditRow};
use threadline::checks::{CheckCode, CheckReport, CheckResult, CheckTarget, Severity, TargetKind};
use threadline::context::{Actor, Role};
use threadline::coverage::{CoverageFinding, CoverageMatrix, CoverageRow, CoverageTotals};
use threadline::drafts::{
    Approval, ApprovalState, ChangeStatus, DiffSide, Draft, DraftContent, DraftDiff, DraftInfo,
    DraftRef, DraftSnapshot, FieldChange, RecordDiff, SectionDiff, Segment, SegmentKind,
};
use threadline::export::{ExportDoc, ExportFormat, ExportProgress, ExportRequest};
use threadline::import::chronology::{
    ChronologyImport, ChronologyPreview, ChronologyRow, ColumnMapping, RowProblem, RowStatus,
};
use threadline::import::document::{DocumentImport, ReanchoredExcerpt, UnplacedExcerpt};
use threadline::import::docx::{DocumentComment, DocumentCounts};
use threadline::import::{FileFormat, ImportProgress};
use threadline::links::{
    ChronologyView, Citations, CitedKind, Citing, EvidenceView, ExcerptView, FindingRef, RecRef,
    RecommendationTrace, TorCoverage, TorRef,
};
use threadline::model::agencies::{Agency, AgencyInput};
use threadline::model::chronology::{
    ChronologyEntry, ChronologyFilter, ChronologyInput, DatePrecision, Period, Significance,
};
use threadline::model::comments::{
    Comment, CommentFilter, CommentPosition, CommentTarget, Stamp, TextAnchor,
};
use threadline::model::details::{Details, DetailsInput, ReviewStatus, ReviewType};
use threadline::model::findings::{
    EvidenceLink, EvidenceTarget, Finding, FindingInput, FindingKind, Relation,
};
use threadline::model::panel::{Meeting, MeetingInput, PanelMember, PanelMemberInput};
use threadline::model::people::{Person, PersonCategory, PersonInput};
use threadline::model::recommendations::{
    Action, ActionInput, ActionStatus, ActionUpdate, BoardResponse, Due, Origin, PlanItem,
    Recommendation, RecommendationInput,
};
use threadline::model::sections::{
    Citation, CitationError, CitationKind, CitationScan, Document, Section, SectionInput,
};
use threadline::model::sources::{
    Confidence, Excerpt, Paragraph, ParagraphInput, ParagraphKind, Source, SourceInput, SourceKind,
};
use threadline::model::themes::{Theme, ThemeInput};
use threadline::model::tor::{TorInput, TorItem, TorKind};
use threadline::publication::gate::{LeakHit, LeakKind};
use threadline::publication::suggest::NameSuggestion;
use threadline::publication::{Substituted, Substitution, SubstitutionCount, Unsubstituted};
use threadline::report::{
    Block, CitationStyle, CitedItem, Inline, NumberedItem, OutlineSection, RenderOptions,
    RenderProblem, RenderedDocument, RenderedNote, RenderedSection, SubstitutionMark,
};
use threadline::review::CompactReport;
use threadline::review_pack::{OrphanedComment, PackImportReport, PackWritten};
use threadline::search::{Location, SearchHit, SearchPage, SearchQuery, SnippetPart};
use threadline::stats::{Stats, TableCount};

/// One exported type, reached through plain function pointers so the list can hold them all.
struct Binding {
    name: fn(&Config) -> String,
    file: fn() -> Option<PathBuf>,
    export: fn(&Config) -> Result<(), ExportError>,
    text: fn(&Config) -> Result<String, ExportError>,
}

macro_rules! bindings {
    ($($t:ty),+ $(,)?) => {
        vec![$(Binding {
            name: <$t as TS>::ident,
            file: <$t as TS>::output_path,
            export: <$t as TS>::export_all,
            text: <$t as TS>::export_to_string,
        }),+]
    };
}

/// Every IPC type. A new `#[ts(export)]` type in src/ must be added here (a test checks).
fn all() -> Vec<Binding> {
    bindings![
        // change.rs, context.rs, stats.rs
        AuditEntry,
        AuditRow,
        Actor,
        Role,
        Stats,
        TableCount,
        // model/details.rs
        Details,
        DetailsInput,
        ReviewType,
        ReviewStatus,
        // model/people.rs, agencies.rs, panel.rs
        Person,
        PersonInput,
        PersonCategory,
        Agency,
        AgencyInput,
        PanelMember,
        PanelMemberInput,
        Meeting,
        MeetingInput,
        // model/tor.rs
        TorItem,
        TorInput,
        TorKind,
        // model/sources.rs
        Source,
        SourceInput,
        SourceKind,
        Confidence,
        Paragraph,
        ParagraphInput,
        ParagraphKind,
        Excerpt,
        // model/chronology.rs
        ChronologyEntry,
        ChronologyInput,
        ChronologyFilter,
        DatePrecision,
        Significance,
        Period,
        // model/themes.rs, findings.rs
        Theme,
        ThemeInput,
        Finding,
        FindingInput,
        FindingKind,
        EvidenceLink,
        EvidenceTarget,
        Relation,
        // model/recommendations.rs
        Recommendation,
        RecommendationInput,
        Origin,
        BoardResponse,
        Due,
        Action,
        ActionInput,
        ActionStatus,
        ActionUpdate,
        PlanItem,
        // model/sections.rs, comments.rs
        Section,
        SectionInput,
        Document,
        Citation,
        CitationKind,
        CitationError,
        CitationScan,
        Comment,
        CommentTarget,
        TextAnchor,
        Stamp,
        CommentFilter,
        CommentPosition,
        // anchor.rs, review_pack/
        AnchorPlace,
        OrphanedComment,
        PackImportReport,
        PackWritten,
        // import/
        FileFormat,
        ImportProgress,
        DocumentCounts,
        DocumentComment,
        DocumentImport,
        ReanchoredExcerpt,
        UnplacedExcerpt,
        ColumnMapping,
        RowStatus,
        ChronologyRow,
        ChronologyPreview,
        RowProblem,
        ChronologyImport,
        // search.rs
        SearchQuery,
        SearchPage,
        SearchHit,
        SnippetPart,
        Location,
        // links.rs
        EvidenceView,
        ExcerptView,
        ChronologyView,
        Citations,
        CitedKind,
        Citing,
        FindingRef,
        RecRef,
        TorRef,
        TorCoverage,
        RecommendationTrace,
        // checks.rs, coverage.rs
        CheckReport,
        CheckResult,
        CheckTarget,
        CheckCode,
        Severity,
        TargetKind,
        CoverageMatrix,
        CoverageRow,
        CoverageFinding,
        CoverageTotals,
        // report/, export/
        CitationStyle,
        RenderOptions,
        Inline,
        SubstitutionMark,
        Block,
        NumberedItem,
        RenderedSection,
        CitedItem,
        RenderedNote,
        RenderProblem,
        RenderedDocument,
        OutlineSection,
        ExportDoc,
        ExportFormat,
        ExportRequest,
        ExportProgress,
        // publication/, review.rs
        Substitution,
        Substituted,
        Unsubstituted,
        SubstitutionCount,
        LeakHit,
        LeakKind,
        CompactReport,
        // backup.rs
        SnapshotInfo,
        VerifyReport,
        NameSuggestion,
        // drafts/
        DraftInfo,
        Draft,
        DraftContent,
        DraftSnapshot,
        DraftRef,
        DraftDiff,
        DiffSide,
        SectionDiff,
        Segment,
        SegmentKind,
        ChangeStatus,
        RecordDiff,
        FieldChange,
        Approval,
        ApprovalState,
    ]
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn types_dir() -> PathBuf {
    root().join("ui/src/lib/types")
}

/// The same settings `.cargo/config.toml` gives the `#[ts(export)]` tests in the library, set
/// explicitly so this file writes the same bindings wherever cargo was started.
fn config() -> Config {
    Config::new()
        .with_out_dir(types_dir())
        .with_large_int("number")
}

/// The `.ts` files in the types folder other than the index, by file stem, sorted.
fn generated_stems() -> BTreeSet<String> {
    fs::read_dir(types_dir())
        .expect("types folder readable")
        .map(|e| e.expect("folder entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ts"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|s| s != "index")
        .collect()
}

fn index_text(stems: &BTreeSet<String>) -> String {
    let mut out = String::from(
        "// Generated by tests/ipc_types.rs from the files beside it: every IPC type of the core.\n\
         // Do not edit by hand; `cargo test` rewrites it.\n",
    );
    for s in stems {
        out.push_str(&format!("export type {{ {s} }} from './{s}';\n"));
    }
    out
}

#[test]
fn bindings_are_written_and_the_index_is_current() {
    let cfg = config();
    for b in all() {
        (b.export)(&cfg).unwrap_or_else(|e| panic!("exporting {}: {e}", (b.name)(&cfg)));
    }

    let stems = generated_stems();
    let wanted = index_text(&stems);
    let path = types_dir().join("index.ts");
    let before = fs::read_to_string(&path).unwrap_or_default();
    if before != wanted {
        fs::write(&path, &wanted).expect("index.ts written");
    }
    assert!(
        before == wanted,
        "ui/src/lib/types/index.ts was out of date and has been rewritten; run the tests again \
         and commit the types folder"
    );
}

#[test]
fn every_exported_type_in_src_is_listed() {
    let cfg = config();
    let listed: BTreeSet<String> = all().iter().map(|b| (b.name)(&cfg)).collect();
    let mut declared = BTreeSet::new();
    scan_exports(&root().join("src"), &mut declared);
    let missing: Vec<_> = declared.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "types with #[ts(export)] (or declared with text_enum!) missing from tests/ipc_types.rs: {missing:?}"
    );
    let unknown: Vec<_> = listed.difference(&declared).collect();
    assert!(
        unknown.is_empty(),
        "listed but not found in src/: {unknown:?}"
    );
}

#[test]
fn no_file_is_left_over_from_a_removed_type() {
    let listed: BTreeSet<String> = all()
        .iter()
        .map(|b| {
            let file = (b.file)().expect("exported types have a file");
            file.file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    if !types_dir().exists() {
        return; // the writing test has not run yet in this checkout
    }
    let extra: Vec<_> = generated_stems()
        .into_iter()
        .filter(|s| !listed.contains(s))
        .collect();
    assert!(
        extra.is_empty(),
        "ui/src/lib/types holds files no listed type writes (delete them, or list the type): {extra:?}"
    );
}

#[test]
fn library_export_settings_match() {
    // The `#[ts(export)]` tests inside the library read their settings from the environment,
    // which `.cargo/config.toml` sets; they must write exactly what this file writes.
    let env = Config::from_env();
    assert_eq!(
        env.large_int(),
        "number",
        "TS_RS_LARGE_INT must be \"number\" (see .cargo/config.toml)"
    );
    let dir = std::path::absolute(env.out_dir()).expect("absolute path");
    assert_eq!(
        dir,
        types_dir(),
        "TS_RS_EXPORT_DIR must point at ui/src/lib/types (see .cargo/config.toml)"
    );
}

#[test]
fn numbers_dates_and_enums_come_out_as_the_ui_uses_them() {
    let cfg = config();
    for b in all() {
        let text = (b.text)(&cfg).expect("bindings render");
        assert!(
            !text.contains("bigint"),
            "{} uses bigint:\n{text}",
            (b.name)(&cfg)
        );
    }
    let text = |t: fn(&Config) -> Result<String, ExportError>| t(&cfg).expect("renders");

    // Text enums are unions of their stored values.
    assert!(text(TorKind::export_to_string)
        .contains(r#"export type TorKind = "generic" | "case_specific";"#));
    assert!(text(ActionStatus::export_to_string).contains(
        r#"export type ActionStatus = "not_started" | "on_track" | "at_risk" | "overdue" | "complete";"#
    ));
    // Tagged enums follow their serde tags.
    assert!(text(EvidenceTarget::export_to_string).contains(
        r#"export type EvidenceTarget = { "kind": "excerpt", "id": string } | { "kind": "chronology", "id": string };"#
    ));
    let due = text(Due::export_to_string);
    assert!(
        due.contains(r#"{ "kind": "date", "value": string }"#),
        "{due}"
    );
    assert!(
        due.contains(r#"{ "kind": "month", "value": { year: number, month: number, } }"#),
        "{due}"
    );
    // Dates and times are strings; integers are numbers; JSON rows are plain objects.
    let entry = text(ChronologyEntry::export_to_string);
    assert!(entry.contains("date: string"), "{entry}");
    assert!(entry.contains("end_date: string | null"), "{entry}");
    assert!(entry.contains("seq: number"), "{entry}");
    assert!(text(Comment::export_to_string).contains("created_at: string"));
    assert!(text(Stats::export_to_string).contains("file_bytes: number"));
    assert!(text(SearchQuery::export_to_string).contains("limit: number"));
    assert!(text(AuditRow::export_to_string)
        .contains("before: Record<string, unknown> | null, after: Record<string, unknown> | null"));
}

/// Collects the names of the types src/ exports: those under `#[ts(export)]` and those
/// declared through `text_enum!` (which derives and exports inside the macro).
fn scan_exports(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in fs::read_dir(dir).expect("src readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            scan_exports(&path, out);
            continue;
        }
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("source readable");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            let after = &lines[i + 1..];
            if *line == "#[ts(export)]" {
                let decl = after
                    .iter()
                    .find(|l| !l.starts_with("#[") && !l.starts_with("//"));
                let name = decl.and_then(|l| {
                    l.strip_prefix("pub struct ")
                        .or_else(|| l.strip_prefix("pub enum "))
                });
                if let Some(name) = name.map(identifier).filter(|n| !n.is_empty()) {
                    out.insert(name);
                }
            } else if *line == "text_enum! {" {
                let decl = after
                    .iter()
                    .find(|l| !l.starts_with("#[") && !l.starts_with("//"));
                if let Some(name) = decl.map(|l| identifier(l)).filter(|n| !n.is_empty()) {
                    out.insert(name);
                }
            }
        }
    }
}

/// The identifier at the start of `s` (empty when `s` starts otherwise, as with `$name`).
fn identifier(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

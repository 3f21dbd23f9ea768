//! Publication: the Child S executive summary with invented real names planted back in, the
//! publication export read back with python-docx and by unzipping, the leak gate catching
//! names and identifying patterns that substitution cannot reach, and compaction leaving no
//! trace of a replaced name in the file or its WAL.

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use threadline::export::{
    export, export_to_file, publication_hits, ExportDoc, ExportFormat, ExportRequest,
};
use threadline::model::panel::PanelMemberInput;
use threadline::model::people::{Person, PersonCategory, PersonInput};
use threadline::model::sections::{Document, SectionInput};
use threadline::model::sources::{ParagraphInput, SourceInput, SourceKind};
use threadline::publication::gate::{self, LeakKind};
use threadline::publication::Pseudonymiser;
use threadline::report::{Block, Inline, RenderOptions, RenderedDocument, SubstitutionMark};
use threadline::{Error, Review};

use crate::common::{corpus, fresh, Fixture};

/// The invented real names planted for each of the summary's pseudonyms.
const PLANTED: [(&str, &str, PersonCategory, &[&str]); 7] = [
    (
        "Child S",
        "Laura Pennington",
        PersonCategory::Person,
        &["Lolly"],
    ),
    ("Infant A", "Tyler Brookes", PersonCategory::Person, &[]),
    ("Adult B", "Donna Hollis", PersonCategory::Person, &[]),
    ("Sibling 3", "Kayleigh Marsh", PersonCategory::Person, &[]),
    (
        "School1",
        "Oakfield Academy",
        PersonCategory::Organisation,
        &[],
    ),
    (
        "College1",
        "Thornbury College",
        PersonCategory::Organisation,
        &[],
    ),
    (
        "Project1",
        "Haven Project",
        PersonCategory::Organisation,
        &[],
    ),
];

/// Words that must never appear in a publication export (each a real name or part of one).
const REAL_WORDS: [&str; 13] = [
    "laura",
    "pennington",
    "lolly",
    "tyler",
    "brookes",
    "donna",
    "hollis",
    "kayleigh",
    "marsh",
    "oakfield",
    "thornbury",
    "haven",
    "rose ",
];

/// The executive summary with the real names put back where the pseudonyms stand.
fn planted_summary() -> String {
    let text = std::fs::read_to_string(corpus("child-s-executive-summary.txt"))
        .expect("the Child S executive summary in ../shared/corpus");
    let mut text = text
        .replace("Child S's", "Laura's")
        .replace("Child S' ", "Laura's ");
    for (pseudonym, real, _, _) in PLANTED {
        text = text.replace(pseudonym, real);
    }
    text
}

fn entry(real: &str, pseudonym: &str, category: PersonCategory, aliases: &[&str]) -> PersonInput {
    PersonInput {
        category,
        real_name: real.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        pseudonym: pseudonym.into(),
        role: String::new(),
        relation: String::new(),
        safe_to_name: false,
    }
}

fn register(r: &mut Review) {
    for (pseudonym, real, category, aliases) in PLANTED {
        r.add_person(entry(real, pseudonym, category, aliases))
            .unwrap();
    }
    // A one-word name that is also the start of a place name.
    r.add_person(entry("Rose", "Adult C", PersonCategory::Person, &[]))
        .unwrap();
}

fn section(r: &mut Review, heading: &str, body: &str) -> String {
    r.add_section(SectionInput {
        document: Document::Overview,
        heading: heading.into(),
        body: body.into(),
    })
    .unwrap()
    .id
}

/// A paragraph of the planted summary that starts with `starts`.
fn paragraph_starting<'a>(text: &'a str, starts: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(starts))
        .unwrap_or_else(|| panic!("no line starting {starts:?}"))
        .trim()
}

/// The Child S review with real names planted in a section body, a Markdown table, a
/// footnote, a quoted excerpt, the panel live block and a heading.
fn planted_case() -> Fixture {
    let text = planted_summary();
    let mut f = fresh();
    let r = &mut f.review;
    register(r);
    let source = r
        .import_text(
            SourceInput {
                kind: SourceKind::PriorReview,
                title: "Executive summary".into(),
                ..SourceInput::default()
            },
            &text,
        )
        .unwrap();
    let ps = r.paragraphs(&source.id, 0, 10_000).unwrap();
    let college = ps
        .iter()
        .find(|p| p.text.contains("Thornbury College"))
        .expect("the College1 paragraph");
    let at = college.text.find("as in the case of").unwrap();
    let start = college.text[..at].chars().count();
    let end = college.text.chars().count();
    let excerpt = r.add_excerpt(&college.id, start, end, "").unwrap();
    r.add_panel_member(PanelMemberInput {
        name: "Kayleigh Marsh".into(),
        role: "Family liaison (test plant)".into(),
        organisation: "Oakfield Academy".into(),
    })
    .unwrap();
    let intro = paragraph_starting(&text, "This Serious Case Review looks at");
    let family = paragraph_starting(&text, "Laura's Mother Donna Hollis");
    let school = paragraph_starting(&text, "Her behaviour at school");
    let project = paragraph_starting(&text, "3. The Strategic Director");
    section(
        r,
        "Introduction: LAURA PENNINGTON",
        &format!(
            "{intro}\n\n{family}[^fam]\n\nShe lived near the Rosebank estate and knew Rose well; \
             Rose's flat was close by.\n\n[^fam]: Donna Hollis and Tyler Brookes were told on \
             the same day; Kayleigh Marsh's statement followed.\n"
        ),
    );
    section(
        r,
        "Education",
        &format!(
            "{school}\n\nAs the college said: [[excerpt:{}]]\n\n\
             | Who | Setting |\n|---|---|\n| Lolly | Oakfield Academy |\n| Tyler Brookes | Haven Project |\n",
            excerpt.id
        ),
    );
    section(r, "Recommendations", &format!("{project}\n"));
    section(r, "Panel", "[[block:panel]]\n");
    f
}

/// The XML parts of a .docx, by name, in order.
fn parts(docx: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip file");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (name, s)
        })
        .collect()
}

/// All text python-docx reads from a Word file: paragraphs, table cells, core properties.
fn python_docx_text(path: &Path) -> String {
    let script = r#"
import docx, sys
d = docx.Document(sys.argv[1])
out = [p.text for p in d.paragraphs]
for t in d.tables:
    for row in t.rows:
        for cell in row.cells:
            out.append(cell.text)
cp = d.core_properties
out += [cp.author or '', cp.title or '', cp.subject or '', cp.comments or '', cp.keywords or '', cp.last_modified_by or '']
print('\n'.join(out))
"#;
    let out = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3 with python-docx (apt python3-docx) must be installed");
    assert!(
        out.status.success(),
        "python-docx could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn publication(doc: ExportDoc, format: ExportFormat) -> ExportRequest {
    ExportRequest::new(doc, format).for_publication()
}

fn leaks(result: threadline::Result<Vec<u8>>) -> Vec<gate::LeakHit> {
    match result {
        Err(Error::Leaks { hits }) => hits,
        Err(e) => panic!("expected a leak refusal, got {e}"),
        Ok(_) => panic!("expected a leak refusal, but the export succeeded"),
    }
}

#[test]
fn the_publication_docx_of_the_planted_child_s_review_holds_every_pseudonym_and_no_real_name() {
    let f = planted_case();
    // The internal export carries the planted names, so the test below can fail.
    let internal = export(
        &f.review,
        &ExportRequest::new(ExportDoc::Overview, ExportFormat::Docx),
        &mut |_| {},
    )
    .unwrap();
    let internal_text: String = parts(&internal)
        .into_iter()
        .map(|(_, t)| t)
        .collect::<String>()
        .to_lowercase();
    for word in [
        "laura pennington",
        "donna hollis",
        "thornbury college",
        "lolly",
    ] {
        assert!(internal_text.contains(word), "{word} planted");
    }

    let path = f.dir.path().join("published.docx");
    export_to_file(
        &f.review,
        &publication(ExportDoc::Overview, ExportFormat::Docx),
        &path,
        false,
        &mut |_| {},
    )
    .unwrap();
    let bytes = std::fs::read(&path).unwrap();

    // Every part, as raw XML: no real name anywhere, properties included.
    for (name, xml) in parts(&bytes) {
        let lower = xml.to_lowercase();
        for word in REAL_WORDS {
            assert!(!lower.contains(word), "{word:?} in {name}");
        }
    }
    let all: String = parts(&bytes).into_iter().map(|(_, t)| t).collect();
    let footnotes = parts(&bytes)
        .into_iter()
        .find(|(n, _)| n == "word/footnotes.xml")
        .unwrap()
        .1
        .replace("&#39;", "'");
    assert!(
        footnotes.contains("Adult B and Infant A were told"),
        "{footnotes}"
    );
    assert!(footnotes.contains("Sibling 3's statement"), "{footnotes}");
    assert!(
        footnotes.contains("College1"),
        "the quoted excerpt's footnote"
    );
    let core = parts(&bytes)
        .into_iter()
        .find(|(n, _)| n == "docProps/core.xml")
        .unwrap()
        .1;
    assert!(
        core.contains("<dc:description>Publication version"),
        "{core}"
    );

    // python-docx reads it on its own.
    let text = python_docx_text(&path);
    let lower = text.to_lowercase();
    for word in REAL_WORDS {
        assert!(!lower.contains(word), "{word:?} read back by python-docx");
    }
    for pseudonym in [
        "Child S",
        "Infant A",
        "Adult B",
        "Sibling 3",
        "School1",
        "Project1",
        "Adult C",
    ] {
        assert!(
            text.contains(pseudonym),
            "{pseudonym} missing from the text"
        );
    }
    assert!(all.contains("College1"));
    assert!(
        text.contains("CHILD S"),
        "the shouted heading keeps its capitals"
    );
    assert!(text.contains("Child S's Mother Adult B"), "possessive kept");
    assert!(
        text.contains("Rosebank estate"),
        "Rose never touches Rosebank"
    );
    assert!(text.contains("Adult C's flat"));
    // The table from Markdown and the panel live block.
    assert!(text.contains("Child S\n") || text.contains("Child S"));
    assert!(text.contains("School1"));
}

#[test]
fn internal_rendering_is_unchanged_and_publication_rendering_reports_each_substitution() {
    let f = planted_case();
    let default = f
        .review
        .render_document(Document::Overview, &RenderOptions::default())
        .unwrap();
    assert!(default.substitutions.is_empty());
    let json = serde_json::to_string(&default).unwrap();
    assert!(json.contains("Laura Pennington") && json.contains("Lolly"));
    assert!(
        !json.contains("substitutions") && !json.contains("unsubstituted"),
        "an internal render serialises as before"
    );
    let published = f
        .review
        .render_document(
            Document::Overview,
            &RenderOptions {
                publication: true,
                ..RenderOptions::default()
            },
        )
        .unwrap();
    let json = serde_json::to_string(&published.sections)
        .unwrap()
        .to_lowercase();
    for word in REAL_WORDS {
        assert!(!json.contains(word), "{word}");
    }
    let lolly = published
        .substitutions
        .iter()
        .find(|s| s.original == "Lolly")
        .expect("the alias in the table is reported");
    assert_eq!(lolly.replacement, "Child S");
    assert!(published.unsubstituted.is_empty());
}

/// Every run of text in `blocks` with its marks, in reading order.
fn marked_runs(blocks: &[Block], out: &mut Vec<(String, Vec<SubstitutionMark>)>) {
    let inlines = |content: &[Inline], out: &mut Vec<(String, Vec<SubstitutionMark>)>| {
        for i in content {
            if let Inline::Text {
                text,
                substitutions,
                ..
            } = i
            {
                out.push((text.clone(), substitutions.clone()));
            }
        }
    };
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph { content } => inlines(content, out),
            Block::List { items, .. } => items.iter().for_each(|item| marked_runs(item, out)),
            Block::Quote { blocks } => marked_runs(blocks, out),
            Block::Table { header, rows } => header
                .iter()
                .chain(rows.iter().flatten())
                .for_each(|cell| inlines(cell, out)),
            Block::Numbered { items, .. } => items.iter().for_each(|item| {
                inlines(&item.content, out);
                inlines(&item.detail, out);
            }),
            Block::Rule => {}
        }
    }
}

/// Every run of a rendered document (section headings, bodies, footnotes) with its marks.
fn all_marked_runs(doc: &RenderedDocument) -> Vec<(String, Vec<SubstitutionMark>)> {
    let mut out = Vec::new();
    for s in &doc.sections {
        out.push((s.heading.clone(), s.heading_substitutions.clone()));
        marked_runs(&s.blocks, &mut out);
    }
    for n in &doc.notes {
        marked_runs(&n.blocks, &mut out);
    }
    out
}

#[test]
fn a_publication_render_marks_where_each_pseudonym_stands_and_an_internal_one_marks_nothing() {
    let mut f = fresh();
    let r = &mut f.review;
    r.add_person(entry(
        "Laura Pennington",
        "Child S",
        PersonCategory::Person,
        &["Lolly"],
    ))
    .unwrap();
    r.add_person(entry(
        "Oakfield Academy",
        "School1",
        PersonCategory::Organisation,
        &[],
    ))
    .unwrap();
    r.add_panel_member(PanelMemberInput {
        name: "Laura Pennington".into(),
        role: "Family member (test plant)".into(),
        organisation: "Oakfield Academy".into(),
    })
    .unwrap();
    // A heading, plain and split-by-formatting body text, a possessive, a table, a footnote,
    // a list, a quote and a live block; 😀 first so byte and character offsets differ.
    section(
        r,
        "About LAURA PENNINGTON",
        "😀 Laura's school was **Oak**field Academy; she was Lolly at home.[^n]\n\n\
         - Laura again\n\n> Oakfield Academy said so.\n\n\
         | Who | Where |\n|---|---|\n| Lolly | *Oakfield Academy* |\n\n\
         [[block:panel]]\n\n        Laura in a code block\n\n[^n]: Told by Laura Pennington.\n",
    );
    let published = r
        .render_document(
            Document::Overview,
            &RenderOptions {
                publication: true,
                ..RenderOptions::default()
            },
        )
        .unwrap();
    let runs = all_marked_runs(&published);
    let mut seen = Vec::new();
    for (text, marks) in &runs {
        for m in marks {
            let sub = &published.substitutions[m.substitution as usize];
            assert_eq!(
                &text[m.start..m.end],
                sub.replacement,
                "a mark covers its pseudonym in {text:?}"
            );
            seen.push((sub.original.clone(), text[m.start..m.end].to_owned()));
        }
    }
    let has = |original: &str, shown: &str| seen.iter().any(|(o, s)| o == original && s == shown);
    assert!(has("LAURA PENNINGTON", "CHILD S"), "heading: {seen:?}");
    // A possessive keeps its ending outside the mark; byte offsets step over the emoji.
    let opening = runs
        .iter()
        .find(|(t, _)| t.starts_with("😀 Child S's school"))
        .expect("the opening run");
    assert_eq!((opening.1[0].start, opening.1[0].end), (5, 12));
    assert!(
        runs.iter()
            .any(|(t, m)| t == "Child S in a code block" && m.len() == 1),
        "an indented block is trimmed and its mark moves with it"
    );
    assert!(has("Lolly", "Child S"), "alias: {seen:?}");
    assert!(
        has("Laura Pennington", "Child S"),
        "footnote or live block: {seen:?}"
    );
    assert!(has("Oakfield Academy", "School1"), "organisation: {seen:?}");
    // A name split by formatting is marked once, in the piece that holds the pseudonym.
    let split = runs
        .iter()
        .find(|(t, _)| t == "School1")
        .expect("the bold piece of the split name holds the pseudonym");
    assert_eq!(split.1.len(), 1);
    // Every substitution a reader sees in the body is marked, and no more.
    let marks: usize = runs.iter().map(|(_, m)| m.len()).sum();
    let counted: u32 = published.substitutions.iter().map(|s| s.count).sum();
    assert_eq!(marks as u32, counted, "{seen:?}");
    assert!(marks >= 10, "{marks} marks");
    // The sections carry no real name, marks included; only the substitution list does.
    let json = serde_json::to_string(&published.sections)
        .unwrap()
        .to_lowercase();
    for word in ["laura", "pennington", "lolly", "oakfield"] {
        assert!(!json.contains(word), "{word} in the sections");
    }

    let internal = r
        .render_document(Document::Overview, &RenderOptions::default())
        .unwrap();
    assert!(all_marked_runs(&internal).iter().all(|(_, m)| m.is_empty()));
    assert!(!serde_json::to_string(&internal)
        .unwrap()
        .contains("substitution"));
}

#[test]
fn publication_exports_in_every_format_pass_the_gate_when_everything_is_registered() {
    let f = planted_case();
    for (doc, format) in [
        (ExportDoc::Overview, ExportFormat::Html),
        (ExportDoc::Overview, ExportFormat::Md),
        (ExportDoc::Chronology, ExportFormat::Xlsx),
        (ExportDoc::Coverage, ExportFormat::Csv),
    ] {
        let bytes = export(&f.review, &publication(doc, format), &mut |_| {})
            .unwrap_or_else(|e| panic!("{doc} as {format}: {e}"));
        if format != ExportFormat::Xlsx {
            let lower = String::from_utf8(bytes).unwrap().to_lowercase();
            for word in REAL_WORDS {
                assert!(!lower.contains(word), "{word} in {format}");
            }
        }
    }
}

#[test]
fn a_name_split_across_formatting_runs_is_replaced_or_else_caught_and_nothing_is_written() {
    let mut f = planted_case();
    // A registered name split by formatting is still replaced.
    section(&mut f.review, "Split", "Her friend **La**ura stayed.\n");
    let bytes = export(
        &f.review,
        &publication(ExportDoc::Overview, ExportFormat::Docx),
        &mut |_| {},
    )
    .unwrap();
    let document = parts(&bytes)
        .into_iter()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap()
        .1;
    assert!(
        document.contains("<w:t xml:space=\"preserve\">Child S</w:t>"),
        "bold pseudonym"
    );
    assert!(
        !document.contains(">ura stayed"),
        "the rest of the split name is gone"
    );
    // One that cannot be replaced (no pseudonym yet) is caught by the gate across the runs.
    f.review
        .add_person(entry("Gary Noakes", "", PersonCategory::Person, &[]))
        .unwrap();
    section(
        &mut f.review,
        "Split again",
        "Her friend **Ga**ry stayed.\n",
    );
    for format in [ExportFormat::Docx, ExportFormat::Html, ExportFormat::Md] {
        let path = f.dir.path().join(format!("split.{}", format.extension()));
        let err = export_to_file(
            &f.review,
            &publication(ExportDoc::Overview, format),
            &path,
            false,
            &mut |_| {},
        )
        .unwrap_err();
        let Error::Leaks { hits } = &err else {
            panic!("{err}")
        };
        assert_eq!(err.code(), "leak");
        let hit = hits
            .iter()
            .find(|h| h.kind == LeakKind::Name && h.found == "Gary")
            .unwrap_or_else(|| panic!("{format}: {hits:#?}"));
        assert!(
            hit.context.contains("friend Gary stayed"),
            "{}",
            hit.context
        );
        assert!(!path.exists(), "{format}: nothing written");
    }
    // No temporary file either.
    let left: Vec<String> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The review, its WAL and lock, and the snapshots its imports took.
        .filter(|n| !n.starts_with("case.threadline") && n != "case.backups")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_name_in_the_author_property_a_postcode_and_an_nhs_number_are_caught_and_can_be_allowed() {
    let mut f = planted_case();
    // The report's author is an entry that may not be named and has no pseudonym yet.
    f.review
        .add_person(PersonInput {
            pseudonym: String::new(),
            ..entry("Margaret Ellery", "", PersonCategory::Person, &[])
        })
        .unwrap();
    f.review
        .add_panel_member(PanelMemberInput {
            name: "Margaret Ellery".into(),
            role: "Overview author".into(),
            organisation: String::new(),
        })
        .unwrap();
    section(
        &mut f.review,
        "Contact",
        "The family lived at 12 Canal Row, S60 1AA. Her NHS number 943 476 5919 was on file; \
         DOB: 03/04/1993. The case number 943 476 5918 is not an NHS number.\n",
    );
    let request = publication(ExportDoc::Overview, ExportFormat::Docx);
    let hits = leaks(export(&f.review, &request, &mut |_| {}));
    let core = hits
        .iter()
        .find(|h| h.part == "docProps/core.xml")
        .unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(core.kind, LeakKind::Name);
    assert_eq!(core.found, "Margaret Ellery");
    assert!(core.entry_id.is_some());
    let kinds: Vec<LeakKind> = hits.iter().map(|h| h.kind).collect();
    for kind in [
        LeakKind::Postcode,
        LeakKind::NhsNumber,
        LeakKind::DateOfBirth,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} in {hits:#?}");
    }
    assert!(
        !hits.iter().any(|h| h.found.contains("5918")),
        "a bad check digit is no NHS number"
    );
    // The same hits are there to preview without exporting.
    let previewed = publication_hits(&f.review, &request).unwrap();
    assert_eq!(previewed, hits);
    // Allowing some but not all still refuses, listing only the rest.
    let postcode_key = hits
        .iter()
        .find(|h| h.kind == LeakKind::Postcode)
        .unwrap()
        .key
        .clone();
    let partly = ExportRequest {
        allow: vec![postcode_key],
        ..request.clone()
    };
    let rest = leaks(export(&f.review, &partly, &mut |_| {}));
    assert_eq!(rest.len(), hits.len() - 1);
    // Every hit allowed: written.
    let all = ExportRequest {
        allow: hits.iter().map(|h| h.key.clone()).collect(),
        ..request
    };
    assert!(export(&f.review, &all, &mut |_| {}).is_ok());
}

/// Builds a .docx with docx-rs whose paragraphs and custom properties are given.
fn docx_rs_file(runs: &[&[(&str, bool)]], custom: Option<(&str, &str)>) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run};
    let mut doc = Docx::new();
    for para in runs {
        let mut p = Paragraph::new();
        for (text, bold) in *para {
            let mut run = Run::new().add_text(*text);
            if *bold {
                run = run.bold();
            }
            p = p.add_run(run);
        }
        doc = doc.add_paragraph(p);
    }
    if let Some((k, v)) = custom {
        doc = doc.custom_property(k, v);
    }
    let mut buf = Cursor::new(Vec::new());
    doc.build().pack(&mut buf).unwrap();
    buf.into_inner()
}

fn person(real: &str, aliases: &[&str], pseudonym: &str) -> Person {
    Person {
        id: real.to_lowercase().replace(' ', "-"),
        category: PersonCategory::Person,
        real_name: real.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        pseudonym: pseudonym.into(),
        role: String::new(),
        relation: String::new(),
        safe_to_name: false,
    }
}

#[test]
fn the_gate_reads_a_word_file_made_elsewhere_part_by_part() {
    let p = Pseudonymiser::new(&[
        person("Laura Pennington", &["Lolly"], "Child S"),
        person("Rose", &[], "Adult C"),
    ])
    .unwrap();
    let clean = docx_rs_file(&[&[("Child S met Adult C near Rosebank.", false)]], None);
    assert_eq!(
        gate::scan(ExportFormat::Docx, &clean, &p).unwrap(),
        Vec::new()
    );
    let leaky = docx_rs_file(
        &[
            &[("Her friend ", false), ("La", true), ("ura stayed.", false)],
            &[("Then Pennington’s file went to LOLLY and ROSE.", false)],
            &[("Ring 07700 900123 or write to LS1 4AP.", false)],
        ],
        Some(("Reviewer", "Laura Pennington")),
    );
    let hits = gate::scan(ExportFormat::Docx, &leaky, &p).unwrap();
    let found: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| (h.part.as_str(), h.found.as_str()))
        .collect();
    for expected in [
        ("word/document.xml", "Laura"),
        ("word/document.xml", "Pennington"),
        ("word/document.xml", "LOLLY"),
        ("word/document.xml", "ROSE"),
        ("word/document.xml", "07700 900123"),
        ("word/document.xml", "LS1 4AP"),
        ("docProps/custom.xml", "Laura Pennington"),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
}

#[test]
fn names_without_a_pseudonym_or_shared_by_two_entries_stay_and_are_reported() {
    let p = Pseudonymiser::new(&[
        person("Laura Pennington", &[], "Child S"),
        person("Tyler Pennington", &[], "Infant A"),
        person("Gary Noakes", &[], ""),
    ])
    .unwrap();
    let out = p.substitute("Laura and Tyler Pennington saw Pennington and Gary Noakes.");
    assert_eq!(
        out.text,
        "Child S and Infant A saw Pennington and Gary Noakes."
    );
    let names: Vec<&str> = p.unsubstituted().iter().map(|u| u.name.as_str()).collect();
    assert!(
        names.contains(&"Pennington") && names.contains(&"Gary Noakes"),
        "{names:?}"
    );
    // Each substitution points at its words in both texts.
    for s in &out.substitutions {
        assert_eq!(&out.text[s.start..s.end], s.replacement);
    }
}

#[test]
fn safe_names_shield_the_words_inside_them() {
    let mut safe = person("Pennington Road Surgery", &[], "");
    safe.safe_to_name = true;
    safe.category = PersonCategory::Organisation;
    let p = Pseudonymiser::new(&[person("Laura Pennington", &[], "Child S"), safe]).unwrap();
    assert_eq!(
        p.apply("Laura Pennington went to Pennington Road Surgery."),
        "Child S went to Pennington Road Surgery."
    );
}

fn name_word() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{2,7}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the text around them, no registered name survives substitution as a whole
    /// word, and pseudonyms come back as they were given.
    #[test]
    fn no_registered_name_survives_substitution(
        first in name_word(),
        last in name_word(),
        alias in name_word(),
        filler in proptest::collection::vec(
            prop_oneof![
                Just(" ".to_owned()), Just("'s ".to_owned()), Just("’s ".to_owned()),
                Just(", ".to_owned()), Just("bank ".to_owned()), Just("\n".to_owned()),
                "[a-z]{1,6} ", "[A-Z]{1,6} ",
            ],
            0..12,
        ),
        picks in proptest::collection::vec(0usize..6, 1..12),
        shout in proptest::bool::ANY,
    ) {
        prop_assume!(first != last && first != alias && last != alias);
        // A title in front ("Mrs", "Lord") is not part of the name; after a first name it is.
        const TITLES: &[&str] = &["Mrs", "Miss", "Prof", "Sir", "Dame", "Master", "Rev", "Lady", "Lord"];
        prop_assume!(!TITLES.contains(&first.as_str()));
        let p = Pseudonymiser::new(&[person(&format!("{first} {last}"), &[&alias], "Child S")]).unwrap();
        let names = [
            format!("{first} {last}"), first.clone(), last.clone(), alias.clone(),
            format!("{first}{last}"), format!("{alias}s'"),
        ];
        let mut text = String::new();
        for (i, pick) in picks.iter().enumerate() {
            let name = &names[*pick];
            text.push_str(&if shout { name.to_uppercase() } else { name.clone() });
            text.push_str(filler.get(i).map(String::as_str).unwrap_or(" "));
        }
        let out = p.apply(&text);
        let folded = out.to_lowercase();
        for n in [&first, &last, &alias] {
            let n = n.to_lowercase();
            for (i, _) in folded.match_indices(&n) {
                let before = folded[..i].chars().next_back();
                let after = folded[i + n.len()..].chars().next();
                let whole = !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric);
                prop_assert!(!whole, "{n:?} survives in {out:?} (from {text:?})");
            }
        }
        // Substituting again changes nothing.
        prop_assert_eq!(p.apply(&out), out);
    }
}

// ------------------------------------------------------------------ nothing left behind

/// True when `needle` occurs in the bytes of the review file or its WAL.
fn in_file_or_wal(path: &Path, needle: &str) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path.to_owned(), wal.into()].iter().any(|p| {
        std::fs::read(p)
            .map(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
            .unwrap_or(false)
    })
}

#[test]
fn after_a_name_is_replaced_and_the_file_compacted_no_byte_of_it_is_left() {
    let mut f = fresh();
    let r = &mut f.review;
    let old = "Quorndale";
    let person = r
        .add_person(entry(
            &format!("Bethany {old}"),
            "Child S",
            PersonCategory::Person,
            &[],
        ))
        .unwrap();
    let source = r
        .import_text(
            SourceInput {
                kind: SourceKind::Imr,
                title: "Police IMR".into(),
                ..SourceInput::default()
            },
            &format!("Officers met Bethany {old} at home.\n\nNothing further."),
        )
        .unwrap();
    let para = r.paragraphs(&source.id, 0, 10).unwrap()[0].clone();
    let section = section(
        r,
        &format!("{old} family"),
        &format!("Bethany {old} was 15.\n"),
    );
    // A draft goes out with the old name, and the import and the draft left snapshots.
    r.issue_draft(None).unwrap();
    assert_eq!(r.snapshots().unwrap().len(), 2);
    // The name is corrected everywhere: the register, the source paragraph, the section.
    r.update_person(
        &person.id,
        PersonInput {
            real_name: "Bethany Quinn".into(),
            ..PersonInput::from(person.clone())
        },
    )
    .unwrap();
    r.update_paragraph(
        &para.id,
        ParagraphInput {
            text: "Officers met Bethany Quinn at home.".into(),
            ..ParagraphInput::body("")
        },
    )
    .unwrap();
    r.update_section(
        &section,
        SectionInput {
            document: Document::Overview,
            heading: "Background".into(),
            body: "Bethany Quinn was 15.\n".into(),
        },
    )
    .unwrap();
    assert!(
        in_file_or_wal(&f.path, old),
        "before compaction the undo history still holds the old name"
    );
    let report = r.compact().unwrap();
    assert!(report.states_dropped > 0);
    assert_eq!(
        report.summaries_redacted, 1,
        "the old heading in 'Edit section'"
    );
    assert!(
        !in_file_or_wal(&f.path, old),
        "{old} left in the file or WAL"
    );
    // The issued draft names nobody any more, and the snapshots that held the old name are
    // gone: one of the compacted review is all that is left beside it.
    assert_eq!(report.drafts_redacted, 1);
    assert_eq!(report.backups_removed, 2);
    let draft = r.draft("1").unwrap();
    let frozen = serde_json::to_string(&draft.snapshot).unwrap();
    assert!(!frozen.contains(old), "{frozen}");
    assert!(frozen.contains("[name removed]"));
    let left = r.snapshots().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].reason, "compact");
    let mut files = vec![f.dir.path().to_owned()];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            assert!(
                !bytes.windows(old.len()).any(|w| w == old.as_bytes()),
                "{old} left in {}",
                p.display()
            );
        }
    }
    // The review still works: search finds the new name, edits go on, undo has nothing old.
    let hits = r
        .search(&threadline::search::SearchQuery::new("Quinn"))
        .unwrap();
    assert!(hits.total >= 2, "{hits:?}");
    assert!(
        r.search(&threadline::search::SearchQuery::new(old))
            .unwrap()
            .total
            == 0
    );
    assert!(matches!(r.undo(), Err(Error::NothingToUndo)));
    r.add_person(entry("Gary Noakes", "Adult B", PersonCategory::Person, &[]))
        .unwrap();
    r.undo().unwrap();
}

#[test]
fn compaction_leaves_no_trace_of_a_deleted_entry_or_a_deleted_panel_member() {
    let mut f = fresh();
    let r = &mut f.review;
    let p = r
        .add_person(entry(
            "Zebedee Frampton",
            "Adult D",
            PersonCategory::Person,
            &[],
        ))
        .unwrap();
    let member = r
        .add_panel_member(PanelMemberInput {
            name: "Ottoline Wragge".into(),
            role: "Family friend (test)".into(),
            organisation: String::new(),
        })
        .unwrap();
    r.delete_person(&p.id, false).unwrap();
    r.delete_panel_member(&member.id, false).unwrap();
    assert!(in_file_or_wal(&f.path, "Frampton"));
    assert!(in_file_or_wal(&f.path, "Wragge"));
    let report = r.compact().unwrap();
    assert!(!in_file_or_wal(&f.path, "Frampton"));
    assert!(!in_file_or_wal(&f.path, "Wragge"));
    assert_eq!(report.summaries_redacted, 1, "the panel member's delete");
    let log = r.audit_log(10).unwrap();
    assert!(
        log.iter().any(|e| e.summary == "Delete panel member"),
        "{log:?}"
    );
}

// ------------------------------------------------------------------ suggestions and checks

#[test]
fn recurring_capitalised_names_the_register_lacks_are_suggested_and_can_be_dismissed() {
    let mut f = fresh();
    let text = planted_summary();
    f.review
        .import_text(
            SourceInput {
                kind: SourceKind::PriorReview,
                title: "Executive summary".into(),
                ..SourceInput::default()
            },
            &text,
        )
        .unwrap();
    let names = |r: &Review| -> Vec<String> {
        r.name_suggestions()
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect()
    };
    let before = names(&f.review);
    for expected in [
        "Laura Pennington",
        "Donna Hollis",
        "Tyler Brookes",
        "Haven Project",
    ] {
        assert!(
            before.contains(&expected.to_owned()),
            "{expected} in {before:?}"
        );
    }
    for common in [
        "The",
        "Police",
        "October",
        "Tuesday",
        "Serious Case Review",
        "Child",
    ] {
        assert!(
            !before.contains(&common.to_owned()),
            "{common} in {before:?}"
        );
    }
    let first = &f.review.name_suggestions().unwrap()[0];
    assert!(first.count >= 2 && first.sample.contains(&first.name));
    // Registered names (and their parts) are no longer suggested.
    register(&mut f.review);
    let after = names(&f.review);
    for gone in [
        "Laura Pennington",
        "Laura",
        "Donna Hollis",
        "Tyler Brookes",
        "Haven Project",
    ] {
        assert!(!after.contains(&gone.to_owned()), "{gone} in {after:?}");
    }
    assert!(after.contains(&"Rotherham".to_owned()), "{after:?}");
    f.review.dismiss_name_suggestion("rotherham").unwrap();
    assert!(!names(&f.review).contains(&"Rotherham".to_owned()));
    f.review.restore_name_suggestion("Rotherham").unwrap();
    assert!(names(&f.review).contains(&"Rotherham".to_owned()));
    assert!(f.review.dismiss_name_suggestion("  ").is_err());
}

#[test]
fn checks_flag_real_names_in_sections_as_errors_and_unregistered_names_as_warnings() {
    use threadline::checks::{CheckCode, Severity};
    let mut f = planted_case();
    let clean = section(
        &mut f.review,
        "Written with pseudonyms",
        "Child S and Adult B met in Rotherham. Rotherham services were told.\n",
    );
    let report = f.review.checks().unwrap();
    let real: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.code == CheckCode::RealNameInSection)
        .collect();
    assert!(real.iter().all(|r| r.severity == Severity::Error));
    assert!(
        real.iter()
            .any(|r| r.message.contains("“LAURA PENNINGTON”")),
        "the shouted heading: {real:#?}"
    );
    assert!(real.iter().any(|r| r.message.contains("“Lolly”")));
    assert!(real
        .iter()
        .any(|r| r.detail.as_deref().unwrap_or("").contains("“Child S”")));
    assert!(
        !real.iter().any(|r| r.target.id == clean),
        "pseudonyms are fine"
    );
    assert!(
        !real.iter().any(|r| r.message.contains("Rosebank")),
        "not a name: {real:#?}"
    );
    let unregistered: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.code == CheckCode::UnregisteredName)
        .collect();
    assert!(
        unregistered
            .iter()
            .any(|r| r.target.id == clean && r.message.contains("“Rotherham”")),
        "{unregistered:#?}"
    );
    assert!(unregistered.iter().all(|r| r.severity == Severity::Warning));
    // Dismissed, it is no longer reported.
    f.review.dismiss_name_suggestion("Rotherham").unwrap();
    let report = f.review.checks().unwrap();
    assert!(!report
        .results
        .iter()
        .any(|r| r.code == CheckCode::UnregisteredName && r.message.contains("Rotherham")));
}

#[test]
fn the_whole_planted_summary_as_report_text_publishes_without_a_false_alarm() {
    let mut f = fresh();
    register(&mut f.review);
    let text = planted_summary();
    // Each blank-line block a paragraph; Markdown-significant starts escaped by indenting none.
    let body: String = text
        .split("\n\n")
        .map(|p| p.trim().replace('\n', " "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    section(&mut f.review, "Executive summary", &body);
    for format in [ExportFormat::Docx, ExportFormat::Html, ExportFormat::Md] {
        let hits = publication_hits(&f.review, &publication(ExportDoc::Overview, format)).unwrap();
        assert_eq!(hits, Vec::new(), "{format}");
        let bytes = export(
            &f.review,
            &publication(ExportDoc::Overview, format),
            &mut |_| {},
        )
        .unwrap();
        let all: String = if format == ExportFormat::Docx {
            parts(&bytes).into_iter().map(|(_, t)| t).collect()
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let lower = all.to_lowercase();
        for word in REAL_WORDS {
            assert!(!lower.contains(word), "{word} in {format}");
        }
        assert!(all.matches("Child S").count() >= 70, "{format}");
    }
}

#[test]
fn a_workbook_is_scanned_cell_by_cell_and_its_properties_are_safe() {
    use threadline::model::chronology::ChronologyInput;
    let mut f = planted_case();
    let day = chrono::NaiveDate::from_ymd_opt(2010, 6, 1).unwrap();
    f.review
        .add_chronology_entry(ChronologyInput::new(
            day,
            "Laura Pennington seen by the GP with Tyler Brookes.",
        ))
        .unwrap();
    let request = publication(ExportDoc::Chronology, ExportFormat::Xlsx);
    let bytes = export(&f.review, &request, &mut |_| {}).unwrap();
    let all: String = parts(&bytes).into_iter().map(|(_, t)| t).collect();
    assert!(
        all.contains("Child S seen by the GP with Infant A"),
        "substituted in the cell"
    );
    assert!(!all.to_lowercase().contains("pennington"));
    let core = parts(&bytes)
        .into_iter()
        .find(|(n, _)| n == "docProps/core.xml")
        .unwrap()
        .1;
    assert!(core.contains("Publication version"), "{core}");
    // A postcode in a cell stops it.
    f.review
        .add_chronology_entry(ChronologyInput::new(day, "Moved to 4 Canal Row, S60 1AA."))
        .unwrap();
    let hits = leaks(export(&f.review, &request, &mut |_| {}));
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0].kind, LeakKind::Postcode);
    assert_eq!(hits[0].part, "xl/sharedStrings.xml");
}

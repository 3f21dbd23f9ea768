//! The rendered report: Markdown into blocks, live citation numbers, live blocks, problems
//! listed rather than raised, and the default outline as one undoable change.

use chrono::NaiveDate;
use threadline::model::agencies::AgencyInput;
use threadline::model::chronology::ChronologyInput;
use threadline::model::findings::{FindingInput, FindingKind};
use threadline::model::panel::PanelMemberInput;
use threadline::model::recommendations::{Due, Origin, RecommendationInput};
use threadline::model::sections::{CitationKind, Document, SectionInput};
use threadline::model::sources::{Confidence, ParagraphInput, SourceInput, SourceKind};
use threadline::model::themes::ThemeInput;
use threadline::model::tor::{TorInput, TorKind};
use threadline::report::{
    default_outline, Block, Inline, NumberedItem, RenderOptions, RenderedDocument,
};
use threadline::{Error, Review};

use crate::common::{fresh, Fixture};

/// A small review with one of everything a section can cite.
pub struct Case {
    pub f: Fixture,
    pub police: String,
    pub source: String,
    pub paragraph: String,
    pub excerpt: String,
    pub entry: String,
    pub f1: String,
    pub f2: String,
    pub theme: String,
    pub r1: String,
    pub r2: String,
    pub t1: String,
    pub t2: String,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn case() -> Case {
    let mut f = fresh();
    let r = &mut f.review;
    let police = r
        .add_agency(AgencyInput {
            name: "Northshire Police".into(),
            short_name: "Police".into(),
            sector: "Police".into(),
        })
        .unwrap()
        .id;
    let health = r
        .add_agency(AgencyInput {
            name: "Northshire Community Health".into(),
            short_name: "Health visiting".into(),
            sector: "Health".into(),
        })
        .unwrap()
        .id;
    let source = r
        .add_source(SourceInput {
            kind: SourceKind::Imr,
            agency_id: Some(police.clone()),
            title: "Individual Management Review: Northshire Police".into(),
            confidence: Confidence::High,
            confidence_reason: "Candid and well evidenced".into(),
            ..SourceInput::default()
        })
        .unwrap()
        .id;
    let paras = r
        .add_paragraphs(
            &source,
            vec![ParagraphInput {
                label: Some("4.2".into()),
                heading_level: 0,
                text: "Officers spoke to the mother in the kitchen and did not see the children that night."
                    .into(),
            }],
        )
        .unwrap();
    let paragraph = paras[0].id.clone();
    let excerpt = r
        .excerpt_for_text(&paragraph, "did not see the children")
        .unwrap()
        .id;
    let entry = r
        .add_chronology_entry(ChronologyInput {
            agency_id: Some(police.clone()),
            ..ChronologyInput::new(date(2021, 3, 12), "Police attended a reported argument.")
        })
        .unwrap()
        .id;
    let theme = r
        .add_theme(ThemeInput {
            title: "Seeing the child".into(),
            summary: "Whether practitioners saw and heard the children.".into(),
        })
        .unwrap()
        .id;
    let f1 = r
        .add_finding(FindingInput {
            theme_id: Some(theme.clone()),
            kind: FindingKind::Practice,
            statement: "The children were not seen during the police attendance.".into(),
            analysis: String::new(),
        })
        .unwrap()
        .id;
    let f2 = r
        .add_finding(FindingInput {
            theme_id: Some(theme.clone()),
            kind: FindingKind::Systemic,
            statement: "The risk template asks nothing about other adults in the home.".into(),
            analysis: String::new(),
        })
        .unwrap()
        .id;
    let t1 = r
        .add_tor(TorInput {
            kind: TorKind::Generic,
            text: "How well did agencies share information?".into(),
            out_of_scope_reason: None,
        })
        .unwrap()
        .id;
    let t2 = r
        .add_tor(TorInput {
            kind: TorKind::CaseSpecific,
            text: "What was known about the mother's partner?".into(),
            out_of_scope_reason: None,
        })
        .unwrap()
        .id;
    let r1 = r
        .add_recommendation(RecommendationInput {
            origin: Origin::OverviewAuthor,
            addressee_agency_id: Some(police.clone()),
            owner_role: "Head of Public Protection".into(),
            text: "Revise the risk template to ask who lives in the household.".into(),
            due: Due::Month {
                year: 2025,
                month: 3,
            },
            ..RecommendationInput::default()
        })
        .unwrap()
        .id;
    let r2 = r
        .add_recommendation(RecommendationInput {
            origin: Origin::AgencyImr,
            origin_agency_id: Some(health.clone()),
            text: "Hand over every family in person when records move between teams.".into(),
            ..RecommendationInput::default()
        })
        .unwrap()
        .id;
    Case {
        f,
        police,
        source,
        paragraph,
        excerpt,
        entry,
        f1,
        f2,
        theme,
        r1,
        r2,
        t1,
        t2,
    }
}

fn add(review: &mut Review, document: Document, heading: &str, body: &str) -> String {
    review
        .add_section(SectionInput {
            document,
            heading: heading.into(),
            body: body.into(),
        })
        .unwrap()
        .id
}

fn render(review: &Review, document: Document) -> RenderedDocument {
    review
        .render_document(document, &RenderOptions::default())
        .unwrap()
}

fn p(inlines: Vec<Inline>) -> Block {
    Block::Paragraph { content: inlines }
}

fn t(text: &str) -> Inline {
    Inline::plain(text)
}

fn cite(n: u32) -> Inline {
    Inline::Citation { number: n }
}

/// Every citation number in reading order.
fn numbers(doc: &RenderedDocument) -> Vec<u32> {
    fn walk(blocks: &[Block], out: &mut Vec<u32>) {
        for b in blocks {
            match b {
                Block::Heading { content, .. } | Block::Paragraph { content } => {
                    for i in content {
                        if let Inline::Citation { number } = i {
                            out.push(*number);
                        }
                    }
                }
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                Block::Quote { blocks } => walk(blocks, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for s in &doc.sections {
        walk(&s.blocks, &mut out);
    }
    out
}

#[test]
fn markdown_becomes_headings_paragraphs_lists_quotes_notes_and_tables() {
    let mut f = fresh();
    let body = "Opening with **bold**, *italic* and ***both***.\n\
        \n\
        # Big heading\n\
        \n\
        ### Small heading\n\
        \n\
        - first\n\
        - second\n\
        \x20 1. nested one\n\
        \x20 2. nested two\n\
        \n\
        3. three\n\
        4. four\n\
        \n\
        > Quoted words,\n\
        > over two lines.\n\
        \n\
        A note here.[^a] Line one  \n\
        line two.\n\
        \n\
        | Agency | Seen |\n\
        | --- | --- |\n\
        | Police | *no* |\n\
        \n\
        ---\n\
        \n\
        [^a]: The note's **own** text.\n";
    add(&mut f.review, Document::Overview, "Analysis", body);
    let doc = render(&f.review, Document::Overview);
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    assert_eq!(doc.sections.len(), 1);
    assert_eq!(doc.sections[0].heading, "Analysis");
    let expected = vec![
        p(vec![
            t("Opening with "),
            Inline::bold("bold"),
            t(", "),
            Inline::italic("italic"),
            t(" and "),
            Inline::Text {
                text: "both".into(),
                bold: true,
                italic: true,
                substitutions: Vec::new(),
            },
            t("."),
        ]),
        Block::Heading {
            level: 2,
            content: vec![t("Big heading")],
        },
        Block::Heading {
            level: 3,
            content: vec![t("Small heading")],
        },
        Block::List {
            ordered: false,
            start: 1,
            items: vec![
                vec![p(vec![t("first")])],
                vec![
                    p(vec![t("second")]),
                    Block::List {
                        ordered: true,
                        start: 1,
                        items: vec![
                            vec![p(vec![t("nested one")])],
                            vec![p(vec![t("nested two")])],
                        ],
                    },
                ],
            ],
        },
        Block::List {
            ordered: true,
            start: 3,
            items: vec![vec![p(vec![t("three")])], vec![p(vec![t("four")])]],
        },
        Block::Quote {
            blocks: vec![p(vec![t("Quoted words, over two lines.")])],
        },
        p(vec![
            t("A note here."),
            Inline::Note { number: 1 },
            t(" Line one"),
            Inline::Break,
            t("line two."),
        ]),
        Block::Table {
            header: vec![vec![t("Agency")], vec![t("Seen")]],
            rows: vec![vec![vec![t("Police")], vec![Inline::italic("no")]]],
        },
        Block::Rule,
    ];
    assert_eq!(doc.sections[0].blocks, expected);
    assert_eq!(doc.notes.len(), 1);
    assert_eq!(doc.notes[0].number, 1);
    assert_eq!(
        doc.notes[0].blocks,
        vec![p(vec![t("The note's "), Inline::bold("own"), t(" text.")])]
    );
}

#[test]
fn html_and_scripts_in_a_section_stay_text() {
    let mut f = fresh();
    add(
        &mut f.review,
        Document::Overview,
        "Imported",
        "Before <img src=x onerror=alert(1)> after.\n\n<script>alert(2)</script>\n",
    );
    let doc = render(&f.review, Document::Overview);
    assert_eq!(
        doc.sections[0].blocks,
        vec![
            p(vec![t("Before <img src=x onerror=alert(1)> after.")]),
            p(vec![t("<script>alert(2)</script>")]),
        ]
    );
}

#[test]
fn citations_are_numbered_by_first_appearance_across_the_document() {
    let mut c = case();
    let body1 = format!(
        "Seen [[finding:{f2}]] and [[finding:{f1}]], then [[finding:{f2}]] again.",
        f2 = c.f2,
        f1 = c.f1
    );
    let body2 = format!("Quoted [[excerpt:{}]] and [[finding:{}]].", c.excerpt, c.f1);
    add(&mut c.f.review, Document::Overview, "One", &body1);
    add(&mut c.f.review, Document::Overview, "Two", &body2);
    let doc = render(&c.f.review, Document::Overview);
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    assert_eq!(numbers(&doc), vec![1, 2, 1, 3, 2]);
    let cited: Vec<(u32, CitationKind, &str, &str)> = doc
        .citations
        .iter()
        .map(|c| (c.number, c.kind, c.id.as_str(), c.label.as_str()))
        .collect();
    assert_eq!(
        cited,
        vec![
            (1, CitationKind::Finding, c.f2.as_str(), "F2"),
            (2, CitationKind::Finding, c.f1.as_str(), "F1"),
            (
                3,
                CitationKind::Excerpt,
                c.excerpt.as_str(),
                "Police IMR ¶4.2"
            ),
        ]
    );
    assert_eq!(
        doc.sections[0].blocks,
        vec![p(vec![
            t("Seen "),
            cite(1),
            t(" and "),
            cite(2),
            t(", then "),
            cite(1),
            t(" again."),
        ])]
    );
    // The executive summary numbers its own citations from 1.
    add(
        &mut c.f.review,
        Document::Summary,
        "Summary",
        &format!("Only [[finding:{}]].", c.f1),
    );
    let summary = render(&c.f.review, Document::Summary);
    assert_eq!(numbers(&summary), vec![1]);
    assert_eq!(summary.citations[0].label, "F1");
}

#[test]
fn live_numbers_follow_reordered_sections_and_renumbered_records() {
    let mut c = case();
    add(
        &mut c.f.review,
        Document::Overview,
        "First",
        &format!("About [[finding:{}]].", c.f1),
    );
    let second = add(
        &mut c.f.review,
        Document::Overview,
        "Second",
        &format!("About [[finding:{}]] and [[tor:{}]].", c.f2, c.t2),
    );
    let before = render(&c.f.review, Document::Overview);
    assert_eq!(before.citations[0].id, c.f1);
    assert_eq!(before.citations[1].id, c.f2);

    c.f.review.move_section(&second, 0).unwrap();
    let after = render(&c.f.review, Document::Overview);
    let order: Vec<&str> = after.citations.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(order, vec![c.f2.as_str(), c.t2.as_str(), c.f1.as_str()]);
    assert_eq!(numbers(&after), vec![1, 2, 3]);
    assert_eq!(after.sections[0].heading, "Second");

    // Renumbering the records changes what the citations say, not their numbers.
    c.f.review.move_finding(&c.f2, Some(&c.theme), 0).unwrap();
    c.f.review.move_tor(&c.t2, 0).unwrap();
    let renumbered = render(&c.f.review, Document::Overview);
    let labels: Vec<&str> = renumbered
        .citations
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(labels, vec!["F1", "ToR 1", "F2"]);

    // Undoing the reorder puts the numbers back.
    c.f.review.undo().unwrap();
    c.f.review.undo().unwrap();
    c.f.review.undo().unwrap();
    let undone = render(&c.f.review, Document::Overview);
    assert_eq!(undone.citations, before.citations);
}

#[test]
fn each_kind_of_citation_says_what_it_cites() {
    let mut c = case();
    let body = format!(
        "[[excerpt:{}]] [[paragraph:{}]] [[chronology:{}]] [[finding:{}]] [[recommendation:{}]] \
         [[tor:{}]] [[source:{}]] end",
        c.excerpt, c.paragraph, c.entry, c.f1, c.r1, c.t1, c.source
    );
    add(&mut c.f.review, Document::Overview, "All", &body);
    let doc = render(&c.f.review, Document::Overview);
    let got: Vec<(String, String)> = doc
        .citations
        .iter()
        .map(|c| (c.label.clone(), c.detail.clone()))
        .collect();
    let want: Vec<(String, String)> =
        vec![
        ("Police IMR ¶4.2", "“did not see the children”"),
        (
            "Police IMR ¶4.2",
            "Officers spoke to the mother in the kitchen and did not see the children that night.",
        ),
        ("Chronology 12/03/2021", "Police: Police attended a reported argument."),
        (
            "F1",
            "The children were not seen during the police attendance.",
        ),
        (
            "R1",
            "Revise the risk template to ask who lives in the household.",
        ),
        ("ToR 1", "How well did agencies share information?"),
        ("Police IMR", "Individual Management Review: Northshire Police"),
    ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    assert_eq!(got, want);
    assert!(doc.citations.iter().all(|c| !c.missing));
    assert_eq!(
        doc.citations[0].note_text(),
        "Police IMR ¶4.2: “did not see the children”"
    );
}

#[test]
fn long_cited_text_is_shortened_at_a_word() {
    let mut c = case();
    let long = format!("{} ends here.", "word ".repeat(100));
    let id =
        c.f.review
            .add_finding(FindingInput {
                theme_id: None,
                kind: FindingKind::Practice,
                statement: long,
                analysis: String::new(),
            })
            .unwrap()
            .id;
    add(
        &mut c.f.review,
        Document::Overview,
        "Long",
        &format!("[[finding:{id}]] x"),
    );
    let doc = render(&c.f.review, Document::Overview);
    let detail = &doc.citations[0].detail;
    assert!(detail.ends_with("word…"), "{detail}");
    assert!(detail.chars().count() <= 241, "{}", detail.chars().count());
}

#[test]
fn broken_and_malformed_citations_are_listed_and_the_rest_renders() {
    let mut c = case();
    let gone = "4f0c2a9e-1b2c-4d3e-8f40-123456789abc";
    let body = format!(
        "Good [[finding:{}]], gone [[finding:{gone}]], typo [[fnding:{}]], open [[finding:",
        c.f1, c.f2
    );
    add(&mut c.f.review, Document::Overview, "Mixed", &body);
    let doc = render(&c.f.review, Document::Overview);
    assert_eq!(numbers(&doc), vec![1, 2]);
    assert!(!doc.citations[0].missing);
    assert!(doc.citations[1].missing);
    assert_eq!(doc.citations[1].label, "Missing finding (deleted)");
    let messages: Vec<&str> = doc.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("[[fnding:") && messages[0].contains("unknown kind"));
    assert!(messages[1].contains("not closed"));
    assert_eq!(
        messages[2],
        "citation 2 points at a finding that no longer exists"
    );
    assert!(doc.problems.iter().all(|p| p.heading == "Mixed"));
    // The malformed tokens stay in the text as written.
    let Block::Paragraph { content } = &doc.sections[0].blocks[0] else {
        panic!("a paragraph");
    };
    let text = threadline::report::plain_text(content);
    assert!(
        text.contains(&format!("typo [[fnding:{}]]", c.f2)),
        "{text}"
    );
}

#[test]
fn a_paragraph_of_one_finding_or_recommendation_citation_sets_the_record_out() {
    let mut c = case();
    let body = format!(
        "[[finding:{}]]\n\nText [[finding:{}]] inline.\n\n[[recommendation:{}]]\n",
        c.f2, c.f1, c.r1
    );
    add(&mut c.f.review, Document::Overview, "Conclusions", &body);
    let doc = render(&c.f.review, Document::Overview);
    assert_eq!(
        doc.sections[0].blocks,
        vec![
            Block::Quote {
                blocks: vec![p(vec![
                    Inline::bold("F2"),
                    t(" The risk template asks nothing about other adults in the home."),
                ])]
            },
            p(vec![t("Text "), cite(1), t(" inline.")]),
            Block::Quote {
                blocks: vec![p(vec![
                    Inline::bold("R1"),
                    t(" Revise the risk template to ask who lives in the household."),
                ])]
            },
        ]
    );
}

#[test]
fn live_blocks_render_current_data_and_follow_edits() {
    let mut c = case();
    c.f.review
        .add_panel_member(PanelMemberInput {
            name: "Jo Reviewer".into(),
            role: "Independent reviewer and overview author".into(),
            organisation: "Independent".into(),
        })
        .unwrap();
    let body = "Terms:\n\n[[block:tor]]\n\n[[block:panel]]\n\n[[block:agencies]]\n\n\
                [[block:recommendations]]\n\n[[block:themes]]\n";
    add(&mut c.f.review, Document::Overview, "Live", body);
    let doc = render(&c.f.review, Document::Overview);
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    let blocks = &doc.sections[0].blocks;
    let item = |id: &str, number: i64, label: &str, text: &str, detail: Vec<Inline>| NumberedItem {
        id: id.to_owned(),
        number,
        label: label.to_owned(),
        content: vec![t(text)],
        detail,
    };
    let expected = vec![
        p(vec![t("Terms:")]),
        Block::Heading {
            level: 3,
            content: vec![t("Generic terms of reference")],
        },
        Block::Numbered {
            prefix: String::new(),
            items: vec![item(
                &c.t1,
                1,
                "1.",
                "How well did agencies share information?",
                vec![],
            )],
        },
        Block::Heading {
            level: 3,
            content: vec![t("Case-specific terms of reference")],
        },
        Block::Numbered {
            prefix: String::new(),
            items: vec![item(
                &c.t2,
                2,
                "2.",
                "What was known about the mother's partner?",
                vec![],
            )],
        },
        Block::Table {
            header: vec![vec![t("Name")], vec![t("Role")], vec![t("Organisation")]],
            rows: vec![vec![
                vec![t("Jo Reviewer")],
                vec![t("Independent reviewer and overview author")],
                vec![t("Independent")],
            ]],
        },
        Block::Table {
            header: vec![
                vec![t("Agency")],
                vec![t("Report to the review")],
                vec![t("Confidence in the report")],
            ],
            rows: vec![
                vec![
                    vec![t("Northshire Police")],
                    vec![t("Individual Management Review: Northshire Police")],
                    vec![Inline::bold("High"), t(": Candid and well evidenced")],
                ],
                vec![
                    vec![t("Northshire Community Health")],
                    vec![Inline::italic("No report")],
                    vec![],
                ],
            ],
        },
        Block::Heading {
            level: 3,
            content: vec![t("Recommendations of the overview report")],
        },
        Block::Numbered {
            prefix: "R".into(),
            items: vec![item(
                &c.r1,
                1,
                "R1",
                "Revise the risk template to ask who lives in the household.",
                vec![Inline::italic(
                    "Owner: Head of Public Protection, Northshire Police. Due: March 2025",
                )],
            )],
        },
        Block::Heading {
            level: 3,
            content: vec![t("Recommendations of the Northshire Community Health IMR")],
        },
        Block::Numbered {
            prefix: "R".into(),
            items: vec![item(
                &c.r2,
                2,
                "R2",
                "Hand over every family in person when records move between teams.",
                vec![],
            )],
        },
        Block::Heading {
            level: 3,
            content: vec![t("Seeing the child")],
        },
        p(vec![t("Whether practitioners saw and heard the children.")]),
        Block::Numbered {
            prefix: "F".into(),
            items: vec![
                item(
                    &c.f1,
                    1,
                    "F1",
                    "The children were not seen during the police attendance.",
                    vec![],
                ),
                item(
                    &c.f2,
                    2,
                    "F2",
                    "The risk template asks nothing about other adults in the home.",
                    vec![],
                ),
            ],
        },
    ];
    assert_eq!(blocks, &expected);

    // An edit shows at once: a new ToR item, a reworded recommendation, a reordered finding.
    c.f.review
        .add_tor(TorInput {
            kind: TorKind::Generic,
            text: "Were the children seen and heard?".into(),
            out_of_scope_reason: Some("Covered by the parallel review".into()),
        })
        .unwrap();
    let mut input: RecommendationInput = {
        let r = c.f.review.recommendation(&c.r2).unwrap();
        RecommendationInput {
            origin: r.origin,
            origin_agency_id: r.origin_agency_id,
            text: "Hand over every open family in person.".into(),
            ..RecommendationInput::default()
        }
    };
    input.owner_role = "Service manager".into();
    c.f.review.update_recommendation(&c.r2, input).unwrap();
    c.f.review.move_finding(&c.f2, Some(&c.theme), 0).unwrap();
    let doc = render(&c.f.review, Document::Overview);
    let blocks = &doc.sections[0].blocks;
    let Block::Numbered { items, .. } = &blocks[2] else {
        panic!("generic ToR list: {:?}", blocks[2]);
    };
    assert_eq!(
        items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(),
        vec!["1.", "3."]
    );
    assert_eq!(
        items[1].detail,
        vec![Inline::italic(
            "Out of scope: Covered by the parallel review"
        )]
    );
    let Block::Numbered { items, .. } = &blocks[10] else {
        panic!("IMR recommendations: {:?}", blocks[10]);
    };
    assert_eq!(
        items[0].content,
        vec![t("Hand over every open family in person.")]
    );
    assert_eq!(
        items[0].detail,
        vec![Inline::italic("Owner: Service manager")]
    );
    let Block::Numbered { items, .. } = blocks.last().unwrap() else {
        panic!("findings");
    };
    assert_eq!(
        items
            .iter()
            .map(|i| (i.label.as_str(), i.id.as_str()))
            .collect::<Vec<_>>(),
        vec![("F1", c.f2.as_str()), ("F2", c.f1.as_str())]
    );
}

#[test]
fn live_blocks_on_an_empty_review_say_nothing_is_recorded() {
    let mut f = fresh();
    add(
        &mut f.review,
        Document::Overview,
        "Empty",
        "[[block:tor]]\n[[block:panel]]\n[[block:agencies]]\n[[block:recommendations]]\n[[block:themes]]\n",
    );
    let doc = render(&f.review, Document::Overview);
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    let texts: Vec<String> = doc.sections[0]
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { content } => threadline::report::plain_text(content),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        texts,
        vec![
            "No terms of reference have been recorded yet.",
            "No panel members have been recorded yet.",
            "No agencies have been recorded yet.",
            "No recommendations have been recorded yet.",
            "No themes or findings have been recorded yet.",
        ]
    );
}

#[test]
fn unknown_or_misplaced_live_blocks_are_problems_not_panics() {
    let mut f = fresh();
    add(
        &mut f.review,
        Document::Summary,
        "Odd",
        "[[block:chronology]]\n\nSee [[block:tor]] here.\n",
    );
    let doc = render(&f.review, Document::Summary);
    let messages: Vec<&str> = doc.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "the live block [[block:tor]] must stand on a line of its own",
            "[[block:chronology]] is not a live block; use one of: tor, panel, agencies, recommendations, themes",
        ]
    );
    assert_eq!(
        doc.sections[0].blocks,
        vec![
            p(vec![t("[[block:chronology]]")]),
            p(vec![t("See [[block:tor]] here.")]),
        ]
    );
}

#[test]
fn footnotes_are_numbered_by_first_reference_and_missing_ones_listed() {
    let mut c = case();
    add(
        &mut c.f.review,
        Document::Overview,
        "A",
        &format!(
            "One[^x] two[^y] again[^x] lost[^z].\n\n[^y]: Why, citing [[finding:{}]].\n[^x]: Ex.\n",
            c.f1
        ),
    );
    add(
        &mut c.f.review,
        Document::Overview,
        "B",
        "Another[^x].\n\n[^x]: Other section.\n",
    );
    let doc = render(&c.f.review, Document::Overview);
    assert_eq!(
        doc.sections[0].blocks,
        vec![p(vec![
            t("One"),
            Inline::Note { number: 1 },
            t(" two"),
            Inline::Note { number: 2 },
            t(" again"),
            Inline::Note { number: 1 },
            t(" lost[^z]."),
        ])]
    );
    assert_eq!(
        doc.sections[1].blocks,
        vec![p(vec![t("Another"), Inline::Note { number: 3 }, t(".")])]
    );
    let notes: Vec<String> = doc
        .notes
        .iter()
        .map(|n| match &n.blocks[..] {
            [Block::Paragraph { content }] => threadline::report::plain_text(content),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(notes, vec!["Ex.", "Why, citing .", "Other section."]);
    // The citation inside note 2 is numbered where the note is first referenced.
    assert_eq!(doc.citations.len(), 1);
    assert_eq!(doc.citations[0].id, c.f1);
    assert_eq!(
        doc.problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>(),
        vec!["footnote [^z] is referenced but never written out (add a line \"[^z]: …\")"]
    );
}

#[test]
fn the_document_carries_title_board_author_and_a_draft_marking() {
    let mut c = case();
    let d = c.f.review.details().unwrap();
    c.f.review
        .update_details(threadline::model::details::DetailsInput {
            title: "Child Q".into(),
            board: "Northshire Safeguarding Partnership".into(),
            ..d.into()
        })
        .unwrap();
    add(&mut c.f.review, Document::Summary, "Intro", "Text.");
    let doc = render(&c.f.review, Document::Summary);
    assert_eq!(doc.title, "Child Q");
    assert_eq!(doc.subtitle, "Executive summary");
    assert_eq!(doc.board, "Northshire Safeguarding Partnership");
    // No panel member names the author, so the board stands in.
    assert_eq!(doc.author, "Northshire Safeguarding Partnership");
    assert_eq!(doc.marking.as_deref(), Some("Draft"));
    c.f.review
        .add_panel_member(PanelMemberInput {
            name: "Sam Author".into(),
            role: "Overview author".into(),
            organisation: String::new(),
        })
        .unwrap();
    assert_eq!(c.f.review.report_author().unwrap(), "Sam Author");
    let d = c.f.review.details().unwrap();
    c.f.review
        .update_details(threadline::model::details::DetailsInput {
            status: threadline::model::details::ReviewStatus::Published,
            ..d.into()
        })
        .unwrap();
    assert_eq!(render(&c.f.review, Document::Summary).marking, None);
}

#[test]
fn the_default_outline_is_one_undoable_change() {
    let mut f = fresh();
    let sections = f.review.add_default_outline(Document::Overview).unwrap();
    let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        vec![
            "Introduction and background",
            "Summary of events",
            "Key issues and themes",
            "Good practice",
            "Conclusions",
            "Recommendations",
        ]
    );
    assert!(sections[0]
        .body
        .contains("## Terms of reference\n\n[[block:tor]]"));
    assert!(sections[0]
        .body
        .contains("## Panel membership\n\n[[block:panel]]"));
    assert_eq!(sections[5].body, "[[block:recommendations]]\n");
    assert_eq!(
        sections.iter().map(|s| s.position).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4, 5]
    );
    let bodies: Vec<String> = default_outline(Document::Overview)
        .into_iter()
        .map(|s| s.body)
        .collect();
    assert_eq!(
        sections.iter().map(|s| s.body.clone()).collect::<Vec<_>>(),
        bodies
    );
    // It renders with no problems: the live blocks it holds are known ones.
    let doc = render(&f.review, Document::Overview);
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    let Block::Heading { content, .. } = &doc.sections[0].blocks[0] else {
        panic!("a subheading first");
    };
    assert_eq!(content, &vec![t("Reasons for the review")]);

    // Refused a second time; nothing changes.
    let err = f
        .review
        .add_default_outline(Document::Overview)
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }));
    assert_eq!(
        err.to_string(),
        "document: the overview report already has 6 sections; the default outline is only added to an empty document"
    );
    assert_eq!(f.review.sections(Document::Overview).unwrap().len(), 6);

    // One undo takes the whole outline away; redo brings it back.
    assert_eq!(
        f.review.undo().unwrap(),
        "Add the default outline of the overview report"
    );
    assert!(f.review.sections(Document::Overview).unwrap().is_empty());
    f.review.redo().unwrap();
    assert_eq!(f.review.sections(Document::Overview).unwrap().len(), 6);

    // The executive summary has its own, shorter outline.
    let summary = f.review.add_default_outline(Document::Summary).unwrap();
    assert_eq!(
        summary
            .iter()
            .map(|s| s.heading.as_str())
            .collect::<Vec<_>>(),
        vec![
            "Introduction",
            "Summary of events",
            "Key findings",
            "Recommendations"
        ]
    );
    f.review.undo().unwrap();
    add(&mut f.review, Document::Summary, "Mine", "");
    let err = f.review.add_default_outline(Document::Summary).unwrap_err();
    assert!(err.to_string().contains("already has 1 section;"), "{err}");
}

#[test]
fn the_demo_reports_render_with_no_problems() {
    let dir = tempfile::tempdir().unwrap();
    let review =
        threadline::demo::build_demo(&dir.path().join("demo.threadline"), crate::common::ctx())
            .unwrap();
    for document in [Document::Overview, Document::Summary] {
        let doc = render(&review, document);
        assert!(doc.problems.is_empty(), "{document}: {:?}", doc.problems);
        assert!(!doc.citations.is_empty());
        assert!(doc
            .citations
            .iter()
            .all(|c| !c.missing && !c.label.is_empty()));
        // Numbers run 1..n in order of first appearance.
        let mut seen = Vec::new();
        for n in numbers(&doc) {
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
        assert_eq!(seen, (1..=doc.citations.len() as u32).collect::<Vec<_>>());
    }
}

#[test]
fn a_twenty_thousand_word_section_renders_and_exports_quickly() {
    let mut c = case();
    let mut body = String::new();
    for i in 0..400 {
        body.push_str(&format!(
            "Paragraph {i} has *some* words and **more** words, citing [[finding:{}]] and \
             [[excerpt:{}]], then running on ",
            c.f1, c.excerpt
        ));
        body.push_str(&"with plain words of an ordinary report ".repeat(6));
        body.push_str(".\n\n");
    }
    assert!(body.split_whitespace().count() >= 20_000);
    add(&mut c.f.review, Document::Overview, "Long", &body);
    let started = std::time::Instant::now();
    let doc = render(&c.f.review, Document::Overview);
    let rendered = started.elapsed();
    assert_eq!(doc.sections[0].blocks.len(), 400);
    assert_eq!(doc.citations.len(), 2);
    let started = std::time::Instant::now();
    for format in [
        threadline::export::ExportFormat::Docx,
        threadline::export::ExportFormat::Html,
        threadline::export::ExportFormat::Md,
    ] {
        threadline::export::export(
            &c.f.review,
            &threadline::export::ExportRequest::new(
                threadline::export::ExportDoc::Overview,
                format,
            ),
            &mut |_| {},
        )
        .unwrap();
    }
    let exported = started.elapsed();
    eprintln!("rendered in {rendered:?}, exported three ways in {exported:?}");
    // Generous bounds: they catch work that grows with the square of the text, not a slow
    // machine.
    assert!(rendered.as_secs_f64() < 2.0, "{rendered:?}");
    assert!(exported.as_secs_f64() < 6.0, "{exported:?}");
}

#[test]
fn a_live_block_on_its_own_is_what_a_section_holding_it_shows() {
    let mut c = case();
    for name in threadline::report::LIVE_BLOCKS {
        let alone = c.f.review.live_block(name).unwrap().expect(name);
        assert!(!alone.is_empty(), "{name}");
        let id = add(
            &mut c.f.review,
            Document::Summary,
            name,
            &format!("[[block:{name}]]\n"),
        );
        let doc = render(&c.f.review, Document::Summary);
        let section = doc.sections.iter().find(|s| s.id == id).unwrap();
        assert_eq!(section.blocks, alone, "{name}");
    }
    assert_eq!(c.f.review.live_block("chronology").unwrap(), None);
}

//! End-to-end tests of the real app binary: WebKitGTK under Xvfb, driven through tauri-driver
//! and WebKitWebDriver (see `support`). Each test has its own home, so none sees the user's
//! reviews, and every one starts on the welcome screen with no recent file.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::{App, Desktop};

/// The demo review's title (demo/case.json).
const DEMO_TITLE: &str = "Child R: a Child Safeguarding Practice Review";

/// The demo source the excerpt test quotes, and the one a new version replaces.
const POLICE_IMR: &str = "Individual Management Review: Northmoor Police";

/// The title of the app's import chooser (ui/src/lib/api.ts `IMPORT_CHOOSER_TITLE`).
const IMPORT_CHOOSER: &str = "Import a file";

/// Opens the demo from the welcome screen and waits for the Overview panel.
async fn open_demo(app: &App) {
    app.find("the welcome screen", "main.welcome").await;
    app.click_button_in("main.welcome", "Open demo review")
        .await;
    app.wait_until(
        "the demo review to open",
        "return !!document.querySelector('nav[aria-label=\"Panels\"]');",
    )
    .await;
    app.wait_until_with(
        "the header to name the demo review",
        "return document.body.innerText.includes(arguments[0]);",
        vec![json!(DEMO_TITLE)],
    )
    .await;
}

/// First start: the app asks who is working and keeps the answer in its config folder; the
/// welcome screen offers the demo; it opens, and every panel in the sidebar shows the demo's
/// content.
#[tokio::test]
async fn the_demo_opens_and_every_panel_shows_it() {
    let desktop = Desktop::start_first_time();
    let app = desktop.launch().await;

    let name = app
        .element(
            "the name field of the first-start dialog",
            "const d = document.querySelector('[role=dialog]');\
             return d && d.innerText.includes('Who is working?')\
               ? d.querySelector('input[name=name]') : null;",
            vec![],
        )
        .await;
    name.send_keys("Martin Osei")
        .await
        .expect("typing the name");
    app.click_css("the Panel chair role", "[role=dialog] input[value='chair']")
        .await;
    app.click_button_in("[role=dialog]", "Continue").await;
    app.wait_until(
        "the dialog to close and the header to be ready",
        "return !document.querySelector('[role=dialog]');",
    )
    .await;
    let profile = std::fs::read_to_string(desktop.config_dir().join("profile.json"))
        .expect("the profile is saved in the app's config folder");
    let profile: serde_json::Value = serde_json::from_str(&profile).unwrap();
    assert_eq!(profile, json!({"name": "Martin Osei", "role": "chair"}));

    app.wait_until(
        "the welcome screen to say there is no recent review",
        "const w = document.querySelector('main.welcome');\
         return !!w && w.innerText.includes('New here?') && !w.querySelector('.recent');",
    )
    .await;
    open_demo(&app).await;
    assert!(
        desktop.data_dir().join("demo.threadline").is_file(),
        "the demo is written to the app's data folder"
    );
    app.wait_until(
        "the header to say who is working",
        "return document.querySelector('header').innerText.includes('Martin Osei · Panel chair');",
    )
    .await;

    app.show_panel("overview").await;
    app.wait_until_with(
        "the Overview to show the review's title and counts",
        "const main = document.querySelector('main#panel');\
         const fields = [...main.querySelectorAll('input, textarea')].map((e) => e.value);\
         return fields.includes(arguments[0]) && main.innerText.includes('What the review holds');",
        vec![json!(DEMO_TITLE)],
    )
    .await;
    app.wait_panel_match("the Overview's count of findings", r"\b28\s+findings")
        .await;
    app.wait_panel_match("the Overview's count of sources", r"\b6\s+sources")
        .await;

    app.show_panel("tor").await;
    app.wait_panel_text(
        "the terms of reference",
        &[
            "ToR 1",
            "ToR 12",
            "12 covered",
            "How well did each agency recognise",
        ],
    )
    .await;

    app.show_panel("sources").await;
    app.wait_panel_text(
        "the sources and the first one's text",
        &[
            "Individual Management Review: Northmoor Police",
            "Health Overview Report: Northmoor Integrated Care Board",
            "Northmoor Safeguarding Children Partnership",
        ],
    )
    .await;

    app.show_panel("chronology").await;
    app.wait_panel_text(
        "chronology rows",
        &[
            "MASH received the PPN and decided that a child and family assessment was needed.",
            "CSC IMR para 4.1.1",
        ],
    )
    .await;

    app.show_panel("findings").await;
    app.wait_panel_text(
        "themes and findings with their evidence",
        &[
            "Domestic abuse and the unseen adult in the household",
            "F1",
            "The police response to the incident of 22-23 April 2023",
        ],
    )
    .await;
    app.wait_until(
        "F1's evidence chips",
        "return document.querySelectorAll('ul[aria-label=\"Evidence for F1\"] li').length > 0;",
    )
    .await;

    app.show_panel("recommendations").await;
    app.wait_panel_text(
        "recommendations and the action plan",
        &[
            "21 recommendations",
            "R1",
            "R21",
            "The safeguarding partners should lead",
        ],
    )
    .await;

    app.show_panel("search").await;
    let field = app
        .find(
            "the search field",
            "main#panel input[aria-label=\"Search the review\"]",
        )
        .await;
    field
        .send_keys("strangled")
        .await
        .expect("typing into the search field");
    app.wait_panel_match("search results", r"\d+ match(es)? for “strangled”")
        .await;
    app.wait_panel_text(
        "a result from the chronology",
        &["Adult D had strangled her"],
    )
    .await;

    app.show_panel("checks").await;
    app.wait_panel_text(
        "the checks of the demo, grouped by severity",
        &["Errors (", "Warnings (", "has no due date"],
    )
    .await;

    // The Coverage tab: the demo's ToR 1 row with its findings, evidence and recommendations,
    // the totals, and a finding that opens in Themes & findings.
    app.click_button_in("main#panel [role=tablist]", "Coverage")
        .await;
    app.wait_until(
        "the coverage matrix's ToR 1 row",
        "const tab = document.querySelector('#checks-tab-coverage');\
         const row = document.querySelector('main#panel table tbody tr[data-tor=\"1\"]');\
         if (!tab || tab.getAttribute('aria-selected') !== 'true' || !row) return { pending: 'no row' };\
         const names = [...row.querySelectorAll('button')].map((b) => b.textContent.trim());\
         const ok = row.innerText.includes('How well did each agency recognise')\
           && row.querySelector('td.num').textContent.trim() === '35'\
           && ['ToR 1', 'F1', 'F5', 'R1', 'R20'].every((n) => names.includes(n));\
         return ok || { pending: row.innerText.slice(0, 200) };",
    )
    .await;
    app.wait_panel_text(
        "the coverage totals",
        &["Totals: 12 terms of reference: 12 answered, 0 out of scope, 0 not answered"],
    )
    .await;
    app.click_button_in("main#panel tbody tr[data-tor=\"1\"]", "F1")
        .await;
    app.wait_until(
        "Themes & findings to open on F1",
        "const b = document.querySelector('nav[aria-label=\"Panels\"] button[data-panel=\"findings\"]');\
         return !!b && b.getAttribute('aria-current') === 'page';",
    )
    .await;

    app.quit().await;
}

/// Select words in a source → Make excerpt → link it to a new finding → its chip appears in
/// Themes & findings → the chip leads back to the highlighted paragraph. Then quit and launch
/// again on the same home: the app reopens the demo and the finding and its evidence are there.
#[tokio::test]
async fn an_excerpt_linked_to_a_new_finding_survives_a_relaunch() {
    const STATEMENT: &str =
        "The end-to-end test's finding: what the social worker recorded was not shared.";
    let desktop = Desktop::start();
    let app = desktop.launch().await;
    open_demo(&app).await;

    app.show_panel("sources").await;
    // Not the first source, and a paragraph well down its text: the chip must switch source
    // and scroll the reader to it.
    let source = app
        .element(
            "the police IMR in the source list",
            "return [...document.querySelectorAll('nav[aria-label=\"Sources by agency\"] button')]\
               .find((b) => b.querySelector('.title')?.textContent === arguments[0]) ?? null;",
            vec![json!(POLICE_IMR)],
        )
        .await;
    app.click("the police IMR", &source).await;
    app.wait_until_with(
        "the police IMR's text in the reader",
        "const h = document.querySelector('main#panel .source-head h2');\
         return !!h && h.textContent === arguments[0]\
           && !!document.querySelector('main#panel .reader .ptext');",
        vec![json!(POLICE_IMR)],
    )
    .await;
    app.js(
        "const list = document.querySelector('main#panel .reader .reader-list');\
         list.scrollTop = list.scrollHeight / 2;",
        vec![],
    )
    .await;
    // A paragraph with no excerpt yet (its text is one text node), long enough to quote.
    let chosen = app
        .wait_until(
            "a paragraph to quote half way down the reader",
            "const view = document.querySelector('main#panel .reader .reader-list')\
               .getBoundingClientRect();\
             for (const row of document.querySelectorAll('main#panel .reader [data-index]')) {\
               if (Number(row.dataset.index) < 20) continue;\
               const r = row.getBoundingClientRect();\
               if (r.top < view.top || r.bottom > view.bottom) continue;\
               const el = row.querySelector('.ptext');\
               if (!el || el.querySelector('mark')) continue;\
               const nodes = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.data);\
               if (nodes.length !== 1) continue;\
               const text = nodes[0].data;\
               if (text.length < 80) continue;\
               const end = text.indexOf(' ', 40);\
               if (end < 0) continue;\
               return { id: el.dataset.paragraphId, quote: text.slice(0, end) };\
             }\
             return null;",
        )
        .await;
    let paragraph_id = chosen["id"].as_str().expect("a paragraph id").to_owned();
    let quote = chosen["quote"]
        .as_str()
        .expect("the words to quote")
        .to_owned();

    // Select the words as a user's drag would: a DOM selection over the paragraph's text node.
    // The reader listens to the document's selectionchange.
    app.js(
        "const el = document.querySelector(`.ptext[data-paragraph-id=\"${arguments[0]}\"]`);\
         const node = [...el.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.data);\
         const range = document.createRange();\
         range.setStart(node, 0);\
         range.setEnd(node, arguments[1]);\
         const selection = document.getSelection();\
         selection.removeAllRanges();\
         selection.addRange(range);\
         el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));\
         document.dispatchEvent(new Event('selectionchange'));",
        vec![json!(paragraph_id), json!(quote.encode_utf16().count())],
    )
    .await;
    app.wait_until_with(
        "the reader to offer the selected words",
        "const hint = document.querySelector('main#panel .reader .toolbar');\
         return !!hint && hint.innerText.includes(arguments[0].slice(0, 30));",
        vec![json!(quote)],
    )
    .await;
    app.click_button_in("main#panel .reader .toolbar", "Make excerpt")
        .await;

    // The link dialog: a new finding.
    let dialog = "[role=dialog]";
    app.wait_until_with(
        "the link dialog showing the quote",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && d.innerText.includes('Link to a finding') && d.innerText.includes(arguments[0]);",
        vec![json!(quote)],
    )
    .await;
    app.click_css(
        "the \"A new finding\" choice",
        "[role=dialog] input[name=\"link-mode\"][value=\"new\"]",
    )
    .await;
    app.find("the new finding's statement", "#link-statement")
        .await
        .send_keys(STATEMENT)
        .await
        .expect("typing the statement");
    app.click_button_in(dialog, "Add finding and link").await;
    let linked = app
        .wait_until(
            "the confirmation that the excerpt is linked",
            "if (document.querySelector('[role=dialog]')) return false;\
             const toasts = [...document.querySelectorAll('[role=status]')].map((t) => t.innerText);\
             const m = toasts.join('\\n').match(/Linked to (F\\d+)/);\
             return m ? m[1] : false;",
        )
        .await;
    // Findings are numbered by their place (a new one under the first theme takes its last
    // number and the ones after it move up), so the number comes from the app.
    let number = linked.as_str().expect("the finding's number").to_owned();

    check_finding_and_chip(&app, &number, STATEMENT, &quote, &paragraph_id).await;

    // Quit, and launch again on the same home.
    app.quit().await;
    let recent = std::fs::read_dir(desktop.config_dir())
        .expect("the app's config folder")
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect::<String>();
    assert!(
        recent.contains("demo.threadline"),
        "the recent files name the demo: {recent}"
    );

    let app = desktop.launch().await;
    app.wait_until_with(
        "the app to reopen the most recent review at start",
        "return !!document.querySelector('nav[aria-label=\"Panels\"]')\
           && document.body.innerText.includes(arguments[0]);",
        vec![json!(DEMO_TITLE)],
    )
    .await;
    check_finding_and_chip(&app, &number, STATEMENT, &quote, &paragraph_id).await;
    app.quit().await;
}

/// In Themes & findings: the finding `number` says `statement` and has one evidence chip
/// quoting `quote`; clicking the chip shows Sources on the police IMR with the paragraph in
/// view, highlighted, and the excerpt marked.
async fn check_finding_and_chip(
    app: &App,
    number: &str,
    statement: &str,
    quote: &str,
    paragraph_id: &str,
) {
    app.show_panel("findings").await;
    let chips = format!("ul[aria-label=\"Evidence for {number}\"]");
    app.wait_until(
        "the demo's 28 findings and the new one",
        "return document.querySelectorAll('main#panel article[data-finding]').length === 29;",
    )
    .await;
    app.wait_until_with(
        "the new finding with its evidence chip",
        "const card = [...document.querySelectorAll('main#panel article[data-finding]')]\
           .find((a) => a.querySelector('h3')?.textContent.trim() === arguments[0]);\
         if (!card || !card.innerText.includes(arguments[1])) return false;\
         const chips = card.querySelectorAll(`${arguments[2]} li`);\
         return chips.length === 1 && chips[0].innerText.includes(arguments[3].slice(0, 30));",
        vec![json!(number), json!(statement), json!(chips), json!(quote)],
    )
    .await;
    app.click_css(
        &format!("{number}'s evidence chip"),
        &format!("{chips} li button.open"),
    )
    .await;

    app.wait_until_with(
        "Sources to show the quoted paragraph in view, highlighted",
        "const cur = document.querySelector('nav[aria-label=\"Panels\"] [aria-current=page]');\
             if (!cur || cur.dataset.panel !== 'sources') return false;\
             const h = document.querySelector('main#panel .source-head h2');\
             if (!h || h.textContent !== arguments[2]) return false;\
             const list = document.querySelector('main#panel .reader-list');\
             if (!list) return false;\
             const rows = [...list.querySelectorAll('[data-index]')].map((e) => Number(e.dataset.index));\
             const seen = { scrollTop: list.scrollTop, rendered: [Math.min(...rows), Math.max(...rows)],\
               loading: list.querySelectorAll('[aria-busy=true]').length };\
             const row = list.querySelector(`[data-paragraph-row=\"${arguments[0]}\"]`);\
             if (!row) return { pending: { row: 'not rendered', ...seen } };\
             if (!row.classList.contains('current')) return { pending: { row: 'not highlighted', ...seen } };\
             const mark = row.querySelector('mark.flash');\
             if (!mark || mark.textContent !== arguments[1]) return { pending: { row: 'no marked excerpt', ...seen } };\
             const r = row.getBoundingClientRect();\
             const view = list.getBoundingClientRect();\
             if (r.top >= view.top - 1 && r.bottom <= view.bottom + 1) return true;\
             return { pending: { row: [r.top, r.bottom], view: [view.top, view.bottom],\
               index: row.dataset.index, ...seen } };",
        vec![json!(paragraph_id), json!(quote), json!(POLICE_IMR)],
    )
    .await;
}

/// A source whose text is HTML and script is imported through the Sources panel's Import…
/// (the native file chooser answered from the keyboard) and shown as the literal text, in the
/// import summary and the reader: no element is made from it, clicking it does nothing, no
/// script runs.
#[tokio::test]
async fn an_imported_source_is_shown_as_text_and_runs_nothing() {
    const IMG: &str = r#"The carer wrote: <img src=x onerror="window.__pwned=1"> in the log."#;
    const SCRIPT: &str = "Then: <script>window.__pwned=2</script> appeared in the notes.";
    const LINK: &str = r#"And a link: <a href="javascript:window.__pwned=3">x</a> was pasted."#;
    const TITLE: &str = r#"Hostile <img src=x onerror="window.__pwned=4"> notes"#;
    let desktop = Desktop::start();
    let file = desktop.write_file(
        "hostile-notes.txt",
        &format!("Notes from the carer\n{IMG}\n{SCRIPT}\n{LINK}\n"),
    );
    let app = desktop.launch().await;
    open_demo(&app).await;

    // Watch for anything the page's CSP had to block: an injected inline handler or script
    // would show up here even though the CSP stops it from running.
    app.js(
        "window.__violations = [];\
         document.addEventListener('securitypolicyviolation',\
           (e) => window.__violations.push(`${e.violatedDirective}: ${e.sample}`));",
        vec![],
    )
    .await;

    app.show_panel("sources").await;
    app.click_button_in("main#panel .panel-header", "Import…")
        .await;
    desktop.choose_file(IMPORT_CHOOSER, &file);

    app.wait_until_with(
        "the import dialog naming the chosen file",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && d.innerText.includes('Import hostile-notes.txt') && d.innerText.includes(arguments[0]);",
        vec![json!(file.display().to_string())],
    )
    .await;
    let title = app
        .find("the source's title", "[role=dialog] input[id$=\"-title\"]")
        .await;
    title.clear().await.expect("clearing the title");
    title.send_keys(TITLE).await.expect("typing the title");
    app.click_button_in("[role=dialog]", "Import").await;

    // The summary names the source as text; then the new source is shown in the reader.
    app.wait_until_with(
        "the import summary with the title as text",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && d.innerText.includes(`“${arguments[0]}” is now a source`)\
           && !d.querySelector('img');",
        vec![json!(TITLE)],
    )
    .await;
    app.click_button_in("[role=dialog]", "Open the source")
        .await;
    app.wait_until_with(
        "the reader to show the imported text",
        "if (document.querySelector('[role=dialog]')) return false;\
         const texts = [...document.querySelectorAll('main#panel .reader .ptext')]\
           .map((e) => e.textContent);\
         return arguments[0].every((line) => texts.includes(line));",
        vec![json!([IMG, SCRIPT, LINK])],
    )
    .await;
    app.wait_panel_text("the title as text, in the list and the heading", &[TITLE])
        .await;

    let dom = app
        .js(
            "const main = document.querySelector('main#panel');\
             const reader = main.querySelector('.reader');\
             return {\
               imgs: document.querySelectorAll('img').length,\
               scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,\
               readerLinks: reader.querySelectorAll('a').length,\
               jsLinks: document.querySelectorAll('a[href^=\"javascript:\"]').length,\
               handlers: document.querySelectorAll('[onerror], [onclick], [onload]').length,\
               readerElements: [...reader.querySelectorAll('.ptext *')].map((e) => e.tagName),\
               heading: main.querySelector('.source-head h2')?.textContent,\
             };",
            vec![],
        )
        .await;
    assert_eq!(dom["imgs"], 0, "no img element exists: {dom}");
    assert_eq!(dom["scripts"], 0, "no inline script element exists: {dom}");
    assert_eq!(dom["readerLinks"], 0, "no link in the reader: {dom}");
    assert_eq!(dom["jsLinks"], 0, "no javascript: link: {dom}");
    assert_eq!(dom["handlers"], 0, "no inline event handler: {dom}");
    assert_eq!(
        dom["readerElements"],
        json!([]),
        "the text is text nodes only: {dom}"
    );
    assert_eq!(dom["heading"], TITLE, "the title is shown literally: {dom}");

    // Click each line of the text: nothing happens.
    let before = app.client().current_url().await.expect("the page's URL");
    for line in [IMG, SCRIPT, LINK] {
        let text = app
            .element(
                "an imported line",
                "return [...document.querySelectorAll('main#panel .reader .ptext')]\
                   .find((e) => e.textContent === arguments[0]) ?? null;",
                vec![json!(line)],
            )
            .await;
        app.click("an imported line", &text).await;
    }
    // Give a failed image load or a navigation time to happen.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let after = app.client().current_url().await.expect("the page's URL");
    assert_eq!(before, after, "clicking the text navigated somewhere");

    // The search snippets show it as text too.
    app.show_panel("search").await;
    app.find(
        "the search field",
        "main#panel input[aria-label=\"Search the review\"]",
    )
    .await
    .send_keys("pwned")
    .await
    .expect("typing into the search field");
    app.wait_panel_match("search results", r"\d+ match(es)? for “pwned”")
        .await;
    app.wait_panel_text("a snippet with the literal markup", &["window.__pwned"])
        .await;

    let state = app
        .js(
            "return {\
               pwned: typeof window.__pwned === 'undefined' ? null : window.__pwned,\
               imgs: document.querySelectorAll('img').length,\
               violations: window.__violations,\
             };",
            vec![],
        )
        .await;
    assert_eq!(state["pwned"], Value::Null, "a script ran: {state}");
    assert_eq!(state["imgs"], 0, "an img element appeared: {state}");
    assert_eq!(
        state["violations"],
        json!([]),
        "something tried to run and the CSP stopped it: {state}"
    );
    app.quit().await;
}

/// The text of the open dialog's figures ("Paragraphs" → "11"), as the summary shows them.
const FIGURES: &str = "const d = document.querySelector('[role=dialog]');\
     if (!d) return false;\
     return Object.fromEntries([...d.querySelectorAll('dl > div')]\
       .map((e) => [e.querySelector('dt').innerText.trim(), e.querySelector('dd').innerText.trim()]));";

/// A Word document written by LibreOffice (the repository's seed for the docx fuzzer: headings,
/// numbered and bulleted lists, a table, a footnote) named as the police's re-issued IMR is
/// imported through File › Import… (Ctrl+I, the native chooser answered from the keyboard). The
/// dialog guesses the agency from the file name and offers it as the new version of the demo's
/// police IMR; the summary counts its blocks and lists the old version's excerpts that could
/// not be placed; "Open the source" shows its paragraphs in the reader, and Undo takes the
/// whole import away.
#[tokio::test]
async fn a_word_document_imported_through_file_import_is_read_and_undone() {
    let desktop = Desktop::start();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/docx/libreoffice.docx");
    let docx = desktop.copy_file(&seed, "Northmoor Police IMR v2.docx");
    let app = desktop.launch().await;
    open_demo(&app).await;
    app.show_panel("sources").await;

    // Files dropped on the window arrive as the webview's drag-and-drop events; the window may
    // listen to them with the permissions it has (no drop can be made under Xvfb, so the flow
    // itself is checked in the browser tests).
    let listening = app
        .js(
            "const t = window.__TAURI_INTERNALS__;\
             return t.invoke('plugin:event|listen', { event: 'tauri://drag-drop',\
               target: { kind: 'Webview', label: 'main' }, handler: t.transformCallback(() => {}) })\
               .then((id) => typeof id === 'number', (e) => String(e));",
            vec![],
        )
        .await;
    assert_eq!(
        listening,
        json!(true),
        "the window may listen for dropped files"
    );

    // The native menu's accelerator, through GTK.
    desktop.press_keys("ctrl+i");
    desktop.choose_file(IMPORT_CHOOSER, &docx);
    let replaces = app
        .wait_until(
            "the import form to name the agency and the version it replaces",
            "const d = document.querySelector('[role=dialog]');\
             if (!d || !d.innerText.includes('Import Northmoor Police IMR v2.docx')) return false;\
             const agency = d.querySelector('select[id$=\"-agency\"]');\
             const replaces = d.querySelector('select[id$=\"-supersedes\"]');\
             const picked = agency?.selectedOptions[0]?.textContent;\
             if (picked !== 'Northmoor Police') return { pending: picked ?? 'no agency select' };\
             return [replaces.selectedOptions[0].textContent,\
               d.querySelector('input[id$=\"-version\"]').value];",
        )
        .await;
    assert_eq!(
        replaces,
        json!([format!("{POLICE_IMR} (version 1.2)"), "1.3"]),
        "the police IMR is chosen as the earlier version"
    );
    app.click_button_in("[role=dialog]", "Import").await;

    app.wait_until(
        "the import summary",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && d.innerText.includes('is now a source');",
    )
    .await;
    let figures = app.js(FIGURES, vec![]).await;
    assert_eq!(
        figures,
        json!({
            "Paragraphs": "11",
            "Headings": "2",
            "List items": "4",
            "Tables": "1 (2 rows)",
            "Footnotes": "1",
        }),
        "the summary counts what LibreOffice wrote"
    );
    let summary = app.js(
        "const d = document.querySelector('[role=dialog]');\
         return { text: d.innerText,\
           unplaced: d.querySelectorAll('ul[aria-label=\"Excerpts that could not be placed\"] li').length };",
        vec![],
    )
    .await;
    let text = summary["text"].as_str().unwrap_or_default();
    assert!(
        text.contains(&format!("Replaces “{POLICE_IMR}” (version 1.2)")),
        "the summary names the version it replaces: {text}"
    );
    let unplaced = summary["unplaced"].as_u64().unwrap_or_default();
    assert!(
        unplaced > 0 && text.contains("still on version 1.2"),
        "the old version's excerpts (none of whose words are in this document) are listed: {text}"
    );

    app.click_button_in("[role=dialog]", "Open the source")
        .await;
    app.wait_until_with(
        "the reader to show the document's paragraphs, labels kept",
        "if (document.querySelector('[role=dialog]')) return false;\
         const rows = [...document.querySelectorAll('main#panel .reader [data-paragraph-row]')];\
         const texts = rows.map((r) => r.querySelector('.ptext')?.textContent);\
         if (!arguments[0].every((t) => texts.includes(t))) return { pending: texts };\
         return rows.some((r) => r.innerText.includes('1.1'));",
        vec![json!([
            "Introduction",
            "The agency saw the family on 3 April 2009.",
            "03/04/2009 | Home visit",
            "The footnote text.",
        ])],
    )
    .await;
    app.wait_until(
        "the old version to be marked as replaced",
        "return [...document.querySelectorAll('nav[aria-label=\"Sources by agency\"] .badge')]\
           .some((b) => b.textContent.trim() === 'Replaced');",
    )
    .await;

    // One undo takes the whole import away: the new source and the replacement.
    app.click_css("the Undo button", "header button[data-action=\"undo\"]")
        .await;
    app.wait_until_with(
        "the import to be undone",
        "const nav = document.querySelector('nav[aria-label=\"Sources by agency\"]');\
         if (!nav) return false;\
         const titles = [...nav.querySelectorAll('.title')].filter((t) => t.textContent === arguments[0]);\
         const replaced = [...nav.querySelectorAll('.badge')].some((b) => b.textContent.trim() === 'Replaced');\
         const toast = [...document.querySelectorAll('[role=status]')].some((t) => t.innerText.startsWith('Undid: Import'));\
         return titles.length === 1 && !replaced && toast;",
        vec![json!(POLICE_IMR)],
    )
    .await;
    app.quit().await;
}

/// A CSV chronology chosen from the Chronology panel's Import… goes through the mapping preview
/// (the guessed columns, each row as it would be read, a choice changed and the preview run
/// again) and becomes entries shown in the Chronology panel; the refused row is listed.
#[tokio::test]
async fn a_csv_chronology_imports_through_the_mapping_preview() {
    const SHOUTING: &str = "E2E: officers attended a call about shouting at the flat.";
    const HOUSING: &str = "E2E: housing officer visited about rent arrears.";
    let desktop = Desktop::start();
    let csv = desktop.write_file(
        "police chronology.csv",
        &format!(
            "Date;Agency;What happened;Reference\n\
             03/04/2009;Northmoor Police;{SHOUTING};Police log 1\n\
             Sept 2008;Riverside Housing;{HOUSING};Housing file 7\n\
             soon;Northmoor Police;E2E: a visit was planned.;Police log 3\n"
        ),
    );
    let app = desktop.launch().await;
    open_demo(&app).await;
    app.show_panel("chronology").await;
    app.click_button_in("main#panel .panel-header", "Import…")
        .await;
    desktop.choose_file(IMPORT_CHOOSER, &csv);

    let rows = app
        .wait_until(
            "the mapping preview",
            "const d = document.querySelector('[role=dialog]');\
             if (!d || !d.innerText.includes('2 ready · 0 duplicates · 1 failing')) return false;\
             return [...d.querySelectorAll('[role=listitem]')].map((r) => r.innerText.replace(/\\s+/g, ' '));",
        )
        .await;
    let rows: Vec<String> = serde_json::from_value(rows).expect("the preview's rows");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows[0].contains("03/04/2009") && rows[0].contains("Ready"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("Sept 2008")
            && rows[1].contains("September 2008 (month)")
            && rows[1].contains("Riverside Housing new"),
        "a month is read as such and a new agency marked: {rows:?}"
    );
    assert!(
        rows[2].contains("Fails"),
        "the unreadable date fails: {rows:?}"
    );
    let chosen = app
        .js(
            "const d = document.querySelector('[role=dialog]');\
             return ['date', 'agency', 'event', 'source'].map((f) =>\
               d.querySelector(`select[data-field=\"${f}\"]`).selectedOptions[0].textContent);",
            vec![],
        )
        .await;
    assert_eq!(
        chosen,
        json!(["A: Date", "B: Agency", "C: What happened", "D: Reference"]),
        "the columns are guessed from the headers"
    );

    // A changed choice runs the preview again: without the agency column, no agency is new.
    let agency = app
        .find(
            "the agency column's select",
            "[role=dialog] select[data-field=\"agency\"]",
        )
        .await;
    agency
        .select_by_label("Not in the file")
        .await
        .expect("choosing no agency column");
    app.wait_until(
        "the preview without agencies",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && !d.innerText.includes('Riverside Housing')\
           && d.innerText.includes('2 ready · 0 duplicates · 1 failing');",
    )
    .await;
    agency
        .select_by_label("B: Agency")
        .await
        .expect("choosing the agency column again");
    app.wait_until(
        "the preview with the new agency again",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && d.innerText.includes('New agency, added on import: Riverside Housing');",
    )
    .await;

    app.click_button_in("[role=dialog]", "Import 2 rows").await;
    app.wait_until(
        "the import summary",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && d.innerText.includes('2 chronology entries added');",
    )
    .await;
    let figures = app.js(FIGURES, vec![]).await;
    assert_eq!(
        figures,
        json!({ "Added": "2", "Duplicates skipped": "0", "Rows refused": "1", "New agencies": "1" })
    );
    let text = app
        .js(
            "return document.querySelector('[role=dialog]').innerText;",
            vec![],
        )
        .await;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("Row 4") && text.contains("Riverside Housing"),
        "the refused row and the new agency are listed: {text}"
    );
    app.click_button_in("[role=dialog]", "Open the chronology")
        .await;
    app.wait_panel_text(
        "the imported entries in the chronology",
        &[SHOUTING, HOUSING, "Riverside Housing"],
    )
    .await;
    app.quit().await;
}

/// File › Export… (Ctrl+E) writes the demo's overview report to a Word file chosen in the save
/// dialog: the file reads back as Word with every section's heading in order and the citations
/// as footnotes.
#[tokio::test]
async fn the_overview_report_exports_to_word_through_file_export() {
    let desktop = Desktop::start();
    let app = desktop.launch().await;
    open_demo(&app).await;

    desktop.press_keys("ctrl+e");
    app.wait_until(
        "the Export dialog to start on the overview report as Word",
        "const d = document.querySelector('[role=dialog]');\
         if (!d) return false;\
         const [doc, format] = [...d.querySelectorAll('select')].map((s) => s.value);\
         return doc === 'overview' && format === 'docx';",
    )
    .await;
    // Every export asks for the version first; this one is the internal copy.
    choose_export_version(&app, "Internal (as written)").await;
    // By keyboard, as the dialog is meant to be used: Tab to "Export…" and press Enter.
    app.js(
        "[...document.querySelectorAll('[role=dialog] button')]\
           .find((b) => b.textContent.trim() === 'Export…').focus();",
        vec![],
    )
    .await;
    desktop.press_keys("Return");
    let out = desktop.data_dir().join("Child R overview.docx");
    desktop.choose_file("Export", &out);
    let status = app
        .wait_until(
            "the dialog to say where the report was saved",
            "const s = document.querySelector('[role=dialog] [role=status]');\
             return !!s && s.innerText.startsWith('Saved to') && s.innerText;",
        )
        .await;
    assert!(
        status
            .as_str()
            .unwrap_or_default()
            .contains("Child R overview.docx"),
        "{status}"
    );
    app.quit().await;

    let bytes = std::fs::read(&out).expect("the export is on disk");
    let word = threadline::import::docx::read_docx(&bytes, "export").expect("it reads as Word");
    // The app lets go of the review as it exits, a moment after quitting.
    let demo = desktop.data_dir().join("demo.threadline");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let review = loop {
        match threadline::Review::open(&demo, threadline::Context::default()) {
            Ok(review) => break review,
            Err(threadline::Error::OpenElsewhere { .. })
                if std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            Err(e) => panic!("the demo reopens: {e}"),
        }
    };
    let sections: Vec<String> = review
        .sections(threadline::model::sections::Document::Overview)
        .unwrap()
        .into_iter()
        .map(|s| s.heading)
        .collect();
    assert!(
        !sections.is_empty(),
        "the demo's overview report has sections"
    );
    // The reader takes a typed number ("1.") off the front of a heading as its label: compare
    // letters and digits only.
    let bare = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let headings: Vec<String> = word
        .paragraphs
        .iter()
        .filter(|p| p.heading_level == 1)
        .map(|p| match &p.label {
            Some(label) => bare(&format!("{label}{}", p.text)),
            None => bare(&p.text),
        })
        .collect();
    let mut rest = headings.iter();
    for heading in &sections {
        assert!(
            rest.any(|h| *h == bare(heading)),
            "section heading {heading:?} is a Heading 1, in order: {headings:?}"
        );
    }
    assert!(
        word.counts.footnotes > 0,
        "the citations are footnotes: {:?}",
        word.counts
    );
    assert!(
        word.paragraphs.iter().any(|p| p.text.contains(DEMO_TITLE)),
        "the title page names the review"
    );
}

/// The Report panel in the real app: Ctrl+7 (through GTK, where the View menu's accelerator
/// lives) opens it on the first section; words typed there and a citation chosen in the picker
/// (Ctrl+Shift+C) are saved by the core, the stored body holding the citation token, and the
/// new citation shows a live number.
#[tokio::test]
async fn a_report_section_is_typed_in_cited_and_saved_with_the_token() {
    const WORDS: &str = " Typed in the real app.";
    let desktop = Desktop::start();
    let app = desktop.launch().await;
    open_demo(&app).await;

    desktop.press_keys("ctrl+7");
    app.wait_until(
        "the Report panel with the first section's citation numbers",
        "const main = document.querySelector('main#panel[aria-label=\"Report\"]');\
         const mark = main?.querySelector('[data-rich-editor] .citation-mark');\
         return !!mark && /^\\[\\d+\\]$/.test(mark.textContent);",
    )
    .await;
    let section_id = app
        .wait_until(
            "the open section's id",
            "return document.querySelector('main#panel .pick[aria-current=\"true\"]')\
               ?.closest('[data-section]')?.dataset.section ?? false;",
        )
        .await
        .as_str()
        .expect("a section id")
        .to_owned();

    // The caret at the end of the text, then type as the keyboard would.
    app.js(
        "const box = document.querySelector('main#panel [data-rich-editor]');\
         box.focus();\
         const last = box.querySelectorAll(':scope > p');\
         const range = document.createRange();\
         range.selectNodeContents(last[last.length - 1]);\
         range.collapse(false);\
         const sel = document.getSelection();\
         sel.removeAllRanges();\
         sel.addRange(range);",
        vec![],
    )
    .await;
    app.find("the section's text", "main#panel [data-rich-editor]")
        .await
        .send_keys(WORDS)
        .await
        .expect("typing in the editor");
    app.wait_until_with(
        "the typed words to be saved",
        "const s = [...document.querySelectorAll('main#panel [role=status]')].map((e) => e.innerText.trim());\
         return s.includes('Saved') && document.querySelector('main#panel [data-rich-editor]')\
           .innerText.includes(arguments[0].trim());",
        vec![json!(WORDS)],
    )
    .await;

    // Ctrl+Z through GTK, where the Edit menu's accelerator also listens: one step of typing
    // is undone in the editor, once, and the review's own undo does not run.
    let editor = app
        .find("the section's text", "main#panel [data-rich-editor]")
        .await;
    editor.send_keys(" alpha").await.expect("typing alpha");
    // A pause longer than the editor's grouping of typed text, so "beta" is its own step.
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    editor.send_keys(" beta").await.expect("typing beta");
    desktop.press_keys("ctrl+z");
    app.wait_until(
        "Ctrl+Z to undo \"beta\" only",
        "const t = document.querySelector('main#panel [data-rich-editor]').innerText;\
         return t.includes('alpha') && !t.includes('beta') ? true : { pending: t.slice(-80) };",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let after_undo = app
        .js(
            "return {\
               text: document.querySelector('main#panel [data-rich-editor]').innerText.slice(-80),\
               undid: [...document.querySelectorAll('[role=status]')]\
                 .some((t) => t.innerText.startsWith('Undid')),\
             };",
            vec![],
        )
        .await;
    assert!(
        after_undo["text"].as_str().unwrap_or("").contains("alpha"),
        "one Ctrl+Z undid one step: {after_undo}"
    );
    assert_eq!(
        after_undo["undid"],
        json!(false),
        "the review's undo did not run"
    );

    // Cite: the picker searches the review; Enter puts the first record at the caret.
    desktop.press_keys("ctrl+shift+c");
    let query = app
        .find(
            "the citation picker's search",
            "[role=dialog] #cite-picker-query",
        )
        .await;
    query
        .send_keys("strangled")
        .await
        .expect("typing the search");
    app.wait_until(
        "the picker to list records",
        "return !!document.querySelector('#cite-picker-results [role=option]');",
    )
    .await;
    query.send_keys("\u{E007}").await.expect("pressing Enter");
    app.wait_until(
        "the picker to close",
        "return !document.querySelector('[role=dialog]');",
    )
    .await;
    // Leaving the editor saves at once: open the second section.
    app.js(
        "document.querySelectorAll('main#panel .pick')[1].click();",
        vec![],
    )
    .await;

    // The stored body, read back through the app from the core.
    app.js(
        "window.__e2eBody = null;\
         window.__TAURI_INTERNALS__.invoke('section', { id: arguments[0] })\
           .then((s) => { window.__e2eBody = s.body; }, (e) => { window.__e2eBody = 'error: ' + JSON.stringify(e); });",
        vec![json!(section_id)],
    )
    .await;
    let body = app
        .wait_until(
            "the section's saved body",
            "return window.__e2eBody ?? false;",
        )
        .await
        .as_str()
        .expect("the body")
        .to_owned();
    let token = last_token(&body)
        .unwrap_or_else(|| panic!("a citation token after the typed words in: {body}"));
    assert!(
        body.contains(&format!("{WORDS} alpha{token}")),
        "the token follows the typed words: {body}"
    );

    // Back on the first section, the new citation shows its live number.
    app.js(
        "document.querySelectorAll('main#panel .pick')[0].click();",
        vec![],
    )
    .await;
    let cited_id = token
        .trim_start_matches("[[")
        .trim_end_matches("]]")
        .split_once(':')
        .map(|(_, id)| id.to_owned())
        .expect("a kind:id token");
    app.wait_until_with(
        "the new citation's number",
        "const marks = [...document.querySelectorAll(\
           `main#panel [data-rich-editor] [data-citation=\"${arguments[0]}\"] .citation-mark`)];\
         return marks.length > 0 && marks.every((m) => /^\\[\\d+\\]$/.test(m.textContent));",
        vec![json!(cited_id)],
    )
    .await;
    app.quit().await;
}

/// The last citation token in `body` (`[[kind:id]]`), if any.
fn last_token(body: &str) -> Option<String> {
    let start = body.rfind("[[")?;
    let end = body[start..].find("]]")? + start + 2;
    Some(body[start..end].to_owned())
}

/// Picks the export version (`label`, "Internal (as written)" or "Publication
/// (pseudonymised)") in the open Export dialog, which asks for it on every export.
async fn choose_export_version(app: &App, label: &str) {
    app.js(
        "[...document.querySelectorAll('[role=dialog] input[type=radio]')]\
           .find((r) => r.closest('label').textContent.trim() === arguments[0]).click();",
        vec![json!(label)],
    )
    .await;
    app.wait_until(
        "Export… to be enabled once the version is chosen",
        "const b = [...document.querySelectorAll('[role=dialog] button')]\
           .find((b) => b.textContent.trim() === 'Export…');\
         return !!b && !b.disabled;",
    )
    .await;
}

/// A publication export through File › Export…: with a register entry that has no pseudonym
/// ("Bruising", a word the demo's overview report uses), the dialog lists it before exporting;
/// the leak gate refuses to write and the dialog lists its hits with their context; nothing is
/// on disk. Marking every hit intended and exporting anyway writes the file the user chose.
#[tokio::test]
async fn a_publication_export_is_refused_until_its_hits_are_marked_intended() {
    let desktop = Desktop::start();
    let app = desktop.launch().await;
    open_demo(&app).await;
    app.quit().await;

    // With the app closed, register the word, as the Names & pseudonyms panel would.
    let demo = desktop.data_dir().join("demo.threadline");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let mut review = loop {
        match threadline::Review::open(&demo, threadline::Context::default()) {
            Ok(review) => break review,
            Err(threadline::Error::OpenElsewhere { .. })
                if std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            Err(e) => panic!("the demo opens: {e}"),
        }
    };
    review
        .add_person(threadline::model::people::PersonInput {
            category: threadline::model::people::PersonCategory::Person,
            real_name: "Bruising".into(),
            aliases: Vec::new(),
            pseudonym: String::new(),
            role: String::new(),
            relation: String::new(),
            safe_to_name: false,
        })
        .expect("the entry is added");
    drop(review);

    let app = desktop.launch().await;
    app.wait_until(
        "the app to reopen the demo",
        "return !!document.querySelector('nav[aria-label=\"Panels\"]');",
    )
    .await;
    desktop.press_keys("ctrl+e");
    app.wait_until(
        "the Export dialog on the overview report",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && d.querySelector('select').value === 'overview';",
    )
    .await;
    choose_export_version(&app, "Publication (pseudonymised)").await;
    app.wait_until(
        "the dialog to list the entry that has no pseudonym",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && /will be printed as written/.test(d.innerText) && d.innerText.includes('Bruising');",
    )
    .await;
    app.js(
        "[...document.querySelectorAll('[role=dialog] button')]\
           .find((b) => b.textContent.trim() === 'Export…').focus();",
        vec![],
    )
    .await;
    desktop.press_keys("Return");
    let out = desktop.data_dir().join("Child R publication.docx");
    desktop.choose_file("Export", &out);
    let listed = app
        .wait_until(
            "the dialog to list what the leak gate found",
            "const d = document.querySelector('[role=dialog]');\
             const t = d ? d.innerText : '';\
             return /could identify someone/.test(t) && t;",
        )
        .await;
    let listed = listed.as_str().unwrap_or_default().to_owned();
    assert!(
        listed.contains("the registered name “Bruising”"),
        "the hit names the entry: {listed}"
    );
    assert!(
        !out.exists(),
        "nothing is written while the gate finds something"
    );

    app.js(
        "document.querySelectorAll('[role=dialog] .leaks input[type=checkbox]')\
           .forEach((c) => { if (!c.checked) c.click(); });",
        vec![],
    )
    .await;
    app.js(
        "[...document.querySelectorAll('[role=dialog] button')]\
           .find((b) => b.textContent.trim().startsWith('Export anyway')).click();",
        vec![],
    )
    .await;
    let status = app
        .wait_until(
            "the dialog to say where the publication was saved",
            "const s = document.querySelector('[role=dialog] [role=status]');\
             return !!s && s.innerText.startsWith('Saved to') && s.innerText;",
        )
        .await;
    assert!(
        status
            .as_str()
            .unwrap_or_default()
            .contains("Child R publication.docx"),
        "{status}"
    );
    app.quit().await;

    let bytes = std::fs::read(&out).expect("the publication is on disk");
    let word = threadline::import::docx::read_docx(&bytes, "export").expect("it reads as Word");
    assert!(
        word.paragraphs
            .iter()
            .any(|p| p.text.to_lowercase().contains("bruising")),
        "the hit marked intended is in the file"
    );
}

/// A protected review the app reopens at start: the window asks for its passphrase; a wrong
/// one is refused in the dialog without a word of what the file holds, the right one (typed,
/// then Enter) opens the review, and the header marks it "Protected".
#[tokio::test]
async fn a_protected_review_opens_through_the_passphrase_dialog() {
    const TITLE: &str = "Child P: a protected review";
    const PASSPHRASE: &str = "correct horse battery";
    let desktop = Desktop::start();
    let dir = desktop.data_dir();
    std::fs::create_dir_all(&dir).expect("the app's data folder");
    let path = dir.join("child-p.threadline");
    {
        let key = threadline::Passphrase::new(PASSPHRASE).expect("a passphrase");
        let mut review =
            threadline::Review::create(&path, threadline::Context::default().with_passphrase(key))
                .expect("a protected review");
        let mut details =
            threadline::model::details::DetailsInput::from(review.details().expect("its details"));
        details.title = TITLE.into();
        review.update_details(details).expect("the title is set");
        review.close().expect("the review closes");
    }
    let raw = std::fs::read(&path).expect("the review file");
    assert!(
        !raw.windows(TITLE.len()).any(|w| w == TITLE.as_bytes()),
        "the title is not readable in the protected file"
    );
    // The most recent review, which the app reopens at start.
    std::fs::write(
        desktop.config_dir().join("recent-files.json"),
        serde_json::to_string(&[path.to_str().expect("a UTF-8 path")]).unwrap(),
    )
    .expect("the recent-files list");

    let app = desktop.launch().await;
    let field = "[role=dialog] input[name=\"passphrase\"]";
    app.wait_until(
        "the window to ask for the passphrase at start",
        "const d = document.querySelector('[role=dialog]');\
         return !!d && d.innerText.includes('Enter the passphrase')\
           && d.innerText.includes('child-p.threadline is protected with a passphrase');",
    )
    .await;
    let input = app.find("the passphrase field", field).await;
    assert_eq!(
        input.attr("type").await.expect("its type").as_deref(),
        Some("password"),
        "the passphrase is not shown as it is typed"
    );
    input
        .send_keys("not the passphrase\u{E007}")
        .await
        .expect("typing a wrong passphrase and Enter");
    let said = app
        .wait_until(
            "the dialog to say the passphrase is wrong",
            "const a = document.querySelector('[role=dialog] [role=alert]');\
             return a ? a.innerText.trim() : false;",
        )
        .await;
    assert_eq!(said, json!("That passphrase is not right."));
    let dialog_text = app
        .js(
            "return document.querySelector('[role=dialog]').innerText;",
            vec![],
        )
        .await;
    assert!(
        !dialog_text.as_str().unwrap_or_default().contains("Child P"),
        "the dialog gives no hint of the content: {dialog_text}"
    );

    app.find("the passphrase field", field)
        .await
        .send_keys(&format!("{PASSPHRASE}\u{E007}"))
        .await
        .expect("typing the passphrase and Enter");
    app.wait_until_with(
        "the protected review to open, marked Protected",
        "return !document.querySelector('[role=dialog]')\
           && !!document.querySelector('nav[aria-label=\"Panels\"]')\
           && document.querySelector('header .name')?.textContent === arguments[0]\
           && document.querySelector('header .protected')?.textContent.trim() === 'Protected';",
        vec![json!(TITLE)],
    )
    .await;
    app.quit().await;
}

/// The chair's path in the real app: the Review panel issues a labelled draft (saying what it
/// freezes), shows it read-only, and a section is approved against it. The file, read beside
/// the running app through a read-only open, holds the draft and the verdict with who gave it.
#[tokio::test]
async fn a_draft_is_issued_and_a_section_approved_in_the_review_panel() {
    const LABEL: &str = "Draft for the chair";
    let desktop = Desktop::start();
    let app = desktop.launch().await;
    open_demo(&app).await;
    app.show_panel("review").await;
    app.wait_panel_text("the empty drafts list", &["Issue draft…"])
        .await;
    app.click_button_in("main#panel", "Issue draft…").await;
    let label = app
        .element(
            "the label field of the issue dialog",
            "const d = document.querySelector('[role=dialog]');\
             return d && d.querySelector('[data-frozen]') ? d.querySelector('input') : null;",
            vec![],
        )
        .await;
    let frozen = app
        .js(
            "return document.querySelector('[role=dialog] [data-frozen]').innerText;",
            vec![],
        )
        .await;
    assert!(
        frozen.as_str().unwrap().contains("28 findings"),
        "the dialog says what it freezes: {frozen}"
    );
    label
        .send_keys(&format!("{LABEL}\u{E007}"))
        .await
        .expect("typing the label and Enter");
    app.wait_until_with(
        "the issued draft in the list and its text in the reader",
        "const main = document.querySelector('main#panel');\
         return !document.querySelector('[role=dialog]') && main.innerText.includes(arguments[0])\
           && main.innerText.includes('Introduction');",
        vec![json!(LABEL)],
    )
    .await;
    let approve = app
        .element(
            "the first section's Approve button",
            "return [...document.querySelectorAll('main#panel button')]\
               .find((b) => (b.getAttribute('aria-label') || '').startsWith('Approve “')) ?? null;",
            vec![],
        )
        .await;
    app.click("Approve", &approve).await;
    app.wait_panel_match("the verdict on the section", r"Approved")
        .await;

    // Beside the running app: the review is open there, so it is read here read-only.
    let demo = desktop.data_dir().join("demo.threadline");
    let review = threadline::Review::open_read_only(&demo, threadline::Context::default())
        .expect("a read-only open beside the app");
    let drafts = review.drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].label, LABEL);
    assert_eq!(drafts[0].issued_by, "Alison Greaves");
    let verdicts = review.approvals().unwrap();
    assert_eq!(verdicts.len(), 1, "{verdicts:?}");
    assert_eq!(verdicts[0].draft_number, 1);
    assert_eq!(verdicts[0].by, "Alison Greaves");
    assert!(!verdicts[0].stale);
    review.close().unwrap();
    app.quit().await;
}

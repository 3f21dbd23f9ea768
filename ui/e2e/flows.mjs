//! The browser checks `npm run e2e` runs (see run.mjs). Each check gets `newPage(options)`,
//! which opens the built UI with the shell played from the demo fixture (mock-ipc.js), and the
//! fixture itself, so what a panel must show is read from the same data the page is given.

import assert from 'node:assert/strict';

import { REGISTER_CHECK } from './register-flow.mjs';
import { REVIEW_CHECK } from './review-flow.mjs';

/** The sidebar, as ui/src/lib/panels.ts defines it. */
const PANELS = [
  { id: 'overview', label: 'Overview', digit: 1 },
  { id: 'tor', label: 'Terms of reference', digit: 2 },
  { id: 'sources', label: 'Sources & IMRs', digit: 3 },
  { id: 'chronology', label: 'Chronology', digit: 4 },
  { id: 'findings', label: 'Themes & findings', digit: 5 },
  { id: 'recommendations', label: 'Recommendations', digit: 6 },
  { id: 'report', label: 'Report', digit: 7 },
  { id: 'search', label: 'Search', digit: 9 },
];

const panel = (id) => PANELS.find((p) => p.id === id);

/** Where a search hit of `kind` opens (ui/src/lib/review.svelte.ts `panelForKind`). */
function panelForKind(kind) {
  switch (kind) {
    case 'paragraph':
    case 'excerpt':
    case 'source':
      return 'sources';
    case 'chronology_entry':
      return 'chronology';
    case 'finding':
    case 'theme':
      return 'findings';
    case 'recommendation':
    case 'action':
      return 'recommendations';
    case 'tor_item':
      return 'tor';
    case 'section':
      return 'report';
    default:
      return 'overview';
  }
}

/** The hits in the order the palette lists them: grouped by kind, groups by their best hit. */
function paletteOrder(hits) {
  const groups = new Map();
  for (const hit of hits) {
    if (!groups.has(hit.kind)) groups.set(hit.kind, []);
    groups.get(hit.kind).push(hit);
  }
  return [...groups.values()].flat();
}

/** Character (Unicode scalar) offset of UTF-16 offset `units` in `text`, as the core counts. */
const charsBefore = (text, units) => Array.from(text.slice(0, units)).length;

// -----------------------------------------------------------------------------------------------
// Waiting for a panel and its demo content

async function mainText(page, texts) {
  await page.waitForFunction(
    (wanted) => {
      const text = document.querySelector('main#panel')?.textContent ?? '';
      return wanted.every((t) => text.includes(t));
    },
    texts,
  );
}

/** What each panel must show from the demo, checked once it says it is that panel. */
const DEMO_CONTENT = {
  async overview(page, f) {
    await page.locator('main#panel h1', { hasText: 'Overview' }).waitFor();
    const d = f.review_info.details;
    await page.waitForFunction(
      ([title, board]) =>
        document.querySelector('#ov-title')?.value === title &&
        document.querySelector('#ov-board')?.value === board,
      [d.title, d.board],
    );
    await mainText(page, ['Review details', 'What the review holds', 'Report sections']);
  },
  async tor(page, f) {
    await mainText(page, f.tor_items.flatMap((t) => [`ToR ${t.number}`, t.text]));
  },
  async sources(page, f) {
    await mainText(page, f.sources.map((s) => s.title));
    // The reader shows the selected source's first paragraph.
    const source = await selectedSource(page, f);
    await page.locator('.source-head h2', { hasText: source.title }).waitFor();
    // The reader shows the selected source's paragraphs, as the core holds them.
    const shown = page.locator('.reader .ptext');
    await shown.first().waitFor();
    const byId = new Map(f.paragraphs[source.id].map((p) => [p.id, p.text]));
    const texts = await shown.evaluateAll((els) => els.map((el) => [el.dataset.paragraphId, el.textContent]));
    for (const [id, text] of texts) assert.equal(text, byId.get(id), `paragraph ${id} of ${source.title}`);
  },
  async chronology(page, f) {
    const first = [...f.chronology].sort((a, b) => a.date.localeCompare(b.date) || a.seq - b.seq)[0];
    await mainText(page, [`${f.chronology.length} entries`, first.event]);
    await page.locator(`[data-entry-row="${first.id}"]`).waitFor();
  },
  async findings(page, f) {
    const first = [...f.findings].sort((a, b) => a.number - b.number)[0];
    await mainText(page, [...f.themes.map((t) => t.title), first.statement]);
  },
  async recommendations(page, f) {
    const first = [...f.recommendations].sort((a, b) => a.number - b.number)[0];
    await mainText(page, [`${f.recommendations.length} recommendations`, first.text]);
  },
  async search(page) {
    await page.locator('main#panel h1', { hasText: 'Search' }).waitFor();
    await page.locator('main#panel input[type="search"]').waitFor();
  },
  async report(page, f) {
    // The overview's sections are listed, and the first is open in the editor.
    await mainText(page, f.sections.overview.map((s) => s.heading));
    await page.locator('main#panel [data-rich-editor] .citation').first().waitFor();
  },
};

/** The source the Sources panel has selected. */
async function selectedSource(page, f) {
  const current = page.locator('[data-source][aria-current="true"]');
  await current.waitFor();
  const id = await current.getAttribute('data-source');
  const source = f.sources.find((s) => s.id === id);
  assert.ok(source, `the selected source ${id} is in the fixture`);
  return source;
}

/** Waits until panel `id` is the one shown (sidebar and main agree) with its demo content. */
async function expectPanel(page, f, id) {
  const { label } = panel(id);
  await page.locator(`main#panel[aria-label="${label}"]`).waitFor();
  await page.locator(`nav[aria-label="Panels"] [data-panel="${id}"][aria-current="page"]`).waitFor();
  await DEMO_CONTENT[id](page, f);
}

async function openDemoFromWelcome(page, f) {
  await page.getByRole('heading', { level: 1, name: 'Threadline' }).waitFor();
  await page.getByRole('button', { name: 'Open demo review' }).click();
  await page.locator('nav[aria-label="Panels"]').waitFor();
  await page.locator('header', { hasText: f.review_info.details.title }).waitFor();
  await expectPanel(page, f, 'overview');
}

/** The calls of one command the page made so far. */
const callsOf = (page, command) =>
  page.evaluate((c) => window.__e2e.calls.filter((x) => x.command === c).map((x) => x.args), command);

async function waitForCalls(page, command, count) {
  await page.waitForFunction(
    ([c, n]) => window.__e2e.calls.filter((x) => x.command === c).length >= n,
    [command, count],
  );
  return callsOf(page, command);
}

// -----------------------------------------------------------------------------------------------
// axe-core

/** Runs axe on the page as it is; fails on serious or critical violations, prints the rest. */
async function axeCheck(page, ctx, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(ctx.axeSource);
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
      count: v.nodes.length,
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations.filter((x) => !bad.includes(x))) {
    ctx.log(`axe ${where}: ${v.impact} ${v.id} (${v.count}): ${v.help} — ${v.targets.join(', ')}`);
  }
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id} (${v.count}): ${v.help} — ${v.targets.join(', ')}`),
    [],
    `axe on ${where}`,
  );
  return violations.length;
}

// -----------------------------------------------------------------------------------------------
// Focus

/** What has focus, and whether it shows it. */
function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
    const rect = el.getBoundingClientRect();
    return {
      name:
        el.getAttribute('aria-label') ||
        (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60) ||
        el.getAttribute('id') ||
        el.tagName,
      tag: el.tagName.toLowerCase(),
      focusVisible: el.matches(':focus-visible'),
      ring: outline || shadow,
      outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
      inView: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.top < innerHeight,
      ariaLabel: el.getAttribute('aria-label') ?? '',
    };
  });
}

function assertVisibleFocus(state, step) {
  assert.ok(state, `step ${step}: something has focus`);
  const what = `step ${step}: ${state.tag} "${state.name}"`;
  assert.ok(state.focusVisible, `${what} matches :focus-visible`);
  assert.ok(state.ring, `${what} draws a focus ring (outline ${state.outline}, no box-shadow)`);
  assert.ok(state.inView, `${what} is on screen`);
}

// -----------------------------------------------------------------------------------------------
// Selections in the reader

/** The viewport point of UTF-16 offset range [from, to) inside a paragraph's text element. */
function textRect(page, paragraphId, from, to) {
  return page.evaluate(
    ([id, a, b]) => {
      const root = document.querySelector(`.ptext[data-paragraph-id="${id}"]`);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const place = (offset, end) => {
        let seen = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.data.length;
          if (offset < seen + len || (end && offset === seen + len)) return [n, offset - seen];
          seen += len;
        }
        throw new Error(`offset ${offset} is past the text`);
      };
      walker.currentNode = root;
      const [sn, so] = place(a, false);
      walker.currentNode = root;
      const [en, eo] = place(b, true);
      const range = document.createRange();
      range.setStart(sn, so);
      range.setEnd(en, eo);
      const rects = [...range.getClientRects()];
      const r = range.getBoundingClientRect();
      return {
        first: rects[0] && { x: rects[0].left, y: rects[0].top, h: rects[0].height },
        last: rects.at(-1) && { x: rects.at(-1).right, y: rects.at(-1).top, h: rects.at(-1).height },
        box: { x: r.left, y: r.top, w: r.width, h: r.height },
      };
    },
    [paragraphId, from, to],
  );
}

/** Selects UTF-16 range [from, to) of a paragraph's text with a DOM Range, across its nodes. */
function selectByRange(page, paragraphId, from, to) {
  return page.evaluate(
    ([id, a, b]) => {
      const root = document.querySelector(`.ptext[data-paragraph-id="${id}"]`);
      const locate = (offset, end) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.data.length;
          if (offset < seen + len || (end && offset === seen + len)) return [n, offset - seen];
          seen += len;
        }
        throw new Error(`offset ${offset} is past the text`);
      };
      const range = document.createRange();
      range.setStart(...locate(a, false));
      range.setEnd(...locate(b, true));
      const selection = document.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return { text: selection.toString(), nodes: root.childNodes.length };
    },
    [paragraphId, from, to],
  );
}

const makeButton = (page) => page.getByRole('button', { name: 'Make excerpt' });

/**
 * Presses Make excerpt for the current selection and checks the recorded `add_excerpt` call:
 * the paragraph and the CHARACTER offsets `start..end`. Closes the link dialog that follows
 * and checks the new highlight quotes exactly the expected text. Returns the excerpt's id.
 */
async function makeExcerpt(page, ctx, { paragraph, start, end, axe = false }) {
  const quote = Array.from(paragraph.text).slice(start, end).join('');
  const button = makeButton(page);
  await page.waitForFunction(
    () => {
      const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Make excerpt');
      return b && !b.disabled;
    },
  );
  await page.locator('.reader .hint', { hasText: `Quote ${end - start} characters` }).waitFor();
  const before = (await callsOf(page, 'add_excerpt')).length;
  await button.click();
  const calls = await waitForCalls(page, 'add_excerpt', before + 1);
  assert.deepEqual(calls[before], { paragraphId: paragraph.id, start, end, note: '' }, 'add_excerpt arguments');
  // The link dialog offers to link the new excerpt to a finding; it quotes the text.
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.ok((await dialog.textContent()).includes(quote), 'the link dialog quotes the excerpt');
  if (axe) await axeCheck(page, ctx, 'the link-excerpt dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  const held = await page.evaluate(() => Object.values(window.__e2e.data.excerpts).flat());
  const excerpt = held.find((x) => x.id.startsWith('e2e-') && x.paragraph_id === paragraph.id && x.start === start);
  assert.ok(excerpt, 'the mock holds the new excerpt');
  assert.equal(excerpt.quote, quote);
  const mark = page.locator(`.ptext[data-paragraph-id="${paragraph.id}"] mark[data-excerpt-ids~="${excerpt.id}"]`);
  await mark.first().waitFor();
  assert.equal((await mark.allTextContents()).join(''), quote, 'the highlight covers exactly the quote');
  return excerpt.id;
}

// -----------------------------------------------------------------------------------------------
// The checks

export const CHECKS = [
  REGISTER_CHECK,
  REVIEW_CHECK,
  {
    name: 'File › Passphrase…: protect, then change only with the current passphrase; buttons inside the dialog',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await expectPanel(page, f, 'overview');
      await page.evaluate(() => window.__e2e.emit('menu', 'file.passphrase'));
      const protect = page.getByRole('dialog', { name: 'Protect this review' });
      await protect.waitFor();
      await protect.getByLabel('Passphrase', { exact: true }).fill('river stone');
      await protect.getByLabel('Confirm passphrase').fill('river stone');
      await protect.getByRole('button', { name: 'Protect' }).click();
      await page.locator('.header .protected').getByText('Protected').waitFor();
      await protect.waitFor({ state: 'detached' });

      await page.evaluate(() => window.__e2e.emit('menu', 'file.passphrase'));
      const dialog = page.getByRole('dialog', { name: 'Passphrase' });
      await dialog.waitFor();
      // Every button of the dialog lies inside it, at the 1280 × 800 window.
      const outer = await dialog.boundingBox();
      for (const button of await dialog.getByRole('button').all()) {
        const box = await button.boundingBox();
        const name = await button.textContent();
        assert.ok(
          box.x >= outer.x && box.x + box.width <= outer.x + outer.width && box.y + box.height <= outer.y + outer.height,
          `"${name.trim()}" lies inside the dialog`,
        );
      }
      await axeCheck(page, ctx, 'the Passphrase dialog');
      await dialog.getByLabel('New passphrase', { exact: true }).fill('new words');
      await dialog.getByLabel('Confirm new passphrase').fill('new words');
      await dialog.getByRole('button', { name: 'Change passphrase' }).click();
      await dialog.getByRole('alert').getByText('Type the current passphrase to change it.').waitFor();
      assert.equal((await callsOf(page, 'change_passphrase')).length, 0, 'nothing is sent without it');
      await dialog.getByLabel('Current passphrase').fill('guess');
      await dialog.getByRole('button', { name: 'Change passphrase' }).click();
      await dialog.getByRole('alert').getByText(/it is not this review's passphrase, so the passphrase was not changed/).waitFor();
      await dialog.getByLabel('Current passphrase').fill('river stone');
      await dialog.getByRole('button', { name: 'Change passphrase' }).click();
      await page.getByText('The passphrase was changed').waitFor();
      await dialog.waitFor({ state: 'detached' });
      const calls = await callsOf(page, 'change_passphrase');
      assert.deepEqual(
        calls.map((c) => c.current),
        ['guess', 'river stone'],
      );
    },
  },
  {
    name: 'Checks panel lists results and opens their records; File › Export… saves a report',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await expectPanel(page, f, 'overview');
      await page.getByRole('region', { name: 'Checks' }).getByText('1 error').waitFor();
      await page.getByRole('button', { name: 'Open the Checks panel' }).click();
      await page.locator('main#panel[aria-label="Checks"]').waitFor();
      await page.getByRole('region', { name: 'Errors (1)' }).waitFor();
      await axeCheck(page, ctx, 'the Checks panel');
      const finding = f.findings[0];
      await page.getByRole('button', { name: new RegExp(`Finding F${finding.number} cites no evidence`) }).click();
      await expectPanel(page, f, 'findings');
      await page.evaluate(() => window.__e2e.emit('menu', 'file.export'));
      const dialog = page.getByRole('dialog', { name: 'Export' });
      await dialog.waitFor();
      await dialog.getByLabel('Document').selectOption('action_plan');
      assert.equal(await dialog.getByLabel('Format').inputValue(), 'xlsx');
      await axeCheck(page, ctx, 'the Export dialog');
      await dialog.getByLabel('Internal (as written)').check();
      await dialog.getByRole('button', { name: 'Export…' }).click();
      await dialog.getByRole('status').getByText('Saved to /home/reviewer/exports/action-plan.xlsx').waitFor();
      const [call] = await callsOf(page, 'export_to_file');
      assert.deepEqual(call.request, { doc: 'action_plan', format: 'xlsx', citations: 'footnotes', coverage_appendix: false });
      assert.equal(call.replace, true);
    },
  },
  {
    name: 'welcome screen, open the demo, every panel from the sidebar',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage();
      await page.getByRole('heading', { level: 1, name: 'Threadline' }).waitFor();
      assert.equal(await page.locator('nav[aria-label="Panels"]').count(), 0, 'no sidebar before a review is open');
      assert.deepEqual(await callsOf(page, 'current_review'), [{}], 'asked the shell what is open');
      await openDemoFromWelcome(page, f);
      assert.equal((await callsOf(page, 'open_demo')).length, 1);
      for (const p of [...PANELS.slice(1), PANELS[0]]) {
        await page.locator(`nav[aria-label="Panels"] [data-panel="${p.id}"]`).click();
        await expectPanel(page, f, p.id);
      }
      // The shell's menu reaches the window as an event.
      await page.evaluate(() => window.__e2e.emit('menu', 'view.recommendations'));
      await expectPanel(page, f, 'recommendations');
      // Closing returns to the welcome screen, now with the demo as a recent file.
      await page.getByRole('button', { name: 'Close review' }).click();
      await page.getByRole('heading', { name: 'Recent reviews' }).waitFor();
      await page.getByRole('button', { name: /demo\.threadline/ }).waitFor();
    },
  },
  {
    name: 'Ctrl+1..9 switch panels',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await expectPanel(page, f, 'overview');
      for (const p of [...PANELS].reverse()) {
        await page.keyboard.press(`Control+${p.digit}`);
        await expectPanel(page, f, p.id);
      }
      // From inside a text field too.
      await page.locator('#ov-title').focus();
      await page.keyboard.press('Control+5');
      await expectPanel(page, f, 'findings');
    },
  },
  {
    name: 'Ctrl+K palette: type, arrow down, Enter lands on the record',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await expectPanel(page, f, 'overview');
      const cases = [
        { word: 'strangulation', expectKind: 'paragraph' },
        { word: 'unseen', expectKind: 'theme' },
      ];
      let previous = '';
      for (const { word, expectKind } of cases) {
        const order = paletteOrder(f.searches[word].hits);
        const hit = order[1];
        assert.equal(hit.kind, expectKind, `the second hit for "${word}" in the fixture`);
        await page.keyboard.press('Control+k');
        const input = page.getByRole('combobox', { name: 'Search the review' });
        await input.waitFor();
        assert.ok(await input.evaluate((el) => el === document.activeElement), 'the palette takes focus');
        if (previous) {
          // Opened again: the last words are there, selected, so typing replaces them.
          await page.waitForFunction(() => {
            const el = document.activeElement;
            return el?.value && el.selectionStart === 0 && el.selectionEnd === el.value.length;
          });
          assert.equal(await input.inputValue(), previous);
        }
        await page.keyboard.type(word, { delay: 15 });
        const n = f.searches[word].total;
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('status').filter({ hasText: `${n} ${n === 1 ? 'match' : 'matches'}` }).waitFor();
        // The options are this word's hits (not the last search's), in the palette's order.
        await page.waitForFunction(
          (labels) => labels.every((l, i) => document.getElementById(`palette-option-${i}`)?.textContent.includes(l)),
          order.map((h) => h.location.label),
        );
        assert.equal(await dialog.getByRole('option').count(), order.length, 'one option per hit');
        await page.keyboard.press('ArrowDown');
        await page.waitForFunction(
          () => document.querySelector('[role="combobox"]')?.getAttribute('aria-activedescendant') === 'palette-option-1',
        );
        assert.equal(await page.locator('#palette-option-1').getAttribute('aria-selected'), 'true');
        await page.keyboard.press('Enter');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        const target = panelForKind(hit.kind);
        await expectPanel(page, f, target);
        const selector =
          hit.kind === 'paragraph'
            ? `[data-paragraph-row="${hit.object_id}"]`
            : `[data-theme="${hit.object_id}"]`;
        await page.waitForFunction((sel) => document.activeElement?.matches(sel), selector);
        if (hit.kind === 'paragraph') {
          assert.match((await page.locator(selector).getAttribute('class')) ?? '', /\bcurrent\b/);
          const para = Object.values(f.paragraphs).flat().find((p) => p.id === hit.object_id);
          assert.equal(await page.locator(`${selector} .ptext`).textContent(), para.text);
          const source = f.sources.find((s) => s.id === para.source_id);
          await page.locator('.source-head h2', { hasText: source.title }).waitFor();
        }
        previous = word;
        ctx.log(`"${word}" → ↓ → Enter → ${panel(target).label} (${hit.kind} ${hit.location.label})`);
      }
      const searches = await callsOf(page, 'search');
      assert.ok(
        searches.some((a) => a.query.text === 'strangulation' && a.query.kinds === null && a.query.offset === 0),
        'the palette searched the whole review',
      );
    },
  },
  {
    name: 'Sources: select text, Make excerpt records character offsets',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await page.keyboard.press('Control+3');
      await expectPanel(page, f, 'sources');

      // 1. A mouse drag over three words of a demo paragraph.
      const source = await selectedSource(page, f);
      const quoted = new Set((f.excerpts[source.id] ?? []).map((x) => x.paragraph_id));
      const para = f.paragraphs[source.id].find(
        (p) => p.heading_level === 0 && p.seq <= 12 && p.text.length > 120 && !quoted.has(p.id),
      );
      assert.ok(para, 'a plain demo paragraph near the top');
      const words = [...para.text.matchAll(/\S+/g)].slice(1, 4);
      const from = words[0].index;
      const to = words[2].index + words[2][0].length;
      await page.locator(`.ptext[data-paragraph-id="${para.id}"]`).scrollIntoViewIfNeeded();
      const rect = await textRect(page, para.id, from, to);
      await page.mouse.move(rect.first.x + 1, rect.first.y + rect.first.h / 2);
      await page.mouse.down();
      await page.mouse.move(rect.last.x - 1, rect.last.y + rect.last.h / 2, { steps: 8 });
      await page.mouse.up();
      assert.equal(await page.evaluate(() => document.getSelection().toString()), para.text.slice(from, to));
      await makeExcerpt(page, ctx, {
        paragraph: para,
        start: charsBefore(para.text, from),
        end: charsBefore(para.text, to),
        axe: true,
      });

      // 2. The Unicode note: emoji before the words, so characters and UTF-16 units differ.
      const uni = f.sources.find((s) => s.title === 'E2E check: Unicode note');
      await page.locator(`[data-source="${uni.id}"]`).click();
      await page.locator('.source-head h2', { hasText: uni.title }).waitFor();
      const p2 = f.paragraphs[uni.id].find((p) => p.text.includes('smiled'));
      const p3 = f.paragraphs[uni.id].find((p) => p.text.startsWith('Plain ASCII'));
      await page.locator(`.ptext[data-paragraph-id="${p2.id}"]`).waitFor();

      // 2a. Double-click a word.
      const at = p2.text.indexOf('smiled');
      const start = charsBefore(p2.text, at);
      assert.notEqual(start, at, 'the word sits after characters outside the BMP');
      const word = await textRect(page, p2.id, at, at + 'smiled'.length);
      await page.mouse.dblclick(word.box.x + word.box.w / 2, word.box.y + word.box.h / 2);
      await makeExcerpt(page, ctx, { paragraph: p2, start, end: start + 'smiled'.length });

      // 2b. A DOM Range from the baby emoji into the new highlight and out of it again.
      const a = p2.text.indexOf('👶');
      const b = p2.text.indexOf(' at ') + ' at'.length;
      const sel = await selectByRange(page, p2.id, a, b);
      assert.equal(sel.text, p2.text.slice(a, b));
      assert.ok(sel.nodes >= 3, 'the selection crosses text nodes (the highlight splits the text)');
      await makeExcerpt(page, ctx, { paragraph: p2, start: charsBefore(p2.text, a), end: charsBefore(p2.text, b) });

      // 2c. A selection over two paragraphs is refused: an excerpt quotes one.
      await page.evaluate(
        ([x, y]) => {
          const firstText = (id) =>
            document
              .createTreeWalker(document.querySelector(`.ptext[data-paragraph-id="${id}"]`), NodeFilter.SHOW_TEXT, {
                acceptNode: (n) => (n.data.length > 5 ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP),
              })
              .nextNode();
          const range = document.createRange();
          range.setStart(firstText(x), 2);
          range.setEnd(firstText(y), 5);
          document.getSelection().removeAllRanges();
          document.getSelection().addRange(range);
        },
        [p2.id, p3.id],
      );
      await page.locator('.reader .hint', { hasText: 'An excerpt quotes one paragraph' }).waitFor();
      assert.ok(await makeButton(page).isDisabled(), 'Make excerpt is off for a two-paragraph selection');
      const made = await callsOf(page, 'add_excerpt');
      ctx.log(`add_excerpt: ${made.map((c) => `${c.start}..${c.end}`).join(', ')}`);
      assert.equal(made.length, 3);
    },
  },
  {
    name: 'keyboard only: Tab through the frame with visible focus, reorder ToR',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await expectPanel(page, f, 'overview');

      // The first Tab reaches the skip link, which shows itself.
      await page.keyboard.press('Tab');
      let state = await focusState(page);
      assert.equal(state?.name, 'Skip to panel');
      assertVisibleFocus(state, 1);
      const seen = [state.name];
      for (let step = 2; step <= 45; step++) {
        await page.keyboard.press('Tab');
        state = await focusState(page);
        // Past the panel's last control, Tab leaves the page for the browser's own UI.
        if (!state && step > 30) break;
        assertVisibleFocus(state, step);
        seen.push(state.name);
      }
      for (const p of PANELS) {
        assert.ok(seen.some((s) => s.startsWith(p.label)), `Tab reaches the sidebar's ${p.label}`);
      }
      assert.ok(seen.includes('Close review'), 'Tab reaches the header');
      ctx.log(`${seen.length} Tab stops with a visible focus ring, from "${seen[0]}" to "${seen.at(-1)}"`);

      // Shift+Tab back to the sidebar's ToR button and press Enter.
      for (let step = 0; step < 80; step++) {
        state = await focusState(page);
        if (state?.name.startsWith('Terms of reference')) break;
        await page.keyboard.press('Shift+Tab');
      }
      assert.ok(state.name.startsWith('Terms of reference'), 'Shift+Tab reaches the ToR button');
      await page.keyboard.press('Enter');
      await expectPanel(page, f, 'tor');

      // Tab on to the button that moves ToR 2 down, checking every stop on the way.
      const generic = f.tor_items.filter((t) => t.kind === 'generic');
      const [t1, t2, t3] = generic;
      let steps = 0;
      for (; steps < 300; steps++) {
        await page.keyboard.press('Tab');
        state = await focusState(page);
        assertVisibleFocus(state, `ToR ${steps}`);
        if (state.ariaLabel === `Move ToR ${t2.number} down`) break;
      }
      assert.equal(state.ariaLabel, `Move ToR ${t2.number} down`, 'Tab reaches the move button');
      const order = () =>
        page.evaluate(
          (id) => [...document.querySelector(`li[data-row-key="${id}"]`).parentElement.children].map((li) => li.dataset.rowKey),
          t1.id,
        );
      const focusedRow = () =>
        page.evaluate(() => document.activeElement?.closest('li[data-row-key]')?.dataset.rowKey ?? null);

      await page.keyboard.press('Enter');
      let moves = await waitForCalls(page, 'move_tor', 1);
      const globalIndex = (t) => f.tor_items.findIndex((x) => x.id === t.id);
      assert.deepEqual(moves[0], { id: t2.id, to: globalIndex(t3) }, 'move_tor moves ToR 2 to ToR 3’s place');
      await page.waitForFunction(
        ([a, b, c]) => {
          const rows = [...document.querySelector(`li[data-row-key="${a}"]`).parentElement.children];
          return rows.map((li) => li.dataset.rowKey).join() === [a, c, b].join();
        },
        [t1.id, t2.id, t3.id],
      );
      await mainText(page, [`ToR ${t2.number + 1}`]);
      assert.equal(await focusedRow(), t2.id, 'focus follows the moved row');
      assertVisibleFocus(await focusState(page), 'after the move');

      // Alt+↑ on the focused row moves it back.
      await page.keyboard.press('Alt+ArrowUp');
      moves = await waitForCalls(page, 'move_tor', 2);
      assert.deepEqual(moves[1], { id: t2.id, to: globalIndex(t2) }, 'Alt+↑ moves it back');
      await page.waitForFunction(
        (ids) => {
          const rows = [...document.querySelector(`li[data-row-key="${ids[0]}"]`).parentElement.children];
          return rows.map((li) => li.dataset.rowKey).join() === ids.join();
        },
        [t1.id, t2.id, t3.id],
      );
      assert.deepEqual(await order(), [t1.id, t2.id, t3.id]);
      assert.equal(await focusedRow(), t2.id, 'focus stays on the moved row');
      ctx.log(`ToR reorder: ${steps + 1} Tabs to "Move ToR ${t2.number} down", Enter, then Alt+↑`);

      // The skip link jumps over the header and sidebar into the panel.
      await page.reload();
      await expectPanel(page, f, 'overview');
      await page.keyboard.press('Tab');
      assert.equal((await focusState(page))?.name, 'Skip to panel');
      const box = await page.getByRole('link', { name: 'Skip to panel' }).boundingBox();
      assert.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'panel');
      await page.keyboard.press('Tab');
      state = await focusState(page);
      assert.equal(state.name, 'ov-title', 'the next Tab after the skip link is the panel’s first field');
      assertVisibleFocus(state, 'after the skip link');
    },
  },
  {
    name: 'dates typed the UK way: read by the core, shown day first, refused inline',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await expectPanel(page, f, 'overview');
      const decision = page.getByLabel('Decision to review', { exact: true });
      await decision.fill('3/4/09');
      await decision.press('Tab');
      const [saved] = await waitForCalls(page, 'update_details', 1);
      assert.equal(saved.input.decision_date, '2009-04-03');
      assert.equal(await decision.inputValue(), '03/04/2009');
      assert.deepEqual((await callsOf(page, 'parse_date')).map((a) => a.text), ['3/4/09']);

      // Unreadable: an inline message tied to the field, and nothing saved.
      const published = page.getByLabel('Published', { exact: true });
      await published.fill('soon');
      await published.press('Enter');
      const problem = page.locator('#ov-published_date-error');
      await problem.waitFor();
      assert.match(await problem.innerText(), /“soon” is not a date Threadline can read\. Write it like/);
      assert.equal(await published.getAttribute('aria-invalid'), 'true');
      assert.match((await published.getAttribute('aria-describedby')) ?? '', /ov-published_date-error/);
      await axeCheck(page, ctx, 'Overview with a date refused');
      assert.equal((await callsOf(page, 'update_details')).length, 1, 'the refused date saved nothing');
      // Escape puts the saved value back.
      await published.press('Escape');
      await problem.waitFor({ state: 'detached' });
      assert.equal(await published.inputValue(), '');
    },
  },
  {
    name: 'import a Word IMR as a new version: defaults, progress, summary, the new source',
    async run(ctx) {
      const f = ctx.fixture;
      const police = f.sources.find((s) => s.title === 'Individual Management Review: Northmoor Police');
      const excerpts = f.excerpts[police.id];
      const paragraphs = f.paragraphs[police.id];
      // Version 2 keeps the words of every excerpt but the first, and adds a table row.
      const moved = excerpts.slice(1);
      const doc = {
        paragraphs: [
          { text: 'Northmoor Police: Individual Management Review, version 2', kind: 'heading', label: '1' },
          ...moved.map((x, i) => ({ text: `Revised: ${x.quote} (checked).`, label: `4.${i + 1}` })),
          { text: 'Date | Officer | Action', kind: 'table_row' },
        ],
        counts: { paragraphs: moved.length + 2, headings: 1, list_items: 0, tables: 1, table_rows: 1, footnotes: 2, endnotes: 0 },
        tracked_changes: true,
        comments: [{ author: 'DCI Shaw', date: '2023-09-01T09:00:00Z', text: 'Timeline checked against the CAD log.', paragraph_seq: 2, paragraph_id: null, quoted: '' }],
      };
      const page = await ctx.newPage({ open: true });
      await page.evaluate(([path, d]) => {
        window.__e2e.chooseFile(path);
        window.__e2e.document = d;
      }, ['/home/author/IMRs/Northmoor Police IMR v2.docx', doc]);
      await page.keyboard.press('Control+3');
      await expectPanel(page, f, 'sources');
      await page.locator('main#panel .panel-header').getByRole('button', { name: 'Import…' }).click();

      const form = page.getByRole('dialog', { name: 'Import Northmoor Police IMR v2.docx' });
      await form.waitFor();
      // The file name names the agency; its one current IMR is what this replaces.
      await page.waitForFunction(() => document.querySelector('[role=dialog] select[id$="-agency"]')?.selectedOptions[0]?.textContent === 'Northmoor Police');
      assert.equal(await form.getByLabel('New version of…').evaluate((s) => s.selectedOptions[0].textContent), `${police.title} (version ${police.version})`);
      assert.equal(await form.getByLabel('Version', { exact: true }).inputValue(), '1.3');
      assert.equal(await form.getByLabel('Title', { exact: true }).inputValue(), police.title);
      assert.ok(await form.getByLabel('Title', { exact: true }).evaluate((el) => el === document.activeElement), 'the title has focus');
      await form.getByLabel('Received', { exact: true }).fill('1/9/2023');
      await axeCheck(page, ctx, 'the document import form');
      await form.getByRole('button', { name: 'Import', exact: true }).click();

      const running = page.getByRole('dialog', { name: 'Importing Northmoor Police IMR v2.docx' });
      await running.waitFor();
      await page.waitForFunction(() => /of 4$/.test(document.querySelector('[role=dialog] [role=progressbar]')?.getAttribute('aria-valuetext') ?? ''));
      await page.keyboard.press('Escape');
      assert.equal(await running.count(), 1, 'Escape does not close a running import');

      const done = page.getByRole('dialog', { name: 'Imported Northmoor Police IMR v2.docx' });
      await done.waitFor();
      const [call] = await callsOf(page, 'import_document');
      assert.equal(call.supersedes, police.id);
      assert.equal(call.input.received_date, '2023-09-01');
      assert.equal(call.input.version, '1.3');
      const text = await done.innerText();
      for (const expected of [
        `“${police.title}” is now a source`,
        'had tracked changes',
        'Timeline checked against the CAD log.',
        `Replaces “${police.title}” (version ${police.version})`,
        `${moved.length} excerpts moved onto the new version;`,
        '1 excerpt could not be placed.',
        `still on version ${police.version}`,
      ]) {
        assert.ok(text.includes(expected), `the summary says “${expected}”:\n${text}`);
      }
      const lost = excerpts[0];
      const lostParagraph = paragraphs.find((p) => p.id === lost.paragraph_id);
      assert.ok(text.includes(lost.quote), 'the excerpt not placed is quoted');
      assert.ok(text.includes(lostParagraph.label ? `¶${lostParagraph.label}` : `paragraph ${lostParagraph.seq}`), 'with its old paragraph');
      await axeCheck(page, ctx, 'the document import summary');

      await done.getByRole('button', { name: 'Open the source' }).click();
      await done.waitFor({ state: 'detached' });
      await page.locator('.source-head h2', { hasText: police.title }).waitFor();
      await mainText(page, ['Northmoor Police: Individual Management Review, version 2', `Revised: ${moved[0].quote}`]);
      const current = await page.locator('[data-source][aria-current="true"]').getAttribute('data-source');
      assert.ok(current.startsWith('e2e-source-'), 'the new source is the one shown');
    },
  },
  {
    name: 'import a spreadsheet dropped on the window: hint, mapping preview, import, chronology',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      const existing = [...f.chronology].sort((a, b) => a.date.localeCompare(b.date))[0];
      const [y, m, d] = existing.date.split('-');
      const csv = [
        'Date,Agency,Details,Reference,Notes',
        '03/04/2009,Northmoor Police,Officers attended a call about shouting at the flat.,Police log 1,first',
        'Sept 2008,Riverside Housing,Housing officer visited about rent arrears.,Housing file,',
        `${d}/${m}/${y},Northmoor Police,${existing.event.replace(/,/g, '')},Police log 2,`,
        'soon,Northmoor Police,A visit was planned.,Police log 3,',
      ].join('\n');
      // The same event as the demo's first entry, so that row is a duplicate.
      await page.evaluate((text) => (window.__e2e.fileText = text), csv);
      await page.evaluate((e) => (window.__e2e.data.chronology[0].event = e), existing.event.replace(/,/g, ''));
      await page.keyboard.press('Control+4');
      await expectPanel(page, f, 'chronology');

      const drag = (event, payload) => page.evaluate(([e, p]) => window.__e2e.emit(e, p), [event, payload]);
      const position = { x: 640, y: 400 };
      await drag('tauri://drag-enter', { paths: ['/home/author/police chronology.csv'], position });
      await page.getByText('Drop to import', { exact: true }).waitFor();
      await drag('tauri://drag-over', { position });
      await drag('tauri://drag-drop', { paths: ['/home/author/police chronology.csv'], position });
      await page.getByText('Drop to import', { exact: true }).waitFor({ state: 'detached' });

      const dialog = page.getByRole('dialog', { name: 'Import police chronology.csv' });
      await dialog.waitFor();
      await dialog.getByText('2 ready · 1 duplicate · 1 failing').waitFor();
      assert.equal(await dialog.getByLabel(/^Date/).evaluate((s) => s.selectedOptions[0].textContent), 'A: Date');
      assert.equal(await dialog.getByLabel(/^Event/).evaluate((s) => s.selectedOptions[0].textContent), 'C: Details');
      const rows = dialog.getByRole('list', { name: 'Rows of police chronology.csv as they would be imported' });
      const rowText = await rows.getByRole('listitem').allInnerTexts();
      assert.equal(rowText.length, 4);
      assert.match(rowText[1], /Sept 2008[\s\S]*September 2008[\s\S]*\(month\)[\s\S]*Riverside Housing[\s\S]*new/);
      assert.match(rowText[2], /Duplicate[\s\S]*already in the chronology/);
      assert.match(rowText[3], /Fails[\s\S]*“soon” cannot be read/);
      await dialog.getByText(/New agency, added on import:\s+Riverside Housing/).waitFor();
      await axeCheck(page, ctx, 'the chronology mapping preview');

      // Keyboard: the event column unmapped → Import refused, with the reason; mapped again.
      const before = (await callsOf(page, 'preview_chronology_import')).length;
      await dialog.getByLabel(/^Event/).focus();
      await dialog.getByLabel(/^Event/).selectOption({ label: 'Not in the file' });
      await dialog.getByText('0 ready · 0 duplicates · 4 failing').waitFor();
      const previews = await callsOf(page, 'preview_chronology_import');
      assert.equal(previews.length, before + 1, 'the preview ran again');
      assert.equal(previews.at(-1).mapping.event, null);
      const importButton = dialog.getByRole('button', { name: /^Import/ });
      assert.ok(await importButton.isDisabled(), 'Import is disabled without an event column');
      await dialog.getByText('Choose the column that holds the event.').waitFor();
      await dialog.getByLabel(/^Event/).selectOption({ label: 'C: Details' });
      await dialog.getByText('2 ready · 1 duplicate · 1 failing').waitFor();

      await dialog.getByRole('button', { name: 'Import 2 rows' }).click();
      const done = page.getByRole('dialog', { name: 'Imported police chronology.csv' });
      await done.waitFor();
      const summary = await done.innerText();
      for (const expected of ['2 chronology entries added', 'Duplicates skipped', 'Row 5', '“soon” cannot be read', 'Riverside Housing']) {
        assert.ok(summary.includes(expected), `the summary says “${expected}”:\n${summary}`);
      }
      await axeCheck(page, ctx, 'the chronology import summary');
      await done.getByRole('button', { name: 'Open the chronology' }).click();
      await done.waitFor({ state: 'detached' });
      await mainText(page, [`${f.chronology.length + 2} entries`, 'Officers attended a call about shouting at the flat.', 'Housing officer visited about rent arrears.']);
    },
  },
  {
    name: 'import: Escape cancels before anything is written; a PDF is refused in words',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await page.evaluate(() => window.__e2e.chooseFile('/home/author/minutes.pdf'));
      await page.keyboard.press('Control+3');
      await expectPanel(page, f, 'sources');
      const button = page.locator('main#panel .panel-header').getByRole('button', { name: 'Import…' });
      await button.focus();
      await page.keyboard.press('Enter');
      const refused = page.getByRole('dialog', { name: 'minutes.pdf cannot be imported' });
      await refused.waitFor();
      assert.match(await refused.getByRole('alert').innerText(), /minutes\.pdf is a PDF file, which Threadline cannot import\. Ask the agency for the Word version, or save it as \.docx, then import that\./);
      await axeCheck(page, ctx, 'the refused file');
      await page.keyboard.press('Escape');
      await refused.waitFor({ state: 'detached' });

      await page.evaluate(() => window.__e2e.chooseFile(['/home/author/notes.txt']));
      await page.evaluate(() => window.__e2e.emit('menu', 'file.import'));
      const form = page.getByRole('dialog', { name: 'Import notes.txt' });
      await form.waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });
      assert.deepEqual(await callsOf(page, 'import_document'), []);
      // Focus goes back where it was.
      assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Import…');
    },
  },
  {
    name: 'axe-core: welcome, every panel, the palette',
    async run(ctx) {
      const f = ctx.fixture;
      const welcome = await ctx.newPage();
      await welcome.getByRole('heading', { level: 1, name: 'Threadline' }).waitFor();
      let total = await axeCheck(welcome, ctx, 'the welcome screen');

      const page = await ctx.newPage({ open: true });
      for (const p of PANELS) {
        await page.keyboard.press(`Control+${p.digit}`);
        await expectPanel(page, f, p.id);
        total += await axeCheck(page, ctx, `${p.label}`);
      }
      // The Search panel and the palette with results.
      await page.locator('main#panel input[type="search"]').fill('MARAC');
      await page.locator('main#panel [role="status"]', { hasText: `${f.searches.MARAC.total} matches` }).waitFor();
      total += await axeCheck(page, ctx, 'Search with results');
      await page.keyboard.press('Control+k');
      await page.getByRole('combobox', { name: 'Search the review' }).fill('escalation');
      await page.getByRole('dialog').getByRole('option').first().waitFor();
      total += await axeCheck(page, ctx, 'the search palette');
      ctx.log(`${total} moderate or minor axe findings in all (none serious or critical)`);
    },
  },
  {
    name: 'chronology of 20,000 entries stays virtualised and scrolls to the last',
    async run(ctx) {
      const count = 20000;
      const page = await ctx.newPage({ open: true, chronologyCount: count });
      const t0 = Date.now();
      await page.keyboard.press('Control+4');
      await page.locator('main#panel', { hasText: `${count} entries` }).waitFor();
      const list = page.locator('[role="list"][aria-label="Chronology entries"]');
      await list.waitFor();
      await page.locator('[data-entry-row="e2e-chrono-1"]').waitFor();
      const shownIn = Date.now() - t0;
      const rows = () => page.locator('[data-entry-row]').count();
      const atStart = await rows();
      assert.ok(atStart > 0 && atStart <= 80, `rows in the DOM at the start: ${atStart}`);
      assert.equal(await list.getAttribute('aria-label'), 'Chronology entries');
      assert.equal(
        await page.locator('[data-vindex]').first().getAttribute('aria-setsize'),
        String(count),
        'each row tells assistive technology the list’s full size',
      );

      // Scroll to the end (row heights are measured as they render, so it may take a few).
      const last = `e2e-chrono-${count}`;
      let visible = false;
      for (let i = 0; i < 20 && !visible; i++) {
        await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        visible = await page.evaluate((id) => {
          const row = document.querySelector(`[data-entry-row="${id}"]`);
          const box = document.querySelector('[aria-label="Chronology entries"]').getBoundingClientRect();
          if (!row) return false;
          const r = row.getBoundingClientRect();
          return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        }, last);
      }
      assert.ok(visible, 'the last entry is in view after scrolling to the end');
      const text = await page.locator(`[data-entry-row="${last}"]`).textContent();
      assert.ok(text.includes(`Entry ${count} of ${count}`), 'the last row shows the last entry');
      const atEnd = await rows();
      assert.ok(atEnd <= 80, `rows in the DOM at the end: ${atEnd}`);
      ctx.log(`${count} entries: shown in ${shownIn} ms; ${atStart} rows in the DOM at the start, ${atEnd} at the end`);
    },
  },
  {
    name: 'Coverage tab: the ToR matrix with click-through, export presets and render problems',
    async run(ctx) {
      const f = ctx.fixture;
      const m = f.coverage_matrix;
      const page = await ctx.newPage({ open: true });
      await expectPanel(page, f, 'overview');
      const openCoverage = async () => {
        await page.getByRole('button', { name: 'Open the Checks panel' }).click();
        await page.locator('main#panel[aria-label="Checks"]').waitFor();
        // Arrow keys move between the tabs, as in any tablist.
        await page.getByRole('tab', { name: 'Checks' }).focus();
        await page.keyboard.press('ArrowRight');
        const tab = page.getByRole('tab', { name: 'Coverage' });
        assert.equal(await tab.getAttribute('aria-selected'), 'true');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'checks-tab-coverage');
        const table = page.getByRole('tabpanel', { name: 'Coverage' }).getByRole('table');
        await table.waitFor();
        return table;
      };
      let table = await openCoverage();

      // Every ToR item has its row; the first shows its findings, evidence and recommendations.
      assert.equal(await table.locator('tbody tr').count(), m.rows.length);
      const first = m.rows[0];
      const row = table.locator(`tbody tr[data-tor="${first.number}"]`);
      assert.ok((await row.textContent()).includes(first.text), 'the row shows the ToR text');
      for (const finding of first.findings) {
        await row.getByRole('button', { name: `F${finding.number}`, exact: true }).waitFor();
      }
      for (const rec of first.recommendations) {
        await row.getByRole('button', { name: `R${rec.number}`, exact: true }).waitFor();
      }
      assert.equal((await row.locator('td.num').textContent()).trim(), String(first.evidence_count));
      const gaps = m.rows.filter((r) => !r.covered && !r.out_of_scope_reason).length;
      assert.equal(await table.getByText('Not answered by any finding').count(), gaps);
      const totals = (await table.locator('tfoot').textContent()).replace(/\s+/g, ' ');
      const t = m.totals;
      assert.ok(
        totals.includes(`${t.tor_items} terms of reference: ${t.covered} answered, ${t.out_of_scope} out of scope, ${t.gaps} not answered`),
        `totals row: ${totals}`,
      );
      assert.ok(totals.includes(`${t.findings} findings`) && totals.includes(String(t.evidence)), `totals row: ${totals}`);
      await axeCheck(page, ctx, 'the Coverage tab');

      // A finding opens in its panel.
      const finding = f.findings.find((x) => x.id === first.findings[0].id);
      await row.getByRole('button', { name: `F${finding.number}`, exact: true }).click();
      await expectPanel(page, f, 'findings');
      await page.locator('main#panel', { hasText: finding.statement }).waitFor();

      // Export… opens the dialog on the coverage appendix.
      await page.keyboard.press('Control+1');
      await expectPanel(page, f, 'overview');
      table = await openCoverage();
      await page.getByRole('tabpanel', { name: 'Coverage' }).getByRole('button', { name: 'Export…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export' });
      await dialog.waitFor();
      assert.equal(await dialog.getByLabel('Document').inputValue(), 'coverage');
      assert.equal(await dialog.getByLabel('Format').inputValue(), 'xlsx');
      await dialog.getByLabel('Internal (as written)').check();
      await dialog.getByRole('button', { name: 'Export…' }).click();
      await dialog.getByRole('status').getByText('Saved to /home/reviewer/exports/coverage-matrix.xlsx').waitFor();
      const [call] = await callsOf(page, 'export_to_file');
      assert.deepEqual(call.request, { doc: 'coverage', format: 'xlsx', citations: 'footnotes', coverage_appendix: false });
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });

      // A report citing a deleted record: the dialog lists the problem with its section, and
      // still exports.
      const section = f.rendered.overview.sections[2];
      await page.evaluate((s) => {
        window.__e2e.data.rendered.overview.problems.push({
          section_id: s.id,
          heading: s.heading,
          message: 'citation 4 points at a finding that no longer exists',
        });
      }, section);
      await page.evaluate(() => window.__e2e.emit('menu', 'file.export'));
      await dialog.waitFor();
      await dialog.getByLabel('Document').selectOption('overview');
      const problems = dialog.getByRole('region', { name: '1 problem will show in the export' });
      await problems.waitFor();
      assert.equal(
        (await problems.getByRole('listitem').textContent()).replace(/\s+/g, ' ').trim(),
        `${section.heading}: citation 4 points at a finding that no longer exists`,
      );
      await axeCheck(page, ctx, 'the Export dialog with render problems');
      await dialog.getByLabel('Internal (as written)').check();
      await dialog.getByRole('button', { name: 'Export…' }).click();
      await dialog.getByRole('status').getByText('Saved to /home/reviewer/exports/overview-report.docx').waitFor();
      const rendered = await callsOf(page, 'render_document');
      assert.ok(rendered.some((a) => a.document === 'overview'), 'the dialog rendered the overview');
    },
  },
  {
    name: 'Report: type in a section, bold, cite from the picker, live numbers, autosave, editor undo',
    async run(ctx) {
      const f = ctx.fixture;
      const page = await ctx.newPage({ open: true });
      await expectPanel(page, f, 'overview');
      await page.keyboard.press('Control+7');
      await expectPanel(page, f, 'report');
      const first = f.sections.overview[0];
      const editor = page.getByRole('textbox', { name: `Text of “${first.heading}”` });
      await editor.waitFor();

      // Live numbers: the section's citations, numbered by first appearance in the document.
      const tokens = [...first.body.matchAll(/\[\[([a-z]+):([0-9a-f-]{36})\]\]/g)].map((m) => m[2]);
      const distinct = [...new Set(tokens)];
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-rich-editor] .citation').length === n &&
          document.querySelector('[data-rich-editor] .citation-mark')?.textContent === '[1]',
        tokens.length,
      );
      const marks = await editor.locator('.citation-mark').allTextContents();
      assert.deepEqual(marks, tokens.map((id) => `[${distinct.indexOf(id) + 1}]`), 'numbers follow first appearance');
      assert.ok(!(await editor.textContent()).includes('[['), 'no raw token on screen');
      // Hovering a citation shows what it cites.
      const chip = editor.locator('.citation').first();
      await chip.hover();
      await chip.locator('[role="tooltip"]').waitFor({ state: 'visible' });
      assert.ok((await chip.locator('[role="tooltip"]').textContent()).length > 5, 'the tooltip says what is cited');
      await axeCheck(page, ctx, 'the Report panel');

      // Type at the end, with a bold run; the save comes after the pause, as Markdown.
      await editor.focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' The panel agreed.', { delay: 5 });
      await page.keyboard.press('Control+b');
      await page.keyboard.type(' Bold words', { delay: 5 });
      await page.keyboard.press('Control+b');
      await page.getByRole('status').filter({ hasText: /^\s*(Unsaved changes|Saving…)\s*$/ }).waitFor();
      const saves = await waitForCalls(page, 'update_section', 1);
      assert.equal(saves.length, 1, 'one save for the burst of typing');
      assert.equal(saves[0].id, first.id);
      assert.equal(saves[0].input.body, `${first.body} The panel agreed. **Bold words**`);
      await page.getByRole('status').filter({ hasText: /^\s*Saved\s*$/ }).waitFor();

      // Ctrl+Z inside the editor undoes typing there, not the saved edit in the review.
      await page.keyboard.type(' oops', { delay: 5 });
      await page.keyboard.press('Control+z');
      await page.waitForFunction(() => !document.querySelector('[data-rich-editor]').textContent.includes('oops'));
      assert.equal((await callsOf(page, 'undo')).length, 0, 'the review’s undo did not run');

      // Cite from the picker: Ctrl+Shift+C, type, Enter inserts the token at the cursor.
      await page.keyboard.press('Control+Shift+C');
      const dialog = page.getByRole('dialog', { name: 'Cite a record' });
      await dialog.waitFor();
      await page.keyboard.type('strangulation', { delay: 10 });
      const citable = new Set(['finding', 'excerpt', 'chronology_entry', 'recommendation', 'tor_item', 'paragraph']);
      const hit = f.searches.strangulation.hits.find((h) => citable.has(h.kind));
      await dialog.getByRole('listbox', { name: 'Records to cite' }).getByRole('option').first().waitFor();
      await axeCheck(page, ctx, 'the citation picker');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      const kind = { chronology_entry: 'chronology', tor_item: 'tor' }[hit.kind] ?? hit.kind;
      const token = `[[${kind}:${hit.object_id}]]`;
      // Leaving the editor saves at once.
      await page.getByRole('button', { name: f.sections.overview[1].heading, exact: true }).focus();
      const after = await waitForCalls(page, 'update_section', 2);
      assert.ok(after.at(-1).input.body.endsWith(`**Bold words**${token}`), `the saved body ends with ${token}: ${after.at(-1).input.body.slice(-160)}`);
      // The new citation shows its number once the document is rendered again.
      const expected = distinct.includes(hit.object_id) ? distinct.indexOf(hit.object_id) + 1 : distinct.length + 1;
      await page.waitForFunction(
        ([id, n]) => [...document.querySelectorAll(`[data-rich-editor] [data-citation="${id}"] .citation-mark`)]
          .some((el) => el.textContent === `[${n}]`),
        [hit.object_id, expected],
      );

      // Another section: switching opens it; its text is the stored body.
      await page.getByRole('button', { name: f.sections.overview[1].heading, exact: true }).click();
      await page.getByRole('textbox', { name: `Text of “${f.sections.overview[1].heading}”` }).waitFor();
    },
  },
];

// Publication (issue 6): the export's required version choice, the names left as written, the
// leak gate's hits with "Intended" and the retry; the register's suggestions and compaction.
const PUBLICATION_PEOPLE = [
  { id: 'e2e-pub-laura', category: 'person', real_name: 'Laura Smith', aliases: [], pseudonym: 'Child S', role: '', relation: '', safe_to_name: false },
  { id: 'e2e-pub-donna', category: 'person', real_name: 'Donna Hollis', aliases: [], pseudonym: '', role: '', relation: '', safe_to_name: false },
];
const PUBLICATION_LEAKS = [
  { key: 'name:laura smith@word/footnotes.xml', part: 'word/footnotes.xml', kind: 'name', entry_id: 'e2e-pub-laura', term: 'Laura Smith', found: 'LAURA', context: 'a note that LAURA was seen', count: 1 },
  { key: 'postcode:s60 1aa@docProps/core.xml', part: 'docProps/core.xml', kind: 'postcode', entry_id: null, term: 'a UK postcode', found: 'S60 1AA', context: 'lived at S60 1AA', count: 1 },
];
const PUBLICATION_SUGGESTIONS = [
  { name: 'Oakfield', count: 3, sample: 'They moved to Oakfield in May.', source_id: 's', paragraph_id: 'p' },
  { name: 'Kerry Jones', count: 5, sample: 'Kerry Jones <i>said</i> she was worried.', source_id: 's', paragraph_id: 'p' },
];

async function publicationFlow(ctx) {
  const page = await ctx.newPage({ open: true });
  await expectPanel(page, ctx.fixture, 'overview');
  await page.evaluate(
    ([people, leaks, suggestions]) => {
      const data = window.__e2e.data;
      data.people = structuredClone(people);
      data.leaks = structuredClone(leaks);
      data.name_suggestions = structuredClone(suggestions);
    },
    [PUBLICATION_PEOPLE, PUBLICATION_LEAKS, PUBLICATION_SUGGESTIONS],
  );

  // The dialog asks for the version, with nothing picked.
  await page.evaluate(() => window.__e2e.emit('menu', 'file.export'));
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.waitFor();
  const version = dialog.getByRole('group', { name: 'Version' });
  assert.equal(await version.getByRole('radio', { checked: true }).count(), 0, 'no version is picked');
  assert.ok(await dialog.getByRole('button', { name: 'Export…' }).isDisabled(), 'Export waits for the choice');
  await dialog.getByLabel('Publication (pseudonymised)').check();
  const names = dialog.getByRole('region', { name: '1 name will be printed as written' });
  await names.getByText('Donna Hollis').waitFor();

  // The gate refuses: each hit with where, what and its context.
  await dialog.getByRole('button', { name: 'Export…' }).click();
  const leaks = dialog.getByRole('region', { name: /2 things in the publication could identify someone/ });
  await leaks.waitFor();
  const items = leaks.getByRole('listitem');
  assert.match((await items.nth(0).textContent()).replace(/\s+/g, ' '), /Footnotes: the registered name “Laura Smith”, found as “LAURA” .*a note that LAURA was seen/);
  assert.match((await items.nth(1).textContent()).replace(/\s+/g, ' '), /File properties: a postcode, found as “S60 1AA”/);
  await axeCheck(page, ctx, 'the Export dialog with leak hits');
  assert.ok(await leaks.getByRole('button', { name: 'Export anyway with 0 marked intended' }).isDisabled());
  for (const box of await leaks.getByRole('checkbox', { name: 'Intended' }).all()) await box.check();
  await leaks.getByRole('button', { name: 'Export anyway with 2 marked intended' }).click();
  await dialog.getByRole('status').getByText('Saved to /home/reviewer/exports/overview-report-publication.docx').waitFor();
  const exports = await callsOf(page, 'export_to_file');
  assert.equal(exports.length, 2, 'the refused export and the retry');
  assert.equal(exports[0].request.publication, true);
  assert.deepEqual(exports[0].request.allow, []);
  assert.deepEqual([...exports[1].request.allow].sort(), PUBLICATION_LEAKS.map((h) => h.key).sort());
  assert.equal(exports[1].path, exports[0].path, 'the retry writes the file chosen first');
  assert.equal((await callsOf(page, 'plugin:dialog|save')).length, 1, 'the save dialog is asked once');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });

  // Opened again, the choice is forgotten.
  await page.evaluate(() => window.__e2e.emit('menu', 'file.export'));
  await dialog.waitFor();
  assert.equal(await dialog.getByRole('group', { name: 'Version' }).getByRole('radio', { checked: true }).count(), 0);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // The register: suggestions to dismiss or add, and removing old names.
  await page.locator('nav[aria-label="Panels"] [data-panel="register"]').click();
  const suggested = page.getByRole('list', { name: 'Suggested names' });
  await suggested.getByText('Kerry Jones <i>said</i> she was worried.').waitFor();
  assert.equal(await suggested.locator('i').count(), 0, 'the sample is shown as text');
  await axeCheck(page, ctx, 'the register with suggested names');
  await suggested.getByRole('button', { name: 'Dismiss Oakfield' }).click();
  await page.getByRole('status').getByText('Dismissed “Oakfield”.').waitFor();
  await suggested.getByRole('button', { name: 'Add to register: Kerry Jones' }).click();
  const add = page.getByRole('dialog', { name: 'Add to the register' });
  assert.equal(await add.getByLabel('Real name').inputValue(), 'Kerry Jones');
  await add.getByLabel('Pseudonym').fill('Adult K');
  await add.getByRole('button', { name: 'Add entry' }).click();
  await add.waitFor({ state: 'detached' });
  await page.getByText('No unregistered names recur in the sources.').waitFor();
  const [added] = await callsOf(page, 'add_person');
  assert.equal(added.input.real_name, 'Kerry Jones');

  await page.getByRole('button', { name: 'Remove old names from the file…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove old names from the file?' });
  await confirm.getByText('Undo history before this point will be gone', { exact: false }).waitFor();
  await axeCheck(page, ctx, 'the compaction confirmation');
  await confirm.getByRole('button', { name: 'Remove old names' }).click();
  await page.getByText('Old names removed: 459 earlier changes can no longer be undone', { exact: false }).waitFor();
  assert.equal((await callsOf(page, 'compact')).length, 1);
}

CHECKS.push({
  name: 'Publication: export asks internal or publication, lists leak hits, retries with intended; register suggestions, compaction',
  run: publicationFlow,
});

// -----------------------------------------------------------------------------------------------
// The publication view in the Report panel (issue 6, item 2)

/**
 * The author's text still names the child ("Child R" in the demo is put back as "Laura") and the
 * area; the register gives them pseudonyms and leaves one name without. Ctrl+Shift+P shows the
 * document as published beside the editor (the window is 1280 px wide), each substitution
 * marked, its tooltip on hover and on keyboard focus; a mark opens the register, and a
 * pseudonym changed there is what the view shows on return.
 */
async function publicationViewFlow(ctx) {
  const f = ctx.fixture;
  const page = await ctx.newPage({ open: true });
  await expectPanel(page, f, 'overview');
  await page.evaluate(() => {
    const data = window.__e2e.data;
    const plant = (o) => {
      if (Array.isArray(o)) return o.forEach(plant);
      if (!o || typeof o !== 'object') return;
      if (o.type === 'text') o.text = o.text.replaceAll('Child R', 'Laura');
      Object.values(o).forEach(plant);
    };
    plant(data.rendered.overview.sections);
    data.people = [
      { id: 'e2e-pub-laura', category: 'person', real_name: 'Laura', aliases: [], pseudonym: 'Child R', role: 'subject', relation: 'the child', safe_to_name: false },
      { id: 'e2e-pub-area', category: 'place', real_name: 'Northmoor', aliases: [], pseudonym: 'Area 1', role: '', relation: '', safe_to_name: false },
      { id: 'e2e-pub-darren', category: 'person', real_name: 'Darren Smith', aliases: [], pseudonym: '', role: 'father', relation: '', safe_to_name: false },
    ];
  });
  const count = (o, word) => (JSON.stringify(o).match(new RegExp(`\\b${word}\\b`, 'g')) ?? []).length;
  const inSections = count(f.rendered.overview.sections, 'Child R') + count(f.rendered.overview.sections, 'Northmoor');
  const inCitations = count(f.rendered.overview.citations, 'Northmoor');
  assert.ok(inSections > 10, 'the demo names the child often');

  await page.keyboard.press('Control+7');
  await expectPanel(page, f, 'report');
  const toggle = page.getByRole('button', { name: 'Publication view' });
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  assert.equal(await toggle.getAttribute('aria-keyshortcuts'), 'Control+Shift+P');
  await page.keyboard.press('Control+Shift+P');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  const view = page.getByRole('region', { name: 'The document as published' });
  await view.waitFor();
  const marks = view.locator('button.sub');
  await page.waitForFunction((n) => document.querySelectorAll('[data-publication-view] button.sub').length === n, inSections);
  const summary = page.locator('[data-publication-view] [data-summary]');
  assert.equal(
    await summary.textContent(),
    `${inSections + inCitations} substitutions, 1 name not yet given a pseudonym`,
  );
  await page.locator('[data-publication-view]', { hasText: 'Printed as written until they have a pseudonym' }).waitFor();
  const calls = await callsOf(page, 'render_document');
  assert.ok(calls.some((c) => c.document === 'overview' && c.options?.publication === true), 'a publication render');

  // What readers see: no real name outside the tooltips.
  const visible = await view.evaluate((el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('[role="tooltip"]').forEach((t) => t.remove());
    return copy.textContent;
  });
  assert.ok(!/\bLaura\b|Northmoor/.test(visible), 'no real name in the published text');
  assert.ok(visible.includes('The Area 1 Safeguarding Children Partnership'), 'the place is replaced in its sentence');

  // Side by side with the editor at 1280 px.
  const edit = await page.getByRole('region', { name: 'Section text' }).boundingBox();
  const pub = await page.locator('[data-publication-view]').boundingBox();
  assert.ok(pub.x >= edit.x + edit.width - 1, `the view is right of the editor (${JSON.stringify({ edit, pub })})`);
  assert.ok(Math.abs(pub.y - edit.y) < 80, 'the view starts level with the editor');

  // Hover shows what a mark replaced.
  const first = marks.first();
  await first.hover();
  const tip = page.getByRole('tooltip').filter({ visible: true });
  await tip.waitFor();
  assert.equal(await tip.textContent(), 'Laura → Child R (register: person)');
  await page.mouse.move(0, 0);
  await tip.waitFor({ state: 'hidden' });

  // So does keyboard focus; Escape hides it.
  await view.focus();
  await page.keyboard.press('Tab');
  assert.ok(await first.evaluate((el) => el === document.activeElement && el.matches(':focus-visible')), 'Tab reaches the first mark, visibly');
  await tip.waitFor();
  assert.equal(await tip.textContent(), 'Laura → Child R (register: person)');
  await page.keyboard.press('Escape');
  await page.getByRole('tooltip').filter({ visible: true }).waitFor({ state: 'detached' });
  await axeCheck(page, ctx, 'the Report panel with the publication view');

  // A mark opens the register; a pseudonym changed there is what the view shows on return.
  await view.locator('button.sub', { hasText: 'Area 1' }).first().click();
  await page.locator('main#panel[aria-label="Names & pseudonyms"]').waitFor();
  await page.getByRole('button', { name: /Edit Pseudonym of Northmoor/ }).click();
  const field = page.getByRole('textbox', { name: 'Pseudonym of Northmoor' });
  await field.fill('Area 7');
  await field.press('Enter');
  await waitForCalls(page, 'update_person', 1);
  await page.keyboard.press('Control+7');
  await page.locator('main#panel[aria-label="Report"]').waitFor();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'the view stays on');
  await view.locator('button.sub', { hasText: 'Area 7' }).first().waitFor();
  assert.equal(await view.locator('button.sub', { hasText: 'Area 1' }).count(), 0);

  // Off again with the button.
  await toggle.click();
  await view.waitFor({ state: 'detached' });
}

CHECKS.push({
  name: 'Report: the publication view beside the editor, marks with tooltips on hover and focus, the register one click away',
  run: publicationViewFlow,
});

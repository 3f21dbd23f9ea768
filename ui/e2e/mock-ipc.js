//! The shell, played in the page: `installMock` runs before the app's own scripts (through
//! Playwright's `addInitScript`) and defines `window.__TAURI_INTERNALS__` the way
//! `@tauri-apps/api/mocks` does (`invoke`, `transformCallback`, the event plugin's
//! listen/unlisten/emit), answering every read command from the fixture that
//! ui/e2e/fixtures/regenerate.sh wrote from the real core.
//!
//! Writes the flows make (`add_excerpt`, `move_tor`, `update_details`, `import_text_file`) are
//! recorded and applied to the page's copy of the fixture so the panels reload what the core
//! would have answered. Any other command is
//! refused like an unknown command and listed in `window.__e2e.unexpected`, which the runner
//! checks after each flow. Every call is recorded in `window.__e2e.calls`.
//!
//! This function is serialised into the page: it must not use anything from its module.

/**
 * @param {{ fixture: any, options?: { open?: boolean, chronologyCount?: number } }} arg
 */
export function installMock({ fixture, options = {} }) {
  const data = structuredClone(fixture);
  const info = data.review_info;
  const state = {
    open: options.open === true,
    recent: options.open === true ? [info.path] : [],
    undo: [],
    nextId: 1,
  };

  if (options.chronologyCount) {
    data.chronology = bigChronology(data.chronology, options.chronologyCount, info.details);
  }

  /** @type {{ command: string, args: any }[]} */
  const calls = [];
  /** @type {{ command: string, args: any }[]} */
  const unexpected = [];

  // --- callbacks and events, as @tauri-apps/api/mocks keeps them -------------------------
  const callbacks = new Map();
  const listeners = new Map();
  let nextCallback = 1;

  function transformCallback(callback, once = false) {
    const id = nextCallback++;
    callbacks.set(id, (payload) => {
      if (once) callbacks.delete(id);
      return callback && callback(payload);
    });
    return id;
  }

  function runCallback(id, payload) {
    const callback = callbacks.get(id);
    if (callback) callback(payload);
  }

  let nextEvent = 1;
  function emit(event, payload) {
    for (const handler of [...(listeners.get(event) ?? [])]) {
      runCallback(handler, { event, id: nextEvent++, payload });
    }
  }

  function eventCommand(command, args) {
    switch (command) {
      case 'plugin:event|listen': {
        const list = listeners.get(args.event) ?? [];
        list.push(args.handler);
        listeners.set(args.event, list);
        return args.handler;
      }
      case 'plugin:event|unlisten': {
        const list = listeners.get(args.event) ?? [];
        const at = list.indexOf(args.eventId);
        if (at >= 0) list.splice(at, 1);
        return null;
      }
      case 'plugin:event|emit':
        emit(args.event, args.payload);
        return null;
      default:
        return undefined;
    }
  }

  // --- helpers -------------------------------------------------------------------------------
  const fail = (code, message) => {
    throw { code, message };
  };
  const chars = (text) => Array.from(text);
  const byId = (list, id, what) => list.find((x) => x.id === id) ?? fail('not_found', `${what} ${id} not found`);
  const allParagraphs = () => Object.values(data.paragraphs).flat();
  const allExcerpts = () => Object.values(data.excerpts).flat();

  function reviewInfo() {
    return { path: info.path, details: data.review_info.details, stats: data.review_info.stats };
  }

  function needOpen() {
    if (!state.open) fail('no_review', 'no review is open');
  }

  function opened() {
    state.open = true;
    state.recent = [info.path];
    const now = reviewInfo();
    setTimeout(() => emit('review-changed', now), 0);
    return now;
  }

  function edited(summary) {
    state.undo.push(summary);
  }

  async function sha256Hex(text) {
    const bytes = new TextEncoder().encode(text);
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** A search the fixture did not record: a plain substring match over the main kinds. */
  function substringSearch(text) {
    const needle = text.trim().toLowerCase();
    if (!needle) return [];
    const sourceTitle = new Map(data.sources.map((s) => [s.id, s.title]));
    const hits = [];
    const add = (kind, id, body, location) => {
      const at = body.toLowerCase().indexOf(needle);
      if (at < 0) return;
      const from = Math.max(0, at - 40);
      const to = Math.min(body.length, at + needle.length + 40);
      const parts = [
        { text: body.slice(from, at), hit: false },
        { text: body.slice(at, at + needle.length), hit: true },
        { text: body.slice(at + needle.length, to), hit: false },
      ].filter((p) => p.text);
      hits.push({
        kind,
        object_id: id,
        score: -1,
        snippet: parts.map((p) => (p.hit ? `«${p.text}»` : p.text)).join(''),
        snippet_parts: parts,
        location: {
          source_id: null,
          source_title: null,
          paragraph_id: null,
          paragraph_seq: null,
          paragraph_label: null,
          heading: null,
          ...location,
        },
      });
    };
    for (const p of allParagraphs()) {
      const title = sourceTitle.get(p.source_id) ?? '';
      add('paragraph', p.id, p.text, {
        source_id: p.source_id,
        source_title: title,
        paragraph_id: p.id,
        paragraph_seq: p.seq,
        paragraph_label: p.label,
        label: `${title} ¶${p.label ?? p.seq}`,
      });
    }
    for (const f of data.findings) add('finding', f.id, f.statement, { label: `F${f.number}` });
    for (const r of data.recommendations) add('recommendation', r.id, r.text, { label: `R${r.number}` });
    for (const t of data.tor_items) add('tor_item', t.id, t.text, { label: `ToR ${t.number}` });
    for (const e of data.chronology) add('chronology_entry', e.id, e.event, { label: e.date });
    return hits;
  }

  function search(query) {
    const recorded = data.searches[query.text.trim()];
    let hits = recorded ? recorded.hits : substringSearch(query.text);
    if (query.kinds && query.kinds.length > 0) hits = hits.filter((h) => query.kinds.includes(h.kind));
    const offset = query.offset ?? 0;
    const limit = Math.min(query.limit ?? 50, 200);
    return { total: hits.length, total_capped: false, hits: hits.slice(offset, offset + limit) };
  }

  /** Moves ToR `id` to index `to`, renumbering like the core; coverage follows. */
  function moveTor(id, to) {
    const items = data.tor_items;
    const from = items.findIndex((t) => t.id === id);
    if (from < 0) fail('not_found', `term of reference ${id} not found`);
    if (!Number.isInteger(to) || to < 0 || to >= items.length) fail('invalid', 'to: out of range');
    const [item] = items.splice(from, 1);
    items.splice(to, 0, item);
    items.forEach((t, i) => (t.number = i + 1));
    const cover = new Map(data.tor_coverage.map((c) => [c.tor_id, c]));
    data.tor_coverage = items.map((t) => ({ ...cover.get(t.id), number: t.number }));
    edited('Move term of reference');
  }

  async function addExcerpt({ paragraphId, start, end, note }) {
    const paragraph = byId(allParagraphs(), paragraphId, 'paragraph');
    const text = chars(paragraph.text);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) {
      fail('invalid', `range: ${start}..${end} is not inside the paragraph's ${text.length} characters`);
    }
    const quote = text.slice(start, end).join('');
    const excerpt = {
      id: `e2e-excerpt-${state.nextId++}`,
      source_id: paragraph.source_id,
      paragraph_id: paragraph.id,
      start,
      end,
      quote,
      quote_hash: await sha256Hex(quote),
      note,
    };
    (data.excerpts[paragraph.source_id] ??= []).push(excerpt);
    edited('Add excerpt');
    return excerpt;
  }

  /**
   * The shell's `parse_date` for the forms the flows type: day first with "/", "." or "-"
   * ("3/4/09", "03/04/2009"), ISO ("2009-04-03"), or "3 April 2009". Anything else is refused
   * as the core refuses it. (The core's reader itself is tested in Rust.)
   */
  function parseDate({ text }) {
    const typed = String(text).trim();
    const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august',
      'september', 'october', 'november', 'december'];
    const year = (y) => (y.length === 2 ? (+y < 50 ? 2000 + +y : 1900 + +y) : +y);
    let y, m, d;
    let r = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(typed);
    if (r) [y, m, d] = [year(r[3]), +r[2], +r[1]];
    r = r ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(typed);
    if (r && y === undefined) [y, m, d] = [+r[1], +r[2], +r[3]];
    const words = /^(\d{1,2}) ([a-z]+) (\d{4})$/i.exec(typed);
    if (words) [y, m, d] = [+words[3], months.indexOf(words[2].toLowerCase()) + 1, +words[1]];
    const when = new Date(Date.UTC(y, m - 1, d));
    if (y === undefined || m < 1 || when.getUTCMonth() !== m - 1 || when.getUTCDate() !== d) {
      fail('invalid', `date: '${typed}' is not a date Threadline can read; write it like 12/03/2021, 12 March 2021, March 2021, 2021 or c. 2019`);
    }
    return { date: when.toISOString().slice(0, 10), precision: 'day' };
  }

  function updateDetails({ input }) {
    data.review_info.details = { ...data.review_info.details, ...input };
    edited('Edit review details');
    return data.review_info.details;
  }

  /** The file the open dialog answers with, set by a flow (`window.__e2e.chooseFile`). */
  let chosenFile = null;

  /**
   * `import_text_file` as the shell runs it: reports "reading" and "saving" on the progress
   * channel, slowly enough for the progress dialog to show, then adds a source of the lines of
   * the text the flow put in `window.__e2e.fileText`.
   */
  async function importTextFile({ path, input, onProgress }) {
    const name = path.split('/').pop();
    const report = (index, message) => runCallback(onProgress.id, { index, message });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 400));
    report(0, { stage: `Reading ${name}`, done: 0, total: 2 });
    await pause();
    report(1, { stage: `Saving ${name} in the review`, done: 1, total: 2 });
    await pause();
    const lines = String(window.__e2e.fileText ?? '').split('\n').filter((l) => l.trim());
    const id = `e2e-source-${state.nextId++}`;
    const source = {
      ...data.sources[0],
      ...input,
      id,
      paragraph_count: lines.length,
    };
    data.sources.push(source);
    data.paragraphs[id] = lines.map((text, i) => ({
      ...data.paragraphs[data.sources[0].id][0],
      id: `${id}-p${i + 1}`,
      source_id: id,
      seq: i + 1,
      label: '',
      text,
    }));
    data.excerpts[id] = [];
    report(2, { stage: `Imported ${name}`, done: 2, total: 2 });
    runCallback(onProgress.id, { index: 3, end: true });
    edited('Import text');
    return source;
  }

  // --- the commands -------------------------------------------------------------------------
  const reads = {
    current_review: () => (state.open ? reviewInfo() : null),
    recent_files: () => state.recent,
    open_demo: () => opened(),
    open_review: ({ path }) => (path === info.path ? opened() : fail('io', `cannot open ${path}`)),
    close_review: () => {
      state.open = false;
      setTimeout(() => emit('review-changed', null), 0);
      return null;
    },
    undo_state: () => (state.open ? [state.undo.at(-1) ?? data.undo_state[0], null] : [null, null]),
    details: () => data.review_info.details,
    stats: () => data.review_info.stats,
    tor_items: () => data.tor_items,
    tor_item: ({ id }) => byId(data.tor_items, id, 'term of reference'),
    tor_coverage: () => data.tor_coverage,
    agencies: () => data.agencies,
    sources: () => data.sources,
    source: ({ id }) => byId(data.sources, id, 'source'),
    paragraphs: ({ sourceId, offset, limit }) => {
      const list = data.paragraphs[sourceId] ?? fail('not_found', `source ${sourceId} not found`);
      return list.slice(offset, offset + limit);
    },
    paragraph: ({ id }) => byId(allParagraphs(), id, 'paragraph'),
    excerpts_of_source: ({ sourceId }) => data.excerpts[sourceId] ?? [],
    excerpts_of_paragraph: ({ paragraphId }) => allExcerpts().filter((x) => x.paragraph_id === paragraphId),
    excerpt: ({ id }) => byId(allExcerpts(), id, 'excerpt'),
    chronology: () => data.chronology,
    chronology_entry: ({ id }) => byId(data.chronology, id, 'chronology entry'),
    themes: () => data.themes,
    findings: () => data.findings,
    finding: ({ id }) => byId(data.findings, id, 'finding'),
    evidence_for_finding: ({ findingId }) => data.evidence_for_finding[findingId] ?? fail('not_found', 'finding'),
    recommendations: () => data.recommendations,
    recommendation: ({ id }) => byId(data.recommendations, id, 'recommendation'),
    action_plan: () => data.action_plan,
    sections: ({ document }) => data.sections[document] ?? fail('invalid', 'document'),
    search: ({ query }) => search(query),
    parse_date: parseDate,
    'plugin:dialog|open': () => chosenFile,
  };
  const writes = {
    add_excerpt: addExcerpt,
    move_tor: ({ id, to }) => moveTor(id, to),
    update_details: updateDetails,
    import_text_file: importTextFile,
  };
  const noReviewNeeded = new Set([
    'current_review', 'recent_files', 'open_demo', 'open_review', 'undo_state', 'parse_date',
    'plugin:dialog|open',
  ]);

  async function invoke(command, args = {}) {
    calls.push({ command, args: structuredClone(args) });
    await Promise.resolve();
    const event = eventCommand(command, args);
    if (event !== undefined) return event;
    const run = reads[command] ?? writes[command];
    if (!run) {
      unexpected.push({ command, args });
      throw { code: 'ipc', message: `command ${command} not found` };
    }
    if (!noReviewNeeded.has(command)) needOpen();
    const result = await run(args);
    return result === undefined ? null : structuredClone(result);
  }

  /** `count` entries made from the demo's, spread over the review and context periods. */
  function bigChronology(seed, count, details) {
    const start = Date.UTC(2019, 0, 1);
    const day = 24 * 60 * 60 * 1000;
    const perDay = 12;
    const inside = (date, from, to) => from && to && date >= from && date <= to;
    const out = [];
    for (let i = 0; i < count; i++) {
      const base = seed[i % seed.length];
      const date = new Date(start + Math.floor(i / perDay) * day).toISOString().slice(0, 10);
      out.push({
        ...base,
        id: `e2e-chrono-${i + 1}`,
        date,
        precision: 'day',
        end_date: null,
        date_text: date,
        seq: (i % perDay) + 1,
        event: `Entry ${i + 1} of ${count}: ${base.event}`,
        period: inside(date, details.review_period_start, details.review_period_end)
          ? 'review'
          : inside(date, details.context_period_start, details.context_period_end)
            ? 'context'
            : 'outside',
      });
    }
    return out;
  }

  window.__TAURI_INTERNALS__ = {
    invoke,
    transformCallback,
    unregisterCallback: (id) => callbacks.delete(id),
    runCallback,
    callbacks,
    metadata: {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    },
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener: (_event, id) => callbacks.delete(id),
  };
  window.__e2e = {
    calls,
    unexpected,
    emit,
    data,
    chooseFile: (path) => {
      chosenFile = path;
    },
    fileText: '',
  };
}

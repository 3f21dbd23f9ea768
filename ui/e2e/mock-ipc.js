//! The shell, played in the page: `installMock` runs before the app's own scripts (through
//! Playwright's `addInitScript`) and defines `window.__TAURI_INTERNALS__` the way
//! `@tauri-apps/api/mocks` does (`invoke`, `transformCallback`, the event plugin's
//! listen/unlisten/emit), answering every read command from the fixture that
//! ui/e2e/fixtures/regenerate.sh wrote from the real core.
//!
//! Writes the flows make (`add_excerpt`, `move_tor`, `update_details`, `import_document`,
//! `import_chronology`) are recorded and applied to the page's copy of the fixture so the panels
//! reload what the core would have answered. The imports read what the flow put in
//! `window.__e2e.document` (a Word document's paragraphs) or `window.__e2e.fileText` (a CSV
//! chronology) and report their stages on the progress channel. Any other command is
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
    /** The open review's passphrase, once it is protected. */
    passphrase: null,
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
    return {
      path: info.path,
      details: data.review_info.details,
      stats: data.review_info.stats,
      encrypted: state.passphrase !== null,
    };
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

  /** Reports `stages` on a progress channel, slowly enough for a progress bar to be seen. */
  async function reportStages(channel, stages) {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 350));
    for (const [index, message] of stages.entries()) {
      runCallback(channel.id, { index, message });
      await pause();
    }
    runCallback(channel.id, { index: stages.length, end: true });
  }

  const baseName = (path) => String(path).split('/').pop();

  /** `detect_format` by extension, refusing other files in the core's words. */
  function detectFormat({ path }) {
    const name = baseName(path);
    const ext = (/\.([^.]+)$/.exec(name)?.[1] ?? '').toLowerCase();
    const formats = { docx: 'docx', txt: 'text', md: 'text', csv: 'csv', xlsx: 'xlsx' };
    if (formats[ext]) return formats[ext];
    if (ext === 'pdf') {
      fail('unsupported', `${name} is a PDF file, which Threadline cannot import; ask the agency for the Word version, or save it as .docx`);
    }
    return fail('unsupported', `${name} is a .${ext} file, which Threadline cannot import; save documents as .docx and chronologies as .xlsx or .csv`);
  }

  /**
   * `import_document` as the core answers it, for the document a flow put in
   * `window.__e2e.document` ({ paragraphs: [{ text, label, kind }], counts, tracked_changes,
   * comments }): a new source of those paragraphs; with `supersedes`, the old source's excerpts
   * move where their quote occurs word for word, and the rest are listed as not placed.
   */
  async function importDocument({ input, path, supersedes, onProgress }) {
    const doc = window.__e2e.document;
    const name = baseName(path);
    const old = supersedes ? byId(data.sources, supersedes, 'source') : null;
    await reportStages(onProgress, [
      { stage: `Reading ${name}`, done: 0, total: 4 },
      ...(old ? [{ stage: `Placing the excerpts of "${old.title}"`, done: 1, total: 4 }] : []),
      { stage: `Saving ${doc.paragraphs.length} paragraphs`, done: 2, total: 4 },
      { stage: 'Imported', done: 4, total: 4 },
    ]);
    const id = `e2e-source-${state.nextId++}`;
    const source = {
      ...data.sources[0],
      ...input,
      id,
      paragraph_count: doc.paragraphs.length,
      supersedes_id: old ? old.id : null,
      superseded_by_id: null,
      file_name: name,
      file_sha256: '',
    };
    if (old) {
      source.confidence = old.confidence;
      source.confidence_reason = old.confidence_reason;
    }
    const paragraphs = doc.paragraphs.map((p, i) => ({
      id: `${id}-p${i + 1}`,
      source_id: id,
      seq: i + 1,
      label: p.label ?? null,
      heading_level: p.kind === 'heading' ? 1 : 0,
      text: p.text,
      kind: p.kind ?? 'body',
    }));
    data.sources.push(source);
    data.paragraphs[id] = paragraphs;
    data.excerpts[id] = [];
    const reanchored = [];
    const unplaced = [];
    if (old) {
      old.superseded_by_id = id;
      const oldParagraphs = new Map((data.paragraphs[old.id] ?? []).map((p) => [p.id, p]));
      const keep = [];
      for (const x of data.excerpts[old.id] ?? []) {
        const at = paragraphs.find((p) => p.text.includes(x.quote));
        if (at) {
          const start = chars(at.text.slice(0, at.text.indexOf(x.quote))).length;
          data.excerpts[id].push({ ...x, source_id: id, paragraph_id: at.id, start, end: start + chars(x.quote).length });
          reanchored.push({
            excerpt_id: x.id,
            paragraph_id: at.id,
            paragraph_seq: at.seq,
            paragraph_label: at.label,
            old_quote: x.quote,
            quote: x.quote,
            exact: true,
            similarity: 1,
          });
        } else {
          keep.push(x);
          const p = oldParagraphs.get(x.paragraph_id);
          unplaced.push({
            excerpt_id: x.id,
            quote: x.quote,
            paragraph_id: x.paragraph_id,
            paragraph_seq: p?.seq ?? 0,
            paragraph_label: p?.label ?? null,
            best_similarity: 0.3,
          });
        }
      }
      data.excerpts[old.id] = keep;
    }
    edited(old ? `Import ${source.title} (replacing "${old.title}")` : `Import ${source.title}`);
    return {
      source,
      format: detectFormat({ path }),
      counts: doc.counts,
      tracked_changes: doc.tracked_changes ?? false,
      comments: (doc.comments ?? []).map((c) => ({
        ...c,
        paragraph_id: c.paragraph_seq ? paragraphs[c.paragraph_seq - 1]?.id ?? null : null,
      })),
      reanchored,
      unplaced,
    };
  }

  // --- chronology files: a small CSV reader standing in for the core's ------------------------

  const FIELD_WORDS = [
    ['date', /^(date|when)/],
    ['agency', /^(agency|organisation|service)/],
    ['event', /^(event|details|description|what happened)/],
    ['source', /^(source|reference)/],
    ['significance', /^significance/],
  ];

  function guessMapping({ headers }) {
    const mapping = {
      sheet: null, date: null, end_date: null, agency: null, event: null, source: null,
      significance: null, missed_opportunity: null, rationale: null, people: null,
      default_agency: null,
    };
    headers.forEach((h, i) => {
      const words = h.trim().toLowerCase();
      for (const [field, re] of FIELD_WORDS) {
        if (mapping[field] === null && re.test(words)) {
          mapping[field] = i;
          break;
        }
      }
    });
    return mapping;
  }

  /** The flow's CSV text (`window.__e2e.fileText`) as a header and rows of cells. */
  function readCsv() {
    const lines = String(window.__e2e.fileText ?? '').split('\n').filter((l) => l.trim());
    const [head, ...rows] = lines.map((l) => l.split(',').map((c) => c.trim()));
    return { headers: head ?? [], rows };
  }

  const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

  /** Day-first dates and "Sept 2008"-style months, as the core reads the forms the flows use. */
  function readCell(text) {
    const day = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    const pad = (n) => String(n).padStart(2, '0');
    if (day) return { date: `${day[3]}-${pad(day[2])}-${pad(day[1])}`, precision: 'day' };
    const month = /^([a-z]+)\.? (\d{4})$/i.exec(text);
    const m = month ? MONTHS.indexOf(month[1].slice(0, 3).toLowerCase()) : -1;
    if (m >= 0) return { date: `${month[2]}-${pad(m + 1)}-01`, precision: 'month' };
    return null;
  }

  function planChronology(mapping) {
    const { headers, rows } = readCsv();
    const known = new Map(data.agencies.map((a) => [a.name.toLowerCase(), a]));
    const newAgencies = [];
    const cell = (row, field) => (mapping[field] === null ? '' : row[mapping[field]] ?? '');
    const planned = rows.map((cells, i) => {
      const dateText = cell(cells, 'date');
      const read = readCell(dateText);
      const agency = cell(cells, 'agency') || mapping.default_agency || null;
      const isNew = !!agency && !known.has(agency.toLowerCase());
      if (isNew && !newAgencies.includes(agency)) newAgencies.push(agency);
      const event = cell(cells, 'event');
      let status = 'ready';
      let reason = null;
      if (mapping.date === null || mapping.event === null) {
        status = 'failed';
        reason = 'the date or event column is not chosen';
      } else if (!read) {
        status = 'failed';
        reason = `the date “${dateText}” cannot be read`;
      } else if (!event) {
        status = 'failed';
        reason = 'it has no event';
      } else if (data.chronology.some((e) => e.date === read.date && e.event === event)) {
        status = 'duplicate';
        reason = 'already in the chronology';
      }
      return {
        row: i + 2,
        status,
        date_text: dateText,
        date: read?.date ?? null,
        precision: read?.precision ?? null,
        end_date: null,
        agency,
        agency_is_new: isNew,
        event,
        source_locator: cell(cells, 'source') || `chronology.csv row ${i + 2}`,
        significance: 'routine',
        missed_opportunity: false,
        missed_rationale: '',
        people: [],
        reason,
        duplicate_of_row: null,
        duplicate_of_entry: null,
        warnings: [],
      };
    });
    return { headers, rows: planned, newAgencies };
  }

  function previewChronology({ path, mapping }) {
    const used = mapping ?? guessMapping({ headers: readCsv().headers });
    const plan = planChronology(used);
    const n = (s) => plan.rows.filter((r) => r.status === s).length;
    return {
      file_name: baseName(path),
      format: 'csv',
      encoding: 'UTF-8',
      delimiter: ',',
      sheet: null,
      sheets: [],
      headers: plan.headers,
      mapping: used,
      problems: used.date === null || used.event === null ? ['Choose the date and event columns.'] : [],
      rows: plan.rows,
      ready: n('ready'),
      duplicates: n('duplicate'),
      failed: n('failed'),
      new_agencies: plan.newAgencies,
    };
  }

  async function importChronology({ path, mapping, onProgress }) {
    const plan = planChronology(mapping);
    const ready = plan.rows.filter((r) => r.status === 'ready');
    await reportStages(onProgress, [
      { stage: `Reading ${baseName(path)}`, done: 0, total: 1 },
      { stage: `Saving ${ready.length} of ${ready.length} rows`, done: ready.length, total: ready.length },
    ]);
    const created = plan.newAgencies.map((name) => {
      const agency = { id: `e2e-agency-${state.nextId++}`, name, short_name: '', sector: '' };
      data.agencies.push(agency);
      return agency;
    });
    const byName = new Map(data.agencies.map((a) => [a.name.toLowerCase(), a.id]));
    for (const r of ready) {
      data.chronology.push({
        ...data.chronology[0],
        id: `e2e-chrono-import-${state.nextId++}`,
        date: r.date,
        precision: r.precision,
        end_date: null,
        date_text: r.date_text,
        seq: 0,
        agency_id: r.agency ? byName.get(r.agency.toLowerCase()) ?? null : null,
        people: [],
        event: r.event,
        source_locator: r.source_locator,
        source_id: null,
        paragraph_id: null,
        significance: 'routine',
        missed_opportunity: false,
        missed_rationale: '',
      });
    }
    edited(`Import ${baseName(path)}`);
    return {
      file_name: baseName(path),
      added: ready.length,
      duplicates: plan.rows.filter((r) => r.status === 'duplicate').length,
      failed: plan.rows.filter((r) => r.status === 'failed').map((r) => ({ row: r.row, reason: r.reason })),
      warnings: [],
      new_agencies: created,
    };
  }

  // --- the Report panel: sections, the rendered document, live blocks ------------------------
  /** Section reads and writes, applied to the page's copy; numbers as the core gives them. */
  function reportCommands() {
    const TOKEN = /\[\[\s*([a-z]+)\s*:\s*([0-9a-f-]{36})\s*\]\]/g;
    const docOf = (id) => (data.sections.overview.some((s) => s.id === id) ? 'overview' : 'summary');
    const sectionById = (id) =>
      [...data.sections.overview, ...data.sections.summary].find((s) => s.id === id) ??
      fail('not_found', `section ${id} not found`);
    const renumber = (doc) => data.sections[doc].forEach((s, i) => (s.position = i));
    const newId = () => `00000000-0000-4e2e-8000-${String(state.nextId++).padStart(12, '0')}`;
    const short = (text) => (text.length > 120 ? `${text.slice(0, 119)}…` : text);
    function cited(kind, id) {
      const find = (list) => list.find((x) => x.id === id);
      switch (kind) {
        case 'finding': {
          const f = find(data.findings);
          return f && { label: `F${f.number}`, detail: short(f.statement) };
        }
        case 'recommendation': {
          const r = find(data.recommendations);
          return r && { label: `R${r.number}`, detail: short(r.text) };
        }
        case 'chronology': {
          const e = find(data.chronology);
          return e && { label: `Chronology ${e.date}`, detail: short(e.event) };
        }
        case 'tor': {
          const t = find(data.tor_items);
          return t && { label: `ToR ${t.number}`, detail: short(t.text) };
        }
        case 'excerpt': {
          const x = find(allExcerpts());
          return x && { label: 'Excerpt', detail: short(x.quote ?? '') };
        }
        case 'paragraph': {
          const p = find(allParagraphs());
          return p && { label: `¶${p.label ?? p.seq}`, detail: short(p.text) };
        }
        default:
          return null;
      }
    }
    /**
     * The document as the core rendered it for the fixture (data.rendered), with the citations
     * numbered again from the sections as they are now (first appearance, as the core does), so
     * a citation a flow inserts gets its number.
     */
    function renderDocument({ document, options }) {
      const list = data.sections[document] ?? fail('invalid', 'document');
      const base = data.rendered?.[document] ?? {
        document,
        title: data.review_info.details.title,
        subtitle: document === 'overview' ? 'Overview report' : 'Executive summary',
        board: data.review_info.details.board ?? '',
        author: '',
        marking: 'Draft',
        citation_style: 'footnotes',
        sections: list.map((s) => ({ id: s.id, heading: s.heading, blocks: [] })),
        citations: [],
        notes: [],
        problems: [],
      };
      const known = new Map(base.citations.map((c) => [`${c.kind}:${c.id}`, c]));
      const numbers = new Map();
      const citations = [];
      for (const s of list) {
        for (const m of s.body.matchAll(TOKEN)) {
          const key = `${m[1]}:${m[2]}`;
          if (numbers.has(key)) continue;
          const number = citations.length + 1;
          numbers.set(key, number);
          const was = known.get(key);
          const found = was ?? cited(m[1], m[2]);
          citations.push({
            number,
            kind: m[1],
            id: m[2],
            label: found?.label ?? 'Missing record',
            detail: found?.detail ?? '',
            missing: was ? was.missing : !found,
          });
        }
      }
      const render = { ...base, citations };
      return options?.publication ? publish(render) : render;
    }
    /**
     * A publication render, played: each registered real name or alias (whole words, any
     * case) of an entry that has a pseudonym and is not safe to name is replaced, and marked
     * with its byte range and its place in `substitutions` as the core marks it. The core's
     * own matcher (possessives, variants, names split by formatting) is tested in Rust.
     */
    function publish(doc) {
      const register = data.people ?? [];
      const names = register
        .filter((p) => !p.safe_to_name && p.pseudonym)
        .flatMap((p) => [p.real_name, ...p.aliases].filter(Boolean).map((name) => ({ name, p })))
        .sort((a, b) => b.name.length - a.name.length);
      const unsubstituted = register
        .filter((p) => !p.safe_to_name && !p.pseudonym)
        .map((p) => ({ name: p.real_name, entry_ids: [p.id], reason: `${p.real_name} is not safe to name and has no pseudonym yet` }));
      const substitutions = [];
      const places = new Map();
      const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const pattern = names.length
        ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.map((n) => escape(n.name)).join('|')})(?![\\p{L}\\p{N}])`, 'giu')
        : null;
      const bytes = (t) => new TextEncoder().encode(t).length;
      function text(t) {
        if (!pattern) return { text: t, marks: [] };
        let out = '';
        let last = 0;
        const marks = [];
        for (const m of t.matchAll(pattern)) {
          const hit = names.find((n) => n.name.toLowerCase() === m[0].toLowerCase());
          out += t.slice(last, m.index);
          const replacement = hit.p.pseudonym;
          const key = `${hit.p.id}|${m[0]}|${replacement}`;
          if (!places.has(key)) {
            places.set(key, substitutions.length);
            substitutions.push({ entry_id: hit.p.id, original: m[0], replacement, count: 0 });
          }
          const place = places.get(key);
          substitutions[place].count += 1;
          const start = bytes(out);
          out += replacement;
          marks.push({ start, end: start + bytes(replacement), substitution: place });
          last = m.index + m[0].length;
        }
        return { text: out + t.slice(last), marks };
      }
      const inlines = (list) =>
        list.map((i) => {
          if (i.type !== 'text') return i;
          const r = text(i.text);
          return r.marks.length ? { ...i, text: r.text, substitutions: r.marks } : { ...i, text: r.text };
        });
      const blocks = (list) =>
        list.map((b) => {
          switch (b.type) {
            case 'heading':
            case 'paragraph':
              return { ...b, content: inlines(b.content) };
            case 'list':
              return { ...b, items: b.items.map(blocks) };
            case 'quote':
              return { ...b, blocks: blocks(b.blocks) };
            case 'table':
              return { ...b, header: b.header.map(inlines), rows: b.rows.map((r) => r.map(inlines)) };
            case 'numbered':
              return { ...b, items: b.items.map((it) => ({ ...it, content: inlines(it.content), detail: inlines(it.detail) })) };
            default:
              return b;
          }
        });
      const sections = doc.sections.map((s) => {
        const h = text(s.heading);
        const section = { ...s, heading: h.text, blocks: blocks(s.blocks) };
        return h.marks.length ? { ...section, heading_substitutions: h.marks } : section;
      });
      const citations = doc.citations.map((c) => ({ ...c, label: text(c.label).text, detail: text(c.detail).text }));
      const out = { ...doc, title: text(doc.title).text, sections, citations };
      if (substitutions.length) out.substitutions = substitutions;
      if (unsubstituted.length) out.unsubstituted = unsubstituted;
      return out;
    }
    const text = (t) => ({ type: 'text', text: t, bold: false, italic: false });
    function liveBlock({ name }) {
      switch (name) {
        case 'tor':
          return [{ type: 'list', ordered: true, start: 1, items: data.tor_items.map((t) => [{ type: 'paragraph', content: [text(t.text)] }]) }];
        case 'agencies':
          return [{ type: 'list', ordered: false, start: 1, items: data.agencies.map((a) => [{ type: 'paragraph', content: [text(a.name)] }]) }];
        case 'panel':
        case 'recommendations':
        case 'themes':
          return [{ type: 'paragraph', content: [text(`${name} as recorded now`)] }];
        default:
          return null;
      }
    }
    return {
      reads: {
        section: ({ id }) => sectionById(id),
        render_document: renderDocument,
        live_block: liveBlock,
        locate: ({ kind, id }) => {
          const p = kind === 'paragraph' ? allParagraphs().find((x) => x.id === id) : null;
          const x = kind === 'excerpt' ? allExcerpts().find((e) => e.id === id) : null;
          return {
            source_id: p?.source_id ?? x?.source_id ?? null,
            source_title: null,
            paragraph_id: p?.id ?? x?.paragraph_id ?? null,
            paragraph_seq: p?.seq ?? null,
            paragraph_label: p?.label ?? null,
            heading: null,
            label: kind,
          };
        },
      },
      writes: {
        update_section: ({ id, input }) => {
          const s = sectionById(id);
          if (!input.heading.trim()) fail('invalid', 'heading: must not be empty');
          s.heading = input.heading.trim();
          s.body = input.body;
          edited('Edit section');
          return s;
        },
        add_section: ({ input }) => {
          const list = data.sections[input.document];
          const s = { id: newId(), document: input.document, position: list.length, heading: input.heading.trim(), body: input.body ?? '' };
          list.push(s);
          edited('Add section');
          return s;
        },
        move_section: ({ id, to }) => {
          const list = data.sections[docOf(id)];
          const from = list.findIndex((s) => s.id === id);
          const [s] = list.splice(from, 1);
          list.splice(to, 0, s);
          renumber(docOf(id));
          edited('Move section');
          return null;
        },
        delete_section: ({ id }) => {
          const doc = docOf(id);
          data.sections[doc] = data.sections[doc].filter((s) => s.id !== id);
          renumber(doc);
          edited('Delete section');
          return null;
        },
        add_default_outline: ({ document }) => {
          const list = data.sections[document];
          if (list.length > 0) fail('invalid', 'the document already has sections');
          for (const heading of ['Introduction', 'Summary of events', 'Key issues and themes', 'Good practice', 'Conclusions', 'Recommendations']) {
            list.push({ id: newId(), document, position: list.length, heading, body: '' });
          }
          edited('Add the usual outline');
          return list;
        },
      },
    };
  }
  const report = reportCommands();

  // --- the Names & pseudonyms register ---------------------------------------------------------
  /**
   * `people` and the register writes, applied to `data.people` (a flow may seed it). The
   * core's rules the panel shows: a pseudonym stands for one entry and is nobody's real name or
   * alias; a delete is refused while a chronology entry lists the person, unless `cascade`.
   */
  function registerCommands() {
    const fold = (s) => String(s).trim().toLowerCase();
    const people = () => (data.people ??= []);
    function check(input, self) {
      if (!input.real_name.trim()) fail('invalid', 'real_name: must not be empty');
      const p = fold(input.pseudonym);
      if (!p) return;
      for (const other of people().filter((x) => x.id !== self)) {
        if (fold(other.pseudonym) === p) {
          fail('invalid', `pseudonym: '${input.pseudonym}' is already the pseudonym of ${other.real_name}; each pseudonym must stand for one entry`);
        }
        if (fold(other.real_name) === p) {
          fail('invalid', `pseudonym: '${input.pseudonym}' is the real name of another entry; a pseudonym must not be anyone's real name`);
        }
        if (other.aliases.some((a) => fold(a) === p)) {
          fail('invalid', `pseudonym: '${input.pseudonym}' is an alias of ${other.real_name}; a pseudonym must not be anyone's real name or alias`);
        }
      }
    }
    const tidy = (input) => ({
      ...input,
      real_name: input.real_name.trim(),
      aliases: input.aliases.map((a) => a.trim()).filter(Boolean),
      pseudonym: input.pseudonym.trim(),
      role: input.role.trim(),
      relation: input.relation.trim(),
    });
    const involving = (id) => data.chronology.filter((e) => (e.people ?? []).includes(id));
    return {
      reads: {
        people: () => people(),
        person: ({ id }) => byId(people(), id, 'person'),
      },
      writes: {
        add_person: ({ input }) => {
          check(input, null);
          const p = { ...tidy(input), id: `e2e-person-${state.nextId++}` };
          people().push(p);
          edited('Add to pseudonym register');
          return p;
        },
        update_person: ({ id, input }) => {
          const p = byId(people(), id, 'person');
          check(input, id);
          Object.assign(p, tidy(input));
          edited('Edit pseudonym register entry');
          return p;
        },
        move_person: ({ id, to }) => {
          const list = people();
          const from = list.findIndex((x) => x.id === id);
          if (from < 0) fail('not_found', `person ${id} not found`);
          const [p] = list.splice(from, 1);
          list.splice(Math.min(to, list.length), 0, p);
          edited('Reorder pseudonym register');
          return null;
        },
        delete_person: ({ id, cascade }) => {
          const p = byId(people(), id, 'person');
          const uses = involving(id);
          if (uses.length > 0 && !cascade) {
            const n = uses.length;
            fail('in_use', `cannot delete ${p.real_name}: ${n} ${n === 1 ? 'chronology entry involves' : 'chronology entries involve'} this person`);
          }
          for (const e of uses) e.people = e.people.filter((x) => x !== id);
          data.people = people().filter((x) => x.id !== id);
          edited('Delete from pseudonym register');
          return null;
        },
      },
    };
  }
  const register = registerCommands();

  // Publication: a flow puts leak-gate hits in `data.leaks` (a publication export is refused
  // until each is allowed) and name suggestions in `data.name_suggestions`.
  function publicationCommands() {
    const dismissed = new Set();
    const leaksLeft = (request) => (data.leaks ?? []).filter((h) => !(request.allow ?? []).includes(h.key));
    return {
      reads: {
        unsubstituted_names: () =>
          (data.people ?? [])
            .filter((p) => !p.pseudonym && !p.safe_to_name)
            .map((p) => ({ name: p.real_name, entry_ids: [p.id], reason: 'it has no pseudonym and is not safe to name' })),
        publication_hits: ({ request }) => leaksLeft(request),
        name_suggestions: () =>
          (data.name_suggestions ?? []).filter(
            (n) => !dismissed.has(n.name) && !(data.people ?? []).some((p) => p.real_name === n.name),
          ),
      },
      writes: {
        dismiss_name_suggestion: ({ name }) => {
          dismissed.add(name);
          return null;
        },
        restore_name_suggestion: ({ name }) => {
          dismissed.delete(name);
          return null;
        },
        compact: () => {
          state.undo = [];
          return { bytes_before: 1954928, bytes_after: 1482752, changes_sealed: 459, states_dropped: 612, summaries_redacted: 2, drafts_redacted: 0, backups_removed: 0 };
        },
        /** Refuses a publication export while any hit in `data.leaks` is not allowed. */
        gate: (request) => {
          if (!request.publication) return;
          const left = leaksLeft(request);
          if (left.length > 0) {
            throw { code: 'leak', message: `the publication export was not written: ${left.length} thing(s) in it could identify someone`, hits: left };
          }
        },
      },
    };
  }
  const publication = publicationCommands();

  // --- the review cycle: drafts, what changed, comments on words, approvals, packs ------------
  /**
   * The Review panel's commands, played on `data.drafts`, `data.comments` and `data.approvals`
   * (empty in the demo). A draft keeps the sections and both renders as they were; an approval
   * is stale once its section's current heading or body differs from the draft's. Anchors are
   * found by their exact words (the core's scoring by prefix and suffix is tested in Rust);
   * `diff` marks a changed section as its old text deleted and its new text inserted (the
   * core's word diff is tested in Rust). `import_pack` merges `window.__e2e.pack` (comments and
   * a report) by id; `return_pack` and `send_pack` record the path they were given.
   */
  function reviewCycleCommands() {
    const drafts = () => (data.drafts ??= []);
    const comments = () => (data.comments ??= []);
    const approvals = () => (data.approvals ??= []);
    const allSections = () => [...data.sections.overview, ...data.sections.summary];
    const newId = (kind) => `00000000-0000-4e2e-9000-${String(state.nextId++).padStart(12, '0')}`.replace('9000', kind);
    let clock = Date.parse('2026-12-01T09:00:00.000Z');
    const now = () => new Date((clock += 60_000)).toISOString();
    const me = { name: 'Alison Greaves', role: 'author' };
    function draftOf(key) {
      const k = String(key).trim();
      return (
        drafts().find((d) => d.info.id === k || String(d.info.number) === k || d.info.label.toLowerCase() === k.toLowerCase()) ??
        fail('not_found', `draft ${k} not found`)
      );
    }
    const content = () => ({
      title: data.review_info.details.title,
      sections: structuredClone(allSections()),
      findings: data.findings,
      recommendations: data.recommendations,
      tor: data.tor_items,
      themes: data.themes,
      agencies: data.agencies,
    });
    function place(anchor, text) {
      if (!anchor) return null;
      const at = text.indexOf(anchor.exact);
      if (at < 0 || !anchor.exact) return { state: 'orphaned' };
      const start = chars(text.slice(0, at)).length;
      return { state: 'located', start, end: start + chars(anchor.exact).length };
    }
    function thread(c) {
      return { ...c, replies: comments().filter((r) => r.parent_id === c.id) };
    }
    function makeComment(targetKind, targetId, anchor, body) {
      if (!String(body).trim()) fail('invalid', 'body: must not be empty');
      const c = {
        id: newId('9001'),
        parent_id: null,
        author: me.name,
        role: me.role,
        created_at: now(),
        target_kind: targetKind,
        target_id: targetId,
        anchor,
        body: body.trim(),
        resolved: false,
        replies: [],
      };
      comments().push(c);
      edited(`Comment on ${targetKind}`);
      return c;
    }
    function approvalView(a) {
      const d = draftOf(a.draft_id);
      const then = d.sections.find((s) => s.id === a.section_id);
      const current = allSections().find((s) => s.id === a.section_id);
      return {
        ...a,
        heading: then?.heading ?? '',
        draft_number: d.info.number,
        draft_label: d.info.label,
        stale: !current || current.heading !== then?.heading || current.body !== then?.body,
        section_deleted: !current,
      };
    }
    function sideOf(ref) {
      if (ref.kind === 'current') return { side: { label: 'Current', number: null, issued_at: null }, sections: allSections() };
      const d = draftOf(ref.draft);
      return { side: { label: d.info.label, number: d.info.number, issued_at: d.info.issued_at }, sections: d.sections };
    }
    return {
      reads: {
        drafts: () => drafts().map((d) => d.info),
        draft: ({ key }) => {
          const d = draftOf(key);
          return { info: d.info, snapshot: { format: 1, content: d.content, overview: d.overview, summary: d.summary, coverage_appendix: null } };
        },
        draft_content: () => content(),
        render_draft: ({ key, document }) => {
          const d = draftOf(key);
          return { ...structuredClone(d[document] ?? fail('invalid', 'document')), marking: d.info.label };
        },
        approvals: () => approvals().map(approvalView),
        comments: ({ filter = {} }) =>
          comments()
            .filter((c) => !c.parent_id)
            .map(thread)
            .filter(
              (t) =>
                (!filter.author ||
                  [t, ...t.replies].some((c) => c.author.toLowerCase() === filter.author.trim().toLowerCase())) &&
                (filter.resolved === undefined || filter.resolved === null || t.resolved === filter.resolved) &&
                (!filter.target_kind || t.target_kind === filter.target_kind) &&
                (!filter.target_id || t.target_id === filter.target_id),
            ),
        comment_positions: ({ sectionId }) => {
          const section = allSections().find((s) => s.id === sectionId) ?? fail('not_found', `section ${sectionId}`);
          return comments()
            .filter((c) => !c.parent_id && c.target_kind === 'section' && c.target_id === sectionId)
            .map((c) => ({ comment: thread(c), place: place(c.anchor, section.body) }));
        },
        diff: ({ from, to }) => {
          const a = sideOf(from);
          const b = sideOf(to);
          const sections = b.sections.map((s) => {
            const old = a.sections.find((o) => o.id === s.id);
            const changed = old && old.body !== s.body;
            const segments = !old
              ? [{ kind: 'insert', text: s.body }]
              : changed
                ? [{ kind: 'delete', text: old.body }, { kind: 'insert', text: s.body }]
                : [{ kind: 'equal', text: s.body }];
            return {
              id: s.id,
              document: s.document,
              status: !old ? 'added' : changed || old.heading !== s.heading ? 'changed' : 'unchanged',
              heading: s.heading,
              old_heading: old && old.heading !== s.heading ? old.heading : null,
              moved: false,
              segments,
            };
          });
          return { from: a.side, to: b.side, title: data.review_info.details.title, sections, findings: [], recommendations: [], tor: [] };
        },
      },
      writes: {
        issue_draft: ({ label }) => {
          const number = drafts().length + 1;
          const info = {
            id: newId('9002'),
            number,
            label: label ?? `Draft ${number}`,
            issued_at: now(),
            issued_by: me.name,
            role: me.role,
          };
          const d = {
            info,
            content: content(),
            sections: structuredClone(allSections()),
            overview: report.reads.render_document({ document: 'overview' }),
            summary: report.reads.render_document({ document: 'summary' }),
          };
          drafts().push(d);
          return { info, snapshot: { format: 1, content: d.content, overview: d.overview, summary: d.summary, coverage_appendix: null } };
        },
        set_approval: ({ sectionId, draft, state: verdict, note }) => {
          const d = draftOf(draft);
          if (!d.sections.some((s) => s.id === sectionId)) fail('invalid', `section: ${d.info.label} has no section with id ${sectionId}`);
          const list = approvals();
          const old = list.find((a) => a.section_id === sectionId && a.draft_id === d.info.id && a.by === me.name);
          const a = { id: old?.id ?? newId('9003'), section_id: sectionId, draft_id: d.info.id, state: verdict, note: note.trim(), text_sha256: '', by: me.name, role: me.role, at: now() };
          if (old) Object.assign(old, a);
          else list.push(a);
          return approvalView(a);
        },
        comment_on_quote: ({ targetKind, targetId, quote, body }) => {
          const section = allSections().find((s) => s.id === targetId) ?? fail('not_found', `section ${targetId}`);
          const first = section.body.indexOf(quote);
          if (first < 0) fail('invalid', 'quote: these words are not in the text');
          if (section.body.indexOf(quote, first + 1) >= 0) fail('invalid', 'quote: these words appear more than once in the text; quote more of them');
          const c = chars(section.body);
          const start = chars(section.body.slice(0, first)).length;
          const end = start + chars(quote).length;
          const anchor = { exact: quote, prefix: c.slice(Math.max(0, start - 32), start).join(''), suffix: c.slice(end, end + 32).join(''), hint: start };
          return makeComment(targetKind, targetId, anchor, body);
        },
        add_comment: ({ targetKind, targetId, anchor, body }) => makeComment(targetKind, targetId, anchor ?? null, body),
        reply: ({ parentId, body }) => {
          const parent = comments().find((c) => c.id === parentId) ?? fail('not_found', `comment ${parentId}`);
          const r = { ...makeComment(parent.target_kind, parent.target_id, null, body), parent_id: parent.id };
          Object.assign(comments().at(-1), { parent_id: parent.id });
          parent.resolved = false;
          return r;
        },
        resolve_comment: ({ id, resolved }) => {
          const c = comments().find((x) => x.id === id) ?? fail('not_found', `comment ${id}`);
          c.resolved = resolved;
          edited(resolved ? 'Resolve comment' : 'Reopen comment');
          return thread(c);
        },
        send_pack: ({ out }) => ({ path: out, bytes: 409600, comments: comments().length, approvals: approvals().length }),
        return_pack: ({ out }) => ({ path: out, bytes: 2048, comments: comments().length, approvals: approvals().length }),
        import_pack: () => {
          const pack = window.__e2e.pack ?? fail('bad_document', 'pack.json cannot be imported: it is not a Threadline return pack');
          for (const c of pack.comments ?? []) if (!comments().some((x) => x.id === c.id)) comments().push(structuredClone(c));
          edited('Import comments');
          return pack.report;
        },
        export_draft_to_file: () => 4096,
        export_diff_html: () => 2048,
        export_diff_docx: () => 4096,
      },
    };
  }
  const cycle = reviewCycleCommands();

  // --- the commands -------------------------------------------------------------------------
  const reads = {
    ...report.reads,
    ...register.reads,
    ...publication.reads,
    ...cycle.reads,
    current_review: () => (state.open ? reviewInfo() : null),
    recent_files: () => state.recent,
    // No protected review waits for its passphrase at start.
    locked_review: () => null,
    // Who is working: set, as on any machine past its first start.
    profile: () => ({ name: 'Alison Greaves', role: 'author' }),
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
    detect_format: detectFormat,
    guess_mapping: guessMapping,
    preview_chronology_import: previewChronology,
    'plugin:dialog|open': () => chosenFile,
    'plugin:dialog|save': ({ options }) => `/home/reviewer/exports/${options?.defaultPath ?? 'export'}`,
    coverage_matrix: () => data.coverage_matrix,
    checks: () => {
      const finding = data.findings[0];
      const rec = data.recommendations[0];
      return {
        results: [
          {
            code: 'finding_without_evidence',
            severity: 'error',
            message: `Finding F${finding.number} cites no evidence`,
            target: { kind: 'finding', id: finding.id },
            detail: 'Link an excerpt or a chronology entry that supports it.',
          },
          {
            code: 'vague_wording',
            severity: 'warning',
            message: `Recommendation ${rec.number} uses wording that is hard to measure`,
            target: { kind: 'recommendation', id: rec.id },
            detail: null,
          },
        ],
        errors: 1,
        warnings: 1,
        infos: 0,
      };
    },
  };
  const writes = {
    ...report.writes,
    ...register.writes,
    ...cycle.writes,
    dismiss_name_suggestion: publication.writes.dismiss_name_suggestion,
    restore_name_suggestion: publication.writes.restore_name_suggestion,
    compact: publication.writes.compact,
    add_excerpt: addExcerpt,
    move_tor: ({ id, to }) => moveTor(id, to),
    update_details: updateDetails,
    // Passphrases, as the core takes them: change and remove need the current one.
    add_passphrase: ({ passphrase }) => {
      if (state.passphrase !== null) fail('invalid', 'passphrase: this review is already protected; change its passphrase instead');
      state.passphrase = passphrase;
      return true;
    },
    change_passphrase: ({ current, passphrase }) => {
      if (current !== state.passphrase) {
        fail('invalid', "the current passphrase: it is not this review's passphrase, so the passphrase was not changed");
      }
      state.passphrase = passphrase;
      return true;
    },
    remove_passphrase: ({ current }) => {
      if (current !== state.passphrase) {
        fail('invalid', "the current passphrase: it is not this review's passphrase, so the protection was not removed");
      }
      state.passphrase = null;
      return false;
    },
    import_document: importDocument,
    import_chronology: importChronology,
    export_to_file: async ({ request, onProgress }) => {
      await reportStages(onProgress, [{ stage: 'Writing the file', done: 1, total: 1 }]);
      publication.writes.gate(request);
      return 2048;
    },
  };
  const noReviewNeeded = new Set([
    'current_review', 'recent_files', 'locked_review', 'profile', 'open_demo', 'open_review', 'undo_state', 'parse_date',
    'detect_format', 'guess_mapping', 'plugin:dialog|open', 'plugin:dialog|save',
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
    document: null,
  };
}

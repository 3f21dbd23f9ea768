import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { review } from '../../lib/review.svelte';
import type { RenderedDocument, SearchPage, Section } from '../../lib/types';
import { callsOf, mockCommands, type Call } from '../../test/ipc';
import ReportPanel from './ReportPanel.svelte';

const F = '00000000-0000-4007-8000-000000000319';
const X = '00000000-0000-4007-8000-0000000002a1';
const GONE = '00000000-0000-4007-8000-00000000dead';

beforeAll(() => {
  // jsdom has no layout; ProseMirror asks for rectangles when it scrolls the cursor into view.
  const rect = () => ({ x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0, toJSON: () => ({}) });
  const list = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect = rect as () => DOMRect;
  Range.prototype.getClientRects = list;
  Element.prototype.scrollIntoView ??= () => {};
  document.elementFromPoint ??= () => null;
});

let sections: Section[];
let calls: Call[];
let failSaves = 0;

function section(id: string, heading: string, body: string, position = 0): Section {
  return { id, document: 'overview', position, heading, body };
}

function rendered(citations: RenderedDocument['citations']): RenderedDocument {
  return {
    document: 'overview',
    title: 'Child R',
    subtitle: 'Overview report',
    board: '',
    author: '',
    marking: 'Draft',
    citation_style: 'footnotes',
    sections: [],
    citations,
    notes: [],
    problems: [],
  };
}

const HITS: SearchPage = {
  total: 1,
  total_capped: false,
  hits: [
    {
      kind: 'excerpt',
      object_id: X,
      score: -3,
      snippet: 'a «bruise» on the cheek',
      snippet_parts: [
        { text: 'a ', hit: false },
        { text: 'bruise', hit: true },
        { text: ' on the cheek', hit: false },
      ],
      location: {
        source_id: 's1',
        source_title: 'GP IMR',
        paragraph_id: 'p1',
        paragraph_seq: 4,
        paragraph_label: '4.2',
        heading: null,
        label: 'GP IMR ¶4.2',
      },
    },
  ],
};

function setup(extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  calls = mockCommands({
    sections: ({ document }) => sections.filter((s) => s.document === document),
    section: ({ id }) => sections.find((s) => s.id === id),
    render_document: () =>
      rendered([
        { number: 4, kind: 'finding', id: F, label: 'F7', detail: 'The history was not used', missing: false },
        { number: 5, kind: 'excerpt', id: X, label: 'GP IMR ¶4.2', detail: 'a bruise on the cheek', missing: false },
        { number: 6, kind: 'finding', id: GONE, label: 'F?', detail: '', missing: true },
      ]),
    live_block: ({ name }) =>
      name === 'tor' ? [{ type: 'paragraph', content: [{ type: 'text', text: 'ToR 1 How well did agencies share?', bold: false, italic: false }] }] : null,
    update_section: ({ id, input }) => {
      if (failSaves > 0) {
        failSaves -= 1;
        throw { code: 'io', message: 'disk I/O error' };
      }
      const s = sections.find((x) => x.id === id)!;
      const i = input as { heading: string; body: string };
      s.heading = i.heading;
      s.body = i.body;
      return s;
    },
    add_section: ({ input }) => {
      const i = input as { heading: string; body: string };
      const s = section(`s${sections.length + 1}`, i.heading, i.body, sections.length);
      sections.push(s);
      return s;
    },
    add_default_outline: () => {
      sections.push(section('o1', 'Introduction', ''), section('o2', 'Summary of events', '', 1));
      return sections;
    },
    search: () => HITS,
    details: () => ({ title: 'Child R' }),
    findings: () => [{ id: F, number: 7, statement: 'The history was not used.', theme_id: null }],
    recommendations: () => [],
    ...extra,
  });
}

function editorBox(): HTMLElement {
  return document.querySelector<HTMLElement>('[data-rich-editor]')!;
}

/** Types `text` at the end of the editor's last paragraph, as the browser would. */
async function typeInEditor(text: string) {
  const box = editorBox();
  const paragraphs = box.querySelectorAll('p');
  const p = paragraphs[paragraphs.length - 1];
  box.focus();
  const sel = document.getSelection()!;
  const range = document.createRange();
  range.selectNodeContents(p);
  range.collapse(false);
  sel.removeAllRanges();
  sel.addRange(range);
  document.dispatchEvent(new Event('selectionchange'));
  // ProseMirror reads typed text from the DOM change it observes.
  const last = p.lastChild;
  if (last && last.nodeType === Node.TEXT_NODE) (last as Text).appendData(text);
  else {
    if (last && (last as HTMLElement).tagName === 'BR') last.remove();
    p.append(document.createTextNode(text));
  }
  await new Promise((r) => setTimeout(r, 30));
  // The caret ends after the typed text, as in a browser.
  const after = document.createRange();
  after.selectNodeContents(p);
  after.collapse(false);
  sel.removeAllRanges();
  sel.addRange(after);
  document.dispatchEvent(new Event('selectionchange'));
  await new Promise((r) => setTimeout(r, 30));
}

beforeEach(() => {
  failSaves = 0;
  review.info = {
    path: '/r/demo.threadline',
    details: { title: 'Child R' },
    stats: { tables: [], source_words: 0, changes: 0, file_bytes: 0 },
  } as unknown as typeof review.info;
  sections = [
    section('a', 'Introduction', `The history was known [[finding:${F}]] and the bruise seen [[excerpt:${X}]].`),
    section('b', 'Conclusions', `Gone: [[finding:${GONE}]]`, 1),
  ];
});

describe('ReportPanel', () => {
  it('offers the usual outline for an empty document and adds it', async () => {
    sections = [];
    setup();
    render(ReportPanel);
    const start = await screen.findByRole('button', { name: 'Start from the usual outline' });
    await userEvent.click(start);
    await waitFor(() => expect(callsOf(calls, 'add_default_outline')).toEqual([{ document: 'overview' }]));
    const list = await screen.findByRole('list', { name: /Sections of the overview report/ });
    expect(within(list).getByRole('button', { name: 'Summary of events' })).toBeInTheDocument();
  });

  it('shows live citation numbers with what they cite, and marks a missing record', async () => {
    setup();
    render(ReportPanel);
    await waitFor(() => expect(editorBox().querySelectorAll('.citation')).toHaveLength(2));
    await waitFor(() => expect(editorBox().querySelector(`[data-citation="${F}"] .citation-mark`)?.textContent).toBe('[4]'));
    const excerpt = editorBox().querySelector(`[data-citation="${X}"]`)!;
    expect(excerpt.querySelector('.citation-mark')?.textContent).toBe('[5]');
    expect(excerpt.querySelector('[role="tooltip"]')?.textContent).toBe('GP IMR ¶4.2 — a bruise on the cheek');
    expect(excerpt.getAttribute('aria-label')).toBe('Citation [5]: GP IMR ¶4.2 — a bruise on the cheek');
    // No brackets of the stored token reach the screen.
    expect(editorBox().textContent).not.toContain('[[');

    await userEvent.click(screen.getByRole('button', { name: 'Conclusions' }));
    await waitFor(() => expect(editorBox().querySelector('.citation')?.classList.contains('missing')).toBe(true));
    expect(editorBox().querySelector('.citation-mark')?.textContent).toBe('[6?]');
  });

  it('adds a section, and saves what is typed after a pause as Markdown', async () => {
    setup();
    render(ReportPanel);
    await screen.findByRole('button', { name: 'Conclusions' });
    await userEvent.type(screen.getByLabelText('New section'), 'Good practice');
    await userEvent.click(screen.getByRole('button', { name: 'Add section' }));
    await waitFor(() =>
      expect(callsOf(calls, 'add_section')).toEqual([
        { input: { document: 'overview', heading: 'Good practice', body: '' } },
      ]),
    );
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Text of “Good practice”' })).toBeInTheDocument());
    await typeInEditor('The school *listened*');
    expect(screen.getByRole('status', { name: '' })).toHaveTextContent('Unsaved changes');
    await waitFor(() => expect(callsOf(calls, 'update_section')).toHaveLength(1), { timeout: 2500 });
    expect(callsOf(calls, 'update_section')[0]).toEqual({
      id: 's3',
      input: { document: 'overview', heading: 'Good practice', body: 'The school \\*listened\\*' },
    });
    await waitFor(() => expect(screen.getByText('Saved')).toBeInTheDocument());
  });

  it('inserts a citation from the picker with Ctrl+Shift+C and saves the token at once on blur', async () => {
    setup();
    render(ReportPanel);
    await waitFor(() => expect(editorBox().querySelectorAll('.citation')).toHaveLength(2));
    await typeInEditor(' Also');
    await fireEvent.keyDown(editorBox(), { key: 'C', code: 'KeyC', keyCode: 67, ctrlKey: true, shiftKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Cite a record' });
    const query = within(dialog).getByRole('combobox', { name: 'Search records to cite' });
    await userEvent.type(query, 'bruise');
    await within(dialog).findByText('GP IMR ¶4.2');
    expect(callsOf(calls, 'search').at(-1)).toEqual({
      query: {
        text: 'bruise',
        kinds: ['finding', 'excerpt', 'chronology_entry', 'recommendation', 'tor_item', 'paragraph'],
        offset: 0,
        limit: 40,
      },
    });
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(editorBox().querySelectorAll('.citation')).toHaveLength(3));
    editorBox().blur();
    await fireEvent.blur(editorBox());
    await waitFor(() => expect(callsOf(calls, 'update_section').length).toBeGreaterThan(0));
    const body = (callsOf(calls, 'update_section').at(-1)!.input as { body: string }).body;
    expect(body).toBe(
      `The history was known [[finding:${F}]] and the bruise seen [[excerpt:${X}]]. Also[[excerpt:${X}]]`,
    );
  });

  it('keeps the text when a save fails, says why, and saves on Retry', async () => {
    failSaves = 1;
    setup();
    render(ReportPanel);
    await waitFor(() => expect(editorBox().querySelectorAll('.citation')).toHaveLength(2));
    await typeInEditor(' More.');
    await fireEvent.blur(editorBox());
    await screen.findByText(/Not saved:/);
    expect(editorBox().textContent).toContain('More.');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByText('Saved')).toBeInTheDocument());
    const saves = callsOf(calls, 'update_section');
    expect(saves).toHaveLength(2);
    expect((saves[1].input as { body: string }).body).toMatch(/ More\.$/);
  });

  it('reloads the open section after a change from outside when nothing is unsaved', async () => {
    setup();
    render(ReportPanel);
    await waitFor(() => expect(editorBox().querySelectorAll('.citation')).toHaveLength(2));
    sections[0].body = 'Undone to this.';
    review.revision += 1;
    await waitFor(() => expect(editorBox().textContent).toBe('Undone to this.'));
  });

  it('inserts a live block that shows current data as text', async () => {
    setup();
    render(ReportPanel);
    await waitFor(() => expect(editorBox().querySelectorAll('.citation')).toHaveLength(2));
    await fireEvent.keyDown(editorBox(), { key: 'L', code: 'KeyL', keyCode: 76, ctrlKey: true, shiftKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Insert a live block' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Insert' }));
    const card = await screen.findByRole('group', { name: 'Live block: Terms of reference' });
    await waitFor(() => expect(card).toHaveTextContent('ToR 1 How well did agencies share?'));
    await fireEvent.blur(editorBox());
    await waitFor(() => expect(callsOf(calls, 'update_section').length).toBe(1));
    expect((callsOf(calls, 'update_section')[0].input as { body: string }).body).toContain('\n\n[[block:tor]]');
  });

  it('sets out a finding cited alone in its paragraph in full, as the report will', async () => {
    sections = [section('a', 'Conclusions', `[[finding:${F}]]\n\nAfter it [[finding:${F}]].`)];
    setup();
    render(ReportPanel);
    await waitFor(() => expect(editorBox().querySelectorAll('.citation.embedded')).toHaveLength(1));
    const [alone, inline] = editorBox().querySelectorAll('.citation');
    expect(alone.querySelector('.citation-full')?.textContent).toBe('F7 The history was not used.');
    expect(alone.getAttribute('aria-label')).toBe('Finding set out in full: F7 The history was not used.');
    expect(inline.classList.contains('embedded')).toBe(false);
  });

  it('moves a section with Alt+ArrowDown and deletes one after asking', async () => {
    setup({
      move_section: ({ id, to }) => {
        const i = sections.findIndex((s) => s.id === id);
        const [s] = sections.splice(i, 1);
        sections.splice(to as number, 0, s);
      },
      delete_section: ({ id }) => {
        sections = sections.filter((s) => s.id !== id);
      },
    });
    render(ReportPanel);
    const list = await screen.findByRole('list', { name: /Sections of the overview report/ });
    const first = within(list).getByRole('button', { name: 'Introduction' }).closest('li')!;
    first.focus();
    await fireEvent.keyDown(first, { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(callsOf(calls, 'move_section')).toEqual([{ id: 'a', to: 1 }]));
    await userEvent.click(await screen.findByRole('button', { name: 'Delete “Conclusions”' }));
    const confirm = await screen.findByRole('dialog', { name: 'Delete “Conclusions”?' });
    expect(callsOf(calls, 'delete_section')).toEqual([]);
    await userEvent.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(callsOf(calls, 'delete_section')).toEqual([{ id: 'b', cascade: false }]));
    await waitFor(() => expect(within(list).queryByRole('button', { name: 'Conclusions' })).not.toBeInTheDocument());
  });

  it('switches to the executive summary and lists its sections', async () => {
    sections.push({ id: 'z', document: 'summary', position: 0, heading: 'Why this review', body: 'Short.' });
    setup();
    render(ReportPanel);
    await screen.findByRole('button', { name: 'Conclusions' });
    await userEvent.click(screen.getByRole('button', { name: 'Executive summary' }));
    await screen.findByRole('list', { name: /Sections of the executive summary/ });
    expect(screen.getByRole('button', { name: 'Executive summary' })).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(editorBox().textContent).toBe('Short.'));
    expect(callsOf(calls, 'sections').at(-1)).toEqual({ document: 'summary' });
  });

  it('opens the section a search or check result names', async () => {
    setup();
    render(ReportPanel);
    await waitFor(() => expect(editorBox().querySelectorAll('.citation')).toHaveLength(2));
    review.navigate({ panel: 'report', kind: 'section', id: 'b' });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Conclusions' })).toHaveAttribute('aria-current', 'true'),
    );
    await waitFor(() => expect(editorBox().textContent).toContain('Gone:'));
    expect(review.navigation).toBeNull();
  });
});

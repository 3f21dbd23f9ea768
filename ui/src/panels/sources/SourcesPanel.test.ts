import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { review } from '../../lib/review.svelte';
import type { Excerpt, Finding, Paragraph, Source } from '../../lib/types';
import ParagraphText from './ParagraphText.svelte';
import SourcesPanel from './SourcesPanel.svelte';
import { callsOf, mockCommands } from '../../test/ipc';


const HOSTILE = 'Mother said <img src=x onerror=alert(1)> and <script>alert(2)</script> then left.';

function source(over: Partial<Source> = {}): Source {
  return {
    id: 's1',
    kind: 'imr',
    agency_id: 'a1',
    title: 'Police IMR',
    author: 'DI Jones',
    independence: '',
    received_date: '2021-05-01',
    version: '1',
    confidence: 'not_rated',
    confidence_reason: '',
    summary: '',
    paragraph_count: 3,
    supersedes_id: null,
    superseded_by_id: null,
    file_name: '',
    file_sha256: '',
    ...over,
  };
}

const PARAGRAPHS: Paragraph[] = [
  { id: 'p1', source_id: 's1', seq: 1, label: '1', heading_level: 1, text: 'BACKGROUND', kind: 'heading' },
  { id: 'p2', source_id: 's1', seq: 2, label: '1.1', heading_level: 0, text: 'Zoë 😀 told the officer “I’m scared” 🙁 twice.', kind: 'body' },
  { id: 'p3', source_id: 's1', seq: 3, label: null, heading_level: 0, text: HOSTILE, kind: 'body' },
];

const FINDING: Finding = {
  id: 'f1',
  number: 1,
  theme_id: null,
  kind: 'practice',
  statement: 'Voice of the child was not heard',
  analysis: '',
  evidence_count: 0,
  tor_ids: [],
};

function handlers(extra: Record<string, unknown> = {}) {
  let excerpts: Excerpt[] = [];
  return {
    sources: [source()],
    agencies: [{ id: 'a1', name: 'Northshire Police', short_name: 'Police', sector: 'police' }],
    findings: [FINDING],
    themes: [],
    excerpts_of_source: () => excerpts,
    paragraphs: (a: Record<string, unknown>) =>
      PARAGRAPHS.slice(a.offset as number, (a.offset as number) + (a.limit as number)),
    paragraph: (a: Record<string, unknown>) => PARAGRAPHS.find((p) => p.id === a.id),
    add_excerpt: (a: Record<string, unknown>) => {
      const p = PARAGRAPHS.find((x) => x.id === a.paragraphId)!;
      const quote = Array.from(p.text)
        .slice(a.start as number, a.end as number)
        .join('');
      const made: Excerpt = {
        id: 'x1',
        source_id: 's1',
        paragraph_id: p.id,
        start: a.start as number,
        end: a.end as number,
        quote,
        quote_hash: '',
        note: '',
      };
      excerpts = [made];
      return made;
    },
    ...extra,
  };
}

beforeEach(() => {
  review.navigation = null;
});

/** The first text node inside `el` (Svelte puts comment anchors between the parts). */
function textNode(el: Element): Text {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  return walker.nextNode() as Text;
}

afterEach(() => {
  document.getSelection()?.removeAllRanges();
});

describe('ParagraphText', () => {
  it('shows markup in imported text literally and creates no element from it', () => {
    const { container } = render(ParagraphText, {
      paragraphId: 'p3',
      text: HOSTILE,
      excerpts: [{ id: 'x', start: 12, end: 40 }],
    });
    const el = container.querySelector('.ptext')!;
    expect(el.textContent).toBe(HOSTILE);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    // Only the highlight itself is an element.
    expect([...el.querySelectorAll('*')].map((e) => e.tagName)).toEqual(['MARK']);
  });
});

describe('SourcesPanel', () => {
  it('groups sources under their agency and reads paragraphs with their labels', async () => {
    mockCommands(handlers());
    render(SourcesPanel);
    const nav = await screen.findByRole('navigation', { name: 'Sources by agency' });
    expect(within(nav).getByRole('heading', { name: /Northshire Police/ })).toBeInTheDocument();
    expect(await screen.findByText(/told the officer/)).toBeInTheDocument();
    expect(screen.getByText('1.1')).toBeInTheDocument();
    // The document's heading is a heading (level 1 in the document → below the panel's h2).
    expect(screen.getByRole('heading', { name: /BACKGROUND/, level: 3 })).toBeInTheDocument();
    // The hostile paragraph is shown as text.
    expect(screen.getByText(/onerror=alert\(1\)/)).toBeInTheDocument();
    expect(document.querySelector('.reader img, .reader script')).toBeNull();
  });

  it('makes an excerpt from a selection with character offsets and links it to a new finding', async () => {
    const calls = mockCommands(
      handlers({
        add_finding: (a: Record<string, unknown>) => ({
          ...FINDING,
          id: 'f2',
          number: 2,
          statement: (a.input as { statement: string }).statement,
        }),
        link_evidence: (a: Record<string, unknown>) => ({
          id: 'l1',
          finding_id: a.findingId,
          excerpt_id: 'x1',
          chronology_id: null,
          relation: a.relation,
          note: a.note,
        }),
      }),
    );
    const user = userEvent.setup();
    render(SourcesPanel);
    const text = PARAGRAPHS[1].text;
    const el = (await screen.findByText(/told the officer/)).closest('.ptext')!;
    const node = textNode(el);
    const range = document.createRange();
    range.setStart(node, text.indexOf('told'));
    range.setEnd(node, text.indexOf(' twice'));
    document.getSelection()!.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
    await tick();

    const make = screen.getByRole('button', { name: 'Make excerpt' });
    expect(make).toBeEnabled();
    await user.click(make);

    // "Zoë 😀 " is 6 characters (8 UTF-16 units): the core's offsets count characters.
    await waitFor(() => expect(callsOf(calls, 'add_excerpt')).toHaveLength(1));
    expect(callsOf(calls, 'add_excerpt')[0]).toEqual({ paragraphId: 'p2', start: 6, end: 37, note: '' });

    const dialog = await screen.findByRole('dialog', { name: 'Link to a finding' });
    expect(within(dialog).getByText('told the officer “I’m scared” 🙁')).toBeInTheDocument();
    await user.click(within(dialog).getByLabelText('A new finding'));
    await user.type(within(dialog).getByLabelText('New finding’s statement'), 'Fear was not explored');
    await user.click(within(dialog).getByRole('button', { name: 'Add finding and link' }));

    await waitFor(() => expect(callsOf(calls, 'link_evidence')).toHaveLength(1));
    expect(callsOf(calls, 'add_finding')[0]).toEqual({
      input: { theme_id: null, kind: 'practice', statement: 'Fear was not explored', analysis: '' },
    });
    expect(callsOf(calls, 'link_evidence')[0]).toEqual({
      findingId: 'f2',
      target: { kind: 'excerpt', id: 'x1' },
      relation: 'supports',
      note: '',
    });
    // The new excerpt is highlighted in its paragraph.
    await waitFor(() => expect(el.querySelector('mark')?.textContent).toBe('told the officer “I’m scared” 🙁'));
  });

  it('links an excerpt to an existing finding', async () => {
    const calls = mockCommands(
      handlers({
        link_evidence: () => ({ id: 'l1', finding_id: 'f1', excerpt_id: 'x1', chronology_id: null, relation: 'supports', note: '' }),
      }),
    );
    const user = userEvent.setup();
    render(SourcesPanel);
    const el = (await screen.findByText(/told the officer/)).closest('.ptext')!;
    const range = document.createRange();
    range.selectNodeContents(el);
    document.getSelection()!.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
    await tick();
    await user.click(screen.getByRole('button', { name: 'Make excerpt' }));
    const dialog = await screen.findByRole('dialog', { name: 'Link to a finding' });
    expect(within(dialog).getByLabelText('Existing finding')).toHaveValue('f1');
    await user.click(within(dialog).getByRole('button', { name: 'Link' }));
    await waitFor(() => expect(callsOf(calls, 'link_evidence')).toHaveLength(1));
    expect(callsOf(calls, 'add_excerpt')[0]).toMatchObject({ start: 0, end: Array.from(PARAGRAPHS[1].text).length });
    expect(callsOf(calls, 'add_finding')).toHaveLength(0);
  });

  it('refuses a selection that spans two paragraphs', async () => {
    mockCommands(handlers());
    render(SourcesPanel);
    const a = (await screen.findByText(/told the officer/)).closest('.ptext')!;
    const b = screen.getByText(/onerror/).closest('.ptext')!;
    const range = document.createRange();
    range.setStart(textNode(a), 2);
    range.setEnd(textNode(b), 4);
    document.getSelection()!.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
    await tick();
    expect(screen.getByRole('button', { name: 'Make excerpt' })).toBeDisabled();
    expect(screen.getByText(/select words inside a single paragraph/)).toBeInTheDocument();
  });

  it('quotes from the keyboard through a paragraph’s Quote button', async () => {
    const calls = mockCommands(handlers());
    const user = userEvent.setup();
    render(SourcesPanel);
    await screen.findByText(/told the officer/);
    await user.click(screen.getByRole('button', { name: 'Quote from ¶1.1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Quote from ¶1.1' });
    const words = within(dialog).getByLabelText('Words to quote');
    await user.clear(words);
    await user.type(words, '“I’m scared” 🙁');
    await user.click(within(dialog).getByRole('button', { name: 'Make excerpt' }));
    await waitFor(() => expect(callsOf(calls, 'add_excerpt')).toHaveLength(1));
    expect(callsOf(calls, 'add_excerpt')[0]).toMatchObject({ paragraphId: 'p2', start: 23, end: 37 });
  });

  it('answers a navigation request by highlighting the excerpt in its paragraph', async () => {
    const excerpt: Excerpt = {
      id: 'x9',
      source_id: 's1',
      paragraph_id: 'p2',
      start: 4,
      end: 5,
      quote: '😀',
      quote_hash: '',
      note: '',
    };
    mockCommands(handlers({ excerpts_of_source: [excerpt] }));
    render(SourcesPanel);
    await screen.findByText(/told the officer/);
    review.navigate({
      panel: 'sources',
      kind: 'excerpt',
      id: 'x9',
      sourceId: 's1',
      paragraphId: 'p2',
      excerptId: 'x9',
    });
    await waitFor(() => {
      const mark = document.querySelector('mark.flash');
      expect(mark?.textContent).toBe('😀');
    });
    const row = document.querySelector('[data-paragraph-row="p2"]')!;
    expect(row).toHaveClass('current');
    await waitFor(() => expect(document.activeElement).toBe(row));
    expect(review.navigation).toBeNull();
  });

  it('renders only the rows in view of a long source and fetches only their page', async () => {
    const long: Paragraph[] = Array.from({ length: 20_000 }, (_, i) => ({
      id: `q${i}`,
      source_id: 's1',
      seq: i + 1,
      label: null,
      heading_level: 0,
      text: `Paragraph number ${i + 1}.`,
      kind: 'body',
    }));
    const calls = mockCommands(
      handlers({
        sources: [source({ paragraph_count: long.length })],
        paragraphs: (a: Record<string, unknown>) =>
          long.slice(a.offset as number, (a.offset as number) + (a.limit as number)),
      }),
    );
    render(SourcesPanel);
    await screen.findByText('Paragraph number 1.');
    const list = screen.getByRole('list', { name: 'Text of Police IMR' });
    expect(within(list).getAllByRole('listitem').length).toBeLessThan(60);
    expect(callsOf(calls, 'paragraphs')).toEqual([{ sourceId: 's1', offset: 0, limit: 100 }]);
  });

  it('marks a source replaced by a later version, and shows each one’s version', async () => {
    mockCommands(
      handlers({
        sources: [
          source({ superseded_by_id: 's2' }),
          source({ id: 's2', title: 'Police IMR', version: '2', supersedes_id: 's1' }),
        ],
      }),
    );
    render(SourcesPanel);
    const nav = await screen.findByRole('navigation', { name: 'Sources by agency' });
    const [old, current] = within(nav).getAllByRole('button', { name: /^Police IMR/ });
    expect(old).toHaveTextContent('v1');
    expect(within(old).getByText('Replaced')).toBeInTheDocument();
    expect(current).toHaveTextContent('v2');
    expect(within(current).queryByText('Replaced')).toBeNull();
  });

  it('says what to do when there are no sources', async () => {
    mockCommands(handlers({ sources: [] }));
    render(SourcesPanel);
    expect(await screen.findByRole('heading', { name: 'No sources yet' })).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Import…' }).length).toBeGreaterThan(0);
  });
});

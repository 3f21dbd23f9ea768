import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewInfo } from '../../lib/api';
import { review } from '../../lib/review.svelte';
import type { SearchHit } from '../../lib/types';
import { callsOf, mockCommands, type Call } from '../../test/ipc';
import SearchPalette from './SearchPalette.svelte';

const HOSTILE = '<img src=x onerror=alert(1)>';

function hit(kind: string, id: string, parts: [string, boolean][], extra: Partial<SearchHit['location']> = {}): SearchHit {
  return {
    kind,
    object_id: id,
    score: -1,
    snippet: parts.map(([t, h]) => (h ? `«${t}»` : t)).join(''),
    snippet_parts: parts.map(([text, hit]) => ({ text, hit })),
    location: {
      source_id: null,
      source_title: null,
      paragraph_id: null,
      paragraph_seq: null,
      paragraph_label: null,
      heading: null,
      label: id,
      ...extra,
    },
  };
}

const HITS: SearchHit[] = [
  hit('paragraph', 'p7', [['The note read ', false], [HOSTILE, false], [' and the ', false], ['bruise', true], [' was seen.', false]], {
    source_id: 's1',
    source_title: 'Police IMR',
    paragraph_id: 'p7',
    paragraph_seq: 7,
    label: 'Police IMR ¶4.2',
    heading: 'Contact in March',
  }),
  hit('finding', 'f2', [['A ', false], ['bruise', true], [' on a non-mobile baby', false]], { label: 'F2' }),
  hit('paragraph', 'p9', [['Second ', false], ['bruise', true]], {
    source_id: 's2',
    paragraph_id: 'p9',
    label: 'Health IMR ¶2',
  }),
  hit('excerpt', 'e1', [['bruise', true], [' to the cheek', false]], {
    source_id: 's1',
    paragraph_id: 'p3',
    label: 'Excerpt, Police IMR ¶1',
  }),
];

let calls: Call[];

beforeEach(() => {
  calls = mockCommands({
    search: (args) => {
      const query = args.query as { text: string };
      const hits = query.text.includes('nothing') ? [] : HITS;
      return { total: hits.length, total_capped: false, hits };
    },
  });
  review.info = { path: '/r/demo.threadline' } as ReviewInfo;
  review.panel = 'overview';
  review.navigation = null;
  review.paletteOpen = true;
});

afterEach(() => {
  review.paletteOpen = false;
  review.info = null;
});

describe('SearchPalette', () => {
  it('renders snippet parts as text, marking the matches, never as HTML', async () => {
    const user = userEvent.setup();
    render(SearchPalette);
    await user.type(screen.getByRole('combobox', { name: 'Search the review' }), 'bruise');
    const results = screen.getByRole('listbox', { name: 'Search results' });
    await waitFor(() => expect(within(results).getAllByRole('option')).toHaveLength(4));
    expect(within(results).getByText(HOSTILE, { exact: false })).toBeInTheDocument();
    expect(results.querySelector('img')).toBeNull();
    const first = within(results).getAllByRole('option')[0];
    expect(first.textContent).toContain(`The note read ${HOSTILE} and the bruise was seen.`);
    const marks = first.querySelectorAll('mark');
    expect(marks).toHaveLength(1);
    expect(marks[0].textContent).toBe('bruise');
    expect(callsOf(calls, 'search')[0]).toEqual({
      query: { text: 'bruise', kinds: null, offset: 0, limit: 50 },
    });
  });

  it('groups results by kind, groups in the order of their best hit', async () => {
    const user = userEvent.setup();
    render(SearchPalette);
    await user.type(screen.getByRole('combobox'), 'bruise');
    const groups = await screen.findAllByRole('group');
    expect(groups.map((g) => g.getAttribute('aria-labelledby'))).toEqual([
      'palette-group-paragraph',
      'palette-group-finding',
      'palette-group-excerpt',
    ]);
    expect(within(groups[0]).getAllByRole('option')).toHaveLength(2);
    expect(within(groups[0]).getByText('Source paragraphs')).toBeInTheDocument();
  });

  it('moves with the arrow keys and opens the chosen record with Enter', async () => {
    const user = userEvent.setup();
    render(SearchPalette);
    const box = screen.getByRole('combobox');
    await user.type(box, 'bruise');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(4));
    const options = () => screen.getAllByRole('option');
    expect(options()[0]).toHaveAttribute('aria-selected', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', options()[0].id);
    // Group order: paragraphs (p7, p9), findings (f2), excerpts (e1).
    await user.keyboard('{ArrowDown}');
    expect(options()[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(options()[3]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(box).toHaveAttribute('aria-activedescendant', options()[1].id);
    await user.keyboard('{Enter}');
    expect(review.panel).toBe('sources');
    expect(review.navigation).toMatchObject({
      panel: 'sources',
      kind: 'paragraph',
      id: 'p9',
      sourceId: 's2',
      paragraphId: 'p9',
    });
    expect(review.paletteOpen).toBe(false);
  });

  it('sends an excerpt to the source reader with the excerpt to highlight', async () => {
    const user = userEvent.setup();
    render(SearchPalette);
    await user.type(screen.getByRole('combobox'), 'bruise');
    await user.click(await screen.findByText('Excerpt, Police IMR ¶1'));
    expect(review.navigation).toMatchObject({
      panel: 'sources',
      kind: 'excerpt',
      id: 'e1',
      sourceId: 's1',
      paragraphId: 'p3',
      excerptId: 'e1',
    });
  });

  it('says when nothing matches', async () => {
    const user = userEvent.setup();
    render(SearchPalette);
    await user.type(screen.getByRole('combobox'), 'nothing here');
    expect(await screen.findByText('Nothing matches “nothing here”.')).toBeInTheDocument();
    expect(screen.queryAllByRole('option')).toHaveLength(0);
  });

  it('closes with Escape', async () => {
    const user = userEvent.setup();
    render(SearchPalette);
    await user.keyboard('{Escape}');
    expect(review.paletteOpen).toBe(false);
  });
});

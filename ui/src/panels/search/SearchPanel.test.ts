import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { review } from '../../lib/review.svelte';
import type { SearchHit } from '../../lib/types';
import { callsOf, mockCommands, type Call } from '../../test/ipc';
import SearchPanel from './SearchPanel.svelte';

const HIT: SearchHit = {
  kind: 'chronology_entry',
  object_id: 'c4',
  score: -2,
  snippet: 'GP saw «bruise» <script>alert(1)</script>',
  snippet_parts: [
    { text: 'GP saw ', hit: false },
    { text: 'bruise', hit: true },
    { text: ' <script>alert(1)</script>', hit: false },
  ],
  location: {
    source_id: null,
    source_title: null,
    paragraph_id: null,
    paragraph_seq: null,
    paragraph_label: null,
    heading: null,
    label: 'Chronology 09/01/2023',
  },
};

let calls: Call[];

beforeEach(() => {
  calls = mockCommands({
    search: () => ({ total: 1, total_capped: false, hits: [HIT] }),
  });
  review.navigation = null;
});

describe('SearchPanel', () => {
  it('says how to search before anything is typed', () => {
    render(SearchPanel);
    expect(screen.getByRole('heading', { name: 'Search the whole review' })).toBeInTheDocument();
  });

  it('searches only the chosen kinds and opens a result with the keyboard', async () => {
    const user = userEvent.setup();
    render(SearchPanel);
    await user.click(screen.getByRole('button', { name: 'Chronology' }));
    expect(screen.getByRole('button', { name: 'Chronology' })).toHaveAttribute('aria-pressed', 'true');
    await user.type(screen.getByRole('searchbox', { name: 'Search the review' }), 'bruise');
    const result = await screen.findByRole('button', { name: /Chronology 09\/01\/2023/ });
    expect(result.textContent).toContain('<script>alert(1)</script>');
    expect(result.querySelector('script')).toBeNull();
    expect(callsOf(calls, 'search').at(-1)).toEqual({
      query: { text: 'bruise', kinds: ['chronology_entry'], offset: 0, limit: 100 },
    });
    await user.keyboard('{ArrowDown}');
    expect(result).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(review.navigation).toMatchObject({ panel: 'chronology', kind: 'chronology_entry', id: 'c4' }),
    );
  });
});

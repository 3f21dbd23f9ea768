import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import type { ReviewInfo } from './lib/api';
import { review } from './lib/review.svelte';
import { callsOf, mockCommands } from './test/ipc';

const INFO: ReviewInfo = {
  path: '/home/u/demo.threadline',
  details: {
    id: 'r1',
    title: 'Child R',
    review_type: 'cspr',
    board: 'Northshire Safeguarding Partnership',
    subjects: ['Child R'],
    incident_date: null,
    decision_date: null,
    commissioned_date: null,
    first_panel_date: null,
    draft_issued_date: null,
    published_date: null,
    review_period_start: null,
    review_period_end: null,
    context_period_start: null,
    context_period_end: null,
    status: 'analysis',
  },
  stats: { tables: [{ table: 'source', rows: 6 }], source_words: 1200, changes: 40, file_bytes: 90000 },
};

/** Everything the overview and ToR panels ask for, empty. */
const PANEL_DATA = {
  details: () => INFO.details,
  stats: () => INFO.stats,
  action_plan: () => [],
  sections: () => [],
  tor_items: () => [],
  tor_coverage: () => [],
  search: () => ({ total: 0, total_capped: false, hits: [] }),
};

afterEach(() => {
  review.info = null;
  review.paletteOpen = false;
  review.panel = 'overview';
});

describe('App', () => {
  it('offers the demo, a new review, opening a file and the recent files when none is open', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => null,
      recent_files: () => ['/home/u/reviews/child-a.threadline'],
      open_review: () => INFO,
      ...PANEL_DATA,
    });
    render(App);
    expect(await screen.findByRole('button', { name: 'Open demo review' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'New review…' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open…' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /child-a\.threadline/ }));
    expect(callsOf(calls, 'open_review')).toEqual([{ path: '/home/u/reviews/child-a.threadline' }]);
    expect(await screen.findByRole('navigation', { name: 'Panels' })).toBeInTheDocument();
  });

  it('shows the frame for an open review and switches panels from the sidebar and keyboard', async () => {
    const user = userEvent.setup();
    mockCommands({ current_review: () => INFO, undo_state: () => ['Add finding', null], ...PANEL_DATA });
    render(App);
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();
    expect(screen.getByText('Child R', { selector: '.name' })).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /Undo: Add finding/ })).toBeEnabled(),
    );
    expect(screen.getByRole('button', { name: /Nothing to redo/ })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: /Terms of reference/ }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Terms of reference' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Terms of reference/ })).toHaveAttribute(
      'aria-current',
      'page',
    );

    await fireEvent.keyDown(window, { key: '9', code: 'Digit9', ctrlKey: true });
    expect(await screen.findByRole('heading', { level: 1, name: 'Search' })).toBeInTheDocument();

    await fireEvent.keyDown(window, { key: 'k', code: 'KeyK', ctrlKey: true });
    expect(await screen.findByRole('dialog', { name: 'Search the review' })).toBeInTheDocument();
  });

  it('undoes with Ctrl+Z and says what was undone', async () => {
    const calls = mockCommands({
      current_review: () => INFO,
      undo_state: () => ['Add finding', null],
      undo: () => 'Add finding',
      ...PANEL_DATA,
    });
    render(App);
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    await fireEvent.keyDown(document.body, { key: 'z', code: 'KeyZ', ctrlKey: true });
    expect(await screen.findByText('Undid: Add finding')).toBeInTheDocument();
    expect(callsOf(calls, 'undo')).toHaveLength(1);
  });

  it('says there is nothing to undo or redo as information, not as an error', async () => {
    mockCommands({
      current_review: () => INFO,
      undo: () => {
        throw { code: 'nothing_to_undo', message: 'nothing to undo' };
      },
      redo: () => {
        throw { code: 'nothing_to_undo', message: 'nothing to redo' };
      },
      ...PANEL_DATA,
    });
    render(App);
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    await fireEvent.keyDown(document.body, { key: 'z', code: 'KeyZ', ctrlKey: true });
    const status = (text: string) =>
      screen.findByText((_, el) => el?.classList.contains('text') === true && el.textContent === text);
    const undone = await status('Nothing to undo');
    expect(undone.closest('[role=status]')).not.toBeNull();
    expect(undone.closest('[role=alert]')).toBeNull();
    await fireEvent.keyDown(document.body, { key: 'Z', code: 'KeyZ', ctrlKey: true, shiftKey: true });
    const redone = await status('Nothing to redo');
    expect(redone.closest('[role=status]')).not.toBeNull();
  });
});

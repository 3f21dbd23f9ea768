import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import App from './App.svelte';
import { review } from './lib/review.svelte';
import { callsOf, mockCommands } from './test/ipc';
import { reviewInfo } from './test/review-info';

const INFO = reviewInfo({
  stats: { tables: [{ table: 'source', rows: 6 }], source_words: 1200, changes: 40, file_bytes: 90000 },
});

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
  review.profile = null;
  review.profileOpen = false;
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

  it('asks who is working on first start, insists on a name and role, and shows them in the header', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => INFO,
      profile: () => null,
      save_profile: ({ name, role }) => ({ name: String(name).trim(), role }),
      ...PANEL_DATA,
    });
    render(App);
    const dialog = await screen.findByRole('dialog', { name: 'Who is working?' });
    // The first answer cannot be skipped: no Cancel, and Escape leaves it open.
    expect(within(dialog).queryByRole('button', { name: 'Cancel' })).toBeNull();
    await fireEvent.keyDown(dialog, { key: 'Escape', code: 'Escape' });
    expect(screen.getByRole('dialog', { name: 'Who is working?' })).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Give your name');
    await user.type(within(dialog).getByLabelText('Your name'), '  Martin Osei ');
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose your role');
    expect(callsOf(calls, 'save_profile')).toEqual([]);

    await user.click(within(dialog).getByRole('radio', { name: /Panel chair/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Who is working?' })).toBeNull());
    expect(callsOf(calls, 'save_profile')).toEqual([{ name: '  Martin Osei ', role: 'chair' }]);
    expect(screen.getByRole('button', { name: /Martin Osei · Panel chair/ })).toBeInTheDocument();
    expect(review.profile).toEqual({ name: 'Martin Osei', role: 'chair' });
  });

  it('changes the name and role from the header, and a refused change keeps the dialog open', async () => {
    const user = userEvent.setup();
    let refuse = true;
    const calls = mockCommands({
      current_review: () => INFO,
      save_profile: ({ name, role }) => {
        if (refuse) throw { code: 'invalid', message: 'name: A name can be at most 120 characters.' };
        return { name, role };
      },
      ...PANEL_DATA,
    });
    render(App);
    await user.click(await screen.findByRole('button', { name: /Alison Greaves · Overview author/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Your name and role' });
    expect(within(dialog).getByLabelText('Your name')).toHaveValue('Alison Greaves');
    expect(within(dialog).getByRole('radio', { name: /Overview author/ })).toBeChecked();
    await user.click(within(dialog).getByRole('radio', { name: /Business manager/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Check name: A name can be at most 120 characters.',
    );
    expect(screen.getByRole('dialog', { name: 'Your name and role' })).toBeInTheDocument();

    refuse = false;
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Your name and role' })).toBeNull());
    expect(callsOf(calls, 'save_profile').at(-1)).toEqual({ name: 'Alison Greaves', role: 'business manager' });
    expect(screen.getByRole('button', { name: /Alison Greaves · Business manager/ })).toBeInTheDocument();
  });
});

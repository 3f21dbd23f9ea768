import { render, screen, waitFor, within } from '@testing-library/svelte';
import { emit } from '@tauri-apps/api/event';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import type { ReviewInfo } from '../../lib/api';
import { Commands } from '../../lib/commands';
import { review } from '../../lib/review.svelte';
import type { SnapshotInfo } from '../../lib/types';
import { callsOf, mockCommands } from '../../test/ipc';
import { reviewInfo } from '../../test/review-info';
import { newPassphraseProblem, snapshotReason } from './passphrase';

function info(path: string, title: string, encrypted: boolean): ReviewInfo {
  const base = reviewInfo();
  return {
    ...base,
    path,
    encrypted,
    details: { ...base.details, title, subjects: [] },
    stats: { ...base.stats, changes: 3, file_bytes: 90000 },
  };
}

const PLAIN = info('/home/u/child-r.threadline', 'Child R', false);
const LOCKED = info('/home/u/child-s.threadline', 'Child S', true);

/** What the Overview panel reads, empty. */
const PANEL_DATA = {
  details: () => PLAIN.details,
  stats: () => PLAIN.stats,
  action_plan: () => [],
  sections: () => [],
  tor_items: () => [],
  tor_coverage: () => [],
};

const needed = { code: 'passphrase_needed', message: '/home/u/child-s.threadline is protected with a passphrase' };
const wrong = { code: 'passphrase', message: 'the passphrase is wrong, or this file is not a Threadline review' };

afterEach(() => {
  review.info = null;
  review.unlockPath = null;
  review.newPath = null;
  review.passphraseOpen = false;
  review.restoreOpen = false;
  review.elsewhere = null;
  review.panel = 'overview';
});

describe('opening a protected review', () => {
  it('asks for the passphrase, says a wrong one is not right, and opens with the right one', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => null,
      recent_files: () => [LOCKED.path],
      open_review: ({ passphrase }) => {
        if (passphrase === undefined) throw needed;
        if (passphrase !== 'correct horse') throw wrong;
        return LOCKED;
      },
      ...PANEL_DATA,
    });
    render(App);
    await user.click(await screen.findByRole('button', { name: /child-s\.threadline/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Enter the passphrase' });
    const field = within(dialog).getByLabelText('Passphrase');
    expect(field).toHaveAttribute('type', 'password');
    await user.click(within(dialog).getByLabelText('Show passphrase'));
    expect(field).toHaveAttribute('type', 'text');

    await user.type(field, 'wrong one{Enter}');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(/^That passphrase is not right\.$/);
    // No hint of the content: not the review's title, not the core's own wording.
    expect(dialog.textContent).not.toContain('Child S');
    expect(dialog.textContent).not.toContain('not a Threadline review');
    expect(field).toHaveValue('');

    await user.type(field, 'correct horse{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Enter the passphrase' })).toBeNull());
    expect(callsOf(calls, 'open_review')).toEqual([
      { path: LOCKED.path },
      { path: LOCKED.path, passphrase: 'wrong one' },
      { path: LOCKED.path, passphrase: 'correct horse' },
    ]);
    expect(await screen.findByText('Protected', { selector: '.protected' })).toBeInTheDocument();
    expect(screen.getByText('Child S', { selector: '.name' })).toBeInTheDocument();
  });

  it('leaves the open review as it was when the passphrase is cancelled (Open recent)', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => PLAIN,
      open_review: () => {
        throw needed;
      },
      ...PANEL_DATA,
    });
    render(App);
    await screen.findByText('Child R', { selector: '.name' });
    expect(screen.queryByText('Protected', { selector: '.protected' })).toBeNull();
    new Commands(review).menu(`file.recent:${LOCKED.path}`);
    const dialog = await screen.findByRole('dialog', { name: 'Enter the passphrase' });
    expect(dialog).toHaveTextContent('child-s.threadline is protected with a passphrase.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog', { name: 'Enter the passphrase' })).toBeNull();
    expect(review.info?.path).toBe(PLAIN.path);
    expect(screen.getByText('Child R', { selector: '.name' })).toBeInTheDocument();
    expect(callsOf(calls, 'open_review')).toEqual([{ path: LOCKED.path }]);
  });

  it('asks at start for the protected review the shell could not reopen', async () => {
    mockCommands({
      current_review: () => null,
      locked_review: () => LOCKED.path,
      open_review: () => {
        throw needed;
      },
      ...PANEL_DATA,
    });
    render(App);
    const dialog = await screen.findByRole('dialog', { name: 'Enter the passphrase' });
    expect(dialog).toHaveTextContent('child-s.threadline is protected with a passphrase.');
  });

  it('offers read-only at start for the review the shell found open elsewhere', async () => {
    mockCommands({
      current_review: () => null,
      locked_review: () => PLAIN.path,
      open_review: () => {
        throw { code: 'open_elsewhere', message: 'review is open elsewhere: … (process 9 on laptop)' };
      },
      ...PANEL_DATA,
    });
    render(App);
    const dialog = await screen.findByRole('dialog', { name: 'This review is open elsewhere' });
    expect(dialog).toHaveTextContent('(process 9 on laptop)');
    expect(within(dialog).getByRole('button', { name: 'Open read-only' })).toBeInTheDocument();
  });
});

describe('a new review', () => {
  it('recommends protection and makes a protected review when both passphrases match', async () => {
    const user = userEvent.setup();
    const made = info('/home/u/new.threadline', '', true);
    const calls = mockCommands({
      current_review: () => null,
      'plugin:dialog|save': '/home/u/new.threadline',
      new_review: () => made,
      ...PANEL_DATA,
    });
    render(App);
    await user.click(await screen.findByRole('button', { name: 'New review…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Protect the new review?' });
    expect(dialog).toHaveTextContent('Threadline recommends protecting it with a passphrase');
    await user.type(within(dialog).getByLabelText('Passphrase'), 'blue kettle');
    await user.type(within(dialog).getByLabelText('Confirm passphrase'), 'blue kettel');
    await user.click(within(dialog).getByRole('button', { name: 'Protect' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('The two passphrases are not the same.');
    expect(callsOf(calls, 'new_review')).toEqual([]);

    await user.clear(within(dialog).getByLabelText('Confirm passphrase'));
    await user.type(within(dialog).getByLabelText('Confirm passphrase'), 'blue kettle');
    await user.click(within(dialog).getByRole('button', { name: 'Protect' }));
    await waitFor(() => expect(callsOf(calls, 'new_review')).toEqual([{ path: '/home/u/new.threadline', passphrase: 'blue kettle' }]));
    expect(await screen.findByText('Created new.threadline, protected with a passphrase')).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Protect the new review?' })).toBeNull();
    expect(screen.getByText('Protected', { selector: '.protected' })).toBeInTheDocument();
  });

  it("makes an unprotected review on Don't protect, and nothing when the dialog is closed", async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => null,
      'plugin:dialog|save': '/home/u/plain.threadline',
      new_review: () => info('/home/u/plain.threadline', '', false),
      ...PANEL_DATA,
    });
    render(App);
    await user.click(await screen.findByRole('button', { name: 'New review…' }));
    let dialog = await screen.findByRole('dialog', { name: 'Protect the new review?' });
    await user.click(within(dialog).getByRole('button', { name: 'Close dialog' }));
    expect(screen.queryByRole('dialog', { name: 'Protect the new review?' })).toBeNull();
    expect(callsOf(calls, 'new_review')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'New review…' }));
    dialog = await screen.findByRole('dialog', { name: 'Protect the new review?' });
    await user.click(within(dialog).getByRole('button', { name: "Don't protect" }));
    await waitFor(() => expect(callsOf(calls, 'new_review')).toEqual([{ path: '/home/u/plain.threadline' }]));
    await screen.findByText('Created plain.threadline');
    expect(screen.queryByText('Protected', { selector: '.protected' })).toBeNull();
  });
});

describe('File › Passphrase…', () => {
  it('protects an open review and marks it protected', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({ current_review: () => PLAIN, add_passphrase: () => true, ...PANEL_DATA });
    render(App);
    await screen.findByText('Child R', { selector: '.name' });
    new Commands(review).menu('file.passphrase');
    const dialog = await screen.findByRole('dialog', { name: 'Protect this review' });
    await user.click(within(dialog).getByRole('button', { name: 'Protect' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Enter a passphrase.');
    await user.type(within(dialog).getByLabelText('Passphrase'), 'river stone');
    await user.type(within(dialog).getByLabelText('Confirm passphrase'), 'river stone');
    await user.click(within(dialog).getByRole('button', { name: 'Protect' }));
    await waitFor(() => expect(callsOf(calls, 'add_passphrase')).toEqual([{ passphrase: 'river stone' }]));
    expect(await screen.findByText('Protected', { selector: '.protected' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Protect this review' })).toBeNull();
  });

  it('asks before removing the protection and says who could read the file', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({ current_review: () => LOCKED, remove_passphrase: () => false, ...PANEL_DATA });
    render(App);
    expect(await screen.findByText('Protected', { selector: '.protected' })).toBeInTheDocument();
    new Commands(review).menu('file.passphrase');
    const dialog = await screen.findByRole('dialog', { name: 'Passphrase' });
    expect(within(dialog).getByRole('button', { name: 'Change passphrase' })).toBeInTheDocument();
    // Without the current passphrase nothing is asked and nothing is sent.
    await user.click(within(dialog).getByRole('button', { name: 'Remove protection…' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'Type the current passphrase to remove the protection.',
    );
    expect(screen.queryByRole('dialog', { name: 'Remove the protection?' })).toBeNull();
    await user.type(within(dialog).getByLabelText('Current passphrase'), 'old words');
    await user.click(within(dialog).getByRole('button', { name: 'Remove protection…' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove the protection?' });
    expect(confirm).toHaveTextContent('Anyone who has the file will then be able to read it.');
    expect(callsOf(calls, 'remove_passphrase')).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Remove protection' }));
    await waitFor(() => expect(callsOf(calls, 'remove_passphrase')).toEqual([{ current: 'old words' }]));
    await waitFor(() => expect(screen.queryByText('Protected', { selector: '.protected' })).toBeNull());
    expect(await screen.findByText('The review is no longer protected')).toBeInTheDocument();
  });

  it('changes the passphrase only with the current one, and shows a wrong one in the dialog', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => LOCKED,
      change_passphrase: (args) => {
        if (args.current !== 'old words') {
          throw {
            code: 'invalid',
            message: "the current passphrase: it is not this review's passphrase, so the passphrase was not changed",
          };
        }
        return true;
      },
      ...PANEL_DATA,
    });
    render(App);
    await screen.findByText('Child S', { selector: '.name' });
    new Commands(review).menu('file.passphrase');
    const dialog = await screen.findByRole('dialog', { name: 'Passphrase' });
    await user.type(within(dialog).getByLabelText('New passphrase'), 'new words');
    await user.type(within(dialog).getByLabelText('Confirm new passphrase'), 'new words');
    await user.click(within(dialog).getByRole('button', { name: 'Change passphrase' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Type the current passphrase to change it.');
    expect(callsOf(calls, 'change_passphrase')).toEqual([]);
    await user.type(within(dialog).getByLabelText('Current passphrase'), 'guess');
    await user.click(within(dialog).getByRole('button', { name: 'Change passphrase' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Check the current passphrase: it is not this review's passphrase, so the passphrase was not changed.",
    );
    await user.clear(within(dialog).getByLabelText('Current passphrase'));
    await user.type(within(dialog).getByLabelText('Current passphrase'), 'old words');
    await user.click(within(dialog).getByRole('button', { name: 'Change passphrase' }));
    await waitFor(() =>
      expect(callsOf(calls, 'change_passphrase')).toEqual([
        { current: 'guess', passphrase: 'new words' },
        { current: 'old words', passphrase: 'new words' },
      ]),
    );
    expect(await screen.findByText('The passphrase was changed')).toBeInTheDocument();
  });

  it('shows a failure to rewrite the file in the dialog', async () => {
    const user = userEvent.setup();
    mockCommands({
      current_review: () => LOCKED,
      change_passphrase: () => {
        throw { code: 'disk_full', message: 'the disk is full' };
      },
      ...PANEL_DATA,
    });
    render(App);
    await screen.findByText('Child S', { selector: '.name' });
    new Commands(review).menu('file.passphrase');
    const dialog = await screen.findByRole('dialog', { name: 'Passphrase' });
    await user.type(within(dialog).getByLabelText('Current passphrase'), 'y');
    await user.type(within(dialog).getByLabelText('New passphrase'), 'x');
    await user.type(within(dialog).getByLabelText('Confirm new passphrase'), 'x');
    await user.click(within(dialog).getByRole('button', { name: 'Change passphrase' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The disk is full');
    expect(screen.getByText('Protected', { selector: '.protected' })).toBeInTheDocument();
  });
});

describe('File › Restore from a backup…', () => {
  const SNAPSHOTS: SnapshotInfo[] = [
    { path: '/home/u/child-r.backups/b.threadline', taken_at: '2026-03-02T10:20:00Z', reason: 'timer', bytes: 2048, change_seq: 40, changes_since: 3 },
    { path: '/home/u/child-r.backups/a.threadline', taken_at: '2026-03-01T09:00:00Z', reason: 'import', bytes: 1536, change_seq: 12, changes_since: 31 },
  ];

  it('lists the backups newest first and restores one after confirming', async () => {
    const user = userEvent.setup();
    const restored = { ...PLAIN, details: { ...PLAIN.details, title: 'Child R (restored)' } };
    const calls = mockCommands({
      current_review: () => PLAIN,
      snapshots: () => SNAPSHOTS,
      restore_snapshot: () => restored,
      ...PANEL_DATA,
    });
    render(App);
    await screen.findByText('Child R', { selector: '.name' });
    const before = review.revision;
    new Commands(review).menu('file.restore');
    const dialog = await screen.findByRole('dialog', { name: 'Restore from a backup' });
    const rows = await within(dialog).findAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('Every 10 minutes of editing');
    expect(rows[1]).toHaveTextContent('3 changes since');
    expect(rows[1]).toHaveTextContent('2.0 KB');
    expect(rows[2]).toHaveTextContent('Before an import');
    expect(rows[2]).toHaveTextContent('31 changes since');

    await user.click(within(rows[2]).getByRole('button', { name: /Restore the backup of/ }));
    const confirm = await screen.findByRole('dialog', { name: 'Restore this backup?' });
    expect(confirm).toHaveTextContent('The current state is kept as a snapshot first');
    expect(callsOf(calls, 'restore_snapshot')).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Restore' }));
    await waitFor(() =>
      expect(callsOf(calls, 'restore_snapshot')).toEqual([{ path: '/home/u/child-r.backups/a.threadline' }]),
    );
    expect(await screen.findByText('Child R (restored)', { selector: '.name' })).toBeInTheDocument();
    expect(review.revision).toBeGreaterThan(before);
    expect(screen.queryByRole('dialog', { name: 'Restore from a backup' })).toBeNull();
  });

  it('backs up now and shows the new backup in the list', async () => {
    const user = userEvent.setup();
    let list: SnapshotInfo[] = [];
    const taken: SnapshotInfo = { ...SNAPSHOTS[0], reason: 'manual', changes_since: 0 };
    const calls = mockCommands({
      current_review: () => PLAIN,
      snapshots: () => list,
      snapshot: () => {
        list = [taken];
        return taken;
      },
      ...PANEL_DATA,
    });
    render(App);
    await screen.findByText('Child R', { selector: '.name' });
    new Commands(review).menu('file.restore');
    const dialog = await screen.findByRole('dialog', { name: 'Restore from a backup' });
    expect(await within(dialog).findByText(/There are no backups of this review yet/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Back up now' }));
    expect(await within(dialog).findByText('Backed up by hand')).toBeInTheDocument();
    expect(within(dialog).getByText('No changes since')).toBeInTheDocument();
    expect(callsOf(calls, 'snapshot')).toEqual([{ reason: 'manual' }]);
  });
});

describe('timed backups', () => {
  it('says a failed automatic backup as an error toast, and the review stays open', async () => {
    mockCommands({ current_review: () => PLAIN, ...PANEL_DATA }, { events: true });
    const { unmount } = render(App);
    await screen.findByText('Child R', { selector: '.name' });
    // Let the window's listeners register before the shell speaks.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await emit('backup-failed', { code: 'disk_full', message: 'the disk is full' });
    const alert = await screen.findByText(/^The automatic backup failed: The disk is full/);
    expect(alert.closest('[role=alert]')).not.toBeNull();
    expect(screen.getByText('Child R', { selector: '.name' })).toBeInTheDocument();
    // Stop listening while the mocked events still exist.
    unmount();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});

describe('passphrase checks and words', () => {
  it('wants a passphrase typed twice the same', () => {
    expect(newPassphraseProblem('', '')).toBe('Enter a passphrase.');
    expect(newPassphraseProblem('a', '')).toMatch(/second time/);
    expect(newPassphraseProblem('a', 'b')).toMatch(/not the same/);
    expect(newPassphraseProblem('a b', 'a b')).toBeNull();
    expect(snapshotReason('before-restore')).toBe('Before a restore');
    expect(snapshotReason('weekly-copy')).toBe('Weekly copy');
  });
});

describe('opening a review that is open elsewhere', () => {
  const here = {
    code: 'open_elsewhere',
    message:
      'review is open elsewhere: /home/u/child-r.threadline is already open in another Threadline window or process (process 4242 on caseworker-laptop, since 2026-12-04 09:15 UTC)',
  };
  const there = {
    code: 'open_on_another_computer',
    message:
      'review may be open on another computer: /home/u/child-r.threadline was opened (process 77 on CASEWORK-PC-7, since 2026-12-01 09:15 UTC) and not closed there; if it is not open there any more (that computer stopped), it can be taken over',
  };

  it('says where it is open and opens it read-only, marked as such', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => null,
      recent_files: () => [PLAIN.path],
      open_review: ({ how }) => {
        if (how === 'read_only') return { ...PLAIN, read_only: true };
        throw here;
      },
      ...PANEL_DATA,
    });
    render(App);
    await user.click(await screen.findByRole('button', { name: /child-r\.threadline/ }));
    const dialog = await screen.findByRole('dialog', { name: 'This review is open elsewhere' });
    expect(dialog).toHaveTextContent(
      'This review is open in another Threadline window (process 4242 on caseworker-laptop, since 2026-12-04 09:15 UTC).',
    );
    // The same computer holds it: nothing to take over.
    expect(within(dialog).queryByRole('button', { name: /Take over/ })).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Open read-only' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Open read-only' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsOf(calls, 'open_review')).toEqual([
      { path: PLAIN.path },
      { path: PLAIN.path, how: 'read_only' },
    ]);
    expect(screen.getByText('Read-only', { selector: '.read-only' })).toBeInTheDocument();
    expect(screen.getByText(/nothing you change is\s+saved/)).toBeInTheDocument();
    expect(review.toasts.map((t) => t.text)).toContain('Opened child-r.threadline read-only');
  });

  it('offers to take over from another computer only after a warning, and Cancel opens nothing', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => null,
      recent_files: () => [PLAIN.path],
      open_review: ({ how }) => {
        if (how === 'take_over') return PLAIN;
        throw there;
      },
      ...PANEL_DATA,
    });
    render(App);
    await user.click(await screen.findByRole('button', { name: /child-r\.threadline/ }));
    let dialog = await screen.findByRole('dialog', { name: 'This review is open elsewhere' });
    expect(dialog).toHaveTextContent('opened on another computer (process 77 on CASEWORK-PC-7');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsOf(calls, 'open_review')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: /child-r\.threadline/ }));
    dialog = await screen.findByRole('dialog', { name: 'This review is open elsewhere' });
    await user.click(within(dialog).getByRole('button', { name: 'Take over…' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('one person\'s work can be lost');
    await user.click(within(dialog).getByRole('button', { name: 'It is not open there: take it over' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsOf(calls, 'open_review').at(-1)).toEqual({ path: PLAIN.path, how: 'take_over' });
    expect(screen.queryByText('Read-only', { selector: '.read-only' })).toBeNull();
    expect(screen.queryByText(/nothing you change is\s+saved/)).toBeNull();
  });

  it('keeps the passphrase of a protected review for the read-only open', async () => {
    const user = userEvent.setup();
    const calls = mockCommands({
      current_review: () => null,
      recent_files: () => [LOCKED.path],
      open_review: ({ passphrase, how }) => {
        if (passphrase === undefined) throw needed;
        if (how === 'read_only') return { ...LOCKED, read_only: true };
        throw here;
      },
      ...PANEL_DATA,
    });
    render(App);
    await user.click(await screen.findByRole('button', { name: /child-s\.threadline/ }));
    const unlock = await screen.findByRole('dialog', { name: 'Enter the passphrase' });
    await user.type(within(unlock).getByLabelText('Passphrase'), 'correct horse{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'This review is open elsewhere' });
    await user.click(within(dialog).getByRole('button', { name: 'Open read-only' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsOf(calls, 'open_review').at(-1)).toEqual({
      path: LOCKED.path,
      passphrase: 'correct horse',
      how: 'read_only',
    });
  });
});

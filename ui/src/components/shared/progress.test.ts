import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

import * as api from '../../lib/api';
import type { Progress } from '../../lib/api';
import { ReviewState } from '../../lib/review.svelte';
import type { DocumentImport, SourceInput } from '../../lib/types';
import { callsOf, mockCommands, sendProgress } from '../../test/ipc';
import ProgressBar from './ProgressBar.svelte';
import ProgressDialog from './ProgressDialog.svelte';

const INPUT = { title: 'Notes' } as SourceInput;
const DONE = { source: { id: 's1', title: 'Notes', paragraph_count: 3 } } as DocumentImport;
const STAGES: Progress[] = [
  { stage: 'Reading notes.txt', done: 0, total: 2 },
  { stage: 'Saving notes.txt in the review', done: 1, total: 2 },
  { stage: 'Imported notes.txt', done: 2, total: 2 },
];

afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressBar', () => {
  it('shows the stage, "n of m" and a determinate bar', () => {
    render(ProgressBar, { label: 'Importing notes.txt', stage: 'Saving', done: 1, total: 2 });
    const bar = screen.getByRole('progressbar', { name: 'Importing notes.txt' });
    expect(bar).toHaveAttribute('aria-valuenow', '1');
    expect(bar).toHaveAttribute('aria-valuemax', '2');
    expect(bar).toHaveAttribute('aria-valuetext', 'Saving: 1 of 2');
    expect(screen.getByText('1 of 2')).toBeInTheDocument();
    expect(screen.getByText('Saving')).toBeInTheDocument();
  });

  it('moves without a figure while the amount of work is unknown', () => {
    render(ProgressBar, { label: 'Importing', stage: 'Starting', done: 0, total: 0 });
    const bar = screen.getByRole('progressbar', { name: 'Importing' });
    expect(bar).not.toHaveAttribute('aria-valuenow');
    expect(bar).toHaveClass('indeterminate');
    expect(screen.queryByText(/ of /)).toBeNull();
  });
});

describe('ProgressDialog', () => {
  it('appears only when the work takes longer than its delay, and goes when it ends', async () => {
    vi.useFakeTimers();
    const activity = { title: 'Importing notes.txt', stage: 'Reading notes.txt', done: 0, total: 2 };
    const view = render(ProgressDialog, { activity, delay: 250 });
    expect(screen.queryByRole('dialog')).toBeNull();
    await vi.advanceTimersByTimeAsync(300);
    const dialog = screen.getByRole('dialog', { name: 'Importing notes.txt' });
    expect(dialog).toHaveFocus();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuetext', 'Reading notes.txt: 0 of 2');
    // Nothing to cancel: no close button, and Escape leaves it up.
    expect(within(dialog).queryByRole('button')).toBeNull();
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.getByRole('dialog', { name: 'Importing notes.txt' })).toBeInTheDocument();
    expect(dialog).toHaveAccessibleDescription('This closes by itself when it is done.');
    await view.rerender({ activity: null });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('progress over IPC', () => {
  it('passes a channel to import_document and hands each report to the callback', async () => {
    const calls = mockCommands({
      import_document: (args) => {
        sendProgress(args.onProgress, STAGES);
        return DONE;
      },
    });
    const seen: Progress[] = [];
    const made = await api.importDocument(INPUT, '/docs/notes.txt', null, (p) => seen.push(p));
    expect(made).toEqual(DONE);
    expect(seen).toEqual(STAGES);
    const [args] = callsOf(calls, 'import_document');
    expect(args.path).toBe('/docs/notes.txt');
    expect(args.input).toEqual(INPUT);
    expect(args.supersedes).toBeNull();
    expect(JSON.stringify(args.onProgress)).toMatch(/^"__CHANNEL__:\d+"$/);
  });

  it('shows each stage as the activity while the work runs, and clears it after', async () => {
    const state = new ReviewState();
    const seen: (Progress | null)[] = [];
    let release: () => void = () => {};
    const done = state.withProgress('Importing notes.txt', async (report) => {
      seen.push(state.activity);
      report(STAGES[0]);
      seen.push(state.activity);
      report(STAGES[1]);
      await new Promise<void>((resolve) => (release = resolve));
      return 'made';
    });
    await waitFor(() => expect(state.activity?.stage).toBe('Saving notes.txt in the review'));
    expect(seen).toEqual([
      { title: 'Importing notes.txt', stage: 'Starting', done: 0, total: 0 },
      { title: 'Importing notes.txt', ...STAGES[0] },
    ]);
    release();
    await expect(done).resolves.toBe('made');
    expect(state.activity).toBeNull();
  });

  it('clears the activity when the work fails', async () => {
    const state = new ReviewState();
    const failed = state.withProgress('Importing', () => Promise.reject(new api.AppError('io', 'x')));
    await expect(failed).rejects.toMatchObject({ code: 'io' });
    expect(state.activity).toBeNull();
  });
});

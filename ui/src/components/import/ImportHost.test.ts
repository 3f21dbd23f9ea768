import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ReviewInfo } from '../../lib/api';
import { Commands } from '../../lib/commands';
import { importer } from '../../lib/importer.svelte';
import { review } from '../../lib/review.svelte';
import { callsOf, mockCommands } from '../../test/ipc';
import ImportHost from './ImportHost.svelte';
import { AGENCIES, SOURCES, preview } from './fixtures';

const INFO = { path: '/home/u/child-q.threadline', details: { title: 'Child Q' } } as ReviewInfo;

function formatOf({ path }: Record<string, unknown>) {
  const p = String(path);
  if (p.endsWith('.docx') || p.endsWith('.txt')) return p.endsWith('.txt') ? 'text' : 'docx';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.xlsx')) return 'xlsx';
  throw {
    code: 'unsupported',
    message: `${p.split('/').pop()} is a PDF file, which Threadline cannot import; ask the agency for the Word version, or save it as .docx`,
  };
}

function handlers(extra: Record<string, unknown> = {}) {
  return {
    detect_format: formatOf,
    sources: SOURCES,
    agencies: AGENCIES,
    preview_chronology_import: () => preview(),
    ...extra,
  };
}

beforeEach(() => {
  review.info = INFO;
  importer.reset();
});

afterEach(() => {
  review.info = null;
  review.toasts = [];
});

describe('importing files', () => {
  it('File › Import… asks for files and shows each one’s dialog in turn', async () => {
    const user = userEvent.setup();
    const calls = mockCommands(
      handlers({ 'plugin:dialog|open': ['/in/Police IMR v2.docx', '/in/police.csv'] }),
    );
    render(ImportHost);
    new Commands(review).menu('file.import');

    const first = await screen.findByRole('dialog', { name: 'Import Police IMR v2.docx' });
    expect(within(first).getByText('File 1 of 2')).toBeInTheDocument();
    const [open] = callsOf(calls, 'plugin:dialog|open');
    const options = open.options as { title: string; multiple: boolean; filters: { name: string; extensions: string[] }[] };
    expect(options.title).toBe('Import a file');
    expect(options.multiple).toBe(true);
    expect(options.filters[0].extensions).toEqual(
      expect.arrayContaining(['docx', 'txt', 'md', 'csv', 'xlsx', 'DOCX']),
    );
    expect(options.filters.at(-1)).toEqual({ name: 'All files', extensions: ['*'] });

    await user.click(within(first).getByRole('button', { name: 'Cancel' }));
    const second = await screen.findByRole('dialog', { name: 'Import police.csv' });
    expect(within(second).getByText('File 2 of 2')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(importer.current).toBeNull();
  });

  it('tells why a file of another kind cannot be imported, in the core’s words', async () => {
    const user = userEvent.setup();
    mockCommands(handlers({ 'plugin:dialog|open': '/in/minutes.pdf' }));
    render(ImportHost);
    await importer.choose();
    const dialog = await screen.findByRole('dialog', { name: 'minutes.pdf cannot be imported' });
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'minutes.pdf is a PDF file, which Threadline cannot import. Ask the agency for the Word version, or save it as .docx, then import that.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('shows a hint while files are dragged over, and imports what is dropped one by one', async () => {
    const user = userEvent.setup();
    mockCommands(handlers());
    render(ImportHost);
    importer.onDragDrop({ type: 'enter', paths: ['/in/a.docx'] });
    expect(await screen.findByText('Drop to import')).toBeInTheDocument();
    importer.onDragDrop({ type: 'leave' });
    await waitFor(() => expect(screen.queryByText('Drop to import')).toBeNull());

    importer.onDragDrop({ type: 'enter', paths: ['/in/a.docx', '/in/b.pdf', '/in/c.csv'] });
    importer.onDragDrop({ type: 'over' });
    importer.onDragDrop({ type: 'drop', paths: ['/in/a.docx', '/in/b.pdf', '/in/c.csv'] });
    await waitFor(() => expect(screen.queryByText('Drop to import')).toBeNull());
    const first = await screen.findByRole('dialog', { name: 'Import a.docx' });
    expect(within(first).getByText('File 1 of 3')).toBeInTheDocument();
    await user.click(within(first).getByRole('button', { name: 'Skip the other 2 files' }));
    await user.click(within(first).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(importer.current).toBeNull();
  });

  it('opens a review file dropped on the window instead of importing it', async () => {
    const calls = mockCommands(handlers({ open_review: () => INFO }));
    render(ImportHost);
    importer.onDragDrop({ type: 'drop', paths: ['/home/u/child-q.threadline'] });
    await waitFor(() => expect(callsOf(calls, 'open_review')).toEqual([{ path: '/home/u/child-q.threadline' }]));
    expect(callsOf(calls, 'detect_format')).toHaveLength(0);
  });

  it('asks for a review to be opened first', async () => {
    const calls = mockCommands(handlers());
    review.info = null;
    render(ImportHost);
    importer.onDragDrop({ type: 'drop', paths: ['/in/a.docx'] });
    await waitFor(() =>
      expect(review.toasts.map((t) => t.text)).toContain('Open a review first, then import files into it.'),
    );
    new Commands(review).menu('file.import');
    expect(callsOf(calls, 'plugin:dialog|open')).toHaveLength(0);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

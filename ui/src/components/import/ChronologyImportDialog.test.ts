import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { review } from '../../lib/review.svelte';
import type { ChronologyImport, ColumnMapping } from '../../lib/types';
import { callsOf, mockCommands, sendProgress } from '../../test/ipc';
import ChronologyImportDialog from './ChronologyImportDialog.svelte';
import { GUESSED, HEADERS, ROWS, preview, row } from './fixtures';
import { emptyMapping } from './import';

const PATH = '/home/author/police.csv';

const DONE: ChronologyImport = {
  file_name: 'police.csv',
  added: 2,
  duplicates: 1,
  failed: [{ row: 5, reason: 'the date “soon” cannot be read' }],
  warnings: [{ row: 3, reason: 'significance “high-ish” was read as significant' }],
  new_agencies: [{ id: 'a-housing', name: 'Riverside Housing', short_name: '', sector: '' }],
};

/** The preview answers as the core would: the mapping given (or the guess), with rows that
 * fail when the date or event column is not chosen. */
function previewHandler(args: Record<string, unknown>) {
  const wanted = (args.mapping as ColumnMapping | null) ?? GUESSED;
  if (wanted.date === null || wanted.event === null) {
    const rows = ROWS.map((r) => ({ ...r, status: 'failed' as const, reason: 'no date column chosen' }));
    return preview(wanted, rows, {
      problems: ['Choose the column that holds each row’s date and the one that holds the event.'],
    });
  }
  return preview(wanted);
}

function handlers(extra: Record<string, unknown> = {}) {
  return {
    preview_chronology_import: previewHandler,
    details: { id: 'r', title: 'Child Q' },
    import_chronology: (args: Record<string, unknown>) => {
      sendProgress(args.onProgress, [{ stage: 'Saving 2 of 2 rows', done: 2, total: 2 }]);
      return DONE;
    },
    ...extra,
  };
}

function open(format: 'csv' | 'xlsx' = 'csv') {
  const onclose = vi.fn();
  render(ChronologyImportDialog, { path: PATH, format, onclose });
  return onclose;
}

const previews = (calls: ReturnType<typeof mockCommands>) =>
  callsOf(calls, 'preview_chronology_import').map((a) => a.mapping as ColumnMapping | null);

beforeEach(() => {
  review.panel = 'overview';
});

describe('ChronologyImportDialog', () => {
  it('shows the guessed mapping and every row as the import would read it', async () => {
    const calls = mockCommands(handlers());
    open();
    const dialog = await screen.findByRole('dialog', { name: 'Import police.csv' });
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    expect(previews(calls)).toEqual([null]);
    expect(within(dialog).getByLabelText(/^Date/)).toHaveValue('0');
    expect((within(dialog).getByLabelText(/^Date/) as HTMLSelectElement).selectedOptions[0].textContent).toBe('A: Date');
    expect(within(dialog).getByLabelText(/^Event/)).toHaveValue('2');
    expect(within(dialog).getByLabelText('End date')).toHaveValue('');
    expect(within(dialog).getByText(/CSV file, UTF-8, separated by commas, 4 rows/)).toBeInTheDocument();
    expect(within(dialog).getByText(/New agency, added on import:\s+Riverside Housing/)).toBeInTheDocument();

    const list = within(dialog).getByRole('list', { name: 'Rows of police.csv as they would be imported' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toHaveTextContent('Row 2');
    expect(rows[0]).toHaveTextContent('03/04/2009');
    expect(rows[0]).toHaveTextContent('Ready');
    // A month: shown as such, with its precision; a new agency is marked.
    expect(rows[1]).toHaveTextContent('Sept 2008');
    expect(rows[1]).toHaveTextContent('read as September 2008 (month)');
    expect(within(rows[1]).getByText('new')).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent('Duplicate already in the chronology');
    expect(rows[3]).toHaveTextContent('not read');
    expect(rows[3]).toHaveTextContent('Fails the date “soon” cannot be read');
    expect(within(dialog).getByRole('button', { name: 'Import 2 rows' })).toBeEnabled();
    // Once the file is read, the first choice has the focus.
    await waitFor(() => expect(within(dialog).getByLabelText(/^Date/)).toHaveFocus());
  });

  it('runs the preview again when a column is chosen, with the whole mapping', async () => {
    const user = userEvent.setup();
    const calls = mockCommands(handlers());
    open();
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    await user.selectOptions(within(dialog).getByLabelText('Rationale'), 'E: Notes');
    await waitFor(() => expect(previews(calls)).toHaveLength(2));
    expect(previews(calls)[1]).toEqual({ ...GUESSED, rationale: 4 });
    await user.selectOptions(within(dialog).getByLabelText('Agency'), 'Not in the file');
    await waitFor(() => expect(previews(calls)).toHaveLength(3));
    expect(previews(calls)[2]).toEqual({ ...GUESSED, rationale: 4, agency: null });
  });

  it('keeps Import disabled until the date and event are mapped and a row is ready', async () => {
    const user = userEvent.setup();
    mockCommands(handlers());
    open();
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    await user.selectOptions(within(dialog).getByLabelText(/^Event/), 'Not in the file');
    await within(dialog).findByText('0 ready · 0 duplicates · 4 failing');
    const button = within(dialog).getByRole('button', { name: 'Import' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription('Choose the column that holds the event.');
    expect(within(dialog).getByText(/Choose the column that holds each row’s date/)).toBeInTheDocument();

    await user.selectOptions(within(dialog).getByLabelText(/^Event/), 'C: Details');
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    expect(within(dialog).getByRole('button', { name: 'Import 2 rows' })).toBeEnabled();
  });

  it('keeps Import disabled when no row is ready', async () => {
    mockCommands(
      handlers({
        preview_chronology_import: () =>
          preview(GUESSED, [row({ status: 'duplicate', reason: 'already in the chronology' })]),
      }),
    );
    open();
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('0 ready · 1 duplicate · 0 failing');
    const button = within(dialog).getByRole('button', { name: 'Import' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'No row is ready to import: every row fails or is already in the chronology.',
    );
  });

  it('reads another worksheet with its own guessed columns', async () => {
    const user = userEvent.setup();
    const sheets = ['Cover', 'Chronology'];
    const calls = mockCommands(
      handlers({
        preview_chronology_import: (args: Record<string, unknown>) => {
          const m = (args.mapping as ColumnMapping | null) ?? { ...GUESSED, sheet: 'Chronology' };
          const headers = m.sheet === 'Cover' ? ['When', 'What happened'] : HEADERS;
          return preview(m, ROWS, { format: 'xlsx', sheet: m.sheet, sheets, headers });
        },
        guess_mapping: () => ({ ...emptyMapping(), date: 0, event: 1 }),
      }),
    );
    open('xlsx');
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    expect(within(dialog).getByLabelText('Worksheet')).toHaveValue('Chronology');
    await user.type(within(dialog).getByLabelText('Default agency'), 'Police');
    await user.selectOptions(within(dialog).getByLabelText('Worksheet'), 'Cover');
    await waitFor(() => expect(within(dialog).getByLabelText(/^Event/)).toHaveValue('1'));
    expect(callsOf(calls, 'guess_mapping')).toEqual([{ headers: ['When', 'What happened'] }]);
    const last = previews(calls).at(-1);
    expect(last).toEqual({ ...emptyMapping('Cover'), date: 0, event: 1, default_agency: 'Police' });
    expect((within(dialog).getByLabelText(/^Event/) as HTMLSelectElement).selectedOptions[0].textContent).toBe(
      'B: What happened',
    );
  });

  it('previews again with the agency typed for rows that name none', async () => {
    const user = userEvent.setup();
    const calls = mockCommands(handlers());
    open();
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    await user.type(within(dialog).getByLabelText('Default agency'), 'Riverside Surgery');
    await user.tab();
    await waitFor(() => expect(previews(calls).at(-1)?.default_agency).toBe('Riverside Surgery'));
  });

  it('imports with progress and sums up what was added and refused', async () => {
    const user = userEvent.setup();
    const calls = mockCommands(handlers());
    const onclose = open();
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    const before = review.revision;
    await user.click(within(dialog).getByRole('button', { name: 'Import 2 rows' }));
    const done = await screen.findByRole('dialog', { name: 'Imported police.csv' });
    expect(callsOf(calls, 'import_chronology')).toEqual([
      expect.objectContaining({ path: PATH, mapping: { ...GUESSED, default_agency: null } }),
    ]);
    expect(review.revision).toBeGreaterThan(before);
    const heading = within(done).getByRole('heading', { name: '2 chronology entries added' });
    await waitFor(() => expect(heading).toHaveFocus());
    const figures = Object.fromEntries(
      [...done.querySelectorAll('.figures div')].map((d) => [
        d.querySelector('dt')!.textContent,
        d.querySelector('dd')!.textContent,
      ]),
    );
    expect(figures).toEqual({ Added: '2', 'Duplicates skipped': '1', 'Rows refused': '1', 'New agencies': '1' });
    expect(within(done).getByRole('list', { name: 'Rows not imported (1)' })).toHaveTextContent(
      'Row 5 the date “soon” cannot be read',
    );
    expect(within(done).getByText('Riverside Housing')).toBeInTheDocument();
    expect(within(done).getByText(/high-ish/)).toBeInTheDocument();
    await user.click(within(done).getByRole('button', { name: 'Open the chronology' }));
    expect(review.panel).toBe('chronology');
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  it('shows a file it cannot read, and an import that failed, as sentences', async () => {
    const user = userEvent.setup();
    mockCommands(
      handlers({
        import_chronology: () => {
          throw { code: 'io', message: 'cannot read /home/author/police.csv' };
        },
      }),
    );
    open();
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    await user.click(within(dialog).getByRole('button', { name: 'Import 2 rows' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The file could not be read or written. Check that it exists and that you may write to its folder.',
    );
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Import 2 rows' })).toHaveFocus());
  });

  it('says why a file cannot be previewed and offers no import', async () => {
    mockCommands(
      handlers({
        preview_chronology_import: () => {
          throw { code: 'bad_document', message: 'police.csv cannot be imported: it has a header row but no rows below it' };
        },
      }),
    );
    open();
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'police.csv could not be imported: it has a header row but no rows below it. Nothing was imported, so the review is unchanged.',
    );
    expect(within(dialog).getByRole('button', { name: 'Import' })).toBeDisabled();
  });

  it('closes on Escape before the import, writing nothing', async () => {
    const user = userEvent.setup();
    const calls = mockCommands(handlers());
    const onclose = open();
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('2 ready · 1 duplicate · 1 failing');
    within(dialog).getByLabelText(/^Date/).focus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(callsOf(calls, 'import_chronology')).toHaveLength(0);
  });
});

import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { review } from '../../lib/review.svelte';
import type { DocumentImport, SourceInput } from '../../lib/types';
import { callsOf, mockCommands, sendProgress } from '../../test/ipc';
import DocumentImportDialog from './DocumentImportDialog.svelte';
import { AGENCIES, SOURCES, documentImport, source } from './fixtures';

const PATH = '/home/author/IMRs/Northshire Police IMR v2.docx';

function handlers(extra: Record<string, unknown> = {}) {
  return {
    sources: SOURCES,
    agencies: AGENCIES,
    details: { id: 'r', title: 'Child Q' },
    import_document: (args: Record<string, unknown>) => {
      sendProgress(args.onProgress, [
        { stage: 'Reading Northshire Police IMR v2.docx', done: 0, total: 4 },
        { stage: 'Saving 212 paragraphs', done: 2, total: 4 },
      ]);
      return documentImport();
    },
    ...extra,
  };
}

function open(props: Partial<{ path: string; format: 'docx' | 'text'; note: string }> = {}) {
  const onclose = vi.fn();
  render(DocumentImportDialog, { path: PATH, format: 'docx', onclose, ...props });
  return onclose;
}

beforeEach(() => {
  review.navigation = null;
  review.panel = 'overview';
});

afterEach(() => {
  review.info = null;
});

describe('DocumentImportDialog', () => {
  it('starts from the file: its name, the agency it names and the version it replaces', async () => {
    mockCommands(handlers());
    open();
    const dialog = await screen.findByRole('dialog', { name: 'Import Northshire Police IMR v2.docx' });
    await waitFor(() => expect(within(dialog).getByLabelText('Agency')).toHaveValue('a-police'));
    expect(within(dialog).getByLabelText('Kind')).toHaveValue('imr');
    // The police IMR is the agency's one current IMR: this is its new version, numbered on.
    const replaces = within(dialog).getByLabelText('New version of…') as HTMLSelectElement;
    expect(replaces.selectedOptions[0].textContent).toBe('Police IMR (version 1)');
    // The superseded draft is not offered again.
    expect([...replaces.options].map((o) => o.textContent)).toEqual([
      'None: a new document',
      'Police IMR (version 1)',
    ]);
    expect(within(dialog).getByLabelText('Version')).toHaveValue('2');
    expect(within(dialog).getByLabelText('Title')).toHaveValue('Police IMR');
    expect(within(dialog).getByText(/its excerpts move onto the new text/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Title')).toHaveFocus();
  });

  it('chooses no earlier version when the agency is unknown, or has several of the kind', async () => {
    const user = userEvent.setup();
    mockCommands(
      handlers({
        sources: [...SOURCES, source({ id: 's-police-b', title: 'Police IMR addendum', version: '' })],
      }),
    );
    open({ path: '/tmp/notes from the meeting.txt', format: 'text' });
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText('Agency')).not.toBeDisabled());
    expect(within(dialog).getByLabelText('Agency')).toHaveValue('');
    expect(within(dialog).getByLabelText('Title')).toHaveValue('notes from the meeting');
    expect(within(dialog).getByText(/Text file/)).toBeInTheDocument();

    await user.selectOptions(within(dialog).getByLabelText('Agency'), 'a-police');
    const replaces = within(dialog).getByLabelText('New version of…') as HTMLSelectElement;
    expect(replaces).toHaveValue('');
    expect(replaces.options).toHaveLength(3);
    expect(within(dialog).getByLabelText('Version')).toHaveValue('');

    // Choosing one by hand numbers the version on and takes its title.
    await user.selectOptions(replaces, 's-police-b');
    expect(within(dialog).getByLabelText('Version')).toHaveValue('2');
    expect(within(dialog).getByLabelText('Title')).toHaveValue('Police IMR addendum');
  });

  it('follows the agency and kind chosen by hand with the earlier version they imply', async () => {
    const user = userEvent.setup();
    mockCommands(handlers());
    open({ path: '/tmp/imr.docx' });
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText('Agency')).not.toBeDisabled());
    const replaces = within(dialog).getByLabelText('New version of…');
    expect(replaces).toHaveValue('');
    await user.selectOptions(within(dialog).getByLabelText('Agency'), 'a-police');
    expect(replaces).toHaveValue('s-police-1');
    expect(within(dialog).getByLabelText('Version')).toHaveValue('2');
    await user.selectOptions(within(dialog).getByLabelText('Kind'), 'minutes');
    expect(replaces).toHaveValue('');
    expect(within(dialog).getByLabelText('Version')).toHaveValue('');
    expect(within(dialog).getByLabelText('Title')).toHaveValue('imr');
  });

  it('imports with progress and sums up what it found, each excerpt opening where it is', async () => {
    const user = userEvent.setup();
    const calls = mockCommands(handlers());
    const onclose = open();
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText('Agency')).toHaveValue('a-police'));
    await user.type(within(dialog).getByLabelText('Received'), '2/6/2023');
    const before = review.revision;
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));

    const done = await screen.findByRole('dialog', { name: 'Imported Northshire Police IMR v2.docx' });
    const [args] = callsOf(calls, 'import_document');
    expect(args.path).toBe(PATH);
    expect(args.supersedes).toBe('s-police-1');
    expect(args.input).toMatchObject({
      title: 'Police IMR',
      kind: 'imr',
      agency_id: 'a-police',
      version: '2',
      received_date: '2023-06-02',
    } satisfies Partial<SourceInput>);
    expect(review.revision).toBeGreaterThan(before);

    const heading = within(done).getByRole('heading', { name: '“Police IMR” is now a source' });
    await waitFor(() => expect(heading).toHaveFocus());
    const figures = Object.fromEntries(
      [...done.querySelectorAll('.counts div')].map((d) => [
        d.querySelector('dt')!.textContent,
        d.querySelector('dd')!.textContent,
      ]),
    );
    expect(figures).toEqual({
      Paragraphs: '212',
      Headings: '14',
      'List items': '31',
      Tables: '2 (18 rows)',
      Footnotes: '6',
    });
    expect(within(done).getByText(/had tracked changes/)).toBeInTheDocument();
    expect(within(done).getByText('Check this date against the CAD log.')).toBeInTheDocument();
    expect(within(done).getByRole('heading', { name: 'Replaces “Police IMR” (version 1)' })).toBeInTheDocument();
    expect(within(done).getByText(/2 excerpts moved onto the new version;\s+1 excerpt could not be placed\./)).toBeInTheDocument();

    const moved = within(within(done).getByRole('list', { name: 'Excerpts moved onto the new version' })).getAllByRole('button');
    expect(moved[0]).toHaveTextContent('now at ¶4.2.1 · exact match');
    expect(moved[1]).toHaveTextContent('now at paragraph 51 · by similarity (87%)');
    expect(moved[1]).toHaveTextContent('was “no referral was made to the MASH that night”');
    const unplaced = within(within(done).getByRole('list', { name: 'Excerpts that could not be placed' })).getByRole('button');
    expect(unplaced).toHaveTextContent('“the DASH form was not completed”');
    expect(unplaced).toHaveTextContent('¶3.4 · still on version 1');

    await user.click(unplaced);
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(review.panel).toBe('sources');
    expect(review.navigation).toMatchObject({
      kind: 'excerpt',
      id: 'x3',
      sourceId: 's-police-1',
      paragraphId: 'p1-20',
      excerptId: 'x3',
    });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a first import plainly and opens the new source', async () => {
    const user = userEvent.setup();
    const first: DocumentImport = documentImport({
      source: source({ id: 's-new', title: 'CSC IMR', agency_id: 'a-csc' }),
      tracked_changes: false,
      comments: [],
      reanchored: [],
      unplaced: [],
      counts: { paragraphs: 3, headings: 0, list_items: 0, tables: 0, table_rows: 0, footnotes: 0, endnotes: 0 },
    });
    const calls = mockCommands(handlers({ import_document: first, sources: [] }));
    open({ path: '/tmp/csc.docx' });
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Import' })).toBeEnabled());
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    const done = await screen.findByRole('dialog', { name: 'Imported csc.docx' });
    expect(callsOf(calls, 'import_document')[0].supersedes).toBeNull();
    expect(within(done).queryByText(/tracked changes/)).toBeNull();
    expect(within(done).queryByText(/Replaces/)).toBeNull();
    expect([...done.querySelectorAll('.counts dt')].map((d) => d.textContent)).toEqual(['Paragraphs']);
    await user.click(within(done).getByRole('button', { name: 'Open the source' }));
    expect(review.navigation).toMatchObject({ panel: 'sources', kind: 'source', id: 's-new' });
  });

  it('shows why an import failed, in the dialog, and keeps the form', async () => {
    const user = userEvent.setup();
    mockCommands(
      handlers({
        import_document: () => {
          throw {
            code: 'bad_document',
            message: 'Northshire Police IMR v2.docx cannot be imported: an entry inflates past 64 MB; nothing was imported',
          };
        },
      }),
    );
    const onclose = open();
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText('Agency')).toHaveValue('a-police'));
    const before = review.revision;
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'Northshire Police IMR v2.docx could not be imported: an entry inflates past 64 MB. Nothing was imported, so the review is unchanged.',
    );
    expect(within(dialog).getByLabelText('Title')).toHaveValue('Police IMR');
    expect(within(dialog).getByRole('button', { name: 'Import' })).toHaveFocus();
    expect(review.revision).toBe(before);
    expect(onclose).not.toHaveBeenCalled();
  });

  it('refuses an empty title and a date it cannot read, importing nothing', async () => {
    const user = userEvent.setup();
    const calls = mockCommands(handlers());
    open();
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText('Title')).toHaveValue('Police IMR'));
    await user.type(within(dialog).getByLabelText('Received'), 'next week');
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(await within(dialog).findByText(/is not a date Threadline can read/)).toBeInTheDocument();
    await user.clear(within(dialog).getByLabelText('Received'));
    await user.clear(within(dialog).getByLabelText('Title'));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Give the source a title.');
    expect(callsOf(calls, 'import_document')).toHaveLength(0);
  });

  it('closes on Escape before the import, importing nothing', async () => {
    const user = userEvent.setup();
    const calls = mockCommands(handlers());
    const onclose = open({ note: 'File 1 of 2' });
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('File 1 of 2')).toBeInTheDocument();
    await waitFor(() => expect(within(dialog).getByLabelText('Title')).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(callsOf(calls, 'import_document')).toHaveLength(0);
  });

  it('cannot be closed while the import runs', async () => {
    const user = userEvent.setup();
    let finish: (value: DocumentImport) => void = () => {};
    mockCommands(
      handlers({
        import_document: (args: Record<string, unknown>) => {
          sendProgress(args.onProgress, [{ stage: 'Saving 212 paragraphs', done: 2, total: 4 }]);
          return new Promise<DocumentImport>((resolve) => (finish = resolve));
        },
      }),
    );
    const onclose = open();
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByLabelText('Agency')).toHaveValue('a-police'));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    const running = await screen.findByRole('dialog', { name: 'Importing Northshire Police IMR v2.docx' });
    await waitFor(() =>
      expect(within(running).getByRole('progressbar')).toHaveAttribute('aria-valuetext', 'Saving 212 paragraphs: 2 of 4'),
    );
    expect(within(running).queryByRole('button', { name: 'Close dialog' })).toBeNull();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('dialog', { name: /^Importing/ })).toBeInTheDocument();
    finish(documentImport());
    await screen.findByRole('dialog', { name: /^Imported/ });
    expect(onclose).not.toHaveBeenCalled();
  });
});

import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { ReviewInfo } from '../../lib/api';
import type { LeakHit, RenderProblem, RenderedDocument } from '../../lib/types';
import { callsOf, mockCommands, sendProgress } from '../../test/ipc';
import ExportDialog from './ExportDialog.svelte';
import { buildRequest, describeExportError, describeHit, describePart, formatsFor, withVersion } from './export';
import { exporter } from './exporter.svelte';

/** A rendered report as `render_document` answers, with `problems` and `sections` sections. */
function rendered(problems: RenderProblem[], sections = 1): RenderedDocument {
  return {
    document: 'overview',
    title: 'Child S',
    subtitle: 'Overview report',
    board: 'Board',
    author: 'Author',
    marking: 'Draft',
    citation_style: 'footnotes',
    sections: Array.from({ length: sections }, (_, i) => ({ id: `s${i}`, heading: `Section ${i}`, blocks: [] })),
    citations: [],
    notes: [],
    problems,
  };
}

const PROBLEMS: RenderProblem[] = [
  { section_id: 's1', heading: 'Key issues', message: 'a citation points at finding F9, which was deleted' },
  { section_id: 's2', heading: 'Recommendations', message: 'no live block is called "budget"' },
];

describe('export choices', () => {
  it('allows only the formats each document can be exported to', () => {
    expect(formatsFor('overview')).toEqual(['docx', 'html', 'md']);
    expect(formatsFor('summary')).toEqual(['docx', 'html', 'md']);
    for (const doc of ['action_plan', 'chronology', 'coverage'] as const)
      expect(formatsFor(doc)).toEqual(['xlsx', 'csv', 'docx', 'html', 'md']);
  });

  it('builds the request, with the appendix only for the overview', () => {
    expect(buildRequest('overview', 'html', 'brackets', true)).toEqual({
      doc: 'overview',
      format: 'html',
      citations: 'brackets',
      coverage_appendix: true,
    });
    expect(buildRequest('summary', 'xlsx', 'footnotes', true)).toEqual({
      doc: 'summary',
      format: 'docx',
      citations: 'footnotes',
      coverage_appendix: false,
    });
  });
});

describe('ExportDialog', () => {
  it('offers the formats of the chosen document', async () => {
    mockCommands({});
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const format = within(dialog).getByLabelText('Format');
    expect(within(format).getAllByRole('option').map((o) => o.getAttribute('value'))).toEqual(['docx', 'html', 'md']);
    await userEvent.setup().selectOptions(within(dialog).getByLabelText('Document'), 'action_plan');
    expect(within(format).getAllByRole('option').map((o) => o.getAttribute('value'))).toEqual(['xlsx', 'csv', 'docx', 'html', 'md']);
    expect(format).toHaveValue('xlsx');
    expect(within(dialog).queryByText('Citations')).not.toBeInTheDocument();
  });

  it('asks where to save, exports with progress and says where it went', async () => {
    const calls = mockCommands({
      'plugin:dialog|save': '/out/report',
      export_to_file: (args: Record<string, unknown>) => {
        sendProgress(args.onProgress, [{ stage: 'Writing the document', done: 1, total: 2 }]);
        return 1234;
      },
    });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.selectOptions(within(dialog).getByLabelText('Format'), 'html');
    await user.click(within(dialog).getByLabelText(/Numbers in brackets/));
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Saved to /out/report.html'));
    const [save] = callsOf(calls, 'plugin:dialog|save');
    expect(JSON.stringify(save)).toContain('"html"');
    const [call] = callsOf(calls, 'export_to_file');
    expect(call.request).toEqual({ doc: 'overview', format: 'html', citations: 'brackets', coverage_appendix: true });
    expect(call.path).toBe('/out/report.html');
    expect(call.replace).toBe(true);
  });

  it('shows why an export failed', async () => {
    mockCommands({
      'plugin:dialog|save': '/out/plan.csv',
      export_to_file: () => {
        throw { code: 'io', message: 'permission denied' };
      },
    });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The export was not saved: permission denied.');
  });

  it('does nothing when the save dialog is cancelled', async () => {
    const calls = mockCommands({ 'plugin:dialog|save': null });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await waitFor(() => expect(callsOf(calls, 'plugin:dialog|save')).toHaveLength(1));
    expect(callsOf(calls, 'export_to_file')).toHaveLength(0);
  });
});

describe('what the export would carry', () => {
  it('reads a file error in the core words, and a report with no sections plainly', () => {
    expect(describeExportError({ code: 'io', message: 'cannot write /out/a.docx: No space left on device (os error 28)' })).toBe(
      'The export was not saved: cannot write /out/a.docx: No space left on device (os error 28).',
    );
    expect(
      describeExportError({
        code: 'invalid',
        message: 'doc: the overview report has no sections yet; add the default outline or a section first',
      }),
    ).toBe('The overview report has no sections yet; add the default outline or a section first.');
    expect(describeExportError({ code: 'no_review', message: '' })).toMatch(/No review is open/);
  });

  it('lists the render problems of a report, each with its section, and still exports', async () => {
    const calls = mockCommands({
      render_document: (args: Record<string, unknown>) => rendered(args.document === 'summary' ? [] : PROBLEMS),
      'plugin:dialog|save': '/out/report.docx',
      export_to_file: () => 99,
    });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const list = await within(dialog).findByRole('region', { name: '2 problems will show in the export' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Key issues: a citation points at finding F9, which was deleted');
    expect(items[1]).toHaveTextContent('Recommendations: no live block is called "budget"');
    expect(callsOf(calls, 'render_document')[0]).toMatchObject({ document: 'overview' });
    const user = userEvent.setup();
    // The summary has none; the action plan is not rendered from sections at all.
    await user.selectOptions(within(dialog).getByLabelText('Document'), 'summary');
    await waitFor(() => expect(callsOf(calls, 'render_document').at(-1)).toMatchObject({ document: 'summary' }));
    expect(within(dialog).queryByRole('region')).not.toBeInTheDocument();
    await user.selectOptions(within(dialog).getByLabelText('Document'), 'overview');
    await within(dialog).findByRole('region', { name: '2 problems will show in the export' });
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Saved to /out/report.docx'));
    const count = callsOf(calls, 'render_document').length;
    await user.selectOptions(within(dialog).getByLabelText('Document'), 'action_plan');
    expect(within(dialog).queryByRole('region')).not.toBeInTheDocument();
    expect(callsOf(calls, 'render_document')).toHaveLength(count);
  });

  it('opens a problem\'s section in the Report panel, closing the dialog', async () => {
    const { review } = await import('../../lib/review.svelte');
    review.navigation = null;
    mockCommands({ render_document: rendered(PROBLEMS) });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    await userEvent.setup().click(await within(dialog).findByRole('button', { name: 'Recommendations' }));
    expect(review.navigation).toMatchObject({ panel: 'report', kind: 'section', id: 's2' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Export' })).not.toBeInTheDocument());
    review.navigation = null;
  });

  it('says when the report has no sections yet', async () => {
    mockCommands({ render_document: rendered([], 0) });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    expect(await within(dialog).findByRole('note')).toHaveTextContent('The overview report has no sections yet.');
  });

  it('keeps the dialog open with the core message when the disk is full, and can try again', async () => {
    let attempts = 0;
    mockCommands({
      render_document: rendered([]),
      'plugin:dialog|save': '/out/report.docx',
      export_to_file: (args: Record<string, unknown>) => {
        attempts += 1;
        sendProgress(args.onProgress, [{ stage: 'Writing the file', done: 2, total: 3 }]);
        if (attempts === 1) throw { code: 'io', message: 'cannot write /out/report.docx: No space left on device (os error 28)' };
        return 10;
      },
    });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The export was not saved: cannot write /out/report.docx: No space left on device (os error 28).',
    );
    expect(screen.getByRole('dialog', { name: 'Export' })).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Export…' })).toBeEnabled();
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Saved to /out/report.docx'));
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the progress while the export runs', async () => {
    let finish: (value: number) => void = () => undefined;
    mockCommands({
      render_document: rendered([]),
      'plugin:dialog|save': '/out/plan.xlsx',
      export_to_file: (args: Record<string, unknown>) => {
        sendProgress(args.onProgress, [{ stage: 'Laying out the table', done: 1, total: 3 }]);
        return new Promise<number>((resolve) => (finish = resolve));
      },
    });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.selectOptions(within(dialog).getByLabelText('Document'), 'action_plan');
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    const bar = await within(dialog).findByRole('progressbar');
    await waitFor(() => expect(dialog).toHaveTextContent('Laying out the table'));
    expect(bar).toHaveAttribute('aria-valuenow', '1');
    expect(within(dialog).getByRole('button', { name: 'Export…' })).toBeDisabled();
    finish(2048);
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Saved to /out/plan.xlsx'));
    expect(within(dialog).queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('starts afresh each time it opens, and when another document is chosen', async () => {
    mockCommands({ render_document: rendered([]), 'plugin:dialog|save': '/out/report.docx', export_to_file: 1 });
    const { rerender } = render(ExportDialog, { open: true });
    let dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await within(dialog).findByRole('status');
    await user.selectOptions(within(dialog).getByLabelText('Document'), 'summary');
    expect(within(dialog).queryByRole('status')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await within(dialog).findByRole('status');
    await rerender({ open: false });
    await rerender({ open: true });
    dialog = await screen.findByRole('dialog', { name: 'Export' });
    expect(within(dialog).queryByRole('status')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
  });

  it('starts on the document a view asked for', async () => {
    mockCommands({});
    exporter.show('coverage');
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    expect(within(dialog).getByLabelText('Document')).toHaveValue('coverage');
    expect(within(dialog).getByLabelText('Format')).toHaveValue('xlsx');
    expect(exporter.preset).toBeNull();
    exporter.open = false;
  });
});

describe('File › Export…', () => {
  it('opens the dialog only while a review is open', async () => {
    const { Commands } = await import('../../lib/commands');
    const { review } = await import('../../lib/review.svelte');
    const { exporter } = await import('./exporter.svelte');
    const commands = new Commands(review);
    review.info = null;
    exporter.open = false;
    commands.menu('file.export');
    expect(exporter.open).toBe(false);
    review.info = { path: '/r.threadline' } as unknown as ReviewInfo;
    commands.menu('file.export');
    expect(exporter.open).toBe(true);
    review.info = null;
    exporter.open = false;
  });
});

/** A leak-gate hit as the shell sends it inside a `leak` error. */
function hit(over: Partial<LeakHit>): LeakHit {
  return {
    key: 'name:laura smith@word/document.xml',
    part: 'word/document.xml',
    kind: 'name',
    entry_id: 'p1',
    term: 'Laura Smith',
    found: 'Laura',
    context: 'the school saw Laura on Monday',
    count: 2,
    ...over,
  };
}

const HITS: LeakHit[] = [
  hit({}),
  hit({
    key: 'postcode:s60 1aa@docProps/core.xml',
    part: 'docProps/core.xml',
    kind: 'postcode',
    entry_id: null,
    term: 'a UK postcode',
    found: 'S60 1AA',
    context: 'lived at S60 1AA',
    count: 1,
  }),
];

describe('internal or publication', () => {
  it('asks which version at every opening, with nothing picked, and waits for the choice', async () => {
    const calls = mockCommands({ render_document: rendered([]), 'plugin:dialog|save': '/out/report.docx', export_to_file: 5 });
    const { rerender } = render(ExportDialog, { open: true });
    let dialog = await screen.findByRole('dialog', { name: 'Export' });
    const group = within(dialog).getByRole('group', { name: 'Version' });
    const radios = within(group).getAllByRole('radio');
    expect(radios.map((r) => r.closest('label')?.textContent?.trim())).toEqual([
      'Internal (as written)',
      'Publication (pseudonymised)',
    ]);
    for (const r of radios) expect(r).not.toBeChecked();
    const exportButton = within(dialog).getByRole('button', { name: 'Export…' });
    expect(exportButton).toBeDisabled();
    const user = userEvent.setup();
    await user.click(exportButton);
    expect(callsOf(calls, 'plugin:dialog|save')).toHaveLength(0);
    // Tables ask too.
    await user.selectOptions(within(dialog).getByLabelText('Document'), 'chronology');
    expect(within(dialog).getByRole('button', { name: 'Export…' })).toBeDisabled();
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    expect(within(dialog).getByRole('button', { name: 'Export…' })).toBeEnabled();
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await within(dialog).findByRole('status');
    // An internal request is sent as it always was: no publication flag.
    expect(callsOf(calls, 'export_to_file')[0].request).toEqual({
      doc: 'chronology',
      format: 'xlsx',
      citations: 'footnotes',
      coverage_appendix: false,
    });
    // Closed and opened again, the choice is forgotten.
    await rerender({ open: false });
    await rerender({ open: true });
    dialog = await screen.findByRole('dialog', { name: 'Export' });
    for (const r of within(dialog).getAllByRole('radio', { name: /as written|pseudonymised/ })) expect(r).not.toBeChecked();
    expect(within(dialog).getByRole('button', { name: 'Export…' })).toBeDisabled();
  });

  it('lists the names a publication leaves as written, with a way to the register', async () => {
    const { review } = await import('../../lib/review.svelte');
    review.panel = 'overview';
    const calls = mockCommands({
      render_document: rendered([]),
      unsubstituted_names: [
        { name: 'Donna Hollis', entry_ids: ['p4'], reason: 'no pseudonym yet' },
        { name: 'Smith', entry_ids: ['p1', 'p2'], reason: 'shared by two entries' },
      ],
    });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    expect(callsOf(calls, 'unsubstituted_names')).toHaveLength(0);
    await user.click(within(dialog).getByLabelText('Publication (pseudonymised)'));
    const list = await within(dialog).findByRole('region', { name: '2 names will be printed as written' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Donna Hollis: no pseudonym yet');
    expect(items[1]).toHaveTextContent('Smith: shared by two entries');
    // Back to internal, the list goes.
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    await waitFor(() => expect(within(dialog).queryByRole('region', { name: /printed as written/ })).not.toBeInTheDocument());
    await user.click(within(dialog).getByLabelText('Publication (pseudonymised)'));
    await user.click(await within(dialog).findByRole('button', { name: /Give them pseudonyms/ }));
    expect(review.panel).toBe('register');
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Export' })).not.toBeInTheDocument());
    review.panel = 'overview';
  });

  it('lists each hit the leak gate found and exports again with the ones marked intended', async () => {
    const answers: Record<string, unknown>[] = [];
    const calls = mockCommands({
      render_document: rendered([]),
      unsubstituted_names: [],
      'plugin:dialog|save': '/out/overview-report-publication.docx',
      export_to_file: (args: Record<string, unknown>) => {
        const request = args.request as { allow?: string[] };
        answers.push(args);
        const left = HITS.filter((h) => !(request.allow ?? []).includes(h.key));
        if (left.length > 0) throw { code: 'leak', message: 'the publication export was not written', hits: left };
        return 2048;
      },
    });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.click(within(dialog).getByLabelText('Publication (pseudonymised)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    const leaks = await within(dialog).findByRole('region', { name: /2 things in the publication could identify someone/ });
    expect(JSON.stringify(callsOf(calls, 'plugin:dialog|save')[0])).toContain('overview-report-publication.docx');
    expect(answers[0].request).toMatchObject({ doc: 'overview', format: 'docx', publication: true, allow: [] });
    const items = within(leaks).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      'Document text: the registered name “Laura Smith”, found as “Laura” (2 times) the school saw Laura on Monday',
    );
    expect(items[1]).toHaveTextContent('File properties: a postcode, found as “S60 1AA” lived at S60 1AA');
    expect(within(dialog).queryByRole('status')).not.toBeInTheDocument();
    const retry = within(leaks).getByRole('button', { name: 'Export anyway with 0 marked intended' });
    expect(retry).toBeDisabled();
    // Mark one: the export is tried again on the same file, and the other hit remains.
    const boxes = within(leaks).getAllByRole('checkbox', { name: 'Intended' });
    expect(boxes[0]).toHaveAccessibleDescription(/Laura Smith/);
    await user.click(boxes[0]);
    await user.click(within(leaks).getByRole('button', { name: 'Export anyway with 1 marked intended' }));
    await within(dialog).findByRole('region', { name: /1 thing in the publication could identify someone/ });
    expect(answers[1]).toMatchObject({ path: '/out/overview-report-publication.docx' });
    expect((answers[1].request as { allow: string[] }).allow).toEqual([HITS[0].key]);
    expect(callsOf(calls, 'plugin:dialog|save')).toHaveLength(1);
    // Mark the last: both keys are allowed, and it is saved.
    await user.click(within(dialog).getByRole('checkbox', { name: 'Intended' }));
    await user.click(within(dialog).getByRole('button', { name: 'Export anyway with 1 marked intended' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent('Saved to /out/overview-report-publication.docx'),
    );
    expect((answers[2].request as { allow: string[] }).allow.sort()).toEqual(HITS.map((h) => h.key).sort());
    expect(within(dialog).queryByRole('region', { name: /could identify someone/ })).not.toBeInTheDocument();
  });

  it('forgets the hits when the choices change', async () => {
    mockCommands({
      render_document: rendered([]),
      unsubstituted_names: [],
      'plugin:dialog|save': '/out/a.docx',
      export_to_file: () => {
        throw { code: 'leak', message: 'not written', hits: HITS };
      },
    });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    const user = userEvent.setup();
    await user.click(within(dialog).getByLabelText('Publication (pseudonymised)'));
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await within(dialog).findByRole('region', { name: /could identify someone/ });
    await user.click(within(dialog).getByLabelText('Internal (as written)'));
    expect(within(dialog).queryByRole('region', { name: /could identify someone/ })).not.toBeInTheDocument();
  });
});

describe('leak hits in words', () => {
  it('names the part of the file and what was found', () => {
    expect(describePart('word/footnotes.xml')).toBe('Footnotes');
    expect(describePart('word/header2.xml')).toBe('Page header (word/header2.xml)');
    expect(describePart('xl/worksheets/sheet1.xml')).toBe('Worksheet (xl/worksheets/sheet1.xml)');
    expect(describePart('something/else.xml')).toBe('something/else.xml');
    expect(describeHit(hit({ found: 'Laura Smith', count: 1 }))).toBe('the registered name “Laura Smith”');
    expect(describeHit(hit({ kind: 'nhs_number', term: 'an NHS number', found: '943 476 5919', count: 1 }))).toBe(
      'an NHS number, found as “943 476 5919”',
    );
  });

  it('sends a publication request with its allowed keys, and an internal one unchanged', () => {
    const request = buildRequest('summary', 'md', 'footnotes', true);
    expect(withVersion(request, 'internal', ['x'])).toEqual(request);
    expect(withVersion(request, 'publication', ['k1'])).toEqual({ ...request, publication: true, allow: ['k1'] });
  });
});

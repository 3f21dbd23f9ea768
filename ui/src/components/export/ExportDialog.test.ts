import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import type { ReviewInfo } from '../../lib/api';
import { callsOf, mockCommands, sendProgress } from '../../test/ipc';
import ExportDialog from './ExportDialog.svelte';
import { buildRequest, formatsFor } from './export';

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
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Export…' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('could not be read or written');
  });

  it('does nothing when the save dialog is cancelled', async () => {
    const calls = mockCommands({ 'plugin:dialog|save': null });
    render(ExportDialog, { open: true });
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'Export…' }));
    await waitFor(() => expect(callsOf(calls, 'plugin:dialog|save')).toHaveLength(1));
    expect(callsOf(calls, 'export_to_file')).toHaveLength(0);
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

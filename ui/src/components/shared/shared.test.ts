import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { createRawSnippet } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import ConfirmDialog from './ConfirmDialog.svelte';
import EditableText from './EditableText.svelte';
import EmptyState from './EmptyState.svelte';
import Toast from './Toast.svelte';
import VirtualList from './VirtualList.svelte';

describe('EmptyState', () => {
  it('shows the heading, what to do next, and its actions', () => {
    const children = createRawSnippet(() => ({ render: () => '<button>Import a source</button>' }));
    render(EmptyState, {
      title: 'No sources yet',
      message: 'Import an IMR or other document as plain text to start.',
      children,
    });
    const region = screen.getByRole('region', { name: 'No sources yet' });
    expect(within(region).getByRole('heading', { level: 2, name: 'No sources yet' })).toBeInTheDocument();
    expect(within(region).getByText(/Import an IMR/)).toBeInTheDocument();
    expect(within(region).getByRole('button', { name: 'Import a source' })).toBeInTheDocument();
  });

  it('takes a heading level and works without a message', () => {
    render(EmptyState, { title: 'Nothing found', headingLevel: 3 });
    expect(screen.getByRole('heading', { level: 3, name: 'Nothing found' })).toBeInTheDocument();
    expect(screen.queryByRole('paragraph')).toBeNull();
  });
});

describe('EditableText', () => {
  it('saves on Enter and cancels on Escape', async () => {
    const user = userEvent.setup();
    const onsave = vi.fn();
    render(EditableText, { value: 'Police', label: 'Agency name', onsave });
    await user.click(screen.getByRole('button', { name: /Edit Agency name/ }));
    const field = screen.getByRole('textbox', { name: 'Agency name' });
    expect(field).toHaveFocus();
    await user.clear(field);
    await user.type(field, 'Northshire Police{Enter}');
    expect(onsave).toHaveBeenCalledWith('Northshire Police');
    expect(screen.getByRole('button', { name: /Edit Agency name/ })).toHaveFocus();

    await user.keyboard('{Enter}');
    await user.type(screen.getByRole('textbox'), 'xyz{Escape}');
    expect(onsave).toHaveBeenCalledTimes(1);
  });

  it('stays in the field when the save is refused', async () => {
    const user = userEvent.setup();
    render(EditableText, { value: 'a', label: 'Text', onsave: () => false });
    await user.click(screen.getByRole('button'));
    await user.type(screen.getByRole('textbox'), 'b{Enter}');
    expect(screen.getByRole('textbox', { name: 'Text' })).toHaveFocus();
  });

  it('shows markup as text', () => {
    render(EditableText, { value: '<b>bold</b>', label: 'Text', onsave: () => {} });
    expect(screen.getByRole('button').textContent).toContain('<b>bold</b>');
    expect(screen.getByRole('button').querySelector('b')).toBeNull();
  });
});

describe('ConfirmDialog', () => {
  it('starts on Cancel and confirms only on the confirm button', async () => {
    const user = userEvent.setup();
    const onconfirm = vi.fn();
    const oncancel = vi.fn();
    render(ConfirmDialog, {
      open: true,
      title: 'Delete theme?',
      message: 'Its findings become unthemed.',
      onconfirm,
      oncancel,
    });
    const dialog = screen.getByRole('dialog', { name: 'Delete theme?' });
    await vi.waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus());
    await user.keyboard('{Enter}');
    expect(onconfirm).not.toHaveBeenCalled();
    expect(oncancel).toHaveBeenCalled();
  });
});

describe('Toast', () => {
  it('announces errors as alerts and confirmations as status, each dismissable', async () => {
    const user = userEvent.setup();
    const ondismiss = vi.fn();
    render(Toast, {
      toasts: [
        { id: 1, kind: 'info', text: 'Saved' },
        { id: 2, kind: 'error', text: 'That file is not a Threadline review.' },
      ],
      ondismiss,
    });
    expect(within(screen.getByRole('status')).getByText('Saved')).toBeInTheDocument();
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText(/not a Threadline review/)).toBeInTheDocument();
    await user.click(within(alert).getByRole('button', { name: 'Dismiss message' }));
    expect(ondismiss).toHaveBeenCalledWith(2);
  });
});

describe('VirtualList', () => {
  it('renders only a window of a long list', () => {
    const items = Array.from({ length: 20000 }, (_, i) => `Row ${i + 1}`);
    const row = createRawSnippet((item: () => string) => ({
      render: () => `<span>${item()}</span>`,
    }));
    render(VirtualList<string>, { items, itemHeight: 30, label: 'Rows', row });
    const list = screen.getByRole('list', { name: 'Rows' });
    const rendered = within(list).getAllByRole('listitem');
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
    expect(rendered[0]).toHaveAttribute('aria-setsize', '20000');
    expect(screen.getByText('Row 1')).toBeInTheDocument();
    expect(screen.queryByText('Row 20000')).toBeNull();
  });
});

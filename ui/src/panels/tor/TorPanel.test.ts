import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TorCoverage, TorItem } from '../../lib/types';
import { review } from '../../lib/review.svelte';
import { callsOf, mockCommands, type Call } from '../../test/ipc';
import TorPanel from './TorPanel.svelte';

function tor(number: number, kind: TorItem['kind'], text: string, out?: string): TorItem {
  return { id: `t${number}`, number, kind, text, out_of_scope_reason: out ?? null };
}

function coverageOf(item: TorItem, findings: TorCoverage['findings']): TorCoverage {
  return {
    tor_id: item.id,
    number: item.number,
    kind: item.kind,
    text: item.text,
    out_of_scope: item.out_of_scope_reason,
    findings,
    evidence_count: findings.reduce((n, f) => n + f.evidence_count, 0),
    recommendations: [],
  };
}

const F1 = {
  id: 'f1',
  number: 1,
  statement: 'Professionals did not hear the voice of the child',
  evidence_count: 3,
  recommendations: [],
};

/** The rows of a reorderable list (not the findings listed inside them). */
function rowsOf(list: HTMLElement): HTMLElement[] {
  return Array.from(list.querySelectorAll<HTMLElement>(':scope > li'));
}

let items: TorItem[];
let calls: Call[];

function setup(extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  calls = mockCommands({
    tor_items: () => items,
    tor_coverage: () => items.map((i) => coverageOf(i, i.id === 't1' ? [F1] : [])),
    ...extra,
  });
}

beforeEach(() => {
  items = [
    tor(1, 'generic', 'How well did agencies share information?'),
    tor(2, 'generic', 'Was the voice of the child heard?'),
    tor(3, 'case_specific', 'Did housing respond to the overcrowding?'),
    tor(4, 'case_specific', 'Was the school nurse involved?', 'Covered by the health overview'),
  ];
});

describe('TorPanel', () => {
  it('shows each item with the findings that answer it and whether it is covered', async () => {
    setup();
    render(TorPanel);
    const generic = await screen.findByRole('list', { name: 'Generic terms of reference' });
    const rows = rowsOf(generic);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Covered')).toBeInTheDocument();
    expect(within(rows[0]).getByText(F1.statement)).toBeInTheDocument();
    expect(within(rows[0]).getByText('F1')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Gap')).toBeInTheDocument();
    expect(within(rows[1]).getByText(/No finding answers this item yet/)).toBeInTheDocument();

    const specific = screen.getByRole('list', { name: 'Case-specific terms of reference' });
    const out = rowsOf(specific)[1];
    expect(within(out).getByText('Out of scope')).toBeInTheDocument();
    expect(within(out).getByText('Covered by the health overview')).toBeInTheDocument();
    expect(screen.getByText('1 covered')).toBeInTheDocument();
    expect(screen.getByText('2 gaps')).toBeInTheDocument();
  });

  it('says what to do when there are no items', async () => {
    items = [];
    setup();
    render(TorPanel);
    expect(await screen.findByRole('heading', { name: 'No terms of reference yet' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add a generic item' })).toBeInTheDocument();
  });

  it('adds an item', async () => {
    const user = userEvent.setup();
    setup({
      add_tor: (args) => {
        const input = args.input as { kind: TorItem['kind']; text: string };
        const created = tor(5, input.kind, input.text);
        items = [...items, created];
        return created;
      },
    });
    render(TorPanel);
    await user.click(await screen.findByRole('button', { name: 'Add generic item' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a term of reference' });
    expect(within(dialog).getByRole('radio', { name: 'Generic' })).toBeChecked();
    await user.type(
      within(dialog).getByLabelText('The question the review must answer'),
      'Were the family’s needs assessed?',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Add item' }));
    expect(callsOf(calls, 'add_tor')).toEqual([
      {
        input: { kind: 'generic', text: 'Were the family’s needs assessed?', out_of_scope_reason: null },
      },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('Were the family’s needs assessed?')).toBeInTheDocument();
  });

  it('edits an item’s text in place and keeps its kind and scope', async () => {
    const user = userEvent.setup();
    setup({ update_tor: (args) => ({ ...items[1], ...(args.input as object) }) });
    render(TorPanel);
    await user.click(await screen.findByRole('button', { name: /Edit ToR 2 text/ }));
    const field = screen.getByRole('textbox', { name: 'ToR 2 text' });
    await user.clear(field);
    await user.type(field, 'Was the child seen and heard?');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(callsOf(calls, 'update_tor')).toEqual([
      {
        id: 't2',
        input: { kind: 'generic', text: 'Was the child seen and heard?', out_of_scope_reason: null },
      },
    ]);
  });

  it('moves an item within its kind by button and by Alt+arrow', async () => {
    const user = userEvent.setup();
    setup({ move_tor: () => null });
    render(TorPanel);
    await user.click(await screen.findByRole('button', { name: 'Move ToR 1 down' }));
    expect(callsOf(calls, 'move_tor')).toEqual([{ id: 't1', to: 1 }]);
    // ToR 4 is second among the case-specific items, fourth overall.
    screen.getByRole('button', { name: 'Move ToR 4 up' }).focus();
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(callsOf(calls, 'move_tor')[1]).toEqual({ id: 't4', to: 2 });
    expect(screen.getByRole('button', { name: 'Move ToR 1 up' })).toBeDisabled();
  });

  it('explains why a delete is refused and deletes anyway on request', async () => {
    const user = userEvent.setup();
    setup({
      delete_tor: (args) => {
        if (!args.cascade) {
          throw {
            code: 'in_use',
            message: 'cannot delete ToR 1: 1 finding answers this term of reference',
          };
        }
        items = items.filter((i) => i.id !== args.id);
        return null;
      },
    });
    render(TorPanel);
    await user.click(await screen.findByRole('button', { name: 'Delete ToR 1' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete ToR 1?' });
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));

    const refused = await screen.findByRole('dialog', { name: 'ToR 1 is in use' });
    expect(
      within(refused).getByText(
        'ToR 1 cannot be deleted because 1 finding answers this term of reference.',
      ),
    ).toBeInTheDocument();
    await user.click(within(refused).getByRole('button', { name: 'Delete anyway' }));
    expect(callsOf(calls, 'delete_tor')).toEqual([
      { id: 't1', cascade: false },
      { id: 't1', cascade: true },
    ]);
    await waitFor(() =>
      expect(screen.queryByText('How well did agencies share information?')).not.toBeInTheDocument(),
    );
  });

  it('cancelling the refusal deletes nothing', async () => {
    const user = userEvent.setup();
    setup({
      delete_tor: () => {
        throw { code: 'in_use', message: 'cannot delete ToR 1: 1 finding answers this term of reference' };
      },
    });
    render(TorPanel);
    await user.click(await screen.findByRole('button', { name: 'Delete ToR 1' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await screen.findByRole('dialog', { name: 'ToR 1 is in use' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(callsOf(calls, 'delete_tor')).toEqual([{ id: 't1', cascade: false }]);
  });

  it('marks an item out of scope with its reason', async () => {
    const user = userEvent.setup();
    setup({ update_tor: (args) => ({ ...items[1], ...(args.input as object) }) });
    render(TorPanel);
    const generic = await screen.findByRole('list', { name: 'Generic terms of reference' });
    const second = rowsOf(generic)[1];
    await user.click(within(second).getByRole('button', { name: 'Out of scope…' }));
    await user.type(screen.getByLabelText('Why the panel put it out of scope'), 'Agreed at panel 2');
    await user.click(screen.getByRole('button', { name: 'Mark out of scope' }));
    expect(callsOf(calls, 'update_tor')).toEqual([
      {
        id: 't2',
        input: {
          kind: 'generic',
          text: 'Was the voice of the child heard?',
          out_of_scope_reason: 'Agreed at panel 2',
        },
      },
    ]);
  });

  it('opens a finding in Themes & findings', async () => {
    const user = userEvent.setup();
    setup();
    render(TorPanel);
    await user.click(await screen.findByRole('button', { name: /F1 Professionals did not hear/ }));
    expect(review.panel).toBe('findings');
    expect(review.navigation).toMatchObject({ panel: 'findings', kind: 'finding', id: 'f1' });
  });
});

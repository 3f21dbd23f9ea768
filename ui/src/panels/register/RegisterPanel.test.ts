import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { review } from '../../lib/review.svelte';
import type { Person, PersonInput } from '../../lib/types';
import { callsOf, mockCommands, type Call } from '../../test/ipc';
import RegisterPanel from './RegisterPanel.svelte';

function person(id: string, real_name: string, change: Partial<Person> = {}): Person {
  return {
    id,
    category: 'person',
    real_name,
    aliases: [],
    pseudonym: '',
    role: '',
    relation: '',
    safe_to_name: false,
    ...change,
  };
}

let people: Person[];
let calls: Call[];
let nextId: number;

const fold = (s: string) => s.trim().toLowerCase();

/** The core's register rule, as far as these tests need it: a pseudonym names one entry. */
function clash(input: PersonInput, self: string | null): void {
  const p = fold(input.pseudonym);
  if (!p) return;
  for (const other of people.filter((x) => x.id !== self)) {
    if (fold(other.pseudonym) === p) {
      throw {
        code: 'invalid',
        message: `pseudonym: '${input.pseudonym}' is already the pseudonym of ${other.real_name}; each pseudonym must stand for one entry`,
      };
    }
    if (fold(other.real_name) === p || other.aliases.some((a) => fold(a) === p)) {
      throw {
        code: 'invalid',
        message: `pseudonym: '${input.pseudonym}' is the real name of another entry; a pseudonym must not be anyone's real name`,
      };
    }
  }
}

function setup(extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  calls = mockCommands({
    people: () => people,
    details: () => ({ title: 'Child S' }),
    name_suggestions: () => [],
    add_person: (args) => {
      const input = args.input as PersonInput;
      clash(input, null);
      const created = { ...input, id: `new${nextId++}` };
      people = [...people, created];
      return created;
    },
    update_person: (args) => {
      const input = args.input as PersonInput;
      const id = args.id as string;
      clash(input, id);
      const updated = { ...input, id };
      people = people.map((p) => (p.id === id ? updated : p));
      return updated;
    },
    ...extra,
  });
}

beforeEach(() => {
  nextId = 1;
  review.toasts = [];
  people = [
    person('p1', 'Laura Smith', {
      aliases: ['Lolly'],
      pseudonym: 'Child S',
      role: 'subject',
      relation: 'the child',
    }),
    person('p2', 'Darren Smith', { role: 'father' }),
    person('p3', 'Kerry Jones', { role: 'mother' }),
    person('o1', 'Rotherham Police', { category: 'organisation', safe_to_name: true }),
    person('pl1', '12 Acacia Road', { category: 'place', pseudonym: 'Address 4' }),
  ];
});

/** The entry rows of one group, in order. */
function rowsOf(group: string): HTMLElement[] {
  const list = screen.getByRole('list', { name: group });
  return Array.from(list.querySelectorAll<HTMLElement>(':scope > li'));
}

/** No toast may quote a real name: they linger on screen after the panel is left. */
function expectNoNamesInToasts() {
  const text = review.toasts.map((t) => t.text).join('\n');
  for (const p of people) expect(text).not.toContain(p.real_name);
  expect(text).not.toMatch(/Laura|Darren|Kerry|Acacia/);
}

describe('RegisterPanel', () => {
  it('lists entries by category and counts and flags those that need a pseudonym', async () => {
    setup();
    render(RegisterPanel);
    expect(await screen.findByText('2 entries need a pseudonym')).toBeInTheDocument();
    const rows = rowsOf('People');
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText('Laura Smith')).toBeInTheDocument();
    expect(within(rows[0]).getByText('Child S')).toBeInTheDocument();
    expect(within(rows[0]).getByRole('list', { name: 'Aliases of Laura Smith' })).toHaveTextContent('Lolly');
    expect(within(rows[0]).queryByText('Needs a pseudonym')).not.toBeInTheDocument();
    expect(within(rows[1]).getByText('Needs a pseudonym')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Needs a pseudonym')).toBeInTheDocument();
    const org = rowsOf('Organisations')[0];
    expect(within(org).getByText('Named in publication')).toBeInTheDocument();
    expect(within(org).getByRole('checkbox', { name: 'Safe to name' })).toBeChecked();
    expect(within(rowsOf('Places')[0]).getByText('Address 4')).toBeInTheDocument();
  });

  it('says what to do when the register is empty', async () => {
    people = [];
    setup();
    render(RegisterPanel);
    expect(await screen.findByRole('heading', { name: 'No names registered yet' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add a place' })).toBeInTheDocument();
  });

  it('filters by category and to the entries that need a pseudonym', async () => {
    const user = userEvent.setup();
    setup();
    render(RegisterPanel);
    await screen.findByText('Laura Smith');
    await user.click(screen.getByRole('button', { name: 'Needs a pseudonym only' }));
    expect(rowsOf('People').map((r) => r.dataset.rowKey)).toEqual(['p2', 'p3']);
    expect(screen.getByText('No places match the filter.')).toBeInTheDocument();
    // Reordering waits for the whole list.
    expect(screen.queryByRole('button', { name: 'Move Darren Smith up' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /^Places/ }));
    expect(screen.queryByRole('heading', { name: /People/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Needs a pseudonym only' }));
    await user.type(screen.getByRole('searchbox', { name: 'Find a name' }), 'acacia');
    expect(rowsOf('Places')).toHaveLength(1);
  });

  it('adds a person with typed aliases and suggested variants', async () => {
    const user = userEvent.setup();
    setup();
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Add person' }));
    const dialog = screen.getByRole('dialog', { name: 'Add to the register' });
    expect(within(dialog).getByRole('radio', { name: 'Person' })).toBeChecked();
    const real = within(dialog).getByLabelText('Real name');
    expect(real).toHaveFocus();
    await user.type(real, 'Ashley Brown');
    const aliases = within(dialog).getByLabelText('Other names the documents use');
    await user.type(aliases, 'As');
    // Enter adds a chip and does not submit the form (its default is cancelled).
    await user.type(aliases, 'h');
    expect(await fireEvent.keyDown(aliases, { key: 'Enter' })).toBe(false);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(callsOf(calls, 'add_person')).toEqual([]);
    expect(within(dialog).getByRole('list', { name: 'Aliases' })).toHaveTextContent('Ash');
    expect(aliases).toHaveValue('');
    await user.click(within(dialog).getByRole('button', { name: 'Add alias A.B.' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add alias Brown' }));
    // Offered once: an added suggestion is no longer offered.
    expect(within(dialog).queryByRole('button', { name: 'Add alias Brown' })).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Add alias Ashley' })).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Pseudonym'), 'Sibling 3');
    await user.type(within(dialog).getByLabelText('Role'), 'half-brother');
    await user.click(within(dialog).getByRole('button', { name: 'Add entry' }));

    expect(callsOf(calls, 'add_person')).toEqual([
      {
        input: {
          category: 'person',
          real_name: 'Ashley Brown',
          aliases: ['Ash', 'A.B.', 'Brown'],
          pseudonym: 'Sibling 3',
          role: 'half-brother',
          relation: '',
          safe_to_name: false,
        },
      },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const added = rowsOf('People')[3];
    expect(within(added).getByText('Ashley Brown')).toBeInTheDocument();
    expect(within(added).getByText('Sibling 3')).toBeInTheDocument();
    expect(review.toasts.map((t) => t.text)).toEqual(['Added to the register']);
    expectNoNamesInToasts();
  });

  it('keeps an alias typed but not yet added when the form is saved', async () => {
    const user = userEvent.setup();
    setup();
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Add place' }));
    const dialog = screen.getByRole('dialog', { name: 'Add to the register' });
    expect(within(dialog).getByRole('radio', { name: 'Place' })).toBeChecked();
    await user.type(within(dialog).getByLabelText('Real name'), 'Hill Top Farm');
    // No name variants are offered for a place.
    expect(within(dialog).queryByRole('button', { name: /Add alias/ })).not.toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Other names the documents use'), 'the farm');
    await user.click(within(dialog).getByRole('button', { name: 'Add entry' }));
    expect((callsOf(calls, 'add_person')[0].input as PersonInput).aliases).toEqual(['the farm']);
  });

  it('edits aliases: Backspace removes the last chip, × removes one, Enter adds', async () => {
    const user = userEvent.setup();
    people[0].aliases = ['Lolly', 'Lozza', 'L.S.'];
    setup();
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Edit Laura Smith' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit register entry' });
    expect(within(dialog).getByLabelText('Real name')).toHaveValue('Laura Smith');
    const chips = () => within(dialog).getByRole('list', { name: 'Aliases' }).querySelectorAll('li');
    expect(Array.from(chips()).map((c) => c.firstElementChild?.textContent)).toEqual(['Lolly', 'Lozza', 'L.S.']);

    const field = within(dialog).getByLabelText('Other names the documents use');
    await user.click(field);
    await user.keyboard('{Backspace}');
    await user.click(within(dialog).getByRole('button', { name: 'Remove alias Lolly' }));
    expect(field).toHaveFocus();
    await user.keyboard('Laura S{Enter}');
    expect(Array.from(chips()).map((c) => c.firstElementChild?.textContent)).toEqual(['Lozza', 'Laura S']);
    // A repeat (in any case) is not added twice.
    await user.keyboard('lozza{Enter}');
    expect(chips()).toHaveLength(2);

    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(callsOf(calls, 'update_person')).toEqual([
      {
        id: 'p1',
        input: {
          category: 'person',
          real_name: 'Laura Smith',
          aliases: ['Lozza', 'Laura S'],
          pseudonym: 'Child S',
          role: 'subject',
          relation: 'the child',
          safe_to_name: false,
        },
      },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(within(rowsOf('People')[0]).getByRole('list', { name: 'Aliases of Laura Smith' })).toHaveTextContent(
      'LozzaLaura S',
    );
    expect(review.toasts.map((t) => t.text)).toEqual(['Register entry saved']);
  });

  it('shows a pseudonym clash next to the field and loses nothing typed', async () => {
    const user = userEvent.setup();
    setup();
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Edit Darren Smith' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit register entry' });
    await user.type(within(dialog).getByLabelText('Other names the documents use'), 'Daz{Enter}');
    await user.type(within(dialog).getByLabelText('Relation to the subject'), 'birth father');
    const pseudonym = within(dialog).getByLabelText('Pseudonym');
    await user.type(pseudonym, 'child s');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      "'child s' is already the pseudonym of Laura Smith; each pseudonym must stand for one entry.",
    );
    expect(pseudonym).toHaveAttribute('aria-invalid', 'true');
    expect(pseudonym).toHaveAccessibleDescription(alert.textContent!);
    // The dialog stays, with everything as typed; nothing was changed.
    expect(screen.getByRole('dialog', { name: 'Edit register entry' })).toBeInTheDocument();
    expect(pseudonym).toHaveValue('child s');
    expect(within(dialog).getByLabelText('Relation to the subject')).toHaveValue('birth father');
    expect(within(dialog).getByRole('list', { name: 'Aliases' })).toHaveTextContent('Daz');
    expect(people.find((p) => p.id === 'p2')!.pseudonym).toBe('');
    // The refusal names a real person, so it is not a toast.
    expect(review.toasts).toEqual([]);

    // Typing in the field clears the message; a free pseudonym is then saved.
    await user.clear(pseudonym);
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    await user.type(pseudonym, 'Adult B');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const saved = callsOf(calls, 'update_person')[1].input as PersonInput;
    expect(saved).toMatchObject({ pseudonym: 'Adult B', relation: 'birth father', aliases: ['Daz'] });
    expect(await screen.findByText('1 entry needs a pseudonym')).toBeInTheDocument();
    expectNoNamesInToasts();
  });

  it('asks for the real name before saving', async () => {
    const user = userEvent.setup();
    setup();
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Add entry' }));
    const dialog = screen.getByRole('dialog', { name: 'Add to the register' });
    await user.type(within(dialog).getByLabelText('Pseudonym'), 'Infant A');
    await user.click(within(dialog).getByRole('button', { name: 'Add entry' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Enter the name as the documents give it.');
    expect(within(dialog).getByLabelText('Real name')).toHaveAttribute('aria-invalid', 'true');
    expect(callsOf(calls, 'add_person')).toEqual([]);
  });

  it('gives a pseudonym in place; the count goes down; a clash is shown by the entry', async () => {
    const user = userEvent.setup();
    setup();
    render(RegisterPanel);
    await screen.findByText('2 entries need a pseudonym');
    await user.click(screen.getByRole('button', { name: /Edit Pseudonym of Kerry Jones/ }));
    await user.keyboard('Address 4{Enter}');
    const row = rowsOf('People')[2];
    expect(await within(row).findByRole('alert')).toHaveTextContent(
      "'Address 4' is already the pseudonym of 12 Acacia Road; each pseudonym must stand for one entry.",
    );
    // Still editing, with the text kept.
    const field = within(row).getByRole('textbox', { name: 'Pseudonym of Kerry Jones' });
    expect(field).toHaveValue('Address 4');
    expect(screen.getByText('2 entries need a pseudonym')).toBeInTheDocument();
    await user.clear(field);
    await user.type(field, 'Adult B{Enter}');
    expect(await screen.findByText('1 entry needs a pseudonym')).toBeInTheDocument();
    expect(within(rowsOf('People')[2]).queryByRole('alert')).not.toBeInTheDocument();
    expect(callsOf(calls, 'update_person').at(-1)).toEqual({
      id: 'p3',
      input: {
        category: 'person',
        real_name: 'Kerry Jones',
        aliases: [],
        pseudonym: 'Adult B',
        role: 'mother',
        relation: '',
        safe_to_name: false,
      },
    });
    expect(review.toasts).toEqual([]);
  });

  it('marks an entry safe to name in place', async () => {
    const user = userEvent.setup();
    setup();
    render(RegisterPanel);
    await screen.findByText('2 entries need a pseudonym');
    await user.click(within(rowsOf('People')[1]).getByRole('checkbox', { name: 'Safe to name' }));
    expect(await screen.findByText('1 entry needs a pseudonym')).toBeInTheDocument();
    expect((callsOf(calls, 'update_person')[0].input as PersonInput).safe_to_name).toBe(true);
    expect(within(rowsOf('People')[1]).getByText('Named in publication')).toBeInTheDocument();
  });

  it('says so when every entry has a pseudonym or is safe to name', async () => {
    people = people.filter((p) => p.id !== 'p2' && p.id !== 'p3');
    setup();
    render(RegisterPanel);
    expect(await screen.findByText('Every entry has a pseudonym or is safe to name')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Needs a pseudonym only' })).toBeDisabled();
  });

  it('explains why a delete is refused and deletes anyway on request', async () => {
    const user = userEvent.setup();
    setup({
      delete_person: (args) => {
        if (!args.cascade) {
          throw {
            code: 'in_use',
            message: 'cannot delete Darren Smith: 2 chronology entries involve this person',
          };
        }
        people = people.filter((p) => p.id !== args.id);
        return null;
      },
    });
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Delete Darren Smith' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete this register entry?' });
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));

    const refused = await screen.findByRole('dialog', { name: 'This entry is in use' });
    expect(
      within(refused).getByText('Darren Smith cannot be deleted because 2 chronology entries involve this person.'),
    ).toBeInTheDocument();
    expect(review.toasts).toEqual([]);
    await user.click(within(refused).getByRole('button', { name: 'Delete anyway' }));
    expect(callsOf(calls, 'delete_person')).toEqual([
      { id: 'p2', cascade: false },
      { id: 'p2', cascade: true },
    ]);
    await waitFor(() => expect(screen.queryByText('Darren Smith')).not.toBeInTheDocument());
    expect(screen.getByText('1 entry needs a pseudonym')).toBeInTheDocument();
    expect(review.toasts.map((t) => t.text)).toEqual(['Deleted from the register']);
  });

  it('cancelling the refusal deletes nothing', async () => {
    const user = userEvent.setup();
    setup({
      delete_person: () => {
        throw { code: 'in_use', message: 'cannot delete Darren Smith: 1 comment is on this person' };
      },
    });
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Delete Darren Smith' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await screen.findByRole('dialog', { name: 'This entry is in use' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(callsOf(calls, 'delete_person')).toEqual([{ id: 'p2', cascade: false }]);
    expect(screen.getByText('Darren Smith')).toBeInTheDocument();
  });

  it('moves an entry within its group by button and by Alt+arrow', async () => {
    const user = userEvent.setup();
    // Register order mixes categories: the move goes to the neighbour's place in the whole list.
    people = [people[0], people[3], people[1], people[4], people[2]];
    setup({
      move_person: (args) => {
        const from = people.findIndex((p) => p.id === args.id);
        const [moved] = people.splice(from, 1);
        people.splice(args.to as number, 0, moved);
        return null;
      },
    });
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Move Laura Smith down' }));
    expect(callsOf(calls, 'move_person')).toEqual([{ id: 'p1', to: 2 }]);
    await waitFor(() =>
      expect(rowsOf('People').map((r) => r.dataset.rowKey)).toEqual(['p2', 'p1', 'p3']),
    );
    screen.getByRole('button', { name: 'Move Kerry Jones up' }).focus();
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}');
    expect(callsOf(calls, 'move_person')[1]).toEqual({ id: 'p3', to: 2 });
    expect(screen.getByRole('button', { name: 'Move Darren Smith up' })).toBeDisabled();
  });

  it('shows a failed move in the panel, not in a toast', async () => {
    const user = userEvent.setup();
    setup({
      move_person: () => {
        throw { code: 'storage', message: 'disk I/O error' };
      },
    });
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Move Laura Smith down' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The review file could not be read or written, so the last change was not saved.',
    );
    expect(review.toasts).toEqual([]);
  });

  it('reloads when the review changes elsewhere (an undo)', async () => {
    setup();
    render(RegisterPanel);
    await screen.findByText('Darren Smith');
    people = people.filter((p) => p.id !== 'p2');
    review.revision += 1;
    await waitFor(() => expect(screen.queryByText('Darren Smith')).not.toBeInTheDocument());
    expect(callsOf(calls, 'people').length).toBeGreaterThanOrEqual(2);
  });

  it('writes no real name to the console', async () => {
    const user = userEvent.setup();
    const logged: unknown[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args) => void logged.push(...args));
    }
    setup({
      delete_person: () => {
        throw { code: 'in_use', message: 'cannot delete Darren Smith: 1 comment is on this person' };
      },
    });
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Delete Darren Smith' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await screen.findByRole('dialog', { name: 'This entry is in use' });
    expect(logged.map(String).join('\n')).not.toMatch(/Darren|Laura|Kerry/);
  });
});

describe('suggested names', () => {
  /** The core's suggestions: recurring names not registered and not dismissed. */
  function suggesting(names: { name: string; count: number; sample: string }[]) {
    let dismissed: string[] = [];
    const current = () =>
      names
        .filter((n) => !dismissed.includes(n.name) && !people.some((p) => p.real_name === n.name))
        .map((n) => ({ ...n, source_id: 's1', paragraph_id: 'para1' }));
    setup({
      name_suggestions: () => current(),
      dismiss_name_suggestion: (args) => {
        dismissed = [...dismissed, args.name as string];
        return null;
      },
      restore_name_suggestion: (args) => {
        dismissed = dismissed.filter((n) => n !== args.name);
        return null;
      },
    });
  }

  const NAMES = [
    { name: 'Donna Hollis', count: 4, sample: 'Donna Hollis visited the <b>family</b> home.' },
    { name: 'Oakfield', count: 2, sample: 'He moved to Oakfield in May.' },
  ];

  it('lists each with its count and sample sentence as text, and adds one through the entry dialog', async () => {
    const user = userEvent.setup();
    suggesting(NAMES);
    render(RegisterPanel);
    const list = await screen.findByRole('list', { name: 'Suggested names' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Donna Hollis 4 times');
    // The sample is text: the markup in it shows as written and makes no element.
    expect(items[0]).toHaveTextContent('Donna Hollis visited the <b>family</b> home.');
    expect(items[0].querySelector('b')).toBeNull();
    expect(items[1]).toHaveTextContent('2 times');

    await user.click(within(items[0]).getByRole('button', { name: 'Add to register: Donna Hollis' }));
    const dialog = screen.getByRole('dialog', { name: 'Add to the register' });
    expect(within(dialog).getByLabelText('Real name')).toHaveValue('Donna Hollis');
    await user.type(within(dialog).getByLabelText('Pseudonym'), 'Adult D');
    await user.click(within(dialog).getByRole('button', { name: 'Add entry' }));
    expect(callsOf(calls, 'add_person').at(-1)).toMatchObject({
      input: { real_name: 'Donna Hollis', pseudonym: 'Adult D', category: 'person' },
    });
    // Registered, it is no longer suggested.
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Suggested names' })).getAllByRole('listitem')).toHaveLength(1));
    expect(screen.getByRole('list', { name: 'Suggested names' })).toHaveTextContent('Oakfield');
    // A plain "Add person" afterwards starts empty again.
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Add person' }));
    expect(within(screen.getByRole('dialog', { name: 'Add to the register' })).getByLabelText('Real name')).toHaveValue('');
    expectNoNamesInToasts();
    expect(review.toasts.map((t) => t.text).join('\n')).not.toContain('Donna');
  });

  it('dismisses one, and can suggest it again', async () => {
    const user = userEvent.setup();
    suggesting(NAMES);
    render(RegisterPanel);
    const list = await screen.findByRole('list', { name: 'Suggested names' });
    await user.click(within(list).getByRole('button', { name: 'Dismiss Oakfield' }));
    expect(callsOf(calls, 'dismiss_name_suggestion')).toEqual([{ name: 'Oakfield' }]);
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    expect(screen.getByRole('status')).toHaveTextContent('Dismissed “Oakfield”.');
    await user.click(screen.getByRole('button', { name: 'Suggest it again' }));
    expect(callsOf(calls, 'restore_name_suggestion')).toEqual([{ name: 'Oakfield' }]);
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    expect(screen.queryByText(/Dismissed/)).not.toBeInTheDocument();
  });

  it('says when there is nothing to suggest', async () => {
    suggesting([]);
    render(RegisterPanel);
    expect(await screen.findByText('No unregistered names recur in the sources.')).toBeInTheDocument();
  });
});

describe('removing old names from the file', () => {
  const REPORT = { bytes_before: 3 * 1024 * 1024, bytes_after: 900 * 1024, changes_sealed: 42, states_dropped: 80, summaries_redacted: 3, drafts_redacted: 1, backups_removed: 4 };

  it('asks first, saying the undo history goes, and does nothing on cancel', async () => {
    const user = userEvent.setup();
    setup({ compact: () => REPORT });
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Remove old names from the file…' }));
    const confirm = screen.getByRole('dialog', { name: 'Remove old names from the file?' });
    expect(confirm).toHaveTextContent('Undo history before this point will be gone');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(callsOf(calls, 'compact')).toHaveLength(0);
  });

  it('removes them on confirmation and says what it did', async () => {
    const user = userEvent.setup();
    setup({ compact: () => REPORT });
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Remove old names from the file…' }));
    const confirm = screen.getByRole('dialog', { name: 'Remove old names from the file?' });
    await user.click(within(confirm).getByRole('button', { name: 'Remove old names' }));
    expect(callsOf(calls, 'compact')).toHaveLength(1);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Old names removed: 42 earlier changes can no longer be undone, 3 history entries that named someone reworded, the old names taken out of 1 issued draft, 4 backups that held them replaced by one new backup; the file went from 3.0 MB to 900 KB.',
    );
  });

  it('shows why it failed', async () => {
    const user = userEvent.setup();
    setup({
      compact: () => {
        throw { code: 'read_only', message: 'the review is open read-only' };
      },
    });
    render(RegisterPanel);
    await user.click(await screen.findByRole('button', { name: 'Remove old names from the file…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove old names' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('read-only');
  });

  it('offers to remove old names, prominently, once a name was deleted from the register', async () => {
    const user = userEvent.setup();
    setup({
      delete_person: (args) => {
        people = people.filter((p) => p.id !== args.id);
        return null;
      },
      compact: () => REPORT,
    });
    render(RegisterPanel);
    const remove = await screen.findByRole('button', { name: 'Remove old names from the file…' });
    expect(screen.queryByTestId('old-names-left')).toBeNull();
    expect(remove).not.toHaveClass('primary');
    await user.click(screen.getByRole('button', { name: 'Delete Darren Smith' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete this register entry?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByTestId('old-names-left')).toHaveTextContent(
      'The old one stays in this file\'s history until you remove old names.',
    );
    expect(screen.getByRole('button', { name: 'Remove old names from the file…' })).toHaveClass('primary');
    await user.click(screen.getByRole('button', { name: 'Remove old names from the file…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove old names' }));
    await waitFor(() => expect(screen.queryByTestId('old-names-left')).toBeNull());
  });
});

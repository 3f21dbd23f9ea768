import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { review } from '../../lib/review.svelte';
import type { Person, RenderedDocument, Section } from '../../lib/types';
import { callsOf, mockCommands, type Call } from '../../test/ipc';
import PublicationView from './PublicationView.svelte';
import ReportPanel from './ReportPanel.svelte';

const enc = new TextEncoder();
const at = (text: string, word: string, from = 0) => {
  const i = text.indexOf(word, from);
  const start = enc.encode(text.slice(0, i)).length;
  return { start, end: start + enc.encode(word).length };
};

function person(id: string, real: string, pseudonym: string, category: Person['category'] = 'person'): Person {
  return { id, category, real_name: real, aliases: [], pseudonym, role: '', relation: '', safe_to_name: false };
}

let people: Person[];

/** A publication render of `body`: each "Child S" and "School1" in it marked. */
function published(heading: string, body: string): RenderedDocument {
  const marks = (text: string) => {
    const out = [];
    for (const [word, substitution] of [
      ['Child S', 0],
      ['School1', 1],
    ] as const) {
      let from = 0;
      while (text.indexOf(word, from) >= 0) {
        out.push({ ...at(text, word, from), substitution });
        from = text.indexOf(word, from) + word.length;
      }
    }
    return out.sort((a, b) => a.start - b.start);
  };
  const subs = [];
  for (const m of marks(heading).concat(marks(body))) subs.push(m.substitution);
  return {
    document: 'overview',
    title: 'Serious Case Review: Child S',
    subtitle: 'Overview report',
    board: '',
    author: '',
    marking: 'Draft',
    citation_style: 'footnotes',
    sections: [
      {
        id: 'a',
        heading,
        heading_substitutions: marks(heading),
        blocks: [
          { type: 'paragraph', content: [{ type: 'text', text: body, bold: false, italic: false, substitutions: marks(body) }] },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'Seen by the GP', bold: false, italic: true },
              { type: 'citation', number: 1 },
            ],
          },
        ],
      },
    ],
    citations: [{ number: 1, kind: 'finding', id: 'f1', label: 'F1', detail: 'School1 did not refer', missing: false }],
    notes: [],
    problems: [],
    substitutions: [
      { entry_id: 'p1', original: 'Laura', replacement: 'Child S', count: subs.filter((s) => s === 0).length },
      { entry_id: 'p2', original: 'Oakfield Academy', replacement: 'School1', count: subs.filter((s) => s === 1).length },
    ].filter((s) => s.count > 0),
  };
}

let calls: Call[];
let sections: Section[];

function setup(render_document?: (args: Record<string, unknown>) => unknown) {
  calls = mockCommands({
    people: () => people,
    render_document:
      render_document ??
      (() => published('About Child S', '😀 Child S went to School1 <b>every</b> day; Child S was seen.')),
  });
}

beforeAll(() => {
  Element.prototype.scrollIntoView ??= () => {};
});

beforeEach(() => {
  people = [person('p1', 'Laura', 'Child S'), person('p2', 'Oakfield Academy', 'School1', 'organisation')];
  review.navigation = null;
  review.panel = 'report';
});

const view = () => screen.getByRole('region', { name: 'The document as published' });

/** The text a reader sees in `el`: hidden tooltips left out. */
function visibleText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('[hidden]').forEach((h) => h.remove());
  return copy.textContent ?? '';
}

describe('PublicationView', () => {
  it('marks every pseudonym, as text, after emoji too, and numbers the footnotes', async () => {
    setup();
    render(PublicationView, { document: 'overview' });
    await within(view()).findByRole('heading', { name: 'About Child S' });
    const marks = within(view()).getAllByRole('button');
    expect(marks.map((m) => m.textContent)).toEqual(['Child S', 'Child S', 'School1', 'Child S']);
    const paragraph = marks[1].closest('p')!;
    expect(visibleText(paragraph)).toContain('😀 Child S went to School1 <b>every</b> day; Child S was seen.');
    expect(paragraph.querySelector('b')).toBeNull();
    expect(view().querySelector('sup')?.textContent).toBe('1');
    expect(within(view()).getByRole('region', { name: 'Footnotes' })).toHaveTextContent('F1: School1 did not refer');
    expect(callsOf(calls, 'render_document')).toEqual([{ document: 'overview', options: { publication: true } }]);
    expect(screen.getByRole('status')).toHaveTextContent('4 substitutions');
  });

  it('shows what a mark replaced on hover', async () => {
    setup();
    render(PublicationView, { document: 'overview' });
    const school = await within(view()).findByRole('button', { name: 'School1' });
    expect(screen.queryByRole('tooltip')).toBeNull();
    await userEvent.hover(school);
    expect(screen.getByRole('tooltip')).toHaveTextContent('Oakfield Academy → School1 (register: organisation)');
    expect(school).toHaveAccessibleDescription('Oakfield Academy → School1 (register: organisation)');
    await userEvent.unhover(school);
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('shows it on keyboard focus too, and Escape hides it', async () => {
    setup();
    render(PublicationView, { document: 'overview' });
    await within(view()).findByRole('heading', { name: 'About Child S' });
    view().focus();
    await userEvent.tab();
    const first = within(view()).getAllByRole('button')[0];
    expect(first).toHaveFocus();
    expect(screen.getByRole('tooltip')).toHaveTextContent('Laura → Child S (register: person)');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).toBeNull();
    await userEvent.tab();
    expect(screen.getByRole('tooltip')).toHaveTextContent('Laura → Child S (register: person)');
  });

  it('opens the register entry a mark stands for', async () => {
    setup();
    render(PublicationView, { document: 'overview' });
    await userEvent.click(await within(view()).findByRole('button', { name: 'School1' }));
    expect(review.panel).toBe('register');
    expect(review.navigation).toMatchObject({ panel: 'register', kind: 'person', id: 'p2' });
  });

  it('says when no names are registered, and counts names still without a pseudonym', async () => {
    people = [];
    setup(() => published('About Laura', 'Laura went to Oakfield Academy.'));
    render(PublicationView, { document: 'overview' });
    await screen.findByText('No names are registered yet — add them in Names & pseudonyms');
    expect(within(view()).queryAllByRole('button')).toHaveLength(0);
    expect(screen.getByRole('status')).toHaveTextContent('0 substitutions');
    await userEvent.click(screen.getByRole('button', { name: 'Open Names & pseudonyms' }));
    expect(review.panel).toBe('register');

    people = [person('p1', 'Laura', 'Child S'), person('p3', 'Darren', ''), person('p4', 'Kim', ''), person('p5', 'Lee', '')];
    review.revision += 1;
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('0 substitutions, 3 names not yet given a pseudonym'),
    );
    const note = screen.getByRole('note');
    expect(within(note).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Darren', 'Kim', 'Lee']);
  });

  it('reloads after a register change', async () => {
    let pseudonym = 'Child S';
    setup(() => {
      const r = published(`About ${pseudonym}`, `${pseudonym} was seen.`);
      if (pseudonym !== 'Child S') r.sections[0].heading_substitutions = [{ ...at(r.sections[0].heading, pseudonym), substitution: 0 }];
      return r;
    });
    render(PublicationView, { document: 'overview' });
    await within(view()).findByRole('heading', { name: 'About Child S' });
    pseudonym = 'Child T';
    people[0] = { ...people[0], pseudonym };
    review.revision += 1;
    await within(view()).findByRole('heading', { name: 'About Child T' });
    expect(within(view()).getByRole('button', { name: 'Child T' })).toBeInTheDocument();
  });
});

describe('ReportPanel with the publication view', () => {
  beforeAll(() => {
    const rect = () => ({ x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0, toJSON: () => ({}) });
    Range.prototype.getBoundingClientRect = rect as () => DOMRect;
    Range.prototype.getClientRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
    document.elementFromPoint ??= () => null;
  });

  function panelSetup() {
    sections = [{ id: 'a', document: 'overview', position: 0, heading: 'About Laura', body: 'Laura was seen.' }];
    calls = mockCommands({
      sections: () => sections,
      findings: () => [],
      recommendations: () => [],
      people: () => people,
      render_document: ({ options }) => {
        const real = sections[0].body;
        const o = options as { publication?: boolean };
        if (!o.publication) return { ...published(sections[0].heading, real), substitutions: undefined };
        return published(sections[0].heading.replace('Laura', 'Child S'), real.replaceAll('Laura', 'Child S'));
      },
      update_section: ({ id, input }) => {
        const s = sections.find((x) => x.id === id)!;
        Object.assign(s, input);
        return s;
      },
    });
  }

  it('turns on with the button or Ctrl+Shift+P and follows the autosave', async () => {
    panelSetup();
    render(ReportPanel);
    const toggle = await screen.findByRole('button', { name: 'Publication view' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(toggle).toHaveAttribute('aria-keyshortcuts', 'Control+Shift+P');
    expect(screen.queryByRole('region', { name: 'The document as published' })).toBeNull();

    await fireEvent.keyDown(window, { key: 'P', code: 'KeyP', ctrlKey: true, shiftKey: true });
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(visibleText(view())).toContain('Child S was seen.'));

    // Typing is autosaved; the view then shows the saved text.
    const box = document.querySelector<HTMLElement>('[data-rich-editor]')!;
    const p = box.querySelector('p')!;
    box.focus();
    (p.lastChild as Text).appendData(' Laura again.');
    await new Promise((r) => setTimeout(r, 30));
    expect(screen.getByText('· as last saved')).toBeInTheDocument();
    await fireEvent.blur(box);
    await waitFor(() => expect(callsOf(calls, 'update_section')).toHaveLength(1));
    await waitFor(() => expect(visibleText(view())).toContain('Child S was seen. Child S again.'));
    expect(within(view()).getAllByRole('button', { name: 'Child S' })).toHaveLength(3);
    expect(screen.queryByText('· as last saved')).toBeNull();

    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(screen.queryByRole('region', { name: 'The document as published' })).toBeNull();
  });
});

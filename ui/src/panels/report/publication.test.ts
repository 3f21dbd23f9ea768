import { describe, expect, it } from 'vitest';
import type { Inline, Person, RenderedDocument } from '../../lib/types';
import { emptyRegisterText, numberMarks, pieces, summaryText, tooltipText } from './publication';

const bytes = (s: string) => new TextEncoder().encode(s).length;

function person(id: string, pseudonym: string, extra: Partial<Person> = {}): Person {
  return {
    id,
    category: 'person',
    real_name: `Real ${id}`,
    aliases: [],
    pseudonym,
    role: '',
    relation: '',
    safe_to_name: false,
    ...extra,
  };
}

function doc(extra: Partial<RenderedDocument> = {}): RenderedDocument {
  return {
    document: 'overview',
    title: 'Child S',
    subtitle: 'Overview report',
    board: '',
    author: '',
    marking: null,
    citation_style: 'footnotes',
    sections: [],
    citations: [],
    notes: [],
    problems: [],
    ...extra,
  };
}

describe('pieces', () => {
  it('splits a run on the byte ranges the core gives, after emoji and accents too', () => {
    const text = '😀 Child S met Adult B in Zoë’s café.';
    const start = bytes('😀 ');
    const b = bytes('😀 Child S met ');
    const out = pieces(text, [
      { start: b, end: b + bytes('Adult B'), substitution: 1 },
      { start, end: start + bytes('Child S'), substitution: 0 },
    ]);
    expect(out.map((p) => [p.text, p.mark?.substitution ?? null])).toEqual([
      ['😀 ', null],
      ['Child S', 0],
      [' met ', null],
      ['Adult B', 1],
      [' in Zoë’s café.', null],
    ]);
  });

  it('keeps text without marks whole and skips a mark that does not fit', () => {
    expect(pieces('plain', undefined)).toEqual([{ text: 'plain', mark: null }]);
    expect(pieces('short', [{ start: 2, end: 40, substitution: 0 }])).toEqual([{ text: 'short', mark: null }]);
    expect(pieces('', [])).toEqual([]);
  });
});

describe('wording', () => {
  it('says what a mark replaced and where the register keeps it', () => {
    const sub = { entry_id: 'p1', original: 'Laura', replacement: 'Child S', count: 3 };
    expect(tooltipText(sub, person('p1', 'Child S'))).toBe('Laura → Child S (register: person)');
    expect(tooltipText(sub, person('p1', 'Child S', { category: 'place' }))).toBe('Laura → Child S (register: place)');
    expect(tooltipText(sub, undefined)).toBe('Laura → Child S (register)');
  });

  it('counts substitutions, names without a pseudonym, and shared names', () => {
    const d = doc({
      substitutions: [
        { entry_id: 'p1', original: 'Laura', replacement: 'Child S', count: 9 },
        { entry_id: 'p1', original: 'LAURA', replacement: 'CHILD S', count: 3 },
      ],
      unsubstituted: [{ name: 'Smith', entry_ids: ['p1', 'p2'], reason: 'shared' }],
    });
    const people = [
      person('p1', 'Child S'),
      person('p2', ''),
      person('p3', ' '),
      person('p4', ''),
      person('p5', '', { safe_to_name: true }),
    ];
    expect(summaryText(d, people)).toBe(
      '12 substitutions, 3 names not yet given a pseudonym, 1 shared name left as written',
    );
    expect(summaryText(doc(), [person('p1', 'Child S'), person('p2', '')])).toBe(
      '0 substitutions, 1 name not yet given a pseudonym',
    );
  });

  it('says when the register has nothing to substitute', () => {
    expect(emptyRegisterText([])).toBe('No names are registered yet — add them in Names & pseudonyms');
    expect(emptyRegisterText([person('p1', '')])).toMatch(/^No name has a pseudonym yet/);
    expect(emptyRegisterText([person('p1', ''), person('p2', 'Adult B')])).toBeNull();
  });
});

describe('numberMarks', () => {
  const cite = (number: number): Inline => ({ type: 'citation', number });
  const note = (number: number): Inline => ({ type: 'note', number });
  const sections = (a: Inline[], b: Inline[]): RenderedDocument['sections'] => [
    { id: 's1', heading: 'One', blocks: [{ type: 'paragraph', content: a }] },
    {
      id: 's2',
      heading: 'Two',
      blocks: [{ type: 'table', header: [[]], rows: [[b]] }],
    },
  ];
  const citations = [1, 2].map((n) => ({
    number: n,
    kind: 'finding' as const,
    id: `f${n}`,
    label: `F${n}`,
    detail: '',
    missing: false,
  }));

  it('gives citations and notes footnote numbers in reading order', () => {
    const [c1, n1, c2, c1again] = [cite(1), note(1), cite(2), cite(1)];
    const d = doc({ sections: sections([c1, n1], [c2, c1again]), citations, notes: [{ number: 1, blocks: [] }] });
    const { labels, footnotes } = numberMarks(d);
    expect([c1, n1, c2, c1again].map((i) => labels.get(i))).toEqual(['1', '2', '3', '4']);
    expect(footnotes.map((f) => [f.number, f.kind])).toEqual([
      [1, 'citation'],
      [2, 'note'],
      [3, 'citation'],
      [4, 'citation'],
    ]);
  });

  it('shows bracketed citations by their own number and keeps notes as footnotes', () => {
    const [c2, n1] = [cite(2), note(1)];
    const d = doc({
      citation_style: 'brackets',
      sections: sections([c2], [n1]),
      citations,
      notes: [{ number: 1, blocks: [] }],
    });
    const { labels, footnotes } = numberMarks(d);
    expect(labels.get(c2)).toBe('[2]');
    expect(labels.get(n1)).toBe('1');
    expect(footnotes).toHaveLength(1);
  });
});

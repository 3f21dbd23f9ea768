import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import { parseMarkdown, readBlockLine, readCitation, toMarkdown } from './markdown';
import { citationKeys, schema } from './schema';

const F = '00000000-0000-4007-8000-000000000319';
const X = '00000000-0000-4007-8000-0000000002a1';
const C = '00000000-0000-4007-8000-000000000259';

/** Markdown the serializer writes: parsing and writing it again gives the same text. */
const CANONICAL: Record<string, string> = {
  paragraphs: 'First paragraph.\n\nSecond paragraph.',
  'bold and italic': 'Some **bold**, some *italic* and ***both*** words.',
  headings: '## Background\n\nText.\n\n### Scope\n\nMore text.',
  citations: `The mother was strangled [[chronology:${C}]] and it was known [[finding:${F}]][[excerpt:${X}]].`,
  'citation inside bold': `**Known to the police [[finding:${F}]]** at the time.`,
  'citation in a heading': `## What the GP saw [[excerpt:${X}]]\n\nText.`,
  'live blocks': 'Before.\n\n[[block:tor]]\n\n[[block:recommendations]]\n\nAfter.',
  'bullet list': `- one [[finding:${F}]]\n- two\n- three`,
  'numbered list from 3': '3. three\n4. four',
  'nested lists': '- outer\n  1. inner one\n  2. inner two\n- outer two\n  - deep\n    - deeper',
  'loose list': '- first\n\n  still first\n\n- second',
  quote: `> Quoted words [[excerpt:${X}]]\n>\n> - a list in a quote`,
  footnotes: 'Claim one[^1] and claim two[^why].\n\n[^1]: The first note.\n\n[^why]: The second note, with *italic* and a citation [[finding:' + F + ']].',
  'footnote with two paragraphs': 'Text[^n].\n\n[^n]: First part.\n\n    Second part.',
  'live block in a list': '- item\n\n  [[block:themes]]',
  'escaped look-alikes': 'Not a citation: \\[\\[finding:abc\\]\\] and not a note \\[^1\\] and a \\| pipe.',
  'hard break': 'line one\\\nline two',
  rule: 'above\n\n---\n\nbelow',
  table: 'Before\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nAfter',
};

describe('Markdown round trip', () => {
  for (const [name, md] of Object.entries(CANONICAL)) {
    it(`keeps ${name} exactly`, () => {
      const doc = parseMarkdown(md);
      expect(toMarkdown(doc)).toBe(md);
      // And the document survives a second trip unchanged.
      expect(parseMarkdown(toMarkdown(doc)).eq(doc)).toBe(true);
    });
  }

  it('reads citations as nodes with their kind and id, in order', () => {
    const doc = parseMarkdown(CANONICAL.citations);
    expect(citationKeys(doc)).toEqual([`chronology:${C}`, `finding:${F}`, `excerpt:${X}`]);
    expect(doc.textContent).not.toContain('[[');
  });

  it('reads a live block line as a block, even in the middle of a paragraph', () => {
    const doc = parseMarkdown('one line\n[[block:agencies]]\nnext line');
    const types: string[] = [];
    doc.forEach((n) => types.push(n.type.name));
    expect(types).toEqual(['paragraph', 'live_block', 'paragraph']);
    expect(doc.child(1).attrs.name).toBe('agencies');
    expect(toMarkdown(doc)).toBe('one line\n\n[[block:agencies]]\n\nnext line');
  });

  it('accepts what the core accepts in tokens and nothing more', () => {
    expect(readCitation(` Finding : ${F} `)).toEqual({ kind: 'finding', id: F });
    expect(readCitation(`excerpt:${X.toUpperCase()}`)).toBeNull();
    expect(readCitation(`theme:${F}`)).toBeNull();
    expect(readCitation('finding:42')).toBeNull();
    expect(readBlockLine('  [[BLOCK: Tor ]]  ')).toBe('tor');
    expect(readBlockLine('[[block:tor]] and text')).toBeNull();
    // A token the core would not accept stays text, and is written back escaped.
    const doc = parseMarkdown('see [[finding:42]]');
    expect(citationKeys(doc)).toEqual([]);
    expect(toMarkdown(doc)).toBe('see \\[\\[finding:42\\]\\]');
  });

  it('leaves a footnote reference with no definition as text', () => {
    const doc = parseMarkdown('text[^gone]');
    let refs = 0;
    doc.descendants((n) => {
      if (n.type.name === 'footnote_ref') refs++;
    });
    expect(refs).toBe(0);
    expect(doc.textContent).toBe('text[^gone]');
  });

  it('folds heading levels into the two a section has', () => {
    const doc = parseMarkdown('# One\n\n#### Four');
    expect([doc.child(0).attrs.level, doc.child(1).attrs.level]).toEqual([2, 3]);
    expect(toMarkdown(doc)).toBe('## One\n\n### Four');
  });

  it('writes text so that nothing typed becomes markup', () => {
    const p = (text: string): PMNode =>
      schema.node('doc', null, [schema.node('paragraph', null, [schema.text(text)])]);
    for (const text of [
      '# not a heading',
      '- not a list',
      '1. not a list',
      '2) not a list',
      '> not a quote',
      '[[block:tor]]',
      `[[finding:${F}]]`,
      '[^1]: not a note',
      '*not italic* and **not bold** and _x_',
      'a | b | c',
      '&amp; stays as typed, <b>too</b>',
      'back\\slash and `ticks`',
    ]) {
      const back = parseMarkdown(toMarkdown(p(text)));
      expect(back.childCount, text).toBe(1);
      expect(back.child(0).type.name, text).toBe('paragraph');
      expect(back.child(0).childCount, text).toBe(1);
      expect(back.textContent, text).toBe(text);
    }
  });

  it('round-trips a document built in the editor with every kind of node', () => {
    const { nodes, marks } = schema;
    const cite = (kind: string, id: string) => nodes.citation.create({ kind, id });
    const para = (...content: PMNode[]) => nodes.paragraph.create(null, content);
    const doc = nodes.doc.create(null, [
      nodes.heading.create({ level: 2 }, [schema.text('Findings '), cite('finding', F)]),
      para(
        schema.text('Bold', [marks.strong.create()]),
        schema.text(' '),
        schema.text('and italic', [marks.em.create()]),
        schema.text(' then a note'),
        nodes.footnote_ref.create({ label: '1' }),
        schema.text(' and '),
        cite('excerpt', X),
      ),
      nodes.bullet_list.create({ tight: true }, [
        nodes.list_item.create(null, [
          para(schema.text('outer')),
          nodes.ordered_list.create({ order: 1, tight: true }, [
            nodes.list_item.create(null, [para(schema.text('inner '), cite('chronology', C))]),
          ]),
        ]),
      ]),
      nodes.blockquote.create(null, [para(schema.text('quoted'))]),
      nodes.live_block.create({ name: 'panel' }),
      nodes.footnote_def.create({ label: '1' }, [para(schema.text('The note.'))]),
    ]);
    const md = toMarkdown(doc);
    expect(md).toContain(`[[finding:${F}]]`);
    expect(md).toContain('[[block:panel]]');
    expect(md).toContain('[^1]: The note.');
    expect(parseMarkdown(md).toJSON()).toEqual(doc.toJSON());
  });

  it('moves spaces at the edge of bold or italic outside the mark, keeping the words', () => {
    const { marks } = schema;
    const doc = schema.node('doc', null, [
      schema.node('paragraph', null, [schema.text('Bold ', [marks.strong.create()]), schema.text('word')]),
    ]);
    expect(toMarkdown(doc)).toBe('**Bold** word');
    expect(parseMarkdown(toMarkdown(doc)).textContent).toBe('Bold word');
  });

  it('gives an empty body one empty paragraph and writes it back empty', () => {
    const doc = parseMarkdown('');
    expect(doc.childCount).toBe(1);
    expect(toMarkdown(doc)).toBe('');
  });
});

describe('the demo review’s sections', () => {
  it('each body, as the core wrote it, comes back from the editor unchanged', async () => {
    const fixture = (await import('../../../e2e/fixtures/demo.json')).default as unknown as {
      sections: Record<string, { heading: string; body: string }[]>;
    };
    const all = [...fixture.sections.overview, ...fixture.sections.summary];
    expect(all.length).toBeGreaterThan(10);
    for (const s of all) expect(toMarkdown(parseMarkdown(s.body)), s.heading).toBe(s.body);
  });
});

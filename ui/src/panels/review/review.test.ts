import { describe, expect, it } from 'vitest';

import type { Comment, RenderedSection } from '../../lib/types';
import {
  anchorSpan,
  describeImport,
  locatedIn,
  markSection,
  newestFirst,
  occurrences,
  planComment,
  refOf,
} from './review';

function comment(id: string, exact: string, over: Partial<Comment> = {}): Comment {
  return {
    id,
    parent_id: null,
    author: 'Chair',
    role: 'chair',
    created_at: '2026-12-01T10:00:00.000Z',
    target_kind: 'section',
    target_id: 's1',
    anchor: { exact, prefix: '', suffix: '' },
    body: 'Why?',
    resolved: false,
    replies: [],
    ...over,
  };
}

describe('review logic', () => {
  it('lists drafts newest first', () => {
    const d = (number: number) => ({
      id: `d${number}`,
      number,
      label: `Draft ${number}`,
      issued_at: '',
      issued_by: '',
      role: 'author',
    });
    expect(newestFirst([d(1), d(3), d(2)]).map((x) => x.number)).toEqual([3, 2, 1]);
  });

  it('counts overlapping places as the core does', () => {
    expect(occurrences('aaa', 'aa')).toEqual([0, 1]);
    expect(occurrences('abc', '')).toEqual([]);
  });

  it('makes an anchor in characters, not UTF-16 units, with 32 characters of context', () => {
    const text = '😀 '.repeat(20) + 'Child S was seen. ' + 'x'.repeat(40);
    const start = text.indexOf('Child S');
    const a = anchorSpan(text, start, start + 'Child S'.length);
    expect(a.exact).toBe('Child S');
    expect(a.hint).toBe(40); // 20 × (emoji + space) characters
    expect(Array.from(a.prefix)).toHaveLength(32);
    expect(a.prefix.endsWith('😀 ')).toBe(true);
    expect(a.suffix).toBe(' was seen. ' + 'x'.repeat(21));
  });

  it('lets the core anchor a quote found once, and names the selected place of a repeated one', () => {
    const body = 'Child S was seen. Later Child S was not seen.';
    expect(planComment(body, 'was seen', 0)).toEqual({ kind: 'quote', quote: 'was seen' });
    const second = planComment(body, 'Child S', 1);
    expect(second.kind).toBe('anchor');
    if (second.kind === 'anchor') {
      expect(second.anchor.hint).toBe(24);
      expect(second.anchor.prefix).toBe('Child S was seen. Later ');
    }
    expect(planComment(body, 'Child T', 0)).toEqual({ kind: 'missing' });
  });

  it('marks the same place of a located comment in the rendered text', () => {
    const body = 'The school saw **Child S**. Then Child S left.';
    // The second "Child S" of the body is at character 33.
    const located = locatedIn(body, [
      { comment: comment('c1', 'Child S'), place: { state: 'located', start: 33, end: 40 } },
      { comment: comment('c2', 'gone words'), place: { state: 'orphaned' } },
    ]);
    expect(located).toEqual([{ id: 'c1', exact: 'Child S', nth: 1 }]);
    const plain = { type: 'text', text: 'The school saw ', bold: false, italic: false } as const;
    const bold = { type: 'text', text: 'Child S', bold: true, italic: false } as const;
    const tail = { type: 'text', text: '. Then Child S left.', bold: false, italic: false } as const;
    const section: RenderedSection = {
      id: 's1',
      heading: 'Intro',
      blocks: [{ type: 'paragraph', content: [plain, bold, tail] }],
    };
    const marks = markSection(section, located);
    expect(marks.has(bold)).toBe(false);
    expect(marks.get(tail)).toEqual([
      { text: '. Then ', comments: [] },
      { text: 'Child S', comments: ['c1'] },
      { text: ' left.', comments: [] },
    ]);
  });

  it('names the sides of a comparison and sums up an import', () => {
    expect(refOf('current')).toEqual({ kind: 'current' });
    expect(refOf('d2')).toEqual({ kind: 'draft', draft: 'd2' });
    expect(
      describeImport({
        made_by: 'Chair',
        merged: 3,
        updated: 1,
        unchanged: 0,
        reanchored: 2,
        orphaned: [{ comment_id: 'c', quote: 'q' }],
        skipped: [],
        records_replaced: 0,
      }),
    ).toBe('Imported the pack from Chair: 3 new, 1 updated, 0 unchanged, 2 re-anchored, 1 orphaned.');
    expect(
      describeImport({
        made_by: 'Alison Greaves',
        merged: 0,
        updated: 0,
        unchanged: 5,
        reanchored: 0,
        orphaned: [],
        skipped: [],
        records_replaced: 12,
      }),
    ).toContain('brought up to date with the copy (12 records); comments made here were kept.');
  });
});

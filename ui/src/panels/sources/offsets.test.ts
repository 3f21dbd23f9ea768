import { describe, expect, it } from 'vitest';

import {
  charLength,
  charsToUnits,
  segments,
  selectedText,
  selectionRange,
  sliceChars,
  trimRange,
  unitsToChars,
} from './offsets';

describe('character offsets (Unicode scalar values, as the core counts them)', () => {
  it('counts an emoji as one character although it is two UTF-16 code units', () => {
    expect('😀'.length).toBe(2);
    expect(charLength('😀')).toBe(1);
    expect(charLength('Zoë saw 👨‍👩‍👧 at 9')).toBe(Array.from('Zoë saw 👨‍👩‍👧 at 9').length);
  });

  it('turns UTF-16 offsets after emoji into character offsets', () => {
    const text = 'Mum 😀 said “no” 🙅 twice';
    const units = text.indexOf('said');
    expect(units).toBe(7); // "Mum " (4) + emoji (2) + " " (1)
    expect(unitsToChars(text, units)).toBe(6);
    expect(charsToUnits(text, 6)).toBe(units);
  });

  it('keeps accented letters one character each, composed or not', () => {
    const composed = 'café au lait';
    expect(unitsToChars(composed, composed.indexOf('au'))).toBe(5);
    const decomposed = 'cafe\u0301 au lait';
    // The combining accent is a scalar value of its own, in Rust as in JS.
    expect(unitsToChars(decomposed, decomposed.indexOf('au'))).toBe(6);
  });

  it('rounds an offset that splits an emoji to include or exclude the whole emoji', () => {
    const text = 'a😀b';
    expect(unitsToChars(text, 2, 'down')).toBe(1);
    expect(unitsToChars(text, 2, 'up')).toBe(2);
  });

  it('slices by characters like the core’s char_slice', () => {
    const text = 'Ölçü 🙂 naïve “quote” 中文';
    expect(sliceChars(text, 5, 6)).toBe('🙂');
    expect(sliceChars(text, 7, 12)).toBe('naïve');
    expect(sliceChars(text, 21, 23)).toBe('中文');
  });

  it('trims white space off the ends of a selection', () => {
    const text = '  two words  ';
    expect(trimRange(text, { start: 0, end: 13 })).toEqual({ start: 2, end: 11 });
    expect(trimRange(text, { start: 0, end: 2 })).toBeNull();
  });
});

describe('selectionRange', () => {
  function paragraphElement(parts: (string | { mark: string })[]): HTMLElement {
    const el = document.createElement('span');
    for (const p of parts) {
      if (typeof p === 'string') el.append(document.createTextNode(p));
      else {
        const m = document.createElement('mark');
        m.textContent = p.mark;
        el.append(m);
      }
    }
    document.body.append(el);
    return el;
  }

  it('measures a selection across highlight marks and emoji in characters', () => {
    const text = '👶 Baby 😢 cried; Mum 🙂 said “fine”.';
    const el = paragraphElement(['👶 Baby ', { mark: '😢 cried' }, '; Mum 🙂 said “fine”.']);
    expect(el.textContent).toBe(text);
    const mark = el.querySelector('mark')!.firstChild!;
    const tail = el.lastChild!;
    const range = document.createRange();
    // From inside the highlight ("cried") to the end of "said" in the last text node.
    range.setStart(mark, '😢 '.length);
    range.setEnd(tail, '; Mum 🙂 said'.length);
    const chars = selectionRange(el, text, range)!;
    expect(sliceChars(text, chars.start, chars.end)).toBe('cried; Mum 🙂 said');
    expect(chars).toEqual({ start: 9, end: 26 });
    el.remove();
  });

  it('cuts a triple-click selection that ends at the start of the next paragraph', () => {
    const first = paragraphElement(['First 😀 paragraph.']);
    const next = paragraphElement(['Next one.']);
    const range = document.createRange();
    range.setStart(first.firstChild!, 0);
    range.setEnd(next.firstChild!, 0);
    expect(selectedText([first, next], range)).toBe(first);
    expect(selectionRange(first, 'First 😀 paragraph.', range)).toEqual({ start: 0, end: 18 });
    first.remove();
    next.remove();
  });

  it('tells a selection across two paragraphs from one inside a single paragraph', () => {
    const a = paragraphElement(['Alpha text']);
    const b = paragraphElement(['Beta text']);
    const across = document.createRange();
    across.setStart(a.firstChild!, 2);
    across.setEnd(b.firstChild!, 4);
    expect(selectedText([a, b], across)).toBe('many');
    const inside = document.createRange();
    inside.setStart(b.firstChild!, 0);
    inside.setEnd(b.firstChild!, 4);
    expect(selectedText([a, b], inside)).toBe(b);
    const nothing = document.createRange();
    expect(selectedText([a, b], nothing)).toBeNull();
    a.remove();
    b.remove();
  });
});

describe('segments', () => {
  it('splits text at excerpt boundaries in characters and joins back to the text', () => {
    const text = 'Ann 😀 met Bob; 🐶 barked';
    const parts = segments(text, [
      { id: 'x1', start: 4, end: 9 }, // "😀 met"
      { id: 'x2', start: 8, end: 14 }, // "t Bob;", overlapping x1 on "t"
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts).toEqual([
      { text: 'Ann ', start: 0, excerptIds: [] },
      { text: '😀 me', start: 4, excerptIds: ['x1'] },
      { text: 't', start: 8, excerptIds: ['x1', 'x2'] },
      { text: ' Bob;', start: 9, excerptIds: ['x2'] },
      { text: ' 🐶 barked', start: 14, excerptIds: [] },
    ]);
  });

  it('clips ranges that run past the text and ignores empty ones', () => {
    expect(segments('abc', [{ id: 'x', start: 2, end: 99 }, { id: 'y', start: 1, end: 1 }])).toEqual([
      { text: 'ab', start: 0, excerptIds: [] },
      { text: 'c', start: 2, excerptIds: ['x'] },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection, type Command } from 'prosemirror-state';
import {
  insertCitation,
  insertFootnote,
  insertLiveBlock,
  toggleBold,
  toggleBullet,
  toggleHeading,
  toggleNumbered,
  toggleQuote,
  toolbarState,
} from './commands';
import { parseMarkdown, toMarkdown } from './markdown';

const F = '00000000-0000-4007-8000-000000000319';

/** A state on `md` with the cursor at the end (or selecting `range`). */
function stateOf(md: string, range?: [number, number]): EditorState {
  const doc = parseMarkdown(md);
  let state = EditorState.create({ doc });
  const sel = range ? TextSelection.create(doc, range[0], range[1]) : TextSelection.atEnd(doc);
  state = state.apply(state.tr.setSelection(sel));
  return state;
}

function run(state: EditorState, ...commands: Command[]): EditorState {
  for (const command of commands) {
    let next = state;
    expect(command(state, (tr) => (next = state.apply(tr)))).toBe(true);
    state = next;
  }
  return state;
}

describe('editor commands', () => {
  it('makes a heading and back to text, and the toolbar says which', () => {
    let s = run(stateOf('Background'), toggleHeading(2));
    expect(toMarkdown(s.doc)).toBe('## Background');
    expect(toolbarState(s).heading).toBe(2);
    s = run(s, toggleHeading(3));
    expect(toMarkdown(s.doc)).toBe('### Background');
    s = run(s, toggleHeading(3));
    expect(toMarkdown(s.doc)).toBe('Background');
  });

  it('bolds a selection', () => {
    const s = run(stateOf('one two', [5, 8]), toggleBold);
    expect(toMarkdown(s.doc)).toBe('one **two**');
    expect(toolbarState(s).bold).toBe(true);
  });

  it('wraps in a list, switches its kind, and lifts it out', () => {
    let s = run(stateOf('item'), toggleBullet);
    expect(toMarkdown(s.doc)).toBe('- item');
    expect(toolbarState(s)).toMatchObject({ bullet: true, numbered: false });
    s = run(s, toggleNumbered);
    expect(toMarkdown(s.doc)).toBe('1. item');
    expect(toolbarState(s)).toMatchObject({ bullet: false, numbered: true });
    s = run(s, toggleNumbered);
    expect(toMarkdown(s.doc)).toBe('item');
  });

  it('quotes and unquotes', () => {
    let s = run(stateOf('words'), toggleQuote);
    expect(toMarkdown(s.doc)).toBe('> words');
    expect(toolbarState(s).quote).toBe(true);
    s = run(s, toggleQuote);
    expect(toMarkdown(s.doc)).toBe('words');
  });

  it('puts a citation at the cursor and a live block after the paragraph', () => {
    let s = run(stateOf('Known'), insertCitation('finding', F));
    expect(toMarkdown(s.doc)).toBe(`Known[[finding:${F}]]`);
    s = run(s, insertLiveBlock('tor'));
    expect(toMarkdown(s.doc)).toBe(`Known[[finding:${F}]]\n\n[[block:tor]]`);
  });

  it('adds numbered footnotes: the reference at the cursor, the text at the end', () => {
    let s = run(stateOf('Claim'), insertFootnote);
    s = s.apply(s.tr.insertText('The source.'));
    expect(toMarkdown(s.doc)).toBe('Claim[^1]\n\n[^1]: The source.');
    // The cursor is in the note now; a second note from the claim gets the next number.
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, 6)));
    s = run(s, insertFootnote);
    expect(toMarkdown(s.doc)).toBe('Claim[^2][^1]\n\n[^1]: The source.\n\n[^2]:');
  });
});

//! What the toolbar buttons and keys do in the report editor, as ProseMirror commands, and the
//! state each button shows (pressed or not).
//!
//! Keys: Ctrl+B bold, Ctrl+I italic, Ctrl+Alt+0 body text, Ctrl+Alt+1..3 headings (1 and 2
//! give the section's top level, as the core folds `#` into `##`; 3 the level below),
//! Ctrl+Shift+8 bulleted list, Ctrl+Shift+7 numbered list, Ctrl+Shift+9 block quote,
//! Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo and redo inside the editor. Ctrl+Shift+C (cite) and
//! Ctrl+Shift+L (live block) are given by the editor component, which opens its dialogs.

import { baseKeymap, chainCommands, exitCode, lift, setBlockType, toggleMark, wrapIn } from 'prosemirror-commands';
import { redo, undo } from 'prosemirror-history';
import {
  InputRule,
  inputRules,
  textblockTypeInputRule,
  wrappingInputRule,
} from 'prosemirror-inputrules';
import { keymap } from 'prosemirror-keymap';
import type { MarkType, Node as PMNode, NodeType } from 'prosemirror-model';
import { liftListItem, sinkListItem, splitListItem, wrapInList } from 'prosemirror-schema-list';
import { NodeSelection, TextSelection, type Command, type EditorState, type Plugin } from 'prosemirror-state';
import { schema } from './schema';

const { nodes, marks } = schema;

/** Whether mark `type` is on at the cursor or over the whole selection. */
export function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

/** The innermost ancestor of the selection of type `type`, with its depth. */
function ancestor(state: EditorState, type: NodeType): { node: PMNode; depth: number } | null {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) {
    const node = $from.node(d);
    if (node.type === type) return { node, depth: d };
  }
  return null;
}

/** The nearest list around the selection, whichever kind. */
function nearestList(state: EditorState): PMNode | null {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) {
    const node = $from.node(d);
    if (node.type === nodes.bullet_list || node.type === nodes.ordered_list) return node;
  }
  return null;
}

/** The heading level of the block the cursor is in, or 0 for anything else. */
export function headingAt(state: EditorState): number {
  const parent = state.selection.$from.parent;
  return parent.type === nodes.heading ? Number(parent.attrs.level) : 0;
}

/** What each toolbar button shows as pressed. */
export interface ToolbarState {
  bold: boolean;
  italic: boolean;
  heading: number;
  bullet: boolean;
  numbered: boolean;
  quote: boolean;
}

export function toolbarState(state: EditorState): ToolbarState {
  const list = nearestList(state);
  return {
    bold: markActive(state, marks.strong),
    italic: markActive(state, marks.em),
    heading: headingAt(state),
    bullet: list?.type === nodes.bullet_list,
    numbered: list?.type === nodes.ordered_list,
    quote: ancestor(state, nodes.blockquote) !== null,
  };
}

export const toggleBold: Command = toggleMark(marks.strong);
export const toggleItalic: Command = toggleMark(marks.em);

/** Makes the block a heading of `level`, or body text when it already is one. */
export function toggleHeading(level: 2 | 3): Command {
  return (state, dispatch) => {
    if (headingAt(state) === level) return setBlockType(nodes.paragraph)(state, dispatch);
    return setBlockType(nodes.heading, { level })(state, dispatch);
  };
}

export const setParagraph: Command = setBlockType(nodes.paragraph);

/** Wraps the selection in a list of `type`, changes the list's kind, or lifts it out. */
export function toggleList(type: NodeType): Command {
  return (state, dispatch) => {
    const list = nearestList(state);
    if (list?.type === type) return liftListItem(nodes.list_item)(state, dispatch);
    if (list) {
      // Switch the kind of the list the cursor is in.
      const { $from } = state.selection;
      for (let d = $from.depth; d > 0; d--) {
        if ($from.node(d) === list) {
          if (dispatch) {
            const attrs = type === nodes.ordered_list ? { order: 1, tight: list.attrs.tight } : { tight: list.attrs.tight };
            dispatch(state.tr.setNodeMarkup($from.before(d), type, attrs).scrollIntoView());
          }
          return true;
        }
      }
    }
    return wrapInList(type)(state, dispatch);
  };
}

export const toggleBullet = toggleList(nodes.bullet_list);
export const toggleNumbered = toggleList(nodes.ordered_list);

/** Wraps the selection in a block quote, or lifts it out of the one it is in. */
export const toggleQuote: Command = (state, dispatch) => {
  if (ancestor(state, nodes.blockquote)) return lift(state, dispatch);
  return wrapIn(nodes.blockquote)(state, dispatch);
};

/** Puts a citation of `kind` `id` at the cursor (replacing any selection) and a space after. */
export function insertCitation(kind: string, id: string): Command {
  return (state, dispatch) => {
    const { $from } = state.selection;
    if (!$from.parent.inlineContent || $from.parent.type.spec.code) return false;
    if (dispatch) {
      const node = nodes.citation.create({ kind, id });
      // Citations carry no bold or italic of their own: the number looks the same everywhere.
      const tr = state.tr.replaceSelectionWith(node, false);
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** Puts a live block after the block the cursor is in (or in place of an empty paragraph). */
export function insertLiveBlock(name: string): Command {
  return (state, dispatch) => {
    const block = nodes.live_block.create({ name });
    const { $from } = state.selection;
    if (dispatch) {
      let tr = state.tr;
      if (state.selection instanceof NodeSelection && state.selection.node.isBlock) {
        tr = tr.insert(state.selection.to, block);
      } else if ($from.parent.type === nodes.paragraph && $from.parent.content.size === 0) {
        tr = tr.replaceWith($from.before(), $from.after(), block);
      } else {
        const depth = Math.max(1, $from.depth);
        tr = tr.insert($from.after(depth), block);
      }
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** The next unused numeric footnote label in `doc`. */
export function nextFootnoteLabel(doc: PMNode): string {
  const used = new Set<string>();
  doc.descendants((node) => {
    if (node.type === nodes.footnote_ref || node.type === nodes.footnote_def) used.add(String(node.attrs.label));
    return true;
  });
  let n = 1;
  while (used.has(String(n))) n++;
  return String(n);
}

/** Adds a footnote: a reference at the cursor and its text at the end, where the cursor goes. */
export const insertFootnote: Command = (state, dispatch) => {
  const { $from } = state.selection;
  if (!$from.parent.inlineContent || $from.parent.type.spec.code) return false;
  if (ancestor(state, nodes.footnote_def)) return false;
  if (dispatch) {
    const label = nextFootnoteLabel(state.doc);
    let tr = state.tr.replaceSelectionWith(nodes.footnote_ref.create({ label }), false);
    const end = tr.doc.content.size;
    tr = tr.insert(end, nodes.footnote_def.create({ label }, [nodes.paragraph.create()]));
    tr = tr.setSelection(TextSelection.create(tr.doc, end + 2));
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/** Input rules: "## " a heading, "- " or "* " a list, "1. " a numbered list, "> " a quote. */
function rules(): Plugin {
  return inputRules({
    rules: [
      textblockTypeInputRule(/^(#{1,3})\s$/, nodes.heading, (m) => ({ level: m[1].length <= 2 ? 2 : 3 })),
      wrappingInputRule(/^\s*([-+*])\s$/, nodes.bullet_list),
      wrappingInputRule(
        /^(\d+)\.\s$/,
        nodes.ordered_list,
        (m) => ({ order: Number(m[1]) }),
        (m, node) => node.childCount + Number(node.attrs.order) === Number(m[1]),
      ),
      wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
      new InputRule(/--$/, '–'),
    ],
  });
}

/** The editor's key bindings (before the base keymap). */
export function editorKeymap(extra: Record<string, Command> = {}): Plugin[] {
  const hardBreak: Command = chainCommands(exitCode, (state, dispatch) => {
    if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.hard_break.create()).scrollIntoView());
    return true;
  });
  const keys: Record<string, Command> = {
    'Mod-z': undo,
    'Shift-Mod-z': redo,
    'Mod-y': redo,
    'Mod-b': toggleBold,
    'Mod-i': toggleItalic,
    'Mod-Alt-0': setParagraph,
    'Mod-Alt-1': toggleHeading(2),
    'Mod-Alt-2': toggleHeading(2),
    'Mod-Alt-3': toggleHeading(3),
    'Shift-Mod-8': toggleBullet,
    'Shift-Mod-7': toggleNumbered,
    'Shift-Mod-9': toggleQuote,
    'Shift-Enter': hardBreak,
    Enter: splitListItem(nodes.list_item),
    'Mod-[': liftListItem(nodes.list_item),
    'Mod-]': sinkListItem(nodes.list_item),
    Tab: sinkListItem(nodes.list_item),
    'Shift-Tab': liftListItem(nodes.list_item),
    ...extra,
  };
  return [rules(), keymap(keys), keymap(baseKeymap)];
}

//! The window's keyboard shortcuts, as a pure function of a key event so they can be tested
//! without a window:
//! - Ctrl+Z undo, Ctrl+Shift+Z (or Ctrl+Y) redo — but not while typing in a text field, where
//!   the field's own undo applies;
//! - Ctrl+K opens the search palette from anywhere, text fields included;
//! - Ctrl+1..9 switch panels from anywhere.
//! Cmd stands in for Ctrl on macOS.

export type Shortcut =
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'search' }
  | { type: 'panel'; digit: number };

/** The part of a KeyboardEvent the shortcuts look at. */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'url',
  'tel',
  'password',
  'number',
  'date',
  'month',
  'week',
  'time',
  'datetime-local',
]);

/** Whether `target` is somewhere the user types text (so Ctrl+Z belongs to it). */
export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea') return true;
  if (tag === 'input') return TEXT_INPUT_TYPES.has((el as HTMLInputElement).type || 'text');
  return el.closest?.('[contenteditable="true"], [contenteditable=""]') != null;
}

/** The shortcut an event means, or `null` when it is an ordinary key press. */
export function shortcutFor(event: KeyLike): Shortcut | null {
  const mod = event.ctrlKey || event.metaKey;
  if (!mod || event.altKey) return null;
  const key = event.key.toLowerCase();
  const code = event.code ?? '';

  if (key === 'k' || code === 'KeyK') return event.shiftKey ? null : { type: 'search' };

  const digit = /^Digit([1-9])$/.exec(code)?.[1] ?? (/^[1-9]$/.test(key) ? key : null);
  if (digit && !event.shiftKey) return { type: 'panel', digit: Number(digit) };

  if (isTextField(event.target)) return null;
  if (key === 'z' || code === 'KeyZ') return event.shiftKey ? { type: 'redo' } : { type: 'undo' };
  if ((key === 'y' || code === 'KeyY') && !event.shiftKey) return { type: 'redo' };
  return null;
}

/**
 * Passes the window's Edit › Undo / Redo to the report's rich-text editor when `target` is in
 * one: its own history applies there, not the browser's. Answers whether an editor took it.
 */
export function richTextUndo(target: EventTarget | null, redo: boolean): boolean {
  const el = target as Element | null;
  const editor = el && typeof el.closest === 'function' ? el.closest('[data-rich-editor]') : null;
  const host = editor?.parentElement;
  if (!host) return false;
  host.dispatchEvent(new CustomEvent(redo ? 'threadline-redo' : 'threadline-undo'));
  return true;
}

/**
 * Arrow keys, Home and End in a tab list (the ARIA tabs pattern): the id of the tab to select
 * and focus, or `null` for any other key. Moves focus to the tab's button (`data-tab="<id>"`
 * inside the list) and stops the key's default.
 *
 *   onkeydown={(e) => (tab = tabListKey(e, TAB_IDS, tab) ?? tab)}
 */
export function tabListKey<T extends string>(event: KeyboardEvent, ids: readonly T[], current: T): T | null {
  const at = ids.indexOf(current);
  const n = ids.length;
  const to: Record<string, number> = { ArrowRight: (at + 1) % n, ArrowLeft: (at - 1 + n) % n, Home: 0, End: n - 1 };
  if (!(event.key in to)) return null;
  event.preventDefault();
  const id = ids[to[event.key]];
  (event.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>(`[data-tab="${id}"]`)?.focus();
  return id;
}

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Commands } from './commands';
import { isTextField, shortcutFor, tabListKey, type KeyLike } from './keyboard';
import { ReviewState } from './review.svelte';
import type { ReviewInfo } from './api';

function key(k: string, mods: Partial<KeyLike> = {}, target: EventTarget | null = document.body): KeyLike {
  return {
    key: k,
    code: /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : /^\d$/.test(k) ? `Digit${k}` : k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    target,
    ...mods,
  };
}

const INFO = {
  path: '/r/demo.threadline',
  details: { title: 'Child R' },
  stats: { tables: [], source_words: 0, changes: 0, file_bytes: 0 },
} as unknown as ReviewInfo;

describe('shortcutFor', () => {
  it('reads Ctrl+Z as undo and Ctrl+Shift+Z or Ctrl+Y as redo', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }))).toEqual({ type: 'undo' });
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(shortcutFor(key('y', { ctrlKey: true }))).toEqual({ type: 'redo' });
    expect(shortcutFor(key('z', { metaKey: true }))).toEqual({ type: 'undo' });
  });

  it('leaves Ctrl+Z to a text field being typed in', () => {
    const input = document.createElement('input');
    const area = document.createElement('textarea');
    const editable = document.createElement('div');
    editable.setAttribute('contenteditable', 'true');
    for (const target of [input, area, editable]) {
      expect(shortcutFor(key('z', { ctrlKey: true }, target))).toBeNull();
      expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }, target))).toBeNull();
    }
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(shortcutFor(key('z', { ctrlKey: true }, checkbox))).toEqual({ type: 'undo' });
  });

  it('opens search with Ctrl+K from anywhere, text fields included', () => {
    expect(shortcutFor(key('k', { ctrlKey: true }))).toEqual({ type: 'search' });
    const input = document.createElement('input');
    expect(shortcutFor(key('k', { ctrlKey: true }, input))).toEqual({ type: 'search' });
  });

  it('switches panels with Ctrl+1..9 and ignores Ctrl+0', () => {
    for (let d = 1; d <= 9; d++) {
      expect(shortcutFor(key(String(d), { ctrlKey: true }))).toEqual({ type: 'panel', digit: d });
    }
    expect(shortcutFor(key('0', { ctrlKey: true }))).toBeNull();
  });

  it('leaves Ctrl+Z, Ctrl+Shift+8 and Ctrl+Alt+2 to the report editor', () => {
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    const inner = document.createElement('p');
    editor.append(inner);
    expect(shortcutFor(key('z', { ctrlKey: true }, inner))).toBeNull();
    expect(shortcutFor(key('8', { ctrlKey: true, shiftKey: true }, inner))).toBeNull();
    expect(shortcutFor(key('2', { ctrlKey: true, altKey: true }, inner))).toBeNull();
    // Panels still switch from inside it.
    expect(shortcutFor(key('7', { ctrlKey: true }, inner))).toEqual({ type: 'panel', digit: 7 });
  });

  it('ignores plain keys and Alt combinations', () => {
    expect(shortcutFor(key('z'))).toBeNull();
    expect(shortcutFor(key('k'))).toBeNull();
    expect(shortcutFor(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it('knows which elements are text fields', () => {
    const date = document.createElement('input');
    date.type = 'date';
    const button = document.createElement('button');
    expect(isTextField(date)).toBe(true);
    expect(isTextField(button)).toBe(false);
    expect(isTextField(null)).toBe(false);
  });
});

describe('Commands', () => {
  let state: ReviewState;
  let now: number;
  let commands: Commands;

  beforeEach(() => {
    state = new ReviewState();
    state.info = INFO;
    now = 1000;
    commands = new Commands(state, () => now);
  });

  function press(k: string, mods: Partial<KeyLike> = {}, target?: EventTarget | null) {
    const event = { ...key(k, mods, target ?? document.body), preventDefault: vi.fn() };
    commands.keydown(event);
    return event;
  }

  it('undoes and redoes from the keyboard and stops the browser default', () => {
    const undo = vi.spyOn(state, 'undo').mockResolvedValue();
    const redo = vi.spyOn(state, 'redo').mockResolvedValue();
    const e = press('z', { ctrlKey: true });
    expect(e.preventDefault).toHaveBeenCalled();
    expect(undo).toHaveBeenCalledTimes(1);
    now += 1000;
    press('Z', { ctrlKey: true, shiftKey: true });
    expect(redo).toHaveBeenCalledTimes(1);
  });

  it('does not undo the review while typing in a field', () => {
    const undo = vi.spyOn(state, 'undo').mockResolvedValue();
    const input = document.createElement('input');
    const e = press('z', { ctrlKey: true }, input);
    expect(undo).not.toHaveBeenCalled();
    expect(e.preventDefault).not.toHaveBeenCalled();
  });

  it('switches panels with Ctrl+digit and opens the palette with Ctrl+K', () => {
    press('3', { ctrlKey: true });
    expect(state.panel).toBe('sources');
    press('7', { ctrlKey: true });
    expect(state.panel).toBe('report');
    press('8', { ctrlKey: true });
    expect(state.panel).toBe('checks');
    press('9', { ctrlKey: true });
    expect(state.panel).toBe('search');
    press('k', { ctrlKey: true });
    expect(state.paletteOpen).toBe(true);
    press('2', { ctrlKey: true });
    expect(state.panel).toBe('tor');
    expect(state.paletteOpen).toBe(false);
  });

  it('runs one undo when the key press and the menu accelerator both arrive', () => {
    const undo = vi.spyOn(state, 'undo').mockResolvedValue();
    press('z', { ctrlKey: true });
    now += 50;
    commands.menu('edit.undo');
    expect(undo).toHaveBeenCalledTimes(1);
    now += 1000;
    commands.menu('edit.undo');
    expect(undo).toHaveBeenCalledTimes(2);
  });

  it('reacts to the shell’s menu items', () => {
    const open = vi.spyOn(state, 'openFromDialog').mockResolvedValue();
    const create = vi.spyOn(state, 'createFromDialog').mockResolvedValue();
    const demo = vi.spyOn(state, 'openDemo').mockResolvedValue();
    const close = vi.spyOn(state, 'close').mockResolvedValue();
    const openPath = vi.spyOn(state, 'openPath').mockResolvedValue();
    commands.menu('file.open');
    commands.menu('file.new');
    commands.menu('file.demo');
    commands.menu('file.recent:/home/u/child a.threadline');
    commands.menu('view.findings');
    expect(state.panel).toBe('findings');
    commands.menu('edit.find');
    expect(state.paletteOpen).toBe(true);
    commands.menu('file.close');
    expect(open).toHaveBeenCalledOnce();
    expect(create).toHaveBeenCalledOnce();
    expect(demo).toHaveBeenCalledOnce();
    expect(close).toHaveBeenCalledOnce();
    expect(openPath).toHaveBeenCalledWith('/home/u/child a.threadline');
  });

  it('gives Edit › Undo and Redo to the focused report editor, not the review', () => {
    const undo = vi.spyOn(state, 'undo').mockResolvedValue();
    const host = document.createElement('div');
    const editor = document.createElement('div');
    editor.setAttribute('contenteditable', 'true');
    editor.setAttribute('data-rich-editor', 'true');
    editor.tabIndex = 0;
    host.append(editor);
    document.body.append(host);
    const heard: string[] = [];
    host.addEventListener('threadline-undo', () => heard.push('undo'));
    host.addEventListener('threadline-redo', () => heard.push('redo'));
    editor.focus();
    commands.menu('edit.undo');
    now += 1000;
    commands.menu('edit.redo');
    expect(heard).toEqual(['undo', 'redo']);
    expect(undo).not.toHaveBeenCalled();
    host.remove();
  });

  it('runs File › Import… with a review open, and not without one', () => {
    const importFiles = vi.fn();
    commands = new Commands(state, () => now, importFiles);
    commands.menu('file.import');
    expect(importFiles).toHaveBeenCalledOnce();
    state.info = null;
    commands.menu('file.import');
    expect(importFiles).toHaveBeenCalledOnce();
  });

  it('does not switch panels or search when no review is open', () => {
    state.info = null;
    press('4', { ctrlKey: true });
    commands.menu('view.chronology');
    press('k', { ctrlKey: true });
    expect(state.panel).toBe('overview');
    expect(state.paletteOpen).toBe(false);
  });
});

describe('tabListKey', () => {
  function list(): HTMLElement {
    const el = document.createElement('div');
    for (const id of ['a', 'b', 'c']) {
      const b = document.createElement('button');
      b.dataset.tab = id;
      el.append(b);
    }
    document.body.append(el);
    return el;
  }

  function press(el: HTMLElement, key: string, current: 'a' | 'b' | 'c') {
    let result: string | null = null;
    el.addEventListener('keydown', (e) => (result = tabListKey(e, ['a', 'b', 'c'] as const, current)), {
      once: true,
    });
    const event = new KeyboardEvent('keydown', { key, cancelable: true });
    el.dispatchEvent(event);
    return { result, prevented: event.defaultPrevented };
  }

  it('moves with the arrows (wrapping), Home and End, and focuses the tab', () => {
    const el = list();
    expect(press(el, 'ArrowRight', 'c')).toEqual({ result: 'a', prevented: true });
    expect(document.activeElement).toBe(el.querySelector('[data-tab="a"]'));
    expect(press(el, 'ArrowLeft', 'a').result).toBe('c');
    expect(press(el, 'Home', 'b').result).toBe('a');
    expect(press(el, 'End', 'a').result).toBe('c');
    expect(document.activeElement).toBe(el.querySelector('[data-tab="c"]'));
  });

  it('leaves other keys alone', () => {
    const el = list();
    expect(press(el, 'Enter', 'b')).toEqual({ result: null, prevented: false });
  });
});

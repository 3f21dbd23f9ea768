//! What the window does for a keyboard shortcut or a native menu item. The shell's menu has
//! accelerators for Undo, Redo and Find, so the same action can arrive twice (key press and
//! menu event) on some platforms: a repeat within `REPEAT_MS` is dropped.

import { exporter } from '../components/export/exporter.svelte';
import { importer } from './importer.svelte';
import { isPanelId } from './panels';
import { isTextField, richTextUndo, shortcutFor, type KeyLike, type Shortcut } from './keyboard';
import type { ReviewState } from './review.svelte';

/** The menu item ids the shell sends whose action does not depend on its suffix. */
export const RECENT_PREFIX = 'file.recent:';

const REPEAT_MS = 400;

type ActionName = 'undo' | 'redo' | 'search';

export class Commands {
  #last: { action: ActionName; at: number } | null = null;
  #state: ReviewState;
  #now: () => number;
  #importFiles: () => void;

  /** `importFiles` runs File › Import… (by default the window's import flow). */
  constructor(
    state: ReviewState,
    now: () => number = () => Date.now(),
    importFiles: () => void = () => void importer.choose(),
  ) {
    this.#state = state;
    this.#now = now;
    this.#importFiles = importFiles;
  }

  /** True when `action` already ran a moment ago (the other route of the same key press). */
  #repeat(action: ActionName): boolean {
    const at = this.#now();
    const last = this.#last;
    this.#last = { action, at };
    return last !== null && last.action === action && at - last.at < REPEAT_MS;
  }

  /** Runs a shortcut. */
  run(shortcut: Shortcut): void {
    const state = this.#state;
    switch (shortcut.type) {
      case 'undo':
        if (!this.#repeat('undo')) void state.undo();
        break;
      case 'redo':
        if (!this.#repeat('redo')) void state.redo();
        break;
      case 'search':
        if (!this.#repeat('search')) state.openPalette();
        break;
      case 'panel':
        if (state.info) {
          state.closePalette();
          state.showDigit(shortcut.digit);
        }
        break;
    }
  }

  /** The window's keydown handler: runs the shortcut the event means, if any. */
  keydown(event: KeyboardEvent | (KeyLike & { preventDefault(): void })): void {
    const shortcut = shortcutFor(event);
    if (!shortcut) return;
    event.preventDefault();
    this.run(shortcut);
  }

  /** Runs the native menu item `id` ("file.open", "edit.undo", "view.findings"...). */
  menu(id: string): void {
    const state = this.#state;
    if (id.startsWith(RECENT_PREFIX)) {
      void state.openPath(id.slice(RECENT_PREFIX.length));
      return;
    }
    switch (id) {
      case 'file.new':
        void state.createFromDialog();
        return;
      case 'file.open':
        void state.openFromDialog();
        return;
      case 'file.demo':
        void state.openDemo();
        return;
      case 'file.close':
        void state.close();
        return;
      case 'file.profile':
        state.profileOpen = true;
        return;
      case 'file.passphrase':
        if (state.info) state.passphraseOpen = true;
        return;
      case 'file.restore':
        if (state.info) state.restoreOpen = true;
        return;
      case 'file.import':
        if (state.info) this.#importFiles();
        return;
      case 'file.export':
        if (state.info) exporter.show();
        return;
      case 'edit.undo':
      case 'edit.redo': {
        // The menu's accelerator may have taken Ctrl+Z from a text field: give it back to the
        // field's own undo rather than undoing a saved edit.
        const active = typeof document === 'undefined' ? null : document.activeElement;
        if (isTextField(active)) {
          if (richTextUndo(active, id === 'edit.redo')) return;
          document.execCommand(id === 'edit.undo' ? 'undo' : 'redo');
          return;
        }
        this.run({ type: id === 'edit.undo' ? 'undo' : 'redo' });
        return;
      }
      case 'edit.find':
        this.run({ type: 'search' });
        return;
    }
    if (id.startsWith('view.')) {
      const panel = id.slice('view.'.length);
      if (isPanelId(panel) && state.info) {
        state.closePalette();
        state.show(panel);
      }
    }
  }
}

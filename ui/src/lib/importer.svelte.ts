//! Importing files: the one flow behind File › Import… (Ctrl+I), the Import buttons of the
//! Sources and Chronology panels, and files dropped on the window.
//!
//! `importer.choose()` asks for files in the system's chooser; `importer.start(paths)` takes
//! dropped ones. The files are imported one after another: for each, the core says what it
//! holds (`detect_format`), and the window shows the document dialog (a .docx, .txt or .md
//! becomes a source) or the chronology dialog (a .csv or .xlsx becomes chronology entries),
//! or the core's reason for refusing it (a .pdf, a .doc...). When that dialog closes, the next
//! file's opens. `ImportHost` (mounted once by App) renders whatever `importer.current` is.

import * as api from './api';
import type { FileFormat } from './types';
import { review, type ReviewState } from './review.svelte';

/** The file whose dialog is showing, and where it is in the queue. */
export type ImportStep =
  | { kind: 'document'; path: string; format: FileFormat; index: number; total: number }
  | { kind: 'chronology'; path: string; format: FileFormat; index: number; total: number }
  | { kind: 'refused'; path: string; message: string; index: number; total: number };

/** The review file extension: a dropped review is opened, not imported. */
const REVIEW_EXTENSION = '.threadline';

export class Importer {
  /** The dialog to show, or `null` when no import is under way. */
  current = $state<ImportStep | null>(null);
  /** True while files are dragged over the window (the drop hint shows). */
  dragging = $state(false);

  #queue: string[] = [];
  #index = 0;
  #total = 0;
  #state: ReviewState;

  constructor(state: ReviewState) {
    this.#state = state;
  }

  /** Files still waiting after the one showing. */
  get remaining(): number {
    return this.#queue.length;
  }

  /** Asks for files to import in the system's chooser, then imports them one by one. */
  async choose(): Promise<void> {
    if (!this.#ready()) return;
    try {
      const paths = await api.chooseFilesToImport();
      if (paths.length > 0) await this.start(paths);
    } catch (error) {
      this.#state.fail(error);
    }
  }

  /**
   * Imports `paths` one after another (files dropped on the window or chosen). A review file
   * dropped alone is opened instead. Files arriving while an import is showing wait for it.
   */
  async start(paths: string[]): Promise<void> {
    const files = paths.filter((p) => p.trim() !== '');
    if (files.length === 0) return;
    if (files.length === 1 && files[0].toLowerCase().endsWith(REVIEW_EXTENSION)) {
      if (this.current) {
        this.#state.notify('Finish the import first, then open the review.', 'error');
        return;
      }
      await this.#state.openPath(files[0]);
      return;
    }
    if (!this.#ready()) return;
    if (this.current) {
      this.#queue.push(...files);
      this.#total += files.length;
      this.current = { ...this.current, total: this.#total };
      return;
    }
    this.#queue = [...files];
    this.#index = 0;
    this.#total = files.length;
    await this.#next();
  }

  /** The dialog of the current file has closed: show the next file's, if any. */
  async finish(): Promise<void> {
    this.current = null;
    await this.#next();
  }

  /** Forgets every import (the review was closed or another one opened). */
  reset(): void {
    this.#queue = [];
    this.#index = 0;
    this.#total = 0;
    this.current = null;
    this.dragging = false;
  }

  /** Drops the files still waiting (the current dialog closes as usual). */
  skipRest(): void {
    this.#queue = [];
    this.#total = this.#index;
    if (this.current) this.current = { ...this.current, total: this.#index };
  }

  /** The drag-and-drop events of the window. */
  onDragDrop(event: api.DragDrop): void {
    switch (event.type) {
      case 'enter':
      case 'over':
        this.dragging = true;
        break;
      case 'leave':
        this.dragging = false;
        break;
      case 'drop':
        this.dragging = false;
        void this.start(event.paths);
        break;
    }
  }

  #ready(): boolean {
    if (this.#state.info) return true;
    this.#state.notify('Open a review first, then import files into it.', 'error');
    return false;
  }

  async #next(): Promise<void> {
    const path = this.#queue.shift();
    if (path === undefined) {
      this.#index = 0;
      this.#total = 0;
      return;
    }
    this.#index += 1;
    const place = { path, index: this.#index, total: this.#total };
    try {
      const format = await api.detectFormat(path);
      const kind = format === 'csv' || format === 'xlsx' ? 'chronology' : 'document';
      this.current = { kind, format, ...place };
    } catch (error) {
      this.current = { kind: 'refused', message: api.describe(error), ...place };
    }
  }
}

/** "2 of 3" when several files are being imported, else "". */
export function queueNote(step: Pick<ImportStep, 'index' | 'total'>): string {
  return step.total > 1 ? `File ${step.index} of ${step.total}` : '';
}

/** The window's import flow. */
export const importer = new Importer(review);

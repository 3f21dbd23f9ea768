//! The window's shared state: which review is open, which panel shows, the edit revision that
//! panels reload on, navigation requests between panels, undo/redo labels, the search palette
//! and the toasts. One instance, `review`, imported by the frame and by every panel.
//!
//! How panels use it:
//! - Reload when `review.revision` changes (read it inside an `$effect` or `$derived`), so an
//!   edit anywhere, an undo or a redo refreshes every panel that shows the data.
//! - Make an edit with `review.edit(() => api.updateTor(id, input), 'Saved')`: it reports a
//!   failure as a toast with a human sentence, bumps the revision on success and refreshes the
//!   undo labels. It resolves to the command's result, or `undefined` when it failed.
//! - Jump to another panel's record with `review.navigate({ panel: 'sources', kind: 'excerpt',
//!   id, sourceId, paragraphId, excerptId })`. The target panel reads
//!   `review.navigationFor('sources')` in an `$effect`, shows the record, then calls
//!   `review.finishNavigation(request.seq)`.

import * as api from './api';
import type { Progress, ProgressHandler, ReviewInfo } from './api';
import { PANELS, startPanel, type PanelId } from './panels';
import type { Actor, Role, SnapshotInfo } from './types';

/** What a navigation asks a panel to show. */
export interface NavigationTarget {
  /** The panel that should show the record. */
  panel: PanelId;
  /**
   * The kind of record, as search hits name them: paragraph, excerpt, source,
   * chronology_entry, finding, theme, recommendation, action, section, tor_item.
   */
  kind: string;
  /** The record's id. */
  id: string;
  /** The source to open, for paragraphs, excerpts and sources. */
  sourceId?: string | null;
  /** The paragraph to scroll to, for paragraphs and excerpts. */
  paragraphId?: string | null;
  /** The excerpt to highlight. */
  excerptId?: string | null;
}

/** A navigation with its sequence number (each request gets a new one). */
export interface NavigationRequest extends NavigationTarget {
  seq: number;
}

export type ToastKind = 'info' | 'error';

/** A long operation under way, as the progress dialog shows it. */
export interface Activity extends Progress {
  /** What the operation is, for the dialog's title ("Importing notes.txt"). */
  title: string;
}

export interface ToastMessage {
  id: number;
  kind: ToastKind;
  text: string;
}

/** How long a toast stays, in milliseconds. */
const TOAST_MS: Record<ToastKind, number> = { info: 4000, error: 10000 };

/** A review that is open elsewhere, as the dialog that offers to open it read-only shows it. */
export interface Elsewhere {
  path: string;
  /** Where it is open, in a sentence. */
  message: string;
  /** The lock names another computer, which may have stopped: taking over is offered. */
  anotherComputer: boolean;
}

/** Where a search hit (or any located record) is shown. */
export function panelForKind(kind: string): PanelId {
  switch (kind) {
    case 'paragraph':
    case 'excerpt':
    case 'source':
      return 'sources';
    case 'chronology_entry':
    case 'chronology':
      return 'chronology';
    case 'finding':
    case 'theme':
      return 'findings';
    case 'recommendation':
    case 'action':
      return 'recommendations';
    case 'tor_item':
    case 'tor':
      return 'tor';
    case 'section':
      return 'report';
    case 'person':
      return 'register';
    default:
      return 'overview';
  }
}

export class ReviewState {
  /** The open review (path, details, stats), or `null` on the welcome screen. */
  info = $state<ReviewInfo | null>(null);
  /** True until the first `load()` has answered. */
  loading = $state(true);
  /** Bumped after every edit, undo, redo and open: panels reload when it changes. */
  revision = $state(0);
  /** The panel in view. */
  panel = $state<PanelId>('overview');
  /** The last navigation request, until the panel it names finishes it. */
  navigation = $state<NavigationRequest | null>(null);
  /** What Undo would undo ("Add term of reference"), or `null`. */
  undoLabel = $state<string | null>(null);
  /** What Redo would redo, or `null`. */
  redoLabel = $state<string | null>(null);
  /** Whether the Ctrl+K search palette is open. */
  paletteOpen = $state(false);
  /** Recently opened files, most recent first. */
  recent = $state<string[]>([]);
  /** Messages on screen, oldest first. */
  toasts = $state<ToastMessage[]>([]);
  /** True while a file is being opened or created. */
  busy = $state(false);
  /** The long operation under way (an import), or `null`: the progress dialog shows it. */
  activity = $state<Activity | null>(null);
  /** Who is working on this machine, or `null` before they said. */
  profile = $state<Actor | null>(null);
  /** Whether the "who is working" dialog is open (on first start, or from the File menu). */
  profileOpen = $state(false);
  /** A protected review waiting for its passphrase (the passphrase dialog shows), or `null`. */
  unlockPath = $state<string | null>(null);
  /**
   * A review that is open elsewhere, waiting for the person to open it read-only (or take it
   * over from a computer that stopped): the dialog for it shows while it is set.
   */
  elsewhere = $state<Elsewhere | null>(null);
  /** The passphrase the review waiting in `unlockPath` was last opened with (kept for
   * `elsewhere`, never shown). */
  #elsewherePassphrase: string | undefined;
  /** Where a new review will be made, while the window asks whether to protect it, or `null`. */
  newPath = $state<string | null>(null);
  /** Whether the File › Passphrase… dialog is open. */
  passphraseOpen = $state(false);
  /** Whether the File › Restore from a backup… dialog is open. */
  restoreOpen = $state(false);

  #nextToast = 1;
  #nextNavigation = 1;
  #nextActivity = 1;
  #activityToken = 0;

  /** The review's title, or its file name when it has none. */
  get title(): string {
    const info = this.info;
    if (!info) return '';
    return info.details.title.trim() || fileName(info.path);
  }

  /** Asks the shell what is open; called at start and when the shell says it changed. */
  async load(): Promise<void> {
    try {
      const [info, recent, profile] = await Promise.all([
        api.currentReview(),
        api.recentFiles(),
        api.profile(),
      ]);
      this.recent = recent;
      this.profile = profile;
      // First start on this machine: ask who is working before anything is recorded.
      this.profileOpen = profile === null;
      this.applyInfo(info);
      // A review the shell could not reopen at start without the person: opening it here
      // asks for its passphrase, or how to open it when it is open elsewhere.
      const waiting = info ? null : await api.lockedReview().catch(() => null);
      if (waiting) void this.openPath(waiting);
    } catch (error) {
      this.fail(error);
    } finally {
      this.loading = false;
    }
  }

  /**
   * Takes what the shell says is open (at start, after opening or closing, and on its
   * `review-changed` event). A different file resets the panel and navigation.
   */
  applyInfo(info: ReviewInfo | null): void {
    const pathChanged = info?.path !== this.info?.path;
    this.info = info;
    if (pathChanged) {
      this.navigation = null;
      this.panel = startPanel(this.profile?.role);
    }
    this.revision += 1;
    void this.refreshUndo();
  }

  /**
   * Remembers who is working. Resolves to `null` when saved, or to what was wrong (a sentence
   * for the dialog, which stays open).
   */
  async saveProfile(name: string, role: Role): Promise<string | null> {
    try {
      this.profile = await api.saveProfile(name, role);
      this.profileOpen = false;
      return null;
    } catch (error) {
      return api.describe(error);
    }
  }

  /** Re-reads the undo and redo labels. */
  async refreshUndo(): Promise<void> {
    if (!this.info) {
      this.undoLabel = null;
      this.redoLabel = null;
      return;
    }
    try {
      const [undo, redo] = await api.undoState();
      this.undoLabel = undo;
      this.redoLabel = redo;
    } catch {
      this.undoLabel = null;
      this.redoLabel = null;
    }
  }

  /**
   * Call after any change to the review made outside `edit()`: bumps the revision so panels
   * reload, and refreshes the undo labels and the header's title and counts.
   */
  async changed(): Promise<void> {
    this.revision += 1;
    await Promise.all([this.refreshUndo(), this.#refreshInfo()]);
  }

  /**
   * Re-reads the details (the header's title) after an edit. Only the details: the counts in
   * `info.stats` cost a pass over every paragraph on a large review, and the Overview reads
   * its own.
   */
  async #refreshInfo(): Promise<void> {
    const path = this.info?.path;
    if (!path) return;
    try {
      const details = await api.details();
      if (this.info && this.info.path === path) this.info = { ...this.info, details };
    } catch {
      // The header keeps its last title; the edit itself already succeeded.
    }
  }

  /**
   * Runs a long operation while the progress dialog shows what it reports: `run` gets the
   * handler to pass to the command (`(report) => api.importChronology(path, mapping, report)`).
   * The dialog goes when the operation ends, whether it succeeded or failed.
   */
  async withProgress<T>(title: string, run: (report: ProgressHandler) => Promise<T>): Promise<T> {
    const token = this.#nextActivity++;
    const current = () => this.activity !== null && this.#activityToken === token;
    this.#activityToken = token;
    this.activity = { title, stage: 'Starting', done: 0, total: 0 };
    try {
      return await run((progress) => {
        if (current()) this.activity = { title, ...progress };
      });
    } finally {
      if (current()) this.activity = null;
    }
  }

  /**
   * Runs one edit. On success: the revision goes up, `done` (if given) is shown as a toast,
   * and the result is returned. On failure: a toast says what went wrong in a human sentence
   * and `undefined` is returned. Pass `{ rethrow: true }` to handle the failure yourself
   * (the toast is then not shown).
   */
  async edit<T>(
    run: () => Promise<T>,
    done?: string | ((result: T) => string),
    options: { rethrow?: boolean } = {},
  ): Promise<T | undefined> {
    let result: T;
    try {
      result = await run();
    } catch (error) {
      if (options.rethrow) throw api.toAppError(error);
      this.fail(error);
      return undefined;
    }
    await this.changed();
    if (done) this.notify(typeof done === 'string' ? done : done(result));
    return result;
  }

  /** Undoes the last edit and says what was undone. */
  async undo(): Promise<void> {
    await this.#replay(api.undo, 'Undid', 'Nothing to undo');
  }

  /** Redoes the last undone edit and says what was redone. */
  async redo(): Promise<void> {
    await this.#replay(api.redo, 'Redid', 'Nothing to redo');
  }

  /** Undo or redo: says what was done; an empty history is information, not an error. */
  async #replay(run: () => Promise<string>, did: string, nothing: string): Promise<void> {
    if (!this.info) return;
    try {
      const summary = await run();
      await this.changed();
      this.notify(`${did}: ${summary}`);
    } catch (error) {
      if (api.toAppError(error).code === 'nothing_to_undo') this.notify(nothing);
      else this.fail(error);
      void this.refreshUndo();
    }
  }

  /** Shows a panel. */
  show(panel: PanelId): void {
    this.panel = panel;
  }

  /** Shows the panel at 1-based `digit` in the sidebar (Ctrl+digit). */
  showDigit(digit: number): void {
    const spec = PANELS.find((p) => p.digit === digit);
    if (spec) this.show(spec.id);
  }

  /** Switches to the target's panel and asks it to show the record. */
  navigate(target: NavigationTarget): void {
    const request: NavigationRequest = { ...target, seq: this.#nextNavigation++ };
    this.navigation = request;
    this.paletteOpen = false;
    this.panel = target.panel;
  }

  /** The pending navigation for `panel`, if any. */
  navigationFor(panel: PanelId): NavigationRequest | null {
    const request = this.navigation;
    return request && request.panel === panel ? request : null;
  }

  /** Marks a navigation as done, so the panel does not jump there again on its next reload. */
  finishNavigation(seq: number): void {
    if (this.navigation?.seq === seq) this.navigation = null;
  }

  openPalette(): void {
    if (this.info) this.paletteOpen = true;
  }

  closePalette(): void {
    this.paletteOpen = false;
  }

  /** Shows a confirmation or status message. */
  notify(text: string, kind: ToastKind = 'info'): void {
    const id = this.#nextToast++;
    this.toasts = [...this.toasts, { id, kind, text }];
    setTimeout(() => this.dismiss(id), TOAST_MS[kind]);
  }

  /** Shows what went wrong, as a sentence. */
  fail(error: unknown): void {
    this.notify(api.describe(error), 'error');
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  // -------------------------------------------------------------------------------------------
  // Opening and closing files

  async #openWith(
    run: () => Promise<ReviewInfo>,
    done: (info: ReviewInfo) => string,
    failed: (error: api.AppError) => boolean = () => false,
  ) {
    this.busy = true;
    try {
      await this.#opened(await run(), done);
    } catch (error) {
      if (!failed(api.toAppError(error))) this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  /** Shows a review the shell just opened. */
  async #opened(info: ReviewInfo, done: (info: ReviewInfo) => string): Promise<void> {
    this.applyInfo(info);
    this.notify(done(info));
    this.recent = await api.recentFiles().catch(() => this.recent);
  }

  /**
   * Opens the review at `path`. A protected one opens the passphrase dialog instead
   * (`unlockPath`), which calls `unlock`.
   */
  async openPath(path: string): Promise<void> {
    await this.#openWith(() => api.openReview(path), openedText, (error) => {
      if (this.#heldElsewhere(path, error, undefined)) return true;
      if (error.code !== 'passphrase_needed') return false;
      this.unlockPath = path;
      return true;
    });
  }

  /** When `error` says the review is open elsewhere, asks how to open it instead. */
  #heldElsewhere(path: string, error: api.AppError, passphrase: string | undefined): boolean {
    if (error.code !== 'open_elsewhere' && error.code !== 'open_on_another_computer') return false;
    this.#elsewherePassphrase = passphrase;
    this.elsewhere = {
      path,
      message: api.describe(error),
      anotherComputer: error.code === 'open_on_another_computer',
    };
    return true;
  }

  /**
   * Opens the review waiting in `elsewhere` read-only, or takes it over from a computer that
   * stopped. Resolves to `null` when it opened, else to what was wrong (shown in the dialog).
   */
  async openElsewhere(how: 'read_only' | 'take_over'): Promise<string | null> {
    const waiting = this.elsewhere;
    if (!waiting) return null;
    this.busy = true;
    try {
      const info = await api.openReview(waiting.path, this.#elsewherePassphrase, how);
      this.elsewhere = null;
      this.#elsewherePassphrase = undefined;
      await this.#opened(info, (i) =>
        i.read_only ? `Opened ${fileName(i.path)} read-only` : openedText(i),
      );
      return null;
    } catch (error) {
      return api.describe(error);
    } finally {
      this.busy = false;
    }
  }

  /** Leaves the review that is open elsewhere closed. */
  cancelElsewhere(): void {
    this.elsewhere = null;
    this.#elsewherePassphrase = undefined;
  }

  /**
   * Opens the review waiting for its passphrase with `passphrase`. Resolves to `null` when it
   * opened, or to what was wrong (a wrong passphrase, said without any hint of the content),
   * which the dialog shows while it stays open.
   */
  async unlock(passphrase: string): Promise<string | null> {
    const path = this.unlockPath;
    if (path === null) return null;
    this.busy = true;
    try {
      const info = await api.openReview(path, passphrase);
      this.unlockPath = null;
      await this.#opened(info, openedText);
      return null;
    } catch (error) {
      if (this.#heldElsewhere(path, api.toAppError(error), passphrase)) {
        this.unlockPath = null;
        return null;
      }
      return api.describe(error);
    } finally {
      this.busy = false;
    }
  }

  /** Leaves the protected review closed; whatever was open stays open. */
  cancelUnlock(): void {
    this.unlockPath = null;
  }

  /** Asks for a review file and opens it. */
  async openFromDialog(): Promise<void> {
    try {
      const path = await api.chooseReviewToOpen();
      if (path) await this.openPath(path);
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Asks where to create a new review, then whether to protect it (the dialog for `newPath`
   * calls `create`).
   */
  async createFromDialog(): Promise<void> {
    try {
      const path = await api.chooseReviewToCreate();
      if (path) this.newPath = path;
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Creates the new review at `newPath`, protected with `passphrase` or unprotected (`null`),
   * and opens it. Resolves to `null` when made, or to what was wrong for the dialog.
   */
  async create(passphrase: string | null): Promise<string | null> {
    const path = this.newPath;
    if (path === null) return null;
    this.busy = true;
    try {
      const info = await api.newReview(path, passphrase ?? undefined);
      this.newPath = null;
      await this.#opened(info, (i) =>
        passphrase === null
          ? `Created ${fileName(i.path)}`
          : `Created ${fileName(i.path)}, protected with a passphrase`,
      );
      return null;
    } catch (error) {
      return api.describe(error);
    } finally {
      this.busy = false;
    }
  }

  /** Makes no new review after all. */
  cancelCreate(): void {
    this.newPath = null;
  }

  /**
   * Protects the open review, changes its passphrase or removes the protection (those two
   * need `current`, the passphrase now), while the progress dialog shows that the file is
   * being rewritten. Resolves to `null` when done, or to what was wrong for the dialog.
   */
  async setPassphrase(action: 'add' | 'change' | 'remove', passphrase = '', current = ''): Promise<string | null> {
    if (!this.info) return null;
    const work = {
      add: { title: 'Protecting the review', run: () => api.addPassphrase(passphrase), done: 'The review is now protected with a passphrase' },
      change: { title: 'Changing the passphrase', run: () => api.changePassphrase(current, passphrase), done: 'The passphrase was changed' },
      remove: { title: 'Removing the protection', run: () => api.removePassphrase(current), done: 'The review is no longer protected' },
    }[action];
    try {
      const encrypted = await this.withProgress(work.title, (report) => {
        report({ stage: 'Rewriting the review file and its backups', done: 0, total: 0 });
        return work.run();
      });
      if (this.info) this.info = { ...this.info, encrypted };
      this.passphraseOpen = false;
      this.notify(work.done);
      return null;
    } catch (error) {
      return api.describe(error);
    }
  }

  /**
   * Restores the open review from `snapshot` (the shell first keeps the current state as a
   * snapshot), then reloads every panel. Resolves to `null` when done, or to what was wrong.
   */
  async restore(snapshot: SnapshotInfo): Promise<string | null> {
    try {
      const info = await this.withProgress('Restoring from a backup', (report) => {
        report({ stage: 'Keeping the current state, then restoring', done: 0, total: 0 });
        return api.restoreSnapshot(snapshot.path);
      });
      this.restoreOpen = false;
      this.applyInfo(info);
      this.notify('Restored the backup. The state before it was kept as a backup too.');
      return null;
    } catch (error) {
      return api.describe(error);
    }
  }

  /** Opens the invented demo review. */
  async openDemo(): Promise<void> {
    await this.#openWith(() => api.openDemo(), () => 'Opened the demo review');
  }

  /** Closes the review and returns to the welcome screen. */
  async close(): Promise<void> {
    if (!this.info) return;
    try {
      await api.closeReview();
      this.paletteOpen = false;
      this.applyInfo(null);
      this.recent = await api.recentFiles().catch(() => this.recent);
    } catch (error) {
      this.fail(error);
    }
  }
}

function openedText(info: ReviewInfo): string {
  return `Opened ${info.details.title || fileName(info.path)}`;
}

/** The last part of a path, for either separator. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** The window's state. */
export const review = new ReviewState();

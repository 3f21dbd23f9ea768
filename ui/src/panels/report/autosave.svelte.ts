//! Autosave for the section being edited: a save runs `DELAY_MS` after the last change, or at
//! once on `flush()` (blur, switching section or panel). A failed save keeps the text in the
//! editor and says why; `flush()` again (the Retry button) tries again. Changes made while a
//! save is running are saved by the next one.

/** How long typing must pause before a save, in milliseconds. */
export const DELAY_MS = 800;

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error';

export class Autosave {
  /** Where the text stands: all saved, waiting to save, saving, or the last save failed. */
  status = $state<SaveStatus>('saved');
  /** Why the last save failed, as a sentence; `null` otherwise. */
  error = $state<string | null>(null);

  #save: () => Promise<void>;
  #describe: (error: unknown) => string;
  #delay: number;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #edits = 0;
  #saved = 0;
  #running: Promise<boolean> | null = null;

  /** `save` writes the current text (it reads the text itself, when it runs). */
  constructor(save: () => Promise<void>, describe: (error: unknown) => string, delay = DELAY_MS) {
    this.#save = save;
    this.#describe = describe;
    this.#delay = delay;
  }

  /** True when there are changes not yet saved. */
  get dirty(): boolean {
    return this.#edits !== this.#saved;
  }

  /** The text changed: save after the pause. */
  changed(): void {
    this.#edits += 1;
    if (this.status !== 'saving' && this.status !== 'error') this.status = 'pending';
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#delay);
  }

  /** Saves now if anything is unsaved; resolves to whether everything is saved. */
  async flush(): Promise<boolean> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#running) await this.#running;
    if (!this.dirty) return true;
    this.#running = this.#run();
    try {
      return await this.#running;
    } finally {
      this.#running = null;
    }
  }

  async #run(): Promise<boolean> {
    const at = this.#edits;
    this.status = 'saving';
    try {
      await this.#save();
    } catch (error) {
      this.status = 'error';
      this.error = this.#describe(error);
      return false;
    }
    this.#saved = at;
    this.error = null;
    if (this.dirty) {
      this.status = 'pending';
      this.#schedule();
      return false;
    }
    this.status = 'saved';
    return true;
  }

  /** Starts afresh on newly loaded text (nothing unsaved), dropping any pending save. */
  reset(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#saved = this.#edits;
    this.status = 'saved';
    this.error = null;
  }

  /** Stops the timer (the panel is going away; call `flush()` first to keep the text). */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

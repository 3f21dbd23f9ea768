//! What every review panel does to show its data: fetch it when the panel opens and again after
//! every edit, undo or redo (`review.revision`), keep only the newest answer when fetches
//! overlap, say what went wrong in a toast, and, once the data is there, follow the navigation
//! requests made for the panel (search results, evidence chips, deadlines).
//!
//! Call `panelData` while a panel component initialises (it sets up `$effect`s):
//!
//!   const data = panelData({
//!     panel: 'findings',
//!     fetch: () => Promise.all([api.themes(), api.findings()]),
//!     apply: ([t, f]) => { themes = t; findings = f; },
//!     follow: (request) => reveal(request.id),
//!   });
//!   ... {#if !data.loaded} Loading… {/if}

import { untrack } from 'svelte';

import type { PanelId } from './panels';
import { review, type NavigationRequest } from './review.svelte';

export interface PanelDataOptions<T> {
  /** The panel whose navigation requests `follow` receives. */
  panel: PanelId;
  /** Fetches everything the panel shows. */
  fetch: () => Promise<T>;
  /** Takes a fetched answer into the panel's state (only the newest answer is applied). */
  apply: (data: T) => void;
  /** Shows a navigation's record; called once the first fetch answered, after the request is
   * marked finished. */
  follow?: (request: NavigationRequest) => void | Promise<void>;
}

export interface PanelData {
  /** True once the first fetch answered (or failed). */
  readonly loaded: boolean;
  /** Fetches again now. */
  reload(): Promise<void>;
}

export function panelData<T>(options: PanelDataOptions<T>): PanelData {
  let loaded = $state(false);
  let latest = 0;

  async function reload(): Promise<void> {
    const seq = ++latest;
    try {
      const data = await options.fetch();
      if (seq === latest) options.apply(data);
    } catch (error) {
      if (seq === latest) review.fail(error);
    } finally {
      if (seq === latest) loaded = true;
    }
  }

  $effect(() => {
    void review.revision;
    untrack(() => void reload());
  });

  const follow = options.follow;
  if (follow) {
    // A navigation made as the panel opens waits for the first fetch to find its record.
    $effect(() => {
      const request = review.navigationFor(options.panel);
      if (!request || !loaded) return;
      untrack(() => {
        review.finishNavigation(request.seq);
        void follow(request);
      });
    });
  }

  return {
    get loaded() {
      return loaded;
    },
    reload,
  };
}

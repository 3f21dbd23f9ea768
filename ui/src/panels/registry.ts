//! Finds each panel's component: `panels/<id>/<Name>Panel.svelte` (e.g.
//! `panels/sources/SourcesPanel.svelte`). Panels are found by file name, so a panel folder can
//! be built separately; a panel whose file is missing shows a notice instead.
//!
//! A panel component takes no props: it reads `review` from `lib/review.svelte.ts` (reloading
//! when `review.revision` changes, and showing `review.navigationFor('<id>')`), and renders
//! a `<div class="panel">` with a `.panel-header` (holding the panel's `<h1>`) and a
//! `.panel-body`.

import type { Component } from 'svelte';
import { PANELS, type PanelId } from '../lib/panels';

type Loader = () => Promise<{ default: Component }>;

// Each panel is its own chunk, fetched from the app the first time it is shown: the window
// starts with the frame and the first panel only, and the report editor's libraries are not
// parsed or kept by the webview until the Report panel is opened.
const found = import.meta.glob<{ default: Component }>('./*/*Panel.svelte');

/** The component file each panel is expected to have, by folder. */
export const EXPECTED: Record<PanelId, string> = {
  overview: 'OverviewPanel.svelte',
  tor: 'TorPanel.svelte',
  sources: 'SourcesPanel.svelte',
  chronology: 'ChronologyPanel.svelte',
  findings: 'FindingsPanel.svelte',
  recommendations: 'RecommendationsPanel.svelte',
  report: 'ReportPanel.svelte',
  review: 'ReviewPanel.svelte',
  register: 'RegisterPanel.svelte',
  checks: 'ChecksPanel.svelte',
  search: 'SearchPanel.svelte',
};

function pick(id: PanelId): Loader | null {
  const exact = found[`./${id}/${EXPECTED[id]}`];
  if (exact) return exact;
  const inFolder = Object.entries(found).filter(([path]) => path.startsWith(`./${id}/`));
  return inFolder.length === 1 ? inFolder[0][1] : null;
}

/** How to load each panel's component, or `null` when the panel is not built. */
export const PANEL_LOADERS: Record<PanelId, Loader | null> = Object.fromEntries(
  PANELS.map((p) => [p.id, pick(p.id)]),
) as Record<PanelId, Loader | null>;

//! The panels of the main window, in sidebar order. Ctrl+1..9 and the shell's `view.<id>` menu
//! items switch to them by this order and these ids.

export type PanelId =
  | 'overview'
  | 'tor'
  | 'sources'
  | 'chronology'
  | 'findings'
  | 'recommendations'
  | 'report'
  | 'review'
  | 'register'
  | 'checks'
  | 'search';

export interface PanelSpec {
  id: PanelId;
  /** The name in the sidebar and the panel's heading. */
  label: string;
  /** Ctrl+<digit> switches to it; panels past the ninth have none. */
  digit?: number;
}

export const PANELS: readonly PanelSpec[] = [
  { id: 'overview', label: 'Overview', digit: 1 },
  { id: 'tor', label: 'Terms of reference', digit: 2 },
  { id: 'sources', label: 'Sources & IMRs', digit: 3 },
  { id: 'chronology', label: 'Chronology', digit: 4 },
  { id: 'findings', label: 'Themes & findings', digit: 5 },
  { id: 'recommendations', label: 'Recommendations', digit: 6 },
  { id: 'report', label: 'Report', digit: 7 },
  { id: 'review', label: 'Review' },
  { id: 'register', label: 'Names & pseudonyms' },
  { id: 'checks', label: 'Checks', digit: 8 },
  { id: 'search', label: 'Search', digit: 9 },
];

export function isPanelId(value: string): value is PanelId {
  return PANELS.some((p) => p.id === value);
}

export function panelLabel(id: PanelId): string {
  return PANELS.find((p) => p.id === id)?.label ?? id;
}

/**
 * The panel a review opens on for someone in `role`: the chair starts where drafts are
 * reviewed, when this build has that panel; everyone else on the overview.
 */
export function startPanel(role: string | null | undefined): PanelId {
  const wanted: Record<string, string> = { chair: 'review' };
  const panel = role ? wanted[role] : undefined;
  return panel && isPanelId(panel) ? panel : 'overview';
}

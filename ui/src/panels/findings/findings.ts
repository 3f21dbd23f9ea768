//! The Themes & findings panel's plain logic: kind names and findings grouped under themes.

import { FINDING_KIND } from '../../lib/labels';
import type { Finding, FindingKind, Theme } from '../../lib/types';

/** A finding's kind in words (the app-wide labels). */
export const KIND_LABEL = FINDING_KIND;

export const KINDS = Object.keys(KIND_LABEL) as FindingKind[];

export interface ThemeGroup {
  theme: Theme;
  findings: Finding[];
}

/**
 * Findings under their themes, themes in order, findings in report order; plus the findings
 * under no theme (or a theme that no longer exists), which the panel shows last.
 */
export function groupFindings(
  themes: readonly Theme[],
  findings: readonly Finding[],
): { groups: ThemeGroup[]; unthemed: Finding[] } {
  const groups = themes.map((theme) => ({ theme, findings: [] as Finding[] }));
  const byId = new Map(groups.map((g) => [g.theme.id, g]));
  const unthemed: Finding[] = [];
  for (const f of findings) {
    const group = f.theme_id === null ? undefined : byId.get(f.theme_id);
    if (group) group.findings.push(f);
    else unthemed.push(f);
  }
  return { groups, unthemed };
}

//! The words people read for the core's enum values (which are snake_case codes).

import type {
  ActionStatus,
  BoardResponse,
  Confidence,
  FindingKind,
  Origin,
  Relation,
  ReviewStatus,
  ReviewType,
  Role,
  Significance,
  SourceKind,
  TorKind,
} from './types';

export const REVIEW_TYPE: Record<ReviewType, string> = {
  scr: 'Serious case review',
  cspr: 'Child safeguarding practice review',
  sar: 'Safeguarding adults review',
  dhr: 'Domestic homicide review',
  other: 'Other review',
};

export const REVIEW_STATUS: Record<ReviewStatus, string> = {
  scoping: 'Scoping',
  gathering: 'Gathering information',
  analysis: 'Analysis',
  drafting: 'Drafting',
  panel_review: 'Panel review',
  approved: 'Approved',
  published: 'Published',
};

export const TOR_KIND: Record<TorKind, string> = {
  generic: 'Generic',
  case_specific: 'Case-specific',
};

export const SOURCE_KIND: Record<SourceKind, string> = {
  imr: 'IMR',
  chronology: 'Agency chronology',
  interview: 'Interview',
  minutes: 'Minutes',
  health_overview: 'Health overview',
  prior_review: 'Prior review',
  other: 'Other',
};

export const CONFIDENCE: Record<Confidence, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  not_rated: 'Not rated',
};

export const SIGNIFICANCE: Record<Significance, string> = {
  routine: 'Routine',
  significant: 'Significant',
  key_practice_episode: 'Key practice episode',
};

export const FINDING_KIND: Record<FindingKind, string> = {
  practice: 'Practice',
  systemic: 'Systemic',
  good_practice: 'Good practice',
  conclusion: 'Conclusion',
};

export const RELATION: Record<Relation, string> = {
  supports: 'Supports',
  contradicts: 'Contradicts',
  context: 'Context',
};

export const ORIGIN: Record<Origin, string> = {
  overview_author: 'Overview author',
  agency_imr: 'Agency IMR',
  health_overview: 'Health overview',
  other: 'Other',
};

export const BOARD_RESPONSE: Record<BoardResponse, string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export const ACTION_STATUS: Record<ActionStatus, string> = {
  not_started: 'Not started',
  on_track: 'On track',
  at_risk: 'At risk',
  overdue: 'Overdue',
  complete: 'Complete',
};

/** The roles a person can give on this machine, in the order the "who is working" dialog lists. */
export const ROLE_CHOICES: readonly { role: Role; label: string; hint: string }[] = [
  { role: 'author', label: 'Overview author', hint: 'Writes the overview report and summary.' },
  { role: 'chair', label: 'Panel chair', hint: 'Reviews the drafts, comments and approves.' },
  { role: 'panel member', label: 'Panel member', hint: 'Reads drafts and comments on them.' },
  {
    role: 'business manager',
    label: 'Business manager',
    hint: 'Keeps the review on track for the partnership.',
  },
];

/** How a stored role word is named to people ("chair" → "Panel chair"). */
export function roleLabel(role: string): string {
  return ROLE_CHOICES.find((c) => c.role === role)?.label ?? role;
}

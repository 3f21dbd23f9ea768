//! The Recommendations & action plan panel's plain logic: names for origins, responses and
//! action statuses, recommendations grouped by origin, and the inputs sent back on an edit.

import type {
  Action,
  ActionInput,
  ActionStatus,
  Agency,
  BoardResponse,
  Origin,
  Recommendation,
  RecommendationInput,
} from '../../lib/types';

export const ORIGIN_LABEL: Record<Origin, string> = {
  overview_author: 'Overview author',
  agency_imr: 'An agency’s IMR',
  health_overview: 'Health overview',
  other: 'Other',
};

export const ORIGINS = Object.keys(ORIGIN_LABEL) as Origin[];

export const RESPONSE_LABEL: Record<BoardResponse, string> = {
  pending: 'Response pending',
  accepted: 'Accepted',
  rejected: 'Rejected',
};

export const RESPONSES = Object.keys(RESPONSE_LABEL) as BoardResponse[];

export const STATUS_LABEL: Record<ActionStatus, string> = {
  not_started: 'Not started',
  on_track: 'On track',
  at_risk: 'At risk',
  overdue: 'Overdue',
  complete: 'Complete',
};

export const STATUSES = Object.keys(STATUS_LABEL) as ActionStatus[];

export interface OriginGroup {
  /** A stable key: the origin, and the agency for an IMR's recommendations. */
  key: string;
  /** "Overview author", "Northshire Police IMR". */
  name: string;
  recommendations: Recommendation[];
}

const ORIGIN_ORDER: Record<Origin, number> = {
  overview_author: 0,
  agency_imr: 1,
  health_overview: 2,
  other: 3,
};

/**
 * Recommendations grouped by where they came from, as the published reports list them: the
 * overview author's first, then each agency's IMR (in agency order), the health overview, and
 * others. Within a group they keep their R-number order.
 */
export function groupByOrigin(recs: readonly Recommendation[], agencies: readonly Agency[]): OriginGroup[] {
  const agencyIndex = new Map(agencies.map((a, i) => [a.id, i]));
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]));
  const groups = new Map<string, OriginGroup & { order: [number, number] }>();
  for (const r of recs) {
    const byAgency = r.origin === 'agency_imr';
    const key = byAgency ? `agency_imr:${r.origin_agency_id ?? ''}` : r.origin;
    let group = groups.get(key);
    if (!group) {
      const agency = byAgency && r.origin_agency_id ? agencyName.get(r.origin_agency_id) : undefined;
      group = {
        key,
        name: byAgency ? `${agency ?? 'Unknown agency'} IMR` : ORIGIN_LABEL[r.origin],
        recommendations: [],
        order: [
          ORIGIN_ORDER[r.origin],
          byAgency ? (agencyIndex.get(r.origin_agency_id ?? '') ?? agencies.length) : 0,
        ],
      };
      groups.set(key, group);
    }
    group.recommendations.push(r);
  }
  return [...groups.values()]
    .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
    .map(({ order: _order, ...g }) => g);
}

/** The editable fields of a recommendation, to send back with some changed. */
export function inputOf(r: Recommendation): RecommendationInput {
  return {
    origin: r.origin,
    origin_agency_id: r.origin_agency_id,
    addressee_agency_id: r.addressee_agency_id,
    owner_role: r.owner_role,
    text: r.text,
    due: r.due,
    measure: r.measure,
    board_response: r.board_response,
    response_reason: r.response_reason,
  };
}

/** Why a recommendation cannot be saved as it stands, or `null` when it can. */
export function recommendationProblem(input: RecommendationInput): string | null {
  if (!input.text.trim()) return 'Write the recommendation.';
  if (input.origin === 'agency_imr' && !input.origin_agency_id) {
    return 'Choose the agency whose IMR made this recommendation.';
  }
  if (input.board_response === 'rejected' && !input.response_reason.trim()) {
    return 'Give the board’s reason for rejecting it; the response is saved once it has one.';
  }
  return null;
}

/** The editable fields of an action. */
export function actionInputOf(a: Action): ActionInput {
  return {
    text: a.text,
    lead: a.lead,
    due_date: a.due_date,
    status: a.status,
    completion_evidence: a.completion_evidence,
  };
}

/** Why an action cannot be saved as it stands, or `null` when it can. */
export function actionProblem(input: ActionInput): string | null {
  if (!input.text.trim()) return 'Say what the action is.';
  if (input.status === 'complete' && !input.completion_evidence.trim()) {
    return 'Give the evidence that the action was done; it is marked complete once it has some.';
  }
  return null;
}

/** Today as YYYY-MM-DD in the user's own time zone. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Whether an action is past its due date and not complete (as the core's `is_overdue`). */
export function isOverdue(a: Pick<Action, 'status' | 'due_date'>, on: string = today()): boolean {
  return a.status !== 'complete' && a.due_date !== null && a.due_date < on;
}

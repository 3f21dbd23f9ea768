//! The one door between the panels and the Tauri shell.
//!
//! This is the ONLY module that calls `invoke`. Each exported function is one Tauri command:
//! core commands carry exactly the name of the `Review` method (snake_case) with its parameters
//! passed in camelCase, which Tauri maps back to the Rust names. Every failure is rethrown as an
//! `AppError { code, message }`, and `describe(error)` turns any error into a sentence a user
//! can read (never raw Rust text). The dialog plugin and the shell's events are wrapped here
//! too, so panels never import `@tauri-apps/*` themselves.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open as openDialog, save as saveDialog } from '@tauri-apps/plugin-dialog';

import type {
  Action,
  ActionInput,
  Actor,
  ActionUpdate,
  Agency,
  AgencyInput,
  AuditEntry,
  Block,
  CheckReport,
  ChronologyEntry,
  ChronologyFilter,
  ChronologyImport,
  ChronologyInput,
  ChronologyPreview,
  Citation,
  Citations,
  CitedKind,
  ColumnMapping,
  Comment,
  CommentTarget,
  CoverageMatrix,
  DatePrecision,
  Details,
  DetailsInput,
  Document,
  DocumentImport,
  EvidenceLink,
  EvidenceTarget,
  EvidenceView,
  Excerpt,
  ExportFormat,
  ExportProgress,
  ExportRequest,
  FileFormat,
  Finding,
  FindingInput,
  ImportProgress,
  Location,
  Meeting,
  MeetingInput,
  PanelMember,
  PanelMemberInput,
  Paragraph,
  Person,
  PersonInput,
  PlanItem,
  Recommendation,
  RecommendationInput,
  RecommendationTrace,
  Relation,
  RenderOptions,
  RenderedDocument,
  Role,
  SearchPage,
  SearchQuery,
  Section,
  SectionInput,
  Source,
  SourceInput,
  Stats,
  TextAnchor,
  Theme,
  ThemeInput,
  TorCoverage,
  TorInput,
  TorItem,
} from './types';
import type { CompactReport, LeakHit, NameSuggestion, Substituted, Unsubstituted } from './types';
import type { SnapshotInfo } from './types';
import type {
  Approval,
  ApprovalState,
  CommentFilter,
  CommentPosition,
  Draft,
  DraftContent,
  DraftDiff,
  DraftInfo,
  DraftRef,
  PackImportReport,
  PackWritten,
} from './types';

/** What the window knows about the open review (the shell's `ReviewInfo`). */
export interface ReviewInfo {
  /** The review file's absolute path. */
  path: string;
  details: Details;
  /** The counts when the review was opened; the Overview reads current ones with `stats()`. */
  stats: Stats;
  /** True when the file is protected with a passphrase (absent in older test fixtures). */
  encrypted?: boolean;
  /** True when it was opened read-only because it is open elsewhere. */
  read_only?: boolean;
}

/** A date read from typed text by the core (the shell's `ParsedDate`). */
export interface ParsedDate {
  /** YYYY-MM-DD: the day, or the first day of the month or year when less precise. */
  date: string;
  precision: DatePrecision;
}

/**
 * How far a long operation has got (the core's `ImportProgress`): what is happening now, and
 * `done` of `total` steps (`total` 0 when the amount of work is unknown).
 */
export type Progress = ImportProgress;

/** Called with each progress report of a long operation. */
export type ProgressHandler = (progress: Progress) => void;

// ---------------------------------------------------------------------------------------------
// Errors

/** The codes the core and the shell send (`Error::code()`), plus the UI's own two. */
export type ErrorCode =
  | 'not_threadline'
  | 'newer_version'
  | 'damaged'
  | 'open_elsewhere'
  | 'open_on_another_computer'
  | 'passphrase'
  | 'passphrase_needed'
  | 'disk_full'
  | 'already_exists'
  | 'not_found'
  | 'invalid'
  | 'in_use'
  | 'nothing_to_undo'
  | 'conflict'
  | 'unsupported'
  | 'bad_document'
  | 'read_only'
  | 'io'
  | 'storage'
  | 'no_review'
  /** The IPC layer itself failed (no shell, unknown command, bad arguments). */
  | 'ipc'
  /** Anything else thrown by code in the window. */
  | 'unknown';

/** A failed command, as every function in this module throws it. */
export class AppError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

/** Turns whatever a rejected `invoke` (or anything else) gave into an `AppError`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
    return new AppError(error.code, message);
  }
  if (typeof error === 'string') return new AppError('ipc', error);
  if (error instanceof Error) return new AppError('unknown', error.message);
  return new AppError('unknown', String(error));
}

/** "out_of_scope_reason" → "out of scope reason". */
function words(field: string): string {
  return field.replace(/[_.]+/g, ' ').trim();
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** "a; b; c" → "a, b and c". */
function listed(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * The "why" of an in-use refusal in the core's own words: "cannot delete ToR 3: 2 findings
 * answer this term of reference; 1 comment is on this term of reference" →
 * "ToR 3 cannot be deleted because 2 findings answer this term of reference and 1 comment is
 * on this term of reference."
 */
export function describeInUse(message: string): string {
  const m = /^cannot delete (.+?): (.+)$/s.exec(message.trim());
  if (!m) return 'This item cannot be deleted because other records still use it.';
  const uses = m[2].split(/;\s*/).filter(Boolean);
  return sentence(`${m[1]} cannot be deleted because ${listed(uses)}`);
}

/**
 * A file of a kind no importer reads, in the core's words: "minutes.doc is an old Word (.doc)
 * file, which Threadline cannot import; open it in Word or LibreOffice and save it as .docx" →
 * "minutes.doc is an old Word (.doc) file, which Threadline cannot import. Open it in Word or
 * LibreOffice and save it as .docx, then import that."
 */
export function describeUnsupported(message: string): string {
  const m = /^(.+?) is (.+?) file, which Threadline cannot import; (.+)$/s.exec(message.trim());
  if (!m) return 'Threadline cannot import that kind of file. Save it as .docx, .txt, .csv or .xlsx and try again.';
  return `${m[1]} is ${m[2]} file, which Threadline cannot import. ${sentence(`${m[3]}, then import that`)}`;
}

/**
 * A file that could not be read as what it claims to be, in the core's words: "imr.docx cannot
 * be imported: the file is damaged; nothing was imported" → "imr.docx could not be imported:
 * the file is damaged. Nothing was imported, so the review is unchanged."
 */
export function describeBadDocument(message: string): string {
  const m = /^(.+?) cannot be imported: (.+?)(?:; nothing was imported)?\.?$/s.exec(message.trim());
  const unchanged = 'Nothing was imported, so the review is unchanged.';
  if (!m) return `That file could not be imported: it is damaged or is not what its name says. ${unchanged}`;
  // The file name keeps its own case, even at the start of the sentence.
  const detail = m[2].trim().replace(/[.!?]$/, '');
  return `${m[1]} could not be imported: ${detail}. ${unchanged}`;
}

/**
 * A sentence for the user, for any error. Branches on the code only; the message is used just
 * where the core phrases a detail for people (a field's rule, what uses a record).
 */
export function describe(error: unknown): string {
  const e = toAppError(error);
  switch (e.code) {
    case 'not_threadline':
      return 'That file is not a Threadline review, so it was not opened.';
    case 'newer_version':
      return 'This review was saved by a newer version of Threadline. Update Threadline to open it.';
    case 'damaged':
      return 'The review file is damaged and was left unchanged. Restore it from a backup.';
    case 'open_elsewhere':
      return `This review is open in another Threadline window${holderOf(e.message)}. Close it there to edit it here, or open it read-only.`;
    case 'open_on_another_computer':
      return `This review was opened on another computer${holderOf(e.message)} and not closed there. If it is still open there, open it read-only here. If that computer stopped with it open, you can take it over.`;
    case 'passphrase':
      return 'That passphrase is not right.';
    case 'passphrase_needed':
      return 'This review is protected with a passphrase. Enter it to open the review.';
    case 'disk_full':
      return 'The disk is full, so the last change was not saved. Everything saved before it is kept. Free some space and try again.';
    case 'already_exists':
      return 'A file with that name already exists. Choose another name.';
    case 'not_found':
      return 'That item no longer exists. It may have been deleted or undone.';
    case 'invalid': {
      const m = /^([^:]+): (.+)$/s.exec(e.message.trim());
      if (!m) return 'Some of what was entered is not valid. Check the form and try again.';
      return sentence(`Check ${words(m[1])}: ${m[2]}`);
    }
    case 'in_use':
      return describeInUse(e.message);
    case 'nothing_to_undo':
      return /redo/i.test(e.message) ? 'There is nothing to redo.' : 'There is nothing to undo.';
    case 'conflict':
      return 'That change cannot be undone: the same record has been changed since in a way undo does not cover.';
    case 'unsupported':
      return describeUnsupported(e.message);
    case 'bad_document':
      return describeBadDocument(e.message);
    case 'read_only':
      return 'The review is open read-only, so it cannot be changed.';
    case 'io':
      return 'The file could not be read or written. Check that it exists and that you may write to its folder.';
    case 'storage':
      return 'The review file could not be read or written, so the last change was not saved.';
    case 'no_review':
      return 'No review is open. Open a review or create a new one first.';
    case 'ipc':
      return 'The window could not reach Threadline. Restart the app and try again.';
    default:
      return 'Something went wrong. Try again, and restart Threadline if it keeps happening.';
  }
}

/**
 * The channel a long command reports its progress on (the shell's `Channel<ImportProgress>`
 * parameter): each message is handed to `handler`, if any.
 */
export function progressChannel(handler?: ProgressHandler): Channel<Progress> {
  const channel = new Channel<Progress>();
  channel.onmessage = (progress) => handler?.(progress);
  return channel;
}

/** Calls one command; every failure becomes an `AppError`. */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toAppError(error);
  }
}

// ---------------------------------------------------------------------------------------------
// The app: which review is open

/** The open review, or `null` when none is. */
export const currentReview = () => call<ReviewInfo | null>('current_review');
/**
 * Opens the review at `path` (closing any open one), with `passphrase` when it is protected:
 * a protected file opened without one fails with `passphrase_needed`, a wrong one with
 * `passphrase`.
 */
export const openReview = (path: string, passphrase?: string, how?: OpenHow) =>
  call<ReviewInfo>('open_review', {
    path,
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(how === undefined ? {} : { how }),
  });

/** How to open a review another copy of Threadline may hold (the shell's `OpenHow`). */
export type OpenHow = 'normal' | 'read_only' | 'take_over';

/**
 * Who holds a review, as the core's open-elsewhere message puts it in brackets ("… another
 * Threadline window or process (process 4242 on CASEWORK-PC-7, since 2026-12-01 09:15 UTC)"),
 * with its leading space; "" when the message names no one.
 */
export function holderOf(message: string): string {
  const m = /\((process [^()]*|on [^()]*|since [^()]*)\)/.exec(message);
  return m ? ` (${m[1]})` : '';
}
/** Creates a new, empty review at `path` and opens it; protected when `passphrase` is given. */
export const newReview = (path: string, passphrase?: string) =>
  call<ReviewInfo>('new_review', passphrase === undefined ? { path } : { path, passphrase });
/** Writes the demo review into the app data folder if missing, then opens it. */
export const openDemo = () => call<ReviewInfo>('open_demo');
/** Closes the open review. */
export const closeReview = () => call<void>('close_review');
/** Recently opened review files, most recent first. */
export const recentFiles = () => call<string[]>('recent_files');
/** Who is working on this machine, or `null` before they said. */
export const profile = () => call<Actor | null>('profile');
/** Remembers who is working; recorded from now on in every review opened here. */
export const saveProfile = (name: string, role: Role) =>
  call<Actor>('save_profile', { name, role });

// ---------------------------------------------------------------------------------------------
// Review details

export const details = () => call<Details>('details');
export const updateDetails = (input: DetailsInput) => call<Details>('update_details', { input });

// ---------------------------------------------------------------------------------------------
// Terms of reference

export const torItems = () => call<TorItem[]>('tor_items');
export const torItem = (id: string) => call<TorItem>('tor_item', { id });
export const addTor = (input: TorInput) => call<TorItem>('add_tor', { input });
export const updateTor = (id: string, input: TorInput) => call<TorItem>('update_tor', { id, input });
/** Moves an item to 0-based index `to`; the items are renumbered. */
export const moveTor = (id: string, to: number) => call<void>('move_tor', { id, to });
/** Refused with `in_use` while findings answer it, unless `cascade`. */
export const deleteTor = (id: string, cascade: boolean) => call<void>('delete_tor', { id, cascade });

// ---------------------------------------------------------------------------------------------
// People register

export const people = () => call<Person[]>('people');
export const person = (id: string) => call<Person>('person', { id });
export const addPerson = (input: PersonInput) => call<Person>('add_person', { input });
export const updatePerson = (id: string, input: PersonInput) =>
  call<Person>('update_person', { id, input });
export const movePerson = (id: string, to: number) => call<void>('move_person', { id, to });
export const deletePerson = (id: string, cascade: boolean) =>
  call<void>('delete_person', { id, cascade });

// ---------------------------------------------------------------------------------------------
// Agencies

export const agencies = () => call<Agency[]>('agencies');
export const agency = (id: string) => call<Agency>('agency', { id });
export const addAgency = (input: AgencyInput) => call<Agency>('add_agency', { input });
export const updateAgency = (id: string, input: AgencyInput) =>
  call<Agency>('update_agency', { id, input });
export const moveAgency = (id: string, to: number) => call<void>('move_agency', { id, to });
export const deleteAgency = (id: string, cascade: boolean) =>
  call<void>('delete_agency', { id, cascade });

// ---------------------------------------------------------------------------------------------
// Panel members and meetings

export const panelMembers = () => call<PanelMember[]>('panel_members');
export const panelMember = (id: string) => call<PanelMember>('panel_member', { id });
export const addPanelMember = (input: PanelMemberInput) =>
  call<PanelMember>('add_panel_member', { input });
export const updatePanelMember = (id: string, input: PanelMemberInput) =>
  call<PanelMember>('update_panel_member', { id, input });
export const movePanelMember = (id: string, to: number) =>
  call<void>('move_panel_member', { id, to });
export const deletePanelMember = (id: string, cascade: boolean) =>
  call<void>('delete_panel_member', { id, cascade });

export const meetings = () => call<Meeting[]>('meetings');
export const meeting = (id: string) => call<Meeting>('meeting', { id });
export const addMeeting = (input: MeetingInput) => call<Meeting>('add_meeting', { input });
export const updateMeeting = (id: string, input: MeetingInput) =>
  call<Meeting>('update_meeting', { id, input });
export const deleteMeeting = (id: string, cascade: boolean) =>
  call<void>('delete_meeting', { id, cascade });

// ---------------------------------------------------------------------------------------------
// Sources, paragraphs and excerpts

export const sources = () => call<Source[]>('sources');
export const source = (id: string) => call<Source>('source', { id });
export const addSource = (input: SourceInput) => call<Source>('add_source', { input });
/** Adds a source and splits `text` into its paragraphs. */
export const importText = (input: SourceInput, text: string) =>
  call<Source>('import_text', { input, text });
export const updateSource = (id: string, input: SourceInput) =>
  call<Source>('update_source', { id, input });
export const moveSource = (id: string, to: number) => call<void>('move_source', { id, to });
export const deleteSource = (id: string, cascade: boolean) =>
  call<void>('delete_source', { id, cascade });

/** A window of a source's paragraphs in order: `limit` of them after skipping `offset`. */
export const paragraphs = (sourceId: string, offset: number, limit: number) =>
  call<Paragraph[]>('paragraphs', { sourceId, offset, limit });
export const paragraph = (id: string) => call<Paragraph>('paragraph', { id });

/** Quotes characters `start..end` (character offsets, not bytes) of a paragraph. */
export const addExcerpt = (paragraphId: string, start: number, end: number, note: string) =>
  call<Excerpt>('add_excerpt', { paragraphId, start, end, note });
export const excerpt = (id: string) => call<Excerpt>('excerpt', { id });
export const excerptsOfSource = (sourceId: string) =>
  call<Excerpt[]>('excerpts_of_source', { sourceId });
export const excerptsOfParagraph = (paragraphId: string) =>
  call<Excerpt[]>('excerpts_of_paragraph', { paragraphId });
export const updateExcerptNote = (id: string, note: string) =>
  call<Excerpt>('update_excerpt_note', { id, note });
export const deleteExcerpt = (id: string, cascade: boolean) =>
  call<void>('delete_excerpt', { id, cascade });
/** Whether the paragraph still reads as it did when the excerpt was made. */
export const excerptIsCurrent = (id: string) => call<boolean>('excerpt_is_current', { id });

// ---------------------------------------------------------------------------------------------
// Chronology

export const chronology = (filter: ChronologyFilter) =>
  call<ChronologyEntry[]>('chronology', { filter });
export const chronologyEntry = (id: string) => call<ChronologyEntry>('chronology_entry', { id });
export const addChronologyEntry = (input: ChronologyInput) =>
  call<ChronologyEntry>('add_chronology_entry', { input });
export const updateChronologyEntry = (id: string, input: ChronologyInput) =>
  call<ChronologyEntry>('update_chronology_entry', { id, input });
/** Moves an entry among those of the same date. */
export const moveChronologyEntryWithinDay = (id: string, to: number) =>
  call<void>('move_chronology_entry_within_day', { id, to });
export const deleteChronologyEntry = (id: string, cascade: boolean) =>
  call<void>('delete_chronology_entry', { id, cascade });
/**
 * Reads a date as people type it, day first ("3/4/09", "3 April 2009", "2009-04-03",
 * "March 2009", "c. 2009"), with the core's reader. Refused with `invalid` when unreadable.
 */
export const parseDate = (text: string) => call<ParsedDate>('parse_date', { text });

// ---------------------------------------------------------------------------------------------
// Importing files from disk

/**
 * What the file at `path` holds, from its name: `docx` or `text` (a document, imported as a
 * source), `csv` or `xlsx` (a chronology). Refused with `unsupported` (and advice on what to
 * save it as) for anything else: .doc, .pdf, .odt...
 */
export const detectFormat = (path: string) => call<FileFormat>('detect_format', { path });
/** Which column holds what, guessed from a chronology's header row. */
export const guessMapping = (headers: string[]) =>
  call<ColumnMapping>('guess_mapping', { headers });
/**
 * Imports a Word (.docx) or text (.txt, .md) file as a new source, off the window's thread;
 * with `supersedes` (a source id) as the new version of that source, whose excerpts move onto
 * the new text. `onProgress` hears each stage. Nothing is written when it fails.
 */
export const importDocument = (
  input: SourceInput,
  path: string,
  supersedes: string | null,
  onProgress?: ProgressHandler,
) =>
  call<DocumentImport>('import_document', {
    input,
    path,
    supersedes,
    onProgress: progressChannel(onProgress),
  });
/**
 * What importing the chronology file at `path` would do, row by row, under `mapping` (`null`:
 * the mapping guessed from its headers). Writes nothing.
 */
export const previewChronologyImport = (path: string, mapping: ColumnMapping | null) =>
  call<ChronologyPreview>('preview_chronology_import', { path, mapping });
/** Imports the chronology file at `path` under `mapping`, in one undoable change. */
export const importChronology = (
  path: string,
  mapping: ColumnMapping,
  onProgress?: ProgressHandler,
) =>
  call<ChronologyImport>('import_chronology', {
    path,
    mapping,
    onProgress: progressChannel(onProgress),
  });

// ---------------------------------------------------------------------------------------------
// Themes, findings, evidence and ToR links

export const themes = () => call<Theme[]>('themes');
export const theme = (id: string) => call<Theme>('theme', { id });
export const addTheme = (input: ThemeInput) => call<Theme>('add_theme', { input });
export const updateTheme = (id: string, input: ThemeInput) =>
  call<Theme>('update_theme', { id, input });
export const moveTheme = (id: string, to: number) => call<void>('move_theme', { id, to });
export const deleteTheme = (id: string, cascade: boolean) =>
  call<void>('delete_theme', { id, cascade });

export const findings = () => call<Finding[]>('findings');
export const finding = (id: string) => call<Finding>('finding', { id });
export const findingsOfTheme = (themeId: string) =>
  call<Finding[]>('findings_of_theme', { themeId });
export const unthemedFindings = () => call<Finding[]>('unthemed_findings');
export const addFinding = (input: FindingInput) => call<Finding>('add_finding', { input });
export const updateFinding = (id: string, input: FindingInput) =>
  call<Finding>('update_finding', { id, input });
/** Moves a finding under `themeId` (`null`: unthemed) at 0-based index `to`. */
export const moveFinding = (id: string, themeId: string | null, to: number) =>
  call<void>('move_finding', { id, themeId, to });
export const deleteFinding = (id: string, cascade: boolean) =>
  call<void>('delete_finding', { id, cascade });

export const evidenceOf = (findingId: string) =>
  call<EvidenceLink[]>('evidence_of', { findingId });
export const evidenceLink = (id: string) => call<EvidenceLink>('evidence_link', { id });
/** Links an excerpt (`{ Excerpt: id }`) or chronology entry (`{ Chronology: id }`) to a finding. */
export const linkEvidence = (
  findingId: string,
  target: EvidenceTarget,
  relation: Relation,
  note: string,
) => call<EvidenceLink>('link_evidence', { findingId, target, relation, note });
export const updateEvidence = (id: string, relation: Relation, note: string) =>
  call<EvidenceLink>('update_evidence', { id, relation, note });
export const unlinkEvidence = (id: string) => call<void>('unlink_evidence', { id });

export const linkTor = (findingId: string, torId: string) =>
  call<void>('link_tor', { findingId, torId });
export const unlinkTor = (findingId: string, torId: string) =>
  call<void>('unlink_tor', { findingId, torId });
export const setFindingTors = (findingId: string, torIds: string[]) =>
  call<Finding>('set_finding_tors', { findingId, torIds });

// ---------------------------------------------------------------------------------------------
// Recommendations, actions and the action plan

export const recommendations = () => call<Recommendation[]>('recommendations');
export const recommendation = (id: string) => call<Recommendation>('recommendation', { id });
export const addRecommendation = (input: RecommendationInput) =>
  call<Recommendation>('add_recommendation', { input });
export const updateRecommendation = (id: string, input: RecommendationInput) =>
  call<Recommendation>('update_recommendation', { id, input });
export const moveRecommendation = (id: string, to: number) =>
  call<void>('move_recommendation', { id, to });
export const deleteRecommendation = (id: string, cascade: boolean) =>
  call<void>('delete_recommendation', { id, cascade });
export const setRecommendationFindings = (id: string, findingIds: string[]) =>
  call<Recommendation>('set_recommendation_findings', { id, findingIds });
export const linkFinding = (recommendationId: string, findingId: string) =>
  call<void>('link_finding', { recommendationId, findingId });
export const unlinkFinding = (recommendationId: string, findingId: string) =>
  call<void>('unlink_finding', { recommendationId, findingId });

export const action = (id: string) => call<Action>('action', { id });
export const addAction = (recommendationId: string, input: ActionInput) =>
  call<Action>('add_action', { recommendationId, input });
export const updateAction = (id: string, input: ActionInput) =>
  call<Action>('update_action', { id, input });
export const moveAction = (id: string, to: number) => call<void>('move_action', { id, to });
export const deleteAction = (id: string, cascade: boolean) =>
  call<void>('delete_action', { id, cascade });
/** Adds a dated progress note (`date` as YYYY-MM-DD). */
export const addActionUpdate = (actionId: string, date: string, text: string) =>
  call<ActionUpdate>('add_action_update', { actionId, date, text });
export const deleteActionUpdate = (id: string) => call<void>('delete_action_update', { id });
/** Every action with its recommendation, in plan order. */
export const actionPlan = () => call<PlanItem[]>('action_plan');

// ---------------------------------------------------------------------------------------------
// Report sections

export const sections = (document: Document) => call<Section[]>('sections', { document });
export const section = (id: string) => call<Section>('section', { id });
export const addSection = (input: SectionInput) => call<Section>('add_section', { input });
export const updateSection = (id: string, input: SectionInput) =>
  call<Section>('update_section', { id, input });
export const moveSection = (id: string, to: number) => call<void>('move_section', { id, to });
export const deleteSection = (id: string, cascade: boolean) =>
  call<void>('delete_section', { id, cascade });
/** Citation tokens whose target is gone, each with the id of the section holding it. */
export const brokenCitations = (document: Document) =>
  call<[string, Citation][]>('broken_citations', { document });
/** Adds the usual outline to a document that has no sections yet (one undoable change). */
export const addDefaultOutline = (document: Document) =>
  call<Section[]>('add_default_outline', { document });
/** The document as rendered from the current data: live citation numbers, what each citation
 * points at, live blocks filled in, and the problems an export would carry. */
export const renderDocument = (document: Document, options: Partial<RenderOptions> = {}) =>
  call<RenderedDocument>('render_document', { document, options });
/** One live block's current content; null when no block has that name. */
export const liveBlock = (name: string) => call<Block[] | null>('live_block', { name });

// ---------------------------------------------------------------------------------------------
// Comments

export const comment = (id: string) => call<Comment>('comment', { id });
export const commentsOn = (targetKind: CommentTarget, targetId: string) =>
  call<Comment[]>('comments_on', { targetKind, targetId });
export const openComments = () => call<Comment[]>('open_comments');
export const addComment = (
  targetKind: CommentTarget,
  targetId: string,
  anchor: TextAnchor | null,
  body: string,
) => call<Comment>('add_comment', { targetKind, targetId, anchor, body });
export const reply = (parentId: string, body: string) =>
  call<Comment>('reply', { parentId, body });
export const editComment = (id: string, body: string) =>
  call<Comment>('edit_comment', { id, body });
export const resolveComment = (id: string, resolved: boolean) =>
  call<Comment>('resolve_comment', { id, resolved });
export const deleteComment = (id: string) => call<void>('delete_comment', { id });

// ---------------------------------------------------------------------------------------------
// Search, locations and links between records

/** Full-text search; any text is accepted. */
export const search = (query: SearchQuery) => call<SearchPage>('search', { query });
/** Where record `id` of `kind` (a search hit kind) is, in words a user reads. */
export const locate = (kind: string, id: string) => call<Location>('locate', { kind, id });
export const evidenceForFinding = (findingId: string) =>
  call<EvidenceView[]>('evidence_for_finding', { findingId });
export const citationsOf = (kind: CitedKind, id: string) =>
  call<Citations>('citations_of', { kind, id });
/** Each term of reference with the findings that answer it; an empty list is a gap. */
export const torCoverage = () => call<TorCoverage[]>('tor_coverage');
export const recommendationTrace = (recommendationId: string) =>
  call<RecommendationTrace>('recommendation_trace', { recommendationId });
export const recommendationTraces = () => call<RecommendationTrace[]>('recommendation_traces');
export const stats = () => call<Stats>('stats');

// ---------------------------------------------------------------------------------------------
// Checks, the coverage matrix and exports

/** Every check result, errors first, with the counts per severity. */
export const checks = () => call<CheckReport>('checks');
/** Terms of reference × findings × evidence counts × recommendations. */
export const coverageMatrix = () => call<CoverageMatrix>('coverage_matrix');
/**
 * Writes the document `request` names to `path`; an existing file is replaced only with
 * `replace`. `onProgress` hears each stage. Answers the number of bytes written.
 */
export const exportToFile = (
  request: ExportRequest,
  path: string,
  replace: boolean,
  onProgress?: (progress: ExportProgress) => void,
) => {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = (progress) => onProgress?.(progress);
  return call<number>('export_to_file', { request, path, replace, onProgress: channel });
};

// ---------------------------------------------------------------------------------------------
// Undo, redo and the audit log

/** Undoes the last edit; returns its summary ("Add term of reference"). */
export const undo = () => call<string>('undo');
/** Redoes the last undone edit; returns its summary. */
export const redo = () => call<string>('redo');
/** The summaries of what undo and redo would do next; `null` when there is nothing. */
export const undoState = () => call<[string | null, string | null]>('undo_state');
export const auditLog = (limit: number) => call<AuditEntry[]>('audit_log', { limit });

// ---------------------------------------------------------------------------------------------
// File dialogs (the dialog plugin)

const REVIEW_FILTER = [{ name: 'Threadline review', extensions: ['threadline'] }];
const TEXT_FILTER = [{ name: 'Plain text', extensions: ['txt', 'text'] }];

/** The extensions of the files Threadline imports (the core's `detect_format`). */
export const IMPORT_EXTENSIONS = ['docx', 'txt', 'md', 'csv', 'xlsx'];

/**
 * The import chooser's filters: what Threadline reads (both cases: GTK's patterns are
 * case-sensitive, and Windows names files IMR.DOCX), each kind on its own, and every file, so
 * a .pdf or .doc can be chosen and be told what to save it as.
 */
export const IMPORT_FILTERS = [
  {
    name: 'Documents and chronologies (.docx, .txt, .md, .csv, .xlsx)',
    extensions: [...IMPORT_EXTENSIONS, ...IMPORT_EXTENSIONS.map((e) => e.toUpperCase())],
  },
  { name: 'Word documents (.docx)', extensions: ['docx', 'DOCX'] },
  { name: 'Text files (.txt, .md)', extensions: ['txt', 'md', 'TXT', 'MD'] },
  { name: 'Chronology spreadsheets (.csv, .xlsx)', extensions: ['csv', 'xlsx', 'CSV', 'XLSX'] },
  { name: 'All files', extensions: ['*'] },
];

/** The import chooser's title (the end-to-end tests find the native window by it). */
export const IMPORT_CHOOSER_TITLE = 'Import a file';

async function dialog<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAppError(error);
  }
}

/** Asks for an existing review file; `null` when the user cancels. */
export const chooseReviewToOpen = () =>
  dialog(() =>
    openDialog({ title: 'Open review', multiple: false, directory: false, filters: REVIEW_FILTER }),
  );

/** Asks where to create a new review; adds `.threadline` when the name lacks it. */
export async function chooseReviewToCreate(): Promise<string | null> {
  const path = await dialog(() =>
    saveDialog({ title: 'New review', defaultPath: 'review.threadline', filters: REVIEW_FILTER }),
  );
  if (path === null) return null;
  return path.toLowerCase().endsWith('.threadline') ? path : `${path}.threadline`;
}

/**
 * Asks for files to import (documents or chronologies; several may be chosen); an empty list
 * when the user cancels.
 */
export async function chooseFilesToImport(): Promise<string[]> {
  const chosen = await dialog(() =>
    openDialog({
      title: IMPORT_CHOOSER_TITLE,
      multiple: true,
      directory: false,
      filters: IMPORT_FILTERS,
    }),
  );
  if (chosen === null) return [];
  return Array.isArray(chosen) ? chosen : [chosen];
}

/** Asks where to save a plain-text file; `null` when the user cancels. */
export const chooseTextToSave = (defaultPath = 'export.txt') =>
  dialog(() => saveDialog({ title: 'Save text', defaultPath, filters: TEXT_FILTER }));

/** The save dialog's filter for each export format. */
export const EXPORT_FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  docx: { name: 'Word document (.docx)', extensions: ['docx'] },
  html: { name: 'Web page (.html)', extensions: ['html', 'htm'] },
  md: { name: 'Markdown (.md)', extensions: ['md'] },
  xlsx: { name: 'Excel workbook (.xlsx)', extensions: ['xlsx'] },
  csv: { name: 'CSV spreadsheet (.csv)', extensions: ['csv'] },
};

/**
 * Asks where to save an export in `format` (the dialog asks before replacing a file); adds the
 * extension when the name lacks it; `null` when the user cancels.
 */
export async function chooseExportPath(
  format: ExportFormat,
  defaultName: string,
): Promise<string | null> {
  const filter = EXPORT_FILTERS[format];
  const path = await dialog(() =>
    saveDialog({ title: 'Export', defaultPath: `${defaultName}.${format}`, filters: [filter] }),
  );
  if (path === null) return null;
  const lower = path.toLowerCase();
  return filter.extensions.some((e) => lower.endsWith(`.${e}`)) ? path : `${path}.${format}`;
}

// ---------------------------------------------------------------------------------------------
// Events from the shell

/**
 * Runs `handler` with the menu item's id ("file.open", "edit.undo", "view.findings") each time
 * the user picks one from the native menu. Resolves to a function that stops listening; outside
 * the app window (tests, a plain browser) it listens to nothing.
 */
export async function onMenu(handler: (id: string) => void): Promise<UnlistenFn> {
  return subscribe<string>('menu', (payload) => handler(payload));
}

/** Runs `handler` after the shell opened or closed a review (with what is open now). */
export async function onReviewChanged(
  handler: (info: ReviewInfo | null) => void,
): Promise<UnlistenFn> {
  return subscribe<ReviewInfo | null>('review-changed', (info) => handler(info ?? null));
}

async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  try {
    return await listen<T>(event, (e) => handler(e.payload));
  } catch {
    return () => {};
  }
}

/** A file drag over the window, as `onDragDrop` reports it. */
export type DragDrop =
  | { type: 'enter'; paths: string[] }
  | { type: 'over' }
  | { type: 'drop'; paths: string[] }
  | { type: 'leave' };

/**
 * Runs `handler` as files are dragged over the window and dropped on it (the webview's
 * drag-and-drop events: enter with the paths, over, drop with the paths, leave). Resolves to a
 * function that stops listening; outside the app window it listens to nothing.
 */
export async function onDragDrop(handler: (event: DragDrop) => void): Promise<UnlistenFn> {
  try {
    return await getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === 'enter' || p.type === 'drop') handler({ type: p.type, paths: p.paths });
      else handler({ type: p.type });
    });
  } catch {
    return () => {};
  }
}

// ---------------------------------------------------------------------------------------------
// Publication: pseudonyms, the leak gate, name suggestions, compaction

/** `text` as it would be published, with each substitution (for hover in a preview). */
export const publishText = (text: string) => call<Substituted>('publish_text', { text });
/** Registered names that publication leaves as written (no pseudonym, or shared by entries). */
export const unsubstitutedNames = () => call<Unsubstituted[]>('unsubstituted_names');
/** What the leak gate finds in the publication version of `request`; writes nothing. */
export const publicationHits = (request: ExportRequest) =>
  call<LeakHit[]>('publication_hits', { request });
/** Capitalised names that recur in the sources and are not in the register. */
export const nameSuggestions = () => call<NameSuggestion[]>('name_suggestions');
/** Stops suggesting `name` (a preference: not undoable, not audited). */
export const dismissNameSuggestion = (name: string) => call<null>('dismiss_name_suggestion', { name });
/** Suggests a dismissed `name` again. */
export const restoreNameSuggestion = (name: string) => call<null>('restore_name_suggestion', { name });
/**
 * Removes old names from the review file and its WAL. Seals the undo history: nothing before
 * this can be undone afterwards.
 */
export const compact = () => call<CompactReport>('compact');

/** A publication export the leak gate refused (`leak`), with each hit it found. */
export class LeakError extends AppError {
  readonly hits: LeakHit[];

  constructor(message: string, hits: LeakHit[]) {
    super('leak', message);
    this.name = 'LeakError';
    this.hits = hits;
  }
}

/**
 * `exportToFile` for a request that may be a publication export: a refusal by the leak gate
 * throws a `LeakError` carrying the hits (which `call` would drop), anything else an `AppError`.
 */
export async function exportCheckedToFile(
  request: ExportRequest,
  path: string,
  replace: boolean,
  onProgress?: (progress: ExportProgress) => void,
): Promise<number> {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = (progress) => onProgress?.(progress);
  try {
    return await invoke<number>('export_to_file', { request, path, replace, onProgress: channel });
  } catch (error) {
    if (error && typeof error === 'object' && 'code' in error && error.code === 'leak' && 'hits' in error) {
      const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
      const hits = Array.isArray(error.hits) ? (error.hits as LeakHit[]) : [];
      throw new LeakError(message, hits);
    }
    throw toAppError(error);
  }
}

// ---------------------------------------------------------------------------------------------
// The review cycle: issued drafts, what changed, anchored comments, approvals and review packs

/** Every issued draft, oldest first. */
export const drafts = () => call<DraftInfo[]>('drafts');
/** One issued draft with everything it froze, by number, id or label. */
export const draft = (key: string) => call<Draft>('draft', { key });
/** The review's content as it is now: what issuing a draft would freeze. */
export const draftContent = () => call<DraftContent>('draft_content');
/** Freezes the report, findings, recommendations and ToR as "Draft N" (or `label`). */
export const issueDraft = (label: string | null) => call<Draft>('issue_draft', { label });
/** One document of an issued draft as it was rendered when issued (read-only). */
export const renderDraft = (key: string, document: Document) =>
  call<RenderedDocument>('render_draft', { key, document });
/** What changed from one side (a draft) to the other (a draft, or the review as it is now). */
export const diff = (from: DraftRef, to: DraftRef) => call<DraftDiff>('diff', { from, to });
/** Every verdict on a section, each saying whether it is stale. */
export const approvals = () => call<Approval[]>('approvals');
/** The current person's verdict on a section as it stood in an issued draft. */
export const setApproval = (sectionId: string, draft: string, state: ApprovalState, note: string) =>
  call<Approval>('set_approval', { sectionId, draft, state, note });
/** The threads that pass `filter` (every field optional), each with its replies. */
export const comments = (filter: CommentFilter = {}) => call<Comment[]>('comments', { filter });
/** The threads on a section with where their words stand in its current text. */
export const commentPositions = (sectionId: string) =>
  call<CommentPosition[]>('comment_positions', { sectionId });
/** Starts a thread on the one place `quote` stands in the record's current text. */
export const commentOnQuote = (
  targetKind: CommentTarget,
  targetId: string,
  quote: string,
  body: string,
) => call<Comment>('comment_on_quote', { targetKind, targetId, quote, body });
/** Writes a full copy of the review for the chair to `out`, which must not exist. */
export const sendPack = (out: string) => call<PackWritten>('send_pack', { out });
/** Writes this copy's comments, replies, resolutions and approvals to `out` (must not exist). */
export const returnPack = (out: string) => call<PackWritten>('return_pack', { out });
/** Merges a return pack into the review; says what was merged, updated and orphaned. */
export const importPack = (path: string) => call<PackImportReport>('import_pack', { path });

/** Writes one document of an issued draft to `path`, as it was issued. Answers the bytes. */
export const exportDraftToFile = (
  key: string,
  request: ExportRequest,
  path: string,
  replace: boolean,
  onProgress?: (progress: ExportProgress) => void,
) => {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = (progress) => onProgress?.(progress);
  return call<number>('export_draft_to_file', { key, request, path, replace, onProgress: channel });
};
/** Writes what changed as an HTML page (insertions and deletions marked) to `path`. */
export const exportDiffHtml = (from: DraftRef, to: DraftRef, path: string, replace: boolean) =>
  call<number>('export_diff_html', { from, to, path, replace });
/** Writes what changed as a Word document with tracked changes to `path`. */
export const exportDiffDocx = (from: DraftRef, to: DraftRef, path: string, replace: boolean) =>
  call<number>('export_diff_docx', { from, to, path, replace });

const PACK_FILTER = [{ name: 'Threadline return pack (.json)', extensions: ['json', 'JSON'] }];

/** Adds `.ext` to a chosen path that lacks it. */
function withExtension(path: string, ext: string): string {
  return path.toLowerCase().endsWith(`.${ext}`) ? path : `${path}.${ext}`;
}

/** Asks where to write the copy of the review for the chair; `null` when cancelled. */
export async function chooseSendPackPath(defaultName: string): Promise<string | null> {
  const path = await dialog(() =>
    saveDialog({ title: 'Send for review', defaultPath: `${defaultName}.threadline`, filters: REVIEW_FILTER }),
  );
  return path === null ? null : withExtension(path, 'threadline');
}

/** Asks where to write the return pack of comments; `null` when cancelled. */
export async function chooseReturnPackPath(defaultName: string): Promise<string | null> {
  const path = await dialog(() =>
    saveDialog({ title: 'Return comments', defaultPath: `${defaultName}.json`, filters: PACK_FILTER }),
  );
  return path === null ? null : withExtension(path, 'json');
}

/**
 * Asks for a pack to import: a return pack of comments, or a later copy of the review sent by
 * the author; `null` when cancelled.
 */
export async function choosePackToImport(): Promise<string | null> {
  const chosen = await dialog(() =>
    openDialog({
      title: 'Import comments',
      multiple: false,
      directory: false,
      filters: [
        { name: 'Return packs and review copies', extensions: ['json', 'JSON', 'threadline'] },
        ...PACK_FILTER,
        ...REVIEW_FILTER,
        { name: 'All files', extensions: ['*'] },
      ],
    }),
  );
  if (chosen === null) return null;
  return Array.isArray(chosen) ? (chosen[0] ?? null) : chosen;
}

// ---------------------------------------------------------------------------------------------
// Keeping the review safe: its passphrase and its snapshots (backups)

/** The protected review the app could not reopen at start without its passphrase, once. */
export const lockedReview = () => call<string | null>('locked_review');
/** Protects the open review with `passphrase`; answers whether it is now protected. */
export const addPassphrase = (passphrase: string) => call<boolean>('add_passphrase', { passphrase });
/** Changes the open review's passphrase from `current`; answers whether it is protected. */
export const changePassphrase = (current: string, passphrase: string) =>
  call<boolean>('change_passphrase', { current, passphrase });
/** Removes the protection, given the `current` passphrase; answers whether it is still protected (false). */
export const removePassphrase = (current: string) => call<boolean>('remove_passphrase', { current });
/** The open review's snapshots, newest first. */
export const snapshots = () => call<SnapshotInfo[]>('snapshots');
/** Takes a snapshot now, for `reason` ("manual" for Back up now). */
export const snapshot = (reason = 'manual') => call<SnapshotInfo>('snapshot', { reason });
/** Restores the snapshot at `path` (the current state is kept as a snapshot first). */
export const restoreSnapshot = (path: string) => call<ReviewInfo>('restore_snapshot', { path });

/** Runs `handler` with what went wrong when a timed backup failed. */
export async function onBackupFailed(handler: (error: AppError) => void): Promise<UnlistenFn> {
  return subscribe<unknown>('backup-failed', (payload) => handler(toAppError(payload)));
}

// The one platform seam: every call into the Tauri shell goes through here, typed with the
// bindings generated from Rust. No other module imports @tauri-apps/api.

import { convertFileSrc, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
// Spreadsheets in and out (import wizard, export, templates): progress streams over a Channel.
import { Channel } from '@tauri-apps/api/core';
import type { ExportReport } from './bindings/ExportReport';
import type { ExportRequest } from './bindings/ExportRequest';
import type { FollowUpField } from './bindings/FollowUpField';
import type { ImportBatch } from './bindings/ImportBatch';
import type { ImportField } from './bindings/ImportField';
import type { ImportFormat } from './bindings/ImportFormat';
import type { ImportOptions } from './bindings/ImportOptions';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ImportReport } from './bindings/ImportReport';
import type { TemplateKind } from './bindings/TemplateKind';

import type { ActivityFilter } from './bindings/ActivityFilter';
import type { ActivityPage } from './bindings/ActivityPage';
import type { BulkEdit } from './bindings/BulkEdit';
import type { CatalogItem } from './bindings/CatalogItem';
import type { CatalogItemPatch } from './bindings/CatalogItemPatch';
import type { CatalogItemUsage } from './bindings/CatalogItemUsage';
import type { CatalogKind } from './bindings/CatalogKind';
import type { Catalogs } from './bindings/Catalogs';
import type { Customer } from './bindings/Customer';
import type { CustomerFilter } from './bindings/CustomerFilter';
import type { CustomerInput } from './bindings/CustomerInput';
import type { DuplicateMatch } from './bindings/DuplicateMatch';
import type { DuplicateRules } from './bindings/DuplicateRules';
import type { ErrorBody } from './bindings/ErrorBody';
import type { FieldError } from './bindings/FieldError';
import type { FieldSettings } from './bindings/FieldSettings';
import type { HistoryEntry } from './bindings/HistoryEntry';
import type { Language } from './bindings/Language';
import type { ListQuery } from './bindings/ListQuery';
import type { NewStaff } from './bindings/NewStaff';
import type { OwnershipCounts } from './bindings/OwnershipCounts';
import type { Page } from './bindings/Page';
import type { Role } from './bindings/Role';
import type { SavedView } from './bindings/SavedView';
import type { SavedViewInput } from './bindings/SavedViewInput';
import type { Selection } from './bindings/Selection';
import type { OpenStatus } from './bindings/OpenStatus';
import type { SessionInfo } from './bindings/SessionInfo';
import type { Staff } from './bindings/Staff';
import type { Stats } from './bindings/Stats';
import type {
  CareActivity,
  CareCounts,
  CareCursor,
  CareFilter,
  CareInput,
  CarePage,
  CareRule,
  CareRuleInput,
  Completed,
  TimelineCursor,
  TimelineEntry,
  TimelineKind,
} from './care/types';

/** A failed command: the core's `{code, message, details}`, or a normalised stand-in. */
export class ApiError extends Error {
  readonly body: ErrorBody;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.body = body;
  }

  get code(): string {
    return this.body.code;
  }

  /** Field-level problems (validation, uniqueness); empty when there are none. */
  get fields(): FieldError[] {
    return this.body.details?.fields ?? [];
  }
}

function isErrorBody(v: unknown): v is ErrorBody {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'string' &&
    typeof (v as { message?: unknown }).message === 'string'
  );
}

/** Turn whatever a rejected invoke produced into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isErrorBody(e)) {
    const details = (e as { details?: ErrorBody['details'] }).details ?? null;
    return new ApiError({ code: e.code, message: e.message, details });
  }
  if (typeof e === 'string') return new ApiError({ code: 'unknown', message: e, details: null });
  if (e instanceof Error) return new ApiError({ code: 'unknown', message: e.message, details: null });
  return new ApiError({ code: 'unknown', message: String(e), details: null });
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toApiError(e);
  }
}

export const storeStatus = () => call<OpenStatus>('store_status');
export const sessionInfo = () => call<SessionInfo>('session_info');
export const initAdmin = (input: NewStaff) => call<SessionInfo>('init_admin', { input });
export const signIn = (staffId: number, password: string | null) =>
  call<SessionInfo>('sign_in', { staffId, password });
export const signOut = () => call<SessionInfo>('sign_out');
export const listStaff = () => call<Staff[]>('list_staff');
export const addStaff = (input: NewStaff) => call<Staff>('add_staff', { input });
export const setStaffActive = (staffId: number, active: boolean) => call<Staff>('set_staff_active', { staffId, active });
export const setStaffRole = (staffId: number, role: Role) => call<Staff>('set_staff_role', { staffId, role });

export const listCustomers = (query: ListQuery) => call<Page>('list_customers', { query });
export const countCustomers = (search: string, trash: boolean, filter: CustomerFilter | null = null) =>
  call<number>('count_customers', { search, trash, filter });
export const getCustomer = (id: number) => call<Customer>('get_customer', { id });
export const createCustomer = (input: CustomerInput) => call<Customer>('create_customer', { input });
export const updateCustomer = (id: number, input: CustomerInput) =>
  call<Customer>('update_customer', { id, input });
export const deleteCustomers = (selection: Selection) => call<number>('delete_customers', { selection });
export const bulkEditCustomers = (selection: Selection, edit: BulkEdit) => call<number>('bulk_edit_customers', { selection, edit });
export const mergeCustomers = (survivor: number, others: number[], values: CustomerInput) =>
  call<Customer>('merge_customers', { survivor, others, values });

// --- ownership: transfer, pool, lock, activation, approval (src-tauri/src/ownership_commands.rs) ---
// Each resolves to how many customers changed; the core decides who may do what.
// withCare: their planned care activities (the previous owner's or no one's) follow.
export const transferCustomers = (ids: number[], to: number, reason: string | null, withCare: boolean) =>
  call<number>('transfer_customers', { ids, to, reason, withCare });
export const releaseCustomers = (ids: number[], reason: string | null) => call<number>('release_customers', { ids, reason });
export const claimCustomers = (ids: number[]) => call<number>('claim_customers', { ids });
export const assignCustomers = (ids: number[], to: number, reason: string | null, withCare: boolean) =>
  call<number>('assign_customers', { ids, to, reason, withCare });
export const setCustomersLocked = (ids: number[], locked: boolean) => call<number>('set_customers_locked', { ids, locked });
export const setCustomersActive = (ids: number[], active: boolean) => call<number>('set_customers_active', { ids, active });
export const approveCustomers = (ids: number[]) => call<number>('approve_customers', { ids });
export const rejectCustomers = (ids: number[], reason: string) => call<number>('reject_customers', { ids, reason });
export const resubmitCustomer = (id: number) => call<number>('resubmit_customer', { id });
export const ownershipCounts = () => call<OwnershipCounts>('ownership_counts');
export const approvalRequired = () => call<boolean>('approval_required');
export const setApprovalRequired = (on: boolean) => call<boolean>('set_approval_required', { on });
/** `limit` null: no limit on customers claimed from the pool. */
export const setClaimLimit = (staffId: number, limit: number | null) => call<null>('set_claim_limit', { staffId, limit });
/** Days without a done care activity before customers return to the pool; null: off. */
export const poolReturnDays = () => call<number | null>('pool_return_days');
export const setPoolReturnDays = (days: number | null) => call<number | null>('set_pool_return_days', { days });
/** The administrators' activity log, newest first; `before` is the previous page's `next`. */
export const activityLog = (filter: ActivityFilter, before: number | null, limit: number) =>
  call<ActivityPage>('activity_log', { filter, before, limit });
export const activityActions = () => call<string[]>('activity_actions');
/** Choose a photo (native dialog); resolves to its file name, or null when cancelled. */
export const pickPhoto = () => call<string | null>('pick_photo');
/** Use the file last dropped on the window as the photo; resolves to its name. */
export const takeDroppedPhoto = () => call<string | null>('take_dropped_photo');
/** Apply the photo picked or dropped (`pending`), or remove the customer's photo. */
export const setCustomerPhoto = (id: number, action: 'pending' | 'remove') => call<Customer>('set_customer_photo', { id, action });

/**
 * Where a customer's photo thumbnail is served (the shell's `photo:` scheme; lists and the
 * profile show thumbnails). The name makes a new photo a new URL.
 */
export function photoUrl(customerId: number, photo: string): string {
  try {
    return `${convertFileSrc(String(customerId), 'photo')}?v=${encodeURIComponent(photo)}&size=thumb`;
  } catch {
    return '';
  }
}

/** Be told when a file is dropped on the window (its name); resolves to the unsubscribe function. */
export async function onFileDropped(fn: (name: string) => void): Promise<() => void> {
  try {
    return await listen<string>('file-dropped', (e) => fn(e.payload));
  } catch {
    return () => undefined;
  }
}

export const restoreCustomers = (ids: number[]) => call<number>('restore_customers', { ids });
export const purgeCustomers = (ids: number[]) => call<number>('purge_customers', { ids });
export const emptyTrash = () => call<number>('empty_trash');
export const nextCustomerCode = () => call<string>('next_customer_code');
export const customerHistory = (id: number, beforeId: number | null, limit: number) =>
  call<HistoryEntry[]>('customer_history', { id, beforeId, limit });

export const catalogsAll = () => call<Catalogs>('catalogs_all');
export const catalogList = (kind: CatalogKind) => call<CatalogItemUsage[]>('catalog_list', { kind });
export const catalogAdd = (kind: CatalogKind, name: string, color: string | null) =>
  call<CatalogItem>('catalog_add', { kind, name, color });
export const catalogUpdate = (id: number, patch: CatalogItemPatch) => call<CatalogItem>('catalog_update', { id, patch });
export const catalogReorder = (kind: CatalogKind, ids: number[]) => call<CatalogItem[]>('catalog_reorder', { kind, ids });
export const catalogShift = (id: number, by: number) => call<CatalogItem[]>('catalog_shift', { id, by });
/** Resolves to how many customers moved to `replacement`. */
export const catalogDelete = (id: number, replacement: number | null) =>
  call<number>('catalog_delete', { id, replacement });

export const fieldSettings = () => call<FieldSettings>('field_settings');
export const setFieldSettings = (settings: FieldSettings) => call<FieldSettings>('set_field_settings', { settings });
export const duplicateRules = () => call<DuplicateRules>('duplicate_rules');
export const setDuplicateRules = (rules: DuplicateRules) => call<DuplicateRules>('set_duplicate_rules', { rules });
export const checkDuplicates = (input: CustomerInput, except: number | null) =>
  call<DuplicateMatch[]>('check_duplicates', { input, except });
export const lookupDuplicates = (query: string) => call<DuplicateMatch[]>('lookup_duplicates', { query });

export const listViews = () => call<SavedView[]>('list_views');
export const saveView = (input: SavedViewInput) => call<SavedView>('save_view', { input });
export const deleteView = (id: number) => call<null>('delete_view', { id });

/** The signed-in staff member's own UI preference (JSON the UI owns), or null. */
export const uiPref = (key: string) => call<unknown>('ui_pref', { key });
export const setUiPref = (key: string, value: unknown) => call<null>('set_ui_pref', { key, value });

export const getLanguage = () => call<Language>('get_language');
export const setLanguage = (language: Language) => call<null>('set_language', { language });
export const stats = () => call<Stats>('stats');

// --- spreadsheets in and out (src-tauri/src/transfer_commands.rs) ---

function channel<T>(onMessage: (m: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = onMessage;
  return c;
}

/** Choose the file to import (native dialog); resolves to its name, or null when cancelled. */
export const importPickFile = () => call<string | null>('import_pick_file');
/** Use the file last dropped on the window as the file to import; resolves to its name. */
export const importDroppedFile = () => call<string | null>('import_dropped_file');
/** The chosen file's sheet and headers (the shell's `ImportHeaders`). */
export interface ImportHeaders {
  file_name: string;
  format: ImportFormat;
  sheet_name: string | null;
  sheet_names: string[];
  headers: string[];
  /** The automatic mapping. */
  mapping: (ImportField | null)[];
  /** The automatic mapping as follow-up records (kind `care`). */
  care_mapping?: (FollowUpField | null)[];
  /** A few values of each column, from its first rows. */
  samples: string[][];
}
/** The chosen file's headers, the automatic mapping and a few values per column, without reading every row. */
export const importHeaders = (sheet: string | null) => call<ImportHeaders>('import_headers', { sheet });
/** A dry run of the chosen file; reading progress streams to `onProgress`. */
export const importPreview = (options: ImportOptions, onProgress: (p: ImportProgress) => void) =>
  call<ImportReport>('import_preview', { options, onProgress: channel(onProgress) });
/** Import the chosen file (one transaction); rejects with `operation.cancelled` after `importCancel`. */
export const importRun = (options: ImportOptions, onProgress: (p: ImportProgress) => void) =>
  call<ImportReport>('import_run', { options, onProgress: channel(onProgress) });
export const importCancel = () => call<null>('import_cancel').then(() => undefined);
export const importRevert = (batchId: number) => call<ImportBatch>('import_revert', { batchId });
export const importBatches = (limit: number) => call<ImportBatch[]>('import_batches', { limit });
/** Save the rejected rows as xlsx (native save dialog); resolves to the rows written, or null when cancelled. */
export const importSaveErrorReport = (options: ImportOptions) => call<number | null>('import_save_error_report', { options });

/** Export progress (the shell's `ExportProgress`). */
export interface ExportProgress {
  done: number;
  total: number;
}
/** Export customers (native save dialog first); null when the dialog was cancelled. */
export const exportCustomers = (request: ExportRequest, onProgress: (p: ExportProgress) => void) =>
  call<ExportReport | null>('export_customers', { request, onProgress: channel(onProgress) });
export const exportCancel = () => call<null>('export_cancel').then(() => undefined);
/** Save an import template (native save dialog); resolves to the file's name, or null when cancelled. */
export const saveTemplate = (kind: TemplateKind) => call<string | null>('save_template', { kind });

/** A file dragged over the window: `enter`/`over` while it hovers, `leave`, or `drop`. */
export type DragHover = 'enter' | 'over' | 'leave' | 'drop';

/** Be told while files are dragged over the window (Tauri's drag-drop events); resolves to the unsubscribe function. */
export async function onDragHover(fn: (what: DragHover) => void): Promise<() => void> {
  const events: [string, DragHover][] = [
    ['tauri://drag-enter', 'enter'],
    ['tauri://drag-over', 'over'],
    ['tauri://drag-leave', 'leave'],
    ['tauri://drag-drop', 'drop'],
  ];
  try {
    const offs = await Promise.all(events.map(([name, what]) => listen(name, () => fn(what))));
    return () => offs.forEach((off) => off());
  } catch {
    return () => undefined;
  }
}

// --- care schedule (src-tauri/src/care_commands.rs); the core decides who sees and changes what ---
// `due` is a local date (`2026-12-01`) or date and time (`2026-12-01T09:30`); `tz` the IANA zone it is in.
export const careSchedule = (customerId: number, input: CareInput) => call<CareActivity>('care_schedule', { customerId, input });
/** Mark done with an outcome; `next` schedules the following activity in the same step. */
export const careComplete = (id: number, outcome: string, next: CareInput | null) => call<Completed>('care_complete', { id, outcome, next });
export const careReschedule = (id: number, due: string, tz: string | null) => call<CareActivity>('care_reschedule', { id, due, tz });
export const careCancel = (id: number, reason: string | null) => call<CareActivity>('care_cancel', { id, reason });
export const careGet = (id: number) => call<CareActivity>('care_get', { id });
/** One page of activities (keyset: `after` is the previous page's `next`). */
export const careList = (filter: CareFilter, after: CareCursor | null, limit: number) => call<CarePage>('care_list', { filter, after, limit });
export const careCounts = (filter: CareFilter) => call<CareCounts>('care_counts', { filter });
/** A customer's timeline, newest first; `before` is the last entry of the previous page. */
export const careTimeline = (customerId: number, kinds: TimelineKind[], before: TimelineCursor | null, limit: number) =>
  call<TimelineEntry[]>('care_timeline', { customerId, kinds, before, limit });
export const careRules = () => call<CareRule[]>('care_rules');
/** Create (`id` null) or change a rule; the core plans the activities it calls for. */
export const careSaveRule = (rule: CareRuleInput) => call<CareRule>('care_save_rule', { rule });
export const careDeleteRule = (id: number) => call<null>('care_delete_rule', { id });
/** Be told when a care reminder is clicked (the customer to open); resolves to the unsubscribe function. */
export async function onCareReminderClicked(fn: (customerId: number) => void): Promise<() => void> {
  try {
    return await listen<number>('care-open-customer', (e) => fn(e.payload));
  } catch {
    return () => undefined;
  }
}
/** The signed-in member's timed activities due within `withinMinutes` (none when reminders are off). */
export const careDueSoon = (withinMinutes: number) => call<CareActivity[]>('care_due_soon', { withinMinutes });

/** Development only: answer every command with `handler` instead of the shell (see src/dev/). */
export type MockHandler = (cmd: string, args: Record<string, unknown>) => unknown;

export async function installMock(handler: MockHandler): Promise<void> {
  const { mockConvertFileSrc, mockIPC } = await import('@tauri-apps/api/mocks');
  mockIPC((cmd, payload) => handler(cmd, (payload ?? {}) as Record<string, unknown>), { shouldMockEvents: true });
  mockConvertFileSrc('linux');
}

// The import wizard's state machine, without any DOM: choose a file → check the mapping and the
// options → preview (a dry run by the core) → import with progress and Cancel → the result, with
// Revert. Every number shown comes from the core's report; every rule (required columns, e-mail
// format, duplicates, permissions) is the core's. The wizard only collects the options and says
// which step the user is on.

import type { ErrorBody } from '../bindings/ErrorBody';
import type { FollowUpField } from '../bindings/FollowUpField';
import type { ImportBatch } from '../bindings/ImportBatch';
import type { ImportField } from '../bindings/ImportField';
import type { ImportMode } from '../bindings/ImportMode';
import type { ImportOptions } from '../bindings/ImportOptions';
import type { ImportPhase } from '../bindings/ImportPhase';
import type { ImportProgress } from '../bindings/ImportProgress';
import type { ImportReport } from '../bindings/ImportReport';
import type { KindChoice } from '../bindings/KindChoice';
import * as ipc from '../ipc';

export type WizardStep = 'file' | 'mapping' | 'preview' | 'importing' | 'result';

export const STEPS: readonly WizardStep[] = ['file', 'mapping', 'preview', 'importing'];

/** What the wizard shows of a file: from the core's report, or from its header row alone. */
export type FileInfo = Pick<ImportReport, 'file_name' | 'format' | 'sheet_name' | 'sheet_names' | 'headers' | 'mapping' | 'care_mapping'>;

/** Columns that can name the customer of a follow-up record. */
const CUSTOMER_COLUMNS: readonly (FollowUpField | null)[] = ['customer_code', 'phone', 'email'];

/** What the wizard asks of the shell (ipc.ts in the app; fakes in tests). */
export interface ImportApi {
  pickFile(): Promise<string | null>;
  droppedFile(): Promise<string | null>;
  headers(sheet: string | null): Promise<ipc.ImportHeaders>;
  preview(options: ImportOptions, onProgress: (p: ImportProgress) => void): Promise<ImportReport>;
  run(options: ImportOptions, onProgress: (p: ImportProgress) => void): Promise<ImportReport>;
  cancel(): Promise<void>;
  revert(batchId: number): Promise<ImportBatch>;
  saveErrorReport(options: ImportOptions): Promise<number | null>;
}

export const ipcImportApi: ImportApi = {
  pickFile: ipc.importPickFile,
  droppedFile: ipc.importDroppedFile,
  headers: ipc.importHeaders,
  preview: ipc.importPreview,
  run: ipc.importRun,
  cancel: ipc.importCancel,
  revert: ipc.importRevert,
  saveErrorReport: ipc.importSaveErrorReport,
};

export type Busy = 'reading' | 'previewing' | 'importing' | 'cancelling' | 'reverting' | 'saving' | null;

export interface ProgressView {
  phase: ImportPhase;
  done: number;
  total: number;
  /** 0..1, or null while the total is unknown (reading). */
  fraction: number | null;
  /** Rows per second so far (writing), or rows read per second (reading). */
  rate: number;
}

export interface Count {
  id: string;
  value: number;
}

/** A one-line outcome the wizard shows above its step (info, not an error). */
export type Notice = 'cancelled' | 'reverted' | 'error_report_saved' | null;

type Clock = () => number;

function errorBody(e: unknown): ErrorBody {
  return ipc.toApiError(e).body;
}

/** The options as a stable key: a preview is reused while the options have not changed. */
export function optionsKey(o: ImportOptions): string {
  return JSON.stringify([o.kind, o.mode, o.mapping, o.sheet, o.create_missing, o.default_owner_id, o.care_mapping ?? null]);
}

export class ImportWizardModel {
  step: WizardStep = 'file';
  fileName: string | null = null;
  /** The file's sheet, headers and detected mapping (from the first read). */
  inspected: FileInfo | null = null;
  /** A few values of each column, from the file's first rows. */
  sampleValues: string[][] = [];
  sheet: string | null = null;
  mapping: (ImportField | null)[] = [];
  /** The mapping the file came with (remembered or detected), to show what the user changed. */
  detected: (ImportField | null)[] = [];
  /** Follow-up records (kind `care`): the field of each column, and what the file came with. */
  careMapping: (FollowUpField | null)[] = [];
  careDetected: (FollowUpField | null)[] = [];
  kind: KindChoice = 'auto';
  /** `kind` became `care` because the file looked like follow-up records (not the user's choice). */
  private kindDetected = false;
  mode: ImportMode = 'skip';
  createMissing = true;
  defaultOwnerId: number | null = null;
  /** The dry run for `previewKey`. */
  preview: ImportReport | null = null;
  private previewKey = '';
  /** The import done (its `batch_id` reverts it). */
  result: ImportReport | null = null;
  reverted: ImportBatch | null = null;
  busy: Busy = null;
  progress: ProgressView | null = null;
  error: ErrorBody | null = null;
  notice: Notice = null;
  errorReportRows = 0;
  private started = 0;
  /** Bumped by `reset`: answers to requests made before it are dropped. */
  private generation = 0;

  constructor(
    private readonly api: ImportApi = ipcImportApi,
    private readonly onChange: () => void = () => undefined,
    private readonly now: Clock = () => performance.now(),
  ) {}

  private changed(): void {
    this.onChange();
  }

  /** Back to an empty first step. */
  reset(): void {
    this.generation++;
    this.step = 'file';
    this.fileName = null;
    this.inspected = null;
    this.sampleValues = [];
    this.sheet = null;
    this.mapping = [];
    this.detected = [];
    this.careMapping = [];
    this.careDetected = [];
    this.kind = 'auto';
    this.kindDetected = false;
    this.mode = 'skip';
    this.createMissing = true;
    this.defaultOwnerId = null;
    this.preview = null;
    this.previewKey = '';
    this.result = null;
    this.reverted = null;
    this.busy = null;
    this.progress = null;
    this.error = null;
    this.notice = null;
    this.changed();
  }

  get working(): boolean {
    return this.busy !== null;
  }

  /** An import is being written: closing the wizard must ask first (and then cancel it). */
  get importing(): boolean {
    return this.busy === 'importing' || this.busy === 'cancelling';
  }

  /** What the core is asked to do with the file. */
  options(): ImportOptions {
    return {
      kind: this.kind,
      mode: this.mode,
      mapping: this.inspected ? [...this.mapping] : null,
      sheet: this.sheet,
      create_missing: this.createMissing,
      default_owner_id: this.defaultOwnerId,
      // Follow-up records only: a customer import's options stay as they were.
      ...(this.isCare && this.inspected ? { care_mapping: [...this.careMapping] } : {}),
    };
  }

  /** Follow-up records: each row a done care activity on an existing customer. */
  get isCare(): boolean {
    return this.kind === 'care';
  }

  // --- step 1: the file ---

  async chooseFile(): Promise<void> {
    if (this.working || this.step === 'importing') return;
    await this.open(() => this.api.pickFile());
  }

  async useDroppedFile(): Promise<void> {
    if (this.working || this.step === 'importing') return;
    await this.open(() => this.api.droppedFile());
  }

  private async open(get: () => Promise<string | null>): Promise<void> {
    this.error = null;
    this.notice = null;
    let name: string | null;
    try {
      name = await get();
    } catch (e) {
      this.error = errorBody(e);
      this.changed();
      return;
    }
    if (name === null) return;
    // A kind the previous file's headers chose goes with that file.
    const keep = { kind: this.kindDetected ? ('auto' as const) : this.kind, mode: this.mode, createMissing: this.createMissing, owner: this.defaultOwnerId };
    this.reset();
    Object.assign(this, { kind: keep.kind, mode: keep.mode, createMissing: keep.createMissing, defaultOwnerId: keep.owner });
    this.fileName = name;
    await this.read(null);
  }

  /**
   * Read the file (or another sheet of it): the mapping the core would use and a first dry run,
   * and (beside it) the header row with a few values of each column.
   */
  private async read(sheet: string | null): Promise<void> {
    this.busy = 'reading';
    this.error = null;
    this.inspected = null;
    this.sampleValues = [];
    this.preview = null;
    this.previewKey = '';
    this.startProgress();
    const first: ImportOptions = {
      kind: this.kind,
      mode: this.mode,
      mapping: null,
      sheet,
      create_missing: this.createMissing,
      default_owner_id: this.defaultOwnerId,
    };
    const gen = this.generation;
    const headers = this.api.headers(sheet).then(
      (h) => h,
      () => null,
    );
    try {
      const report = await this.api.preview(first, (p) => this.onProgress(p));
      const h = await headers;
      if (gen !== this.generation) return;
      this.adopt(report, report.care_mapping !== undefined, h);
      if (h && h.headers.length === report.headers.length) this.sampleValues = h.samples;
      this.preview = report;
      this.previewKey = optionsKey(this.options());
    } catch (e) {
      if (gen !== this.generation) return;
      const err = errorBody(e);
      if (err.code === 'operation.cancelled') {
        this.fileName = null;
        this.notice = 'cancelled';
      } else if (err.code === 'import.no_name_column' || err.code === 'import.no_customer_column') {
        // No column looks like the name (or the customer of a follow-up record): show the
        // headers so the user can say which it is.
        const h = await headers;
        if (gen !== this.generation) return;
        if (h) {
          this.adopt(h, err.code === 'import.no_customer_column', h);
          this.sampleValues = h.samples;
          this.error = err;
        } else {
          this.error = err;
        }
      } else {
        this.error = err;
      }
    } finally {
      if (gen === this.generation) {
        this.busy = null;
        this.progress = null;
        this.changed();
      }
    }
  }

  /**
   * Take the file's headers and mappings from a report (`care`: a follow-up records report, whose
   * customer mapping is empty) and the header row `h` (both mappings, automatic).
   */
  private adopt(report: FileInfo, care: boolean, h: ipc.ImportHeaders | null): void {
    this.inspected = report;
    this.sheet = report.sheet_name;
    const same = h && h.headers.length === report.headers.length ? h : null;
    if (care) {
      this.careMapping = report.headers.map((_, i) => report.care_mapping?.[i] ?? null);
      this.mapping = report.headers.map((_, i) => same?.mapping[i] ?? null);
      if (this.kind !== 'care') {
        this.kind = 'care';
        this.kindDetected = true;
      }
    } else {
      this.mapping = report.headers.map((_, i) => report.mapping[i] ?? null);
      this.careMapping = report.headers.map((_, i) => same?.care_mapping?.[i] ?? null);
    }
    this.detected = [...this.mapping];
    this.careDetected = [...this.careMapping];
  }

  async chooseSheet(sheet: string): Promise<void> {
    if (this.working || !this.inspected || sheet === this.sheet) return;
    await this.read(sheet);
  }

  // --- step 2: mapping and options ---

  /** Column `index` fills `field` (null: ignored). A field fills one column: any other column that had it is ignored now. */
  setField(index: number, field: ImportField | null): void {
    if (index < 0 || index >= this.mapping.length) return;
    const next = [...this.mapping];
    if (field !== null) {
      next.forEach((f, i) => {
        if (f === field && i !== index) next[i] = null;
      });
    }
    next[index] = field;
    this.mapping = next;
    this.error = null;
    this.changed();
  }

  /** Follow-up records: column `index` fills `field` (null: ignored); one column per field. */
  setCareField(index: number, field: FollowUpField | null): void {
    if (index < 0 || index >= this.careMapping.length) return;
    const next = [...this.careMapping];
    if (field !== null) {
      next.forEach((f, i) => {
        if (f === field && i !== index) next[i] = null;
      });
    }
    next[index] = field;
    this.careMapping = next;
    this.error = null;
    this.changed();
  }

  /** Columns whose field differs from what the file came with. */
  get changedColumns(): number[] {
    if (this.isCare) return this.careMapping.flatMap((f, i) => (f !== (this.careDetected[i] ?? null) ? [i] : []));
    return this.mapping.flatMap((f, i) => (f !== (this.detected[i] ?? null) ? [i] : []));
  }

  /** Follow-up records: some column names the customer (code, phone or e-mail). */
  get hasCustomerColumn(): boolean {
    return this.careMapping.some((f) => CUSTOMER_COLUMNS.includes(f));
  }

  isCareTaken(field: FollowUpField, index: number): boolean {
    return this.careMapping.some((f, i) => f === field && i !== index);
  }

  get hasNameColumn(): boolean {
    return this.mapping.includes('name');
  }

  /** Other values a column may still take: fields not used by another column. */
  isTaken(field: ImportField, index: number): boolean {
    return this.mapping.some((f, i) => f === field && i !== index);
  }

  setKind(kind: KindChoice): void {
    this.kind = kind;
    this.kindDetected = false;
    this.changed();
  }

  setMode(mode: ImportMode): void {
    this.mode = mode;
    this.changed();
  }

  setCreateMissing(on: boolean): void {
    this.createMissing = on;
    this.changed();
  }

  setDefaultOwner(id: number | null): void {
    this.defaultOwnerId = id;
    this.changed();
  }

  /** A few values of a column: from the file's first rows, else from the problems the preview reported. */
  samples(index: number, max = 3): string[] {
    const first = this.sampleValues[index];
    if (first && first.length) return first.slice(0, max);
    const header = this.inspected?.headers[index];
    const report = this.preview;
    if (header === undefined || !report) return [];
    const out: string[] = [];
    for (const e of [...report.errors, ...report.warnings]) {
      if (e.column === header && e.value && !out.includes(e.value)) out.push(e.value);
      if (out.length >= max) break;
    }
    return out;
  }

  // --- moving between steps ---

  get canNext(): boolean {
    if (this.working) return false;
    switch (this.step) {
      case 'file':
        return this.inspected !== null;
      case 'mapping':
        return this.inspected !== null;
      case 'preview':
        return this.preview !== null && this.previewKey === optionsKey(this.options()) && this.preview.created + this.preview.updated > 0;
      default:
        return false;
    }
  }

  get canBack(): boolean {
    return !this.working && (this.step === 'mapping' || this.step === 'preview');
  }

  async next(): Promise<void> {
    if (!this.canNext) return;
    switch (this.step) {
      case 'file':
        this.step = 'mapping';
        this.error = null;
        this.notice = null;
        this.changed();
        return;
      case 'mapping':
        await this.runPreview();
        return;
      case 'preview':
        await this.runImport();
        return;
      default:
        return;
    }
  }

  back(): void {
    if (!this.canBack) return;
    this.step = this.step === 'preview' ? 'mapping' : 'file';
    this.error = null;
    this.notice = null;
    this.changed();
  }

  /** Go to a step already reached (the step list is clickable). */
  goTo(step: WizardStep): void {
    if (this.working || this.step === 'importing' || this.step === 'result') return;
    if (step === 'file' || (step === 'mapping' && this.inspected)) {
      this.step = step;
      this.error = null;
      this.notice = null;
      this.changed();
    } else if (step === 'preview' && this.inspected) void this.runPreview();
  }

  // --- step 3: the dry run ---

  async runPreview(): Promise<void> {
    if (this.working || !this.inspected) return;
    const options = this.options();
    const key = optionsKey(options);
    this.error = null;
    this.notice = null;
    if (this.preview && this.previewKey === key) {
      this.step = 'preview';
      this.changed();
      return;
    }
    this.busy = 'previewing';
    this.startProgress();
    this.changed();
    const gen = this.generation;
    try {
      const report = await this.api.preview(options, (p) => this.onProgress(p));
      if (gen !== this.generation) return;
      this.preview = report;
      this.previewKey = key;
      this.step = 'preview';
    } catch (e) {
      if (gen !== this.generation) return;
      this.error = errorBody(e);
      if (this.error.code === 'operation.cancelled') {
        this.error = null;
        this.notice = 'cancelled';
      }
    } finally {
      if (gen === this.generation) {
        this.busy = null;
        this.progress = null;
        this.changed();
      }
    }
  }

  /** Counts of the dry run (or of the import done), in the order shown. */
  counts(report: ImportReport | null = this.step === 'result' ? this.result : this.preview): Count[] {
    if (!report) return [];
    if (report.care_mapping !== undefined) {
      return [
        { id: 'rows', value: report.rows },
        { id: 'valid', value: report.valid },
        { id: 'invalid', value: report.invalid },
        { id: 'created', value: report.created },
      ];
    }
    return [
      { id: 'rows', value: report.rows },
      { id: 'valid', value: report.valid },
      { id: 'invalid', value: report.invalid },
      { id: 'duplicate_groups', value: report.duplicate_groups },
      { id: 'matches_existing', value: report.matches_existing },
      { id: 'created', value: report.created },
      { id: 'updated', value: report.updated },
      { id: 'skipped', value: report.skipped },
    ];
  }

  /** Invalid rows by reason, most frequent first. */
  reasons(report: ImportReport | null = this.preview): { code: string; count: number }[] {
    if (!report) return [];
    return Object.entries(report.invalid_by_reason)
      .map(([code, count]) => ({ code, count: Number(count) }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }

  /** Catalog values the import creates (or rejects rows for), by catalog. */
  newValues(report: ImportReport | null = this.preview): { kind: string; names: string[] }[] {
    if (!report) return [];
    return Object.entries(report.new_catalog_items)
      .filter(([, names]) => names.length > 0)
      .map(([kind, names]) => ({ kind, names }));
  }

  async saveErrorReport(): Promise<void> {
    if (this.working || !this.inspected) return;
    this.busy = 'saving';
    this.error = null;
    this.notice = null;
    this.changed();
    try {
      const rows = await this.api.saveErrorReport(this.options());
      if (rows !== null) {
        this.errorReportRows = rows;
        this.notice = 'error_report_saved';
      }
    } catch (e) {
      this.error = errorBody(e);
    } finally {
      this.busy = null;
      this.changed();
    }
  }

  // --- step 4: the import ---

  async runImport(): Promise<void> {
    if (this.working || !this.preview) return;
    const options = this.options();
    this.step = 'importing';
    this.busy = 'importing';
    this.error = null;
    this.notice = null;
    this.startProgress();
    this.changed();
    try {
      this.result = await this.api.run(options, (p) => this.onProgress(p));
      this.step = 'result';
    } catch (e) {
      const err = errorBody(e);
      this.step = 'preview';
      if (err.code === 'operation.cancelled') this.notice = 'cancelled';
      else this.error = err;
    } finally {
      this.busy = null;
      this.progress = null;
      this.changed();
    }
  }

  /** Stop the running read or import; the core rolls everything back. */
  async cancel(): Promise<void> {
    if (this.busy !== 'importing' && this.busy !== 'previewing' && this.busy !== 'reading') return;
    if (this.busy === 'importing') this.busy = 'cancelling';
    this.changed();
    try {
      await this.api.cancel();
    } catch (e) {
      this.error = errorBody(e);
      this.changed();
    }
  }

  async revert(): Promise<ImportBatch | null> {
    const id = this.result?.batch_id;
    if (this.working || id === null || id === undefined || this.reverted) return null;
    this.busy = 'reverting';
    this.error = null;
    this.changed();
    try {
      this.reverted = await this.api.revert(id);
      this.notice = 'reverted';
      return this.reverted;
    } catch (e) {
      this.error = errorBody(e);
      return null;
    } finally {
      this.busy = null;
      this.changed();
    }
  }

  // --- progress ---

  private startProgress(): void {
    this.started = this.now();
    this.progress = { phase: 'reading', done: 0, total: 0, fraction: null, rate: 0 };
  }

  /** A progress message from the core; the rate counts from the start of its phase. */
  onProgress(p: ImportProgress): void {
    if (this.progress && this.progress.phase !== p.phase && p.phase === 'writing') this.started = this.now();
    const seconds = Math.max(0.001, (this.now() - this.started) / 1000);
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : p.phase === 'finishing' ? 1 : null;
    this.progress = { phase: p.phase, done: p.done, total: p.total, fraction, rate: Math.round(p.done / seconds) };
    this.changed();
  }
}

// Development only: the spreadsheet commands (import wizard, export, templates) for the mock
// backend. "Choose file" returns a small built-in workbook of messy rows (two sheets, an unknown
// column, missing names, a bad e-mail, duplicates, a new level, a match with an existing
// customer), so every part of the wizard can be seen and tested in a browser. It imitates the
// core's report closely enough for the UI; the real rules live in the core and its tests.

import type { Actor } from '../bindings/Actor';
import type { CatalogKind } from '../bindings/CatalogKind';
import type { CustomerInput } from '../bindings/CustomerInput';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { ExportReport } from '../bindings/ExportReport';
import type { ExportRequest } from '../bindings/ExportRequest';
import type { ImportBatch } from '../bindings/ImportBatch';
import type { ImportField } from '../bindings/ImportField';
import type { ImportOptions } from '../bindings/ImportOptions';
import type { ImportProgress } from '../bindings/ImportProgress';
import type { ImportReport } from '../bindings/ImportReport';
import type { RowError } from '../bindings/RowError';
import type { TemplateKind } from '../bindings/TemplateKind';
import type { ImportHeaders } from '../ipc';
import type { MockDb } from './mock-backend';

function fail(code: string, message: string): never {
  const body: ErrorBody = { code, message, details: null };
  throw body;
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/[\s_.*:-]+/g, '');
}

function phoneKey(p: string): string | null {
  let d = p.replace(/\D/g, '');
  if (d.startsWith('84') && d.length >= 11) d = `0${d.slice(2)}`;
  else if (d.length === 9 && !d.startsWith('0')) d = `0${d}`;
  return d.length >= 6 ? d : null;
}

/** Header aliases, folded (a few of the core's). */
const ALIASES: Record<string, ImportField> = {
  tenkhachhang: 'name',
  customername: 'name',
  name: 'name',
  sdt: 'phone',
  phone: 'phone',
  email: 'email',
  thudientu: 'email',
  hang: 'level',
  level: 'level',
  loaikh: 'type',
  loaikhachhang: 'type',
  type: 'type',
  diachi: 'address',
  address: 'address',
  masothue: 'tax_code',
  mst: 'tax_code',
};

type Cell = string;

interface MockSheet {
  headers: string[];
  rows: Cell[][];
}

/** The built-in workbook: name, phone, e-mail, level, kind, an unknown column, address. */
function workbook(db: MockDb): Record<string, MockSheet> {
  const given = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Khánh', 'Lan', 'Linh'];
  const family = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'];
  const levels = db.itemsOf('level').map((i) => i.name);
  const existing = [...db.customers.values()].find((c) => !c.deleted_at && c.phones.length > 0);
  const rows: Cell[][] = [];
  for (let i = 0; i < 60; i++) {
    const name = `${family[i % family.length]} Thị ${given[(i * 7) % given.length]}`;
    const phone = `0912 ${String(100000 + i * 37).slice(0, 3)} ${String(1000 + i).slice(-3)}`;
    const email = `${fold(name)}${i}@example.vn`;
    rows.push([name, phone, email, levels[i % Math.max(1, levels.length)] ?? '', i % 5 === 0 ? 'Doanh nghiệp' : 'Cá nhân', `ghi chú ${i + 1}`, `${i + 1} Lê Lợi, Quận 1`]);
  }
  // Faults: two missing names, a bad e-mail, a duplicate by phone (written differently), one by
  // e-mail, a level that is not in the catalog, an unknown kind word, a match with an existing
  // customer.
  const at = (i: number) => rows[i] as Cell[];
  at(6)[0] = '';
  at(22)[0] = '   ';
  at(14)[2] = 'an.nguyen@';
  at(31)[1] = `+84 ${(at(3)[1] ?? '').slice(1)}`;
  at(44)[2] = (at(40)[2] ?? '').toUpperCase();
  at(50)[3] = 'Kim cương';
  at(52)[4] = 'Đối tác';
  if (existing) at(57)[1] = existing.phones[0] ?? '';
  return {
    'Khách hàng': { headers: ['Tên khách hàng', 'SĐT', 'E-mail', 'Hạng', 'Loại KH', 'Ghi chú nội bộ', 'Địa chỉ'], rows },
    'Khách cũ': { headers: ['Customer Name', 'Phone', 'Email'], rows: rows.slice(0, 8).map((r) => [r[0] ?? '', r[1] ?? '', `old.${r[2] ?? ''}`]) },
  };
}

interface Plan {
  report: ImportReport;
  /** Row index → what happens. */
  fates: { index: number; input: CustomerInput; fate: 'create' | 'update' | 'skip'; target: number | null }[];
  newLevels: string[];
}

interface BatchRecord extends ImportBatch {
  createdIds: number[];
  before: Map<number, string>;
}

interface TransferMock {
  file: string | null;
  dropped: string | null;
  cancelImport: boolean;
  cancelExport: boolean;
  batches: BatchRecord[];
}

const states = new WeakMap<MockDb, TransferMock>();

export function transferState(db: MockDb): TransferMock {
  let s = states.get(db);
  if (!s) {
    s = { file: null, dropped: null, cancelImport: false, cancelExport: false, batches: [] };
    states.set(db, s);
  }
  return s;
}

/** Make `name` the file "dropped" on the window (the next `import_dropped_file` takes it). */
export function mockDrop(db: MockDb, name: string): void {
  transferState(db).dropped = name;
}

const FILE_NAME = 'khach-hang-mau.xlsx';

function emptyInput(): CustomerInput {
  return {
    code: null,
    kind: 'individual',
    name: '',
    phones: [],
    emails: [],
    address: null,
    tax_code: null,
    website: null,
    birthday: null,
    founded_on: null,
    gender: null,
    notes: null,
    owner_id: null,
    segment_id: null,
    level_id: null,
    group_ids: [],
    status_id: null,
    channel_id: null,
    service_manager_id: null,
    email_consent: false,
    products: [],
    invoice_type_ids: [],
    legal_entities: [],
    contacts: [],
    referrer_customer_id: null,
    referrer_supplier: null,
    photo: null,
    allow_duplicate: true,
  };
}

function baseReport(file: string, sheetName: string, sheets: Record<string, MockSheet>, mapping: (ImportField | null)[]): ImportReport {
  const sheet = sheets[sheetName] as MockSheet;
  return {
    file_name: file,
    format: 'xlsx',
    sheet_name: sheetName,
    sheet_names: Object.keys(sheets),
    headers: sheet.headers,
    mapping,
    mode: 'skip',
    dry_run: true,
    rows: 0,
    valid: 0,
    invalid: 0,
    invalid_by_reason: {},
    valid_by_kind: {},
    duplicate_groups: 0,
    duplicate_group_rows: [],
    matches_existing: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    errors: [],
    errors_total: 0,
    warnings: [],
    warnings_total: 0,
    new_catalog_items: {},
    batch_id: null,
    seconds: 0.02,
  };
}

function sheetOf(db: MockDb, sheet: string | null): { name: string; sheets: Record<string, MockSheet> } {
  const sheets = workbook(db);
  const name = sheet ?? Object.keys(sheets)[0] ?? '';
  if (!sheets[name]) fail('import.sheet_not_found', `the workbook has no sheet named "${name}"`);
  return { name, sheets };
}

function plan(db: MockDb, actor: Actor, file: string, o: ImportOptions): Plan {
  const { name, sheets } = sheetOf(db, o.sheet);
  const sheet = sheets[name] as MockSheet;
  const mapping = sheet.headers.map((h, i) => (o.mapping ? (o.mapping[i] ?? null) : (ALIASES[fold(h)] ?? null)));
  const seen = new Set<ImportField>();
  for (const f of mapping) {
    if (f === null) continue;
    if (seen.has(f)) fail('input.bad_argument', `column ${f} is mapped twice`);
    seen.add(f);
  }
  if (!mapping.includes('name')) fail('import.no_name_column', 'no column holds the customer name');
  const report = baseReport(file, name, sheets, mapping);
  report.mode = o.mode;
  const col = (f: ImportField) => mapping.indexOf(f);
  const levels = new Map(db.itemsOf('level').map((i) => [fold(i.name), i.id]));
  const existingByPhone = new Map<string, number>();
  for (const c of db.customers.values()) {
    if (c.deleted_at) continue;
    for (const p of c.phones) {
      const k = phoneKey(p);
      if (k) existingByPhone.set(k, c.id);
    }
  }
  const newLevels: string[] = [];
  const fates: Plan['fates'] = [];
  const firstByKey = new Map<string, number>();
  const groups = new Map<number, number[]>();
  sheet.rows.forEach((cells, index) => {
    const rowNo = index + 2;
    const get = (f: ImportField) => (col(f) >= 0 ? (cells[col(f)] ?? '').trim() : '');
    report.rows++;
    const errors: RowError[] = [];
    const input = emptyInput();
    input.name = get('name');
    if (!input.name) errors.push({ row: rowNo, column: sheet.headers[col('name')] ?? null, code: 'missing_name', value: null });
    const email = get('email');
    if (email) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) errors.push({ row: rowNo, column: sheet.headers[col('email')] ?? null, code: 'invalid_email', value: email });
      else input.emails = [email.toLowerCase()];
    }
    const phone = get('phone');
    if (phone) input.phones = [phone];
    const address = get('address');
    if (address) input.address = address;
    const kindWord = fold(get('type'));
    if (kindWord === 'doanhnghiep' || kindWord === 'business') input.kind = 'business';
    else if (kindWord && kindWord !== 'canhan' && kindWord !== 'individual') {
      errors.push({ row: rowNo, column: sheet.headers[col('type')] ?? null, code: 'bad_kind', value: get('type') });
    }
    if (o.kind === 'individual' || o.kind === 'business') input.kind = o.kind;
    const level = get('level');
    if (level) {
      const id = levels.get(fold(level));
      if (id !== undefined) input.level_id = id;
      else if (o.create_missing) {
        if (!newLevels.includes(level)) newLevels.push(level);
      } else errors.push({ row: rowNo, column: sheet.headers[col('level')] ?? null, code: 'unknown_value', value: level });
    }
    if (errors.length) {
      report.invalid++;
      const first = errors[0]?.code ?? 'invalid';
      report.invalid_by_reason[first] = (report.invalid_by_reason[first] ?? 0) + 1;
      for (const e of errors) {
        report.errors_total++;
        if (report.errors.length < 1000) report.errors.push(e);
      }
      return;
    }
    report.valid++;
    report.valid_by_kind[input.kind] = (report.valid_by_kind[input.kind] ?? 0) + 1;
    // Duplicates within the file (by phone or e-mail), then with existing customers.
    const keys = [...input.phones.map(phoneKey).filter((k): k is string => !!k).map((k) => `p${k}`), ...input.emails.map((e) => `e${e}`)];
    const earlier = keys.map((k) => firstByKey.get(k)).find((v) => v !== undefined);
    const existing = input.phones.map((p) => existingByPhone.get(phoneKey(p) ?? '')).find((v) => v !== undefined) ?? null;
    if (existing !== null) report.matches_existing++;
    let fate: 'create' | 'update' | 'skip' = 'create';
    let target: number | null = existing;
    if (earlier !== undefined) {
      const g = groups.get(earlier) ?? [earlier + 2];
      g.push(rowNo);
      groups.set(earlier, g);
      fate = o.mode === 'create' ? 'create' : o.mode === 'update' ? 'update' : 'skip';
      target = null;
    } else if (existing !== null) {
      fate = o.mode === 'create' ? 'create' : o.mode === 'update' ? 'update' : 'skip';
    }
    for (const k of keys) if (!firstByKey.has(k)) firstByKey.set(k, index);
    fates.push({ index, input, fate, target });
    report[fate === 'create' ? 'created' : fate === 'update' ? 'updated' : 'skipped']++;
  });
  report.duplicate_groups = groups.size;
  report.duplicate_group_rows = [...groups.values()];
  if (newLevels.length) report.new_catalog_items = { level: newLevels };
  if (o.default_owner_id === null && col('owner') >= 0) {
    report.warnings.push({ row: 2, column: sheet.headers[col('owner')] ?? null, code: 'unknown_owner', value: '?' });
    report.warnings_total = 1;
  }
  void actor;
  return { report, fates, newLevels };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The channel the UI handed in (the mock receives the `Channel` object itself). */
function sender<T>(channel: unknown): (m: T) => void {
  const c = channel as { onmessage?: (m: T) => void } | null;
  return (m) => c?.onmessage?.(m);
}

export interface MockTransferOptions {
  /** Pause between progress messages (ms); 0 in tests. */
  step: number;
}

/**
 * Answer a spreadsheet command, or `undefined` when `cmd` is not one. Long commands resolve
 * asynchronously, streaming progress to their channel.
 */
export function mockTransfer(db: MockDb, actor: Actor, cmd: string, a: Record<string, unknown>, opts: MockTransferOptions = { step: 60 }): unknown {
  const s = transferState(db);
  const requireFile = (): string => s.file ?? fail('input.bad_argument', 'no file was chosen for the import');
  switch (cmd) {
    case 'import_pick_file':
      s.file = FILE_NAME;
      return s.file;
    case 'import_dropped_file': {
      const name = s.dropped;
      s.dropped = null;
      if (name) s.file = name;
      return name;
    }
    case 'import_headers': {
      const file = requireFile();
      const { name, sheets } = sheetOf(db, (a['sheet'] as string | null) ?? null);
      const sheet = sheets[name] as MockSheet;
      const samples = sheet.headers.map((_, i) => [...new Set(sheet.rows.slice(0, 50).map((r) => (r[i] ?? '').trim()).filter(Boolean))].slice(0, 3));
      const headers: ImportHeaders = {
        file_name: file,
        format: 'xlsx',
        sheet_name: name,
        sheet_names: Object.keys(sheets),
        headers: sheet.headers,
        mapping: sheet.headers.map((h) => ALIASES[fold(h)] ?? null),
        samples,
      };
      return headers;
    }
    case 'import_preview':
    case 'import_run':
      return runImport(db, actor, s, requireFile(), a['options'] as ImportOptions, sender<ImportProgress>(a['onProgress']), cmd === 'import_run', opts.step);
    case 'import_cancel':
      s.cancelImport = true;
      return null;
    case 'import_batches':
      return s.batches
        .slice()
        .reverse()
        .slice(0, Number(a['limit'] ?? 50))
        .map(({ createdIds: _c, before: _b, ...b }) => b);
    case 'import_revert':
      return revert(db, actor, s, a['batchId'] as number);
    case 'import_save_error_report': {
      const file = requireFile();
      return plan(db, actor, file, a['options'] as ImportOptions).report.invalid;
    }
    case 'export_customers':
      return exportCustomers(db, s, a['request'] as ExportRequest, sender<{ done: number; total: number }>(a['onProgress']), opts.step);
    case 'export_cancel':
      s.cancelExport = true;
      return null;
    case 'save_template': {
      const kind = a['kind'] as TemplateKind;
      const vi = db.language === 'vi';
      const names: Record<TemplateKind, string> = vi
        ? { individual: 'Mẫu - khách hàng cá nhân.xlsx', business: 'Mẫu - khách hàng doanh nghiệp.xlsx', care: 'Mẫu - chăm sóc khách hàng.xlsx' }
        : { individual: 'Template - individual customers.xlsx', business: 'Template - business customers.xlsx', care: 'Template - follow-ups.xlsx' };
      return names[kind];
    }
  }
  return undefined;
}

async function runImport(
  db: MockDb,
  actor: Actor,
  s: TransferMock,
  file: string,
  options: ImportOptions,
  progress: (p: ImportProgress) => void,
  commit: boolean,
  step: number,
): Promise<ImportReport> {
  s.cancelImport = false;
  const p = plan(db, actor, file, options);
  const cancelled = () => {
    if (s.cancelImport) fail('operation.cancelled', 'the operation was cancelled');
  };
  progress({ phase: 'reading', done: 0, total: 0 });
  await tick(step);
  cancelled();
  progress({ phase: 'reading', done: p.report.rows, total: 0 });
  if (!commit) return p.report;
  const toWrite = p.fates.filter((f) => f.fate !== 'skip');
  const chunks = Math.max(1, Math.ceil(toWrite.length / 10));
  for (let done = 0; done < toWrite.length; done += chunks) {
    progress({ phase: 'writing', done, total: toWrite.length });
    await tick(step);
    cancelled();
  }
  progress({ phase: 'finishing', done: toWrite.length, total: toWrite.length });
  // All or nothing: write only now that nothing can cancel.
  const levelIds = new Map<string, number>();
  if (options.create_missing) for (const name of p.newLevels) levelIds.set(name, db.addItem('level' as CatalogKind, name, null).id);
  const id = (s.batches[s.batches.length - 1]?.id ?? 0) + 1;
  const batch: BatchRecord = {
    id,
    file_name: file,
    mode: options.mode,
    rows: p.report.rows,
    created: 0,
    updated: 0,
    skipped: p.report.skipped,
    failed: p.report.invalid,
    actor_id: actor.staff_id,
    actor_name: actor.name,
    at: new Date().toISOString(),
    reverted_at: null,
    createdIds: [],
    before: new Map(),
  };
  const sheet = workbook(db)[p.report.sheet_name ?? ''];
  const levelCol = p.report.mapping.indexOf('level');
  for (const f of p.fates) {
    if (f.fate === 'skip') continue;
    const levelName = levelCol >= 0 ? (sheet?.rows[f.index]?.[levelCol] ?? '').trim() : '';
    if (levelIds.has(levelName)) f.input.level_id = levelIds.get(levelName) ?? null;
    f.input.owner_id = options.default_owner_id;
    if (f.fate === 'update' && f.target !== null) {
      const c = db.get(f.target);
      batch.before.set(c.id, JSON.stringify(c));
      Object.assign(c, { name: f.input.name, emails: f.input.emails.length ? f.input.emails : c.emails, level_id: f.input.level_id ?? c.level_id });
      batch.updated++;
    } else if (f.fate === 'create') {
      batch.createdIds.push(db.insert(f.input, actor).id);
      batch.created++;
    }
  }
  s.batches.push(batch);
  return { ...p.report, dry_run: false, batch_id: id, created: batch.created, updated: batch.updated };
}

function revert(db: MockDb, actor: Actor, s: TransferMock, batchId: number): ImportBatch {
  const b = s.batches.find((x) => x.id === batchId);
  if (!b) fail('import_batch.not_found', `import_batch ${batchId} not found`);
  if (b.actor_id !== actor.staff_id && actor.role === 'staff') fail('permission.denied', 'only the staff member who imported, or a manager, can revert it');
  if (b.reverted_at) fail('input.bad_argument', 'this import was already reverted');
  for (const id of b.createdIds) db.customers.delete(id);
  for (const [id, json] of b.before) {
    const c = db.customers.get(id);
    if (c) Object.assign(c, JSON.parse(json) as object);
  }
  b.reverted_at = new Date().toISOString();
  const { createdIds: _c, before: _b, ...out } = b;
  return out;
}

async function exportCustomers(
  db: MockDb,
  s: TransferMock,
  request: ExportRequest,
  progress: (p: { done: number; total: number }) => void,
  step: number,
): Promise<ExportReport | null> {
  s.cancelExport = false;
  const src = request.source;
  const total = 'query' in src ? db.matching(src.query.search, src.query.trash, src.query.filter).length : db.selectionIds(src.selection).length;
  const chunk = Math.max(1, Math.ceil(total / 8));
  for (let done = 0; done < total; done += chunk) {
    progress({ done, total });
    await tick(step);
    if (s.cancelExport) fail('operation.cancelled', 'the operation was cancelled');
  }
  progress({ done: total, total });
  const stem = request.language === 'vi' ? 'khách hàng' : 'customers';
  return { rows: total, sheets: 1, path: `/home/mai/Documents/${stem} ${new Date().toISOString().slice(0, 10)}.${request.format}` };
}

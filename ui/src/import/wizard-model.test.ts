// The import wizard's state machine over the mock backend (through ipc.ts, channels included):
// mapping edits become ImportOptions.mapping, the counts come from the core's report, the
// import can be cancelled (nothing changes) or run and reverted. Plus the fallback when no
// column looks like the name, with a fake shell.

import { beforeEach, describe, expect, it } from 'vitest';

import type { ImportOptions } from '../bindings/ImportOptions';
import type { ImportReport } from '../bindings/ImportReport';
import { installMockBackend, type MockDb } from '../dev/mock-backend';
import { ImportWizardModel, ipcImportApi, optionsKey, type ImportApi } from './wizard-model';

function live(db: MockDb): number {
  return [...db.customers.values()].filter((c) => !c.deleted_at).length;
}

describe('ImportWizardModel over the mock backend', () => {
  let db: MockDb;
  let model: ImportWizardModel;
  let changes: number;

  beforeEach(async () => {
    db = await installMockBackend(new URLSearchParams('mock&n=40&latency=0'));
    changes = 0;
    model = new ImportWizardModel(ipcImportApi, () => changes++);
  });

  async function toMapping(): Promise<void> {
    await model.chooseFile();
    expect(model.step).toBe('file');
    expect(model.canNext).toBe(true);
    await model.next();
    expect(model.step).toBe('mapping');
  }

  it('reads the chosen file: name, sheets, headers and the detected mapping', async () => {
    await model.chooseFile();
    expect(model.fileName).toBe('khach-hang-mau.xlsx');
    expect(model.inspected?.sheet_names).toEqual(['Khách hàng', 'Khách cũ']);
    expect(model.inspected?.headers[0]).toBe('Tên khách hàng');
    expect(model.mapping).toEqual(['name', 'phone', 'email', 'level', 'type', null, 'address']);
    expect(model.preview?.rows).toBe(60);
    expect(model.busy).toBeNull();
    expect(changes).toBeGreaterThan(0);
  });

  it('turns mapping edits into ImportOptions.mapping, one column per field', async () => {
    await toMapping();
    model.setField(5, 'notes');
    expect(model.options().mapping).toEqual(['name', 'phone', 'email', 'level', 'type', 'notes', 'address']);
    // A field fills one column: giving the e-mail to column 1 ignores column 2.
    model.setField(1, 'email');
    expect(model.options().mapping).toEqual(['name', 'email', null, 'level', 'type', 'notes', 'address']);
    expect(model.changedColumns).toEqual([1, 2, 5]);
    model.setField(3, null);
    expect(model.options().mapping?.[3]).toBeNull();
    expect(model.isTaken('email', 2)).toBe(true);
    expect(model.hasNameColumn).toBe(true);
    model.setKind('business');
    model.setMode('update');
    model.setCreateMissing(false);
    model.setDefaultOwner(2);
    const o: ImportOptions = model.options();
    expect(o).toEqual({
      kind: 'business',
      mode: 'update',
      mapping: ['name', 'email', null, null, 'type', 'notes', 'address'],
      sheet: 'Khách hàng',
      create_missing: false,
      default_owner_id: 2,
    });
  });

  it('shows the core’s counts in the preview, and asks again only when the options change', async () => {
    await toMapping();
    await model.next();
    expect(model.step).toBe('preview');
    const r = model.preview as ImportReport;
    const counts = Object.fromEntries(model.counts().map((c) => [c.id, c.value]));
    expect(counts).toEqual({
      rows: r.rows,
      valid: r.valid,
      invalid: r.invalid,
      duplicate_groups: r.duplicate_groups,
      matches_existing: r.matches_existing,
      created: r.created,
      updated: r.updated,
      skipped: r.skipped,
    });
    expect(counts['rows']).toBe(60);
    expect(counts['invalid']).toBe(4);
    expect(counts['valid']).toBe(56);
    expect(counts['duplicate_groups']).toBe(2);
    expect((counts['created'] ?? 0) + (counts['updated'] ?? 0) + (counts['skipped'] ?? 0)).toBe(56);
    expect(model.reasons()).toEqual([
      { code: 'missing_name', count: 2 },
      { code: 'bad_kind', count: 1 },
      { code: 'invalid_email', count: 1 },
    ]);
    expect(model.newValues()).toEqual([{ kind: 'level', names: ['Kim cương'] }]);
    // Values from the file's first rows, beside each column.
    expect(model.samples(0)).toHaveLength(3);
    expect(model.samples(4)).toEqual(['Doanh nghiệp', 'Cá nhân']);
    expect(model.canNext).toBe(true);

    // Same options: the preview is reused. Another mode: asked again, with other counts.
    const before = model.preview;
    model.back();
    await model.next();
    expect(model.preview).toBe(before);
    model.back();
    model.setMode('create');
    expect(optionsKey(model.options())).not.toBe(optionsKey({ ...model.options(), mode: 'skip' }));
    await model.next();
    expect(model.preview).not.toBe(before);
    expect(model.preview?.skipped).toBe(0);
    expect(model.preview?.created).toBe(56);
  });

  it('imports with progress, then reverts the whole batch', async () => {
    const start = live(db);
    await toMapping();
    await model.next();
    const expected = model.preview?.created ?? 0;
    const phases = new Set<string>();
    const seen = model.onProgress.bind(model);
    model.onProgress = (p) => {
      phases.add(p.phase);
      seen(p);
    };
    await model.next();
    expect(model.step).toBe('result');
    expect(phases.has('writing')).toBe(true);
    expect(model.result?.batch_id).toBeTypeOf('number');
    expect(model.result?.dry_run).toBe(false);
    expect(live(db)).toBe(start + expected);
    expect(db.itemsOf('level').some((i) => i.name === 'Kim cương')).toBe(true);

    const batch = await model.revert();
    expect(batch?.reverted_at).toBeTruthy();
    expect(model.notice).toBe('reverted');
    expect(live(db)).toBe(start);
    // A batch reverts once.
    expect(await model.revert()).toBeNull();
  });

  it('cancels an import: back to the preview, nothing written', async () => {
    db.transferStep = 5;
    const start = live(db);
    await toMapping();
    await model.next();
    const running = model.next();
    expect(model.step).toBe('importing');
    expect(model.importing).toBe(true);
    await model.cancel();
    expect(model.busy).toBe('cancelling');
    await running;
    expect(model.step).toBe('preview');
    expect(model.notice).toBe('cancelled');
    expect(model.error).toBeNull();
    expect(model.result).toBeNull();
    expect(live(db)).toBe(start);
  });

  it('says what the core refuses, in its code', async () => {
    await toMapping();
    model.setField(0, null);
    expect(model.hasNameColumn).toBe(false);
    await model.next();
    expect(model.step).toBe('mapping');
    expect(model.error?.code).toBe('import.no_name_column');
  });

  it('reads another sheet when asked', async () => {
    await model.chooseFile();
    await model.chooseSheet('Khách cũ');
    expect(model.sheet).toBe('Khách cũ');
    expect(model.inspected?.headers).toEqual(['Customer Name', 'Phone', 'Email']);
    expect(model.mapping).toEqual(['name', 'phone', 'email']);
    expect(model.preview?.rows).toBe(8);
  });

  it('takes a file dropped on the window', async () => {
    const { mockDrop } = await import('../dev/mock-transfer');
    mockDrop(db, 'dropped.csv');
    await model.useDroppedFile();
    expect(model.fileName).toBe('dropped.csv');
    expect(model.inspected).not.toBeNull();
  });
});

describe('ImportWizardModel with a fake shell', () => {
  function report(over: Partial<ImportReport> = {}): ImportReport {
    return {
      file_name: 'list.csv',
      format: 'csv',
      sheet_name: null,
      sheet_names: [],
      headers: ['Khách', 'Điện thoại'],
      mapping: [null, 'phone'],
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
      seconds: 0,
      ...over,
    };
  }

  it('shows the headers when no column looks like the name, and previews once the user picks it', async () => {
    const asked: ImportOptions[] = [];
    const api: ImportApi = {
      pickFile: () => Promise.resolve('list.csv'),
      droppedFile: () => Promise.resolve(null),
      headers: () =>
        Promise.resolve({
          file_name: 'list.csv',
          format: 'csv',
          sheet_name: null,
          sheet_names: [],
          headers: ['Khách', 'Điện thoại'],
          mapping: [null, 'phone'],
          samples: [['Lan', 'Minh'], ['0912 345 678']],
        }),
      preview: (o) => {
        asked.push(o);
        if (!o.mapping?.includes('name')) return Promise.reject({ code: 'import.no_name_column', message: 'no name', details: null });
        return Promise.resolve(report({ mapping: o.mapping, rows: 3, valid: 3, created: 3 }));
      },
      run: () => Promise.reject(new Error('not here')),
      cancel: () => Promise.resolve(),
      revert: () => Promise.reject(new Error('not here')),
      saveErrorReport: () => Promise.resolve(0),
    };
    const model = new ImportWizardModel(api);
    await model.chooseFile();
    expect(model.error?.code).toBe('import.no_name_column');
    expect(model.inspected?.headers).toEqual(['Khách', 'Điện thoại']);
    expect(model.mapping).toEqual([null, 'phone']);
    expect(model.samples(0)).toEqual(['Lan', 'Minh']);
    expect(model.canNext).toBe(true);
    await model.next();
    expect(model.step).toBe('mapping');
    model.setField(0, 'name');
    expect(model.error).toBeNull();
    await model.next();
    expect(model.step).toBe('preview');
    expect(asked[asked.length - 1]?.mapping).toEqual(['name', 'phone']);
    expect(model.counts().find((c) => c.id === 'created')?.value).toBe(3);
  });

  it('computes rows per second from the start of the writing phase', async () => {
    let now = 0;
    const model = new ImportWizardModel(undefined, () => undefined, () => now);
    (model as unknown as { startProgress(): void }).startProgress();
    now = 5000;
    model.onProgress({ phase: 'reading', done: 1000, total: 0 });
    expect(model.progress).toMatchObject({ phase: 'reading', fraction: null, rate: 200 });
    model.onProgress({ phase: 'writing', done: 0, total: 1000 });
    now = 7000;
    model.onProgress({ phase: 'writing', done: 500, total: 1000 });
    expect(model.progress).toMatchObject({ phase: 'writing', fraction: 0.5, rate: 250 });
  });
});

// The import wizard's follow-up records kind (`care`): the model picks it when the core says the
// file is one (and forgets that choice with the next file), sends the care mapping the user
// corrects, counts activities, and falls back to the headers when no column names the customer;
// the element offers the kind, the care fields and the care wording, over a fake shell.

import { afterEach, describe, expect, it } from 'vitest';

import type { FollowUpField } from '../bindings/FollowUpField';
import type { ImportOptions } from '../bindings/ImportOptions';
import type { ImportReport } from '../bindings/ImportReport';
import { setLang } from '../i18n';
import { CARE_FIELDS } from '../import/care-fields';
import { ImportWizardModel, type ImportApi } from '../import/wizard-model';
import { installMock, type ImportHeaders } from '../ipc';
import type { ClienteleImportWizard } from './import-wizard';

await import('./import-wizard');

const CARE_HEADERS = ['Customer Code *', 'Activity Type *', 'Title *', 'Done At *', 'Outcome', 'Assignee'];
const CARE_MAPPING: FollowUpField[] = ['customer_code', 'type', 'title', 'done_at', 'outcome', 'assignee'];
const LIST_HEADERS = ['Tên khách hàng', 'SĐT', 'Ngày'];

function report(over: Partial<ImportReport>): ImportReport {
  return {
    file_name: 'follow-ups.xlsx',
    format: 'xlsx',
    sheet_name: 'Care records',
    sheet_names: ['Care records', 'Instructions'],
    headers: CARE_HEADERS,
    mapping: CARE_HEADERS.map(() => null),
    mode: 'create',
    dry_run: true,
    rows: 12,
    valid: 5,
    invalid: 7,
    invalid_by_reason: { unknown_customer: 1, bad_date: 2, missing_customer: 1, ambiguous_customer: 1, unknown_type: 1, missing_done_at: 1 },
    valid_by_kind: {},
    duplicate_groups: 0,
    duplicate_group_rows: [],
    matches_existing: 5,
    created: 5,
    updated: 0,
    skipped: 0,
    errors: [{ row: 7, column: 'Customer Code *', code: 'unknown_customer', value: 'Z999' }],
    errors_total: 7,
    warnings: [],
    warnings_total: 0,
    new_catalog_items: {},
    batch_id: null,
    seconds: 0.2,
    ...over,
  };
}

function headers(h: string[], care: (FollowUpField | null)[], mapping: ImportHeaders['mapping']): ImportHeaders {
  return { file_name: 'x', format: 'xlsx', sheet_name: null, sheet_names: [], headers: h, mapping, care_mapping: care, samples: h.map(() => []) };
}

/** A shell whose files are, in turn, `files`; the preview answers like the core for each. */
function fakeApi(files: ('care' | 'list')[], asked: ImportOptions[]): ImportApi {
  let current: 'care' | 'list' = 'care';
  let picks = 0;
  return {
    pickFile: () => {
      current = files[Math.min(picks++, files.length - 1)] ?? 'care';
      return Promise.resolve(current === 'care' ? 'follow-ups.xlsx' : 'list.xlsx');
    },
    droppedFile: () => Promise.resolve(null),
    headers: () =>
      Promise.resolve(
        current === 'care'
          ? headers(CARE_HEADERS, CARE_MAPPING, [null, null, 'contact_position', null, null, null])
          : headers(LIST_HEADERS, [null, 'phone', 'done_at'], ['name', 'phone', null]),
      ),
    preview: (o) => {
      asked.push(o);
      const care = o.kind === 'care' || (o.kind === 'auto' && !o.mapping && current === 'care');
      if (!care) {
        return Promise.resolve(report({ headers: LIST_HEADERS, mapping: ['name', 'phone', null], care_mapping: undefined, file_name: 'list.xlsx', created: 3, valid: 3, invalid: 0, invalid_by_reason: {} }));
      }
      const mapping = o.care_mapping ?? (current === 'care' ? CARE_MAPPING : [null, 'phone', 'done_at']);
      if (!mapping.some((f) => f === 'customer_code' || f === 'phone' || f === 'email')) {
        return Promise.reject({ code: 'import.no_customer_column', message: 'no customer column', details: null });
      }
      return Promise.resolve(current === 'care' ? report({ care_mapping: mapping }) : report({ headers: LIST_HEADERS, mapping: [null, null, null], care_mapping: mapping, rows: 2, valid: 2, invalid: 0, invalid_by_reason: {}, created: 2 }));
    },
    run: (o) => {
      asked.push(o);
      return Promise.resolve(report({ care_mapping: o.care_mapping ?? CARE_MAPPING, dry_run: false, batch_id: 9 }));
    },
    cancel: () => Promise.resolve(),
    revert: () => Promise.reject(new Error('not here')),
    saveErrorReport: () => Promise.resolve(7),
  };
}

describe('follow-up records in the import wizard model', () => {
  it('picks the care kind when the core reads the file as follow-up records, and forgets it with the next file', async () => {
    const asked: ImportOptions[] = [];
    const model = new ImportWizardModel(fakeApi(['care', 'list'], asked));
    await model.chooseFile();
    expect(asked[0]).toMatchObject({ kind: 'auto', mapping: null });
    expect(model.kind).toBe('care');
    expect(model.isCare).toBe(true);
    expect(model.careMapping).toEqual(CARE_MAPPING);
    // The customer mapping of the same headers is kept for a switch back.
    expect(model.mapping).toEqual([null, null, 'contact_position', null, null, null]);
    expect(model.hasCustomerColumn).toBe(true);
    expect(model.counts().map((c) => c.id)).toEqual(['rows', 'valid', 'invalid', 'created']);
    expect(model.options()).toMatchObject({ kind: 'care', care_mapping: CARE_MAPPING });

    // The user corrects the mapping: one column per field, the changes are shown.
    await model.next();
    model.setCareField(4, 'title');
    expect(model.careMapping).toEqual(['customer_code', 'type', null, 'done_at', 'title', 'assignee']);
    expect(model.changedColumns).toEqual([2, 4]);
    expect(model.isCareTaken('title', 2)).toBe(true);
    model.setCareField(0, null);
    expect(model.hasCustomerColumn).toBe(false);
    model.setCareField(0, 'customer_code');
    await model.next();
    expect(model.step).toBe('preview');
    expect(asked[asked.length - 1]?.care_mapping).toEqual(['customer_code', 'type', null, 'done_at', 'title', 'assignee']);
    await model.next();
    expect(model.step).toBe('result');
    expect(model.result?.batch_id).toBe(9);
    expect(asked[asked.length - 1]?.kind).toBe('care');

    // Another file: the detected kind goes with the old file.
    model.reset();
    await model.chooseFile();
    expect(model.kind).toBe('auto');
    expect(model.isCare).toBe(false);
    expect(model.options().care_mapping).toBeUndefined();
    expect(model.counts().map((c) => c.id)).toContain('duplicate_groups');
  });

  it('imports a customer list as follow-up records when the user says so, and keeps that choice', async () => {
    const asked: ImportOptions[] = [];
    const model = new ImportWizardModel(fakeApi(['list', 'list'], asked));
    await model.chooseFile();
    expect(model.kind).toBe('auto');
    expect(model.careMapping).toEqual([null, 'phone', 'done_at']);
    await model.next();
    model.setKind('care');
    expect(model.options()).toMatchObject({ kind: 'care', care_mapping: [null, 'phone', 'done_at'] });
    await model.next();
    expect(model.preview?.care_mapping).toEqual([null, 'phone', 'done_at']);
    expect(model.preview?.created).toBe(2);
    // Back to customers: no care mapping is sent.
    model.back();
    model.setKind('auto');
    expect(model.options().care_mapping).toBeUndefined();
    model.setKind('care');
    // A kind the user chose stays for the next file.
    await model.chooseFile();
    expect(model.kind).toBe('care');
    // (a new file's first read asks for the automatic or remembered care mapping)
    expect(asked[asked.length - 1]).toMatchObject({ kind: 'care', mapping: null });
    expect(asked[asked.length - 1]?.care_mapping).toBeUndefined();
  });

  it('shows the headers when no column names the customer', async () => {
    const asked: ImportOptions[] = [];
    const api = fakeApi(['list'], asked);
    const model = new ImportWizardModel({
      ...api,
      headers: () => Promise.resolve(headers(['Ngày', 'Nội dung'], ['done_at', 'title'], [null, null])),
      preview: (o) => {
        asked.push(o);
        if (!o.care_mapping?.includes('customer_code')) return Promise.reject({ code: 'import.no_customer_column', message: 'none', details: null });
        return Promise.resolve(report({ headers: ['Ngày', 'Nội dung'], care_mapping: o.care_mapping, rows: 1, valid: 1, invalid: 0, created: 1 }));
      },
    });
    model.setKind('care');
    await model.chooseFile();
    expect(model.error?.code).toBe('import.no_customer_column');
    expect(model.inspected?.headers).toEqual(['Ngày', 'Nội dung']);
    expect(model.careMapping).toEqual(['done_at', 'title']);
    expect(model.hasCustomerColumn).toBe(false);
    await model.next();
    model.setCareField(1, 'customer_code');
    await model.next();
    expect(model.step).toBe('preview');
    expect(model.preview?.created).toBe(1);
  });
});

describe('follow-up records in the import wizard', () => {
  let wizard: ClienteleImportWizard | null = null;

  afterEach(() => {
    wizard?.remove();
    wizard = null;
    setLang('en');
  });

  const tick = () => new Promise((r) => setTimeout(r, 0));

  async function settle(el: ClienteleImportWizard): Promise<void> {
    for (let i = 0; i < 10; i++) {
      await tick();
      await el.updateComplete;
    }
  }

  async function mount(): Promise<ClienteleImportWizard> {
    const asked: ImportOptions[] = [];
    const api = fakeApi(['care'], asked);
    await installMock(async (cmd, a) => {
      switch (cmd) {
        case 'import_pick_file':
          return api.pickFile();
        case 'import_headers':
          return api.headers(null);
        case 'import_preview':
          return api.preview(a['options'] as ImportOptions, () => undefined);
        case 'import_run':
          return api.run(a['options'] as ImportOptions, () => undefined);
        default:
          return null;
      }
    });
    const el = document.createElement('clientele-import-wizard') as ClienteleImportWizard;
    document.body.append(el);
    await settle(el);
    el.show();
    await settle(el);
    return el;
  }

  /** The option the template marks selected (happy-dom's `select.value` does not follow it). */
  function chosen(select: HTMLSelectElement): HTMLOptionElement | undefined {
    return [...select.options].find((o) => o.hasAttribute('selected'));
  }

  function q<T extends Element = HTMLElement>(root: ParentNode, sel: string): T {
    const found = root.querySelector<T>(sel);
    if (!found) throw new Error(`nothing matches ${sel}`);
    return found;
  }

  it('offers follow-up records as a kind, with the care fields and wording', async () => {
    const el = (wizard = await mount());
    q(el, '[data-testid=import-choose-file]').click();
    await settle(el);
    q(el, '[data-testid=import-next]').click();
    await settle(el);
    expect(q(el, '[data-testid=import-wizard]').dataset['step']).toBe('mapping');
    const care = q<HTMLInputElement>(el, '[data-testid=import-kind-care]');
    expect(care.checked).toBe(true);
    expect(care.closest('label')?.textContent).toContain('Follow-up records');
    expect(el.querySelector('[data-testid=import-care-note]')).not.toBeNull();
    // No duplicate modes for follow-up records.
    expect(el.querySelector('[data-testid=import-mode-skip]')).toBeNull();
    const select = q<HTMLSelectElement>(el, '[data-testid=import-map-select][data-col="0"]');
    expect([...select.options].map((o) => o.value)).toEqual(['', ...CARE_FIELDS]);
    expect(chosen(select)?.value).toBe('customer_code');
    expect(q(el, '[data-testid=import-map-row][data-col="3"]').dataset['field']).toBe('done_at');
    // Without a customer column the wizard says so.
    select.value = '';
    select.dispatchEvent(new Event('change'));
    await settle(el);
    expect(el.querySelector('[data-testid=import-no-customer]')).not.toBeNull();
    const again = q<HTMLSelectElement>(el, '[data-testid=import-map-select][data-col="0"]');
    again.value = 'customer_code';
    again.dispatchEvent(new Event('change'));
    await settle(el);
    expect(el.querySelector('[data-testid=import-no-customer]')).toBeNull();

    // The preview counts follow-up records and names the care reasons.
    q(el, '[data-testid=import-next]').click();
    await settle(el);
    expect(q(el, '[data-testid=import-wizard]').dataset['step']).toBe('preview');
    expect(el.querySelector('[data-testid=import-care-summary]')).not.toBeNull();
    expect(el.querySelector('[data-testid=import-count-duplicate_groups]')).toBeNull();
    expect(q(el, '[data-testid=import-count-created]').textContent).toContain('Follow-up records');
    const reasons = [...el.querySelectorAll<HTMLElement>('[data-testid=import-reason]')].map((r) => r.dataset['code']);
    expect(reasons).toEqual(['bad_date', 'ambiguous_customer', 'missing_customer', 'missing_done_at', 'unknown_customer', 'unknown_type']);
    expect(q(el, '[data-testid=import-reason][data-code=unknown_customer]').textContent).toContain('No customer has this code, phone or e-mail');
    expect(q(el, '[data-testid=import-reason][data-code=bad_date]').textContent).toContain('Not a past date');
    expect(q(el, '[data-testid=import-next]').textContent).toContain('Import 5 follow-up records');

    // Imported: the result speaks of follow-up records.
    q(el, '[data-testid=import-next]').click();
    await settle(el);
    expect(q(el, '[data-testid=import-wizard]').dataset['step']).toBe('result');
    expect(q(el, '[data-testid=import-result]').textContent).toContain('5 follow-up records recorded');
  });

  it('speaks Vietnamese too', async () => {
    setLang('vi');
    const el = (wizard = await mount());
    q(el, '[data-testid=import-choose-file]').click();
    await settle(el);
    q(el, '[data-testid=import-next]').click();
    await settle(el);
    expect(q(el, '[data-testid=import-kind-care]').closest('label')?.textContent).toContain('Lịch sử chăm sóc');
    const select = q<HTMLSelectElement>(el, '[data-testid=import-map-select][data-col="1"]');
    expect(chosen(select)?.value).toBe('type');
    expect(chosen(select)?.textContent).toContain('Loại hoạt động');
  });
});

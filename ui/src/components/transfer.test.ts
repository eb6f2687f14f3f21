// The import wizard, the import history and the export dialog in the whole app, over the mock
// backend: opened from the toolbar's menu and the selection bar, driven by clicks and keys.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ExportRequest } from '../bindings/ExportRequest';
import { installMockBackend, mockHandler, type MockDb } from '../dev/mock-backend';
import { defaultColumns, move, normalizeColumns, setAll, toRequest, toggle } from '../export/export-model';
import { setLang } from '../i18n';
import { installMock } from '../ipc';
import type { ClienteleApp } from './app';

await import('./app');

// happy-dom lays nothing out: give the grid's scroller a size so the virtualiser renders rows.
for (const [prop, size] of [['clientHeight', 600], ['clientWidth', 1000]] as const) {
  const base = Object.getOwnPropertyDescriptor(Element.prototype, prop);
  Object.defineProperty(HTMLElement.prototype, prop, {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('grid-body') ? size : (base?.get?.call(this) as number);
    },
  });
}

const tick = () => new Promise((r) => setTimeout(r, 0));

async function settle(el: HTMLElement, rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await tick();
    await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  }
}

function q<T extends Element = HTMLElement>(root: ParentNode, sel: string): T {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`nothing matches ${sel}`);
  return el;
}

function count(app: HTMLElement): number {
  return Number(q(app, '[data-testid=customer-count]').dataset['count']);
}

function key(el: Element, k: string): void {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
}

describe('spreadsheets in and out, in the app', () => {
  let db: MockDb;
  let app: ClienteleApp;

  async function mount(): Promise<void> {
    app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await settle(app);
  }

  beforeEach(async () => {
    db = await installMockBackend(new URLSearchParams('mock&n=30&latency=0'));
    await mount();
  });

  afterEach(() => {
    app.remove();
    setLang('en');
  });

  async function openWizard(): Promise<HTMLElement> {
    q(app, '[data-testid=transfer-menu-toggle]').click();
    await settle(app);
    q(app, '[data-testid=open-import]').click();
    await settle(app);
    return q<HTMLElement>(app, '[data-testid=import-wizard]');
  }

  it('imports a file through the four steps, then reverts it', async () => {
    const before = count(app);
    let wizard = await openWizard();
    expect(wizard.dataset['step']).toBe('file');
    expect(q<HTMLButtonElement>(app, '[data-testid=import-next]').disabled).toBe(true);

    q(app, '[data-testid=import-choose-file]').click();
    await settle(app, 20);
    expect(q(app, '[data-testid=import-file-name]').textContent).toContain('khach-hang-mau.xlsx');
    expect(q(app, '[data-testid=import-format]').textContent).toBe('XLSX');
    expect(app.querySelectorAll('[data-testid=import-sheet] option')).toHaveLength(2);

    // Enter = Next.
    key(q(app, '[data-testid=import-wizard]'), 'Enter');
    await settle(app);
    wizard = q(app, '[data-testid=import-wizard]');
    expect(wizard.dataset['step']).toBe('mapping');
    const rows = [...app.querySelectorAll<HTMLElement>('[data-testid=import-map-row]')];
    expect(rows.map((r) => r.dataset['field'])).toEqual(['name', 'phone', 'email', 'level', 'type', '', 'address']);
    // The unknown column is ignored; map it to the notes.
    const select = q<HTMLSelectElement>(rows[5] as HTMLElement, 'select');
    select.value = 'notes';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    expect(q(app, '[data-testid=import-map-row][data-col="5"]').dataset['field']).toBe('notes');
    expect(q(app, '[data-testid=import-map-row][data-col="5"]').classList.contains('changed')).toBe(true);
    expect(q(app, '[data-testid=import-mode-skip]')).toBeTruthy();

    q(app, '[data-testid=import-next]').click();
    await settle(app, 20);
    expect(q(app, '[data-testid=import-wizard]').dataset['step']).toBe('preview');
    const n = (id: string) => Number(q(app, `[data-testid=import-count-${id}]`).dataset['count']);
    expect(n('rows')).toBe(60);
    expect(n('valid')).toBe(56);
    expect(n('invalid')).toBe(4);
    expect(n('duplicate_groups')).toBe(2);
    const created = n('created');
    expect(created).toBeGreaterThan(0);
    const reasons = [...app.querySelectorAll<HTMLElement>('[data-testid=import-reason]')].map((r) => r.textContent?.replace(/\s+/g, ' ').trim());
    expect(reasons).toContain('2 The name is missing');
    expect(q(app, '[data-testid=import-new-values]').textContent).toContain('Kim cương');
    expect(app.querySelectorAll('[data-testid=import-error-row]').length).toBeGreaterThanOrEqual(4);
    expect(q(app, '[data-testid=import-next]').textContent).toContain(`Import ${created} customers`);

    q(app, '[data-testid=import-next]').click();
    await settle(app, 40);
    expect(q(app, '[data-testid=import-wizard]').dataset['step']).toBe('result');
    await settle(app, 10);
    expect(count(app)).toBe(before + created);

    q(app, '[data-testid=import-revert]').click();
    await settle(app);
    expect(q(app, '[data-testid=confirm-dialog]').textContent).toContain(String(created));
    q(app, '[data-testid=confirm-ok]').click();
    await settle(app, 20);
    expect(q(app, '[data-testid=import-result-title]').textContent).toBe('Import reverted');
    expect(count(app)).toBe(before);

    q(app, '[data-testid=import-done]').click();
    await settle(app);
    expect(app.querySelector('[data-testid=import-wizard]')).toBeNull();
  });

  it('shows the core’s file errors in the user’s language', async () => {
    setLang('vi');
    await openWizard();
    // The mock's second sheet vanished: the core answers import.sheet_not_found.
    await installMock((cmd, a) => {
      if (cmd === 'import_preview') throw { code: 'import.password_protected', message: 'encrypted', details: null };
      return mockHandler(db)(cmd, a);
    });
    q(app, '[data-testid=import-choose-file]').click();
    await settle(app, 20);
    const err = q(app, '[data-testid=import-error]');
    expect(err.dataset['code']).toBe('import.password_protected');
    expect(err.textContent).toContain('mật khẩu');
    expect(q<HTMLButtonElement>(app, '[data-testid=import-next]').disabled).toBe(true);
  });

  it('closes on Esc, and asks before stopping an import in progress', async () => {
    db.transferStep = 20;
    await openWizard();
    key(q(app, '[data-testid=import-wizard]'), 'Escape');
    await settle(app);
    expect(app.querySelector('[data-testid=import-wizard]')).toBeNull();

    const before = count(app);
    await openWizard();
    q(app, '[data-testid=import-choose-file]').click();
    await settle(app, 30);
    q(app, '[data-testid=import-next]').click();
    await settle(app);
    q(app, '[data-testid=import-next]').click();
    await new Promise((r) => setTimeout(r, 200));
    await settle(app);
    q(app, '[data-testid=import-next]').click();
    await settle(app, 2);
    expect(q(app, '[data-testid=import-wizard]').dataset['step']).toBe('importing');
    expect(q(app, '[data-testid=import-progress]')).toBeTruthy();
    key(q(app, '[data-testid=import-wizard]'), 'Escape');
    await settle(app, 2);
    expect(q(app, '[data-testid=confirm-dialog]').textContent).toContain('Stop the import?');
    q(app, '[data-testid=confirm-ok]').click();
    await new Promise((r) => setTimeout(r, 400));
    await settle(app, 10);
    expect(app.querySelector('[data-testid=import-wizard]')).toBeNull();
    expect(count(app)).toBe(before);
  });

  it('lists recent imports and reverts one', async () => {
    await openWizard();
    q(app, '[data-testid=import-choose-file]').click();
    await settle(app, 20);
    q(app, '[data-testid=import-next]').click();
    await settle(app);
    q(app, '[data-testid=import-next]').click();
    await settle(app, 20);
    const before = count(app);
    q(app, '[data-testid=import-next]').click();
    await settle(app, 40);
    q(app, '[data-testid=import-done]').click();
    await settle(app, 10);
    expect(count(app)).toBeGreaterThan(before);

    q(app, '[data-testid=transfer-menu-toggle]').click();
    await settle(app);
    q(app, '[data-testid=open-import-history]').click();
    await settle(app, 10);
    const rows = app.querySelectorAll('[data-testid=import-batch]');
    expect(rows).toHaveLength(1);
    q(app, '[data-testid=import-batch-revert]').click();
    await settle(app);
    q(app, '[data-testid=confirm-ok]').click();
    await settle(app, 20);
    expect(app.querySelector('[data-testid=import-batch-reverted]')).not.toBeNull();
    expect(count(app)).toBe(before);
  });

  it('exports the selection with the chosen columns in their order', async () => {
    const requests: ExportRequest[] = [];
    await installMock((cmd, a) => {
      if (cmd === 'export_customers') requests.push(a['request'] as ExportRequest);
      return mockHandler(db)(cmd, a);
    });
    const boxes = [...app.querySelectorAll<HTMLInputElement>('[data-testid=row-select]')].slice(0, 3);
    for (const b of boxes) {
      b.click();
      await settle(app, 2);
    }
    q(app, '[data-testid=export-selected]').click();
    await settle(app);
    const dialog = q(app, '[data-testid=export-dialog]');
    expect(q(dialog, '[data-testid=export-what]').textContent).toContain('3 selected');
    q(dialog, '[data-testid=export-none]').click();
    await settle(app);
    expect(q<HTMLButtonElement>(dialog, '[data-testid=export-run]').disabled).toBe(true);
    const check = (id: string) => {
      const box = q<HTMLInputElement>(dialog, `[data-testid=export-column][data-id="${id}"] input`);
      box.checked = true;
      box.dispatchEvent(new Event('change', { bubbles: true }));
    };
    check('name');
    check('phone');
    await settle(app);
    // phone is two places below name (type is between): up twice.
    for (let i = 0; i < 2; i++) {
      q(dialog, '[data-testid=export-column][data-id="phone"] [data-testid=export-column-up]').click();
      await settle(app);
    }
    q(dialog, '[data-testid=export-format-csv]').click();
    await settle(app);
    q(dialog, '[data-testid=export-run]').click();
    await settle(app, 30);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ columns: ['phone', 'name'], format: 'csv', language: 'en' });
    expect(requests[0]?.source).toHaveProperty('selection');
    expect(app.querySelector('[data-testid=export-dialog]')).toBeNull();
    expect([...app.querySelectorAll('[data-testid=toast]')].some((x) => x.textContent?.includes('Exported 3 customers'))).toBe(true);
  });

  it('exports the current list (its search and sort) from the menu', async () => {
    const requests: ExportRequest[] = [];
    await installMock((cmd, a) => {
      if (cmd === 'export_customers') requests.push(a['request'] as ExportRequest);
      return mockHandler(db)(cmd, a);
    });
    q(app, '[data-testid=transfer-menu-toggle]').click();
    await settle(app);
    q(app, '[data-testid=open-export]').click();
    await settle(app);
    expect(q(app, '[data-testid=export-what]').textContent).toContain(`${count(app)} customers`);
    q(app, '[data-testid=export-run]').click();
    await settle(app, 30);
    const src = requests[0]?.source;
    expect(src && 'query' in src ? src.query.trash : null).toBe(false);
    expect(requests[0]?.columns).toHaveLength(26);
  });

  it('saves a template from the menu and says where', async () => {
    q(app, '[data-testid=transfer-menu-toggle]').click();
    await settle(app);
    q(app, '[data-testid=template-business]').click();
    await settle(app, 6);
    expect([...app.querySelectorAll('[data-testid=toast]')].some((x) => x.textContent?.includes('Template - business customers.xlsx'))).toBe(true);
  });
});

describe('export columns', () => {
  it('moves, ticks and turns the choice into the core’s request', () => {
    let cols = setAll(defaultColumns(), false);
    cols = toggle(cols, 1, true);
    cols = toggle(cols, 3, true);
    cols = move(cols, 3, -1);
    cols = move(cols, 2, -1);
    expect(cols.slice(0, 3).map((c) => c.id)).toEqual(['customer_code', 'phone', 'name']);
    expect(move(cols, 0, -1)).toEqual(cols);
    const req = toRequest({ selection: { type: 'ids', ids: [1, 2] } }, cols, 'xlsx', 'vi');
    expect(req).toEqual({ source: { selection: { type: 'ids', ids: [1, 2] } }, columns: ['phone', 'name'], format: 'xlsx', language: 'vi' });
  });

  it('makes a saved choice whole', () => {
    const cols = normalizeColumns([{ id: 'email', on: true }, { id: 'bogus', on: true }, { id: 'name', on: false }, { id: 'email' }]);
    expect(cols.slice(0, 2)).toEqual([
      { id: 'email', on: true },
      { id: 'name', on: false },
    ]);
    expect(cols).toHaveLength(26);
    expect(cols.filter((c) => c.on).map((c) => c.id)).toEqual(['email']);
    expect(normalizeColumns('nonsense')).toEqual(defaultColumns());
  });
});

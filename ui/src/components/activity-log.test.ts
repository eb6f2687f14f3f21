// Issue 6's list and administration parts in the UI: the activity filter (active / inactive /
// all) and "not contacted for" in the filter and saved views, the Last contact column and its
// sort, the administrators' activity log page (filters, pages, empty state, refusal), and the
// automatic pool return setting. Over the mock backend, which imitates the core's rules.

import { afterEach, describe, expect, it } from 'vitest';

import type { ActivityPage } from '../bindings/ActivityPage';
import { installMockBackend, mockHandler, type MockDb } from '../dev/mock-backend';
import { DataSource, type Fetcher } from '../grid/data-source';
import { COLUMNS, defaultLayout, toggleColumn } from '../grid/columns';
import { activeFilterCount, emptyFilter, filterKey, normalizeFilter } from '../grid/filter';
import { SelectionModel } from '../grid/selection';
import { setLang } from '../i18n';
import { makeRow } from '../testing/fixtures';
import { actionLabel, changesText, coreFilter, emptyLogFilter, subject } from './activity-log';
import type { ClienteleActivityLog } from './activity-log';
import type { ClienteleApp } from './app';
import type { ClienteleGrid } from './customer-grid';
import { parseDays } from './ownership-settings';

await import('./app');

const tick = () => new Promise((r) => setTimeout(r, 0));

async function settle(el: HTMLElement, rounds = 8): Promise<void> {
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

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('the list filter: activity and last contact', () => {
  it('counts "all" and "inactive" as filters, not the default; reads old saved views', () => {
    expect(activeFilterCount(emptyFilter())).toBe(0);
    expect(activeFilterCount({ ...emptyFilter(), active: 'active' })).toBe(0);
    expect(activeFilterCount({ ...emptyFilter(), active: 'all' })).toBe(1);
    expect(activeFilterCount({ ...emptyFilter(), active: 'inactive', not_contacted_days: 30 })).toBe(2);
    // The default and an explicit "active" are one list (one cache key); the others are not.
    expect(filterKey({ ...emptyFilter(), active: 'active' })).toBe(filterKey(emptyFilter()));
    const keys = new Set([emptyFilter(), { ...emptyFilter(), active: 'all' as const }, { ...emptyFilter(), active: 'inactive' as const }, { ...emptyFilter(), not_contacted_days: 7 }].map(filterKey));
    expect(keys.size).toBe(4);
    // Views saved when `active` was a flag; days out of range are dropped.
    expect(normalizeFilter({ active: false }).active).toBe('inactive');
    expect(normalizeFilter({ active: true }).active).toBe(null);
    expect(normalizeFilter({ active: 'all', not_contacted_days: 45 })).toMatchObject({ active: 'all', not_contacted_days: 45 });
    expect(normalizeFilter({ active: 'bogus', not_contacted_days: 0 })).toMatchObject({ active: null, not_contacted_days: null });
    expect(normalizeFilter({ not_contacted_days: 99999 }).not_contacted_days).toBe(null);
    expect(normalizeFilter({ not_contacted_days: 2.5 }).not_contacted_days).toBe(null);
  });

  it('offers a Last contact column, hidden at first, sorted by last contact', () => {
    const def = COLUMNS.find((c) => c.id === 'last_contact');
    expect(def).toMatchObject({ sort: 'last_contact', shown: false, label: 'grid.last_contact' });
    expect(defaultLayout().find((c) => c.id === 'last_contact')?.shown).toBe(false);
  });

  it('shows the last contact (or "Never") and sorts by it from the header', async () => {
    const rows = [
      makeRow(1, { last_contact_at: '2024-03-05T10:00:00Z' }),
      makeRow(2, { last_contact_at: null }),
      makeRow(3, { last_contact_at: null, locked: true }),
    ];
    const asked: string[] = [];
    const fetcher: Fetcher = {
      list: (q) => {
        asked.push(`${q.sort}:${q.desc}`);
        return Promise.resolve({ rows, next: null });
      },
      count: () => Promise.resolve(rows.length),
    };
    const source = new DataSource(fetcher, {});
    const grid = document.createElement('clientele-grid') as ClienteleGrid;
    grid.source = source;
    grid.selection = new SelectionModel();
    grid.columns = toggleColumn(defaultLayout(), 'last_contact', true);
    source.onChange = () => grid.requestUpdate();
    document.body.append(grid);
    await source.loadCount();
    await grid.updateComplete;
    const header = q<HTMLButtonElement>(grid, '[data-testid=sort-last_contact]');
    expect(header.textContent).toContain('Last contact');
    header.click();
    expect(source.params.sort).toBe('last_contact');
    expect(source.params.desc).toBe(false);
    grid.remove();
  });

  it('sets Active / Inactive / All and "not contacted for" from the filter panel, and the list follows', async () => {
    const db = await installMockBackend(new URLSearchParams('mock&n=300&latency=0'));
    const app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await settle(app);
    const count = () => Number(q(app, '[data-testid=customer-count]').dataset['count']);
    const live = [...db.customers.values()].filter((c) => !c.deleted_at);
    const active = live.filter((c) => c.active).length;
    expect(live.length).toBeGreaterThan(active);
    expect(count()).toBe(active);
    q(app, '[data-testid=filter-toggle]').click();
    await settle(app);
    const activity = q<HTMLSelectElement>(app, '[data-testid=filter-activity]');
    expect([...activity.options].map((o) => o.value)).toEqual(['active', 'inactive', 'all']);
    choose(activity, 'all');
    await settle(app);
    expect(count()).toBe(live.length);
    choose(q<HTMLSelectElement>(app, '[data-testid=filter-activity]'), 'inactive');
    await settle(app);
    expect(count()).toBe(live.length - active);
    choose(q<HTMLSelectElement>(app, '[data-testid=filter-activity]'), 'active');
    await settle(app);
    expect(count()).toBe(active);
    const days = q<HTMLSelectElement>(app, '[data-testid=filter-not-contacted]');
    expect([...days.options].map((o) => o.value)).toContain('30');
    choose(days, '30');
    await settle(app);
    const handler = mockHandler(db);
    const expected = handler('count_customers', { search: '', filter: { ...emptyFilter(), not_contacted_days: 30 }, trash: false });
    expect(count()).toBe(expected);
    expect(count()).toBeLessThan(active);
    expect(count()).toBeGreaterThan(0);
    app.remove();
  });
});

describe('the activity log', () => {
  let db: MockDb;
  let app: ClienteleApp;

  async function mount(params: string): Promise<void> {
    db = await installMockBackend(new URLSearchParams(`mock&n=120&latency=0&${params}`));
    app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await settle(app);
  }

  afterEach(() => {
    app.remove();
    setLang('en');
  });

  const entries = () => [...app.querySelectorAll<HTMLElement>('[data-testid=activity-entry]')];

  it('is an administrator’s page: newest first, a page at a time, filtered by staff, action and days', async () => {
    await mount('');
    // Some history: every customer was created; a few more changes.
    const handler = mockHandler(db);
    const ids = [...db.customers.values()].filter((c) => !c.deleted_at && !c.in_pool && !c.locked).slice(0, 3).map((c) => c.id);
    handler('set_customers_locked', { ids, locked: true });
    handler('set_customers_active', { ids: ids.slice(0, 1), active: false });
    q(app, '[data-testid=nav-activity]').click();
    await settle(app);
    expect(q(app, '[data-testid=activity-log]').textContent).toContain('Activity log');
    const first = entries();
    expect(first.length).toBe(100);
    const shown = first.map((e) => Number(e.dataset['id']));
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    expect(first[0]?.dataset['action']).toBe('deactivate');
    // The next page continues where the first ended.
    q(app, '[data-testid=activity-more]').click();
    await settle(app);
    const all = entries().map((e) => Number(e.dataset['id']));
    expect(all.length).toBe(db.history.length);
    expect(new Set(all).size).toBe(all.length);
    // By action.
    choose(q<HTMLSelectElement>(app, '[data-testid=activity-action]'), 'lock');
    await settle(app);
    expect(entries().length).toBe(3);
    expect(entries().every((e) => e.dataset['action'] === 'lock')).toBe(true);
    expect(entries()[0]?.textContent).toContain('Locked');
    // A click on the customer opens it.
    let opened = 0;
    app.addEventListener('open-customer', (e) => (opened = (e as CustomEvent<number>).detail));
    q(entries()[0] as HTMLElement, '[data-testid=activity-customer]').click();
    expect(ids).toContain(opened);
    // Days with nothing: the empty state, and clearing brings everything back.
    const from = q<HTMLInputElement>(app, '[data-testid=activity-from]');
    from.value = '2099-01-01';
    from.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    expect(q(app, '[data-testid=activity-empty]').textContent).toContain('Nothing matches');
    q(app, '[data-testid=activity-clear]').click();
    await settle(app);
    expect(entries().length).toBe(100);
    // By staff member: someone who did nothing.
    const idle = db.staff.find((s) => !db.history.some((h) => h.actor_id === s.id));
    if (idle) {
      choose(q<HTMLSelectElement>(app, '[data-testid=activity-staff]'), String(idle.id));
      await settle(app);
      expect(app.querySelector('[data-testid=activity-empty]')).toBeTruthy();
    }
    // In Vietnamese.
    setLang('vi');
    await settle(app);
    expect(q(app, '[data-testid=activity-log]').textContent).toContain('Nhật ký hoạt động');
  });

  it('is not offered to managers and staff, and the core refuses them', async () => {
    await mount('role=manager');
    expect(app.querySelector('[data-testid=nav-activity]')).toBeNull();
    const log = document.createElement('clientele-activity-log') as ClienteleActivityLog;
    document.body.append(log);
    await settle(log);
    expect(q(log, '[data-testid=activity-error]').textContent?.length).toBeGreaterThan(0);
    log.remove();
  });

  it('names actions, subjects and changes in the user’s language, and asks for the user’s own days', () => {
    expect(actionLabel('pool.auto_return')).toBe('Returned to the pool automatically');
    expect(actionLabel('care.something_new')).toBe('care.something_new');
    const base = {
      id: 9,
      entity: 'customer',
      entity_id: 42,
      action: 'transfer',
      changes: [],
      actor_id: null,
      actor_name: null,
      at: '2024-01-01T00:00:00Z',
      batch_id: null,
      customer_id: 42,
      customer_code: 'KH000042',
      customer_name: 'Bình An',
    };
    expect(subject(base)).toBe('KH000042 · Bình An');
    expect(subject({ ...base, customer_id: null, customer_code: null, customer_name: null })).toContain('#42');
    expect(subject({ ...base, entity: 'settings', entity_id: 0, customer_id: null, customer_code: null, customer_name: null })).toBe('Settings');
    const five = ['owner_id', 'in_pool', 'pool_since', 'reason', 'locked'].map((field) => ({ field, before: null, after: null }));
    expect(changesText(five)).toMatch(/\+2 more$/);
    expect(coreFilter({ ...emptyLogFilter(), from: '2024-03-01' }, 'Asia/Ho_Chi_Minh')).toEqual({
      staff_id: null,
      action: null,
      from: '2024-03-01',
      to: null,
      tz: 'Asia/Ho_Chi_Minh',
    });
    setLang('vi');
    expect(actionLabel('pool.auto_return')).toBe('Tự động trả về kho chung');
  });
});

describe('the automatic pool return setting', () => {
  it('reads days from 1 to 3650 only', () => {
    expect(parseDays('30')).toBe(30);
    expect(parseDays(' 3650 ')).toBe(3650);
    for (const bad of ['', '0', '3651', 'abc', '1.5', '-3']) expect(parseDays(bad)).toBeUndefined();
  });

  it('is turned on with its days, changed and turned off by an administrator', async () => {
    const db = await installMockBackend(new URLSearchParams('mock&n=20&latency=0'));
    const app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await settle(app);
    q(app, '[data-testid=nav-settings]').click();
    await settle(app);
    await q<HTMLElement & { show(p: string): Promise<void> }>(app, 'clientele-settings').show('staff');
    await settle(app);
    const handler = mockHandler(db);
    const toggle = q<HTMLInputElement>(app, '[data-testid=pool-return-on]');
    const days = q<HTMLInputElement>(app, '[data-testid=pool-return-days]');
    expect(toggle.checked).toBe(false);
    // Nonsense days: refused here, nothing saved.
    days.value = 'soon';
    days.dispatchEvent(new Event('input', { bubbles: true }));
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    expect(q(app, '[data-testid=pool-return-error]').textContent).toContain('1 to 3650');
    expect(handler('pool_return_days', {})).toBe(null);
    expect(q<HTMLInputElement>(app, '[data-testid=pool-return-on]').checked).toBe(false);
    days.value = '45';
    days.dispatchEvent(new Event('input', { bubbles: true }));
    const on = q<HTMLInputElement>(app, '[data-testid=pool-return-on]');
    on.checked = true;
    on.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    expect(handler('pool_return_days', {})).toBe(45);
    expect(app.querySelector('[data-testid=pool-return-error]')).toBeNull();
    // Changing the days while on saves them.
    days.value = '60';
    days.dispatchEvent(new Event('input', { bubbles: true }));
    days.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    expect(handler('pool_return_days', {})).toBe(60);
    const off = q<HTMLInputElement>(app, '[data-testid=pool-return-on]');
    off.checked = false;
    off.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    expect(handler('pool_return_days', {})).toBe(null);
    app.remove();
  });
});

// The page's own type check: a core page as the mock returns it.
export type _Page = ActivityPage;

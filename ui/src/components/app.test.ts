// The whole app over the mock backend: the filter panel narrows the list and its count, and the
// column layout is each staff member's own, kept through ui_pref.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { installMockBackend, type MockDb } from '../dev/mock-backend';
import { PREF_KEY, normalizeLayout } from '../grid/columns';
import { setLang } from '../i18n';
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

function count(app: HTMLElement): number {
  return Number(q(app, '[data-testid=customer-count]').dataset['count']);
}

function headers(app: HTMLElement): string[] {
  return [...app.querySelectorAll<HTMLElement>('.grid-head [data-col]')].map((h) => h.dataset['col'] ?? '');
}

describe('<clientele-app> over the mock backend', () => {
  let db: MockDb;
  let app: ClienteleApp;

  async function mount(): Promise<void> {
    app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await settle(app);
  }

  beforeEach(async () => {
    db = await installMockBackend(new URLSearchParams('mock&n=60&latency=0'));
    await mount();
  });

  afterEach(() => {
    app.remove();
    setLang('en');
  });

  it('filters by level: the count follows, the toggle shows how many filters are on, and Clear all undoes it', async () => {
    const total = count(app);
    expect(total).toBeGreaterThan(0);
    q(app, '[data-testid=filter-toggle]').click();
    await settle(app);
    const vip = db.itemsOf('level')[0];
    if (!vip) throw new Error('no level');
    q(app, '[data-testid=filter-level] [data-testid=ms-button]').click();
    await settle(app);
    const box = q<HTMLInputElement>(app, `[data-testid=filter-level] input[data-value="${vip.id}"]`);
    box.checked = true;
    box.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    await new Promise((r) => setTimeout(r, 120)); // the grid asks for rows at most every 80 ms
    await settle(app);

    const expected = [...db.customers.values()].filter((c) => !c.deleted_at && c.level_id === vip.id).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(total);
    expect(count(app)).toBe(expected);
    expect(q(app, '[data-testid=filter-count]').dataset['count']).toBe('1');
    // Every row shown has that level.
    const shown = [...app.querySelectorAll<HTMLElement>('[data-testid=customer-row]')].map((r) => db.customers.get(Number(r.dataset['id'])));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((c) => c?.level_id === vip.id)).toBe(true);

    // Combined with the search.
    const someone = shown[0];
    if (!someone) throw new Error('no row');
    const search = q<HTMLInputElement>(app, '[data-testid=search-input]');
    search.value = someone.code;
    search.dispatchEvent(new Event('input', { bubbles: true }));
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle(app);
    expect(count(app)).toBe(1);
    search.value = '';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle(app);

    q(app, '[data-testid=filter-clear]').click();
    await settle(app);
    expect(count(app)).toBe(total);
    expect(app.querySelector('[data-testid=filter-count]')).toBeNull();
  });

  it('shows, hides and reorders columns, and keeps the layout per staff member through ui_pref', async () => {
    expect(headers(app)).toEqual(['code', 'name', 'kind', 'phone', 'email', 'owner', 'created']);
    q(app, '[data-testid=columns-toggle]').click();
    await settle(app);
    const toggle = (id: string, on: boolean) => {
      const box = q<HTMLInputElement>(app, `[data-testid=column-show-${id}]`);
      box.checked = on;
      box.dispatchEvent(new Event('change', { bubbles: true }));
    };
    toggle('email', false);
    await settle(app);
    toggle('level', true);
    await settle(app);
    // Level comes after the seven default columns; five places up puts it just after the name.
    for (let i = 0; i < 5; i++) {
      q(app, '[data-testid=column-up-level]').click();
      await settle(app, 2);
    }
    await new Promise((r) => setTimeout(r, 20));
    await settle(app);
    const expected = ['code', 'name', 'level', 'kind', 'phone', 'owner', 'created'];
    expect(headers(app)).toEqual(expected);
    // The level column shows the level's name as a badge.
    const firstRow = q(app, '[data-testid=customer-row]');
    const c = db.customers.get(Number(firstRow.dataset['id']));
    expect(firstRow.querySelector('.cell-level')?.textContent?.trim()).toBe(c?.level_id ? db.item(c.level_id).name : '');

    // Stored for this staff member only.
    const stored = db.prefs.get(`${db.actor?.staff_id}.${PREF_KEY}`);
    expect(normalizeLayout(stored).filter((x) => x.shown).map((x) => x.id)).toEqual(expected);

    // A new session of the same staff member gets the same columns back.
    app.remove();
    await mount();
    expect(headers(app)).toEqual(expected);

    // Another staff member has their own (the default) layout. (Sign out is in the account menu.)
    q(app, '[data-testid=user-menu-toggle]').click();
    await settle(app);
    q(app, '[data-testid=sign-out]').click();
    await settle(app);
    const other = db.staff.find((s) => s.id !== db.staff[0]?.id && !db.passwords.has(s.id));
    if (!other) throw new Error('no other staff');
    db.actor = db.actorFor(other);
    app.remove();
    await mount();
    expect(headers(app)).toEqual(['code', 'name', 'kind', 'phone', 'email', 'owner', 'created']);
  });

  it('remembers a resized column', async () => {
    const grid = q(app, 'clientele-grid');
    grid.dispatchEvent(new CustomEvent('column-resize', { detail: { id: 'phone', width: 222 }, bubbles: true }));
    await new Promise((r) => setTimeout(r, 450));
    await settle(app);
    const stored = normalizeLayout(db.prefs.get(`${db.actor?.staff_id}.${PREF_KEY}`));
    expect(stored.find((x) => x.id === 'phone')?.width).toBe(222);
    expect(q(app, '.grid').getAttribute('style')).toContain('222px');
  });

  it('saves the list as a view and brings it back, filter and columns included', async () => {
    const total = count(app);
    q(app, '[data-testid=filter-toggle]').click();
    await settle(app);
    const vip = db.itemsOf('level')[0];
    if (!vip) throw new Error('no level');
    q(app, '[data-testid=filter-level] [data-testid=ms-button]').click();
    await settle(app);
    const box = q<HTMLInputElement>(app, `[data-testid=filter-level] input[data-value="${vip.id}"]`);
    box.checked = true;
    box.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    const filtered = count(app);
    q(app, '[data-testid=columns-toggle]').click();
    await settle(app);
    const lvl = q<HTMLInputElement>(app, '[data-testid=column-show-level]');
    lvl.checked = true;
    lvl.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    q(app, '[data-testid=columns-toggle]').click(); // closes the chooser
    await settle(app);

    q(app, '[data-testid=views-toggle]').click();
    await settle(app);
    const name = q<HTMLInputElement>(app, '[data-testid=view-name]');
    name.value = 'Khách VIP';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    const shared = q<HTMLInputElement>(app, '[data-testid=view-shared]');
    shared.checked = true;
    shared.dispatchEvent(new Event('change', { bubbles: true }));
    q(app, '[data-testid=view-save]').click();
    await settle(app);
    expect(db.views).toHaveLength(1);
    expect(db.views[0]).toMatchObject({ name: 'Khách VIP', shared: true });
    expect(q(app, '[data-testid=views-toggle]').textContent).toContain('Khách VIP');
    q(app, '[data-testid=views-toggle]').click(); // closes the menu
    await settle(app);

    // Back to everything, default columns.
    q(app, '[data-testid=filter-clear]').click();
    await settle(app);
    q(app, '[data-testid=columns-toggle]').click();
    await settle(app);
    q(app, '[data-testid=columns-reset]').click();
    await settle(app);
    q(app, '[data-testid=columns-toggle]').click();
    await settle(app);
    expect(count(app)).toBe(total);
    expect(headers(app)).not.toContain('level');

    q(app, '[data-testid=views-toggle]').click();
    await settle(app);
    q(app, '[data-testid=view-item] [data-testid=view-apply]').click();
    await settle(app);
    expect(count(app)).toBe(filtered);
    expect(headers(app)).toContain('level');
    expect(q(app, '[data-testid=filter-count]').dataset['count']).toBe('1');
  });
});

describe('<clientele-app> while the app upgrades the database', () => {
  it('shows the upgrade until the database is open, then the customers', async () => {
    const db = await installMockBackend(new URLSearchParams('mock&n=5&latency=0'));
    db.openStates = [{ state: 'opening' }, { state: 'upgrading', language: 'en' }, { state: 'upgrading', language: 'en' }];
    const app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    await settle(app, 3);
    await new Promise((r) => setTimeout(r, 300));
    await settle(app, 2);
    const screen = q(app, '[data-testid=upgrading]');
    expect(screen.textContent).toContain('Upgrading your database');
    expect(screen.querySelector('progress')).not.toBeNull();
    expect(app.querySelector('[data-testid=customer-count]')).toBeNull();
    for (let i = 0; i < 20 && document.body.dataset['ready'] !== '1'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await settle(app, 1);
    }
    await settle(app);
    expect(app.querySelector('[data-testid=upgrading]')).toBeNull();
    expect(count(app)).toBe(5);
    app.remove();
  });

  it('announces the upgrade in the language the users chose', async () => {
    const db = await installMockBackend(new URLSearchParams('mock&n=5&latency=0'));
    db.openStates = [{ state: 'upgrading', language: 'vi' }, { state: 'upgrading', language: 'vi' }];
    const app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    await settle(app, 3);
    expect(q(app, '[data-testid=upgrading]').textContent).toContain('Đang nâng cấp cơ sở dữ liệu');
    for (let i = 0; i < 20 && document.body.dataset['ready'] !== '1'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await settle(app, 1);
    }
    app.remove();
    setLang('en');
  });

  it('says why when the database cannot be opened', async () => {
    const db = await installMockBackend(new URLSearchParams('mock&n=5&latency=0'));
    db.openStates = [{ state: 'failed', message: 'disk I/O error' }];
    const app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 20 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    expect(app.querySelector('[role=alert]')?.textContent).toContain('disk I/O error');
    app.remove();
  });
});

// Bulk edit and merge over the mock backend, driven through the app's selection bar.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { installMockBackend, type MockDb } from '../dev/mock-backend';
import { setLang } from '../i18n';
import { makeCustomer } from '../testing/fixtures';
import type { ClienteleApp } from './app';
import { toBulkEdit } from './bulk-edit';
import { mergedValues, type MergeField, type Pick } from './merge-dialog';

await import('./app');

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

function choose(root: ParentNode, sel: string, value: string): void {
  const s = q<HTMLSelectElement>(root, sel);
  s.value = value;
  s.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('bulk edit and merge', () => {
  let db: MockDb;
  let app: ClienteleApp;

  beforeEach(async () => {
    db = await installMockBackend(new URLSearchParams('mock&n=30&latency=0'));
    app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await new Promise((r) => setTimeout(r, 120));
    await settle(app);
  });

  afterEach(() => {
    app.remove();
    setLang('en');
  });

  async function tickRows(n: number): Promise<number[]> {
    const rows = [...app.querySelectorAll<HTMLElement>('[data-testid=customer-row]')].slice(0, n);
    for (const r of rows) {
      q<HTMLInputElement>(r, '[data-testid=row-select]').click();
      await settle(app, 2);
    }
    return rows.map((r) => Number(r.dataset['id']));
  }

  it('sets a level and adds a group on the selected customers only', async () => {
    const ids = await tickRows(3);
    q(app, '[data-testid=bulk-edit]').click();
    await settle(app);
    const dialog = q(app, '[data-testid=bulk-edit-dialog]');
    expect(q<HTMLButtonElement>(dialog, '[data-testid=bulk-apply]').disabled).toBe(true);
    const gold = db.itemsOf('level')[1];
    const partners = db.itemsOf('group')[0];
    if (!gold || !partners) throw new Error('catalogs');
    choose(dialog, '[data-testid=bulk-level]', String(gold.id));
    q(dialog, '[data-testid=bulk-add-groups] [data-testid=ms-button]').click();
    await settle(app);
    const box = q<HTMLInputElement>(dialog, `[data-testid=bulk-add-groups] input[data-value="${partners.id}"]`);
    box.checked = true;
    box.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    q(dialog, '[data-testid=bulk-apply]').click();
    await settle(app);
    expect(app.querySelector('[data-testid=bulk-edit-dialog]')).toBeNull();
    for (const id of ids) {
      expect(db.get(id).level_id).toBe(gold.id);
      expect(db.get(id).group_ids).toContain(partners.id);
    }
    const untouched = [...db.customers.values()].filter((c) => !ids.includes(c.id));
    expect(untouched.some((c) => c.level_id !== gold.id)).toBe(true);
  });

  it('merges two customers, keeping the chosen values, and opens the survivor', async () => {
    const [a, b] = await tickRows(2);
    if (a === undefined || b === undefined) throw new Error('rows');
    db.get(a).phones = ['0911 111 111'];
    db.get(b).phones = ['0922 222 222'];
    q(app, '[data-testid=merge-selected]').click();
    await settle(app);
    const dialog = q(app, '[data-testid=merge-dialog]');
    const [first, second] = [a, b].sort((x, y) => x - y) as [number, number];
    expect(q<HTMLInputElement>(dialog, `[data-testid=merge-survivor-${first}]`).checked).toBe(true);
    // The second one stays instead; the name comes from the first.
    const keep = q<HTMLInputElement>(dialog, `[data-testid=merge-survivor-${second}]`);
    keep.checked = true;
    keep.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    const name = q<HTMLInputElement>(dialog, `[data-testid=merge-pick][data-field=name][data-value="${first}"]`);
    name.checked = true;
    name.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    const firstName = db.get(first).name;
    q(dialog, '[data-testid=merge-apply]').click();
    await settle(app);
    expect(app.querySelector('[data-testid=merge-dialog]')).toBeNull();
    expect(db.get(first).deleted_at).not.toBeNull();
    expect(db.get(second).deleted_at).toBeNull();
    expect(db.get(second).name).toBe(firstName);
    expect(db.get(second).phones.sort()).toEqual(['0911 111 111', '0922 222 222']);
    expect(q(app, '[data-testid=customer-detail]').dataset['id']).toBe(String(second));
  });
});

describe('pure helpers', () => {
  it('turns the bulk choices into the core’s BulkEdit', () => {
    expect(toBulkEdit({ segment: '', level: 3, status: 'clear', channel: '', service_manager: '' }, [1], [2])).toEqual({
      segment: null,
      level: { id: 3 },
      status: { id: null },
      channel: null,
      service_manager: null,
      add_groups: [1],
      remove_groups: [2],
    });
  });

  it('builds merged values from picks, combining lists and fitting the kind', () => {
    const a = makeCustomer({ id: 1, kind: 'business', name: 'ACME', founded_on: '2010-01-01', phones: ['1'], group_ids: [5], level_id: 9 });
    const b = makeCustomer({ id: 2, kind: 'individual', name: 'An', birthday: '1990-01-01', phones: ['2', '1'], group_ids: [6], referrer: { id: 1, code: 'KH1', name: 'ACME' } });
    const picks = new Map<MergeField, Pick>([
      ['phones', 'all'],
      ['group_ids', 'all'],
      ['kind', 1],
      ['level_id', 1],
      ['referrer_customer_id', 2],
    ]);
    const v = mergedValues([a, b], 2, picks);
    expect(v).toMatchObject({ kind: 'business', name: 'An', phones: ['1', '2'], group_ids: [5, 6], level_id: 9, birthday: null, founded_on: null, allow_duplicate: true });
    // A referral to one of the merged customers would point at itself: dropped.
    expect(v.referrer_customer_id).toBeNull();
  });
});

// Settings over the mock backend: catalog items in use are deleted only after picking a
// replacement, and the customers move; field settings reach the reference data.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { installMockBackend, type MockDb } from '../dev/mock-backend';
import { setLang } from '../i18n';
import { ref } from '../ref-data';
import type { ClienteleSettings } from './settings-view';

await import('./settings-view');

const tick = () => new Promise((r) => setTimeout(r, 0));

async function settle(el: ClienteleSettings): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await tick();
    await el.updateComplete;
  }
}

function q<T extends Element = HTMLElement>(root: ParentNode, sel: string): T {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`nothing matches ${sel}`);
  return el;
}

describe('<clientele-settings>', () => {
  let db: MockDb;
  let view: ClienteleSettings;

  beforeEach(async () => {
    db = await installMockBackend(new URLSearchParams('mock&n=40&latency=0'));
    await ref.load();
    view = document.createElement('clientele-settings') as ClienteleSettings;
    view.actor = db.actor;
    document.body.append(view);
    await view.show('level');
    await settle(view);
  });

  afterEach(() => {
    view.remove();
    setLang('en');
  });

  it('lists a catalog with usage counts, and deletes an item in use only onto a replacement', async () => {
    const rows = view.querySelectorAll<HTMLElement>('[data-testid=catalog-row]');
    expect([...rows].map((r) => q<HTMLInputElement>(r, '[data-testid=catalog-name]').value)).toEqual(['VIP', 'Gold', 'Silver', 'Standard']);
    const vip = db.itemsOf('level')[0];
    const gold = db.itemsOf('level')[1];
    if (!vip || !gold) throw new Error('no levels');
    const used = db.usage(vip).filter((c) => !c.deleted_at).length;
    expect(q(rows[0] as HTMLElement, '[data-testid=catalog-usage]').textContent).toBe(String(used));

    q(rows[0] as HTMLElement, '[data-testid=catalog-delete]').click();
    await settle(view);
    expect(q(view, '[data-testid=catalog-in-use]').textContent).toContain(String(used));
    expect(q<HTMLButtonElement>(view, '[data-testid=catalog-delete-confirm]').disabled).toBe(true);
    const select = q<HTMLSelectElement>(view, '[data-testid=catalog-replacement]');
    select.value = String(gold.id);
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(view);
    q(view, '[data-testid=catalog-delete-confirm]').click();
    await settle(view);
    expect(view.querySelector('[data-testid=catalog-delete-dialog]')).toBeNull();
    expect(db.items.some((i) => i.id === vip.id)).toBe(false);
    expect([...db.customers.values()].some((c) => c.level_id === vip.id)).toBe(false);
    expect(view.querySelectorAll('[data-testid=catalog-row]')).toHaveLength(3);
    expect(ref.of('level').map((i) => i.name)).toEqual(['Gold', 'Silver', 'Standard']);
  });

  it('adds, renames, reorders and deactivates items', async () => {
    const name = q<HTMLInputElement>(view, '[data-testid=catalog-add-name]');
    name.value = 'Kim cương';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    q<HTMLButtonElement>(view, '[data-testid=catalog-add]').click();
    await settle(view);
    expect(db.itemsOf('level').map((i) => i.name)).toEqual(['VIP', 'Gold', 'Silver', 'Standard', 'Kim cương']);
    // The same name twice is refused by the backend, shown under the input.
    name.value = 'vip';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    q<HTMLButtonElement>(view, '[data-testid=catalog-add]').click();
    await settle(view);
    expect(q(view, '[data-testid=catalog-add-error]').textContent).toContain('already used');

    const last = () => [...view.querySelectorAll<HTMLElement>('[data-testid=catalog-row]')].at(-1) as HTMLElement;
    q(last(), '[data-testid=catalog-up]').click();
    await settle(view);
    expect(db.itemsOf('level').map((i) => i.name)).toEqual(['VIP', 'Gold', 'Silver', 'Kim cương', 'Standard']);

    const rename = q<HTMLInputElement>(last(), '[data-testid=catalog-name]');
    rename.value = 'Phổ thông';
    rename.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(view);
    expect(db.itemsOf('level').at(-1)?.name).toBe('Phổ thông');

    const active = q<HTMLInputElement>(last(), '[data-testid=catalog-active]');
    active.checked = false;
    active.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(view);
    expect(db.itemsOf('level').at(-1)?.active).toBe(false);
    expect(ref.of('level', { activeOnly: true }).map((i) => i.name)).not.toContain('Phổ thông');
  });

  it('saves field settings, a required field being shown', async () => {
    await view.show('fields');
    await settle(view);
    const req = q<HTMLInputElement>(view, '[data-testid=field-required-level_id]');
    req.checked = true;
    req.dispatchEvent(new Event('change', { bubbles: true }));
    const shown = q<HTMLInputElement>(view, '[data-testid=field-shown-website]');
    shown.checked = false;
    shown.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(view);
    q(view, '[data-testid=fields-save]').click();
    await settle(view);
    expect(db.fields.fields['level_id']).toEqual({ shown: true, required: true });
    expect(db.fields.fields['website']).toEqual({ shown: false, required: false });
    expect(ref.required('level_id')).toBe(true);
    expect(ref.shown('website')).toBe(false);
  });
});

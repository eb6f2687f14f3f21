// Ownership over the mock backend (which imitates the core's rules): which actions are offered to
// whom, the state badges, the Pool and Pending views with their counts, claim, transfer, approve /
// reject / resubmit, the locked notice in both languages, switch user, and the settings.

import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'lit';

import type { Actor } from '../bindings/Actor';
import type { Customer } from '../bindings/Customer';
import { installMockBackend, type MockDb } from '../dev/mock-backend';
import * as ipc from '../ipc';
import { filterKey } from '../grid/filter';
import { setLang } from '../i18n';
import { actionsFor, selectionActions, viewFilter } from '../ownership';
import type { ClienteleApp } from './app';
import type { ClienteleCustomerDetail } from './customer-detail';
import { stateBadges } from './ownership-badges';

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

function customer(over: Partial<Customer>): Customer {
  return {
    id: 1, code: 'KH000001', kind: 'individual', name: 'An', phones: [], emails: [], address: null, tax_code: null, website: null,
    birthday: null, founded_on: null, gender: null, notes: null, owner_id: 3, owner_name: 'Hà', segment_id: null, level_id: null,
    group_ids: [], status_id: null, channel_id: null, service_manager_id: null, service_manager_name: null, email_consent: false,
    email_consent_at: null, products: [], invoice_type_ids: [], legal_entities: [], contacts: [], referrer: null, referrer_supplier: null,
    photo: null, locked: false, in_pool: false, approval: 'approved', approval_reason: null, active: true, created_at: '2024-01-01T00:00:00Z',
    created_by: 3, updated_at: '2024-01-01T00:00:00Z', updated_by: 3, deleted_at: null, ...over,
  };
}

const staff: Actor = { staff_id: 3, name: 'Hà', email: 'ha@example.vn', role: 'staff' };
const manager: Actor = { staff_id: 2, name: 'Hùng', email: 'hung@example.vn', role: 'manager' };

describe('which ownership actions are offered', () => {
  it('offers the owner and managers what they may do, and others nothing but claiming from the pool', () => {
    expect(actionsFor(staff, customer({}))).toEqual(['transfer', 'release', 'lock', 'deactivate']);
    expect(actionsFor(staff, customer({ owner_id: 1 }))).toEqual([]);
    expect(actionsFor(staff, customer({ owner_id: null, in_pool: true }))).toEqual(['claim']);
    expect(actionsFor(manager, customer({ owner_id: null, in_pool: true }))).toEqual(['claim', 'assign', 'deactivate']);
    // Locked: no release; unlock instead of lock.
    expect(actionsFor(staff, customer({ locked: true }))).toEqual(['transfer', 'unlock', 'deactivate']);
    expect(actionsFor(manager, customer({ owner_id: 1, approval: 'pending' }))).toEqual(['approve', 'reject', 'transfer', 'release', 'lock', 'deactivate']);
    expect(actionsFor(staff, customer({ owner_id: 1, created_by: 3, approval: 'rejected' }))).toEqual(['resubmit']);
    expect(actionsFor(staff, customer({ active: false }))).toContain('activate');
    expect(actionsFor(staff, customer({ deleted_at: '2024-02-01T00:00:00Z' }))).toEqual([]);
  });

  it('offers the selection bar the actions of the view', () => {
    expect(selectionActions(staff, 'pool')).toEqual(['claim']);
    expect(selectionActions(manager, 'pool')).toEqual(['claim', 'assign']);
    expect(selectionActions(staff, 'pending')).toEqual([]);
    expect(selectionActions(manager, 'pending')).toEqual(['approve', 'reject']);
    expect(selectionActions(staff, 'customers')).not.toContain('approve');
  });

  it('gives each view its own filter and cache key', () => {
    expect(viewFilter('pool').in_pool).toBe(true);
    expect(viewFilter('pending', 'rejected').approval).toBe('rejected');
    expect(new Set([filterKey(viewFilter('pool')), filterKey(viewFilter('pending')), filterKey(viewFilter('pending', 'rejected'))]).size).toBe(3);
  });
});

describe('state badges', () => {
  afterEach(() => setLang('en'));

  it('shows the lock as an icon with its word for screen readers, and the rejection reason as text', () => {
    const host = document.createElement('div');
    render(stateBadges({ locked: true, approval: 'rejected', approval_reason: '<b>no phone</b>', active: false }), host);
    expect(q(host, '[data-testid=badge-locked]').textContent).toContain('Locked');
    expect(q(host, '[data-testid=badge-rejected]').textContent).toContain('Rejected: <b>no phone</b>');
    expect(host.querySelector('b')).toBeNull();
    expect(q(host, '[data-testid=badge-inactive]').textContent).toBe('Inactive');
    setLang('vi');
    render(stateBadges({ locked: true, in_pool: true }, true), host);
    expect(q(host, '[data-testid=badge-locked] .sr-only').textContent).toBe('Đã khoá');
    expect(q(host, '[data-testid=badge-pool]').textContent).toBe('Kho chung');
  });
});

describe('ownership in the app over the mock backend', () => {
  let db: MockDb;
  let app: ClienteleApp;

  async function mount(params: string): Promise<void> {
    db = await installMockBackend(new URLSearchParams(`mock&n=200&latency=0&${params}`));
    app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await settle(app);
  }

  async function rows(): Promise<void> {
    await new Promise((r) => setTimeout(r, 120)); // the grid asks for rows at most every 80 ms
    await settle(app);
  }

  const live = () => [...db.customers.values()].filter((c) => !c.deleted_at);
  const detail = () => q<ClienteleCustomerDetail>(app, 'clientele-customer-detail');
  const toasts = () => [...document.querySelectorAll<HTMLElement>('[data-testid=toast]')].map((x) => x.textContent?.trim() ?? '');

  afterEach(() => {
    app.remove();
    document.querySelector('clientele-ownership-dialog')?.remove();
    setLang('en');
  });

  it('lists the pool with its count, and a staff member claims from it', async () => {
    await mount('role=staff');
    const me = db.actor?.staff_id;
    const pool = live().filter((c) => c.in_pool);
    expect(pool.length).toBeGreaterThan(1);
    expect(q(app, '[data-testid=pool-count]').dataset['count']).toBe(String(pool.length));

    q(app, '[data-testid=nav-pool]').click();
    await settle(app);
    await rows();
    expect(count(app)).toBe(pool.length);
    expect(q(app, '[data-testid=view-title]').dataset['view']).toBe('pool');
    const shown = [...app.querySelectorAll<HTMLElement>('[data-testid=customer-row]')];
    expect(shown.every((r) => r.querySelector('[data-testid=badge-pool]'))).toBe(true);

    const id = Number(shown[0]?.dataset['id']);
    q(shown[0] as HTMLElement, '[data-testid=row-select]').click();
    await settle(app);
    q(app, '[data-testid=selection-bar] [data-testid=own-claim]').click();
    await settle(app);
    await rows();
    const claimed = db.customers.get(id);
    expect(claimed?.owner_id).toBe(me);
    expect(claimed?.in_pool).toBe(false);
    expect(count(app)).toBe(pool.length - 1);
    expect(q(app, '[data-testid=pool-count]').dataset['count']).toBe(String(pool.length - 1));
    expect(toasts().some((x) => x.includes('1 more customer'))).toBe(true);

    // It now opens as theirs, with the actions of an owner.
    await detail().openCustomer(claimed?.id ?? 0);
    await settle(app);
    expect(app.querySelector('[data-testid=detail-refused]')).toBeNull();
    expect(q(app, '[data-testid=customer-detail] [data-testid=own-release]')).toBeTruthy();
    expect(q(app, '[data-testid=history-entry][data-action=claim]').textContent).toContain('claimed it from the pool');
  });

  it('refuses to open another owner’s locked customer, with the reason in the user’s language', async () => {
    await mount('role=staff&lang=vi');
    const locked = live().find((c) => c.locked && c.owner_id !== db.actor?.staff_id);
    if (!locked) throw new Error('no locked customer');
    // The list shows it by code and name only, with the lock.
    const row = db.row(locked) as unknown as Record<string, unknown>;
    expect(row['phone']).toBeNull();
    expect(row['locked']).toBe(true);

    await detail().openCustomer(locked.id);
    await settle(app);
    expect(app.querySelector('[data-testid=customer-detail]')).toBeNull();
    const message = q(app, '[data-testid=refused-message]').textContent ?? '';
    expect(message).toContain(locked.code);
    expect(message).toContain('đang bị khoá');
    q(app, '[data-testid=refused-ok]').click();
    await settle(app);
    expect(app.querySelector('[data-testid=detail-refused]')).toBeNull();
  });

  it('transfers from the drawer with a reason, asking who first', async () => {
    await mount('role=staff');
    const mine = live().find((c) => c.owner_id === db.actor?.staff_id && !c.locked && c.approval === 'approved' && c.active);
    if (!mine) throw new Error('no customer of mine');
    await detail().openCustomer(mine.id);
    await settle(app);
    q(app, '[data-testid=customer-detail] [data-testid=own-transfer]').click();
    await settle(app);
    const dialog = q(document.body, '[data-testid=ownership-dialog]');
    q(dialog, '[data-testid=ownership-ok]').click();
    await settle(app);
    expect(q(dialog, '[data-testid=ownership-error-to]').textContent).toContain('Choose who');
    const to = db.staff.find((s) => s.id !== mine.owner_id && s.active);
    if (!to) throw new Error('no other staff');
    const select = q<HTMLSelectElement>(dialog, '[data-testid=ownership-to]');
    expect([...select.options].map((o) => o.value)).not.toContain(String(mine.owner_id));
    select.value = String(to.id);
    select.dispatchEvent(new Event('change', { bubbles: true }));
    const reason = q<HTMLTextAreaElement>(dialog, '[data-testid=ownership-reason]');
    reason.value = 'Khách chuyển về chi nhánh Hà Nội';
    reason.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(app);
    q(dialog, '[data-testid=ownership-ok]').click();
    await settle(app);
    expect(document.querySelector('[data-testid=ownership-dialog]')).toBeNull();
    expect(db.customers.get(mine.id)?.owner_id).toBe(to.id);
    const entry = db.history.filter((h) => h.entity_id === mine.id && h.action === 'transfer').pop();
    expect(entry?.changes.find((c) => c.field === 'reason')?.after).toBe('Khách chuyển về chi nhánh Hà Nội');
    expect(toasts().some((x) => x.includes(`transferred to ${to.name}`))).toBe(true);
  });

  it('moves the planned care with the customer unless the box is unchecked', async () => {
    await mount('role=staff');
    const mine = live().filter((c) => c.owner_id === db.actor?.staff_id && !c.locked && c.approval === 'approved' && c.active);
    const [first, second] = mine;
    if (!first || !second) throw new Error('not enough customers of mine');
    const me = db.actor?.staff_id ?? 0;
    const to = db.staff.find((s) => s.id !== me && s.active);
    if (!to) throw new Error('no other staff');
    await ipc.catalogsAll(); // the mock adds the care types on first use
    const callType = db.items.find((i) => i.kind === 'care_type' && i.key === 'call');
    if (!callType) throw new Error('no care type');
    const plan = (customerId: number) =>
      ipc.careSchedule(customerId, { type_id: callType.id, title: 'Call back', due: '2099-01-01', tz: null, duration_min: null, assignee_id: null, notes: null });
    const a1 = await plan(first.id);
    const a2 = await plan(second.id);
    expect(a1.assignee_id).toBe(me);

    const transfer = async (c: Customer, keepCare: boolean) => {
      await detail().openCustomer(c.id);
      await settle(app);
      q(app, '[data-testid=customer-detail] [data-testid=own-transfer]').click();
      await settle(app);
      const dialog = q(document.body, '[data-testid=ownership-dialog]');
      const box = q<HTMLInputElement>(dialog, '[data-testid=ownership-with-care]');
      expect(box.checked).toBe(true);
      expect(box.closest('label')?.textContent).toContain('Also move their planned care activities');
      if (!keepCare) {
        box.checked = false;
        box.dispatchEvent(new Event('change', { bubbles: true }));
      }
      const select = q<HTMLSelectElement>(dialog, '[data-testid=ownership-to]');
      select.value = String(to.id);
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await settle(app);
      q(dialog, '[data-testid=ownership-ok]').click();
      await settle(app);
      expect(document.querySelector('[data-testid=ownership-dialog]')).toBeNull();
      expect(db.customers.get(c.id)?.owner_id).toBe(to.id);
    };
    await transfer(first, true);
    expect((await ipc.careGet(a1.id)).assignee_id).toBe(to.id);
    expect(db.history.some((h) => h.entity === 'care_activity' && h.entity_id === a1.id && h.action === 'reassign')).toBe(true);
    await transfer(second, false);
    expect((await ipc.careGet(a2.id)).assignee_id).toBe(me);
  });

  it('lets a manager approve and reject (with a reason) in Pending, and the creator resubmit', async () => {
    await mount('role=manager');
    const pending = live().filter((c) => c.approval === 'pending');
    expect(pending.length).toBeGreaterThan(1);
    expect(q(app, '[data-testid=pending-count]').dataset['count']).toBe(String(pending.length));
    q(app, '[data-testid=nav-pending]').click();
    await settle(app);
    await rows();
    expect(count(app)).toBe(pending.length);

    // Approve the first from the drawer.
    const [first, second] = pending;
    if (!first || !second) throw new Error('not enough pending');
    await detail().openCustomer(first.id);
    await settle(app);
    q(app, '[data-testid=customer-detail] [data-testid=own-approve]').click();
    await settle(app);
    await rows();
    expect(db.customers.get(first.id)?.approval).toBe('approved');
    expect(count(app)).toBe(pending.length - 1);
    detail().close();
    await settle(app);

    // Reject the second from the selection bar: a reason is required.
    const row = q(app, `[data-testid=customer-row][data-id="${second.id}"]`);
    q(row, '[data-testid=row-select]').click();
    await settle(app);
    q(app, '[data-testid=selection-bar] [data-testid=own-reject]').click();
    await settle(app);
    const dialog = q(document.body, '[data-testid=ownership-dialog]');
    q(dialog, '[data-testid=ownership-ok]').click();
    await settle(app);
    expect(q(dialog, '[data-testid=ownership-error-reason]')).toBeTruthy();
    const reason = q<HTMLTextAreaElement>(dialog, '[data-testid=ownership-reason]');
    reason.value = 'Thiếu mã số thuế';
    reason.dispatchEvent(new Event('input', { bubbles: true }));
    q(dialog, '[data-testid=ownership-ok]').click();
    await settle(app);
    await rows();
    expect(db.customers.get(second.id)).toMatchObject({ approval: 'rejected', approval_reason: 'Thiếu mã số thuế' });

    // The Rejected tab lists it with the reason.
    q(app, '[data-testid=pending-tab-rejected]').click();
    await settle(app);
    await rows();
    const rejectedRow = q(app, `[data-testid=customer-row][data-id="${second.id}"]`);
    expect(q(rejectedRow, '[data-testid=badge-rejected]').getAttribute('title')).toBe('Rejected: Thiếu mã số thuế');

    // Its creator (staff) sees it under Pending → Rejected, with the reason, and resubmits it.
    app.remove();
    const creator = db.staff.find((s) => s.id === second.created_by);
    if (!creator) throw new Error('no creator');
    db.actor = db.actorFor(creator);
    app = document.createElement('clientele-app') as ClienteleApp;
    document.body.append(app);
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await settle(app);
    await detail().openCustomer(second.id);
    await settle(app);
    expect(q(app, '[data-testid=rejected-reason]').textContent).toBe('Thiếu mã số thuế');
    q(app, '[data-testid=customer-detail] [data-testid=own-resubmit]').click();
    await settle(app);
    expect(db.customers.get(second.id)?.approval).toBe('pending');
  });

  it('new customers of staff wait for approval when an admin turns it on; claim limits are kept per staff member', async () => {
    await mount('');
    q(app, '[data-testid=nav-settings]').click();
    await settle(app);
    await q<HTMLElement & { show(p: string): Promise<void> }>(app, 'clientele-settings').show('staff');
    await settle(app);
    const toggle = q<HTMLInputElement>(app, '[data-testid=approval-required]');
    expect(toggle.checked).toBe(false);
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    const staffRow = q(app, '[data-testid=claim-limit-row][data-id="3"]');
    const limit = q<HTMLInputElement>(staffRow, '[data-testid=claim-limit]');
    limit.value = 'abc';
    limit.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    expect(q(staffRow, '[data-testid=claim-limit-error]')).toBeTruthy();
    limit.value = '1';
    limit.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(app);
    expect(staffRow.querySelector('[data-testid=claim-limit-error]')).toBeNull();
    expect((db.staff.find((s) => s.id === 3) as { claim_limit?: number }).claim_limit).toBe(1);

    // As the staff member: a new customer is pending; claiming two from the pool is refused.
    const ha = db.staff.find((s) => s.id === 3);
    if (!ha) throw new Error('no staff');
    db.actor = db.actorFor(ha);
    const handler = (await import('../dev/mock-backend')).mockHandler(db);
    const model = live()[0];
    if (!model) throw new Error('no customer');
    const created = handler('create_customer', {
      input: { ...db.public(model), code: null, name: 'Mới Tinh', phones: [], emails: [], contacts: [], allow_duplicate: true, referrer_customer_id: null },
    }) as Customer;
    expect(created.approval).toBe('pending');
    const pool = live().filter((c) => c.in_pool).map((c) => c.id).slice(0, 2);
    expect(() => handler('claim_customers', { ids: pool })).toThrow();
    expect(pool.every((id) => db.customers.get(id)?.in_pool)).toBe(true);
  });

  it('keeps others’ pending customers out of a staff member’s list, and refuses editing a locked one', async () => {
    await mount('role=staff');
    const me = db.actor?.staff_id;
    const othersPending = live().filter((c) => c.approval === 'pending' && c.created_by !== me && c.owner_id !== me);
    const handler = (await import('../dev/mock-backend')).mockHandler(db);
    for (const c of othersPending) expect(db.matching(c.code, false, null).some((x) => x.id === c.id)).toBe(false);
    const locked = live().find((c) => c.locked && c.owner_id !== me);
    if (!locked) throw new Error('no locked');
    let code = '';
    try {
      handler('update_customer', { id: locked.id, input: { ...db.public(locked), allow_duplicate: true } });
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(code).toBe('permission.locked');
  });

  it('switches user from the account menu: signed out, the sign-in picker shows', async () => {
    await mount('');
    q(app, '[data-testid=user-menu-toggle]').click();
    await settle(app);
    q(app, '[data-testid=switch-user]').click();
    await settle(app);
    expect(db.actor).toBeNull();
    expect(q(app, '[data-testid=signin-form]')).toBeTruthy();
    await settle(app);
    const picker = q<HTMLSelectElement>(app, '[data-testid=signin-staff]');
    const ha = db.staff.find((s) => s.role === 'staff');
    if (!ha) throw new Error('no staff');
    picker.value = String(ha.id);
    picker.dispatchEvent(new Event('change', { bubbles: true }));
    q(app, '[data-testid=signin-submit]').click();
    for (let i = 0; i < 50 && document.body.dataset['ready'] !== '1'; i++) await settle(app, 1);
    await settle(app);
    expect(q(app, '[data-testid=current-user]').textContent).toBe(ha.name);
    expect(q(app, '[data-testid=current-role]').dataset['role']).toBe('staff');
  });
});

// Development only: ownership for the mock backend — transfer, the pool (release, claim with a
// per-staff limit, assign), lock, activation, approval — with the core's rules (src/actor.rs,
// src/ownership.rs) imitated closely enough to exercise the UI: managers anything; staff their own
// customers; a locked customer opens and changes for its owner and managers only; pending
// customers are hidden from other staff; inactive ones from the default list. All or nothing.
// Also the list's last contact, the pool's automatic return setting and the activity log.

import type { ActivityEntry } from '../bindings/ActivityEntry';
import type { ActivityFilter } from '../bindings/ActivityFilter';
import type { ActivityPage } from '../bindings/ActivityPage';
import type { Actor } from '../bindings/Actor';
import type { Customer } from '../bindings/Customer';
import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { CustomerRow } from '../bindings/CustomerRow';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { FieldChange } from '../bindings/FieldChange';
import type { FieldError } from '../bindings/FieldError';
import type { Selection } from '../bindings/Selection';
import type { Staff } from '../bindings/Staff';
import type { MockDb } from './mock-backend';

/** What `mockOwnership` returns for a command that is not its own (after its checks passed). */
export const NOT_OWNERSHIP = Symbol('not ownership');

interface OwnState {
  approvalRequired: boolean;
  /** Customers their owner claimed from the pool (the claim limit counts these). */
  claimed: Set<number>;
  /** Days without a done care activity before customers return to the pool; null: off. */
  poolReturnDays: number | null;
  /** Customers' last contact (UTC ISO); none: never contacted. */
  lastContact: Map<number, string>;
}

const states = new WeakMap<MockDb, OwnState>();

function own(db: MockDb): OwnState {
  let s = states.get(db);
  if (!s) {
    s = { approvalRequired: false, claimed: new Set(), poolReturnDays: null, lastContact: new Map() };
    states.set(db, s);
  }
  return s;
}

function fail(code: string, message: string, value: string | null = null, fields: FieldError[] = []): never {
  const body: ErrorBody = {
    code,
    message,
    details: value !== null || fields.length ? { fields, value, count: null, matches: [], blocking: null } : null,
  };
  throw body;
}

const isManager = (a: Actor) => a.role === 'admin' || a.role === 'manager';

type C = Customer;

export function canView(a: Actor, c: C): void {
  if (isManager(a)) return;
  const mine = c.owner_id === a.staff_id;
  if (c.locked && !mine) fail('permission.locked', `${c.code} is locked`, c.code);
  if (c.approval !== 'approved' && !mine && c.created_by !== a.staff_id) fail('permission.denied', 'not allowed: this customer is awaiting approval');
}

export function canEdit(a: Actor, c: C): void {
  if (isManager(a)) return;
  const mine = c.owner_id === a.staff_id;
  if (c.locked && !mine) fail('permission.locked', `${c.code} is locked`, c.code);
  if (mine || (c.approval !== 'approved' && c.created_by === a.staff_id)) return;
  fail('permission.denied', `not allowed: ${c.code} belongs to another staff member`);
}

function canManage(a: Actor, c: C): void {
  if (isManager(a) || c.owner_id === a.staff_id) return;
  if (c.locked) fail('permission.locked', `${c.code} is locked`, c.code);
  fail('permission.denied', `not allowed: only the owner of ${c.code} or a manager can do this`);
}

function canApprove(a: Actor): void {
  if (!isManager(a)) fail('permission.denied', 'not allowed: only managers approve customers');
}

/** Whether a customer is listed for the signed-in member with this filter (and the default rules). */
export function ownershipVisible(db: MockDb, c: C, f: CustomerFilter | null | undefined): boolean {
  const a = db.actor;
  if (a && !isManager(a) && c.approval !== 'approved' && c.owner_id !== a.staff_id && c.created_by !== a.staff_id) return false;
  if (!f) return c.active || c.deleted_at !== null;
  if (f.in_pool !== null && f.in_pool !== undefined && c.in_pool !== f.in_pool) return false;
  if (f.approval && c.approval !== f.approval) return false;
  if (f.not_contacted_days !== null && f.not_contacted_days !== undefined) {
    const cutoff = new Date(Date.now() - f.not_contacted_days * 86_400_000).toISOString();
    const last = lastContactOf(db, c.id);
    if (last !== null && last >= cutoff) return false;
  }
  // Inactive customers are hidden unless asked for (the trash shows everything it holds).
  const activity = f.active ?? (c.deleted_at ? 'all' : 'active');
  return activity === 'all' || c.active === (activity === 'active');
}

/** A customer's last contact (UTC ISO), or null: never contacted. */
export function lastContactOf(db: MockDb, id: number): string | null {
  return own(db).lastContact.get(id) ?? null;
}

/** Record a done care activity's time as the customer's last contact, when it is the latest. */
export function recordContact(db: MockDb, id: number, at: string): void {
  const s = own(db);
  const before = s.lastContact.get(id);
  if (!before || before < at) s.lastContact.set(id, at);
}

/** The row's state fields; a locked customer shows only its code and name to other staff. */
export function ownershipRow(
  db: MockDb,
  c: C,
): Partial<CustomerRow> & Pick<CustomerRow, 'locked' | 'in_pool' | 'approval' | 'approval_reason' | 'active' | 'last_contact_at'> {
  const state = {
    locked: c.locked,
    in_pool: c.in_pool,
    approval: c.approval,
    approval_reason: c.approval_reason,
    active: c.active,
    last_contact_at: lastContactOf(db, c.id),
  };
  const a = db.actor;
  if (!c.locked || !a || isManager(a) || c.owner_id === a.staff_id) return state;
  return { ...state, phone: null, email: null, address: null, tax_code: null, website: null, photo: null, service_manager_name: null, last_contact_at: null };
}

/** A customer created now by `actor` waits for approval when the setting is on and they are staff. */
export function afterCreate(db: MockDb, actor: Actor, c: Customer): Customer {
  if (!own(db).approvalRequired || actor.role !== 'staff') return c;
  const stored = db.get(c.id);
  stored.approval = 'pending';
  return db.public(stored);
}

function activeStaff(db: MockDb, id: number): Staff {
  const s = db.staff.find((x) => x.id === id);
  if (!s) fail('staff.not_found', `staff member ${id} not found`, String(id));
  if (!s.active) fail('input.invalid', 'invalid input: to inactive', null, [{ field: 'to', code: 'inactive', value: String(id) }]);
  return s;
}

type Sets = Partial<Pick<C, 'owner_id' | 'owner_name' | 'in_pool' | 'locked' | 'active' | 'approval' | 'approval_reason'>>;

/** Check every customer, then change them all (nothing changes when one is refused). */
function apply(
  db: MockDb,
  actor: Actor,
  ids: number[],
  action: string,
  reason: string | null,
  check: (c: C) => void,
  change: (c: C) => Sets | null,
): number {
  const unique = [...new Set(ids)].sort((x, y) => x - y);
  const plans: [C, Sets][] = [];
  for (const id of unique) {
    const c = db.customers.get(id);
    if (!c || c.deleted_at) fail('customer.not_found', `customer ${id} not found`, String(id));
    check(c);
    const sets = change(c);
    if (!sets) continue;
    const diff = (Object.keys(sets) as (keyof Sets)[]).filter((k) => k !== 'owner_name' && c[k] !== sets[k]);
    if (diff.length) plans.push([c, sets]);
  }
  const now = new Date().toISOString();
  for (const [c, sets] of plans) {
    const changes: FieldChange[] = (Object.keys(sets) as (keyof Sets)[])
      .filter((k) => k !== 'owner_name' && c[k] !== sets[k])
      .map((k) => ({ field: k, before: c[k], after: sets[k] ?? null }));
    if (reason?.trim()) changes.push({ field: 'reason', before: null, after: reason.trim() });
    Object.assign(c, sets, { updated_at: now, updated_by: actor.staff_id });
    db.log(c.id, action, changes, actor, now);
  }
  return plans.length;
}

function idsOf(db: MockDb, sel: Selection): number[] {
  return db.selectionIds(sel);
}

/**
 * Ownership commands, and the ownership checks of the other customer commands (which throw when
 * refused). Returns NOT_OWNERSHIP for commands the main handler answers.
 */
export function mockOwnership(db: MockDb, actor: Actor, cmd: string, a: Record<string, unknown>): unknown {
  const s = own(db);
  const ids = () => a['ids'] as number[];
  const reason = () => (a['reason'] as string | null | undefined) ?? null;
  switch (cmd) {
    // --- checks on the other commands ---
    case 'get_customer':
    case 'customer_history':
      canView(actor, db.get(a['id'] as number));
      return NOT_OWNERSHIP;
    case 'update_customer':
    case 'set_customer_photo':
      canEdit(actor, db.get(a['id'] as number));
      return NOT_OWNERSHIP;
    case 'delete_customers':
    case 'bulk_edit_customers':
      for (const id of idsOf(db, a['selection'] as Selection)) canEdit(actor, db.get(id));
      return NOT_OWNERSHIP;
    case 'merge_customers':
      for (const id of [a['survivor'] as number, ...(a['others'] as number[])]) canEdit(actor, db.get(id));
      return NOT_OWNERSHIP;
    case 'restore_customers':
      for (const id of ids()) canEdit(actor, db.get(id));
      return NOT_OWNERSHIP;

    // --- ownership ---
    case 'transfer_customers':
    case 'assign_customers': {
      if (cmd === 'assign_customers') canApprove(actor);
      const to = activeStaff(db, a['to'] as number);
      return apply(db, actor, ids(), cmd === 'assign_customers' ? 'assign' : 'transfer', reason(), (c) => (cmd === 'assign_customers' ? undefined : canManage(actor, c)), () => ({
        owner_id: to.id,
        owner_name: to.name,
        in_pool: false,
      }));
    }
    case 'release_customers':
      return apply(db, actor, ids(), 'release', reason(), (c) => canManage(actor, c), (c) => {
        if (c.in_pool) return null;
        if (c.locked) fail('permission.locked', `${c.code} is locked`, c.code);
        return { in_pool: true, owner_id: null, owner_name: null };
      });
    case 'claim_customers': {
      const taking = [...new Set(ids())];
      for (const id of taking) {
        const c = db.get(id);
        if (!c.in_pool || c.deleted_at) fail('permission.denied', `not allowed: ${c.code} is not in the pool`);
      }
      const me = db.staff.find((x) => x.id === actor.staff_id) as (Staff & { claim_limit?: number | null }) | undefined;
      const limit = me?.claim_limit;
      if (limit !== undefined && limit !== null) {
        const held = [...s.claimed].filter((id) => {
          const c = db.customers.get(id);
          return c && !c.deleted_at && c.owner_id === actor.staff_id;
        }).length;
        if (held + taking.length > limit) fail('permission.denied', `not allowed: you can hold at most ${limit} customers claimed from the pool`);
      }
      for (const id of taking) s.claimed.add(id);
      return apply(db, actor, taking, 'claim', null, () => undefined, () => ({ in_pool: false, owner_id: actor.staff_id, owner_name: actor.name }));
    }
    case 'set_customers_locked': {
      const locked = a['locked'] as boolean;
      return apply(db, actor, ids(), locked ? 'lock' : 'unlock', null, (c) => canManage(actor, c), (c) => {
        if (locked && c.in_pool) fail('input.bad_argument', `${c.code} is in the pool; claim it first`);
        return { locked };
      });
    }
    case 'set_customers_active': {
      const active = a['active'] as boolean;
      return apply(db, actor, ids(), active ? 'activate' : 'deactivate', null, (c) => canManage(actor, c), () => ({ active }));
    }
    case 'approve_customers':
      canApprove(actor);
      return apply(db, actor, ids(), 'approve', null, () => undefined, (c) => (c.approval === 'approved' ? null : { approval: 'approved', approval_reason: null }));
    case 'reject_customers': {
      canApprove(actor);
      const r = reason()?.trim() ?? '';
      if (!r) fail('input.invalid', 'invalid input: reason required', null, [{ field: 'reason', code: 'required', value: null }]);
      return apply(db, actor, ids(), 'reject', null, () => undefined, (c) => {
        if (c.approval !== 'pending') fail('input.bad_argument', `${c.code} is not awaiting approval`);
        return { approval: 'rejected', approval_reason: r };
      });
    }
    case 'resubmit_customer':
      return apply(db, actor, [a['id'] as number], 'resubmit', null, (c) => canEdit(actor, c), (c) => {
        if (c.approval !== 'rejected') fail('input.bad_argument', `${c.code} was not rejected`);
        return { approval: 'pending' };
      });
    case 'ownership_counts': {
      const live = [...db.customers.values()].filter((c) => !c.deleted_at && c.active);
      return {
        pool: live.filter((c) => c.in_pool).length,
        pending: isManager(actor)
          ? live.filter((c) => c.approval === 'pending').length
          : live.filter((c) => c.approval !== 'approved' && c.created_by === actor.staff_id).length,
      };
    }
    case 'approval_required':
      return s.approvalRequired;
    case 'set_approval_required':
      if (actor.role !== 'admin') fail('permission.denied', 'not allowed: only administrators change these settings');
      s.approvalRequired = a['on'] as boolean;
      return s.approvalRequired;
    case 'pool_return_days':
      return s.poolReturnDays;
    case 'set_pool_return_days': {
      if (actor.role !== 'admin') fail('permission.denied', 'not allowed: only administrators change these settings');
      const days = (a['days'] as number | null) ?? null;
      if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
        fail('input.invalid', 'invalid input: days out_of_range', null, [{ field: 'days', code: 'out_of_range', value: String(days) }]);
      }
      s.poolReturnDays = days;
      return s.poolReturnDays;
    }
    case 'activity_log':
      if (actor.role !== 'admin') fail('permission.denied', 'not allowed: only administrators change these settings');
      return activityPage(db, a['filter'] as ActivityFilter, (a['before'] as number | null) ?? null, a['limit'] as number);
    case 'activity_actions':
      if (actor.role !== 'admin') fail('permission.denied', 'not allowed: only administrators change these settings');
      return [...new Set(db.history.map((h) => h.action))].sort();
    case 'set_claim_limit': {
      if (actor.role !== 'admin') fail('permission.denied', 'not allowed: only administrators manage staff');
      const staff = db.staff.find((x) => x.id === a['staffId']);
      if (!staff) fail('staff.not_found', `staff member ${String(a['staffId'])} not found`, String(a['staffId']));
      (staff as Staff & { claim_limit?: number | null }).claim_limit = (a['limit'] as number | null) ?? null;
      return null;
    }
  }
  return NOT_OWNERSHIP;
}

/** The mock's activity log: the history entries, newest first, filtered like the core's. */
function activityPage(db: MockDb, f: ActivityFilter, before: number | null, limit: number): ActivityPage {
  const day = (iso: string) => iso.slice(0, 10);
  const entries: ActivityEntry[] = db.history
    .filter((h) => before === null || h.id < before)
    .filter((h) => f.staff_id === null || h.actor_id === f.staff_id)
    .filter((h) => !f.action || h.action === f.action)
    .filter((h) => (!f.from || day(h.at) >= f.from) && (!f.to || day(h.at) <= f.to))
    .sort((x, y) => y.id - x.id)
    .slice(0, limit + 1)
    .map((h) => {
      const c = h.entity === 'customer' ? db.customers.get(h.entity_id) : undefined;
      return { ...h, customer_id: c?.id ?? null, customer_code: c?.code ?? null, customer_name: c?.name ?? null };
    });
  const more = entries.length > limit;
  const page = entries.slice(0, limit);
  return { entries: page, next: more ? (page.at(-1)?.id ?? null) : null };
}

/** Demo data: some customers in the pool, locked, pending, rejected and inactive; last contacts. */
export function seedOwnership(db: MockDb): void {
  const staffMember = db.staff.find((x) => x.role === 'staff');
  const others = db.staff.filter((x) => x.role !== 'staff');
  const s = own(db);
  let i = 0;
  for (const c of db.customers.values()) {
    i++;
    if (i % 4 !== 0) s.lastContact.set(c.id, new Date(Date.now() - ((i * 37) % 120) * 86_400_000 - (i % 24) * 3_600_000).toISOString());
    if (c.deleted_at) continue;
    if (i % 41 === 3) Object.assign(c, { in_pool: true, owner_id: null, owner_name: null });
    else if (i % 53 === 7 && others.length) {
      const o = others[i % others.length];
      if (o) Object.assign(c, { locked: true, owner_id: o.id, owner_name: o.name });
    } else if (i % 67 === 11) c.active = false;
    else if (staffMember && i % 89 === 13) Object.assign(c, { approval: 'pending', created_by: staffMember.id, owner_id: staffMember.id, owner_name: staffMember.name });
    else if (staffMember && i % 331 === 17) {
      Object.assign(c, {
        approval: 'rejected',
        approval_reason: 'Thiếu số điện thoại và địa chỉ xuất hoá đơn.',
        created_by: staffMember.id,
        owner_id: staffMember.id,
        owner_name: staffMember.name,
      });
    }
  }
}

/** Test helper: the mock's ownership settings. */
export function ownershipSettings(db: MockDb): { approvalRequired: boolean } {
  return own(db);
}

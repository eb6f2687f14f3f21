// Ownership in the UI, without DOM: the state of a customer (locked, pool, approval, active), which
// actions to offer whom, the Pool and Pending views' filters, and the ids of a selection. The core
// enforces every rule; this only decides what is worth showing (a refused action still shows the
// core's error).

import type { Actor } from './bindings/Actor';
import type { Approval } from './bindings/Approval';
import type { Customer } from './bindings/Customer';
import type { CustomerFilter } from './bindings/CustomerFilter';
import type { Selection } from './bindings/Selection';
import { emptyFilter } from './grid/filter';
import * as ipc from './ipc';

/** The navigation entries this module adds. */
export type OwnershipView = 'pool' | 'pending';

export function isOwnershipView(v: string): v is OwnershipView {
  return v === 'pool' || v === 'pending';
}

/** Which approval state the Pending view lists. */
export type PendingTab = 'pending' | 'rejected';

/** A customer's ownership state. Grid rows may not carry it (older cores): every part is optional. */
export interface OwnershipState {
  locked?: boolean;
  in_pool?: boolean;
  approval?: Approval;
  approval_reason?: string | null;
  active?: boolean;
  owner_id?: number | null;
}

/** The state fields of a row or a customer (missing ones stay undefined). */
export function stateOf(x: OwnershipState | object): OwnershipState {
  return x as OwnershipState;
}

/** The filter of an ownership view (the core narrows the list; it also hides what the actor may not see). */
export function viewFilter(view: OwnershipView, tab: PendingTab = 'pending'): CustomerFilter {
  const f = emptyFilter();
  if (view === 'pool') f.in_pool = true;
  else f.approval = tab;
  return f;
}

export type OwnershipAction =
  | 'transfer'
  | 'release'
  | 'claim'
  | 'assign'
  | 'lock'
  | 'unlock'
  | 'activate'
  | 'deactivate'
  | 'approve'
  | 'reject'
  | 'resubmit';

export function isManager(actor: Actor | null | undefined): boolean {
  return actor?.role === 'admin' || actor?.role === 'manager';
}

/**
 * The actions worth offering on one customer, in display order. Mirrors the core's rules so that
 * buttons that would certainly be refused are not shown: managers anything; the owner their own;
 * claim only from the pool; a locked customer cannot be released; the creator resubmits.
 */
export function actionsFor(actor: Actor | null | undefined, c: Customer): OwnershipAction[] {
  if (!actor || c.deleted_at) return [];
  const manager = isManager(actor);
  const mine = c.owner_id === actor.staff_id;
  const manage = manager || mine;
  const out: OwnershipAction[] = [];
  if (c.approval === 'pending' && manager) out.push('approve', 'reject');
  if (c.approval === 'rejected' && manager) out.push('approve');
  // The creator (or owner) sends a fixed customer back; a manager simply approves it.
  if (c.approval === 'rejected' && !manager && (mine || c.created_by === actor.staff_id)) out.push('resubmit');
  if (c.in_pool) {
    out.push('claim');
    if (manager) out.push('assign');
  } else if (manage) {
    out.push('transfer');
    if (!c.locked) out.push('release');
  }
  if (manage) {
    if (c.locked) out.push('unlock');
    else if (!c.in_pool) out.push('lock');
    out.push(c.active ? 'deactivate' : 'activate');
  }
  return out;
}

/** The actions the selection bar offers (the core checks each customer; one refusal changes none). */
export function selectionActions(actor: Actor | null | undefined, view: string): OwnershipAction[] {
  if (!actor) return [];
  const manager = isManager(actor);
  if (view === 'pool') return manager ? ['claim', 'assign'] : ['claim'];
  if (view === 'pending') return manager ? ['approve', 'reject'] : [];
  return [
    'transfer',
    'release',
    'lock',
    'unlock',
    'activate',
    'deactivate',
    ...(manager ? (['approve', 'reject'] as const) : []),
  ];
}

/** The customer ids of a selection; pages through the list for "all matching" (the core takes ids). */
export async function selectionIds(selection: Selection): Promise<number[]> {
  if (selection.type === 'ids') return [...selection.ids];
  const except = new Set(selection.except);
  const ids: number[] = [];
  let after: { key: string; id: number } | null = null;
  for (let guard = 0; guard < 100_000; guard++) {
    const page = await ipc.listCustomers({
      search: selection.search,
      filter: selection.filter,
      sort: 'created',
      desc: false,
      trash: false,
      after,
      offset: null,
      limit: 500,
    });
    for (const r of page.rows) if (!except.has(r.id)) ids.push(r.id);
    if (!page.next) break;
    after = page.next;
  }
  return ids;
}

/** Window event: customers' ownership changed (the badges' counts reload, the app refreshes). */
export const OWNERSHIP_CHANGED = 'clientele-ownership-changed';

export function notifyOwnershipChanged(): void {
  window.dispatchEvent(new CustomEvent(OWNERSHIP_CHANGED));
}

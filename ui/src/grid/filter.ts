// The list's filter (the core's CustomerFilter) as plain data: empty, how many parts are set, and a
// stable key for caches. The core does the filtering.

import type { CustomerFilter } from '../bindings/CustomerFilter';

export type ListFilterKey =
  | 'segment_ids'
  | 'level_ids'
  | 'group_ids'
  | 'status_ids'
  | 'channel_ids'
  | 'owner_ids'
  | 'service_manager_ids'
  | 'product_ids';

export const LIST_KEYS: ListFilterKey[] = [
  'segment_ids',
  'level_ids',
  'group_ids',
  'status_ids',
  'channel_ids',
  'owner_ids',
  'service_manager_ids',
  'product_ids',
];

export function emptyFilter(): CustomerFilter {
  return {
    kind: null,
    segment_ids: [],
    level_ids: [],
    group_ids: [],
    status_ids: [],
    channel_ids: [],
    owner_ids: [],
    service_manager_ids: [],
    product_ids: [],
    created_from: null,
    created_to: null,
    email_consent: null,
    in_pool: null,
    approval: null,
    active: null,
    not_contacted_days: null,
  };
}

/** How many parts of the filter are set (the created range counts once). */
export function activeFilterCount(f: CustomerFilter): number {
  let n = 0;
  if (f.kind) n++;
  for (const k of LIST_KEYS) if (f[k].length) n++;
  if (f.created_from || f.created_to) n++;
  if (f.email_consent !== null) n++;
  // Showing inactive customers is a filter; the pool and approval state are views (nav entries).
  if (f.active !== null && f.active !== 'active') n++;
  if (f.not_contacted_days !== null) n++;
  return n;
}

export function isEmptyFilter(f: CustomerFilter): boolean {
  return activeFilterCount(f) === 0;
}

/** A canonical string: equal filters (whatever the order of ids) give equal keys. */
export function filterKey(f: CustomerFilter): string {
  const lists = LIST_KEYS.map((k) => [...f[k]].sort((a, b) => a - b).join(','));
  const flag = (b: boolean | null) => (b === null ? '' : String(b));
  return [
    f.kind ?? '',
    ...lists,
    f.created_from ?? '',
    f.created_to ?? '',
    flag(f.email_consent),
    flag(f.in_pool),
    f.approval ?? '',
    f.active === 'active' ? '' : (f.active ?? ''),
    f.not_contacted_days ?? '',
  ].join('|');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The longest "not contacted for N days" the filter offers (ten years). */
export const MAX_DAYS = 3650;

/** Any JSON (a saved view) → a valid filter; what is not understood is left out. */
export function normalizeFilter(v: unknown): CustomerFilter {
  const f = emptyFilter();
  if (typeof v !== 'object' || v === null) return f;
  const o = v as Record<string, unknown>;
  if (o['kind'] === 'individual' || o['kind'] === 'business') f.kind = o['kind'];
  for (const k of LIST_KEYS) {
    const ids = o[k];
    if (Array.isArray(ids)) f[k] = ids.filter((x): x is number => Number.isInteger(x));
  }
  for (const k of ['created_from', 'created_to'] as const) {
    const d = o[k];
    if (typeof d === 'string' && DATE.test(d)) f[k] = d;
  }
  if (typeof o['email_consent'] === 'boolean') f.email_consent = o['email_consent'];
  // Views saved before "all" existed stored a flag.
  const active = o['active'];
  if (active === 'inactive' || active === false) f.active = 'inactive';
  else if (active === 'all') f.active = 'all';
  const days = o['not_contacted_days'];
  if (typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= MAX_DAYS) f.not_contacted_days = days;
  return f;
}

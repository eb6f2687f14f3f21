// Test data for the care tests: complete activities with sensible values, so a test states only
// what it is about. Used by *.test.ts only.

import type { CareActivity, CareCounts, CareFilter, CarePage, TimelineEntry } from './types';

export function makeActivity(id: number, over: Partial<CareActivity> = {}): CareActivity {
  return {
    id,
    customer_id: 100 + id,
    customer_code: `KH${String(100 + id).padStart(6, '0')}`,
    customer_name: `Khách ${id}`,
    type_id: 1,
    type_name: 'Call',
    type_key: 'call',
    title: `Activity ${id}`,
    due_at: '2026-05-14T02:30:00Z',
    due_local: '2026-05-14T09:30',
    all_day: false,
    tz: 'Asia/Ho_Chi_Minh',
    duration_min: null,
    assignee_id: 1,
    assignee_name: 'Nguyễn Thị Mai',
    notes: null,
    state: 'planned',
    outcome: null,
    done_at: null,
    rule_id: null,
    created_at: '2026-05-01T00:00:00Z',
    updated_at: '2026-05-01T00:00:00Z',
    overdue: false,
    ...over,
  };
}

/**
 * A fake of the core's list and counts over fixed groups: keyset pages (the cursor is the last
 * row's due time and id), and a log of what was asked.
 */
export function fakeCareApi(groups: Partial<Record<'overdue' | 'today' | 'week' | 'later', CareActivity[]>>) {
  const calls: { filter: CareFilter; after: { due_at: string; id: number } | null; limit: number }[] = [];
  const api = {
    groups,
    calls,
    async list(filter: CareFilter, after: { due_at: string; id: number } | null, limit: number): Promise<CarePage> {
      calls.push({ filter, after, limit });
      const all = filter.bucket ? (groups[filter.bucket] ?? []) : Object.values(groups).flat();
      const start = after ? all.findIndex((a) => a.id === after.id) + 1 : 0;
      const items = all.slice(start, start + limit);
      const last = items[items.length - 1];
      return { items, next: start + limit < all.length && last ? { due_at: last.due_at, id: last.id } : null };
    },
    async counts(): Promise<CareCounts> {
      return {
        overdue: groups.overdue?.length ?? 0,
        today: groups.today?.length ?? 0,
        week: groups.week?.length ?? 0,
        later: groups.later?.length ?? 0,
      };
    },
  };
  return api;
}

export function activityEntry(a: CareActivity, kind: 'followup' | 'planned' | 'cancelled', at: string): TimelineEntry {
  return { kind, at, activity: a, history: null, cursor: { at, history: false, id: a.id } };
}

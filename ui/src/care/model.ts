// The Care view's state, without DOM: the filter, the four groups (Overdue / Today / This week /
// Later) each paged by keyset from the core, the counts, and the keyboard focus over the rows
// loaded. Which activity falls in which group is the core's decision (`CareFilter.bucket`); this
// only asks for one group at a time, a page at a time, and never loads everything.

import type { CareActivity, CareBucket, CareCounts, CareCursor, CareFilter, CarePage, CareScope } from './types';

export const BUCKETS: readonly CareBucket[] = ['overdue', 'today', 'week', 'later'];

/** Rows asked for per request. */
export const PAGE_SIZE = 25;

export interface CareApi {
  list(filter: CareFilter, after: CareCursor | null, limit: number): Promise<CarePage>;
  counts(filter: CareFilter): Promise<CareCounts>;
}

/** What the user chose in the filter bar. */
export interface CareFilterState {
  scope: CareScope;
  type_ids: number[];
  /** Everyone's view only: one staff member's activities. */
  assignee_id: number | null;
  level_ids: number[];
  segment_ids: number[];
}

export function emptyCareFilter(scope: CareScope = 'mine'): CareFilterState {
  return { scope, type_ids: [], assignee_id: null, level_ids: [], segment_ids: [] };
}

/** How many filters (besides the scope) are set. */
export function activeCareFilters(f: CareFilterState): number {
  return (f.type_ids.length ? 1 : 0) + (f.assignee_id !== null ? 1 : 0) + (f.level_ids.length ? 1 : 0) + (f.segment_ids.length ? 1 : 0);
}

/** The core's filter for one group. `tz` decides where "today" and "this week" begin. */
export function toCareFilter(f: CareFilterState, bucket: CareBucket | null, tz: string | null): CareFilter {
  return {
    scope: f.scope,
    assignee_id: f.scope === 'everyone' ? f.assignee_id : null,
    bucket,
    type_ids: [...f.type_ids],
    level_ids: [...f.level_ids],
    segment_ids: [...f.segment_ids],
    customer_id: null,
    state: 'planned',
    tz,
  };
}

export interface Group {
  bucket: CareBucket;
  items: CareActivity[];
  next: CareCursor | null;
  /** The first page came back. */
  loaded: boolean;
  loading: boolean;
}

function emptyGroup(bucket: CareBucket): Group {
  return { bucket, items: [], next: null, loaded: false, loading: false };
}

export interface Row {
  bucket: CareBucket;
  item: CareActivity;
}

/** What a key does in the list (none: the key is not the list's). */
export type CareKeyAction = 'up' | 'down' | 'first' | 'last' | 'done' | 'reschedule' | 'cancel' | 'open';

export function keyAction(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): CareKeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'ArrowDown':
    case 'j':
      return 'down';
    case 'ArrowUp':
    case 'k':
      return 'up';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'd':
    case 'D':
      return 'done';
    case 'r':
    case 'R':
      return 'reschedule';
    case 'Delete':
      return 'cancel';
    case 'Enter':
      return 'open';
    default:
      return null;
  }
}

export interface CareListOptions {
  pageSize?: number;
  /** The zone sent with every request (the browser's). */
  tz?: string | null;
  onChange?: () => void;
  onError?: (e: unknown) => void;
}

export class CareListModel {
  readonly pageSize: number;
  filter: CareFilterState = emptyCareFilter();
  counts: CareCounts | null = null;
  groups: Record<CareBucket, Group> = {
    overdue: emptyGroup('overdue'),
    today: emptyGroup('today'),
    week: emptyGroup('week'),
    later: emptyGroup('later'),
  };
  /** The focused activity's id (kept across reloads while it is still listed). */
  focusId: number | null = null;
  private api: CareApi;
  private tz: string | null;
  private onChange: () => void;
  private onError: (e: unknown) => void;
  /** Bumped by every reload; answers to older ones are dropped. */
  private generation = 0;

  constructor(api: CareApi, opts: CareListOptions = {}) {
    this.api = api;
    this.pageSize = opts.pageSize ?? PAGE_SIZE;
    this.tz = opts.tz ?? null;
    this.onChange = opts.onChange ?? (() => undefined);
    this.onError = opts.onError ?? (() => undefined);
  }

  /** Every group's first page came back. */
  get loaded(): boolean {
    return BUCKETS.every((b) => this.groups[b].loaded);
  }

  get total(): number | null {
    const c = this.counts;
    return c ? c.overdue + c.today + c.week + c.later : null;
  }

  /** How many activities a group holds (the core's count; the rows loaded until it comes). */
  count(bucket: CareBucket): number {
    return this.counts ? this.counts[bucket] : this.groups[bucket].items.length;
  }

  /** Rows loaded, in display order. */
  rows(): Row[] {
    const out: Row[] = [];
    for (const b of BUCKETS) for (const item of this.groups[b].items) out.push({ bucket: b, item });
    return out;
  }

  focusIndex(): number {
    if (this.focusId === null) return -1;
    return this.rows().findIndex((r) => r.item.id === this.focusId);
  }

  focused(): CareActivity | null {
    const i = this.focusIndex();
    return i < 0 ? null : (this.rows()[i]?.item ?? null);
  }

  setFilter(patch: Partial<CareFilterState>): Promise<void> {
    this.filter = { ...this.filter, ...patch };
    if (this.filter.scope === 'mine') this.filter.assignee_id = null;
    this.focusId = null;
    return this.reload();
  }

  /**
   * The counts and the first page of every group again (after a filter change, or a change to the
   * data). Groups keep as many rows as they showed (up to a few pages), so "show more" is not lost
   * after marking one done.
   */
  async reload(): Promise<void> {
    const gen = ++this.generation;
    const keep = Object.fromEntries(BUCKETS.map((b) => [b, Math.min(Math.max(this.groups[b].items.length, this.pageSize), this.pageSize * 4)]));
    for (const b of BUCKETS) this.groups[b] = { ...this.groups[b], loading: true };
    this.onChange();
    const counts = this.api
      .counts(toCareFilter(this.filter, null, this.tz))
      .then((c) => {
        if (gen === this.generation) this.counts = c;
      })
      .catch((e: unknown) => {
        if (gen === this.generation) this.onError(e);
      });
    const pages = BUCKETS.map(async (b) => {
      try {
        const page = await this.api.list(toCareFilter(this.filter, b, this.tz), null, keep[b] ?? this.pageSize);
        if (gen !== this.generation) return;
        this.groups[b] = { bucket: b, items: page.items, next: page.next, loaded: true, loading: false };
      } catch (e) {
        if (gen !== this.generation) return;
        this.groups[b] = { ...this.groups[b], loaded: true, loading: false };
        this.onError(e);
      }
    });
    await Promise.all([counts, ...pages]);
    if (gen !== this.generation) return;
    this.fixFocus();
    this.onChange();
  }

  /** The next page of one group. Resolves to how many rows came. */
  async loadMore(bucket: CareBucket): Promise<number> {
    const g = this.groups[bucket];
    if (!g.next || g.loading) return 0;
    const gen = this.generation;
    this.groups[bucket] = { ...g, loading: true };
    this.onChange();
    try {
      const page = await this.api.list(toCareFilter(this.filter, bucket, this.tz), g.next, this.pageSize);
      if (gen !== this.generation) return 0;
      const seen = new Set(g.items.map((i) => i.id));
      const fresh = page.items.filter((i) => !seen.has(i.id));
      this.groups[bucket] = { ...this.groups[bucket], items: [...g.items, ...fresh], next: page.next, loading: false };
      this.onChange();
      return fresh.length;
    } catch (e) {
      if (gen === this.generation) {
        this.groups[bucket] = { ...this.groups[bucket], loading: false };
        this.onError(e);
        this.onChange();
      }
      return 0;
    }
  }

  /** Keep the focus on a listed row: the same activity, or the first row. */
  private fixFocus(): void {
    const rows = this.rows();
    if (rows.length === 0) {
      this.focusId = null;
      return;
    }
    if (this.focusId === null || !rows.some((r) => r.item.id === this.focusId)) {
      // The focused activity left the list (done, moved): the row now at its place, else the first.
      const at = Math.min(Math.max(this.lastIndex, 0), rows.length - 1);
      this.focusId = rows[at]?.item.id ?? null;
    }
  }

  /** Where the focus was, for when its activity leaves the list. */
  private lastIndex = 0;

  focus(id: number | null): void {
    this.focusId = id;
    const i = this.focusIndex();
    if (i >= 0) this.lastIndex = i;
    this.onChange();
  }

  /**
   * Move the focus by one row (or to the first / last). Moving down past the last row loaded of a
   * group with more rows loads its next page first, so the keyboard reaches every activity.
   */
  async move(action: 'up' | 'down' | 'first' | 'last'): Promise<CareActivity | null> {
    let rows = this.rows();
    if (rows.length === 0) return null;
    let i = this.focusIndex();
    if (action === 'first') i = 0;
    else if (action === 'last') i = rows.length - 1;
    else if (action === 'up') i = i < 0 ? 0 : Math.max(0, i - 1);
    else {
      const cur = i < 0 ? null : rows[i];
      if (cur && this.isLastOfGroup(cur) && this.groups[cur.bucket].next) {
        await this.loadMore(cur.bucket);
        rows = this.rows();
      }
      i = i < 0 ? 0 : Math.min(rows.length - 1, i + 1);
    }
    const row = rows[i];
    this.focus(row?.item.id ?? null);
    return row?.item ?? null;
  }

  private isLastOfGroup(r: Row): boolean {
    const items = this.groups[r.bucket].items;
    return items[items.length - 1]?.id === r.item.id;
  }
}

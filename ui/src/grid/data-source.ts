// The grid's rows, page by page, with no DOM: a page cache (LRU), keyset paging when the previous
// page is known (fast at any depth) and offset paging when jumping, one request per page at a time,
// and invalidation when the search, the filter, the sort or the data changes.

import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { CustomerRow } from '../bindings/CustomerRow';
import type { ListQuery } from '../bindings/ListQuery';
import type { Page } from '../bindings/Page';
import type { SortField } from '../bindings/SortField';
import { emptyFilter, filterKey } from './filter';

export interface Fetcher {
  list(query: ListQuery): Promise<Page>;
  count(search: string, trash: boolean, filter: CustomerFilter): Promise<number>;
}

export interface Params {
  search: string;
  filter: CustomerFilter;
  sort: SortField;
  desc: boolean;
  trash: boolean;
}

export interface DataSourceOptions {
  pageSize?: number;
  maxPages?: number;
  /** Called whenever rows or the count change. */
  onChange?: () => void;
  /** Called when a request fails (the grid shows a toast). */
  onError?: (e: unknown) => void;
}

export const DEFAULT_PARAMS: Readonly<Params> = { search: '', filter: emptyFilter(), sort: 'name', desc: false, trash: false };

/** What decides which rows match (not their order): the count is the same for equal keys. */
function rowsKey(p: Params): string {
  return `${p.trash ? 't' : 'l'}|${filterKey(p.filter)}|${p.search}`;
}

/** The cache key: every parameter that changes the rows or their order. */
export function paramsKey(p: Params): string {
  return `${rowsKey(p)}|${p.sort}|${p.desc ? 'd' : 'a'}`;
}

export class DataSource {
  readonly pageSize: number;
  readonly maxPages: number;
  onChange: (() => void) | undefined;
  onError: ((e: unknown) => void) | undefined;

  private fetcher: Fetcher;
  private p: Params;
  /** Bumped by every invalidation; answers to older generations are dropped. */
  private generation = 0;
  /** Page index → page; Map order is recency (oldest first). */
  private pages = new Map<number, Page>();
  /** Rows of the previous generation, shown until fresh ones arrive (after a data change). */
  private stale = new Map<number, Page>();
  private inFlight = new Map<number, Promise<void>>();
  private countValue: number | undefined;
  private countPromise: Promise<void> | undefined;

  constructor(fetcher: Fetcher, params: Partial<Params> = {}, opts: DataSourceOptions = {}) {
    this.fetcher = fetcher;
    this.p = { ...DEFAULT_PARAMS, ...params };
    this.pageSize = opts.pageSize ?? 100;
    this.maxPages = opts.maxPages ?? 50;
    this.onChange = opts.onChange;
    this.onError = opts.onError;
  }

  get params(): Readonly<Params> {
    return this.p;
  }

  /** How many rows another filter would match with the same search and trash (not cached). */
  countWith(filter: CustomerFilter): Promise<number> {
    return this.fetcher.count(this.p.search, this.p.trash, filter);
  }

  /** Total rows matching, from `count_customers`; undefined until known. */
  get count(): number | undefined {
    return this.countValue;
  }

  /** Number of pages held in the cache (for tests and diagnostics). */
  get cachedPages(): number {
    return this.pages.size;
  }

  /** Change the search, filter, sort or view: everything cached is dropped. */
  setParams(next: Partial<Params>): void {
    const merged = { ...this.p, ...next };
    if (paramsKey(merged) === paramsKey(this.p)) return;
    const sameRows = rowsKey(merged) === rowsKey(this.p);
    this.p = merged;
    this.invalidate({ keepRows: false, keepCount: sameRows });
  }

  /**
   * The data changed (create, update, delete…): reload. With `keepRows` the old rows stay visible
   * until their pages are fetched again, so the grid does not flicker.
   */
  invalidate(opts: { keepRows?: boolean; keepCount?: boolean } = {}): void {
    this.generation++;
    // Keep at most a cache's worth of old pages (the most recent ones) for display.
    this.stale = opts.keepRows ? new Map([...this.stale, ...this.pages].slice(-this.maxPages)) : new Map();
    this.pages = new Map();
    this.inFlight = new Map();
    this.countPromise = undefined;
    if (!opts.keepRows && !opts.keepCount) this.countValue = undefined;
    this.changed();
  }

  /** Fetch the count if it is not known (or is being reloaded). */
  loadCount(): Promise<void> {
    if (this.countPromise) return this.countPromise;
    const gen = this.generation;
    const { search, trash, filter } = this.p;
    const promise = this.fetcher.count(search, trash, filter).then(
      (n) => {
        if (gen !== this.generation) return;
        this.countValue = n;
        this.changed();
      },
      (e: unknown) => {
        if (gen !== this.generation) return;
        this.countPromise = undefined;
        this.onError?.(e);
      },
    );
    this.countPromise = promise;
    return promise;
  }

  /** The row at index `i`, or undefined while its page is loading (the load is started). */
  rowAt(i: number): CustomerRow | undefined {
    if (i < 0) return undefined;
    const k = Math.floor(i / this.pageSize);
    const page = this.touch(k);
    if (page) return page.rows[i - k * this.pageSize];
    void this.loadPage(k);
    return this.stale.get(k)?.rows[i - k * this.pageSize];
  }

  /** The row at `i` only if it is already cached (never starts a load). */
  peek(i: number): CustomerRow | undefined {
    const k = Math.floor(i / this.pageSize);
    return (this.pages.get(k) ?? this.stale.get(k))?.rows[i - k * this.pageSize];
  }

  /** Whether row `i`'s page is cached and current (stale rows after a change do not count). */
  isLoaded(i: number): boolean {
    return this.pages.has(Math.floor(i / this.pageSize));
  }

  /** Make sure the pages covering rows [start, end] are loaded or loading. */
  ensureRange(start: number, end: number): Promise<void> {
    const first = Math.max(0, Math.floor(start / this.pageSize));
    const last = Math.max(first, Math.floor(end / this.pageSize));
    const loads: Promise<void>[] = [];
    for (let k = first; k <= last; k++) loads.push(this.loadPage(k));
    return Promise.all(loads).then(() => undefined);
  }

  /** Load page `k` unless cached or already being fetched. */
  loadPage(k: number): Promise<void> {
    if (this.touch(k)) return Promise.resolve();
    const pending = this.inFlight.get(k);
    if (pending) return pending;

    const gen = this.generation;
    const prev = k > 0 ? this.pages.get(k - 1) : undefined;
    const query: ListQuery = {
      search: this.p.search,
      filter: this.p.filter,
      sort: this.p.sort,
      desc: this.p.desc,
      trash: this.p.trash,
      after: null,
      offset: null,
      limit: this.pageSize,
    };
    if (k > 0) {
      if (prev?.next) query.after = prev.next;
      else if (prev && !prev.next) {
        // The previous page was the last one: page k is empty.
        this.store(k, { rows: [], next: null });
        return Promise.resolve();
      } else query.offset = k * this.pageSize;
    }

    const promise = this.fetcher.list(query).then(
      (page) => {
        if (gen !== this.generation) return;
        this.inFlight.delete(k);
        this.store(k, page);
        this.stale.delete(k);
        this.changed();
      },
      (e: unknown) => {
        if (gen !== this.generation) return;
        this.inFlight.delete(k);
        this.onError?.(e);
      },
    );
    this.inFlight.set(k, promise);
    return promise;
  }

  /** Loaded rows in [start, end] (inclusive), skipping ones not cached. */
  loadedRows(start: number, end: number): CustomerRow[] {
    const out: CustomerRow[] = [];
    for (let i = Math.max(0, start); i <= end; i++) {
      const r = this.peek(i);
      if (r) out.push(r);
    }
    return out;
  }

  private touch(k: number): Page | undefined {
    const page = this.pages.get(k);
    if (page) {
      this.pages.delete(k);
      this.pages.set(k, page);
    }
    return page;
  }

  private store(k: number, page: Page): void {
    this.pages.delete(k);
    this.pages.set(k, page);
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
  }

  private changed(): void {
    this.onChange?.();
  }
}

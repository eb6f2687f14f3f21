import { describe, expect, it } from 'vitest';

import type { CustomerRow } from '../bindings/CustomerRow';
import type { ListQuery } from '../bindings/ListQuery';
import type { Page } from '../bindings/Page';
import type { CustomerFilter } from '../bindings/CustomerFilter';
import { makeRow as row } from '../testing/fixtures';
import { DataSource, type Fetcher } from './data-source';
import { emptyFilter } from './filter';

/** A fake backend of `total` rows (ids 1..total, in order), answering by hand or at once. */
class FakeFetcher implements Fetcher {
  queries: ListQuery[] = [];
  counts: { search: string; trash: boolean }[] = [];
  pending: { query: ListQuery; resolve: () => void }[] = [];
  manual = false;

  constructor(public total: number) {}

  page(q: ListQuery): Page {
    const start = q.after ? q.after.id : (q.offset ?? 0);
    const rows: CustomerRow[] = [];
    for (let id = start + 1; id <= Math.min(this.total, start + q.limit); id++) rows.push(row(id));
    const last = rows[rows.length - 1];
    return { rows, next: last && last.id < this.total ? { key: last.name, id: last.id } : null };
  }

  list(q: ListQuery): Promise<Page> {
    this.queries.push(q);
    if (!this.manual) return Promise.resolve(this.page(q));
    return new Promise((resolve) => this.pending.push({ query: q, resolve: () => resolve(this.page(q)) }));
  }

  filters: CustomerFilter[] = [];

  count(search: string, trash: boolean, filter: CustomerFilter): Promise<number> {
    this.counts.push({ search, trash });
    this.filters.push(filter);
    return Promise.resolve(this.total);
  }

  flush(): void {
    const p = this.pending;
    this.pending = [];
    for (const x of p) x.resolve();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('DataSource', () => {
  it('returns undefined while a page loads, then the row', async () => {
    const f = new FakeFetcher(250);
    f.manual = true;
    let changes = 0;
    const ds = new DataSource(f, {}, { pageSize: 100, onChange: () => changes++ });
    expect(ds.rowAt(5)).toBeUndefined();
    expect(f.queries).toHaveLength(1);
    f.flush();
    await tick();
    expect(ds.rowAt(5)?.id).toBe(6);
    expect(changes).toBeGreaterThan(0);
  });

  it('loads page 0 with neither cursor nor offset, and the next page by keyset', async () => {
    const f = new FakeFetcher(250);
    const ds = new DataSource(f, {}, { pageSize: 100 });
    await ds.loadPage(0);
    await ds.loadPage(1);
    expect(f.queries[0]).toMatchObject({ after: null, offset: null, limit: 100 });
    expect(f.queries[1]).toMatchObject({ after: { id: 100 }, offset: null });
    expect(ds.rowAt(100)?.id).toBe(101);
  });

  it('jumps to a far page by offset', async () => {
    const f = new FakeFetcher(100_000);
    const ds = new DataSource(f, {}, { pageSize: 100 });
    await ds.loadPage(570);
    expect(f.queries[0]).toMatchObject({ after: null, offset: 57_000 });
    expect(ds.rowAt(57_000)?.id).toBe(57_001);
    // …and continues from there by keyset.
    await ds.loadPage(571);
    expect(f.queries[1]).toMatchObject({ after: { id: 57_100 }, offset: null });
  });

  it('serves cached pages without asking again', async () => {
    const f = new FakeFetcher(250);
    const ds = new DataSource(f, {}, { pageSize: 100 });
    await ds.loadPage(0);
    for (let i = 0; i < 100; i++) expect(ds.rowAt(i)?.id).toBe(i + 1);
    await ds.loadPage(0);
    expect(f.queries).toHaveLength(1);
  });

  it('asks once for a page requested many times while in flight', async () => {
    const f = new FakeFetcher(250);
    f.manual = true;
    const ds = new DataSource(f, {}, { pageSize: 100 });
    ds.rowAt(1);
    ds.rowAt(2);
    void ds.loadPage(0);
    void ds.ensureRange(0, 99);
    expect(f.queries).toHaveLength(1);
    f.flush();
    await tick();
    expect(ds.rowAt(99)?.id).toBe(100);
  });

  it('evicts the least recently used page beyond the cache size', async () => {
    const f = new FakeFetcher(10_000);
    const ds = new DataSource(f, {}, { pageSize: 10, maxPages: 3 });
    await ds.loadPage(0);
    await ds.loadPage(1);
    await ds.loadPage(2);
    ds.rowAt(0); // page 0 is now the most recently used
    await ds.loadPage(3); // evicts page 1
    expect(ds.cachedPages).toBe(3);
    expect(ds.peek(15)).toBeUndefined();
    expect(ds.peek(5)?.id).toBe(6);
    const before = f.queries.length;
    await ds.loadPage(1);
    expect(f.queries.length).toBe(before + 1);
  });

  it('drops everything and refetches when the search changes, ignoring late answers', async () => {
    const f = new FakeFetcher(250);
    f.manual = true;
    const ds = new DataSource(f, {}, { pageSize: 100 });
    ds.rowAt(0);
    void ds.loadCount();
    ds.setParams({ search: 'an' });
    expect(ds.count).toBeUndefined();
    f.flush(); // the answer for the old search arrives late
    await tick();
    expect(ds.peek(0)).toBeUndefined();
    expect(ds.rowAt(0)).toBeUndefined();
    const q = f.queries[f.queries.length - 1];
    expect(q?.search).toBe('an');
    f.flush();
    await ds.loadCount();
    expect(ds.rowAt(0)?.id).toBe(1);
    expect(f.counts[f.counts.length - 1]).toEqual({ search: 'an', trash: false });
  });

  it('keys its cache by the filter: a new filter reloads rows and count, an equal one does not', async () => {
    const f = new FakeFetcher(250);
    const ds = new DataSource(f, {}, { pageSize: 100 });
    await ds.loadPage(0);
    await ds.loadCount();
    const level = { ...emptyFilter(), level_ids: [3, 1] };
    ds.setParams({ filter: level });
    expect(ds.count).toBeUndefined();
    expect(ds.cachedPages).toBe(0);
    await ds.loadPage(0);
    await ds.loadCount();
    expect(f.queries[f.queries.length - 1]?.filter).toEqual(level);
    expect(f.filters[f.filters.length - 1]).toEqual(level);
    const asked = f.queries.length;
    // The same filter with its ids in another order is the same list: nothing is dropped.
    ds.setParams({ filter: { ...emptyFilter(), level_ids: [1, 3] } });
    expect(ds.cachedPages).toBe(1);
    expect(ds.count).toBe(250);
    await ds.loadPage(0);
    expect(f.queries).toHaveLength(asked);
    // Sorting the same filtered list keeps its count.
    ds.setParams({ sort: 'code' });
    expect(ds.count).toBe(250);
    expect(ds.cachedPages).toBe(0);
  });

  it('passes sort, direction and trash through to the query', async () => {
    const f = new FakeFetcher(50);
    const ds = new DataSource(f, { trash: true }, { pageSize: 100 });
    ds.setParams({ sort: 'created', desc: true });
    await ds.loadPage(0);
    expect(f.queries[0]).toMatchObject({ sort: 'created', desc: true, trash: true, search: '' });
  });

  it('keeps showing old rows after a data change until fresh ones arrive', async () => {
    const f = new FakeFetcher(250);
    const ds = new DataSource(f, {}, { pageSize: 100 });
    await ds.loadPage(0);
    await ds.loadCount();
    f.manual = true;
    ds.invalidate({ keepRows: true });
    expect(ds.count).toBe(250);
    expect(ds.isLoaded(3)).toBe(false);
    expect(ds.peek(3)?.id).toBe(4); // stale, shown while page 0 is fetched again
    expect(ds.rowAt(3)?.id).toBe(4);
    expect(f.queries).toHaveLength(2);
    f.flush();
    await tick();
    expect(ds.rowAt(3)?.id).toBe(4);
  });

  it('does not ask for a page past the last one', async () => {
    const f = new FakeFetcher(150);
    const ds = new DataSource(f, {}, { pageSize: 100 });
    await ds.loadPage(0);
    await ds.loadPage(1);
    await ds.loadPage(2);
    expect(f.queries).toHaveLength(2);
    expect(ds.rowAt(200)).toBeUndefined();
  });

  it('reports errors and lets the page be retried', async () => {
    let fail = true;
    const errors: unknown[] = [];
    const f: Fetcher = {
      list: () => (fail ? Promise.reject({ code: 'db.busy', message: 'busy', details: null }) : Promise.resolve({ rows: [row(1)], next: null })),
      count: () => Promise.resolve(1),
    };
    const ds = new DataSource(f, {}, { onError: (e) => errors.push(e) });
    await ds.loadPage(0);
    expect(errors).toHaveLength(1);
    fail = false;
    await ds.loadPage(0);
    expect(ds.rowAt(0)?.id).toBe(1);
  });
});

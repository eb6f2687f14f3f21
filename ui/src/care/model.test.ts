// The Care view's model: one request per group with the core's bucket, keyset paging per group,
// the counts, the keyboard focus across groups (loading more when it reaches a group's end), and
// the filter sent to the core.

import { describe, expect, it } from 'vitest';

import { fakeCareApi, makeActivity } from './fixtures';
import { BUCKETS, CareListModel, activeCareFilters, emptyCareFilter, keyAction, toCareFilter } from './model';

const range = (from: number, n: number, over = {}) => Array.from({ length: n }, (_, i) => makeActivity(from + i, over));

function model(api: ReturnType<typeof fakeCareApi>, pageSize = 3) {
  const errors: unknown[] = [];
  const m = new CareListModel(api, { pageSize, tz: 'Asia/Ho_Chi_Minh', onError: (e) => errors.push(e) });
  return { m, errors };
}

describe('the Care view model', () => {
  it('asks the core for each group by its bucket, a page at a time, and shows the core’s counts', async () => {
    const api = fakeCareApi({ overdue: range(1, 2, { overdue: true }), today: range(10, 5), later: range(30, 1) });
    const { m } = model(api);
    await m.reload();

    expect(api.calls.map((c) => c.filter.bucket).sort()).toEqual([...BUCKETS].sort());
    for (const c of api.calls) {
      expect(c.after).toBeNull();
      expect(c.limit).toBe(3);
      expect(c.filter).toMatchObject({ scope: 'mine', state: 'planned', tz: 'Asia/Ho_Chi_Minh', assignee_id: null });
    }
    expect(m.loaded).toBe(true);
    expect(m.groups.overdue.items.map((a) => a.id)).toEqual([1, 2]);
    expect(m.groups.today.items.map((a) => a.id)).toEqual([10, 11, 12]);
    expect(m.groups.today.next).toEqual({ due_at: '2026-05-14T02:30:00Z', id: 12 });
    expect(m.groups.week.items).toEqual([]);
    // The header counts come from the core, not from the rows loaded.
    expect(m.count('today')).toBe(5);
    expect(m.count('week')).toBe(0);
    expect(m.total).toBe(8);
    // Rows in display order: Overdue, Today, This week, Later.
    expect(m.rows().map((r) => `${r.bucket}:${r.item.id}`)).toEqual(['overdue:1', 'overdue:2', 'today:10', 'today:11', 'today:12', 'later:30']);
  });

  it('loads the next page of one group from its cursor, never everything', async () => {
    const api = fakeCareApi({ today: range(10, 7) });
    const { m } = model(api);
    await m.reload();
    api.calls.length = 0;

    expect(await m.loadMore('today')).toBe(3);
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]).toMatchObject({ after: { id: 12 }, limit: 3, filter: { bucket: 'today' } });
    expect(m.groups.today.items.map((a) => a.id)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(await m.loadMore('today')).toBe(1);
    expect(m.groups.today.next).toBeNull();
    // At the end: nothing more is asked for.
    expect(await m.loadMore('today')).toBe(0);
    expect(api.calls).toHaveLength(2);
  });

  it('moves the keyboard focus across groups, loading the rest of a group when it reaches its end', async () => {
    const api = fakeCareApi({ overdue: range(1, 1), today: range(10, 4) });
    const { m } = model(api);
    await m.reload();

    // The first row is focused once loaded.
    expect(m.focused()?.id).toBe(1);
    expect((await m.move('down'))?.id).toBe(10);
    await m.move('down');
    await m.move('down');
    expect(m.focused()?.id).toBe(12);
    expect(m.groups.today.items).toHaveLength(3);
    // Down from the last row loaded of a group with more: its next page comes first.
    expect((await m.move('down'))?.id).toBe(13);
    expect(m.groups.today.items).toHaveLength(4);
    // The end stays the end.
    expect((await m.move('down'))?.id).toBe(13);
    expect((await m.move('first'))?.id).toBe(1);
    expect((await m.move('up'))?.id).toBe(1);
    expect((await m.move('last'))?.id).toBe(13);
  });

  it('keeps the focus on its activity across a reload, or on the row that took its place', async () => {
    const groups = { today: range(10, 3) };
    const api = fakeCareApi(groups);
    const { m } = model(api);
    await m.reload();
    m.focus(11);
    await m.reload();
    expect(m.focused()?.id).toBe(11);

    // 11 was marked done: it leaves the list, and the focus stays at its place.
    groups.today = groups.today.filter((a) => a.id !== 11);
    await m.reload();
    expect(m.focused()?.id).toBe(12);

    groups.today = [];
    await m.reload();
    expect(m.focused()).toBeNull();
    expect(m.total).toBe(0);
  });

  it('keeps the rows a group showed after a reload, up to a few pages', async () => {
    const api = fakeCareApi({ later: range(40, 8) });
    const { m } = model(api);
    await m.reload();
    await m.loadMore('later');
    expect(m.groups.later.items).toHaveLength(6);
    api.calls.length = 0;
    await m.reload();
    expect(api.calls.find((c) => c.filter.bucket === 'later')?.limit).toBe(6);
    expect(m.groups.later.items).toHaveLength(6);
  });

  it('sends the filters to the core and reloads; Everyone alone takes an assignee', async () => {
    const api = fakeCareApi({ today: range(10, 1) });
    const { m } = model(api);
    await m.reload();
    api.calls.length = 0;

    await m.setFilter({ scope: 'everyone', assignee_id: 3, type_ids: [1], level_ids: [7, 8], segment_ids: [9] });
    expect(api.calls[0]?.filter).toMatchObject({ scope: 'everyone', assignee_id: 3, type_ids: [1], level_ids: [7, 8], segment_ids: [9] });
    expect(activeCareFilters(m.filter)).toBe(4);

    // Back to My activities: the assignee is dropped.
    await m.setFilter({ scope: 'mine' });
    expect(m.filter.assignee_id).toBeNull();
    expect(toCareFilter({ ...emptyCareFilter('mine'), assignee_id: 5 }, 'week', null)).toMatchObject({ assignee_id: null, bucket: 'week', tz: null });
  });

  it('drops answers to a reload overtaken by a newer one', async () => {
    const api = fakeCareApi({ today: range(10, 2) });
    const slow = { ...api, list: async (...args: Parameters<typeof api.list>) => {
      await new Promise((r) => setTimeout(r, 20));
      return api.list(...args);
    } };
    const m = new CareListModel(slow, { pageSize: 3 });
    const first = m.reload();
    api.groups.today = range(20, 1);
    await m.reload();
    await first;
    expect(m.groups.today.items.map((a) => a.id)).toEqual([20]);
  });

  it('reports a failed page and still settles the group', async () => {
    const api = fakeCareApi({ today: range(10, 2) });
    const broken = { ...api, list: async () => Promise.reject({ code: 'db.busy', message: 'busy' }) };
    const errors: unknown[] = [];
    const m = new CareListModel(broken, { onError: (e) => errors.push(e) });
    await m.reload();
    expect(m.loaded).toBe(true);
    expect(errors).toHaveLength(4);
  });
});

describe('keys of the Care list', () => {
  const k = (key: string, mods: Partial<KeyboardEvent> = {}) => keyAction({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });

  it('maps arrows, D, R, Delete and Enter; ignores them with a modifier', () => {
    expect(k('ArrowDown')).toBe('down');
    expect(k('ArrowUp')).toBe('up');
    expect(k('Home')).toBe('first');
    expect(k('End')).toBe('last');
    expect(k('d')).toBe('done');
    expect(k('D')).toBe('done');
    expect(k('r')).toBe('reschedule');
    expect(k('Delete')).toBe('cancel');
    expect(k('Enter')).toBe('open');
    expect(k('x')).toBeNull();
    expect(k('d', { ctrlKey: true })).toBeNull();
    expect(k('r', { metaKey: true })).toBeNull();
  });
});

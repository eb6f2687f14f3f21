// The Care view over a mocked core: groups with the core's counts, "show more" by keyset, the
// keyboard (arrows, D, R, Delete, Enter), scopes for managers, the reminders switch and the
// empty states.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Actor } from '../bindings/Actor';
import { setLang } from '../i18n';
import { ref } from '../ref-data';
import { makeItem, makeStaff } from '../testing/fixtures';
import { fakeCareApi, makeActivity } from './fixtures';
import type { CareActivity, CareFilter } from './types';

let api = fakeCareApi({});
const prefs = new Map<string, unknown>();
const setUiPref = vi.fn(async (key: string, value: unknown) => {
  prefs.set(key, value);
  return null;
});
vi.mock('../ipc', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ipc')>();
  return {
    ...actual,
    careList: (f: CareFilter, after: { due_at: string; id: number } | null, limit: number) => api.list(f, after, limit),
    careCounts: () => api.counts(),
    uiPref: async (key: string) => prefs.get(key) ?? null,
    setUiPref: (key: string, value: unknown) => setUiPref(key, value),
  };
});

const { ClienteleCareView } = await import('./care-view');
type View = InstanceType<typeof ClienteleCareView>;

const staff: Actor = { staff_id: 1, name: 'Lê Thu Hà', email: 'ha@example.vn', role: 'staff' };
const manager: Actor = { staff_id: 2, name: 'Trần Văn Hùng', email: 'hung@example.vn', role: 'manager' };

const flush = async (el: View) => {
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
};

const all = <T extends HTMLElement = HTMLElement>(el: ParentNode, sel: string) => [...el.querySelectorAll<T>(sel)];
function q<T extends HTMLElement = HTMLElement>(el: ParentNode, sel: string): T {
  const found = el.querySelector<T>(sel);
  if (!found) throw new Error(`nothing matches ${sel}`);
  return found;
}

function key(view: View, k: string): void {
  q(view, '[data-testid=care-list]').dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
}

const range = (from: number, n: number, over: Partial<CareActivity> = {}) =>
  Array.from({ length: n }, (_, i) => makeActivity(from + i, over));

async function mount(actor: Actor): Promise<View> {
  const view = document.createElement('clientele-care-view') as View;
  view.actor = actor;
  document.body.append(view);
  await flush(view);
  return view;
}

describe('<clientele-care-view>', () => {
  beforeEach(() => {
    prefs.clear();
    setUiPref.mockClear();
    ref.set({
      items: [makeItem(1, 'care_type', 'Call'), makeItem(2, 'care_type', 'Meeting'), makeItem(5, 'level', 'VIP'), makeItem(6, 'segment', 'Retail')],
      staff: [makeStaff(1, 'Lê Thu Hà'), makeStaff(2, 'Trần Văn Hùng', { role: 'manager' })],
      fields: { fields: {} },
    });
  });

  afterEach(() => {
    document.body.innerHTML = '';
    setLang('en');
  });

  it('groups activities Overdue / Today / This week / Later with the core’s counts, and hides empty groups', async () => {
    api = fakeCareApi({ overdue: range(1, 2, { overdue: true }), today: range(10, 1, { title: 'Call Mr An' }), later: range(30, 1) });
    const view = await mount(staff);
    const groups = all(view, '[data-testid=care-group]');
    expect(groups.map((g) => `${g.dataset['bucket']}:${g.dataset['count']}`)).toEqual(['overdue:2', 'today:1', 'later:1']);
    expect(q(view, '[data-testid=care-group][data-bucket=today] h2').textContent).toContain('Today');
    const row = q(view, '[data-testid=care-row][data-bucket=today]');
    expect(row.textContent).toContain('Call Mr An');
    expect(row.textContent).toContain('KH000110');
    expect(all(view, '[data-testid=care-row][data-bucket=overdue] .is-overdue')).toHaveLength(2);
    // Staff see their own activities only: no scope switch, no assignee column.
    expect(view.querySelector('[data-testid=care-scope-everyone]')).toBeNull();
    expect(view.querySelector('[data-testid=care-row-assignee]')).toBeNull();
  });

  it('shows more of a group from its cursor', async () => {
    api = fakeCareApi({ week: range(40, 30) });
    const view = await mount(staff);
    expect(all(view, '[data-testid=care-row]')).toHaveLength(25);
    const more = q(view, '[data-testid=care-more-week]');
    expect(more.textContent).toContain('Show 5 more');
    more.click();
    await flush(view);
    expect(all(view, '[data-testid=care-row]')).toHaveLength(30);
    expect(view.querySelector('[data-testid=care-more-week]')).toBeNull();
    expect(api.calls.at(-1)).toMatchObject({ after: { id: 64 }, filter: { bucket: 'week' } });
  });

  it('moves with the arrow keys; D opens "mark done", R "reschedule", Delete "cancel", Enter the customer', async () => {
    api = fakeCareApi({ overdue: range(1, 1), today: range(10, 2) });
    const view = await mount(staff);
    const focused = () => q(view, '[data-testid=care-row].focused').dataset['id'];
    expect(focused()).toBe('1');
    key(view, 'ArrowDown');
    await flush(view);
    expect(focused()).toBe('10');
    expect(q(view, '[data-testid=care-list]').getAttribute('aria-activedescendant')).toBe('care-row-10');
    key(view, 'ArrowUp');
    await flush(view);
    expect(focused()).toBe('1');
    key(view, 'End');
    await flush(view);
    expect(focused()).toBe('11');

    key(view, 'd');
    await flush(view);
    expect(q(view, '[data-testid=care-dialog]').dataset['kind']).toBe('complete');
    expect(q(view, '[data-testid=care-dialog-activity]').textContent).toContain('Activity 11');
    q(view, '[data-testid=care-dialog-cancel]').click();
    await flush(view);
    expect(view.querySelector('[data-testid=care-dialog]')).toBeNull();

    key(view, 'R');
    await flush(view);
    expect(q(view, '[data-testid=care-dialog]').dataset['kind']).toBe('reschedule');
    q(view, '[data-testid=care-dialog-cancel]').click();
    await flush(view);

    key(view, 'Delete');
    await flush(view);
    expect(q(view, '[data-testid=care-dialog]').dataset['kind']).toBe('cancel');
    q(view, '[data-testid=care-cancel-keep]').click();
    await flush(view);

    const opened: number[] = [];
    view.addEventListener('open-customer', (e) => opened.push((e as CustomEvent<number>).detail));
    key(view, 'Enter');
    expect(opened).toEqual([111]);
  });

  it('the row buttons do the same as the keys', async () => {
    api = fakeCareApi({ today: range(10, 2) });
    const view = await mount(staff);
    q(view, '[data-testid=care-row][data-id="11"] [data-testid=care-row-reschedule]').click();
    await flush(view);
    expect(q(view, '[data-testid=care-dialog]').dataset['kind']).toBe('reschedule');
    expect(q(view, '[data-testid=care-row].focused').dataset['id']).toBe('11');
  });

  it('lets managers see everyone, with an assignee filter and column', async () => {
    api = fakeCareApi({ today: range(10, 1, { assignee_name: 'Lê Thu Hà' }) });
    const view = await mount(manager);
    q(view, '[data-testid=care-scope-everyone]').click();
    await flush(view);
    expect(q(view, '[data-testid=care-view]').dataset['scope']).toBe('everyone');
    expect(api.calls.at(-1)?.filter.scope).toBe('everyone');
    expect(q(view, '[data-testid=care-row-assignee]').textContent).toBe('Lê Thu Hà');
    const select = q<HTMLSelectElement>(view, '[data-testid=care-filter-assignee]');
    select.value = '1';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await flush(view);
    expect(api.calls.at(-1)?.filter).toMatchObject({ scope: 'everyone', assignee_id: 1 });
  });

  it('says when nothing is planned, and when the filters leave nothing', async () => {
    api = fakeCareApi({});
    const view = await mount(staff);
    expect(q(view, '[data-testid=empty-state]').dataset['reason']).toBe('care-empty');
    expect(q(view, '[data-testid=empty-state]').textContent).toContain('Nothing planned for you');

    await view.model.setFilter({ type_ids: [2] });
    await flush(view);
    expect(q(view, '[data-testid=empty-state]').dataset['reason']).toBe('care-filtered');
    q(view, '[data-testid=care-empty-clear]').click();
    await flush(view);
    expect(view.model.filter.type_ids).toEqual([]);

    setLang('vi');
    await flush(view);
    expect(q(view, '[data-testid=empty-state]').textContent).toContain('Bạn chưa có việc nào');
  });

  it('turns reminders off and on for the signed-in member', async () => {
    api = fakeCareApi({});
    const view = await mount(staff);
    const box = q<HTMLInputElement>(view, '[data-testid=care-reminders]');
    expect(box.checked).toBe(true);
    box.checked = false;
    box.dispatchEvent(new Event('change', { bubbles: true }));
    await flush(view);
    expect(setUiPref).toHaveBeenCalledWith('care.reminders', false);
  });
});

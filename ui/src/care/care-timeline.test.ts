// A customer's timeline over a mocked core: entries in the core's order, follow-ups with their
// outcome, history entries drawn by the host, chips that filter by kind, "load more" from the last
// entry's cursor, and "Schedule care" for this customer.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { html } from 'lit';

import type { HistoryEntry } from '../bindings/HistoryEntry';
import { ref } from '../ref-data';
import { makeCustomer, makeItem, makeStaff } from '../testing/fixtures';
import { activityEntry, makeActivity } from './fixtures';
import type { TimelineCursor, TimelineEntry, TimelineKind } from './types';

const careTimeline = vi.fn<(id: number, kinds: TimelineKind[], before: TimelineCursor | null, limit: number) => Promise<TimelineEntry[]>>();
vi.mock('../ipc', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ipc')>();
  return {
    ...actual,
    careTimeline: (id: number, kinds: TimelineKind[], before: TimelineCursor | null, limit: number) => careTimeline(id, kinds, before, limit),
  };
});

const { ClienteleCareTimeline, TIMELINE_PAGE } = await import('./care-timeline');
type Timeline = InstanceType<typeof ClienteleCareTimeline>;

const flush = async (el: Timeline) => {
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
};
const q = <T extends HTMLElement = HTMLElement>(el: ParentNode, sel: string): T => {
  const found = el.querySelector<T>(sel);
  if (!found) throw new Error(`nothing matches ${sel}`);
  return found;
};

const history = (id: number, at: string): HistoryEntry => ({
  id, entity: 'customer', entity_id: 1, action: 'update', changes: [], actor_id: 1, actor_name: 'Mai', at, batch_id: null,
});
const historyEntry = (h: HistoryEntry): TimelineEntry => ({ kind: 'history', at: h.at, activity: null, history: h, cursor: { at: h.at, history: true, id: h.id } });

describe('<clientele-care-timeline>', () => {
  let tl: Timeline;

  beforeEach(() => {
    careTimeline.mockReset();
    ref.set({ items: [makeItem(1, 'care_type', 'Call')], staff: [makeStaff(1, 'Mai')], fields: { fields: {} } });
  });

  afterEach(() => tl.remove());

  async function mount(entries: TimelineEntry[]): Promise<Timeline> {
    careTimeline.mockResolvedValue(entries);
    tl = document.createElement('clientele-care-timeline') as Timeline;
    tl.renderHistory = (h) => html`<li data-testid="history-entry" data-action=${h.action}>${h.actor_name} changed it</li>`;
    tl.customer = makeCustomer({ id: 1, code: 'KH000001', name: 'Nguyễn Văn An' });
    document.body.append(tl);
    await flush(tl);
    return tl;
  }

  it('shows planned activities, follow-ups with their outcome and history entries in the core’s order', async () => {
    const planned = makeActivity(3, { title: 'Call back', customer_id: 1 });
    const done = makeActivity(2, { title: 'First call', state: 'done', outcome: 'Interested in the VIP plan', done_at: '2026-05-10T03:00:00Z' });
    await mount([
      activityEntry(planned, 'planned', '2026-05-20T02:00:00Z'),
      activityEntry(done, 'followup', '2026-05-10T03:00:00Z'),
      historyEntry(history(9, '2026-05-01T00:00:00Z')),
    ]);
    expect(careTimeline).toHaveBeenCalledWith(1, [], null, TIMELINE_PAGE);
    const kinds = [...tl.querySelectorAll<HTMLElement>('[data-testid=timeline-entry]')].map((e) => e.dataset['kind']);
    expect(kinds).toEqual(['planned', 'followup', 'history']);
    expect(q(tl, '[data-testid=timeline-outcome]').textContent).toBe('Interested in the VIP plan');
    expect(q(tl, '[data-testid=history-entry]').textContent).toContain('Mai changed it');
    // Only planned activities can be acted on.
    expect(tl.querySelectorAll('[data-testid=timeline-done]')).toHaveLength(1);
    // Fewer than a page: nothing more to load.
    expect(tl.querySelector('[data-testid=timeline-more]')).toBeNull();
  });

  it('filters by kind with chips; "All" clears them', async () => {
    await mount([historyEntry(history(9, '2026-05-01T00:00:00Z'))]);
    careTimeline.mockResolvedValue([]);
    q(tl, '[data-testid=timeline-chip-followup]').click();
    await flush(tl);
    expect(careTimeline).toHaveBeenLastCalledWith(1, ['followup'], null, TIMELINE_PAGE);
    expect(q(tl, '[data-testid=timeline-chip-followup]').getAttribute('aria-pressed')).toBe('true');
    expect(q(tl, '[data-testid=timeline-empty]').textContent).toBe('Nothing of this kind yet.');
    q(tl, '[data-testid=timeline-chip-planned]').click();
    await flush(tl);
    expect(careTimeline).toHaveBeenLastCalledWith(1, ['followup', 'planned'], null, TIMELINE_PAGE);
    q(tl, '[data-testid=timeline-chip-all]').click();
    await flush(tl);
    expect(careTimeline).toHaveBeenLastCalledWith(1, [], null, TIMELINE_PAGE);
  });

  it('loads more from the last entry’s cursor', async () => {
    const page = Array.from({ length: TIMELINE_PAGE }, (_, i) => historyEntry(history(100 - i, `2026-04-${String(28 - i).padStart(2, '0')}T00:00:00Z`)));
    await mount(page);
    const last = page[page.length - 1]!;
    careTimeline.mockResolvedValue([historyEntry(history(5, '2026-01-01T00:00:00Z'))]);
    q(tl, '[data-testid=timeline-more]').click();
    await flush(tl);
    expect(careTimeline).toHaveBeenLastCalledWith(1, [], last.cursor, TIMELINE_PAGE);
    expect(tl.querySelectorAll('[data-testid=timeline-entry]')).toHaveLength(TIMELINE_PAGE + 1);
    expect(tl.querySelector('[data-testid=timeline-more]')).toBeNull();
  });

  it('schedules care for this customer', async () => {
    await mount([]);
    q(tl, '[data-testid=schedule-care]').click();
    await flush(tl);
    expect(q(tl, '[data-testid=care-dialog]').dataset['kind']).toBe('schedule');
    expect(q(tl, '[data-testid=care-customer-picked]').dataset['id']).toBe('1');
  });
});

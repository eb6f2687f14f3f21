import { describe, expect, it } from 'vitest';

import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { Fetcher, Params } from '../grid/data-source';
import { DataSource } from '../grid/data-source';
import { emptyFilter } from '../grid/filter';
import { SelectionModel } from '../grid/selection';
import { makeRow } from '../testing/fixtures';
import { ClienteleGrid, MAX_SCROLL_PX, ROW_HEIGHT, ScrollScale } from './customer-grid';

describe('ScrollScale', () => {
  it('maps nothing while every row fits in a scrollable height', () => {
    const s = new ScrollScale(800_000 * ROW_HEIGHT, 600);
    expect(s.physical).toBe(800_000 * ROW_HEIGHT);
    expect(s.toVirtual(123_456)).toBe(123_456);
    expect(s.toPhysical(123_456)).toBe(123_456);
  });

  it('scales a longer list so that its last row is reached at the bottom of the scrollbar', () => {
    for (const count of [1_000_000, 1_300_000, 50_000_000]) {
      const viewport = 600;
      const s = new ScrollScale(count * ROW_HEIGHT, viewport);
      expect(s.physical).toBe(MAX_SCROLL_PX);
      // Scrolled to the end, the rows shown end with the last one.
      const bottom = s.physical - viewport;
      expect(s.toVirtual(bottom) + viewport).toBeCloseTo(count * ROW_HEIGHT, 0);
      expect(s.toVirtual(0)).toBe(0);
      // Round trip for a row deep in the list.
      const row = Math.floor(count * 0.77) * ROW_HEIGHT;
      expect(s.toVirtual(s.toPhysical(row))).toBeCloseTo(row, 3);
      expect(s.toPhysical(count * ROW_HEIGHT * 2)).toBe(MAX_SCROLL_PX);
    }
  });
});

describe('<clientele-grid>', () => {
  const empty: Fetcher = { list: () => Promise.resolve({ rows: [], next: null }), count: () => Promise.resolve(0) };

  async function mount(params: Partial<Params>, fetcher: Fetcher = empty) {
    const source = new DataSource(fetcher, params);
    const grid = document.createElement('clientele-grid') as ClienteleGrid;
    grid.source = source;
    grid.selection = new SelectionModel();
    grid.trash = !!params.trash;
    source.onChange = () => grid.requestUpdate();
    document.body.append(grid);
    await source.loadCount();
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 0));
      await grid.updateComplete;
    }
    return grid;
  }

  it('invites to add the first customer when there is none', async () => {
    const grid = await mount({});
    const empty = grid.querySelector<HTMLElement>('[data-testid=empty-state]');
    expect(empty?.dataset['reason']).toBe('no-customers');
    let asked = 0;
    grid.addEventListener('new-customer', () => asked++);
    grid.querySelector<HTMLButtonElement>('[data-testid=empty-new-customer]')?.click();
    expect(asked).toBe(1);
    expect(grid.querySelector<HTMLInputElement>('[data-testid=select-all-matching]')?.disabled).toBe(true);
    grid.remove();
  });

  it('says when a search finds nothing, and in the trash that it is empty', async () => {
    const a = await mount({ search: 'zzz' });
    expect(a.querySelector<HTMLElement>('[data-testid=empty-state]')?.dataset['reason']).toBe('no-results');
    expect(a.querySelector('[data-testid=empty-state]')?.textContent).toContain('zzz');
    a.remove();
    const b = await mount({ trash: true });
    expect(b.querySelector<HTMLElement>('[data-testid=empty-state]')?.dataset['reason']).toBe('trash-empty');
    b.remove();
  });

  it('says the filters match nothing, and offers to clear them, when the filter panel finds no one', async () => {
    const grid = await mount({ filter: { ...emptyFilter(), level_ids: [7] } });
    const state = grid.querySelector<HTMLElement>('[data-testid=empty-state]');
    expect(state?.dataset['reason']).toBe('no-results');
    expect(state?.textContent).toContain('No customers match these filters');
    expect(state?.textContent).not.toContain('No customers yet');
    let cleared = 0;
    grid.addEventListener('clear-filters', () => cleared++);
    grid.querySelector<HTMLButtonElement>('[data-testid=empty-clear-filters]')?.click();
    expect(cleared).toBe(1);
    grid.remove();
  });

  it('does not say "no customers yet" when the default filter hides inactive ones, and offers to show them', async () => {
    const asked: CustomerFilter[] = [];
    const inactiveOnly: Fetcher = {
      list: () => Promise.resolve({ rows: [], next: null }),
      count: (_search, _trash, filter) => {
        asked.push(filter);
        return Promise.resolve(filter.active === 'inactive' ? 3 : 0);
      },
    };
    const grid = await mount({}, inactiveOnly);
    const state = grid.querySelector<HTMLElement>('[data-testid=empty-state]');
    expect(state?.dataset['reason']).toBe('inactive-hidden');
    expect(state?.textContent).toContain('No customers match these filters');
    expect(state?.textContent).toContain('3 inactive customers are hidden');
    expect(grid.querySelector('[data-testid=empty-new-customer]')).toBeNull();
    // Counted once, not at every render.
    await grid.updateComplete;
    expect(asked.filter((f) => f.active === 'inactive')).toHaveLength(1);
    const wanted: CustomerFilter[] = [];
    grid.addEventListener('filter-change', (e) => wanted.push((e as CustomEvent<CustomerFilter>).detail));
    grid.querySelector<HTMLButtonElement>('[data-testid=empty-show-inactive]')?.click();
    expect(wanted).toEqual([{ ...emptyFilter(), active: 'all' }]);
    grid.remove();
  });

  it('scrolls to the last of 1.3 million rows even when it was counted after the grid appeared', async () => {
    const count = 1_300_000;
    let counted: (n: number) => void = () => {};
    const fetcher: Fetcher = {
      list: (q) => {
        const from = q.offset ?? 0;
        const rows = Array.from({ length: Math.max(0, Math.min(q.limit, count - from)) }, (_, i) => makeRow(from + i + 1));
        return Promise.resolve({ rows, next: null });
      },
      // The count arrives after the grid (and its scroll element) is on the page.
      count: () => new Promise<number>((r) => (counted = r)),
    };
    // happy-dom lays nothing out: the scroll element gets the size of a window's list.
    const proto = HTMLElement.prototype;
    const sizes: Record<string, number> = { offsetHeight: 600, clientHeight: 600, offsetWidth: 1000, clientWidth: 1000 };
    const saved = Object.keys(sizes).map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)] as const);
    for (const [k, v] of Object.entries(sizes)) {
      const original = Object.getOwnPropertyDescriptor(proto, k);
      Object.defineProperty(proto, k, {
        configurable: true,
        get(this: HTMLElement) {
          return this.classList.contains('grid-body') ? v : (original?.get?.call(this) ?? 0);
        },
      });
    }
    const source = new DataSource(fetcher, {});
    const grid = document.createElement('clientele-grid') as ClienteleGrid;
    grid.source = source;
    grid.selection = new SelectionModel();
    source.onChange = () => grid.requestUpdate();
    document.body.append(grid);
    const counting = source.loadCount();
    const settle = async () => {
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 0));
        await grid.updateComplete;
      }
    };
    await settle();
    counted(count);
    await counting;
    await settle();
    const body = grid.querySelector<HTMLDivElement>('.grid-body');
    expect(body).not.toBeNull();
    const spacer = grid.querySelector<HTMLElement>('.grid-spacer');
    expect(spacer?.style.height).toBe(`${MAX_SCROLL_PX}px`);
    const indexes = () =>
      [...grid.querySelectorAll<HTMLElement>('[data-testid=customer-row]')].map((r) => Number(r.dataset['index']));
    for (const fraction of [0.5, 1]) {
      body!.scrollTop = fraction * (MAX_SCROLL_PX - body!.clientHeight);
      body!.dispatchEvent(new Event('scroll'));
      await settle();
      // Pages are asked for at most every 80 ms (a dragged scrollbar passes many).
      await new Promise((r) => setTimeout(r, 200));
      await settle();
      const shown = indexes();
      expect(shown.length).toBeGreaterThan(0);
      const expected = Math.floor((fraction * (count * ROW_HEIGHT - body!.clientHeight)) / ROW_HEIGHT);
      expect(Math.min(...shown)).toBeLessThanOrEqual(Math.min(expected, count - 1));
      expect(Math.max(...shown)).toBeGreaterThanOrEqual(Math.min(expected, count - 1));
      if (fraction === 1) expect(Math.max(...shown)).toBe(count - 1);
    }
    grid.remove();
    for (const [k, d] of saved) {
      if (d) Object.defineProperty(proto, k, d);
      else delete (proto as unknown as Record<string, unknown>)[k];
    }
  });
});

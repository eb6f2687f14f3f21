import { describe, expect, it } from 'vitest';

import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { Fetcher, Params } from '../grid/data-source';
import { DataSource } from '../grid/data-source';
import { emptyFilter } from '../grid/filter';
import { SelectionModel } from '../grid/selection';
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
});

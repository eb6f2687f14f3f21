import { describe, expect, it } from 'vitest';

import type { Fetcher } from '../grid/data-source';
import { DataSource } from '../grid/data-source';
import { SelectionModel } from '../grid/selection';
import { ClienteleGrid, ROW_HEIGHT, rowHeightFor } from './customer-grid';

describe('rowHeightFor', () => {
  it('keeps 36px rows until the list would be too tall to scroll, then squeezes them', () => {
    expect(rowHeightFor(0)).toBe(ROW_HEIGHT);
    expect(rowHeightFor(800_000)).toBe(ROW_HEIGHT);
    expect(rowHeightFor(1_000_000)).toBe(30);
    expect(rowHeightFor(1_000_000) * 1_000_000).toBeLessThan(33_000_000);
    expect(rowHeightFor(50_000_000)).toBe(24);
  });
});

describe('<clientele-grid>', () => {
  const empty: Fetcher = { list: () => Promise.resolve({ rows: [], next: null }), count: () => Promise.resolve(0) };

  async function mount(params: { search?: string; trash?: boolean }) {
    const source = new DataSource(empty, params);
    const grid = document.createElement('clientele-grid') as ClienteleGrid;
    grid.source = source;
    grid.selection = new SelectionModel();
    grid.trash = !!params.trash;
    source.onChange = () => grid.requestUpdate();
    document.body.append(grid);
    await source.loadCount();
    await grid.updateComplete;
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
});

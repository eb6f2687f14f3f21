// Which rows are ticked: explicit ids, or "everything matching the search" minus the unticked ones.

import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { Selection } from '../bindings/Selection';
import { emptyFilter } from './filter';

export class SelectionModel {
  private matching = false;
  private ids = new Set<number>();
  /** The row index last clicked, for shift-click ranges. */
  anchor: number | null = null;

  get isMatching(): boolean {
    return this.matching;
  }

  isSelected(id: number): boolean {
    return this.matching ? !this.ids.has(id) : this.ids.has(id);
  }

  /** How many are selected, given the total number matching. */
  size(total: number): number {
    return this.matching ? Math.max(0, total - this.ids.size) : this.ids.size;
  }

  isEmpty(total: number): boolean {
    return this.size(total) === 0;
  }

  toggle(id: number, index?: number): void {
    this.set(id, !this.isSelected(id));
    if (index !== undefined) this.anchor = index;
  }

  set(id: number, selected: boolean): void {
    // In "matching" mode the set holds exceptions (unticked rows).
    if (selected !== this.matching) this.ids.add(id);
    else this.ids.delete(id);
  }

  /** Give `ids` (the rows between the anchor and the clicked row) the state `selected`. */
  setMany(ids: number[], selected: boolean): void {
    for (const id of ids) this.set(id, selected);
  }

  selectAllMatching(): void {
    this.matching = true;
    this.ids.clear();
  }

  clear(): void {
    this.matching = false;
    this.ids.clear();
    this.anchor = null;
  }

  /** Explicitly ticked ids (only meaningful when not in "matching" mode). */
  selectedIds(): number[] {
    return this.matching ? [] : [...this.ids];
  }

  /** Ids unticked while "all matching" is on. */
  exceptIds(): number[] {
    return this.matching ? [...this.ids] : [];
  }

  /** What a bulk action sends to the core. */
  toSelection(search: string, filter: CustomerFilter = emptyFilter()): Selection {
    return this.matching
      ? { type: 'matching', search, filter, except: [...this.ids] }
      : { type: 'ids', ids: [...this.ids] };
  }
}

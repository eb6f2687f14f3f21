// What a saved view holds: the list's search, filter, sort and columns, as JSON the core stores
// as given. Reading one back accepts anything and keeps only what is valid.

import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { SortField } from '../bindings/SortField';
import { layoutPref, normalizeLayout, type ColumnLayout } from './columns';
import { normalizeFilter } from './filter';

export interface ViewDefinition {
  search: string;
  filter: CustomerFilter;
  sort: SortField;
  desc: boolean;
  /** Absent in a view saved without columns: the current ones stay. */
  columns: ColumnLayout | null;
}

const SORTS: SortField[] = ['name', 'code', 'created'];

export function toDefinition(d: ViewDefinition): unknown {
  return {
    version: 1,
    search: d.search,
    filter: d.filter,
    sort: d.sort,
    desc: d.desc,
    columns: d.columns ? layoutPref(d.columns).columns : null,
  };
}

export function fromDefinition(v: unknown): ViewDefinition {
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  const sort = SORTS.includes(o['sort'] as SortField) ? (o['sort'] as SortField) : 'name';
  return {
    search: typeof o['search'] === 'string' ? o['search'] : '',
    filter: normalizeFilter(o['filter']),
    sort,
    desc: o['desc'] === true,
    columns: Array.isArray(o['columns']) ? normalizeLayout({ columns: o['columns'] }) : null,
  };
}

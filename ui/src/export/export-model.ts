// The export dialog's choices without DOM: which columns in which order, the format and the
// language, turned into the core's ExportRequest. The last choice of columns is each staff
// member's own (the `ui_pref` `export.columns`).

import type { ExportColumn } from '../bindings/ExportColumn';
import type { ExportFormat } from '../bindings/ExportFormat';
import type { ExportRequest } from '../bindings/ExportRequest';
import type { ExportSource } from '../bindings/ExportSource';
import type { Language } from '../bindings/Language';
import { EXPORT_COLUMNS } from '../import/fields';

export const PREF_KEY = 'export.columns';

export interface ColumnChoice {
  id: ExportColumn;
  on: boolean;
}

/** Every column, in the core's order, all ticked. */
export function defaultColumns(): ColumnChoice[] {
  return EXPORT_COLUMNS.map((id) => ({ id, on: true }));
}

/** A saved preference (`[{id, on}]`) made whole: unknown ids dropped, missing ones added at the end (unticked). */
export function normalizeColumns(pref: unknown): ColumnChoice[] {
  if (!Array.isArray(pref)) return defaultColumns();
  const known = new Set<string>(EXPORT_COLUMNS);
  const out: ColumnChoice[] = [];
  const seen = new Set<string>();
  for (const x of pref) {
    const id = (x as { id?: unknown })?.id;
    if (typeof id !== 'string' || !known.has(id) || seen.has(id)) continue;
    seen.add(id);
    out.push({ id: id as ExportColumn, on: (x as { on?: unknown }).on !== false });
  }
  if (out.length === 0) return defaultColumns();
  for (const id of EXPORT_COLUMNS) if (!seen.has(id)) out.push({ id, on: false });
  return out;
}

export function toggle(cols: readonly ColumnChoice[], index: number, on: boolean): ColumnChoice[] {
  return cols.map((c, i) => (i === index ? { ...c, on } : c));
}

export function setAll(cols: readonly ColumnChoice[], on: boolean): ColumnChoice[] {
  return cols.map((c) => ({ ...c, on }));
}

/** Move column `index` by `by` places (−1 up, +1 down); out of range leaves the list as it is. */
export function move(cols: readonly ColumnChoice[], index: number, by: number): ColumnChoice[] {
  const to = index + by;
  if (index < 0 || index >= cols.length || to < 0 || to >= cols.length) return [...cols];
  const out = [...cols];
  const [c] = out.splice(index, 1);
  if (c) out.splice(to, 0, c);
  return out;
}

export function chosen(cols: readonly ColumnChoice[]): ExportColumn[] {
  return cols.filter((c) => c.on).map((c) => c.id);
}

export function toRequest(source: ExportSource, cols: readonly ColumnChoice[], format: ExportFormat, language: Language): ExportRequest {
  return { source, columns: chosen(cols), format, language };
}

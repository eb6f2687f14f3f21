// The grid's columns: which exist, which are shown, in what order and how wide. The layout is the
// staff member's own preference (`ui_pref` key `grid.columns`); anything unknown in a stored layout
// is dropped and columns added since are appended, hidden.

import type { SortField } from '../bindings/SortField';
import type { MessageKey } from '../i18n';

export type ColumnId =
  | 'photo'
  | 'code'
  | 'name'
  | 'kind'
  | 'phone'
  | 'email'
  | 'owner'
  | 'created'
  | 'level'
  | 'status'
  | 'segment'
  | 'groups'
  | 'channel'
  | 'service_manager'
  | 'tax_code'
  | 'address'
  | 'website'
  | 'consent'
  | 'updated'
  | 'last_contact';

export interface ColumnDef {
  id: ColumnId;
  label: MessageKey;
  /** Default width in px. */
  width: number;
  /** Narrowest a drag can make it. */
  min: number;
  sort?: SortField;
  /** Shown in a new layout. */
  shown: boolean;
  /** Cannot be hidden (the row's name is how a row is recognised). */
  fixed?: boolean;
}

export const COLUMNS: readonly ColumnDef[] = [
  { id: 'code', label: 'grid.code', width: 96, min: 70, sort: 'code', shown: true },
  { id: 'name', label: 'grid.name', width: 170, min: 120, sort: 'name', shown: true, fixed: true },
  { id: 'kind', label: 'grid.kind', width: 122, min: 70, shown: true },
  { id: 'phone', label: 'grid.phone', width: 136, min: 80, shown: true },
  { id: 'email', label: 'grid.email', width: 184, min: 90, shown: true },
  { id: 'owner', label: 'grid.owner', width: 140, min: 80, shown: true },
  { id: 'created', label: 'grid.created', width: 124, min: 80, sort: 'created', shown: true },
  { id: 'level', label: 'grid.level', width: 110, min: 60, shown: false },
  { id: 'status', label: 'grid.status', width: 130, min: 60, shown: false },
  { id: 'segment', label: 'grid.segment', width: 140, min: 60, shown: false },
  { id: 'groups', label: 'grid.groups', width: 170, min: 60, shown: false },
  { id: 'channel', label: 'grid.channel', width: 130, min: 60, shown: false },
  { id: 'service_manager', label: 'grid.service_manager', width: 160, min: 80, shown: false },
  { id: 'tax_code', label: 'grid.tax_code', width: 130, min: 70, shown: false },
  { id: 'address', label: 'grid.address', width: 240, min: 90, shown: false },
  { id: 'website', label: 'grid.website', width: 170, min: 80, shown: false },
  { id: 'consent', label: 'grid.consent', width: 110, min: 60, shown: false },
  { id: 'updated', label: 'grid.updated', width: 118, min: 80, shown: false },
  { id: 'last_contact', label: 'grid.last_contact', width: 132, min: 80, sort: 'last_contact', shown: false },
  { id: 'photo', label: 'grid.photo', width: 72, min: 40, shown: false },
];

const DEFS = new Map(COLUMNS.map((c) => [c.id, c]));
export const MAX_WIDTH = 800;

export function columnDef(id: ColumnId): ColumnDef {
  const d = DEFS.get(id);
  if (!d) throw new Error(`unknown column ${id}`);
  return d;
}

export interface ColumnState {
  id: ColumnId;
  shown: boolean;
  width: number;
}

/** Every column, in order; hidden ones keep their place and width for when they come back. */
export type ColumnLayout = ColumnState[];

export const PREF_KEY = 'grid.columns';

export function defaultLayout(): ColumnLayout {
  return COLUMNS.map((c) => ({ id: c.id, shown: c.shown, width: c.width }));
}

function clampWidth(id: ColumnId, w: unknown): number {
  const d = columnDef(id);
  const n = typeof w === 'number' && Number.isFinite(w) ? Math.round(w) : d.width;
  return Math.max(d.min, Math.min(MAX_WIDTH, n));
}

/** A stored preference (any JSON) → a valid layout. */
export function normalizeLayout(stored: unknown): ColumnLayout {
  const raw = (stored as { columns?: unknown } | null)?.columns;
  if (!Array.isArray(raw)) return defaultLayout();
  const out: ColumnLayout = [];
  const seen = new Set<ColumnId>();
  for (const c of raw as unknown[]) {
    const id = (c as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !DEFS.has(id as ColumnId) || seen.has(id as ColumnId)) continue;
    const cid = id as ColumnId;
    seen.add(cid);
    const shown = (c as { shown?: unknown }).shown;
    out.push({ id: cid, shown: columnDef(cid).fixed ? true : shown !== false, width: clampWidth(cid, (c as { width?: unknown }).width) });
  }
  for (const d of COLUMNS) if (!seen.has(d.id)) out.push({ id: d.id, shown: false, width: d.width });
  return out;
}

/** What is stored. */
export function layoutPref(layout: ColumnLayout): { columns: ColumnLayout } {
  return { columns: layout.map((c) => ({ id: c.id, shown: c.shown, width: c.width })) };
}

export function visibleColumns(layout: ColumnLayout): ColumnState[] {
  return layout.filter((c) => c.shown);
}

export function toggleColumn(layout: ColumnLayout, id: ColumnId, shown: boolean): ColumnLayout {
  if (columnDef(id).fixed) return layout;
  return layout.map((c) => (c.id === id ? { ...c, shown } : c));
}

/** Move a column by `by` places among all columns. */
export function moveColumn(layout: ColumnLayout, id: ColumnId, by: number): ColumnLayout {
  const i = layout.findIndex((c) => c.id === id);
  if (i < 0) return layout;
  return moveColumnTo(layout, id, Math.max(0, Math.min(layout.length - 1, i + by)));
}

/** Put a column at index `to` (drag and drop). */
export function moveColumnTo(layout: ColumnLayout, id: ColumnId, to: number): ColumnLayout {
  const i = layout.findIndex((c) => c.id === id);
  if (i < 0 || i === to) return layout;
  const next = [...layout];
  const [moved] = next.splice(i, 1);
  if (moved) next.splice(Math.max(0, Math.min(next.length, to)), 0, moved);
  return next;
}

export function resizeColumn(layout: ColumnLayout, id: ColumnId, width: number): ColumnLayout {
  return layout.map((c) => (c.id === id ? { ...c, width: clampWidth(id, width) } : c));
}

export const CHECK_WIDTH = 40;

/** CSS grid-template-columns for the shown columns: fixed widths, the name column takes spare room. */
export function gridTemplate(layout: ColumnLayout): string {
  return [
    `${CHECK_WIDTH}px`,
    ...visibleColumns(layout).map((c) => (c.id === 'name' ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)),
  ].join(' ');
}

/** The narrowest the row can be (the grid scrolls sideways below it). */
export function minRowWidth(layout: ColumnLayout): number {
  return visibleColumns(layout).reduce((n, c) => n + c.width, CHECK_WIDTH);
}

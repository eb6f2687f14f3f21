// What every view needs to name ids and shape forms: the catalogs, the staff list and the field
// settings, fetched once after sign-in and again when Settings change them. No rule lives here:
// it only answers "what is item 7 called" and "does the admin want this field shown".

import type { CatalogItem } from './bindings/CatalogItem';
import type { CatalogKind } from './bindings/CatalogKind';
import type { FieldRule } from './bindings/FieldRule';
import type { FieldSettings } from './bindings/FieldSettings';
import type { Staff } from './bindings/Staff';
import * as ipc from './ipc';

/** The optional customer fields an admin can hide or require (the core's `OPTIONAL_FIELDS`). */
export const OPTIONAL_FIELDS = [
  'phones',
  'emails',
  'address',
  'tax_code',
  'website',
  'birthday',
  'founded_on',
  'gender',
  'notes',
  'segment_id',
  'level_id',
  'group_ids',
  'status_id',
  'channel_id',
  'service_manager_id',
  'products',
  'invoice_type_ids',
  'legal_entities',
  'contacts',
] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

export const CATALOG_KINDS: CatalogKind[] = ['segment', 'level', 'group', 'status', 'channel', 'position', 'product', 'invoice_type', 'care_type'];

const HEX = /^#[0-9a-fA-F]{6}$/;

/** A catalog colour safe to put in a style (the core checks it too), or null. */
export function safeColor(c: string | null | undefined): string | null {
  return c && HEX.test(c) ? c : null;
}

export interface RefSnapshot {
  items: CatalogItem[];
  staff: Staff[];
  fields: FieldSettings;
}

export class RefData {
  private itemsValue: CatalogItem[] = [];
  private byId = new Map<number, CatalogItem>();
  private staffValue: Staff[] = [];
  private fieldsValue: FieldSettings = { fields: {} };
  private listeners = new Set<() => void>();
  private loading: Promise<void> | null = null;

  get items(): readonly CatalogItem[] {
    return this.itemsValue;
  }

  get staff(): readonly Staff[] {
    return this.staffValue;
  }

  get fields(): FieldSettings {
    return this.fieldsValue;
  }

  /** Replace everything (tests, and after a load). */
  set(s: Partial<RefSnapshot>): void {
    if (s.items) {
      this.itemsValue = [...s.items].sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
      this.byId = new Map(this.itemsValue.map((i) => [i.id, i]));
    }
    if (s.staff) this.staffValue = [...s.staff];
    if (s.fields) this.fieldsValue = s.fields;
    for (const fn of this.listeners) fn();
  }

  /** Fetch catalogs, staff and field settings; concurrent calls share one fetch. */
  load(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = Promise.all([ipc.catalogsAll(), ipc.listStaff(), ipc.fieldSettings()])
      .then(([catalogs, staff, fields]) => this.set({ items: catalogs.items, staff, fields }))
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  async reloadCatalogs(): Promise<void> {
    this.set({ items: (await ipc.catalogsAll()).items });
  }

  async reloadStaff(): Promise<void> {
    this.set({ staff: await ipc.listStaff() });
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  item(id: number | null | undefined): CatalogItem | undefined {
    return id === null || id === undefined ? undefined : this.byId.get(id);
  }

  /** An item's name, or `#id` when it is not (or no longer) known. */
  itemName(id: number | null | undefined): string {
    if (id === null || id === undefined) return '';
    return this.byId.get(id)?.name ?? `#${id}`;
  }

  /**
   * Items of one kind in their order. Pickers offer active items only, plus those in `keep`
   * (what the customer already has, so an inactive value is not silently dropped).
   */
  of(kind: CatalogKind, opts: { activeOnly?: boolean; keep?: readonly (number | null)[] } = {}): CatalogItem[] {
    const keep = new Set(opts.keep ?? []);
    return this.itemsValue.filter((i) => i.kind === kind && (!opts.activeOnly || i.active || keep.has(i.id)));
  }

  staffMember(id: number | null | undefined): Staff | undefined {
    return id === null || id === undefined ? undefined : this.staffValue.find((s) => s.id === id);
  }

  staffName(id: number | null | undefined): string {
    if (id === null || id === undefined) return '';
    return this.staffMember(id)?.name ?? `#${id}`;
  }

  /** Staff offered as owner / service manager: the active ones, plus `keep`. */
  staffOptions(keep: readonly (number | null)[] = []): Staff[] {
    const k = new Set(keep);
    return this.staffValue.filter((s) => s.active || k.has(s.id));
  }

  rule(field: string): FieldRule {
    return this.fieldsValue.fields[field] ?? { shown: true, required: false };
  }

  shown(field: string): boolean {
    const r = this.rule(field);
    return r.shown || r.required;
  }

  required(field: string): boolean {
    return this.rule(field).required;
  }
}

/** The app's one instance. */
export const ref = new RefData();

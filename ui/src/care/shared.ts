// What the care components share: the care-type catalog, icons, the type badge, and the window
// event that tells every care view (list, badge, timeline) that activities changed.

import { html, svg as s, type SVGTemplateResult } from 'lit';

import type { CatalogItem } from '../bindings/CatalogItem';
import type { CatalogKind } from '../bindings/CatalogKind';
import { itemBadge } from '../components/badges';
import '../components/confirm-dialog';
import type { ClienteleConfirm, ConfirmRequest } from '../components/confirm-dialog';
import type { MessageKey, PluralKey } from '../i18n';
import { ref } from '../ref-data';

/** The catalog kind of care types (`CatalogKind::CareType`). */
export const CARE_TYPE_KIND: CatalogKind = 'care_type';

/** Care types offered in pickers: the active ones, plus `keep`. */
export function careTypes(keep: readonly (number | null)[] = []): CatalogItem[] {
  return ref.of(CARE_TYPE_KIND, { activeOnly: true, keep });
}

/** A type's name: the catalog's (current language), else the one the activity carries. */
export function typeName(id: number, fallback = ''): string {
  return ref.item(id)?.name ?? (fallback || ref.itemName(id));
}

export function typeBadge(id: number, fallback: string) {
  return itemBadge(ref.item(id), fallback);
}

/**
 * The catalog page's words for care types: they are used by care activities and rules, not by
 * customers (the core counts those for them).
 */
const CARE_CATALOG: Partial<Record<MessageKey | PluralKey, MessageKey | PluralKey>> = {
  'catalog.intro': 'care.catalog.intro',
  'catalog.usage': 'care.catalog.usage',
  'catalog.in_use_body': 'care.catalog.in_use_body',
  'catalog.move_note': 'care.catalog.move_note',
  'catalog.deleted_moved': 'care.catalog.deleted_moved',
};

export function catalogKey<K extends MessageKey | PluralKey>(kind: CatalogKind | null, key: K): K {
  return kind === CARE_TYPE_KIND ? ((CARE_CATALOG[key] as K | undefined) ?? key) : key;
}

/** Ask with the app's confirmation dialog (one is added when there is none, as in tests). */
export function askConfirm(request: ConfirmRequest): Promise<boolean> {
  let el = document.querySelector<ClienteleConfirm>('clientele-confirm');
  if (!el) {
    el = document.createElement('clientele-confirm') as ClienteleConfirm;
    document.body.append(el);
  }
  return el.ask(request);
}

/** Window event: activities were scheduled, done, moved or cancelled somewhere in the app. */
export const CARE_CHANGED = 'clientele-care-changed';

export function notifyCareChanged(): void {
  window.dispatchEvent(new CustomEvent(CARE_CHANGED));
}

const svg = (body: SVGTemplateResult, size = 18) =>
  html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
    stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const iconCare = (size?: number) =>
  svg(s`<rect x="3" y="4.5" width="18" height="16" rx="2"/><path d="M3 9.5h18"/><path d="M8 2.5v4"/><path d="M16 2.5v4"/><path d="M8.5 15l2.5 2.5 4.5-5"/>`, size);
export const iconCheck = (size?: number) => svg(s`<path d="M5 12.5l4.5 4.5L19 7.5"/>`, size);
export const iconClock = (size?: number) => svg(s`<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>`, size);
export const iconBell = (size?: number) =>
  svg(s`<path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>`, size);
export const iconBan = (size?: number) => svg(s`<circle cx="12" cy="12" r="9"/><path d="M5.7 5.7l12.6 12.6"/>`, size);
export const iconHistory = (size?: number) => svg(s`<path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5"/><path d="M12 7v5l4 2"/>`, size);

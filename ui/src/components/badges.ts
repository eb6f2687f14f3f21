// Catalog items as coloured badges and swatches. Names are rendered as text; colours only after
// checking they are `#rrggbb` (the core checks them too).

import { html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';

import type { CatalogItem } from '../bindings/CatalogItem';
import { t } from '../i18n';
import { ref, safeColor } from '../ref-data';

/** A badge for one item, by id (empty when none). */
export function catalogBadge(id: number | null | undefined) {
  if (id === null || id === undefined) return nothing;
  const item = ref.item(id);
  return itemBadge(item, ref.itemName(id));
}

export function itemBadge(item: CatalogItem | undefined, fallback = '') {
  const color = safeColor(item?.color);
  const name = item?.name ?? fallback;
  return html`<span class="badge ${color ? 'badge-colored' : ''} ${item && !item.active ? 'badge-inactive' : ''}"
    data-testid="badge" data-item=${item?.id ?? nothing} style=${styleMap(color ? { '--badge': color } : {})}
    title=${item && !item.active ? `${name} (${t('catalog.inactive')})` : name}>${name}</span>`;
}

export function swatch(color: string | null | undefined) {
  const c = safeColor(color);
  return html`<span class="swatch ${c ? '' : 'swatch-empty'}" style=${styleMap(c ? { background: c } : {})} aria-hidden="true"></span>`;
}

// The virtualised customer grid: fixed-height rows drawn from the DataSource, the staff member's
// columns (order, visibility, widths resizable in the header), sortable headers, selection (click,
// shift-click ranges, all matching), keyboard focus and Enter to open.

import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { CustomerRow } from '../bindings/CustomerRow';
import type { SortField } from '../bindings/SortField';
import {
  MAX_WIDTH,
  columnDef,
  defaultLayout,
  gridTemplate,
  minRowWidth,
  visibleColumns,
  type ColumnId,
  type ColumnLayout,
  type ColumnState,
} from '../grid/columns';
import type { DataSource } from '../grid/data-source';
import { filterKey, isEmptyFilter } from '../grid/filter';
import type { SelectionModel } from '../grid/selection';
import { formatNumber, formatShortDate, t, tn } from '../i18n';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import { BaseElement } from './base';
import { catalogBadge } from './badges';
import { iconSearch, iconTrash, iconUsers } from './icons';
import { stateBadges } from './ownership-badges';

export const ROW_HEIGHT = 36;
/** WebViews cap an element's height near 33.5M px (WebKit's LayoutUnit); stay below it. */
export const MAX_SCROLL_PX = 30_000_000;

/**
 * Between the rows' own coordinates (row i starts at i × ROW_HEIGHT) and the scroll element's.
 * Up to MAX_SCROLL_PX they are the same. A longer list (about 830,000 rows and more) scrolls a
 * spacer of MAX_SCROLL_PX instead, and scroll positions are scaled so that the top of the
 * scrollbar is the first row and its bottom the last one: every row stays reachable by
 * scrolling, at full height, whatever the count.
 */
export class ScrollScale {
  constructor(
    /** Height of all rows. */
    readonly total: number,
    /** Height of the visible part of the list. */
    readonly viewport: number,
  ) {}

  /** Height of the scrolled spacer. */
  get physical(): number {
    return Math.min(this.total, MAX_SCROLL_PX);
  }

  private get ratio(): number {
    const room = this.physical - this.viewport;
    if (this.total <= MAX_SCROLL_PX || room <= 0) return 1;
    return (this.total - this.viewport) / room;
  }

  /** The rows' offset shown at a scroll position. */
  toVirtual(scrollTop: number): number {
    return Math.max(0, Math.min(this.total, scrollTop * this.ratio));
  }

  /** The scroll position that shows the rows from `offset`. */
  toPhysical(offset: number): number {
    return Math.max(0, Math.min(this.physical, offset / this.ratio));
  }
}

const LOAD_INTERVAL_MS = 80;

type Opts = VirtualizerOptions<HTMLDivElement, Element>;

@customElement('clientele-grid')
export class ClienteleGrid extends BaseElement {
  @property({ attribute: false }) source!: DataSource;
  @property({ attribute: false }) selection!: SelectionModel;
  @property({ type: Boolean }) trash = false;
  /** Every column with its place, visibility and width (the staff member's layout). */
  @property({ attribute: false }) columns: ColumnLayout = defaultLayout();
  /** What an empty list shows without a search (the Pool and Pending views); the default otherwise. */
  @property({ attribute: false }) empty: (() => unknown) | null = null;
  /** Index of the row with keyboard focus. */
  @state() private focusIndex = -1;
  /** Inactive customers the default filter (active only) hides, for the list it was counted for
   * (`key`); null: not asked yet. Asked only when the list is empty. */
  @state() private hiddenInactive: { key: string; n: number | null } | null = null;

  private virtualizer: Virtualizer<HTMLDivElement, Element> | null = null;
  private cleanup: (() => void) | null = null;
  private scrollbarWidth = 0;
  /** Rows wanted on screen, loaded at most every LOAD_INTERVAL_MS (dragging the scrollbar
   * through a million rows must not ask for every page it passes). */
  private wanted: [number, number] = [0, 0];
  private loadTimer: number | undefined;
  private lastLoad = 0;
  /** The column being resized and its live width. */
  private resizing: { id: ColumnId; width: number } | null = null;

  /** The header follows the body when it scrolls sideways. */
  private onScroll = (): void => {
    const head = this.querySelector<HTMLElement>('.grid-head-wrap');
    const body = this.scroller;
    if (head && body && head.scrollLeft !== body.scrollLeft) head.scrollLeft = body.scrollLeft;
  };

  private scale(count: number): ScrollScale {
    return new ScrollScale(count * ROW_HEIGHT, this.scroller?.clientHeight ?? 600);
  }

  private get scroller(): HTMLDivElement | null {
    return this.querySelector<HTMLDivElement>('.grid-body');
  }

  private options(count: number): Opts {
    return {
      count,
      getScrollElement: () => this.scroller,
      estimateSize: () => ROW_HEIGHT,
      overscan: 10,
      observeElementRect,
      // Past MAX_SCROLL_PX the scroll element's positions are scaled (see ScrollScale), by the
      // count of the moment: the virtualizer keeps the observer it attached first (often while
      // the list was still being counted), so these must not capture `count`.
      observeElementOffset: (instance, cb) =>
        observeElementOffset(instance, (offset, scrolling) => cb(this.scale(this.count).toVirtual(offset), scrolling)),
      scrollToFn: (offset, { adjustments = 0, behavior }, instance) =>
        elementScroll(this.scale(this.count).toPhysical(offset + adjustments), { adjustments: 0, behavior }, instance),
      initialRect: { width: 1000, height: 600 },
      onChange: () => this.requestUpdate(),
    };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.virtualizer) this.virtualizer = new Virtualizer(this.options(0));
    this.cleanup = this.virtualizer._didMount();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cleanup?.();
    this.cleanup = null;
  }

  protected override willUpdate(): void {
    // The list is being counted again (new search, filter or data): ask again if it is empty.
    if (this.hiddenInactive && this.source?.count === undefined) this.hiddenInactive = null;
  }

  protected override updated(): void {
    this.virtualizer?._willUpdate();
    const s = this.scroller;
    if (s) {
      const w = s.offsetWidth - s.clientWidth;
      if (w !== this.scrollbarWidth) {
        this.scrollbarWidth = w;
        this.requestUpdate();
      }
    }
  }

  private scheduleLoad(first: number, last: number): void {
    this.wanted = [first, last];
    if (this.loadTimer !== undefined) return;
    const wait = Math.max(0, this.lastLoad + LOAD_INTERVAL_MS - Date.now());
    this.loadTimer = window.setTimeout(() => {
      this.loadTimer = undefined;
      this.lastLoad = Date.now();
      const [a, b] = this.wanted;
      void this.source.ensureRange(a, b);
    }, wait);
  }

  /** Back to the first row (after the search or sort changed). */
  scrollToTop(): void {
    this.focusIndex = -1;
    const s = this.scroller;
    if (s) s.scrollTop = 0;
  }

  /** Move keyboard focus into the grid, on the first row in view unless a row already has it. */
  focusGrid(): void {
    if (this.focusIndex < 0 && this.count > 0) {
      const top = this.scale(this.count).toVirtual(this.scroller?.scrollTop ?? 0);
      this.focusIndex = Math.min(this.count - 1, Math.ceil(top / ROW_HEIGHT));
    }
    this.scroller?.focus({ preventScroll: true });
  }

  private get count(): number {
    return this.source?.count ?? 0;
  }

  private emit<T>(name: string, detail?: T): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));
  }

  private sortBy(field: SortField): void {
    const p = this.source.params;
    const desc = p.sort === field ? !p.desc : field === 'created';
    this.source.setParams({ sort: field, desc });
    void this.source.loadCount();
    this.scrollToTop();
  }

  private onCheck(e: MouseEvent, row: CustomerRow, index: number): void {
    e.stopPropagation();
    const sel = this.selection;
    const target = !sel.isSelected(row.id);
    if (e.shiftKey && sel.anchor !== null && sel.anchor !== index) {
      const [a, b] = sel.anchor < index ? [sel.anchor, index] : [index, sel.anchor];
      sel.setMany(
        this.source.loadedRows(a, b).map((r) => r.id),
        target,
      );
      sel.anchor = index;
    } else {
      sel.set(row.id, target);
      sel.anchor = index;
    }
    this.focusIndex = index;
    this.requestUpdate();
    this.emit('selection-changed');
  }

  private onRowClick(row: CustomerRow, index: number): void {
    this.focusIndex = index;
    this.scroller?.focus({ preventScroll: true });
    this.emit('row-open', row.id);
  }

  private moveFocus(to: number): void {
    const n = this.count;
    if (n === 0) return;
    const i = Math.max(0, Math.min(n - 1, to));
    this.focusIndex = i;
    this.virtualizer?.scrollToIndex(i, { align: 'auto' });
  }

  private onKey = (e: KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((this.scroller?.clientHeight ?? 360) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        if (this.focusIndex < 0) this.focusGrid();
        else this.moveFocus(this.focusIndex + 1);
        break;
      case 'ArrowUp':
        this.moveFocus(this.focusIndex <= 0 ? 0 : this.focusIndex - 1);
        break;
      case 'PageDown':
        this.moveFocus(this.focusIndex + page);
        break;
      case 'PageUp':
        this.moveFocus(this.focusIndex - page);
        break;
      case 'Home':
        this.moveFocus(0);
        break;
      case 'End':
        this.moveFocus(this.count - 1);
        break;
      case 'Enter': {
        const row = this.source.peek(this.focusIndex);
        if (row) this.emit('row-open', row.id);
        break;
      }
      case ' ': {
        const row = this.source.peek(this.focusIndex);
        if (row) {
          this.selection.toggle(row.id, this.focusIndex);
          this.requestUpdate();
          this.emit('selection-changed');
        }
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  private toggleAllMatching(e: Event): void {
    const sel = this.selection;
    if (sel.isMatching && sel.exceptIds().length === 0) sel.clear();
    else sel.selectAllMatching();
    (e.target as HTMLInputElement).checked = sel.isMatching;
    this.requestUpdate();
    this.emit('selection-changed');
  }

  private header(col: ColumnState) {
    const def = columnDef(col.id);
    const label = this.trash && col.id === 'created' ? 'grid.deleted' : def.label;
    const field = this.trash && col.id === 'created' ? undefined : def.sort;
    const p = this.source.params;
    const active = !!field && p.sort === field;
    const sort = active ? (p.desc ? 'descending' : 'ascending') : 'none';
    return html`<div class="cell cell-${col.id}" role="columnheader" aria-sort=${field ? sort : nothing} data-col=${col.id}>
      ${field
        ? html`<button type="button" class="sort-button ${active ? 'active' : ''}" data-testid="sort-${field}"
            title=${active ? t(p.desc ? 'grid.sort_desc' : 'grid.sort_asc') : ''} @click=${() => this.sortBy(field)}>
            <span class="sort-label">${t(label)}</span><span class="sort-indicator" aria-hidden="true">${active ? (p.desc ? '↓' : '↑') : ''}</span>
          </button>`
        : html`<span class="head-label">${t(label)}</span>`}
      <span class="col-resize" data-testid="resize-${col.id}" title=${t('columns.resize')} aria-hidden="true"
        @pointerdown=${(e: PointerEvent) => this.startResize(e, col)}
        @dblclick=${() => this.emit('column-resize', { id: col.id, width: def.width })}
        @click=${(e: Event) => e.stopPropagation()}></span>
    </div>`;
  }

  // --- column resizing: live while dragging, reported once on release ---

  private startResize(e: PointerEvent, col: ColumnState): void {
    e.preventDefault();
    e.stopPropagation();
    const handle = e.currentTarget as HTMLElement;
    const startX = e.clientX;
    const startW = col.width;
    const def = columnDef(col.id);
    handle.setPointerCapture?.(e.pointerId);
    const move = (ev: PointerEvent) => {
      this.resizing = { id: col.id, width: Math.max(def.min, Math.min(MAX_WIDTH, startW + ev.clientX - startX)) };
      this.requestUpdate();
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
      const r = this.resizing;
      this.resizing = null;
      if (r && r.width !== startW) this.emit('column-resize', r);
      this.requestUpdate();
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  }

  /** The layout with the column being dragged at its live width. */
  private get layout(): ColumnLayout {
    const r = this.resizing;
    const base = this.columns?.length ? this.columns : defaultLayout();
    return r ? base.map((c) => (c.id === r.id ? { ...c, width: r.width } : c)) : base;
  }

  private cell(col: ColumnState, row: CustomerRow) {
    const id = col.id;
    switch (id) {
      case 'code':
        return html`<div class="cell cell-code mono" role="gridcell">${row.code}</div>`;
      case 'name':
        return html`<div class="cell cell-name own-cell-name" role="gridcell" title=${row.name}
          ><span class="own-name-text" data-testid="row-name">${row.name}</span>${stateBadges(row, true)}</div>`;
      case 'kind':
        return html`<div class="cell cell-kind" role="gridcell"><span class="kind-tag kind-${row.kind}">${t(`kind.${row.kind}`)}</span></div>`;
      case 'phone':
        return html`<div class="cell cell-phone" role="gridcell">${row.phone ?? ''}</div>`;
      case 'email':
        return html`<div class="cell cell-email" role="gridcell" title=${row.email ?? ''}>${row.email ?? ''}</div>`;
      case 'owner':
        return html`<div class="cell cell-owner" role="gridcell">${row.owner_name ?? ''}</div>`;
      case 'created':
        return html`<div class="cell cell-created cell-date" role="gridcell">${formatShortDate(this.trash ? row.deleted_at ?? row.created_at : row.created_at)}</div>`;
      case 'updated':
        return html`<div class="cell cell-updated cell-date" role="gridcell">${formatShortDate(row.updated_at)}</div>`;
      case 'last_contact':
        return html`<div class="cell cell-last_contact cell-date" role="gridcell">${row.last_contact_at
          ? formatShortDate(row.last_contact_at)
          : row.locked
            ? '' // Hidden from other staff: not "never".
            : html`<span class="muted">${t('grid.never_contacted')}</span>`}</div>`;
      case 'level':
        return html`<div class="cell cell-level" role="gridcell">${catalogBadge(row.level_id)}</div>`;
      case 'status':
        return html`<div class="cell cell-status" role="gridcell">${catalogBadge(row.status_id)}</div>`;
      case 'segment':
        return html`<div class="cell cell-segment" role="gridcell">${ref.itemName(row.segment_id)}</div>`;
      case 'channel':
        return html`<div class="cell cell-channel" role="gridcell">${ref.itemName(row.channel_id)}</div>`;
      case 'groups': {
        const names = row.group_ids.map((g) => ref.itemName(g)).join(', ');
        return html`<div class="cell cell-groups" role="gridcell" title=${names}>${names}</div>`;
      }
      case 'service_manager':
        return html`<div class="cell cell-service_manager" role="gridcell">${row.service_manager_name ?? ''}</div>`;
      case 'tax_code':
        return html`<div class="cell cell-tax_code mono" role="gridcell">${row.tax_code ?? ''}</div>`;
      case 'address':
        return html`<div class="cell cell-address" role="gridcell" title=${row.address ?? ''}>${row.address ?? ''}</div>`;
      case 'website':
        return html`<div class="cell cell-website" role="gridcell" title=${row.website ?? ''}>${row.website ?? ''}</div>`;
      case 'photo':
        return html`<div class="cell cell-photo" role="gridcell">${row.photo
          ? html`<span class="row-photo"><img src=${ipc.photoUrl(row.id, row.photo)} alt="" loading="lazy"
              @error=${(e: Event) => ((e.target as HTMLElement).hidden = true)} />${row.name.trim().charAt(0).toUpperCase()}</span>`
          : ''}</div>`;
      case 'consent':
        return html`<div class="cell cell-consent" role="gridcell">${row.email_consent ? html`<span class="consent-yes">${t('grid.consent_yes')}</span>` : ''}</div>`;
    }
  }

  private renderRow(row: CustomerRow | undefined, index: number, top: number, cols: ColumnState[]) {
    const style = `transform: translateY(${top}px)`;
    if (!row) {
      return html`<div class="grid-row grid-row-loading" role="row" aria-busy="true" style=${style}>
        <div class="cell cell-check"></div>
        ${cols.map((c) => html`<div class="cell cell-${c.id}"><span class="skeleton ${c.id === 'name' || c.id === 'email' ? 'wide' : ''}"></span></div>`)}
      </div>`;
    }
    const selected = this.selection.isSelected(row.id);
    const focused = index === this.focusIndex;
    return html`<div class="grid-row ${selected ? 'selected' : ''} ${focused ? 'focused' : ''}" role="row"
      aria-rowindex=${index + 1} aria-selected=${selected ? 'true' : 'false'} style=${style}
      data-testid="customer-row" data-id=${row.id} data-code=${row.code} data-index=${index}
      @click=${() => this.onRowClick(row, index)}>
      <div class="cell cell-check" role="gridcell" @click=${(e: Event) => e.stopPropagation()}>
        <input type="checkbox" data-testid="row-select" .checked=${live(selected)} tabindex="-1"
          aria-label=${t('grid.select_row', { name: row.name })}
          @click=${(e: MouseEvent) => this.onCheck(e, row, index)} />
      </div>
      ${cols.map((c) => this.cell(c, row))}
    </div>`;
  }

  /** Count (once per list) the inactive customers an empty active-only list hides. */
  private checkHidden(key: string): void {
    if (this.hiddenInactive?.key === key) return;
    this.hiddenInactive = { key, n: null };
    const filter = { ...this.source.params.filter, active: 'inactive' as const };
    void this.source.countWith(filter).then(
      (n) => {
        if (this.hiddenInactive?.key === key) this.hiddenInactive = { key, n };
      },
      () => {
        if (this.hiddenInactive?.key === key) this.hiddenInactive = { key, n: 0 };
      },
    );
  }

  private renderEmpty() {
    const search = this.source.params.search.trim();
    if (this.empty && !search) return this.empty();
    const filter = this.source.params.filter;
    if (!this.trash && !search && isEmptyFilter(filter) && filter.active !== 'all') {
      // Nothing active: say so when inactive customers exist rather than "no customers yet".
      const key = filterKey(filter);
      const hidden = this.hiddenInactive?.key === key ? this.hiddenInactive.n : null;
      if (this.hiddenInactive?.key !== key) queueMicrotask(() => this.checkHidden(key));
      if (hidden === null) return nothing;
      if (hidden > 0) {
        return html`<div class="empty-state" data-testid="empty-state" data-reason="inactive-hidden">
          <div class="empty-icon">${iconUsers(26)}</div>
          <h2>${t('empty.no_filter_results_title')}</h2>
          <p class="muted">${tn('empty.inactive_hidden', hidden, { count: formatNumber(hidden) })}</p>
          <button type="button" class="button" data-testid="empty-show-inactive"
            @click=${() => this.emit('filter-change', { ...filter, active: 'all' })}>${t('empty.show_inactive')}</button>
        </div>`;
      }
    }
    if (!this.trash && !isEmptyFilter(filter)) {
      return html`<div class="empty-state" data-testid="empty-state" data-reason="no-results">
        <div class="empty-icon">${iconSearch(26)}</div>
        <h2>${search ? t('empty.no_results_title', { search }) : t('empty.no_filter_results_title')}</h2>
        <p class="muted">${t('empty.no_filter_results_body')}</p>
        <button type="button" class="button" data-testid="empty-clear-filters" @click=${() => this.emit('clear-filters')}>
          ${t('filter.clear_all')}
        </button>
      </div>`;
    }
    if (search) {
      return html`<div class="empty-state" data-testid="empty-state" data-reason="no-results">
        <div class="empty-icon">${iconSearch(26)}</div>
        <h2>${t('empty.no_results_title', { search })}</h2>
        <p class="muted">${t('empty.no_results_body')}</p>
      </div>`;
    }
    if (this.trash) {
      return html`<div class="empty-state" data-testid="empty-state" data-reason="trash-empty">
        <div class="empty-icon">${iconTrash(26)}</div>
        <h2>${t('empty.trash_title')}</h2>
        <p class="muted">${t('empty.trash_body')}</p>
      </div>`;
    }
    return html`<div class="empty-state" data-testid="empty-state" data-reason="no-customers">
      <div class="empty-icon">${iconUsers(26)}</div>
      <h2>${t('empty.no_customers_title')}</h2>
      <p class="muted">${t('empty.no_customers_body')}</p>
      <button type="button" class="button button-primary" data-testid="empty-new-customer" @click=${() => this.emit('new-customer')}>
        + ${t('action.new_customer')}
      </button>
    </div>`;
  }

  protected override render() {
    if (!this.source || !this.selection || !this.virtualizer) return nothing;
    const count = this.count;
    if (this.virtualizer.options.count !== count) {
      this.virtualizer.setOptions(this.options(count));
    }
    const items = this.virtualizer.getVirtualItems();
    // Rows are drawn where the scroll element shows them: their own offset, moved by the
    // difference between the scaled and the real scroll position (zero for shorter lists).
    const scale = this.scale(count);
    const shift = scale.total > MAX_SCROLL_PX ? (this.virtualizer.scrollOffset ?? 0) - (this.scroller?.scrollTop ?? 0) : 0;
    const firstItem = items[0];
    const lastItem = items[items.length - 1];
    if (firstItem && lastItem && (!this.source.isLoaded(firstItem.index) || !this.source.isLoaded(lastItem.index))) {
      this.scheduleLoad(firstItem.index, lastItem.index);
    }
    const sel = this.selection;
    const allChecked = sel.isMatching && count > 0 && sel.size(count) === count;
    const someChecked = !sel.isEmpty(count) && !allChecked;
    const known = this.source.count !== undefined;
    const layout = this.layout;
    const cols = visibleColumns(layout);
    const template = gridTemplate(layout);
    const minWidth = minRowWidth(layout);
    return html`<div class="grid ${this.trash ? 'grid-trash' : ''} ${this.resizing ? 'grid-resizing' : ''}"
        role="grid" aria-rowcount=${count} aria-colcount=${cols.length + 1}
        style="--row-h: ${ROW_HEIGHT}px; --grid-cols: ${template}; --grid-min: ${minWidth}px"
        aria-label=${t(this.trash ? 'view.trash' : 'view.customers')}>
      <div class="grid-head-wrap">
        <div class="grid-head" role="row" style="padding-right: ${this.scrollbarWidth}px">
          <div class="cell cell-check" role="columnheader">
            <input type="checkbox" data-testid="select-all-matching" title=${t('grid.select_all_matching')}
              aria-label=${t('grid.select_all_matching')} .checked=${live(allChecked)} .indeterminate=${someChecked}
              ?disabled=${count === 0} @click=${(e: Event) => this.toggleAllMatching(e)} />
          </div>
          ${cols.map((c) => this.header(c))}
        </div>
      </div>
      <div class="grid-body" tabindex="0" @keydown=${this.onKey} @scroll=${this.onScroll} aria-busy=${known ? 'false' : 'true'}>
        <div class="grid-spacer" style="height: ${scale.physical}px">
          ${items.map((it) => this.renderRow(this.source.peek(it.index), it.index, it.start - shift, cols))}
        </div>
      </div>
      ${known && count === 0 ? this.renderEmpty() : nothing}
      <div class="sr-only" aria-live="polite">${known ? formatNumber(count) : ''}</div>
    </div>`;
  }
}

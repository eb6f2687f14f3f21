// <clientele-app>: session (first run, sign-in), the main layout, and every action on the list.

import { html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';

import type { Customer } from '../bindings/Customer';
import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { SavedView } from '../bindings/SavedView';
import type { SessionInfo } from '../bindings/SessionInfo';
import {
  PREF_KEY as COLUMNS_PREF,
  defaultLayout,
  layoutPref,
  normalizeLayout,
  resizeColumn,
  type ColumnId,
  type ColumnLayout,
} from '../grid/columns';
import { DataSource } from '../grid/data-source';
import { activeFilterCount, emptyFilter } from '../grid/filter';
import { SelectionModel } from '../grid/selection';
import type { ViewDefinition } from '../grid/views';
import { errorText, formatNumber, setLang, t, tn } from '../i18n';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import './auth-forms';
import { BaseElement } from './base';
import './bulk-edit';
import '../care/care-nav';
import '../care/care-view';
import type { ClienteleCareView } from '../care/care-view';
import type { ClienteleBulkEdit } from './bulk-edit';
import './column-chooser';
import './confirm-dialog';
import type { ClienteleConfirm } from './confirm-dialog';
import './customer-detail';
import type { ClienteleCustomerDetail, DetailAction } from './customer-detail';
import './customer-form';
import type { ClienteleCustomerForm } from './customer-form';
import './customer-grid';
import type { ClienteleGrid } from './customer-grid';
import './duplicate-check';
import type { ClienteleDuplicateCheck } from './duplicate-check';
import './filter-panel';
import { iconDuplicate, iconFilter, iconSearch, iconSettings, iconTrash, iconUsers } from './icons';
import { languageSelect } from './language-select';
import './merge-dialog';
import { MERGE_MAX, type ClienteleMerge } from './merge-dialog';
import './settings-view';
import { iconActivity } from './activity-log';
import type { ClienteleActivityLog } from './activity-log';
import { isOwnershipView, viewFilter, type OwnershipView, type PendingTab } from '../ownership';
import './ownership-actions';
import { ownershipEmpty, type OwnershipViewRequest } from './ownership-nav';
import './ownership-nav';
import './user-menu';
import './views-menu';
import type { ViewApply } from './views-menu';
import { toast, toastError } from './toasts';
import './toasts';
import { exportSelection, transferDialogOpen } from './transfer-menu';
import './transfer-menu';

type View = 'customers' | 'trash' | 'settings' | 'care' | 'activity' | OwnershipView;

const SEARCH_DEBOUNCE_MS = 150;
/** Column widths change many times while dragging; the preference is written once it settles. */
const SAVE_LAYOUT_MS = 400;

function setReady(ready: boolean): void {
  if (ready) document.body.dataset['ready'] = '1';
  else delete document.body.dataset['ready'];
}

/** Whether a key event comes from somewhere the user types text. */
function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit'].includes(el.type);
  return el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || el.isContentEditable;
}

/** How often the start screen asks whether the database is open yet. */
const OPEN_POLL_MS = 250;

@customElement('clientele-app')
export class ClienteleApp extends BaseElement {
  @state() private session: SessionInfo | null = null;
  @state() private startError = '';
  /** The database is being opened (or upgraded) by the app; null once it is open. */
  @state() private opening: 'opening' | 'upgrading' | null = null;
  @state() private view: View = 'customers';
  @state() private trashCount: number | undefined;
  @state() private searchText = '';
  /** The customers view's filter (the trash is not filtered). */
  @state() private filter: CustomerFilter = emptyFilter();
  @state() private filterOpen = false;
  @state() private columns: ColumnLayout = defaultLayout();
  /** The saved view last applied (the list may have changed since). */
  @state() private activeView: SavedView | null = null;
  /** The Pending view's tab (awaiting approval or rejected). */
  @state() private pendingTab: PendingTab = 'pending';

  @query('clientele-grid') private grid!: ClienteleGrid | null;
  @query('clientele-confirm') private confirmDialog!: ClienteleConfirm;
  @query('clientele-customer-form') private form!: ClienteleCustomerForm;
  @query('clientele-customer-detail') private detail!: ClienteleCustomerDetail;
  @query('clientele-duplicate-check') private dupCheck!: ClienteleDuplicateCheck;
  @query('clientele-bulk-edit') private bulkEdit!: ClienteleBulkEdit;
  @query('clientele-merge') private mergeDialog!: ClienteleMerge;
  @query('clientele-care-view') private careView!: ClienteleCareView | null;

  private source = new DataSource(
    { list: ipc.listCustomers, count: (search, trash, filter) => ipc.countCustomers(search, trash, filter) },
    {},
    {
      onChange: () => {
        this.requestUpdate();
        this.grid?.requestUpdate();
      },
      onError: (e) => toastError(e),
    },
  );
  private selection = new SelectionModel();
  private searchTimer: number | undefined;
  private layoutTimer: number | undefined;
  /** The last count shown, kept while a new one loads so the top bar does not flicker. */
  private shownCount: number | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onGlobalKey);
    this.addEventListener('ownership-changed', this.onOwnershipChanged);
    this.addEventListener('ownership-view', this.onOwnershipView);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onGlobalKey);
    this.removeEventListener('ownership-changed', this.onOwnershipChanged);
    this.removeEventListener('ownership-view', this.onOwnershipView);
  }

  private async start(): Promise<void> {
    setReady(false);
    this.startError = '';
    try {
      // The app opens the database in the background: an upgrade of a big one takes a while.
      for (;;) {
        const status = await ipc.storeStatus();
        if (status.state === 'ready') break;
        if (status.state === 'failed') throw new Error(status.message);
        // The upgrade is announced in the language the database's users chose.
        if (status.state === 'upgrading') setLang(status.language);
        this.opening = status.state;
        await new Promise((r) => setTimeout(r, OPEN_POLL_MS));
      }
      this.opening = null;
      await this.applySession(await ipc.sessionInfo());
    } catch (e) {
      this.opening = null;
      this.startError = errorText(ipc.toApiError(e).body);
      setReady(true);
    }
  }

  private async applySession(info: SessionInfo): Promise<void> {
    setReady(false);
    setLang(info.language);
    this.session = info;
    if (!info.actor) {
      await this.updateComplete;
      setReady(true);
      return;
    }
    this.view = 'customers';
    this.searchText = '';
    this.filter = emptyFilter();
    this.activeView = null;
    this.selection.clear();
    this.source.setParams({ search: '', trash: false, filter: this.filter });
    this.source.invalidate();
    await this.updateComplete;
    await Promise.all([
      this.source.loadCount(),
      this.source.loadPage(0),
      this.loadTrashCount(),
      ref.load().catch(toastError),
      this.loadColumns(),
    ]);
    await this.updateComplete;
    await this.grid?.updateComplete;
    setReady(true);
  }

  private async loadTrashCount(): Promise<void> {
    try {
      this.trashCount = await ipc.countCustomers('', true, null);
    } catch (e) {
      toastError(e);
    }
  }

  // --- columns: the staff member's own layout, kept by the core as a UI preference ---

  private async loadColumns(): Promise<void> {
    try {
      this.columns = normalizeLayout(await ipc.uiPref(COLUMNS_PREF));
    } catch (e) {
      this.columns = defaultLayout();
      toastError(e);
    }
  }

  private setColumns(layout: ColumnLayout, delay = 0): void {
    this.columns = layout;
    window.clearTimeout(this.layoutTimer);
    this.layoutTimer = window.setTimeout(() => {
      ipc.setUiPref(COLUMNS_PREF, layoutPref(this.columns)).catch(toastError);
    }, delay);
  }

  // --- saved views ---

  private currentView = (): ViewDefinition => {
    const p = this.source.params;
    return { search: this.searchText, filter: this.filter, sort: p.sort, desc: p.desc, columns: this.columns };
  };

  private applyView(e: CustomEvent<ViewApply>): void {
    const { view, definition: d } = e.detail;
    this.activeView = view;
    window.clearTimeout(this.searchTimer);
    this.searchText = d.search;
    this.filter = d.filter;
    this.filterOpen = this.filterOpen || activeFilterCount(d.filter) > 0;
    if (d.columns) this.setColumns(d.columns);
    this.selection.clear();
    this.source.setParams({ search: d.search, filter: d.filter, sort: d.sort, desc: d.desc });
    void this.source.loadCount();
    this.grid?.scrollToTop();
  }

  // --- filter ---

  private setFilter(filter: CustomerFilter): void {
    this.filter = filter;
    if (this.view !== 'customers') return;
    this.selection.clear();
    this.source.setParams({ filter });
    void this.source.loadCount();
    this.grid?.scrollToTop();
  }

  /** The data changed: reload the count, the visible rows and the trash count. */
  private refresh(): void {
    this.source.invalidate({ keepRows: true });
    void this.source.loadCount();
    void this.loadTrashCount();
  }

  // --- search, views ---

  private onSearchInput(e: Event): void {
    this.searchText = (e.target as HTMLInputElement).value;
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => this.applySearch(), SEARCH_DEBOUNCE_MS);
  }

  private applySearch(): void {
    window.clearTimeout(this.searchTimer);
    if (this.source.params.search === this.searchText) return;
    this.selection.clear();
    this.source.setParams({ search: this.searchText });
    void this.source.loadCount();
    this.grid?.scrollToTop();
  }

  private onSearchKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'Enter') {
      e.preventDefault();
      this.applySearch();
      this.grid?.focusGrid();
    } else if (e.key === 'Escape' && this.searchText) {
      e.preventDefault();
      e.stopPropagation();
      this.searchText = '';
      this.applySearch();
    }
  }

  private focusSearch(): void {
    const input = this.querySelector<HTMLInputElement>('[data-testid=search-input]');
    input?.focus();
    input?.select();
  }

  private showView(view: View): void {
    if (this.view === view) {
      if (view === 'care') void this.careView?.refresh();
      else if (view === 'activity') void this.querySelector<ClienteleActivityLog>('clientele-activity-log')?.reload();
      else if (view !== 'settings') this.refresh();
      return;
    }
    const from = this.view;
    this.view = view;
    this.selection.clear();
    if (view === 'settings' || view === 'care' || view === 'activity') return;
    this.source.setParams({ trash: view === 'trash', filter: this.viewFilterFor(view) });
    // Catalogs, staff or fields may have changed in Settings: rows show new names.
    if (from === 'settings') this.source.invalidate({ keepRows: true, keepCount: true });
    void this.source.loadCount();
    void this.loadTrashCount();
    this.grid?.scrollToTop();
  }

  // --- ownership: the Pool and Pending views, and changes made by ownership actions ---

  /** The filter a view lists with: none in the trash, the core's in Pool and Pending, else the panel's. */
  private viewFilterFor(view: View): CustomerFilter {
    if (view === 'trash') return emptyFilter();
    if (isOwnershipView(view)) return viewFilter(view, this.pendingTab);
    return this.filter;
  }

  private onOwnershipView = (e: Event): void => {
    const { view, tab } = (e as CustomEvent<OwnershipViewRequest>).detail;
    if (view === 'pending' && this.view === 'pending' && tab !== this.pendingTab) {
      this.pendingTab = tab;
      this.selection.clear();
      this.source.setParams({ filter: viewFilter('pending', tab) });
      void this.source.loadCount();
      this.grid?.scrollToTop();
      return;
    }
    this.pendingTab = tab;
    this.showView(view);
  };

  /** Customers changed owner, pool, lock, approval or activity: the list reloads (the drawer reloads itself). */
  private onOwnershipChanged = (e: Event): void => {
    if ((e.target as Element | null)?.closest?.('[data-testid=selection-bar]')) this.selection.clear();
    this.refresh();
  };

  // --- actions ---

  private selectedCount(): number {
    return this.selection.size(this.source.count ?? 0);
  }

  /** The ids of the selection; pages through the list when "all matching" is on (trash actions take ids). */
  private async selectedIds(): Promise<number[]> {
    if (!this.selection.isMatching) return this.selection.selectedIds();
    const except = new Set(this.selection.exceptIds());
    const { search, trash, filter } = this.source.params;
    const ids: number[] = [];
    let after: { key: string; id: number } | null = null;
    for (let guard = 0; guard < 100_000; guard++) {
      const page = await ipc.listCustomers({ search, filter, sort: 'created', desc: false, trash, after, offset: null, limit: 500 });
      for (const r of page.rows) if (!except.has(r.id)) ids.push(r.id);
      if (!page.next) break;
      after = page.next;
    }
    return ids;
  }

  private async deleteSelected(): Promise<void> {
    const n = this.selectedCount();
    if (n === 0 || this.view === 'trash' || this.view === 'settings' || this.view === 'activity') return;
    const ok = await this.confirmDialog.ask({
      message: tn('confirm.delete', n),
      detail: t('confirm.delete_body'),
      okLabel: t('confirm.ok_delete'),
      danger: true,
    });
    if (!ok) return;
    try {
      const done = await ipc.deleteCustomers(this.selection.toSelection(this.source.params.search, this.source.params.filter));
      toast(tn('toast.deleted', done), 'success');
      this.selection.clear();
      if (this.detail.isOpen) this.detail.close();
      this.refresh();
    } catch (e) {
      toastError(e);
    }
  }

  private async restoreSelected(): Promise<void> {
    if (this.selectedCount() === 0) return;
    try {
      const done = await ipc.restoreCustomers(await this.selectedIds());
      toast(tn('toast.restored', done), 'success');
      this.selection.clear();
      this.refresh();
    } catch (e) {
      toastError(e);
    }
  }

  private async purgeSelected(): Promise<void> {
    const n = this.selectedCount();
    if (n === 0 || this.view !== 'trash') return;
    const ok = await this.confirmDialog.ask({
      message: tn('confirm.purge', n),
      detail: t('confirm.purge_body'),
      okLabel: t('confirm.ok_purge'),
      danger: true,
    });
    if (!ok) return;
    try {
      const done = await ipc.purgeCustomers(await this.selectedIds());
      toast(tn('toast.purged', done), 'success');
      this.selection.clear();
      this.refresh();
    } catch (e) {
      toastError(e);
    }
  }

  private async emptyTrash(): Promise<void> {
    const n = this.trashCount ?? this.source.count ?? 0;
    const ok = await this.confirmDialog.ask({
      message: tn('confirm.empty_trash', n),
      detail: t('confirm.purge_body'),
      okLabel: t('confirm.ok_empty'),
      danger: true,
    });
    if (!ok) return;
    try {
      const done = await ipc.emptyTrash();
      toast(tn('toast.purged', done), 'success');
      this.selection.clear();
      this.refresh();
    } catch (e) {
      toastError(e);
    }
  }

  private newCustomer(): void {
    if (this.view !== 'customers') this.showView('customers');
    void this.form.openNew();
  }

  private async onDetailAction(e: CustomEvent<{ action: DetailAction; customer: Customer }>): Promise<void> {
    const { action, customer } = e.detail;
    try {
      switch (action) {
        case 'edit':
          this.form.openEdit(customer);
          return;
        case 'delete': {
          const ok = await this.confirmDialog.ask({
            message: tn('confirm.delete', 1),
            detail: t('confirm.delete_body'),
            okLabel: t('confirm.ok_delete'),
            danger: true,
          });
          if (!ok) return;
          const done = await ipc.deleteCustomers({ type: 'ids', ids: [customer.id] });
          toast(tn('toast.deleted', done), 'success');
          break;
        }
        case 'restore': {
          const done = await ipc.restoreCustomers([customer.id]);
          toast(tn('toast.restored', done), 'success');
          break;
        }
        case 'purge': {
          const ok = await this.confirmDialog.ask({
            message: tn('confirm.purge', 1),
            detail: t('confirm.purge_body'),
            okLabel: t('confirm.ok_purge'),
            danger: true,
          });
          if (!ok) return;
          const done = await ipc.purgeCustomers([customer.id]);
          toast(tn('toast.purged', done), 'success');
          break;
        }
      }
      if (!this.selection.isMatching) this.selection.set(customer.id, false);
      this.detail.close();
      this.refresh();
    } catch (err) {
      toastError(err);
    }
  }

  private onSaved(e: CustomEvent<Customer>): void {
    this.refresh();
    if (this.detail.isOpen && this.detail.currentId === e.detail.id) void this.detail.reload();
  }

  private async signOut(): Promise<void> {
    try {
      this.detail?.close();
      this.form?.close();
      await this.applySession(await ipc.signOut());
    } catch (e) {
      toastError(e);
    }
  }

  // --- keyboard ---

  private get dialogOpen(): boolean {
    return !!(this.confirmDialog?.isOpen || this.form?.isOpen || this.dupCheck?.isOpen || this.bulkEdit?.isOpen || this.mergeDialog?.isOpen || transferDialogOpen());
  }

  private onGlobalKey = (e: KeyboardEvent): void => {
    if (!this.session?.actor || e.defaultPrevented) return;
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === 'Escape') {
      if (this.confirmDialog?.isOpen) return;
      if (this.dupCheck?.isOpen) this.dupCheck.close();
      else if (this.bulkEdit?.isOpen) this.bulkEdit.close();
      else if (this.mergeDialog?.isOpen) this.mergeDialog.close();
      else if (this.form?.isOpen) this.form.close();
      else if (this.detail?.isOpen) this.detail.close();
      else return;
      e.preventDefault();
      return;
    }
    if (this.dialogOpen) return;
    const key = e.key.toLowerCase();
    if ((key === '/' && !isTyping(e) && !mod) || (mod && key === 'f')) {
      e.preventDefault();
      this.focusSearch();
    } else if (mod && key === 'n') {
      e.preventDefault();
      this.newCustomer();
    } else if (this.detail?.isOpen || this.view === 'settings' || this.view === 'care' || this.view === 'activity') {
      return;
    } else if (mod && key === 'a' && !isTyping(e)) {
      e.preventDefault();
      if ((this.source.count ?? 0) > 0) {
        this.selection.selectAllMatching();
        this.requestUpdate();
        this.grid?.requestUpdate();
      }
    } else if (e.key === 'Delete' && !isTyping(e)) {
      e.preventDefault();
      void (this.view === 'trash' ? this.purgeSelected() : this.deleteSelected());
    }
  };

  // --- rendering ---

  private renderToolbar() {
    const count = this.source.count ?? 0;
    const n = this.selection.size(count);
    const trash = this.view === 'trash';
    return html`<div class="toolbar">
      ${n > 0
        ? html`<div class="selection-bar" data-testid="selection-bar">
            <span class="selection-count" data-testid="selection-count" data-count=${n}>${tn('selection.count', n)}</span>
            ${this.selection.isMatching ? html`<span class="muted small">${t('selection.all_matching', { count })}</span>` : nothing}
            ${trash
              ? html`<button type="button" class="button" data-testid="restore-selected" @click=${() => void this.restoreSelected()}>
                    ${t('action.restore_selected')}</button>
                  <button type="button" class="button button-danger" data-testid="purge-selected" @click=${() => void this.purgeSelected()}>
                    ${t('action.purge_selected')}</button>`
              : html`<button type="button" class="button" data-testid="export-selected"
                    @click=${() => exportSelection(this.selection.toSelection(this.source.params.search, this.source.params.filter), n)}>
                    ${t('transfer.export_selected')}</button>
                  <button type="button" class="button" data-testid="bulk-edit"
                    @click=${() => this.bulkEdit.show(this.selection.toSelection(this.source.params.search, this.source.params.filter), n)}>
                    ${t('action.bulk_edit')}</button>
                  ${!this.selection.isMatching && n >= 2 && n <= MERGE_MAX
                    ? html`<button type="button" class="button" data-testid="merge-selected"
                        @click=${() => void this.mergeDialog.show(this.selection.selectedIds())}>${t('action.merge')}</button>`
                    : nothing}
                  <clientele-ownership-actions .actor=${this.session?.actor ?? null} .count=${n} .view=${this.view}
                    .selection=${this.selection.toSelection(this.source.params.search, this.source.params.filter)}></clientele-ownership-actions>
                  <button type="button" class="button button-danger" data-testid="delete-selected" @click=${() => void this.deleteSelected()}>
                  ${t('action.delete_selected')}</button>`}
            <button type="button" class="link-button" data-testid="clear-selection"
              @click=${() => { this.selection.clear(); this.requestUpdate(); this.grid?.requestUpdate(); }}>
              ${t('action.clear_selection')}</button>
          </div>`
        : isOwnershipView(this.view)
          ? html`<clientele-ownership-title .actor=${this.session?.actor ?? null} .view=${this.view} .tab=${this.pendingTab}></clientele-ownership-title>`
          : html`<div class="toolbar-title">
            <h1>${t(trash ? 'view.trash' : 'view.customers')}</h1>
            ${trash ? html`<span class="muted small">${t('view.trash_note')}</span>` : nothing}
          </div>`}
      <span class="spacer"></span>
      ${trash || isOwnershipView(this.view)
        ? nothing
        : html`<button type="button" class="button ${this.filterOpen ? 'button-pressed' : ''}" data-testid="filter-toggle"
              aria-expanded=${this.filterOpen ? 'true' : 'false'} aria-controls="filter-panel"
              @click=${() => {
                this.filterOpen = !this.filterOpen;
              }}>${iconFilter(16)}<span class="button-label">${t('filter.button')}</span>
              ${activeFilterCount(this.filter)
                ? html`<span class="count-badge" data-testid="filter-count" data-count=${activeFilterCount(this.filter)}
                    aria-label=${tn('filter.active', activeFilterCount(this.filter))}>${formatNumber(activeFilterCount(this.filter))}</span>`
                : nothing}</button>`}
      ${trash || isOwnershipView(this.view) || n > 0
        ? nothing
        : html`<clientele-views-menu .current=${this.currentView} .active=${this.activeView}
            @view-apply=${(e: CustomEvent<ViewApply>) => this.applyView(e)}
            @view-cleared=${() => {
              this.activeView = null;
            }}></clientele-views-menu>`}
      ${n > 0
        ? nothing
        : html`<clientele-column-chooser .layout=${this.columns}
            @layout-change=${(e: CustomEvent<ColumnLayout>) => this.setColumns(e.detail)}></clientele-column-chooser>`}
      ${trash
        ? html`<button type="button" class="button button-danger-outline" data-testid="empty-trash"
            ?disabled=${count === 0 && !this.source.params.search} @click=${() => void this.emptyTrash()}>${t('action.empty_trash')}</button>`
        : html`${n > 0 ? nothing : html`<clientele-transfer-menu .params=${this.source.params} .count=${count}></clientele-transfer-menu>`}
            ${n > 0
              ? nothing
              : html`<button type="button" class="button" data-testid="duplicate-check" title=${t('dupcheck.title')}
                  @click=${() => this.dupCheck.show()}>${iconDuplicate(16)}<span class="button-label">${t('dupcheck.button')}</span></button>`}
            <button type="button" class="button button-primary" data-testid="new-customer" title="Ctrl+N"
              @click=${() => this.newCustomer()}>+ ${t('action.new_customer')}</button>`}
    </div>`;
  }

  private renderMain() {
    const actor = this.session?.actor;
    if (!actor) return nothing;
    const count = this.source.count ?? this.shownCount;
    this.shownCount = count;
    const trash = this.view === 'trash';
    const settings = this.view === 'settings';
    const customers = this.view === 'customers';
    const canSettings = actor.role === 'admin' || actor.role === 'manager';
    return html`<div class="layout">
      <header class="topbar">
        <div class="brand"><span class="brand-mark" aria-hidden="true">C</span><span class="brand-text">${t('app.name')}</span></div>
        <div class="search">
          <span class="search-icon">${iconSearch(16)}</span>
          <input type="search" data-testid="search-input" aria-label=${t('top.search_label')}
            placeholder=${t('top.search_placeholder')} .value=${this.searchText} autocomplete="off" spellcheck="false"
            @input=${(e: Event) => this.onSearchInput(e)} @keydown=${(e: KeyboardEvent) => this.onSearchKey(e)} />
        </div>
        <span class="count" data-testid="customer-count" data-count=${count ?? nothing}
          aria-busy=${this.source.count === undefined ? 'true' : 'false'}>${count === undefined ? '' : tn('top.count', count)}</span>
        <span class="spacer"></span>
        ${languageSelect()}
        <clientele-user-menu .actor=${actor} @sign-out=${() => void this.signOut()}></clientele-user-menu>
      </header>
      <nav class="sidenav" aria-label=${t('app.name')}>
        <button type="button" class="nav-item ${customers ? 'active' : ''}" data-testid="nav-customers" title=${t('nav.customers')}
          aria-current=${customers ? 'page' : 'false'} @click=${() => this.showView('customers')}>
          <span class="nav-icon">${iconUsers()}</span><span class="nav-label">${t('nav.customers')}</span>
        </button>
        <clientele-care-nav .actor=${actor} ?active=${this.view === 'care'} .stamp=${count} @care-open=${() => this.showView('care')}
          @open-customer=${(e: CustomEvent<number>) => void this.detail.openCustomer(e.detail)}></clientele-care-nav>
        <clientele-ownership-nav .actor=${actor} .view=${this.view} .tab=${this.pendingTab} .stamp=${count}></clientele-ownership-nav>
        <button type="button" class="nav-item ${trash ? 'active' : ''}" data-testid="nav-trash" title=${t('nav.trash')}
          aria-current=${trash ? 'page' : 'false'} @click=${() => this.showView('trash')}>
          <span class="nav-icon">${iconTrash()}</span><span class="nav-label">${t('nav.trash')}</span>
          ${this.trashCount ? html`<span class="nav-badge" data-testid="trash-count" data-count=${this.trashCount}>${formatNumber(this.trashCount)}</span>` : nothing}
        </button>
        ${actor.role === 'admin'
          ? html`<button type="button" class="nav-item ${this.view === 'activity' ? 'active' : ''}" data-testid="nav-activity"
              title=${t('activity.title')} aria-current=${this.view === 'activity' ? 'page' : 'false'} @click=${() => this.showView('activity')}>
              <span class="nav-icon">${iconActivity()}</span><span class="nav-label">${t('activity.nav')}</span>
            </button>`
          : nothing}
        ${canSettings
          ? html`<button type="button" class="nav-item nav-bottom ${settings ? 'active' : ''}" data-testid="nav-settings" title=${t('nav.settings')}
              aria-current=${settings ? 'page' : 'false'} @click=${() => this.showView('settings')}>
              <span class="nav-icon">${iconSettings()}</span><span class="nav-label">${t('nav.settings')}</span>
            </button>`
          : nothing}
      </nav>
      <main class="main">
        ${settings
          ? html`<clientele-settings .actor=${actor}></clientele-settings>`
          : this.view === 'activity'
            ? html`<clientele-activity-log .actor=${actor}
                @open-customer=${(e: CustomEvent<number>) => void this.detail.openCustomer(e.detail)}></clientele-activity-log>`
          : this.view === 'care'
            ? html`<clientele-care-view .actor=${actor} @open-customer=${(e: CustomEvent<number>) => void this.detail.openCustomer(e.detail)}></clientele-care-view>`
            : html`${this.renderToolbar()}
              ${customers && this.filterOpen
                ? html`<clientele-filter-panel id="filter-panel" .filter=${this.filter}
                    @filter-change=${(e: CustomEvent<CustomerFilter>) => this.setFilter(e.detail)}></clientele-filter-panel>`
                : nothing}
              <clientele-grid .source=${this.source} .selection=${this.selection} ?trash=${trash} .columns=${this.columns}
                .empty=${isOwnershipView(this.view) ? () => ownershipEmpty(this.view as OwnershipView, this.pendingTab) : null}
                @row-open=${(e: CustomEvent<number>) => void this.detail.openCustomer(e.detail)}
                @selection-changed=${() => this.requestUpdate()}
                @clear-filters=${() => this.setFilter(emptyFilter())}
                @filter-change=${(e: CustomEvent<CustomerFilter>) => this.setFilter(e.detail)}
                @column-resize=${(e: CustomEvent<{ id: ColumnId; width: number }>) =>
                  this.setColumns(resizeColumn(this.columns, e.detail.id, e.detail.width), SAVE_LAYOUT_MS)}
                @new-customer=${() => this.newCustomer()}></clientele-grid>`}
      </main>
    </div>`;
  }

  protected override render() {
    let screen;
    if (this.startError) {
      screen = html`<div class="auth-screen"><div class="auth-card">
        <h1>${t('app.start_failed')}</h1>
        <div class="form-banner" role="alert">${this.startError}</div>
        <button type="button" class="button button-primary" @click=${() => void this.start()}>${t('app.retry')}</button>
      </div></div>`;
    } else if (this.opening === 'upgrading') {
      screen = html`<div class="auth-screen"><div class="auth-card" data-testid="upgrading" role="status">
        <h1>${t('app.upgrading')}</h1>
        <progress></progress>
        <p class="muted">${t('app.upgrading_hint')}</p>
      </div></div>`;
    } else if (!this.session) {
      screen = html`<div class="auth-screen"><p class="muted">${t('app.loading')}</p></div>`;
    } else if (this.session.needs_setup) {
      screen = html`<clientele-setup @session=${(e: CustomEvent<SessionInfo>) => void this.applySession(e.detail)}></clientele-setup>`;
    } else if (!this.session.actor) {
      screen = html`<clientele-signin @session=${(e: CustomEvent<SessionInfo>) => void this.applySession(e.detail)}></clientele-signin>`;
    } else {
      screen = this.renderMain();
    }
    return html`${screen}
      <clientele-customer-form .actor=${this.session?.actor ?? null} @saved=${(e: CustomEvent<Customer>) => this.onSaved(e)}
        @open-customer=${(e: CustomEvent<number>) => void this.detail.openCustomer(e.detail)}></clientele-customer-form>
      <clientele-bulk-edit @done=${() => this.refresh()}></clientele-bulk-edit>
      <clientele-merge @merged=${(e: CustomEvent<Customer>) => {
        this.selection.clear();
        this.refresh();
        void this.detail.openCustomer(e.detail.id);
      }}></clientele-merge>
      <clientele-duplicate-check @open-customer=${(e: CustomEvent<number>) => void this.detail.openCustomer(e.detail)}></clientele-duplicate-check>
      <clientele-customer-detail .actor=${this.session?.actor ?? null}
        @detail-action=${(e: CustomEvent<{ action: DetailAction; customer: Customer }>) => void this.onDetailAction(e)}></clientele-customer-detail>
      <clientele-import-wizard @imported=${() => this.refresh()} @import-reverted=${() => this.refresh()}></clientele-import-wizard>
      <clientele-import-history @import-reverted=${() => this.refresh()}></clientele-import-history>
      <clientele-export-dialog></clientele-export-dialog>
      <clientele-confirm></clientele-confirm>
      <clientele-toasts></clientele-toasts>`;
  }
}

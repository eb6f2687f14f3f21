// <clientele-activity-log>: the administrators' activity log across customers (history entries,
// newest first), filtered by staff member, action and a date range, read a page at a time
// (keyset: each page continues before the last entry shown). Who may read it is the core's
// decision: for anyone else the core refuses and the page shows why. Fires `open-customer`
// (the id) when an entry's customer is clicked.

import { html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

import type { ActivityEntry } from '../bindings/ActivityEntry';
import type { ActivityFilter } from '../bindings/ActivityFilter';
import type { Actor } from '../bindings/Actor';
import type { FieldChange } from '../bindings/FieldChange';
import { errorText, fieldLabel, formatDateTime, t, tn, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import '../ownership.css';
import { BaseElement } from './base';

/** Entries per page. */
export const PAGE = 100;

/** Changed fields named on a line before "+N more". */
const SHOWN_CHANGES = 3;

/** The log's filter as the page holds it (the time zone is added when asking the core). */
export interface LogFilter {
  staff_id: number | null;
  action: string | null;
  from: string | null;
  to: string | null;
}

export function emptyLogFilter(): LogFilter {
  return { staff_id: null, action: null, from: null, to: null };
}

export function isFiltered(f: LogFilter): boolean {
  return f.staff_id !== null || f.action !== null || f.from !== null || f.to !== null;
}

/** The core's filter: days are the user's own calendar days. */
export function coreFilter(f: LogFilter, tz: string | null = localZone()): ActivityFilter {
  return { ...f, tz };
}

function localZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

function has(key: string): key is MessageKey {
  // Every label key the page uses is spelled out here; unknown actions show as they are stored.
  return key in KNOWN;
}

const KNOWN: Record<string, true> = Object.fromEntries(
  [
    'create',
    'update',
    'delete',
    'restore',
    'purge',
    'merge',
    'merged_away',
    'bulk_edit',
    'transfer',
    'release',
    'claim',
    'assign',
    'lock',
    'unlock',
    'activate',
    'deactivate',
    'approve',
    'reject',
    'resubmit',
    'pool.auto_return',
    'import_create',
    'import_update',
    'import_revert',
  ].map((a) => [`activity.action.${a}`, true]),
);

/** An action's label in the user's language (the stored name when the page does not know it). */
export function actionLabel(action: string): string {
  const key = `activity.action.${action}`;
  return has(key) ? t(key) : action;
}

/** What an entry is about: its customer (code and name), or the settings, a staff member, … */
export function subject(e: ActivityEntry): string {
  if (e.customer_code !== null) return `${e.customer_code} · ${e.customer_name ?? ''}`;
  const id = e.entity_id;
  switch (e.entity) {
    case 'customer':
      return t('activity.customer_gone', { id: String(id) });
    case 'settings':
      return t('activity.entity.settings');
    case 'staff':
      return ref.staff.find((s) => s.id === id)?.name ?? t('activity.entity.staff', { id: String(id) });
    case 'catalog_item':
      return ref.itemName(id) || t('activity.entity.catalog_item', { id: String(id) });
    case 'care_rule':
      return t('activity.entity.care_rule', { id: String(id) });
    case 'saved_view':
      return t('activity.entity.saved_view', { id: String(id) });
    default:
      return t('activity.entity.other', { entity: e.entity, id: String(id) });
  }
}

/** Fields of settings and staff entries, which are not customer fields. */
const OTHER_FIELDS: Record<string, MessageKey> = {
  pool_return_days: 'activity.field.pool_return_days',
  approval_required: 'activity.field.approval_required',
  claim_limit: 'own.settings.claim_limit',
  field_settings: 'activity.field.field_settings',
  duplicate_rules: 'activity.field.duplicate_rules',
};

/** A changed field's name in the user's language. */
export function changeLabel(field: string): string {
  const key = OTHER_FIELDS[field];
  return key ? t(key) : fieldLabel(field);
}

/** The changed fields, named: "Owner, In pool, +2 more". */
export function changesText(changes: FieldChange[]): string {
  const names = changes.map((c) => changeLabel(c.field));
  const shown = names.slice(0, SHOWN_CHANGES).join(', ');
  const more = names.length - SHOWN_CHANGES;
  return more > 0 ? `${shown}, ${tn('activity.more_changes', more)}` : shown;
}

export const iconActivity = (size = 20) =>
  html`<svg width=${size} height=${size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${svg`<path d="M3 12h4l3-8 4 16 3-8h4" />`}</svg>`;

@customElement('clientele-activity-log')
export class ClienteleActivityLog extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  @state() private filter: LogFilter = emptyLogFilter();
  @state() private entries: ActivityEntry[] = [];
  /** Where the next (older) page starts; null: no more. */
  @state() private next: number | null = null;
  @state() private loading = false;
  @state() private loaded = false;
  @state() private error = '';
  @state() private actions: string[] = [];
  /** Answers to earlier filters are dropped when they arrive late. */
  private generation = 0;
  private observer: IntersectionObserver | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
    void this.loadActions();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = null;
  }

  /** Read the log again from the newest entry (after a change elsewhere, or a new filter). */
  async reload(): Promise<void> {
    this.generation++;
    this.entries = [];
    this.next = null;
    this.loaded = false;
    await this.loadPage(null);
  }

  private async loadActions(): Promise<void> {
    try {
      this.actions = await ipc.activityActions();
    } catch {
      this.actions = [];
    }
  }

  private async loadPage(before: number | null): Promise<void> {
    const generation = this.generation;
    this.loading = true;
    this.error = '';
    try {
      const page = await ipc.activityLog(coreFilter(this.filter), before, PAGE);
      if (generation !== this.generation) return;
      this.entries = before === null ? page.entries : [...this.entries, ...page.entries];
      this.next = page.next;
    } catch (e) {
      if (generation !== this.generation) return;
      this.error = errorText(ipc.toApiError(e).body);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  private loadMore(): void {
    if (this.loading || this.next === null) return;
    void this.loadPage(this.next);
  }

  private setFilter(patch: Partial<LogFilter>): void {
    this.filter = { ...this.filter, ...patch };
    void this.reload();
  }

  protected override updated(): void {
    // The next page loads when the end of the list scrolls into view.
    const end = this.querySelector('[data-testid="activity-end"]');
    if (!end || typeof IntersectionObserver === 'undefined') return;
    this.observer ??= new IntersectionObserver((seen) => {
      if (seen.some((s) => s.isIntersecting)) this.loadMore();
    });
    this.observer.disconnect();
    this.observer.observe(end);
  }

  private open(e: ActivityEntry): void {
    if (e.customer_id === null) return;
    this.dispatchEvent(new CustomEvent<number>('open-customer', { detail: e.customer_id, bubbles: true }));
  }

  private renderFilters() {
    const f = this.filter;
    const actions = [...new Set([...this.actions, ...(f.action ? [f.action] : [])])];
    return html`<div class="activity-filters" role="search" aria-label=${t('activity.filter.label')} data-testid="activity-filters">
      <label class="activity-field">
        <span class="filter-label">${t('activity.filter.staff')}</span>
        <select data-testid="activity-staff" @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.setFilter({ staff_id: v === '' ? null : Number(v) });
        }}>
          <option value="" ?selected=${f.staff_id === null}>${t('activity.filter.any_staff')}</option>
          ${ref.staff.map((s) => html`<option value=${s.id} ?selected=${f.staff_id === s.id}>${s.name}</option>`)}
        </select>
      </label>
      <label class="activity-field">
        <span class="filter-label">${t('activity.filter.action')}</span>
        <select data-testid="activity-action" @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.setFilter({ action: v === '' ? null : v });
        }}>
          <option value="" ?selected=${f.action === null}>${t('activity.filter.any_action')}</option>
          ${actions
            .map((a) => ({ a, label: actionLabel(a) }))
            .sort((x, y) => x.label.localeCompare(y.label))
            .map(({ a, label }) => html`<option value=${a} ?selected=${f.action === a}>${label}</option>`)}
        </select>
      </label>
      <label class="activity-field">
        <span class="filter-label">${t('activity.filter.from')}</span>
        <input type="date" data-testid="activity-from" .value=${f.from ?? ''} max=${f.to ?? ''}
          @change=${(e: Event) => this.setFilter({ from: (e.target as HTMLInputElement).value || null })} />
      </label>
      <label class="activity-field">
        <span class="filter-label">${t('activity.filter.to')}</span>
        <input type="date" data-testid="activity-to" .value=${f.to ?? ''} min=${f.from ?? ''}
          @change=${(e: Event) => this.setFilter({ to: (e.target as HTMLInputElement).value || null })} />
      </label>
      <button type="button" class="link-button activity-clear" data-testid="activity-clear" ?disabled=${!isFiltered(f)}
        @click=${() => this.setFilter(emptyLogFilter())}>${t('activity.filter.clear')}</button>
    </div>`;
  }

  private renderEntry(e: ActivityEntry) {
    const who = e.actor_name;
    return html`<tr data-testid="activity-entry" data-id=${e.id} data-action=${e.action}>
      <td class="nowrap activity-when">${formatDateTime(e.at)}</td>
      <td class="activity-who">${who ?? html`<span class="muted">${t('activity.system')}</span>`}</td>
      <td class="activity-action">${actionLabel(e.action)}</td>
      <td class="activity-about">
        ${e.customer_id !== null
          ? html`<button type="button" class="link-button" data-testid="activity-customer" @click=${() => this.open(e)}>${subject(e)}</button>`
          : html`<span class=${e.entity === 'customer' ? 'muted' : ''}>${subject(e)}</span>`}
      </td>
      <td class="activity-changes muted small" title=${e.changes.map((c) => changeLabel(c.field)).join(', ')}>${changesText(e.changes)}</td>
    </tr>`;
  }

  private renderBody() {
    if (this.loaded && this.entries.length === 0 && !this.error) {
      const filtered = isFiltered(this.filter);
      return html`<div class="empty-state" data-testid="activity-empty">
        <div class="empty-icon" aria-hidden="true">${iconActivity(40)}</div>
        <h2>${t(filtered ? 'activity.empty_filtered_title' : 'activity.empty_title')}</h2>
        <p class="muted">${t(filtered ? 'activity.empty_filtered_body' : 'activity.empty_body')}</p>
        ${filtered
          ? html`<button type="button" class="button" @click=${() => this.setFilter(emptyLogFilter())}>${t('activity.filter.clear')}</button>`
          : nothing}
      </div>`;
    }
    return html`<table class="activity-table" data-testid="activity-table" aria-busy=${this.loading ? 'true' : 'false'}>
        <thead><tr>
          <th>${t('activity.col.when')}</th><th>${t('activity.col.who')}</th><th>${t('activity.col.action')}</th>
          <th>${t('activity.col.about')}</th><th>${t('activity.col.changes')}</th>
        </tr></thead>
        <tbody>${this.entries.map((e) => this.renderEntry(e))}</tbody>
      </table>
      <div class="activity-end" data-testid="activity-end">
        ${this.loading
          ? html`<span class="muted">${t('activity.loading')}</span>`
          : this.next !== null
            ? html`<button type="button" class="button" data-testid="activity-more" @click=${() => this.loadMore()}>${t('activity.load_more')}</button>`
            : this.entries.length
              ? html`<span class="muted small">${t('activity.end')}</span>`
              : nothing}
      </div>`;
  }

  protected override render() {
    return html`<section class="activity-page" data-testid="activity-log" aria-labelledby="activity-title">
      <header class="activity-header">
        <h1 id="activity-title">${t('activity.title')}</h1>
        <p class="muted small">${t('activity.intro')}</p>
      </header>
      ${this.renderFilters()}
      ${this.error ? html`<div class="form-banner" role="alert" data-testid="activity-error">${this.error}</div>` : nothing}
      <div class="activity-scroll">${this.renderBody()}</div>
    </section>`;
  }
}

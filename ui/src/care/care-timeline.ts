// <clientele-care-timeline>: a customer's timeline in the detail drawer — follow-up records (done
// activities with their outcome), planned and cancelled activities, and history entries, in time
// order, filtered by kind with chips and paged with "load more". Planned activities can be marked
// done, rescheduled or cancelled from here; "Schedule care" plans a new one for this customer.

import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';

import type { Actor } from '../bindings/Actor';
import type { Customer } from '../bindings/Customer';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import { BaseElement } from '../components/base';
import { errorText, t, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import './care-dialogs';
import type { ClienteleCareDialogs } from './care-dialogs';
import './care.css';
import { CARE_CHANGED, iconBan, iconCheck, iconClock, iconHistory, typeBadge } from './shared';
import { formatDue, formatInstant } from './time';
import { timelineKey } from './timeline-model';
import type { CareActivity, TimelineEntry, TimelineKind } from './types';

export const TIMELINE_PAGE = 20;

export const TIMELINE_KINDS: readonly TimelineKind[] = ['followup', 'planned', 'cancelled', 'history'];

const KIND_LABELS: Record<TimelineKind, MessageKey> = {
  followup: 'care.kind.followup',
  planned: 'care.kind.planned',
  cancelled: 'care.kind.cancelled',
  history: 'care.kind.history',
};

/** What one activity entry is (the chips name the kinds in the plural). */
const STATE_LABELS: Record<Exclude<TimelineKind, 'history'>, MessageKey> = {
  followup: 'care.state.done',
  planned: 'care.state.planned',
  cancelled: 'care.state.cancelled',
};

@customElement('clientele-care-timeline')
export class ClienteleCareTimeline extends BaseElement {
  @property({ attribute: false }) customer: Customer | null = null;
  @property({ attribute: false }) actor: Actor | null = null;
  /** How the host shows a history entry (the drawer's own lines); a plain line otherwise. */
  @property({ attribute: false }) renderHistory: ((h: HistoryEntry) => TemplateResult) | null = null;
  /** The kinds shown; empty: all. */
  @state() private kinds: TimelineKind[] = [];
  @state() private entries: TimelineEntry[] = [];
  @state() private done = false;
  @state() private loading = false;
  @state() private error = '';
  @query('clientele-care-dialogs') private dialogs!: ClienteleCareDialogs;
  private seq = 0;

  private onChanged = (): void => void this.reload();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(CARE_CHANGED, this.onChanged);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(CARE_CHANGED, this.onChanged);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customer')) {
      const prev = changed.get('customer') as Customer | null | undefined;
      if (prev?.id !== this.customer?.id) this.kinds = [];
      // A reload of the same customer (after an edit) reloads the timeline too: history grew.
      void this.reload();
    }
  }

  /** The first page again. */
  async reload(): Promise<void> {
    const c = this.customer;
    if (!c) return;
    const seq = ++this.seq;
    this.loading = true;
    try {
      const page = await ipc.careTimeline(c.id, this.kinds, null, TIMELINE_PAGE);
      if (seq !== this.seq) return;
      this.entries = page;
      this.done = page.length < TIMELINE_PAGE;
      this.error = '';
    } catch (e) {
      if (seq === this.seq) this.error = errorText(ipc.toApiError(e).body);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  private async loadMore(): Promise<void> {
    const c = this.customer;
    const last = this.entries[this.entries.length - 1];
    if (!c || !last || this.loading) return;
    const seq = ++this.seq;
    this.loading = true;
    try {
      const more = await ipc.careTimeline(c.id, this.kinds, last.cursor, TIMELINE_PAGE);
      if (seq !== this.seq) return;
      const seen = new Set(this.entries.map(timelineKey));
      this.entries = [...this.entries, ...more.filter((e) => !seen.has(timelineKey(e)))];
      this.done = more.length < TIMELINE_PAGE;
    } catch (e) {
      if (seq === this.seq) this.error = errorText(ipc.toApiError(e).body);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  private toggleKind(kind: TimelineKind | null): void {
    if (kind === null) this.kinds = [];
    else {
      const on = new Set(this.kinds);
      if (on.has(kind)) on.delete(kind);
      else on.add(kind);
      // Every kind ticked is the same as none: "All".
      this.kinds = on.size === TIMELINE_KINDS.length ? [] : TIMELINE_KINDS.filter((k) => on.has(k));
    }
    void this.reload();
  }

  /** Schedule an activity for this customer (the drawer's "Schedule care"). */
  async schedule(): Promise<void> {
    const c = this.customer;
    if (!c) return;
    await this.dialogs.schedule({ id: c.id, code: c.code, name: c.name, owner_name: c.owner_name });
  }

  private renderChips() {
    const all = this.kinds.length === 0;
    return html`<div class="care-chips care-timeline-chips" role="group" aria-label=${t('care.timeline.filter')}>
      <button type="button" class="care-chip ${all ? 'active' : ''}" data-testid="timeline-chip-all" aria-pressed=${all ? 'true' : 'false'}
        @click=${() => this.toggleKind(null)}>${t('care.kind.all')}</button>
      ${TIMELINE_KINDS.map((k) => {
        const on = this.kinds.includes(k);
        return html`<button type="button" class="care-chip ${on ? 'active' : ''}" data-testid="timeline-chip-${k}" aria-pressed=${on ? 'true' : 'false'}
          @click=${() => this.toggleKind(k)}>${t(KIND_LABELS[k])}</button>`;
      })}
    </div>`;
  }

  private renderActivity(kind: Exclude<TimelineKind, 'history'>, a: CareActivity, at: string) {
    const icon = kind === 'followup' ? iconCheck(14) : kind === 'cancelled' ? iconBan(14) : iconClock(14);
    const who = a.assignee_name ?? t('care.unassigned');
    return html`<li class="care-tl-entry care-tl-${kind} ${a.overdue && kind === 'planned' ? 'is-overdue' : ''}" data-testid="timeline-entry"
      data-kind=${kind} data-id=${a.id}>
      <span class="care-tl-icon" aria-hidden="true">${icon}</span>
      <div class="care-tl-body">
        <div class="care-tl-head">
          ${typeBadge(a.type_id, a.type_name)}
          <span class="care-tl-title" data-testid="timeline-title">${a.title}</span>
          <span class="care-tl-state">${t(STATE_LABELS[kind])}</span>
        </div>
        ${kind === 'followup' && a.outcome ? html`<p class="care-tl-outcome notes" data-testid="timeline-outcome">${a.outcome}</p>` : nothing}
        ${kind === 'cancelled' && a.outcome ? html`<p class="care-tl-outcome notes muted">${a.outcome}</p>` : nothing}
        ${a.notes && kind === 'planned' ? html`<p class="care-tl-notes notes muted small">${a.notes}</p>` : nothing}
        <div class="care-tl-meta muted small">
          ${kind === 'planned'
            ? html`<time datetime=${a.due_at}>${t('care.due_label', { when: formatDue(a) })}</time> · ${who}`
            : html`<time datetime=${at}>${formatInstant(at)}</time> · ${who}`}
        </div>
        ${kind === 'planned' && a.state === 'planned'
          ? html`<div class="care-tl-actions">
              <button type="button" class="button button-small" data-testid="timeline-done" @click=${() => void this.dialogs.complete(a)}>
                ${iconCheck(14)}<span>${t('care.action.done')}</span></button>
              <button type="button" class="button button-small" data-testid="timeline-reschedule" @click=${() => void this.dialogs.reschedule(a)}>
                ${t('care.action.reschedule')}</button>
              <button type="button" class="link-button small" data-testid="timeline-cancel" @click=${() => void this.dialogs.cancel(a)}>
                ${t('care.action.cancel')}</button>
            </div>`
          : nothing}
      </div>
    </li>`;
  }

  private renderEntry(e: TimelineEntry) {
    if (e.activity && e.kind !== 'history') return this.renderActivity(e.kind, e.activity, e.at);
    const h = e.history;
    if (!h) return nothing;
    return html`<li class="care-tl-entry care-tl-history" data-testid="timeline-entry" data-kind="history" data-id=${h.id}>
      <span class="care-tl-icon" aria-hidden="true">${iconHistory(14)}</span>
      <div class="care-tl-body">
        ${this.renderHistory
          ? html`<ol class="history care-tl-history-inner">${this.renderHistory(h)}</ol>`
          : html`<div class="care-tl-head"><span>${h.actor_name ?? ''} · ${h.action}</span></div>
              <div class="care-tl-meta muted small"><time datetime=${h.at}>${formatInstant(h.at)}</time></div>`}
      </div>
    </li>`;
  }

  protected override render() {
    if (!this.customer) return nothing;
    const filtered = this.kinds.length > 0;
    return html`<div class="care-timeline" data-testid="care-timeline" data-loading=${this.loading ? '1' : '0'}>
      <div class="care-timeline-head">
        ${this.renderChips()}
        <span class="spacer"></span>
        ${this.customer.deleted_at
          ? nothing
          : html`<button type="button" class="button button-small button-primary" data-testid="schedule-care" @click=${() => void this.schedule()}>
              + ${t('care.schedule.button')}</button>`}
      </div>
      ${this.error ? html`<div class="form-banner" role="alert" data-testid="timeline-error">${this.error}</div>` : nothing}
      ${this.entries.length
        ? html`<ol class="care-tl">${this.entries.map((e) => this.renderEntry(e))}</ol>`
        : this.loading
          ? html`<p class="muted">${t('common.loading')}</p>`
          : html`<p class="muted" data-testid="timeline-empty">${t(filtered ? 'care.timeline.empty_filtered' : 'care.timeline.empty')}</p>`}
      ${this.done || this.entries.length === 0
        ? nothing
        : html`<button type="button" class="link-button" data-testid="timeline-more" ?disabled=${this.loading}
            @click=${() => void this.loadMore()}>${this.loading ? t('common.loading') : t('common.load_more')}</button>`}
      <clientele-care-dialogs></clientele-care-dialogs>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'clientele-care-timeline': ClienteleCareTimeline;
  }
}

// <clientele-care-dialogs>: the dialogs that change activities — schedule one (for a customer, or
// picking the customer first), mark one done with its outcome and optionally schedule the next in
// the same step, reschedule (date and time pickers, +1 day / +1 week), and cancel (asked first).
// Each method resolves to what the core returned, or null when the user closed the dialog. The
// core checks everything; its errors show under the fields or in the dialog's banner.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { CustomerRow } from '../bindings/CustomerRow';
import type { FieldError } from '../bindings/FieldError';
import { BaseElement, trapTab } from '../components/base';
import { iconClose } from '../components/icons';
import { toast } from '../components/toasts';
import { emptyFilter } from '../grid/filter';
import { errorText, fieldErrorText, t } from '../i18n';
import * as ipc from '../ipc';
import './care-fields';
import { draftErrors, draftInput, emptyDraft, nextDraft, precheckDraft, type CareDraft, type DraftField } from './draft';
import { notifyCareChanged, typeBadge } from './shared';
import { addDays, formatDue, joinDue, localDate, localZone, pickerValue, shiftDue } from './time';
import type { CareActivity, Completed } from './types';

/** The customer an activity is scheduled for. */
export interface CareCustomer {
  id: number;
  code: string;
  name: string;
  owner_name: string | null;
}

type Mode =
  | { kind: 'schedule'; customer: CareCustomer | null; draft: CareDraft }
  | { kind: 'complete'; activity: CareActivity; outcome: string; withNext: boolean; next: CareDraft }
  | { kind: 'reschedule'; activity: CareActivity; date: string; time: string }
  | { kind: 'cancel'; activity: CareActivity; reason: string };

const CUSTOMER_SEARCH_MS = 200;

@customElement('clientele-care-dialogs')
export class ClienteleCareDialogs extends BaseElement {
  @state() private mode: Mode | null = null;
  @state() private busy = false;
  @state() private banner = '';
  @state() private errors = new Map<string, FieldError[]>();
  @state() private customerQuery = '';
  @state() private customerResults: CustomerRow[] = [];
  private resolve: ((v: unknown) => void) | null = null;
  private returnFocus: HTMLElement | null = null;
  private searchTimer: number | undefined;
  private focusOnRender: string | null = null;

  get isOpen(): boolean {
    return this.mode !== null;
  }

  /** Schedule an activity for `customer` (null: the dialog asks which customer first). */
  schedule(customer: CareCustomer | null): Promise<CareActivity | null> {
    return this.open({ kind: 'schedule', customer, draft: emptyDraft({ date: localDate() }) }, customer ? '[data-testid=care-new-type]' : '[data-testid=care-customer-search]');
  }

  /** Mark `activity` done: the outcome is asked for, and the next activity can be scheduled with it. */
  complete(activity: CareActivity): Promise<Completed | null> {
    return this.open(
      { kind: 'complete', activity, outcome: '', withNext: false, next: nextDraft(activity, addDays(localDate(), 7)) },
      '[data-testid=care-outcome]',
    );
  }

  reschedule(activity: CareActivity): Promise<CareActivity | null> {
    const { date, time } = pickerValue(activity);
    return this.open({ kind: 'reschedule', activity, date, time }, '[data-testid=care-reschedule-date]');
  }

  cancel(activity: CareActivity): Promise<CareActivity | null> {
    return this.open({ kind: 'cancel', activity, reason: '' }, '[data-testid=care-cancel-keep]');
  }

  private open<T>(mode: Mode, focus: string): Promise<T | null> {
    this.resolve?.(null);
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.mode = mode;
    this.busy = false;
    this.banner = '';
    this.errors = new Map();
    this.customerQuery = '';
    this.customerResults = [];
    this.focusOnRender = focus;
    return new Promise<T | null>((resolve) => {
      this.resolve = resolve as (v: unknown) => void;
    });
  }

  /** Close, resolving the pending call with `result`. */
  close(result: unknown = null): void {
    const resolve = this.resolve;
    this.resolve = null;
    this.mode = null;
    window.clearTimeout(this.searchTimer);
    if (this.returnFocus?.isConnected) this.returnFocus.focus();
    this.returnFocus = null;
    resolve?.(result);
  }

  protected override updated(): void {
    if (this.mode && this.focusOnRender) {
      const el = this.querySelector<HTMLElement>(this.focusOnRender);
      this.focusOnRender = null;
      el?.focus();
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    // Nothing typed in a dialog reaches the app's or the list's shortcuts.
    e.stopPropagation();
    if (trapTab(e, e.currentTarget as HTMLElement)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.submit();
    }
  };

  private fail(e: unknown, prefix = ''): void {
    const err = ipc.toApiError(e);
    const { fields, other } = draftErrors(err.fields, prefix);
    const map = new Map<string, FieldError[]>();
    for (const [k, v] of fields) map.set(`${prefix}${k}`, v);
    for (const fe of other) map.set(fe.field, [...(map.get(fe.field) ?? []), fe]);
    this.errors = map;
    // Errors with no field of their own in this dialog go to the banner.
    const shown = new Set(['outcome', 'due', 'reason']);
    const loose = other.filter((fe) => !shown.has(fe.field));
    this.banner = [errorText(err.body), ...loose.map((fe) => fieldErrorText(fe))].join(' ');
  }

  private draftErrorMap(prefix: string): Map<DraftField, FieldError[]> {
    const out = new Map<DraftField, FieldError[]>();
    for (const [k, v] of this.errors) if (k.startsWith(prefix)) out.set(k.slice(prefix.length) as DraftField, v);
    return out;
  }

  private fieldError(key: string) {
    const errs = this.errors.get(key);
    if (!errs?.length) return nothing;
    return html`<div class="field-error" role="alert" data-testid="care-error-${key}">${errs.map((e) => fieldErrorText(e)).join(' ')}</div>`;
  }

  async submit(): Promise<void> {
    const m = this.mode;
    if (!m || this.busy) return;
    this.banner = '';
    switch (m.kind) {
      case 'schedule': {
        if (!m.customer) {
          this.errors = new Map([['customer', [{ field: 'customer', code: 'required', value: null }]]]);
          this.focusOnRender = '[data-testid=care-customer-search]';
          return;
        }
        const pre = precheckDraft(m.draft);
        if (pre.length) return this.showPre(pre, '');
        await this.run(async () => {
          const a = await ipc.careSchedule(m.customer!.id, draftInput(m.draft));
          toast(t('care.toast.scheduled', { title: a.title }), 'success');
          return a;
        });
        return;
      }
      case 'complete': {
        if (m.outcome.trim() === '') {
          this.errors = new Map([['outcome', [{ field: 'outcome', code: 'required', value: null }]]]);
          this.focusOnRender = '[data-testid=care-outcome]';
          return;
        }
        if (m.withNext) {
          const pre = precheckDraft(m.next);
          if (pre.length) return this.showPre(pre, 'next.');
        }
        await this.run(async () => {
          const next = m.withNext ? draftInput(m.next) : null;
          const done = await ipc.careComplete(m.activity.id, m.outcome, next);
          toast(done.next ? t('care.toast.done_next', { title: done.next.title }) : t('care.toast.done', { title: done.done.title }), 'success');
          return done;
        }, 'next.');
        return;
      }
      case 'reschedule': {
        const due = joinDue(m.date, m.time);
        if (!due) {
          this.errors = new Map([['due', [{ field: 'due', code: 'required', value: null }]]]);
          return;
        }
        await this.run(async () => {
          const a = await ipc.careReschedule(m.activity.id, due, localZone());
          toast(t('care.toast.rescheduled', { title: a.title, when: formatDue(a) }), 'success');
          return a;
        });
        return;
      }
      case 'cancel':
        await this.run(async () => {
          const a = await ipc.careCancel(m.activity.id, m.reason.trim() === '' ? null : m.reason);
          toast(t('care.toast.cancelled', { title: a.title }), 'success');
          return a;
        });
        return;
    }
  }

  private showPre(pre: FieldError[], prefix: string): void {
    this.errors = new Map(pre.map((fe) => [`${prefix}${fe.field}`, [fe]]));
    this.banner = '';
  }

  private async run(fn: () => Promise<unknown>, prefix = ''): Promise<void> {
    this.busy = true;
    this.errors = new Map();
    try {
      const result = await fn();
      notifyCareChanged();
      this.busy = false;
      this.close(result);
    } catch (e) {
      this.busy = false;
      this.fail(e, prefix);
    }
  }

  // --- customer picker (scheduling from the Care view) ---

  private onCustomerInput(value: string): void {
    this.customerQuery = value;
    window.clearTimeout(this.searchTimer);
    if (value.trim().length < 2) {
      this.customerResults = [];
      return;
    }
    this.searchTimer = window.setTimeout(() => void this.searchCustomers(value), CUSTOMER_SEARCH_MS);
  }

  private async searchCustomers(q: string): Promise<void> {
    try {
      const page = await ipc.listCustomers({ search: q, filter: emptyFilter(), sort: 'name', desc: false, trash: false, after: null, offset: null, limit: 8 });
      if (q === this.customerQuery) this.customerResults = page.rows;
    } catch (e) {
      this.customerResults = [];
      this.banner = errorText(ipc.toApiError(e).body);
    }
  }

  private pickCustomer(r: CustomerRow | null): void {
    const m = this.mode;
    if (m?.kind !== 'schedule') return;
    this.mode = { ...m, customer: r ? { id: r.id, code: r.code, name: r.name, owner_name: r.owner_name } : null };
    this.errors = new Map([...this.errors].filter(([k]) => k !== 'customer'));
    this.customerQuery = '';
    this.customerResults = [];
    this.focusOnRender = r ? '[data-testid=care-new-type]' : '[data-testid=care-customer-search]';
  }

  private setDraft(draft: CareDraft, prefix: string): void {
    const m = this.mode;
    if (m?.kind === 'schedule') this.mode = { ...m, draft };
    else if (m?.kind === 'complete') this.mode = { ...m, next: draft };
    this.errors = new Map([...this.errors].filter(([k]) => !k.startsWith(prefix) || k === 'outcome'));
  }

  // --- rendering ---

  private activityLine(a: CareActivity) {
    return html`<div class="care-dialog-activity" data-testid="care-dialog-activity">
      ${typeBadge(a.type_id, a.type_name)}
      <strong class="care-dialog-title">${a.title}</strong>
      <span class="muted">${a.customer_code} · ${a.customer_name}</span>
      <span class="muted small care-dialog-due">${t('care.due_label', { when: formatDue(a) })}</span>
    </div>`;
  }

  private renderCustomerPicker(customer: CareCustomer | null) {
    if (customer) {
      return html`<div class="field">
        <span class="field-label">${t('care.field.customer')}</span>
        <div class="picked" data-testid="care-customer-picked" data-id=${customer.id}>
          <span class="code-badge">${customer.code}</span><span class="picked-name">${customer.name}</span>
          <button type="button" class="link-button" data-testid="care-customer-clear" @click=${() => this.pickCustomer(null)}>${t('care.change')}</button>
        </div>
      </div>`;
    }
    return html`<div class="field">
      <label for="care-customer-search">${t('care.field.customer')} <span class="req" title=${t('common.required')}>*</span></label>
      <div class="combo">
        <input id="care-customer-search" type="search" data-testid="care-customer-search" autocomplete="off"
          placeholder=${t('care.field.customer_search')} .value=${live(this.customerQuery)}
          aria-invalid=${this.errors.has('customer') ? 'true' : 'false'}
          @input=${(e: Event) => this.onCustomerInput((e.target as HTMLInputElement).value)} />
        ${this.customerResults.length
          ? html`<ul class="combo-list" role="listbox" aria-label=${t('care.field.customer')}>
              ${this.customerResults.map(
                (row) => html`<li role="option" aria-selected="false">
                  <button type="button" class="combo-option" data-testid="care-customer-option" data-id=${row.id} @click=${() => this.pickCustomer(row)}>
                    <span class="mono">${row.code}</span> <span>${row.name}</span>
                    ${row.owner_name ? html`<span class="muted small">${row.owner_name}</span>` : nothing}
                  </button>
                </li>`,
              )}
            </ul>`
          : this.customerQuery.trim().length >= 2
            ? html`<div class="field-hint">${t('care.field.customer_none')}</div>`
            : nothing}
      </div>
      ${this.errors.has('customer') ? html`<div class="field-error" role="alert">${t('care.field.customer_required')}</div>` : nothing}
    </div>`;
  }

  private renderBody(m: Mode) {
    switch (m.kind) {
      case 'schedule':
        return html`${this.renderCustomerPicker(m.customer)}
          <clientele-care-fields .idPrefix=${'care-new'} .draft=${m.draft} .errors=${this.draftErrorMap('')} .ownerName=${m.customer?.owner_name ?? ''}
            @draft-change=${(e: CustomEvent<CareDraft>) => this.setDraft(e.detail, '')}></clientele-care-fields>`;
      case 'complete':
        return html`${this.activityLine(m.activity)}
          <div class="field">
            <label for="care-outcome">${t('care.field.outcome')} <span class="req" title=${t('common.required')}>*</span></label>
            <textarea id="care-outcome" rows="3" data-testid="care-outcome" .value=${live(m.outcome)}
              placeholder=${t('care.field.outcome_placeholder')} aria-invalid=${this.errors.has('outcome') ? 'true' : 'false'}
              @input=${(e: Event) => {
                if (this.mode?.kind === 'complete') this.mode = { ...this.mode, outcome: (e.target as HTMLTextAreaElement).value };
                this.errors = new Map([...this.errors].filter(([k]) => k !== 'outcome'));
              }}></textarea>
            ${this.fieldError('outcome')}
          </div>
          <label class="check-field care-next-toggle">
            <input type="checkbox" data-testid="care-with-next" .checked=${live(m.withNext)}
              @change=${(e: Event) => {
                if (this.mode?.kind === 'complete') this.mode = { ...this.mode, withNext: (e.target as HTMLInputElement).checked };
                if ((e.target as HTMLInputElement).checked) this.focusOnRender = '[data-testid=care-next-date]';
              }} />
            <span>${t('care.complete.schedule_next')}</span>
          </label>
          ${m.withNext
            ? html`<div class="care-next" data-testid="care-next">
                <clientele-care-fields .idPrefix=${'care-next'} compact .draft=${m.next} .errors=${this.draftErrorMap('next.')}
                  @draft-change=${(e: CustomEvent<CareDraft>) => this.setDraft(e.detail, 'next.')}></clientele-care-fields>
              </div>`
            : nothing}`;
      case 'reschedule': {
        const set = (date: string, time: string) => {
          if (this.mode?.kind === 'reschedule') this.mode = { ...this.mode, date, time };
          this.errors = new Map();
        };
        const plus = (days: number) => {
          const s = shiftDue(joinDue(m.date, m.time) ?? m.activity.due_local, days);
          set(s.date, s.time);
        };
        return html`${this.activityLine(m.activity)}
          <div class="form-grid">
            <div class="field">
              <label for="care-reschedule-date">${t('care.field.date')}</label>
              <input id="care-reschedule-date" type="date" data-testid="care-reschedule-date" .value=${live(m.date)}
                aria-invalid=${this.errors.has('due') ? 'true' : 'false'}
                @input=${(e: Event) => set((e.target as HTMLInputElement).value, m.time)}
                @change=${(e: Event) => set((e.target as HTMLInputElement).value, this.mode?.kind === 'reschedule' ? this.mode.time : m.time)} />
              ${this.fieldError('due')}
            </div>
            <div class="field">
              <label for="care-reschedule-time">${t('care.field.time')}</label>
              <input id="care-reschedule-time" type="time" data-testid="care-reschedule-time" .value=${live(m.time)}
                @input=${(e: Event) => set(m.date, (e.target as HTMLInputElement).value)}
                @change=${(e: Event) => set(this.mode?.kind === 'reschedule' ? this.mode.date : m.date, (e.target as HTMLInputElement).value)} />
              <div class="field-hint">${m.time ? t('care.field.time_hint') : t('care.field.all_day_hint')}</div>
            </div>
          </div>
          <div class="care-chips" role="group" aria-label=${t('care.field.quick')}>
            <button type="button" class="care-chip" data-testid="care-plus-day" @click=${() => plus(1)}>${t('care.quick.plus_day')}</button>
            <button type="button" class="care-chip" data-testid="care-plus-week" @click=${() => plus(7)}>${t('care.quick.plus_week')}</button>
          </div>`;
      }
      case 'cancel':
        return html`${this.activityLine(m.activity)}
          <p class="dialog-text">${t('care.cancel.body')}</p>
          <div class="field">
            <label for="care-cancel-reason">${t('care.field.reason')}</label>
            <input id="care-cancel-reason" data-testid="care-cancel-reason" .value=${live(m.reason)}
              @input=${(e: Event) => {
                if (this.mode?.kind === 'cancel') this.mode = { ...this.mode, reason: (e.target as HTMLInputElement).value };
              }} />
            ${this.fieldError('reason')}
          </div>`;
    }
  }

  protected override render() {
    const m = this.mode;
    if (!m) return nothing;
    const titles = {
      schedule: t('care.schedule.title'),
      complete: t('care.complete.title'),
      reschedule: t('care.reschedule.title'),
      cancel: t('care.cancel.title'),
    } as const;
    const ok = {
      schedule: t('care.schedule.ok'),
      complete: m.kind === 'complete' && m.withNext ? t('care.complete.ok_next') : t('care.complete.ok'),
      reschedule: t('care.reschedule.ok'),
      cancel: t('care.cancel.ok'),
    } as const;
    const small = m.kind === 'cancel';
    return html`<div class="overlay overlay-top care-overlay" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <form class="dialog ${small ? 'dialog-small' : 'dialog-medium'} care-dialog" role=${small ? 'alertdialog' : 'dialog'} aria-modal="true"
        aria-labelledby="care-dialog-title" data-testid="care-dialog" data-kind=${m.kind} novalidate @keydown=${this.onKey}
        @submit=${(e: Event) => {
          e.preventDefault();
          void this.submit();
        }}>
        ${small
          ? html`<h2 class="dialog-title" id="care-dialog-title">${titles[m.kind]}</h2>`
          : html`<header class="dialog-header">
              <h2 class="dialog-title" id="care-dialog-title">${titles[m.kind]}</h2>
              <button type="button" class="icon-button" aria-label=${t('common.close')} @click=${() => this.close()}>${iconClose(16)}</button>
            </header>`}
        <div class=${small ? 'care-dialog-small-body' : 'dialog-body care-dialog-body'}>
          ${this.banner ? html`<div class="form-banner" role="alert" data-testid="care-dialog-error">${this.banner}</div>` : nothing}
          ${this.renderBody(m)}
        </div>
        <footer class=${small ? 'dialog-actions' : 'dialog-footer'}>
          ${small ? nothing : html`<span class="muted small">${t('care.dialog.shortcut')}</span><span class="spacer"></span>`}
          <button type="button" class="button" data-testid=${m.kind === 'cancel' ? 'care-cancel-keep' : 'care-dialog-cancel'}
            @click=${() => this.close()}>${m.kind === 'cancel' ? t('care.cancel.keep') : t('common.cancel')}</button>
          <button type="submit" class="button ${m.kind === 'cancel' ? 'button-danger' : 'button-primary'}" data-testid="care-dialog-ok" ?disabled=${this.busy}>
            ${this.busy ? t('common.saving') : ok[m.kind]}</button>
        </footer>
      </form>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'clientele-care-dialogs': ClienteleCareDialogs;
  }
}

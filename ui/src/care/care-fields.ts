// <clientele-care-fields>: the fields of one planned activity — type, title, due date and time
// (with quick picks), assignee, duration and notes. Used by the "Schedule care" dialog, by
// "schedule next" when completing, and by the new-customer form. Fires `draft-change` with the
// whole draft; the host keeps it and shows the core's errors through `errors`.

import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { FieldError } from '../bindings/FieldError';
import { BaseElement } from '../components/base';
import { fieldErrorText, t } from '../i18n';
import { ref } from '../ref-data';
import type { CareDraft, DraftField } from './draft';
import { careTypes } from './shared';
import { addDays, localDate } from './time';
import './care.css';

@customElement('clientele-care-fields')
export class ClienteleCareFields extends BaseElement {
  @property({ attribute: false }) draft!: CareDraft;
  /** Prefix of every data-testid and element id (several sets can be on screen). */
  @property() idPrefix = 'care';
  @property({ attribute: false }) errors: ReadonlyMap<DraftField, FieldError[]> = new Map();
  /** The name shown for "no assignee" (the customer's owner), when known. */
  @property() ownerName = '';
  /** Set: each input carries `data-error-key="<prefix><field>"` (the customer form focuses the first error by it). */
  @property() errorKeyPrefix = '';
  /** Hide duration and notes (the compact form of "schedule next"). */
  @property({ type: Boolean }) compact = false;

  /** The draft as last sent up, until the host hands it back (two changes in one task both count). */
  private sent: CareDraft | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('draft')) this.sent = null;
  }

  private set(patch: Partial<CareDraft>): void {
    this.sent = { ...(this.sent ?? this.draft), ...patch };
    this.dispatchEvent(new CustomEvent<CareDraft>('draft-change', { detail: this.sent, bubbles: true }));
  }

  private error(field: DraftField) {
    const errs = this.errors.get(field);
    if (!errs?.length) return nothing;
    return html`<div class="field-error" role="alert" data-testid="${this.idPrefix}-error-${field}">${errs.map((e) => fieldErrorText(e)).join(' ')}</div>`;
  }

  private key(field: DraftField) {
    return this.errorKeyPrefix ? `${this.errorKeyPrefix}${field}` : nothing;
  }

  private invalid(field: DraftField): 'true' | 'false' {
    return this.errors.has(field) ? 'true' : 'false';
  }

  private quick(label: string, testid: string, date: string) {
    return html`<button type="button" class="care-chip ${this.draft.date === date ? 'active' : ''}" data-testid="${this.idPrefix}-${testid}"
      aria-pressed=${this.draft.date === date ? 'true' : 'false'} @click=${() => this.set({ date })}>${label}</button>`;
  }

  protected override render() {
    const d = this.draft;
    if (!d) return nothing;
    const p = this.idPrefix;
    const types = careTypes([d.type_id]);
    const today = localDate();
    return html`<div class="form-grid care-fields">
      <div class="field">
        <label for="${p}-type">${t('care.field.type')} <span class="req" title=${t('common.required')}>*</span></label>
        <select id="${p}-type" data-testid="${p}-type" data-error-key=${this.key('type_id')} aria-invalid=${this.invalid('type_id')}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.set({ type_id: v === '' ? null : Number(v) });
          }}>
          <option value="" ?selected=${d.type_id === null}>${t('care.field.type_pick')}</option>
          ${types.map((i) => html`<option value=${i.id} ?selected=${d.type_id === i.id}>${i.name}</option>`)}
        </select>
        ${types.length === 0 ? html`<div class="field-hint">${t('care.field.no_types')}</div>` : nothing}
        ${this.error('type_id')}
      </div>
      <div class="field">
        <label for="${p}-title">${t('care.field.title')}</label>
        <input id="${p}-title" data-testid="${p}-title" data-error-key=${this.key('title')} .value=${live(d.title)} aria-invalid=${this.invalid('title')}
          placeholder=${d.type_id !== null ? ref.itemName(d.type_id) : t('care.field.title_placeholder')}
          @input=${(e: Event) => this.set({ title: (e.target as HTMLInputElement).value })} />
        ${this.error('title')}
      </div>
      <div class="field">
        <label for="${p}-date">${t('care.field.date')} <span class="req" title=${t('common.required')}>*</span></label>
        <input id="${p}-date" type="date" data-testid="${p}-date" data-error-key=${this.key('due')} .value=${live(d.date)} aria-invalid=${this.invalid('due')}
          @input=${(e: Event) => this.set({ date: (e.target as HTMLInputElement).value })}
          @change=${(e: Event) => this.set({ date: (e.target as HTMLInputElement).value })} />
        <div class="care-chips" role="group" aria-label=${t('care.field.quick')}>
          ${this.quick(t('care.quick.today'), 'today', today)} ${this.quick(t('care.quick.tomorrow'), 'tomorrow', addDays(today, 1))}
          ${this.quick(t('care.quick.next_week'), 'next-week', addDays(today, 7))}
        </div>
        ${this.error('due')}
      </div>
      <div class="field">
        <label for="${p}-time">${t('care.field.time')}</label>
        <input id="${p}-time" type="time" data-testid="${p}-time" .value=${live(d.time)}
          @input=${(e: Event) => this.set({ time: (e.target as HTMLInputElement).value })}
          @change=${(e: Event) => this.set({ time: (e.target as HTMLInputElement).value })} />
        <div class="field-hint">${d.time ? t('care.field.time_hint') : t('care.field.all_day_hint')}</div>
      </div>
      <div class="field">
        <label for="${p}-assignee">${t('care.field.assignee')}</label>
        <select id="${p}-assignee" data-testid="${p}-assignee" data-error-key=${this.key('assignee_id')} aria-invalid=${this.invalid('assignee_id')}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            this.set({ assignee_id: v === '' ? null : Number(v) });
          }}>
          <option value="" ?selected=${d.assignee_id === null}>
            ${this.ownerName ? t('care.field.owner_named', { name: this.ownerName }) : t('care.field.owner')}</option>
          ${ref.staffOptions([d.assignee_id]).map(
            (s) => html`<option value=${s.id} ?selected=${d.assignee_id === s.id}>${s.active ? s.name : `${s.name} (${t('staff.inactive')})`}</option>`,
          )}
        </select>
        ${this.error('assignee_id')}
      </div>
      ${this.compact
        ? nothing
        : html`<div class="field">
              <label for="${p}-duration">${t('care.field.duration')}</label>
              <input id="${p}-duration" type="number" min="0" step="5" inputmode="numeric" data-testid="${p}-duration" data-error-key=${this.key('duration_min')}
                .value=${live(d.duration)} aria-invalid=${this.invalid('duration_min')}
                @input=${(e: Event) => this.set({ duration: (e.target as HTMLInputElement).value })} />
              ${this.error('duration_min')}
            </div>
            <div class="field field-wide">
              <label for="${p}-notes">${t('care.field.notes')}</label>
              <textarea id="${p}-notes" rows="2" data-testid="${p}-notes" data-error-key=${this.key('notes')} .value=${live(d.notes)} aria-invalid=${this.invalid('notes')}
                @input=${(e: Event) => this.set({ notes: (e.target as HTMLTextAreaElement).value })}></textarea>
              ${this.error('notes')}
            </div>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'clientele-care-fields': ClienteleCareFields;
  }
}

// New / edit customer dialog, in sections (General, Classification, Marketing, Products & services,
// Billing, Contacts, Referral). The core validates; its field errors show under the right inputs,
// and a customer that matches others by the duplicate rules shows the matches.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { Actor } from '../bindings/Actor';
import type { CatalogKind } from '../bindings/CatalogKind';
import type { Customer } from '../bindings/Customer';
import type { CustomerKind } from '../bindings/CustomerKind';
import type { CustomerRow } from '../bindings/CustomerRow';
import type { DuplicateMatch } from '../bindings/DuplicateMatch';
import type { FieldError } from '../bindings/FieldError';
import type { Gender } from '../bindings/Gender';
import {
  SECTIONS,
  buildInput,
  emptyContact,
  emptyEntity,
  emptyForm,
  fromCustomer,
  isFormField,
  mapFieldErrors,
  precheck,
  sectionOf,
  type ContactState,
  type EntityState,
  type FormState,
  type SectionId,
} from '../forms/customer-form-model';
import { errorText, fieldErrorText, formatDateTime, t, tn, type MessageKey } from '../i18n';
import { emptyFilter } from '../grid/filter';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import '../care/care-schedule-section';
import type { ClienteleCareScheduleSection } from '../care/care-schedule-section';
import { BaseElement, trapTab } from './base';
import './duplicate-list';
import { iconClose } from './icons';
import './multi-select';
import type { MultiOption } from './multi-select';
import { toast, toastError } from './toasts';

type TextField = 'code' | 'name' | 'address' | 'tax_code' | 'website' | 'birthday' | 'founded_on' | 'notes' | 'referrer_supplier';

const SECTION_LABELS: Record<SectionId, MessageKey> = {
  general: 'section.general',
  classification: 'section.classification',
  marketing: 'section.marketing',
  products: 'section.products',
  billing: 'section.billing',
  contacts: 'section.contacts',
  referral: 'section.referral',
  care: 'care.form.section',
};

const DUPLICATE_CHECK_MS = 500;
const REFERRER_SEARCH_MS = 200;

interface DuplicateState {
  matches: DuplicateMatch[];
  blocking: boolean;
  /** From the save (offers "Save anyway" when not blocking) or from the live hint (list only). */
  fromSave: boolean;
}

@customElement('clientele-customer-form')
export class ClienteleCustomerForm extends BaseElement {
  /** The signed-in staff member: a new customer's owner by default. */
  @property({ attribute: false }) actor: Actor | null = null;
  @state() private open = false;
  @state() private editing: Customer | null = null;
  @state() private form: FormState = emptyForm();
  @state() private errors = new Map<string, FieldError[]>();
  @state() private banner = '';
  @state() private saving = false;
  @state() private section: SectionId = 'general';
  @state() private duplicates: DuplicateState | null = null;
  /** Live hint: customers the form currently matches. */
  @state() private hint: DuplicateMatch[] = [];
  @state() private referrerQuery = '';
  @state() private referrerResults: CustomerRow[] = [];
  /** What happens to the photo when the form is saved. */
  @state() private photoAction: 'keep' | 'pending' | 'remove' = 'keep';
  @state() private pendingPhotoName = '';
  private offDrop: (() => void) | null = null;
  private returnFocus: HTMLElement | null = null;
  private focusOnRender: string | null = null;
  private hintTimer: number | undefined;
  private hintKey = '';
  private hintSeq = 0;
  private referrerTimer: number | undefined;

  get isOpen(): boolean {
    return this.open;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void ipc.onFileDropped(() => {
      if (this.open && !this.duplicates) void this.useDroppedPhoto();
    }).then((off) => {
      if (this.isConnected) this.offDrop = off;
      else off();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offDrop?.();
    this.offDrop = null;
  }

  async openNew(): Promise<void> {
    this.show(null, { ...emptyForm(), owner_id: this.actor?.staff_id ?? null });
    try {
      const code = await ipc.nextCustomerCode();
      if (this.open && !this.editing && this.form.code === '') this.form = { ...this.form, code };
    } catch {
      // The core generates a code when none is given.
    }
  }

  openEdit(customer: Customer): void {
    this.show(customer, fromCustomer(customer));
  }

  close(): void {
    this.open = false;
    this.duplicates = null;
    window.clearTimeout(this.hintTimer);
    window.clearTimeout(this.referrerTimer);
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  private show(editing: Customer | null, form: FormState): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.editing = editing;
    this.form = form;
    this.errors = new Map();
    this.banner = '';
    this.saving = false;
    this.section = 'general';
    this.duplicates = null;
    this.hint = [];
    this.hintKey = this.duplicateKey(form);
    this.referrerQuery = '';
    this.referrerResults = [];
    this.photoAction = 'keep';
    this.pendingPhotoName = '';
    this.open = true;
    this.focusOnRender = '[data-testid=field-name]';
  }

  /** Show field errors (exposed for tests): keyed by the form's fields, the rest in the banner. */
  applyErrors(fieldErrors: FieldError[], built?: Parameters<typeof mapFieldErrors>[1], message?: string): void {
    const mapped = mapFieldErrors(fieldErrors, built);
    const shown = new Map<string, FieldError[]>();
    const other: string[] = [];
    for (const [key, errs] of mapped) {
      if (isFormField(key, this.form)) shown.set(key, errs);
      else other.push(...errs.map((e) => `${e.field}: ${fieldErrorText(e)}`));
    }
    this.errors = shown;
    this.banner = [message ?? t('form.fix_errors'), ...other].join(' ');
    const first = [...shown.keys()][0];
    if (first) {
      const section = sectionOf(first);
      if (section) this.section = section;
      this.focusOnRender = `[data-error-key="${first}"]`;
    }
  }

  private async save(allowDuplicate = false): Promise<void> {
    if (this.saving) return;
    const careSection = this.querySelector<ClienteleCareScheduleSection>('clientele-care-schedule-section');
    const pre = [...precheck(this.form), ...(this.editing ? [] : (careSection?.precheck() ?? []))];
    if (pre.length) {
      this.applyErrors(pre);
      return;
    }
    const built = buildInput(this.form, allowDuplicate);
    // New customers only: the activity of "Schedule care" is created with the customer.
    if (!this.editing) built.input.schedule = careSection?.input() ?? null;
    this.saving = true;
    this.banner = '';
    try {
      let saved = this.editing
        ? await ipc.updateCustomer(this.editing.id, built.input)
        : await ipc.createCustomer(built.input);
      toast(t(this.editing ? 'toast.updated' : 'toast.created', { code: saved.code }), 'success');
      saved = await this.applyPhoto(saved);
      this.dispatchEvent(new CustomEvent<Customer>('saved', { detail: saved, bubbles: true }));
      this.close();
    } catch (e) {
      const err = ipc.toApiError(e);
      if (err.code === 'customer.duplicate') {
        this.errors = new Map();
        this.duplicates = {
          matches: err.body.details?.matches ?? [],
          blocking: err.body.details?.blocking ?? true,
          fromSave: true,
        };
      } else if (err.fields.length) this.applyErrors(err.fields, built, errorText(err.body));
      else {
        this.errors = new Map();
        this.banner = errorText(err.body);
      }
    } finally {
      this.saving = false;
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    if (this.duplicates) return;
    if (trapTab(e, e.currentTarget as HTMLElement)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      e.stopPropagation();
      void this.save();
    }
  };

  private clearError(key: string): void {
    if (!this.errors.has(key)) return;
    const next = new Map(this.errors);
    next.delete(key);
    this.errors = next;
  }

  private set<K extends keyof FormState>(key: K, value: FormState[K]): void {
    this.form = { ...this.form, [key]: value };
    this.clearError(key as string);
    this.scheduleHint();
  }

  private setItem(list: 'phones' | 'emails', i: number, value: string): void {
    const items = [...this.form[list]];
    items[i] = value;
    this.set(list, items);
    this.clearError(`${list}.${i}`);
  }

  private addItem(list: 'phones' | 'emails'): void {
    this.set(list, [...this.form[list], '']);
    this.focusOnRender = `[data-testid=field-${list === 'phones' ? 'phone' : 'email'}-${this.form[list].length - 1}]`;
  }

  private removeItem(list: 'phones' | 'emails', i: number): void {
    const items = this.form[list].filter((_, j) => j !== i);
    this.set(list, items.length ? items : ['']);
    // Errors of list items are keyed by position: drop them rather than show them on the wrong input.
    this.errors = new Map([...this.errors].filter(([k]) => !k.startsWith(`${list}.`)));
  }

  /** Rows of contacts / legal entities: errors are keyed by position, so a removal drops them. */
  private setRows<K extends 'contacts' | 'legal_entities'>(key: K, rows: FormState[K], removed = false): void {
    this.form = { ...this.form, [key]: rows };
    if (removed) this.errors = new Map([...this.errors].filter(([k]) => !k.startsWith(`${key}.`) && k !== key));
    else this.clearError(key);
  }

  private setContact(i: number, patch: Partial<ContactState>, field?: string): void {
    let rows = this.form.contacts.map((c, j) => (j === i ? { ...c, ...patch } : c));
    if (patch.primary) rows = rows.map((c, j) => ({ ...c, primary: j === i }));
    this.setRows('contacts', rows);
    if (field) this.clearError(`contacts.${i}.${field}`);
    this.clearError(`contacts.${i}`);
  }

  private setEntity(i: number, patch: Partial<EntityState>, field: string): void {
    this.setRows('legal_entities', this.form.legal_entities.map((e, j) => (j === i ? { ...e, ...patch } : e)));
    this.clearError(`legal_entities.${i}.${field}`);
  }

  // --- photo: picked (native dialog) or dropped; the shell keeps the file until the save ---

  private async pickPhoto(): Promise<void> {
    try {
      const name = await ipc.pickPhoto();
      if (name) {
        this.photoAction = 'pending';
        this.pendingPhotoName = name;
      }
    } catch (e) {
      this.banner = errorText(ipc.toApiError(e).body);
    }
  }

  private async useDroppedPhoto(): Promise<void> {
    try {
      const name = await ipc.takeDroppedPhoto();
      if (name) {
        this.photoAction = 'pending';
        this.pendingPhotoName = name;
      }
    } catch (e) {
      this.banner = errorText(ipc.toApiError(e).body);
    }
  }

  /** After the customer is saved: set or remove its photo. A refused photo does not undo the save. */
  private async applyPhoto(saved: Customer): Promise<Customer> {
    if (this.photoAction === 'keep') return saved;
    try {
      return await ipc.setCustomerPhoto(saved.id, this.photoAction === 'pending' ? 'pending' : 'remove');
    } catch (e) {
      toastError(e);
      return saved;
    }
  }

  private renderPhoto() {
    const f = this.form;
    const url = this.photoAction === 'keep' && this.editing && f.photo ? ipc.photoUrl(this.editing.id, f.photo) : '';
    const has = this.photoAction === 'pending' || (this.photoAction === 'keep' && !!f.photo);
    const initial = f.name.trim().charAt(0).toUpperCase() || '?';
    return html`<div class="photo-field field-wide" data-testid="photo-field">
      <div class="photo-thumb" aria-hidden="true">
        ${url ? html`<img src=${url} alt="" @error=${(e: Event) => ((e.target as HTMLElement).hidden = true)} />` : nothing}
        <span>${this.photoAction === 'pending' ? '↑' : initial}</span>
      </div>
      <div class="photo-side">
        <span class="field-label">${t('form.photo')}</span>
        <div class="photo-actions">
          <button type="button" class="button button-small" data-testid="photo-pick" @click=${() => void this.pickPhoto()}>${t('form.photo_pick')}</button>
          ${has
            ? html`<button type="button" class="link-button" data-testid="photo-remove"
                @click=${() => {
                  this.photoAction = this.editing?.photo ? 'remove' : 'keep';
                  this.pendingPhotoName = '';
                  if (!this.editing?.photo) this.form = { ...this.form, photo: null };
                }}>${t('form.photo_remove')}</button>`
            : nothing}
        </div>
        <div class="field-hint" data-testid="photo-status">
          ${this.photoAction === 'pending'
            ? t('form.photo_pending', { name: this.pendingPhotoName })
            : this.photoAction === 'remove'
              ? t('form.photo_will_remove')
              : t('form.photo_drop_hint')}
        </div>
      </div>
    </div>`;
  }

  // --- live duplicate hint (nice to have: the save checks anyway) ---

  /** Only what the duplicate rules look at. */
  private duplicateKey(f: FormState): string {
    return JSON.stringify([f.phones, f.emails, f.tax_code, f.name, f.address]);
  }

  private scheduleHint(): void {
    const key = this.duplicateKey(this.form);
    if (key === this.hintKey) return;
    this.hintKey = key;
    window.clearTimeout(this.hintTimer);
    this.hintTimer = window.setTimeout(() => void this.checkHint(), DUPLICATE_CHECK_MS);
  }

  private async checkHint(): Promise<void> {
    const f = this.form;
    const seq = ++this.hintSeq;
    const anything = [...f.phones, ...f.emails, f.tax_code, f.address].some((v) => v.trim() !== '');
    if (!anything) {
      this.hint = [];
      return;
    }
    try {
      const matches = await ipc.checkDuplicates(buildInput(f).input, this.editing?.id ?? null);
      if (seq === this.hintSeq && this.open) this.hint = matches;
    } catch {
      // A hint only: the save reports what matters.
    }
  }

  // --- referrer search ---

  private onReferrerInput(value: string): void {
    this.referrerQuery = value;
    window.clearTimeout(this.referrerTimer);
    if (value.trim().length < 2) {
      this.referrerResults = [];
      return;
    }
    this.referrerTimer = window.setTimeout(() => void this.searchReferrer(value), REFERRER_SEARCH_MS);
  }

  private async searchReferrer(q: string): Promise<void> {
    try {
      const page = await ipc.listCustomers({
        search: q,
        filter: emptyFilter(),
        sort: 'name',
        desc: false,
        trash: false,
        after: null,
        offset: null,
        limit: 8,
      });
      if (q !== this.referrerQuery) return;
      this.referrerResults = page.rows.filter((r) => r.id !== this.editing?.id);
    } catch (e) {
      this.referrerResults = [];
      this.banner = errorText(ipc.toApiError(e).body);
    }
  }

  private pickReferrer(r: CustomerRow): void {
    this.set('referrer', { id: r.id, code: r.code, name: r.name });
    this.clearError('referrer_customer_id');
    this.referrerQuery = '';
    this.referrerResults = [];
    this.focusOnRender = '[data-testid=referrer-clear]';
  }

  // --- rendering helpers ---

  protected override updated(): void {
    if (this.open && this.focusOnRender && !this.duplicates) {
      let el = this.querySelector<HTMLElement>(this.focusOnRender);
      this.focusOnRender = null;
      if (el?.tagName === 'CLIENTELE-MULTI-SELECT') el = el.querySelector<HTMLElement>('button');
      el?.focus();
    }
  }

  private error(key: string): TemplateResult | typeof nothing {
    const errs = this.errors.get(key);
    if (!errs?.length) return nothing;
    return html`<div class="field-error" data-testid="error-${key}" role="alert">${errs.map((e) => fieldErrorText(e)).join(' ')}</div>`;
  }

  private req(field: string) {
    return ref.required(field) ? html` <span class="req" data-testid="required-${field}" title=${t('common.required')}>*</span>` : nothing;
  }

  private textField(key: TextField, label: MessageKey, testid: string, opts: { type?: string; required?: boolean; hint?: string; wide?: boolean } = {}) {
    const id = `cf-${key}`;
    const invalid = this.errors.has(key);
    const required = opts.required ?? ref.required(key);
    return html`<div class="field ${opts.wide ? 'field-wide' : ''}">
      <label for=${id}>${t(label)}${required ? html` <span class="req" data-testid="required-${key}" title=${t('common.required')}>*</span>` : nothing}</label>
      <input id=${id} type=${opts.type ?? 'text'} data-testid=${testid} data-error-key=${key}
        .value=${live(this.form[key])} aria-invalid=${invalid ? 'true' : 'false'} ?required=${required}
        @input=${(e: Event) => this.set(key, (e.target as HTMLInputElement).value)} />
      ${opts.hint && !invalid ? html`<div class="field-hint">${opts.hint}</div>` : nothing}
      ${this.error(key)}
    </div>`;
  }

  private listField(list: 'phones' | 'emails') {
    const single = list === 'phones' ? 'phone' : 'email';
    const items = this.form[list];
    return html`<fieldset class="field field-list">
      <legend>${t(list === 'phones' ? 'form.phones' : 'form.emails')}${this.req(list)}</legend>
      ${items.map((v, i) => {
        const key = `${list}.${i}`;
        return html`<div class="list-item">
          <div class="list-row">
            <input type=${list === 'phones' ? 'tel' : 'email'} data-testid="field-${single}-${i}" data-error-key=${key}
              aria-label="${t(list === 'phones' ? 'form.phones' : 'form.emails')} ${i + 1}"
              aria-invalid=${this.errors.has(key) ? 'true' : 'false'} .value=${live(v)}
              @input=${(e: Event) => this.setItem(list, i, (e.target as HTMLInputElement).value)} />
            ${items.length > 1 || v !== ''
              ? html`<button type="button" class="icon-button" data-testid="remove-${single}-${i}"
                  title=${t(list === 'phones' ? 'form.remove_phone' : 'form.remove_email')}
                  aria-label=${t(list === 'phones' ? 'form.remove_phone' : 'form.remove_email')}
                  @click=${() => this.removeItem(list, i)}>${iconClose(16)}</button>`
              : nothing}
          </div>
          ${this.error(key)}
        </div>`;
      })}
      ${this.error(list)}
      <button type="button" class="link-button" data-testid="add-${single}" @click=${() => this.addItem(list)}>
        + ${t(list === 'phones' ? 'form.add_phone' : 'form.add_email')}
      </button>
    </fieldset>`;
  }

  /** A single catalog item picker (segment, level, status, channel). */
  private catalogSelect(field: 'segment_id' | 'level_id' | 'status_id' | 'channel_id', kind: CatalogKind, label: MessageKey) {
    if (!ref.shown(field)) return nothing;
    const value = this.form[field];
    const items = ref.of(kind, { activeOnly: true, keep: [value] });
    const id = `cf-${field}`;
    return html`<div class="field">
      <label for=${id}>${t(label)}${this.req(field)}</label>
      <select id=${id} data-testid="field-${field}" data-error-key=${field} aria-invalid=${this.errors.has(field) ? 'true' : 'false'}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.set(field, v === '' ? null : Number(v));
        }}>
        <option value="" ?selected=${value === null}>${t('form.none_selected')}</option>
        ${items.map(
          (i) => html`<option value=${i.id} ?selected=${value === i.id}>${i.active ? i.name : `${i.name} (${t('catalog.inactive')})`}</option>`,
        )}
      </select>
      ${this.error(field)}
    </div>`;
  }

  private catalogMulti(field: 'group_ids' | 'invoice_type_ids', kind: CatalogKind, label: MessageKey) {
    if (!ref.shown(field)) return nothing;
    const value = this.form[field];
    const options: MultiOption[] = ref
      .of(kind, { activeOnly: true, keep: value })
      .map((i) => ({ id: i.id, label: i.name, color: i.color, inactive: !i.active }));
    return html`<div class="field">
      <span class="field-label" id="cfl-${field}">${t(label)}${this.req(field)}</span>
      <clientele-multi-select data-testid="field-${field}" data-error-key=${field} aria-labelledby="cfl-${field}" .label=${t(label)}
        .placeholder=${t('form.none_selected')} .options=${options} .value=${value} ?invalid=${this.errors.has(field)}
        @values-changed=${(e: CustomEvent<number[]>) => this.set(field, e.detail)}></clientele-multi-select>
      ${this.error(field)}
    </div>`;
  }

  private staffSelect(field: 'owner_id' | 'service_manager_id', label: MessageKey, allowNone: boolean) {
    const value = this.form[field];
    const id = `cf-${field}`;
    return html`<div class="field">
      <label for=${id}>${t(label)}${field === 'service_manager_id' ? this.req(field) : nothing}</label>
      <select id=${id} data-testid="field-${field}" data-error-key=${field} aria-invalid=${this.errors.has(field) ? 'true' : 'false'}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.set(field, v === '' ? null : Number(v));
        }}>
        ${allowNone || value === null ? html`<option value="" ?selected=${value === null}>${t('form.none_selected')}</option>` : nothing}
        ${ref.staffOptions([value]).map(
          (s) => html`<option value=${s.id} ?selected=${value === s.id}>${s.active ? s.name : `${s.name} (${t('staff.inactive')})`}</option>`,
        )}
      </select>
      ${this.error(field)}
    </div>`;
  }

  // --- sections ---

  private visibleSections(): SectionId[] {
    const business = this.form.kind === 'business';
    return SECTIONS.filter((s) => {
      switch (s) {
        case 'products':
          return ref.shown('products');
        case 'billing':
          return ref.shown('invoice_type_ids') || ref.shown('legal_entities');
        case 'contacts':
          return business && ref.shown('contacts');
        case 'care':
          return !this.editing;
        default:
          return true;
      }
    });
  }

  private sectionsWithErrors(): Set<SectionId> {
    const out = new Set<SectionId>();
    for (const k of this.errors.keys()) {
      const s = sectionOf(k);
      if (s) out.add(s);
    }
    return out;
  }

  private renderGeneral() {
    const f = this.form;
    const individual = f.kind === 'individual';
    return html`<div class="form-grid">
      ${this.renderPhoto()}
      <div class="field">
        <label for="cf-kind">${t('form.kind')}</label>
        <select id="cf-kind" data-testid="field-kind" data-error-key="kind"
          @change=${(e: Event) => this.set('kind', (e.target as HTMLSelectElement).value as CustomerKind)}>
          <option value="individual" ?selected=${individual}>${t('kind.individual')}</option>
          <option value="business" ?selected=${!individual}>${t('kind.business')}</option>
        </select>
        ${this.error('kind')}
      </div>
      ${this.textField('code', 'form.code', 'field-code', { hint: this.editing ? '' : t('form.code_hint'), required: false })}
      ${this.textField('name', individual ? 'form.name' : 'form.name_business', 'field-name', { required: true, wide: true })}
      ${individual
        ? html`${ref.shown('birthday') ? this.textField('birthday', 'form.birthday', 'field-birthday', { type: 'date' }) : nothing}
            ${ref.shown('gender')
              ? html`<div class="field">
                  <label for="cf-gender">${t('form.gender')}${this.req('gender')}</label>
                  <select id="cf-gender" data-testid="field-gender" data-error-key="gender"
                    @change=${(e: Event) => this.set('gender', (e.target as HTMLSelectElement).value as Gender | '')}>
                    <option value="" ?selected=${f.gender === ''}>${t('form.gender_unset')}</option>
                    ${(['male', 'female', 'other'] as const).map(
                      (g) => html`<option value=${g} ?selected=${f.gender === g}>${t(`gender.${g}`)}</option>`,
                    )}
                  </select>
                  ${this.error('gender')}
                </div>`
              : nothing}`
        : html`${ref.shown('founded_on') ? this.textField('founded_on', 'form.founded_on', 'field-founded-on', { type: 'date' }) : nothing}`}
      ${ref.shown('phones') ? this.listField('phones') : nothing} ${ref.shown('emails') ? this.listField('emails') : nothing}
      ${ref.shown('address') ? this.textField('address', 'form.address', 'field-address', { wide: true }) : nothing}
      ${ref.shown('tax_code') ? this.textField('tax_code', 'form.tax_code', 'field-tax-code') : nothing}
      ${ref.shown('website') ? this.textField('website', 'form.website', 'field-website') : nothing}
      ${ref.shown('notes')
        ? html`<div class="field field-wide">
            <label for="cf-notes">${t('form.notes')}${this.req('notes')}</label>
            <textarea id="cf-notes" rows="3" data-testid="field-notes" data-error-key="notes" .value=${live(f.notes)}
              @input=${(e: Event) => this.set('notes', (e.target as HTMLTextAreaElement).value)}></textarea>
            ${this.error('notes')}
          </div>`
        : nothing}
    </div>`;
  }

  private renderClassification() {
    return html`<div class="form-grid">
      ${this.catalogSelect('level_id', 'level', 'form.level')}
      ${this.catalogSelect('status_id', 'status', 'form.status')}
      ${this.catalogSelect('segment_id', 'segment', 'form.segment')}
      ${this.catalogSelect('channel_id', 'channel', 'form.channel')}
      ${this.catalogMulti('group_ids', 'group', 'form.groups')}
      <div class="field" aria-hidden="true"></div>
      ${this.staffSelect('owner_id', 'form.owner', false)}
      ${ref.shown('service_manager_id') ? this.staffSelect('service_manager_id', 'form.service_manager', true) : nothing}
    </div>`;
  }

  private renderMarketing() {
    const f = this.form;
    const changed = this.editing ? this.editing.email_consent !== f.email_consent : f.email_consent;
    return html`<div class="form-stack">
      <label class="check-field">
        <input type="checkbox" data-testid="field-email_consent" data-error-key="email_consent" .checked=${live(f.email_consent)}
          @change=${(e: Event) => this.set('email_consent', (e.target as HTMLInputElement).checked)} />
        <span>${t('form.email_consent')}</span>
      </label>
      <p class="field-hint" data-testid="consent-changed">
        ${changed
          ? t('form.consent_pending')
          : f.email_consent_at
            ? t('form.consent_changed_on', { date: formatDateTime(f.email_consent_at) })
            : t('form.consent_never')}
      </p>
      ${this.error('email_consent')}
    </div>`;
  }

  private renderProducts() {
    const f = this.form;
    const ids = f.products.map((p) => p.product_id);
    const options: MultiOption[] = ref
      .of('product', { activeOnly: true, keep: ids })
      .map((i) => ({ id: i.id, label: i.name, color: i.color, inactive: !i.active }));
    return html`<div class="form-stack">
      <div class="field">
        <span class="field-label" id="cfl-products">${t('form.products')}${this.req('products')}</span>
        <clientele-multi-select data-testid="field-products" data-error-key="products" aria-labelledby="cfl-products"
          .label=${t('form.products')} .placeholder=${t('form.none_selected')} .options=${options} .value=${ids}
          ?invalid=${this.errors.has('products')}
          @values-changed=${(e: CustomEvent<number[]>) => {
            const next = e.detail.map((id) => f.products.find((p) => p.product_id === id) ?? { product_id: id, since: '' });
            this.errors = new Map([...this.errors].filter(([k]) => !k.startsWith('products')));
            this.form = { ...this.form, products: next };
          }}></clientele-multi-select>
        ${this.error('products')}
        ${options.length === 0 ? html`<div class="field-hint">${t('form.no_products')}</div>` : nothing}
      </div>
      ${f.products.length
        ? html`<table class="rows-table" data-testid="product-rows">
            <thead><tr><th>${t('form.product')}</th><th>${t('form.since')}</th><th><span class="sr-only">${t('common.remove')}</span></th></tr></thead>
            <tbody>
              ${f.products.map(
                (p, i) => html`<tr data-testid="product-row">
                  <td>${ref.itemName(p.product_id)}${this.error(`products.${i}`)}</td>
                  <td><input type="date" data-testid="field-product-since-${i}" data-error-key="products.${i}"
                    aria-label="${t('form.since')}: ${ref.itemName(p.product_id)}" .value=${live(p.since)}
                    aria-invalid=${this.errors.has(`products.${i}`) ? 'true' : 'false'}
                    @change=${(e: Event) => {
                      const since = (e.target as HTMLInputElement).value;
                      this.form = { ...this.form, products: this.form.products.map((q, j) => (j === i ? { ...q, since } : q)) };
                      this.clearError(`products.${i}`);
                    }} /></td>
                  <td><button type="button" class="icon-button" data-testid="remove-product-${i}" title=${t('common.remove')}
                    aria-label="${t('common.remove')}: ${ref.itemName(p.product_id)}"
                    @click=${() => {
                      this.errors = new Map([...this.errors].filter(([k]) => !k.startsWith('products')));
                      this.form = { ...this.form, products: this.form.products.filter((_, j) => j !== i) };
                    }}>${iconClose(16)}</button></td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : nothing}
    </div>`;
  }

  private renderBilling() {
    const rows = this.form.legal_entities;
    return html`<div class="form-stack">
      ${this.catalogMulti('invoice_type_ids', 'invoice_type', 'form.invoice_types')}
      ${ref.shown('legal_entities')
        ? html`<fieldset class="field">
            <legend>${t('form.legal_entities')}${this.req('legal_entities')}</legend>
            ${rows.map(
              (e, i) => html`<div class="row-card" data-testid="entity-row">
                <div class="row-card-grid">
                  ${this.rowInput(`legal_entities.${i}.name`, 'form.entity_name', `field-entity-${i}-name`, e.name, (v) => this.setEntity(i, { name: v }, 'name'), true)}
                  ${this.rowInput(`legal_entities.${i}.tax_code`, 'form.tax_code', `field-entity-${i}-tax_code`, e.tax_code, (v) => this.setEntity(i, { tax_code: v }, 'tax_code'))}
                  ${this.rowInput(`legal_entities.${i}.address`, 'form.address', `field-entity-${i}-address`, e.address, (v) => this.setEntity(i, { address: v }, 'address'), false, true)}
                </div>
                ${this.error(`legal_entities.${i}`)}
                <button type="button" class="icon-button row-remove" data-testid="remove-entity-${i}" title=${t('form.remove_entity')}
                  aria-label=${t('form.remove_entity')}
                  @click=${() => this.setRows('legal_entities', rows.filter((_, j) => j !== i), true)}>${iconClose(16)}</button>
              </div>`,
            )}
            ${this.error('legal_entities')}
            <button type="button" class="link-button align-start" data-testid="add-entity"
              @click=${() => {
                this.setRows('legal_entities', [...rows, emptyEntity()]);
                this.focusOnRender = `[data-testid=field-entity-${rows.length}-name]`;
              }}>+ ${t('form.add_entity')}</button>
          </fieldset>`
        : nothing}
    </div>`;
  }

  private rowInput(key: string, label: MessageKey, testid: string, value: string, onInput: (v: string) => void, required = false, wide = false) {
    const id = `cf-${testid}`;
    return html`<div class="field ${wide ? 'field-wide' : ''}">
      <label for=${id}>${t(label)}${required ? html` <span class="req" title=${t('common.required')}>*</span>` : nothing}</label>
      <input id=${id} data-testid=${testid} data-error-key=${key} .value=${live(value)}
        aria-invalid=${this.errors.has(key) ? 'true' : 'false'} @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)} />
      ${this.error(key)}
    </div>`;
  }

  private renderContacts() {
    const rows = this.form.contacts;
    const positions = (keep: number | null) => ref.of('position', { activeOnly: true, keep: [keep] });
    return html`<div class="form-stack">
      ${rows.length === 0 ? html`<p class="muted">${t('form.no_contacts')}</p>` : nothing}
      ${rows.map(
        (c, i) => html`<div class="row-card" data-testid="contact-row">
          <div class="row-card-grid">
            ${this.rowInput(`contacts.${i}.name`, 'form.contact_name', `field-contact-${i}-name`, c.name, (v) => this.setContact(i, { name: v }, 'name'), true)}
            <div class="field">
              <label for="cf-contact-${i}-position">${t('form.position')}</label>
              <select id="cf-contact-${i}-position" data-testid="field-contact-${i}-position" data-error-key="contacts.${i}.position_id"
                @change=${(e: Event) => {
                  const v = (e.target as HTMLSelectElement).value;
                  this.setContact(i, { position_id: v === '' ? null : Number(v) }, 'position_id');
                }}>
                <option value="" ?selected=${c.position_id === null}>${t('form.none_selected')}</option>
                ${positions(c.position_id).map((p) => html`<option value=${p.id} ?selected=${c.position_id === p.id}>${p.name}</option>`)}
              </select>
              ${this.error(`contacts.${i}.position_id`)}
            </div>
            ${this.rowInput(`contacts.${i}.phones`, 'form.contact_phones', `field-contact-${i}-phones`, c.phones, (v) => this.setContact(i, { phones: v }, 'phones'))}
            ${this.rowInput(`contacts.${i}.emails`, 'form.contact_emails', `field-contact-${i}-emails`, c.emails, (v) => this.setContact(i, { emails: v }, 'emails'))}
            ${this.rowInput(`contacts.${i}.notes`, 'form.notes', `field-contact-${i}-notes`, c.notes, (v) => this.setContact(i, { notes: v }, 'notes'), false, true)}
          </div>
          <label class="check-field">
            <input type="radio" name="cf-primary-contact" data-testid="field-contact-${i}-primary" .checked=${live(c.primary)}
              @change=${() => this.setContact(i, { primary: true })} />
            <span>${t('form.primary_contact')}</span>
          </label>
          ${this.error(`contacts.${i}`)}
          <button type="button" class="icon-button row-remove" data-testid="remove-contact-${i}" title=${t('form.remove_contact')}
            aria-label=${t('form.remove_contact')} @click=${() => this.setRows('contacts', rows.filter((_, j) => j !== i), true)}>${iconClose(16)}</button>
        </div>`,
      )}
      ${this.error('contacts')}
      <div class="field-hint">${t('form.contacts_hint')}${this.req('contacts')}</div>
      <button type="button" class="link-button align-start" data-testid="add-contact"
        @click=${() => {
          this.setRows('contacts', [...rows, emptyContact(rows.length === 0)]);
          this.focusOnRender = `[data-testid=field-contact-${rows.length}-name]`;
        }}>+ ${t('form.add_contact')}</button>
    </div>`;
  }

  private renderReferral() {
    const r = this.form.referrer;
    return html`<div class="form-stack">
      <div class="field">
        <label for="cf-referrer">${t('form.referrer_customer')}</label>
        ${r
          ? html`<div class="picked" data-testid="referrer-picked" data-error-key="referrer_customer_id" tabindex="-1">
              <span class="code-badge">${r.code}</span><span class="picked-name">${r.name}</span>
              <button type="button" class="link-button" data-testid="referrer-clear" @click=${() => {
                this.set('referrer', null);
                this.focusOnRender = '[data-testid=field-referrer-search]';
              }}>${t('common.remove')}</button>
            </div>`
          : html`<div class="combo">
              <input id="cf-referrer" type="search" data-testid="field-referrer-search" data-error-key="referrer_customer_id"
                autocomplete="off" placeholder=${t('form.referrer_search')} .value=${live(this.referrerQuery)}
                aria-invalid=${this.errors.has('referrer_customer_id') ? 'true' : 'false'}
                @input=${(e: Event) => this.onReferrerInput((e.target as HTMLInputElement).value)} />
              ${this.referrerResults.length
                ? html`<ul class="combo-list" role="listbox" aria-label=${t('form.referrer_customer')}>
                    ${this.referrerResults.map(
                      (row) => html`<li role="option" aria-selected="false">
                        <button type="button" class="combo-option" data-testid="referrer-option" data-id=${row.id}
                          @click=${() => this.pickReferrer(row)}>
                          <span class="mono">${row.code}</span> <span>${row.name}</span>
                          ${row.phone ? html`<span class="muted small">${row.phone}</span>` : nothing}
                        </button>
                      </li>`,
                    )}
                  </ul>`
                : this.referrerQuery.trim().length >= 2
                  ? html`<div class="field-hint">${t('form.referrer_none')}</div>`
                  : nothing}
            </div>`}
        ${this.error('referrer_customer_id')}
      </div>
      ${this.textField('referrer_supplier', 'form.referrer_supplier', 'field-referrer_supplier', { required: false })}
    </div>`;
  }

  private renderSection(id: SectionId) {
    switch (id) {
      case 'general':
        return this.renderGeneral();
      case 'classification':
        return this.renderClassification();
      case 'marketing':
        return this.renderMarketing();
      case 'products':
        return this.renderProducts();
      case 'billing':
        return this.renderBilling();
      case 'contacts':
        return this.renderContacts();
      case 'referral':
        return this.renderReferral();
      case 'care':
        return html`<clientele-care-schedule-section .ownerName=${ref.staffName(this.form.owner_id)} .errors=${this.errors}></clientele-care-schedule-section>`;
    }
  }

  private onTabKey(e: KeyboardEvent, sections: SectionId[]): void {
    const i = sections.indexOf(this.section);
    let next: SectionId | undefined;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = sections[(i + 1) % sections.length];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = sections[(i - 1 + sections.length) % sections.length];
    else return;
    e.preventDefault();
    if (next) {
      this.section = next;
      this.focusOnRender = `[data-testid=section-${next}]`;
    }
  }

  private renderHint() {
    if (!this.hint.length) return nothing;
    const first = this.hint.slice(0, 2).map((m) => `${m.code} ${m.name}`).join(', ');
    return html`<div class="form-note" data-testid="duplicate-hint" role="status">
      <span>${tn('duplicate.hint', this.hint.length, { list: first })}</span>
      <button type="button" class="link-button" data-testid="duplicate-hint-show"
        @click=${() => {
          this.duplicates = { matches: this.hint, blocking: false, fromSave: false };
        }}>${t('duplicate.show')}</button>
    </div>`;
  }

  private renderDuplicates() {
    const d = this.duplicates;
    if (!d) return nothing;
    const canContinue = d.fromSave && !d.blocking;
    const back = () => {
      this.duplicates = null;
      this.focusOnRender = '[data-testid=save-customer]';
    };
    return html`<div class="overlay overlay-top" @mousedown=${(e: Event) => e.target === e.currentTarget && back()}>
      <div class="dialog dialog-medium" role="alertdialog" aria-modal="true" aria-labelledby="dup-title" data-testid="duplicate-dialog"
        data-blocking=${d.blocking ? 'true' : 'false'}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            back();
          } else trapTab(e, e.currentTarget as HTMLElement);
        }}>
        <header class="dialog-header">
          <h2 class="dialog-title" id="dup-title">${t('duplicate.title')}</h2>
        </header>
        <div class="dialog-body">
          <p class="dialog-text">
            ${d.fromSave ? (d.blocking ? t('duplicate.blocking') : t('duplicate.warning')) : t('duplicate.hint_body')}
          </p>
          <clientele-duplicate-list .items=${d.matches}
            @open-customer=${(e: CustomEvent<number>) => {
              e.stopPropagation();
              this.close();
              this.dispatchEvent(new CustomEvent<number>('open-customer', { detail: e.detail, bubbles: true }));
            }}></clientele-duplicate-list>
        </div>
        <footer class="dialog-footer">
          <span class="spacer"></span>
          <button type="button" class="button" data-testid="duplicate-back" @click=${back}>${t('duplicate.back')}</button>
          ${canContinue
            ? html`<button type="button" class="button button-primary" data-testid="duplicate-save-anyway"
                @click=${() => {
                  this.duplicates = null;
                  void this.save(true);
                }}>${t('duplicate.save_anyway')}</button>`
            : nothing}
        </footer>
      </div>
    </div>`;
  }

  protected override render() {
    if (!this.open) return nothing;
    const title = this.editing ? t('form.edit_title', { code: this.editing.code }) : t('form.new_title');
    const sections = this.visibleSections();
    if (!sections.includes(this.section)) this.section = 'general';
    const withErrors = this.sectionsWithErrors();
    return html`<div class="overlay" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <form class="dialog dialog-form dialog-wide" data-testid="customer-form" role="dialog" aria-modal="true" aria-labelledby="cf-title"
        novalidate @keydown=${this.onKey} @submit=${(e: Event) => {
          e.preventDefault();
          void this.save();
        }}>
        <header class="dialog-header">
          <h2 class="dialog-title" id="cf-title">${title}</h2>
          <button type="button" class="icon-button" aria-label=${t('common.close')} @click=${() => this.close()}>${iconClose(16)}</button>
        </header>
        <div class="form-layout">
          <div class="form-tabs" role="tablist" aria-orientation="vertical" aria-label=${t('section.label')}
            @keydown=${(e: KeyboardEvent) => this.onTabKey(e, sections)}>
            ${sections.map(
              (s) => html`<button type="button" role="tab" id="cf-tab-${s}" class="form-tab ${this.section === s ? 'active' : ''}"
                data-testid="section-${s}" aria-selected=${this.section === s ? 'true' : 'false'} aria-controls="cf-panel-${s}"
                tabindex=${this.section === s ? '0' : '-1'} @click=${() => {
                  this.section = s;
                }}>
                <span>${t(SECTION_LABELS[s])}</span>
                ${withErrors.has(s) ? html`<span class="tab-error" data-testid="section-error-${s}" title=${t('form.fix_errors')}>!</span>` : nothing}
              </button>`,
            )}
          </div>
          <div class="dialog-body form-panels">
            ${this.banner ? html`<div class="form-banner" role="alert" data-testid="form-error">${this.banner}</div>` : nothing}
            ${this.renderHint()}
            ${sections.map(
              (s) => html`<div class="form-panel" role="tabpanel" id="cf-panel-${s}" aria-labelledby="cf-tab-${s}"
                data-testid="panel-${s}" ?hidden=${this.section !== s}>
                <h3 class="panel-title">${t(SECTION_LABELS[s])}</h3>
                ${this.renderSection(s)}
              </div>`,
            )}
          </div>
        </div>
        <footer class="dialog-footer">
          <span class="muted small">${t('form.shortcut_hint')}</span>
          <span class="spacer"></span>
          <button type="button" class="button" data-testid="cancel-customer" @click=${() => this.close()}>${t('common.cancel')}</button>
          <button type="submit" class="button button-primary" data-testid="save-customer" ?disabled=${this.saving}>
            ${this.saving ? t('common.saving') : t('common.save')}
          </button>
        </footer>
      </form>
      ${this.renderDuplicates()}
    </div>`;
  }
}

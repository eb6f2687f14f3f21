// New / edit customer dialog. The core validates; its field errors show under the right inputs.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import type { Customer } from '../bindings/Customer';
import type { CustomerKind } from '../bindings/CustomerKind';
import type { FieldError } from '../bindings/FieldError';
import type { Gender } from '../bindings/Gender';
import {
  buildInput,
  emptyForm,
  fromCustomer,
  isFormField,
  mapFieldErrors,
  precheck,
  type FormState,
} from '../forms/customer-form-model';
import { errorText, fieldErrorText, t, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import { BaseElement, trapTab } from './base';
import { iconClose } from './icons';
import { toast } from './toasts';

type TextField = 'code' | 'name' | 'address' | 'tax_code' | 'website' | 'birthday' | 'founded_on' | 'notes';

@customElement('clientele-customer-form')
export class ClienteleCustomerForm extends BaseElement {
  @state() private open = false;
  @state() private editing: Customer | null = null;
  @state() private form: FormState = emptyForm();
  @state() private errors = new Map<string, FieldError[]>();
  @state() private banner = '';
  @state() private saving = false;
  private returnFocus: HTMLElement | null = null;
  private focusOnRender: string | null = null;

  get isOpen(): boolean {
    return this.open;
  }

  async openNew(): Promise<void> {
    this.show(null, emptyForm());
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
    if (first) this.focusOnRender = `[data-error-key="${first}"]`;
  }

  private async save(): Promise<void> {
    if (this.saving) return;
    const pre = precheck(this.form);
    if (pre.length) {
      this.applyErrors(pre);
      return;
    }
    const built = buildInput(this.form);
    this.saving = true;
    this.banner = '';
    try {
      const saved = this.editing
        ? await ipc.updateCustomer(this.editing.id, built.input)
        : await ipc.createCustomer(built.input);
      toast(t(this.editing ? 'toast.updated' : 'toast.created', { code: saved.code }), 'success');
      this.dispatchEvent(new CustomEvent<Customer>('saved', { detail: saved, bubbles: true }));
      this.close();
    } catch (e) {
      const err = ipc.toApiError(e);
      if (err.fields.length) this.applyErrors(err.fields, built, errorText(err.body));
      else {
        this.errors = new Map();
        this.banner = errorText(err.body);
      }
    } finally {
      this.saving = false;
    }
  }

  private onKey = (e: KeyboardEvent): void => {
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

  private set<K extends keyof FormState>(key: K, value: FormState[K]): void {
    this.form = { ...this.form, [key]: value };
    if (this.errors.has(key as string)) {
      const next = new Map(this.errors);
      next.delete(key as string);
      this.errors = next;
    }
  }

  private setItem(list: 'phones' | 'emails', i: number, value: string): void {
    const items = [...this.form[list]];
    items[i] = value;
    this.set(list, items);
    const key = `${list}.${i}`;
    if (this.errors.has(key)) {
      const next = new Map(this.errors);
      next.delete(key);
      this.errors = next;
    }
  }

  private addItem(list: 'phones' | 'emails'): void {
    this.set(list, [...this.form[list], '']);
    this.focusOnRender = `[data-testid=field-${list === 'phones' ? 'phone' : 'email'}-${this.form[list].length - 1}]`;
  }

  private removeItem(list: 'phones' | 'emails', i: number): void {
    const items = this.form[list].filter((_, j) => j !== i);
    this.set(list, items.length ? items : ['']);
    // Errors of list items are keyed by position: drop them rather than show them on the wrong input.
    const next = new Map([...this.errors].filter(([k]) => !k.startsWith(`${list}.`)));
    this.errors = next;
  }

  protected override updated(): void {
    if (this.open && this.focusOnRender) {
      const el = this.querySelector<HTMLElement>(this.focusOnRender);
      this.focusOnRender = null;
      el?.focus();
    }
  }

  private error(key: string): TemplateResult | typeof nothing {
    const errs = this.errors.get(key);
    if (!errs?.length) return nothing;
    return html`<div class="field-error" data-testid="error-${key}" role="alert">${errs.map((e) => fieldErrorText(e)).join(' ')}</div>`;
  }

  private textField(key: TextField, label: MessageKey, testid: string, opts: { type?: string; required?: boolean; hint?: string; wide?: boolean } = {}) {
    const id = `cf-${key}`;
    const invalid = this.errors.has(key);
    return html`<div class="field ${opts.wide ? 'field-wide' : ''}">
      <label for=${id}>${t(label)}${opts.required ? html` <span class="req" title=${t('common.required')}>*</span>` : nothing}</label>
      <input id=${id} type=${opts.type ?? 'text'} data-testid=${testid} data-error-key=${key}
        .value=${this.form[key]} aria-invalid=${invalid ? 'true' : 'false'} ?required=${opts.required}
        @input=${(e: Event) => this.set(key, (e.target as HTMLInputElement).value)} />
      ${opts.hint && !invalid ? html`<div class="field-hint">${opts.hint}</div>` : nothing}
      ${this.error(key)}
    </div>`;
  }

  private listField(list: 'phones' | 'emails') {
    const single = list === 'phones' ? 'phone' : 'email';
    const items = this.form[list];
    return html`<fieldset class="field field-list">
      <legend>${t(list === 'phones' ? 'form.phones' : 'form.emails')}</legend>
      ${items.map((v, i) => {
        const key = `${list}.${i}`;
        return html`<div class="list-item">
          <div class="list-row">
            <input type=${list === 'phones' ? 'tel' : 'email'} data-testid="field-${single}-${i}" data-error-key=${key}
              aria-label="${t(list === 'phones' ? 'form.phones' : 'form.emails')} ${i + 1}"
              aria-invalid=${this.errors.has(key) ? 'true' : 'false'} .value=${v}
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

  protected override render() {
    if (!this.open) return nothing;
    const f = this.form;
    const individual = f.kind === 'individual';
    const title = this.editing ? t('form.edit_title', { code: this.editing.code }) : t('form.new_title');
    return html`<div class="overlay" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <form class="dialog dialog-form" data-testid="customer-form" role="dialog" aria-modal="true" aria-labelledby="cf-title"
        novalidate @keydown=${this.onKey} @submit=${(e: Event) => { e.preventDefault(); void this.save(); }}>
        <header class="dialog-header">
          <h2 class="dialog-title" id="cf-title">${title}</h2>
          <button type="button" class="icon-button" aria-label=${t('common.close')} @click=${() => this.close()}>${iconClose(16)}</button>
        </header>
        <div class="dialog-body">
          ${this.banner ? html`<div class="form-banner" role="alert" data-testid="form-error">${this.banner}</div>` : nothing}
          <div class="form-grid">
            <div class="field">
              <label for="cf-kind">${t('form.kind')}</label>
              <select id="cf-kind" data-testid="field-kind" data-error-key="kind" .value=${f.kind}
                @change=${(e: Event) => this.set('kind', (e.target as HTMLSelectElement).value as CustomerKind)}>
                <option value="individual" ?selected=${individual}>${t('kind.individual')}</option>
                <option value="business" ?selected=${!individual}>${t('kind.business')}</option>
              </select>
              ${this.error('kind')}
            </div>
            ${this.textField('code', 'form.code', 'field-code', { hint: this.editing ? '' : t('form.code_hint') })}
            ${this.textField('name', individual ? 'form.name' : 'form.name_business', 'field-name', { required: true, wide: true })}
            ${individual
              ? html`${this.textField('birthday', 'form.birthday', 'field-birthday', { type: 'date' })}
                  <div class="field">
                    <label for="cf-gender">${t('form.gender')}</label>
                    <select id="cf-gender" data-testid="field-gender" data-error-key="gender" .value=${f.gender}
                      @change=${(e: Event) => this.set('gender', (e.target as HTMLSelectElement).value as Gender | '')}>
                      <option value="" ?selected=${f.gender === ''}>${t('form.gender_unset')}</option>
                      ${(['male', 'female', 'other'] as const).map(
                        (g) => html`<option value=${g} ?selected=${f.gender === g}>${t(`gender.${g}`)}</option>`,
                      )}
                    </select>
                    ${this.error('gender')}
                  </div>`
              : html`${this.textField('founded_on', 'form.founded_on', 'field-founded-on', { type: 'date' })}<div class="field"></div>`}
            ${this.listField('phones')} ${this.listField('emails')}
            ${this.textField('address', 'form.address', 'field-address', { wide: true })}
            ${this.textField('tax_code', 'form.tax_code', 'field-tax-code')}
            ${this.textField('website', 'form.website', 'field-website')}
            <div class="field field-wide">
              <label for="cf-notes">${t('form.notes')}</label>
              <textarea id="cf-notes" rows="3" data-testid="field-notes" data-error-key="notes" .value=${f.notes}
                @input=${(e: Event) => this.set('notes', (e.target as HTMLTextAreaElement).value)}></textarea>
              ${this.error('notes')}
            </div>
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
    </div>`;
  }
}

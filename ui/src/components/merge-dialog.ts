// <clientele-merge>: merge duplicates. The user picks which customer survives (it keeps its id
// and code) and, field by field where they differ, whose value to keep (lists can be combined).
// The core moves contacts, legal entities, history and referrals, trashes the others and records
// the merge. Fires `merged` with the survivor.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import type { Customer } from '../bindings/Customer';
import type { CustomerInput } from '../bindings/CustomerInput';
import { buildInput, fromCustomer } from '../forms/customer-form-model';
import { errorText, fieldErrorText, fieldLabel, formatDate, t, tn } from '../i18n';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import { BaseElement, trapTab } from './base';
import { iconClose } from './icons';
import { toast } from './toasts';

export const MERGE_MAX = 5;

export type MergeField = Field;

type Field =
  | 'kind'
  | 'name'
  | 'phones'
  | 'emails'
  | 'address'
  | 'tax_code'
  | 'website'
  | 'birthday'
  | 'founded_on'
  | 'gender'
  | 'notes'
  | 'owner_id'
  | 'level_id'
  | 'status_id'
  | 'segment_id'
  | 'group_ids'
  | 'channel_id'
  | 'service_manager_id'
  | 'email_consent'
  | 'products'
  | 'invoice_type_ids'
  | 'referrer_customer_id'
  | 'referrer_supplier';

const FIELDS: Field[] = [
  'kind', 'name', 'phones', 'emails', 'address', 'tax_code', 'website', 'birthday', 'founded_on', 'gender', 'notes',
  'owner_id', 'level_id', 'status_id', 'segment_id', 'group_ids', 'channel_id', 'service_manager_id', 'email_consent',
  'products', 'invoice_type_ids', 'referrer_customer_id', 'referrer_supplier',
];

/** List fields can take every customer's values together. */
const LISTS = new Set<Field>(['phones', 'emails', 'group_ids', 'products', 'invoice_type_ids']);

/** Whose value a field takes: a customer's id, or all of them combined (lists). */
export type Pick = number | 'all';

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0);
}

function union<T>(lists: T[][], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const l of lists) {
    for (const x of l) {
      const k = key(x);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
  }
  return out;
}

/** The survivor's input with each field taken from the chosen customer (or combined). */
export function mergedValues(customers: Customer[], survivor: number, picks: ReadonlyMap<Field, Pick>): CustomerInput {
  const inputs = new Map(customers.map((c) => [c.id, buildInput(fromCustomer(c)).input]));
  const base = inputs.get(survivor);
  if (!base) throw new Error('the survivor is not among the customers');
  const values: CustomerInput = { ...base, allow_duplicate: true };
  const all = customers.map((c) => inputs.get(c.id) as CustomerInput);
  const v = values as unknown as Record<string, unknown>;
  for (const f of FIELDS) {
    const pick = picks.get(f) ?? survivor;
    if (pick === 'all') {
      if (f === 'products') values.products = union(all.map((i) => i.products), (p) => String(p.product_id));
      else if (f === 'phones' || f === 'emails') v[f] = union(all.map((i) => i[f]), (x) => x.replace(/\s+/g, '').toLowerCase());
      else if (f === 'group_ids' || f === 'invoice_type_ids') v[f] = union(all.map((i) => i[f]), String);
    } else {
      const from = inputs.get(pick);
      if (from) v[f] = (from as unknown as Record<string, unknown>)[f];
    }
  }
  // The chosen kind decides which kind-specific fields can be kept.
  if (values.kind === 'individual') values.founded_on = null;
  else {
    values.birthday = null;
    values.gender = null;
  }
  if (values.referrer_customer_id !== null && customers.some((c) => c.id === values.referrer_customer_id)) values.referrer_customer_id = null;
  return values;
}

/** A field's value as text for the comparison table. */
function display(f: Field, c: Customer): string {
  switch (f) {
    case 'kind':
      return t(`kind.${c.kind}`);
    case 'gender':
      return c.gender ? t(`gender.${c.gender}`) : '';
    case 'birthday':
    case 'founded_on':
      return formatDate(c[f]);
    case 'phones':
    case 'emails':
      return c[f].join(', ');
    case 'owner_id':
      return c.owner_name ?? '';
    case 'service_manager_id':
      return c.service_manager_name ?? '';
    case 'level_id':
    case 'status_id':
    case 'segment_id':
    case 'channel_id':
      return ref.itemName(c[f]);
    case 'group_ids':
    case 'invoice_type_ids':
      return c[f].map((id) => ref.itemName(id)).join(', ');
    case 'products':
      return c.products.map((p) => ref.itemName(p.product_id)).join(', ');
    case 'email_consent':
      return c.email_consent ? t('common.yes') : t('common.no');
    case 'referrer_customer_id':
      return c.referrer ? `${c.referrer.code} ${c.referrer.name}` : '';
    default:
      return (c[f] as string | null) ?? '';
  }
}

function differs(f: Field, customers: Customer[]): boolean {
  const texts = new Set(customers.map((c) => display(f, c)));
  return texts.size > 1;
}

@customElement('clientele-merge')
export class ClienteleMerge extends BaseElement {
  @state() private customers: Customer[] = [];
  @state() private open = false;
  @state() private survivor = 0;
  @state() private picks = new Map<Field, Pick>();
  @state() private error = '';
  @state() private busy = false;
  private returnFocus: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.open;
  }

  /** Load the customers and open (2 to MERGE_MAX ids). */
  async show(ids: number[]): Promise<void> {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.open = true;
    this.error = '';
    this.busy = true;
    this.customers = [];
    try {
      const list = await Promise.all(ids.slice(0, MERGE_MAX).map((id) => ipc.getCustomer(id)));
      list.sort((a, b) => a.id - b.id);
      this.customers = list;
      this.setSurvivor(list[0]?.id ?? 0);
    } catch (e) {
      this.error = errorText(ipc.toApiError(e).body);
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    this.open = false;
    this.customers = [];
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  /** The survivor's values by default; an empty one takes the first customer that has it; lists combine. */
  private setSurvivor(id: number): void {
    this.survivor = id;
    const picks = new Map<Field, Pick>();
    const survivor = this.customers.find((c) => c.id === id);
    for (const f of FIELDS) {
      if (LISTS.has(f)) picks.set(f, 'all');
      else if (survivor && isEmpty(display(f, survivor))) {
        const other = this.customers.find((c) => !isEmpty(display(f, c)));
        picks.set(f, other?.id ?? id);
      } else picks.set(f, id);
    }
    this.picks = picks;
  }

  private async apply(): Promise<void> {
    if (this.busy || this.customers.length < 2) return;
    this.busy = true;
    this.error = '';
    try {
      const values = mergedValues(this.customers, this.survivor, this.picks);
      const others = this.customers.map((c) => c.id).filter((id) => id !== this.survivor);
      const merged = await ipc.mergeCustomers(this.survivor, others, values);
      toast(tn('merge.done', others.length, { code: merged.code }), 'success');
      this.dispatchEvent(new CustomEvent<Customer>('merged', { detail: merged, bubbles: true }));
      this.close();
    } catch (e) {
      const err = ipc.toApiError(e);
      this.error = [errorText(err.body), ...err.fields.map((f) => `${fieldLabel(f.field)}: ${fieldErrorText(f)}`)].join(' ');
    } finally {
      this.busy = false;
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    if (trapTab(e, e.currentTarget as HTMLElement)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  };

  private pick(f: Field, value: Pick) {
    const checked = this.picks.get(f) === value;
    return html`<input type="radio" name="merge-${f}" data-testid="merge-pick" data-field=${f} data-value=${String(value)}
      .checked=${checked} aria-label="${fieldLabel(f)}: ${value === 'all' ? t('merge.combine') : this.customers.find((c) => c.id === value)?.code ?? ''}"
      @change=${() => {
        this.picks = new Map(this.picks).set(f, value);
      }} />`;
  }

  protected override render() {
    if (!this.open) return nothing;
    const cs = this.customers;
    const rows = FIELDS.filter((f) => differs(f, cs));
    return html`<div class="overlay" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <div class="dialog dialog-wide dialog-merge" role="dialog" aria-modal="true" aria-labelledby="mg-title" data-testid="merge-dialog"
        @keydown=${this.onKey}>
        <header class="dialog-header">
          <h2 class="dialog-title" id="mg-title">${tn('merge.title', cs.length || 2)}</h2>
          <button type="button" class="icon-button" aria-label=${t('common.close')} @click=${() => this.close()}>${iconClose(16)}</button>
        </header>
        <div class="dialog-body">
          <p class="dialog-text">${t('merge.intro')}</p>
          ${this.error ? html`<div class="form-banner" role="alert" data-testid="merge-error">${this.error}</div>` : nothing}
          ${cs.length
            ? html`<div class="merge-scroll"><table class="merge-table">
                <thead>
                  <tr>
                    <th>${t('merge.field')}</th>
                    ${cs.map(
                      (c) => html`<th class=${c.id === this.survivor ? 'survivor' : ''}>
                        <label class="merge-survivor">
                          <input type="radio" name="merge-survivor" data-testid="merge-survivor-${c.id}" .checked=${c.id === this.survivor}
                            @change=${() => this.setSurvivor(c.id)} />
                          <span><span class="mono">${c.code}</span><br /><span class="merge-name">${c.name}</span></span>
                        </label>
                        <div class="muted small">${c.id === this.survivor ? t('merge.keeps') : t('merge.goes')}</div>
                      </th>`,
                    )}
                    <th>${t('merge.combine')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (f) => html`<tr data-testid="merge-field" data-field=${f}>
                      <th scope="row">${fieldLabel(f)}</th>
                      ${cs.map(
                        (c) => html`<td class=${this.picks.get(f) === c.id ? 'picked' : ''}>
                          <label class="merge-cell">${this.pick(f, c.id)}<span>${display(f, c) || html`<span class="muted">${t('history.empty_value')}</span>`}</span></label>
                        </td>`,
                      )}
                      <td class=${this.picks.get(f) === 'all' ? 'picked' : ''}>${LISTS.has(f) ? html`<label class="merge-cell">${this.pick(f, 'all')}<span>${t('merge.all')}</span></label>` : nothing}</td>
                    </tr>`,
                  )}
                </tbody>
              </table></div>
              ${rows.length === 0 ? html`<p class="muted">${t('merge.same')}</p>` : nothing}
              <p class="muted small">${t('merge.moves')}</p>`
            : this.busy
              ? html`<p class="muted">${t('common.loading')}</p>`
              : nothing}
        </div>
        <footer class="dialog-footer">
          <span class="spacer"></span>
          <button type="button" class="button" data-testid="merge-cancel" @click=${() => this.close()}>${t('common.cancel')}</button>
          <button type="button" class="button button-primary" data-testid="merge-apply" ?disabled=${this.busy || cs.length < 2}
            @click=${() => void this.apply()}>${t('merge.apply')}</button>
        </footer>
      </div>
    </div>`;
  }
}

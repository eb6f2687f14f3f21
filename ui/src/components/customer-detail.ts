// A customer's details and history, in a drawer on the right.

import { html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

import type { Actor } from '../bindings/Actor';
import type { Customer } from '../bindings/Customer';
import type { FieldChange } from '../bindings/FieldChange';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import { errorText, fieldLabel, formatDate, formatDateTime, t, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import { catalogBadge } from './badges';
import '../care/care-timeline';
import { BaseElement, trapTab } from './base';
import { iconClose } from './icons';
import { OWNERSHIP_HISTORY, ownershipDetail, ownershipRefusal, refusalNotice } from './ownership-detail';

export type DetailAction = 'edit' | 'delete' | 'restore' | 'purge';

/** Fields recorded as catalog item ids. */
const CATALOG_FIELDS = new Set(['segment_id', 'level_id', 'status_id', 'channel_id', 'group_ids', 'invoice_type_ids', 'position_id']);

/** A history value as text, in the user's language where it is an enum or a date. */
export function historyValue(field: string, v: unknown, staffNames?: ReadonlyMap<number, string>): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return t('history.empty_value');
  if (Array.isArray(v)) return v.map((x) => historyValue(field, x, staffNames)).join(', ');
  // Owners are recorded by id; show the staff member's name when it is known.
  if ((field === 'owner_id' || field === 'service_manager_id') && typeof v === 'number') return staffNames?.get(v) ?? ref.staffMember(v)?.name ?? `#${v}`;
  if (CATALOG_FIELDS.has(field) && typeof v === 'number') return ref.itemName(v);
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // Products ({product_id, since}), contacts and legal entities ({name, …}).
    if (typeof o['product_id'] === 'number') {
      const since = typeof o['since'] === 'string' ? ` (${t('detail.since', { date: formatDate(o['since']) })})` : '';
      return `${ref.itemName(o['product_id'])}${since}`;
    }
    if (typeof o['code'] === 'string' && typeof o['name'] === 'string') return `${o['code']} ${o['name']}`;
    if (typeof o['name'] === 'string') return o['name'];
  }
  if (typeof v === 'string') {
    if (field === 'approval') return ownershipDetail.approvalLabel(v);
    if (field === 'kind' && (v === 'individual' || v === 'business')) return t(`kind.${v}`);
    if (field === 'gender' && (v === 'male' || v === 'female' || v === 'other')) return t(`gender.${v}`);
    if ((field === 'birthday' || field === 'founded_on') && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
    if (field.endsWith('_at') && !Number.isNaN(Date.parse(v))) return formatDateTime(v);
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function actionLine(entry: HistoryEntry): string {
  const actor = entry.actor_name ?? t('history.unknown_actor');
  const known: Record<string, MessageKey> = {
    create: 'history.create',
    update: 'history.update',
    delete: 'history.delete',
    restore: 'history.restore',
    purge: 'history.purge',
    merge: 'history.merge',
    merged_away: 'history.merged_away',
    bulk_edit: 'history.bulk_edit',
    ...OWNERSHIP_HISTORY,
  };
  const key = known[entry.action];
  return key ? t(key, { actor }) : t('history.other', { actor, action: entry.action });
}

@customElement('clientele-customer-detail')
export class ClienteleCustomerDetail extends BaseElement {
  /** The signed-in staff member (which ownership actions to offer). */
  @property({ attribute: false }) actor: Actor | null = null;
  @state() private customer: Customer | null = null;
  /** Opening was refused (locked, awaiting approval): the message shown instead of the drawer. */
  @state() private refused = '';
  @state() private openId: number | null = null;
  private staffNames: ReadonlyMap<number, string> = new Map();
  @state() private error = '';
  private returnFocus: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.openId !== null;
  }

  get currentId(): number | null {
    return this.openId;
  }

  async openCustomer(id: number): Promise<void> {
    if (this.openId === null) {
      this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    }
    this.openId = id;
    this.customer = null;
    this.error = '';
    this.refused = '';
    await this.reload();
  }

  /** Fetch the customer again (after an edit); its timeline follows. */
  async reload(): Promise<void> {
    const id = this.openId;
    if (id === null) return;
    try {
      const [customer, staff] = await Promise.all([ipc.getCustomer(id), ipc.listStaff()]);
      if (this.openId !== id) return;
      this.staffNames = new Map(staff.map((s) => [s.id, s.name]));
      this.customer = customer;
      await this.updateComplete;
      this.querySelector<HTMLElement>('.drawer')?.focus();
    } catch (e) {
      if (this.openId !== id) return;
      const body = ipc.toApiError(e).body;
      if (!this.customer && ownershipRefusal(body)) {
        this.refused = errorText(body);
        return;
      }
      this.error = errorText(body);
    }
  }

  close(): void {
    this.openId = null;
    this.customer = null;
    this.refused = '';
    this.returnFocus?.focus();
    this.returnFocus = null;
    this.dispatchEvent(new CustomEvent('closed', { bubbles: true }));
  }

  private act(action: DetailAction): void {
    if (!this.customer) return;
    this.dispatchEvent(new CustomEvent<{ action: DetailAction; customer: Customer }>('detail-action', {
      detail: { action, customer: this.customer },
      bubbles: true,
    }));
  }

  private onKey = (e: KeyboardEvent): void => {
    if (trapTab(e, e.currentTarget as HTMLElement)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  };

  private row(label: string, value: TemplateResult | string | null | undefined) {
    if (value === null || value === undefined || value === '') return nothing;
    return html`<div class="dl-row"><dt>${label}</dt><dd>${value}</dd></div>`;
  }

  private change(c: FieldChange, showBefore: boolean) {
    return html`<li class="change">
      <span class="change-field">${fieldLabel(c.field)}</span>
      ${showBefore
        ? html`<span class="change-before">${historyValue(c.field, c.before, this.staffNames)}</span><span class="change-arrow" aria-hidden="true">→</span>`
        : nothing}
      <span class="change-after">${historyValue(c.field, c.after, this.staffNames)}</span>
    </li>`;
  }

  /** One history entry (the timeline shows them among the care activities). */
  private historyItem(h: HistoryEntry) {
    return html`<li class="history-entry" data-testid="history-entry" data-action=${h.action}>
      <div class="history-head">
        <span class="history-what">${actionLine(h)}</span>
        <time class="history-when muted" datetime=${h.at}>${formatDateTime(h.at)}</time>
      </div>
      ${h.changes.length && h.action !== 'delete' && h.action !== 'restore'
        ? html`<ul class="changes">${h.changes.map((c) => this.change(c, !['create', 'merge', 'merged_away'].includes(h.action)))}</ul>`
        : nothing}
    </li>`;
  }

  protected override render() {
    if (this.openId === null) return nothing;
    if (this.refused) return refusalNotice(this.refused, () => this.close());
    const c = this.customer;
    return html`<div class="overlay overlay-drawer" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <aside class="drawer" tabindex="-1" role="dialog" aria-modal="true" aria-labelledby="detail-title"
        data-testid="customer-detail" data-id=${this.openId} @keydown=${this.onKey}>
        <header class="drawer-header">
          ${c?.photo
            ? html`<span class="detail-photo" data-testid="detail-photo"><img src=${ipc.photoUrl(c.id, c.photo)} alt=""
                @error=${(e: Event) => ((e.target as HTMLElement).hidden = true)} />${c.name.trim().charAt(0).toUpperCase()}</span>`
            : nothing}
          <div class="drawer-heading">
            ${c ? html`<span class="code-badge">${c.code}</span>` : nothing}
            <h2 class="dialog-title" id="detail-title">${c ? c.name : t('common.loading')}</h2>
            ${c ? html`<span class="muted">${t(`kind.${c.kind}`)}</span>` : nothing}
            ${c ? ownershipDetail.badges(c) : nothing}
          </div>
          <button type="button" class="icon-button" data-testid="close-detail" aria-label=${t('common.close')} @click=${() => this.close()}>${iconClose(16)}</button>
        </header>
        ${c
          ? html`<div class="drawer-actions">
              ${c.deleted_at
                ? html`<button type="button" class="button" data-testid="restore-customer" @click=${() => this.act('restore')}>${t('action.restore_selected')}</button>
                    <button type="button" class="button button-danger" data-testid="purge-customer" @click=${() => this.act('purge')}>${t('action.purge_selected')}</button>`
                : html`<button type="button" class="button button-primary" data-testid="edit-customer" @click=${() => this.act('edit')}>${t('common.edit')}</button>
                    <button type="button" class="button button-danger-outline" data-testid="delete-customer" @click=${() => this.act('delete')}>${t('common.delete')}</button>`}
            </div>
            ${ownershipDetail.section(c, this.actor, () => void this.reload())}`
          : nothing}
        <div class="drawer-body">
          ${this.error ? html`<div class="form-banner" role="alert">${this.error}</div>` : nothing}
          ${c
            ? html`<section data-testid="detail-contact">
                  <h3 class="section-title">${t('detail.contact')}</h3>
                  <dl class="dl">
                    ${this.row(t('field.phones'), c.phones.length ? html`${c.phones.map((p) => html`<div>${p}</div>`)}` : t('common.none'))}
                    ${this.row(t('field.emails'), c.emails.length ? html`${c.emails.map((p) => html`<div>${p}</div>`)}` : t('common.none'))}
                    ${this.row(t('field.address'), c.address)}
                    ${this.row(t('field.website'), c.website)}
                  </dl>
                </section>
                <section data-testid="detail-classification">
                  <h3 class="section-title">${t('section.classification')}</h3>
                  <dl class="dl">
                    ${this.row(t('field.level_id'), c.level_id !== null ? html`<span data-testid="detail-level">${catalogBadge(c.level_id)}</span>` : null)}
                    ${this.row(t('field.status_id'), c.status_id !== null ? html`<span data-testid="detail-status">${catalogBadge(c.status_id)}</span>` : null)}
                    ${this.row(t('field.segment_id'), c.segment_id !== null ? ref.itemName(c.segment_id) : null)}
                    ${this.row(t('field.group_ids'), c.group_ids.length ? html`<span class="badge-list">${c.group_ids.map((g) => catalogBadge(g))}</span>` : null)}
                    ${this.row(t('field.channel_id'), c.channel_id !== null ? ref.itemName(c.channel_id) : null)}
                    ${this.row(t('detail.owner'), c.owner_name)}
                    ${this.row(t('field.service_manager_id'), c.service_manager_name)}
                  </dl>
                </section>
                <section data-testid="detail-details">
                  <h3 class="section-title">${t('detail.details')}</h3>
                  <dl class="dl">
                    ${this.row(t('field.tax_code'), c.tax_code)}
                    ${this.row(t('field.birthday'), formatDate(c.birthday))}
                    ${this.row(t('field.gender'), c.gender ? t(`gender.${c.gender}`) : null)}
                    ${this.row(t('field.founded_on'), formatDate(c.founded_on))}
                    ${this.row(
                      t('field.email_consent'),
                      html`<span data-testid="detail-consent">${t(c.email_consent ? 'detail.consent_yes' : 'detail.consent_no')}</span>${c.email_consent_at
                        ? html` <span class="muted small">(${t('form.consent_changed_on', { date: formatDateTime(c.email_consent_at) })})</span>`
                        : nothing}`,
                    )}
                    ${c.referrer
                      ? this.row(
                          t('field.referrer_customer_id'),
                          html`<button type="button" class="link-button inline-link" data-testid="detail-referrer"
                            @click=${() => c.referrer && void this.openCustomer(c.referrer.id)}>${c.referrer.code} · ${c.referrer.name}</button>`,
                        )
                      : nothing}
                    ${this.row(t('field.referrer_supplier'), c.referrer_supplier)}
                    ${this.row(t('detail.created'), formatDateTime(c.created_at))}
                    ${this.row(t('detail.updated'), formatDateTime(c.updated_at))}
                    ${this.row(t('detail.deleted'), formatDateTime(c.deleted_at))}
                    ${c.notes ? html`<div class="dl-row dl-block"><dt>${t('field.notes')}</dt><dd class="notes">${c.notes}</dd></div>` : nothing}
                  </dl>
                </section>
                ${c.products.length
                  ? html`<section data-testid="detail-products">
                      <h3 class="section-title">${t('section.products')}</h3>
                      <ul class="plain-list">
                        ${c.products.map(
                          (p) => html`<li>${catalogBadge(p.product_id)}${p.since ? html` <span class="muted small">${t('detail.since', { date: formatDate(p.since) })}</span>` : nothing}</li>`,
                        )}
                      </ul>
                    </section>`
                  : nothing}
                ${c.invoice_type_ids.length || c.legal_entities.length
                  ? html`<section data-testid="detail-billing">
                      <h3 class="section-title">${t('section.billing')}</h3>
                      <dl class="dl">
                        ${this.row(t('field.invoice_type_ids'), c.invoice_type_ids.length ? c.invoice_type_ids.map((i) => ref.itemName(i)).join(', ') : null)}
                      </dl>
                      ${c.legal_entities.map(
                        (e) => html`<div class="mini-card" data-testid="detail-entity">
                          <strong>${e.name}</strong>
                          ${e.tax_code ? html`<div class="small"><span class="muted">${t('field.tax_code')}:</span> <span class="mono">${e.tax_code}</span></div>` : nothing}
                          ${e.address ? html`<div class="small">${e.address}</div>` : nothing}
                        </div>`,
                      )}
                    </section>`
                  : nothing}
                ${c.contacts.length
                  ? html`<section data-testid="detail-contacts">
                      <h3 class="section-title">${t('section.contacts')}</h3>
                      ${c.contacts.map(
                        (k) => html`<div class="mini-card" data-testid="detail-contact-person">
                          <div class="mini-card-head">
                            <strong>${k.name}</strong>
                            ${k.position_id !== null ? html`<span class="muted">${ref.itemName(k.position_id)}</span>` : nothing}
                            ${k.primary ? html`<span class="badge">${t('detail.primary')}</span>` : nothing}
                          </div>
                          ${k.phones.map((p) => html`<div class="small">${p}</div>`)}
                          ${k.emails.map((p) => html`<div class="small">${p}</div>`)}
                          ${k.notes ? html`<div class="small muted notes">${k.notes}</div>` : nothing}
                        </div>`,
                      )}
                    </section>`
                  : nothing}
                <section data-testid="detail-timeline">
                  <h3 class="section-title">${t('care.timeline.title')}</h3>
                  <clientele-care-timeline .customer=${c} .actor=${this.actor}
                    .renderHistory=${(h: HistoryEntry) => this.historyItem(h)}></clientele-care-timeline>
                </section>`
            : this.error
              ? nothing
              : html`<p class="muted">${t('common.loading')}</p>`}
        </div>
      </aside>
    </div>`;
  }
}

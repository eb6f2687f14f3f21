// <clientele-ownership-dialog>: the questions ownership actions ask before they run — who takes the
// customers over (transfer, assign), whether their planned care follows, and why (optional; required to reject). One instance, added to
// the page on first use; `askOwnership()` resolves to the answer, or null when cancelled.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import { t, tn, type PluralKey } from '../i18n';
import { ref } from '../ref-data';
import { BaseElement, trapTab } from './base';
import { iconClose } from './icons';

export type AskKind = 'transfer' | 'assign' | 'release' | 'reject';

export interface AskRequest {
  kind: AskKind;
  /** How many customers it applies to. */
  count: number;
  /** A staff member not to offer (the current owner of a single customer). */
  exclude?: number | null;
}

export interface AskAnswer {
  /** The new owner (transfer, assign). */
  to: number | null;
  /** Trimmed; null when left empty. */
  reason: string | null;
  /** Transfer, assign: their planned care activities follow the customers (checked by default). */
  withCare: boolean;
}

const TITLE: Record<AskKind, PluralKey> = {
  transfer: 'own.dialog.transfer',
  assign: 'own.dialog.assign',
  release: 'own.dialog.release',
  reject: 'own.dialog.reject',
};

@customElement('clientele-ownership-dialog')
export class ClienteleOwnershipDialog extends BaseElement {
  @state() private request: AskRequest | null = null;
  @state() private to: number | null = null;
  @state() private reason = '';
  @state() private withCare = true;
  @state() private errors: { to?: string; reason?: string } = {};
  private resolve: ((a: AskAnswer | null) => void) | null = null;
  private returnFocus: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.request !== null;
  }

  ask(request: AskRequest): Promise<AskAnswer | null> {
    this.resolve?.(null);
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.request = request;
    this.to = null;
    this.reason = '';
    this.withCare = true;
    this.errors = {};
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('select, textarea')?.focus());
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  private finish(answer: AskAnswer | null): void {
    const resolve = this.resolve;
    this.resolve = null;
    this.request = null;
    this.returnFocus?.focus();
    this.returnFocus = null;
    resolve?.(answer);
  }

  private submit(e?: Event): void {
    e?.preventDefault();
    const r = this.request;
    if (!r) return;
    const needsStaff = r.kind === 'transfer' || r.kind === 'assign';
    const reason = this.reason.trim();
    const errors: { to?: string; reason?: string } = {};
    if (needsStaff && this.to === null) errors.to = t('own.dialog.staff_required');
    if (r.kind === 'reject' && !reason) errors.reason = t('own.dialog.reason_required');
    this.errors = errors;
    if (errors.to || errors.reason) {
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('[aria-invalid=true]')?.focus());
      return;
    }
    this.finish({ to: needsStaff ? this.to : null, reason: reason || null, withCare: needsStaff && this.withCare });
  }

  private onKey = (e: KeyboardEvent): void => {
    if (trapTab(e, e.currentTarget as HTMLElement)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.finish(null);
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.submit();
    }
    // The app's shortcuts stay off while the dialog is open.
    e.stopPropagation();
  };

  protected override render() {
    const r = this.request;
    if (!r) return nothing;
    const needsStaff = r.kind === 'transfer' || r.kind === 'assign';
    const staff = ref.staff.filter((s) => s.active && s.id !== r.exclude);
    const note = { transfer: 'own.dialog.transfer_note', assign: 'own.dialog.transfer_note', release: 'own.dialog.release_note', reject: 'own.dialog.reject_note' } as const;
    return html`<div class="overlay overlay-top" @mousedown=${(e: Event) => e.target === e.currentTarget && this.finish(null)}>
      <form class="dialog dialog-small own-dialog" role="dialog" aria-modal="true" aria-labelledby="own-dialog-title" novalidate
        data-testid="ownership-dialog" data-kind=${r.kind} @keydown=${this.onKey} @submit=${(e: Event) => this.submit(e)}>
        <div class="own-dialog-head">
          <h2 class="dialog-title" id="own-dialog-title">${tn(TITLE[r.kind], r.count)}</h2>
          <button type="button" class="icon-button" aria-label=${t('common.close')} @click=${() => this.finish(null)}>${iconClose(16)}</button>
        </div>
        <p class="dialog-text">${t(note[r.kind])}</p>
        ${needsStaff
          ? html`<div class="field">
              <label for="own-to">${t('own.dialog.to')} <span class="req">*</span></label>
              <select id="own-to" data-testid="ownership-to" aria-invalid=${this.errors.to ? 'true' : 'false'}
                aria-describedby=${this.errors.to ? 'own-to-error' : nothing}
                @change=${(e: Event) => {
                  const v = (e.target as HTMLSelectElement).value;
                  this.to = v ? Number(v) : null;
                  this.errors = { ...this.errors, to: undefined };
                }}>
                <option value="" ?selected=${this.to === null}>${t('own.dialog.choose_staff')}</option>
                ${staff.map((s) => html`<option value=${s.id} ?selected=${this.to === s.id}>${s.name} (${t(`role.${s.role}`)})</option>`)}
              </select>
              ${this.errors.to ? html`<div class="field-error" id="own-to-error" role="alert" data-testid="ownership-error-to">${this.errors.to}</div>` : nothing}
            </div>
            <label class="check-field">
              <input type="checkbox" data-testid="ownership-with-care" .checked=${this.withCare}
                @change=${(e: Event) => (this.withCare = (e.target as HTMLInputElement).checked)} />
              <span>${t('own.dialog.with_care')}</span>
            </label>`
          : nothing}
        <div class="field">
          <label for="own-reason">${r.kind === 'reject' ? html`${t('own.dialog.reason')} <span class="req">*</span>` : t('own.dialog.reason_optional')}</label>
          <textarea id="own-reason" rows="3" maxlength="1000" data-testid="ownership-reason" .value=${this.reason}
            aria-invalid=${this.errors.reason ? 'true' : 'false'} aria-describedby=${this.errors.reason ? 'own-reason-error' : nothing}
            @input=${(e: Event) => {
              this.reason = (e.target as HTMLTextAreaElement).value;
              if (this.errors.reason) this.errors = { ...this.errors, reason: undefined };
            }}></textarea>
          ${this.errors.reason ? html`<div class="field-error" id="own-reason-error" role="alert" data-testid="ownership-error-reason">${this.errors.reason}</div>` : nothing}
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" data-testid="ownership-cancel" @click=${() => this.finish(null)}>${t('common.cancel')}</button>
          <button type="submit" class="button ${r.kind === 'reject' ? 'button-danger' : 'button-primary'}" data-testid="ownership-ok">
            ${t(`own.dialog.ok_${r.kind}`)}</button>
        </div>
      </form>
    </div>`;
  }
}

/** The page's dialog (created on first use). */
function dialog(): ClienteleOwnershipDialog {
  let d = document.querySelector<ClienteleOwnershipDialog>('clientele-ownership-dialog');
  if (!d) {
    d = document.createElement('clientele-ownership-dialog') as ClienteleOwnershipDialog;
    document.body.append(d);
  }
  return d;
}

export function askOwnership(request: AskRequest): Promise<AskAnswer | null> {
  return dialog().ask(request);
}

export function ownershipDialogOpen(): boolean {
  return !!document.querySelector<ClienteleOwnershipDialog>('clientele-ownership-dialog')?.isOpen;
}

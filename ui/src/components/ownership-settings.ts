// <clientele-ownership-settings>: on the Staff settings page (administrators), whether new customers
// need a manager's approval, the automatic return to the pool of customers nobody cared for, and
// each staff member's limit on customers claimed from the pool.

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

import type { Actor } from '../bindings/Actor';
import type { Staff } from '../bindings/Staff';
import { errorText, t } from '../i18n';
import * as ipc from '../ipc';
import '../ownership.css';
import { ref } from '../ref-data';
import { BaseElement } from './base';
import { toast, toastError } from './toasts';

/** A staff member's claim limit when the core reports it (`Staff.claim_limit`), else undefined. */
export function claimLimitOf(s: Staff): number | null | undefined {
  const v = (s as Staff & { claim_limit?: number | null }).claim_limit;
  return v === undefined || v === null || Number.isInteger(v) ? v : undefined;
}

/** The most days the pool-return rule accepts (the core's `MAX_POOL_RETURN_DAYS`). */
export const MAX_POOL_RETURN_DAYS = 3650;

/** The text of a days input → days (1 to 3650), or undefined when it is not. */
export function parseDays(text: string): number | undefined {
  const v = text.trim();
  if (!/^\d{1,4}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= MAX_POOL_RETURN_DAYS ? n : undefined;
}

/** The text of a limit input → the limit (null: none), or undefined when it is not a whole number ≥ 0. */
export function parseLimit(text: string): number | null | undefined {
  const v = text.trim();
  if (v === '') return null;
  if (!/^\d{1,9}$/.test(v)) return undefined;
  return Number(v);
}

@customElement('clientele-ownership-settings')
export class ClienteleOwnershipSettings extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  @state() private approval: boolean | null = null;
  /** Days before customers nobody cared for return to the pool; null: off; undefined: loading. */
  @state() private returnDays: number | null | undefined = undefined;
  /** The days typed while the rule is on (kept while it is switched off and on). */
  @state() private daysText = '30';
  @state() private daysError = '';
  @state() private busy = false;
  @state() private error = '';
  /** Limits saved in this session (the staff list may not carry them). */
  @state() private saved = new Map<number, number | null>();
  @state() private limitErrors = new Map<number, string>();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.approval = await ipc.approvalRequired();
      this.returnDays = await ipc.poolReturnDays();
      if (this.returnDays !== null) this.daysText = String(this.returnDays);
    } catch (e) {
      this.error = errorText(ipc.toApiError(e).body);
    }
  }

  private async setApproval(on: boolean, input: HTMLInputElement): Promise<void> {
    this.busy = true;
    try {
      this.approval = await ipc.setApprovalRequired(on);
      toast(t(this.approval ? 'own.settings.approval_on' : 'own.settings.approval_off'), 'success');
    } catch (e) {
      input.checked = !on;
      toastError(e);
    } finally {
      this.busy = false;
    }
  }

  /** Turn the rule on (with the days typed) or off, or change its days. */
  private async setReturn(on: boolean, toggle?: HTMLInputElement): Promise<void> {
    let days: number | null = null;
    if (on) {
      const parsed = parseDays(this.daysText);
      if (parsed === undefined) {
        this.daysError = t('own.settings.pool_return_invalid');
        if (toggle) toggle.checked = this.returnDays !== null;
        return;
      }
      days = parsed;
    }
    this.daysError = '';
    if (days === this.returnDays) return;
    this.busy = true;
    try {
      this.returnDays = await ipc.setPoolReturnDays(days);
      toast(this.returnDays === null ? t('own.settings.pool_return_off') : t('own.settings.pool_return_on', { days: this.returnDays }), 'success');
    } catch (e) {
      if (toggle) toggle.checked = this.returnDays !== null;
      this.daysError = errorText(ipc.toApiError(e).body);
    } finally {
      this.busy = false;
    }
  }

  private renderPoolReturn() {
    const on = this.returnDays !== null && this.returnDays !== undefined;
    return html`<div class="own-pool-return" data-testid="pool-return">
      <label class="own-toggle">
        <input type="checkbox" data-testid="pool-return-on" .checked=${on} ?disabled=${this.returnDays === undefined || this.busy}
          @change=${(e: Event) => void this.setReturn((e.target as HTMLInputElement).checked, e.target as HTMLInputElement)} />
        <span>
          <span class="own-toggle-label">${t('own.settings.pool_return')}</span>
          <span class="muted small own-toggle-hint">${t('own.settings.pool_return_hint')}</span>
        </span>
      </label>
      <div class="own-days">
        <label for="pool-return-days">${t('own.settings.pool_return_days')}</label>
        <input id="pool-return-days" type="text" inputmode="numeric" class="own-limit-input" data-testid="pool-return-days"
          .value=${this.daysText} ?disabled=${this.returnDays === undefined || this.busy} aria-invalid=${this.daysError ? 'true' : 'false'}
          aria-describedby=${this.daysError ? 'pool-return-error' : nothing}
          @input=${(e: Event) => (this.daysText = (e.target as HTMLInputElement).value)}
          @change=${() => void (on && this.setReturn(true))}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter' && on) {
              e.preventDefault();
              void this.setReturn(true);
            }
          }} />
      </div>
      ${this.daysError ? html`<div class="field-error" id="pool-return-error" role="alert" data-testid="pool-return-error">${this.daysError}</div>` : nothing}
    </div>`;
  }

  private currentLimit(s: Staff): number | null | undefined {
    return this.saved.has(s.id) ? this.saved.get(s.id) : claimLimitOf(s);
  }

  private async setLimit(s: Staff, input: HTMLInputElement): Promise<void> {
    const limit = parseLimit(input.value);
    const errors = new Map(this.limitErrors);
    if (limit === undefined) {
      errors.set(s.id, t('own.settings.claim_limit_invalid'));
      this.limitErrors = errors;
      return;
    }
    errors.delete(s.id);
    this.limitErrors = errors;
    const current = this.currentLimit(s);
    if (current !== undefined && (current ?? null) === limit) return;
    try {
      await ipc.setClaimLimit(s.id, limit);
      this.saved = new Map(this.saved).set(s.id, limit);
      toast(t('own.settings.claim_limit_saved', { name: s.name }), 'success');
    } catch (e) {
      const map = new Map(this.limitErrors);
      map.set(s.id, errorText(ipc.toApiError(e).body));
      this.limitErrors = map;
    }
  }

  protected override render() {
    if (this.actor?.role !== 'admin') return nothing;
    return html`<section class="settings-card own-settings" data-testid="ownership-settings">
      <h3>${t('own.settings.title')}</h3>
      ${this.error ? html`<div class="form-banner" role="alert">${this.error}</div>` : nothing}
      <label class="own-toggle">
        <input type="checkbox" data-testid="approval-required" .checked=${this.approval === true}
          ?disabled=${this.approval === null || this.busy}
          @change=${(e: Event) => void this.setApproval((e.target as HTMLInputElement).checked, e.target as HTMLInputElement)} />
        <span>
          <span class="own-toggle-label">${t('own.settings.approval')}</span>
          <span class="muted small own-toggle-hint">${t('own.settings.approval_hint')}</span>
        </span>
      </label>
      ${this.renderPoolReturn()}
      <h4 class="own-settings-sub">${t('own.settings.claim_limits')}</h4>
      <p class="muted small">${t('own.settings.claim_limits_hint')}</p>
      <table class="settings-table own-limits">
        <thead><tr><th>${t('field.name')}</th><th>${t('field.role')}</th><th class="own-limit-col">${t('own.settings.claim_limit')}</th></tr></thead>
        <tbody>
          ${ref.staff
            .filter((s) => s.active)
            .map((s) => {
              const limit = this.currentLimit(s);
              const err = this.limitErrors.get(s.id);
              return html`<tr data-testid="claim-limit-row" data-id=${s.id}>
                <td>${s.name}</td>
                <td>${t(`role.${s.role}`)}</td>
                <td class="own-limit-col">
                  <input type="text" inputmode="numeric" class="own-limit-input" data-testid="claim-limit" .value=${limit === null || limit === undefined ? '' : String(limit)}
                    placeholder=${t('own.settings.no_limit')} aria-label=${t('own.settings.claim_limit_for', { name: s.name })}
                    aria-invalid=${err ? 'true' : 'false'}
                    @change=${(e: Event) => void this.setLimit(s, e.target as HTMLInputElement)}
                    @keydown=${(e: KeyboardEvent) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        void this.setLimit(s, e.target as HTMLInputElement);
                      }
                    }} />
                  ${err ? html`<div class="field-error" role="alert" data-testid="claim-limit-error">${err}</div>` : nothing}
                </td>
              </tr>`;
            })}
        </tbody>
      </table>
    </section>`;
  }
}

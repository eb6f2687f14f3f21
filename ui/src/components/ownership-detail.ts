// Ownership in the customer drawer: the state badges beside the name, notes on the state (pool,
// pending, rejected with the reason, locked, inactive) with the actions that apply, the history
// lines of ownership actions, and the notice shown instead of the drawer when opening is refused.

import { html, nothing } from 'lit';
import { ref as elementRef } from 'lit/directives/ref.js';

import type { Actor } from '../bindings/Actor';
import type { Customer } from '../bindings/Customer';
import type { ErrorBody } from '../bindings/ErrorBody';
import { t, type MessageKey } from '../i18n';
import { actionsFor } from '../ownership';
import './ownership-actions';
import { approvalLabel, padlock, stateBadges } from './ownership-badges';

/** History lines of the ownership actions (merged into the drawer's own). */
export const OWNERSHIP_HISTORY: Record<string, MessageKey> = {
  transfer: 'own.history.transfer',
  release: 'own.history.release',
  claim: 'own.history.claim',
  assign: 'own.history.assign',
  lock: 'own.history.lock',
  unlock: 'own.history.unlock',
  activate: 'own.history.activate',
  deactivate: 'own.history.deactivate',
  approve: 'own.history.approve',
  reject: 'own.history.reject',
  resubmit: 'own.history.resubmit',
  'pool.auto_return': 'own.history.auto_return',
};

/** Whether a failed opening is a refusal to show instead of the drawer. */
export function ownershipRefusal(body: ErrorBody): boolean {
  return body.code === 'permission.locked' || body.code === 'permission.denied';
}

/** "You cannot open this customer" with the core's reason, in place of the drawer. */
export function refusalNotice(message: string, close: () => void) {
  return html`<div class="overlay overlay-top" @mousedown=${(e: Event) => e.target === e.currentTarget && close()}>
    <div class="dialog dialog-small own-refused" role="alertdialog" aria-modal="true" aria-labelledby="own-refused-title"
      aria-describedby="own-refused-message" data-testid="detail-refused">
      <div class="own-refused-icon" aria-hidden="true">${padlock(28)}</div>
      <h2 class="dialog-title" id="own-refused-title">${t('own.refused.title')}</h2>
      <p class="dialog-text" id="own-refused-message" data-testid="refused-message">${message}</p>
      <div class="dialog-actions">
        <button type="button" class="button button-primary" data-testid="refused-ok"
          ${elementRef((el) => el && queueMicrotask(() => (el as HTMLElement).focus()))}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Tab') e.preventDefault();
          }}
          @click=${close}>${t('common.close')}</button>
      </div>
    </div>
  </div>`;
}

function notes(c: Customer) {
  const out = [];
  if (c.in_pool) out.push(html`<p class="own-note" data-testid="note-pool">${t('own.detail.pool_note')}</p>`);
  if (c.approval === 'pending') out.push(html`<p class="own-note" data-testid="note-pending">${t('own.detail.pending_note')}</p>`);
  if (c.approval === 'rejected') {
    out.push(html`<p class="own-note" data-testid="note-rejected">${t('own.detail.rejected_note')}</p>`);
    if (c.approval_reason) out.push(html`<p class="own-note own-note-reason" data-testid="rejected-reason">${c.approval_reason}</p>`);
  }
  if (c.locked) out.push(html`<p class="own-note" data-testid="note-locked">${t('own.detail.locked_note')}</p>`);
  if (!c.active) out.push(html`<p class="own-note" data-testid="note-inactive">${t('own.detail.inactive_note')}</p>`);
  return out;
}

export const ownershipDetail = {
  approvalLabel,

  /** Beside the name; the rejection reason is in the notes below. */
  badges(c: Customer) {
    return stateBadges(c, false, false);
  },

  /** The state notes and the actions that apply to this customer for this actor. */
  section(c: Customer, actor: Actor | null, changed: () => void) {
    if (c.deleted_at) return nothing;
    const n = notes(c);
    const actions = actionsFor(actor, c).length > 0;
    return html`${actions
        ? html`<div class="drawer-actions drawer-actions-own">
            <clientele-ownership-actions .actor=${actor} .customer=${c} @ownership-changed=${changed}></clientele-ownership-actions>
          </div>`
        : nothing}
      ${n.length ? html`<div class="own-detail-state" data-testid="ownership-state">${n}</div>` : nothing}`;
  },
};

// <clientele-ownership-actions>: transfer, release, claim, assign, lock, activate, approve, reject and
// resubmit — for one customer (the detail drawer: `.customer`) or for the selection (the selection
// bar: `.selection`, `.count`, `.view`). It asks what it needs (ownership-dialog), calls the core,
// says what happened, and fires `ownership-changed` (bubbling) plus the window event that reloads
// the navigation badges. The core decides; a refusal shows its error in the user's language.

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

import type { Actor } from '../bindings/Actor';
import type { Customer } from '../bindings/Customer';
import type { Selection } from '../bindings/Selection';
import { t, tn, type MessageKey, type PluralKey } from '../i18n';
import * as ipc from '../ipc';
import {
  actionsFor,
  notifyOwnershipChanged,
  selectionActions,
  selectionIds,
  type OwnershipAction,
} from '../ownership';
import { ref } from '../ref-data';
import { BaseElement } from './base';
import { askOwnership } from './ownership-dialog';
import './ownership-dialog';
import { toast, toastError } from './toasts';

const LABEL: Record<OwnershipAction, MessageKey> = {
  transfer: 'own.action.transfer',
  release: 'own.action.release',
  claim: 'own.action.claim',
  assign: 'own.action.assign',
  lock: 'own.action.lock',
  unlock: 'own.action.unlock',
  activate: 'own.action.activate',
  deactivate: 'own.action.deactivate',
  approve: 'own.action.approve',
  reject: 'own.action.reject',
  resubmit: 'own.action.resubmit',
};

/** Actions the detail shows as primary buttons (the rest are plain). */
const PRIMARY = new Set<OwnershipAction>(['claim', 'approve', 'resubmit']);

export interface OwnershipChange {
  action: OwnershipAction;
  ids: number[];
  changed: number;
}

function staffName(id: number | null): string {
  return (id !== null && ref.staffMember(id)?.name) || `#${id ?? ''}`;
}

/**
 * Run one action on customers: ask first when it needs an answer, then resolve the ids (a selection
 * of "all matching" pages through the list), then call the core. Resolves to the change, or null
 * when the user cancelled or the core refused (the error is shown).
 */
export async function runOwnership(
  action: OwnershipAction,
  target: { ids: number[] } | { selection: Selection },
  count: number,
  exclude: number | null = null,
): Promise<OwnershipChange | null> {
  let to: number | null = null;
  let reason: string | null = null;
  let withCare = false;
  if (action === 'transfer' || action === 'assign' || action === 'release' || action === 'reject') {
    const answer = await askOwnership({ kind: action, count, exclude });
    if (!answer) return null;
    to = answer.to;
    reason = answer.reason;
    withCare = answer.withCare;
  }
  try {
    const ids = 'ids' in target ? target.ids : await selectionIds(target.selection);
    if (!ids.length) return null;
    let n: number;
    switch (action) {
      case 'transfer':
        n = await ipc.transferCustomers(ids, to ?? 0, reason, withCare);
        break;
      case 'assign':
        n = await ipc.assignCustomers(ids, to ?? 0, reason, withCare);
        break;
      case 'release':
        n = await ipc.releaseCustomers(ids, reason);
        break;
      case 'reject':
        n = await ipc.rejectCustomers(ids, reason ?? '');
        break;
      case 'claim':
        n = await ipc.claimCustomers(ids);
        break;
      case 'lock':
      case 'unlock':
        n = await ipc.setCustomersLocked(ids, action === 'lock');
        break;
      case 'activate':
      case 'deactivate':
        n = await ipc.setCustomersActive(ids, action === 'activate');
        break;
      case 'approve':
        n = await ipc.approveCustomers(ids);
        break;
      case 'resubmit': {
        const [id] = ids;
        n = id === undefined ? 0 : await ipc.resubmitCustomer(id);
        break;
      }
    }
    if (n === 0) toast(t('own.toast.unchanged'), 'info');
    else if (action === 'resubmit') toast(t('own.toast.resubmit'), 'success');
    else toast(tn(`own.toast.${action}` as PluralKey, n, { name: staffName(to) }), 'success');
    notifyOwnershipChanged();
    return { action, ids, changed: n };
  } catch (e) {
    toastError(e);
    return null;
  }
}

@customElement('clientele-ownership-actions')
export class ClienteleOwnershipActions extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  /** Detail mode: the customer shown. */
  @property({ attribute: false }) customer: Customer | null = null;
  /** Selection mode: what is selected, how many, and in which view (customers, pool, pending). */
  @property({ attribute: false }) selection: Selection | null = null;
  @property({ type: Number }) count = 0;
  @property() view = 'customers';
  @state() private busy = false;
  @state() private open = false;

  private onDocPointer = (e: Event): void => {
    if (!this.contains(e.target as Node)) this.setOpen(false);
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onDocPointer, true);
  }

  private setOpen(open: boolean): void {
    if (this.open === open) return;
    this.open = open;
    if (open) {
      document.addEventListener('pointerdown', this.onDocPointer, true);
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.own-menu-item')?.focus());
    } else document.removeEventListener('pointerdown', this.onDocPointer, true);
  }

  private async run(action: OwnershipAction): Promise<void> {
    if (this.busy) return;
    this.setOpen(false);
    const c = this.customer;
    const target = c ? { ids: [c.id] } : this.selection ? { selection: this.selection } : null;
    if (!target) return;
    this.busy = true;
    try {
      const change = await runOwnership(action, target, c ? 1 : this.count, c ? c.owner_id : null);
      if (change) this.dispatchEvent(new CustomEvent<OwnershipChange>('ownership-changed', { detail: change, bubbles: true }));
    } finally {
      this.busy = false;
    }
  }

  private onMenuKey = (e: KeyboardEvent): void => {
    if (!this.open) return;
    const items = [...this.querySelectorAll<HTMLElement>('.own-menu-item:not([disabled])')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.setOpen(false);
      this.querySelector<HTMLElement>('[data-testid=ownership-menu-toggle]')?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };

  private button(a: OwnershipAction, primary = false) {
    return html`<button type="button" class="button ${primary ? 'button-primary' : ''}" data-testid="own-${a}" data-action=${a}
      ?disabled=${this.busy} @click=${() => void this.run(a)}>${t(LABEL[a])}</button>`;
  }

  protected override render() {
    if (this.customer) {
      const actions = actionsFor(this.actor, this.customer);
      if (!actions.length) return nothing;
      return html`<div class="own-actions" role="group" aria-label=${t('own.actions_label')} data-testid="ownership-actions">
        ${actions.map((a) => this.button(a, PRIMARY.has(a)))}
      </div>`;
    }
    if (!this.selection) return nothing;
    const actions = selectionActions(this.actor, this.view);
    if (!actions.length) return nothing;
    // In the Pool and Pending views the few actions are buttons; elsewhere one menu.
    if (this.view !== 'customers') {
      return html`<span class="own-actions own-actions-bar" data-testid="ownership-actions">
        ${actions.map((a, i) => this.button(a, i === 0))}
      </span>`;
    }
    return html`<div class="popover-anchor own-menu-anchor" @keydown=${this.onMenuKey}>
      <button type="button" class="button ${this.open ? 'button-pressed' : ''}" data-testid="ownership-menu-toggle" aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'} ?disabled=${this.busy} @click=${() => this.setOpen(!this.open)}>
        ${t('own.menu')} <span aria-hidden="true">▾</span></button>
      ${this.open
        ? html`<div class="popover own-menu" role="menu" data-testid="ownership-menu" aria-label=${t('own.actions_label')}>
            ${actions.map(
              (a) => html`<button type="button" class="own-menu-item" role="menuitem" data-testid="own-${a}" data-action=${a}
                @click=${() => void this.run(a)}>${t(LABEL[a])}</button>`,
            )}
          </div>`
        : nothing}
    </div>`;
  }
}

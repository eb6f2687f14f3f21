// <clientele-care-nav>: the Care entry of the navigation, with the signed-in member's overdue count
// as a badge. Fires `care-open` when clicked. The count reloads when activities change anywhere
// in the app, when `stamp` changes, and every minute (time makes activities overdue). A click on a
// reminder notification fires `open-customer` (customer id) from here.

import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

import type { Actor } from '../bindings/Actor';
import { BaseElement } from '../components/base';
import { formatNumber, t, tn } from '../i18n';
import * as ipc from '../ipc';
import './care.css';
import { emptyCareFilter, toCareFilter } from './model';
import { CARE_CHANGED, iconCare } from './shared';
import { localZone } from './time';

const RELOAD_MS = 60_000;

@customElement('clientele-care-nav')
export class ClienteleCareNav extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  @property({ type: Boolean }) active = false;
  /** Anything that changes when the data may have: the count reloads. */
  @property({ attribute: false }) stamp: unknown = undefined;
  @state() private overdue: number | null = null;
  private timer: number | undefined;
  private loading = 0;

  private offReminder: (() => void) | null = null;

  private onChanged = (): void => void this.load();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(CARE_CHANGED, this.onChanged);
    this.timer = window.setInterval(() => void this.load(), RELOAD_MS);
    void ipc
      .onCareReminderClicked((id) => this.dispatchEvent(new CustomEvent<number>('open-customer', { detail: id, bubbles: true })))
      .then((off) => {
        if (this.isConnected) this.offReminder = off;
        else off();
      });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(CARE_CHANGED, this.onChanged);
    window.clearInterval(this.timer);
    this.offReminder?.();
    this.offReminder = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('stamp') || changed.has('actor')) void this.load();
  }

  async load(): Promise<void> {
    if (!this.actor) return;
    const n = ++this.loading;
    try {
      const counts = await ipc.careCounts(toCareFilter(emptyCareFilter('mine'), null, localZone()));
      if (n === this.loading) this.overdue = counts.overdue;
    } catch {
      // A convenience: the view works without its badge.
    }
  }

  protected override render() {
    if (!this.actor) return nothing;
    const n = this.overdue ?? 0;
    const label = tn('care.nav.overdue', n);
    return html`<button type="button" class="nav-item ${this.active ? 'active' : ''}" data-testid="nav-care" title=${t('care.nav.label')}
      aria-current=${this.active ? 'page' : 'false'}
      @click=${() => this.dispatchEvent(new CustomEvent('care-open', { bubbles: true }))}>
      <span class="nav-icon">${iconCare()}</span><span class="nav-label">${t('care.nav.label')}</span>
      ${n > 0
        ? html`<span class="nav-badge care-nav-badge" data-testid="care-overdue-count" data-count=${n} aria-label=${label} title=${label}>${formatNumber(n)}</span>`
        : nothing}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'clientele-care-nav': ClienteleCareNav;
  }
}

// The Pool and Pending views: their navigation entries with count badges
// (<clientele-ownership-nav>), their toolbar title with the Pending view's tabs
// (<clientele-ownership-title>) and their empty states. Both elements fire `ownership-view`
// ({view, tab}); the app shows that list with the core's filter (`viewFilter`).

import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

import type { Actor } from '../bindings/Actor';
import type { OwnershipCounts } from '../bindings/OwnershipCounts';
import { formatNumber, t, tn } from '../i18n';
import * as ipc from '../ipc';
import { OWNERSHIP_CHANGED, isManager, type OwnershipView, type PendingTab } from '../ownership';
import '../ownership.css';
import { BaseElement } from './base';

export interface OwnershipViewRequest {
  view: OwnershipView;
  tab: PendingTab;
}

function emitView(el: HTMLElement, view: OwnershipView, tab: PendingTab): void {
  el.dispatchEvent(new CustomEvent<OwnershipViewRequest>('ownership-view', { detail: { view, tab }, bubbles: true }));
}

const iconPool = () => html`<svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
  stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M3 10h18l-2 9H5z"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/></svg>`;
const iconPending = () => html`<svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
  stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/></svg>`;

@customElement('clientele-ownership-nav')
export class ClienteleOwnershipNav extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  /** The app's current view. */
  @property() view = 'customers';
  /** The Pending view's tab, kept when coming back to it. */
  @property() tab: PendingTab = 'pending';
  /** Anything that changes when the data may have (the list's count): the counts reload. */
  @property({ attribute: false }) stamp: unknown = undefined;
  @state() private counts: OwnershipCounts | null = null;
  private loading = 0;

  private onChanged = (): void => void this.load();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(OWNERSHIP_CHANGED, this.onChanged);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(OWNERSHIP_CHANGED, this.onChanged);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('stamp') || changed.has('actor')) void this.load();
  }

  /** Fetch the counts again (after a change anywhere). */
  async load(): Promise<void> {
    if (!this.actor) return;
    const n = ++this.loading;
    try {
      const counts = await ipc.ownershipCounts();
      if (n === this.loading) this.counts = counts;
    } catch {
      // The badges are a convenience: the views still work without them.
    }
  }

  private item(view: OwnershipView, label: string, icon: unknown, count: number | undefined, countLabel: string) {
    const active = this.view === view;
    return html`<button type="button" class="nav-item ${active ? 'active' : ''}" data-testid="nav-${view}" title=${label}
      aria-current=${active ? 'page' : 'false'} @click=${() => emitView(this, view, this.tab)}>
      <span class="nav-icon">${icon}</span><span class="nav-label">${label}</span>
      ${count ? html`<span class="nav-badge own-nav-badge-${view}" data-testid="${view}-count" data-count=${count}
          aria-label=${countLabel} title=${countLabel}>${formatNumber(count)}</span>` : nothing}
    </button>`;
  }

  protected override render() {
    if (!this.actor) return nothing;
    const c = this.counts;
    const pending = c?.pending;
    return html`${this.item('pool', t('own.nav.pool'), iconPool(), c?.pool, tn('own.nav.pool_count', c?.pool ?? 0))}
      ${this.item(
        'pending',
        t('own.nav.pending'),
        iconPending(),
        pending,
        isManager(this.actor) ? tn('own.nav.pending_count', pending ?? 0) : tn('own.nav.mine_count', pending ?? 0),
      )}`;
  }
}

/** The toolbar title of the Pool and Pending views (and the Pending view's tabs). */
@customElement('clientele-ownership-title')
export class ClienteleOwnershipTitle extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  @property() view: OwnershipView = 'pool';
  @property() tab: PendingTab = 'pending';

  protected override render() {
    if (this.view === 'pool') {
      return html`<div class="toolbar-title own-view-title" data-testid="view-title" data-view="pool">
        <div class="own-view-head"><h1>${t('own.view.pool')}</h1></div>
        <span class="muted small own-view-note">${t('own.view.pool_note')}</span>
      </div>`;
    }
    const tabs: PendingTab[] = ['pending', 'rejected'];
    return html`<div class="toolbar-title own-view-title" data-testid="view-title" data-view="pending">
      <div class="own-view-head"><h1>${t('own.view.pending')}</h1>
      <div class="own-tabs" role="group" aria-label=${t('own.tab.label')}>
        ${tabs.map(
          (tab) => html`<button type="button" class="own-tab ${this.tab === tab ? 'active' : ''}" data-testid="pending-tab-${tab}"
            aria-pressed=${this.tab === tab ? 'true' : 'false'} @click=${() => emitView(this, 'pending', tab)}>${t(`own.tab.${tab}`)}</button>`,
        )}
      </div></div>
      <span class="muted small own-view-note">${t(isManager(this.actor) ? 'own.view.pending_note_manager' : 'own.view.pending_note_staff')}</span>
    </div>`;
  }
}

/** The grid's empty state in the Pool and Pending views. */
export function ownershipEmpty(view: OwnershipView, tab: PendingTab) {
  const [title, body] =
    view === 'pool'
      ? (['own.empty.pool_title', 'own.empty.pool_body'] as const)
      : tab === 'rejected'
        ? (['own.empty.rejected_title', 'own.empty.rejected_body'] as const)
        : (['own.empty.pending_title', 'own.empty.pending_body'] as const);
  return html`<div class="empty-state" data-testid="empty-state" data-reason="${view}-empty">
    <div class="empty-icon">${view === 'pool' ? iconPool() : iconPending()}</div>
    <h2>${t(title)}</h2>
    <p class="muted">${t(body)}</p>
  </div>`;
}

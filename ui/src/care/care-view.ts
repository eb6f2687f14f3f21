// <clientele-care-view>: the Care view. "My activities" and, for managers and administrators,
// "Everyone"; planned activities grouped Overdue / Today / This week / Later with their counts,
// filters (type, assignee, customer level and segment), each group paged by keyset. Keyboard on the
// list: ↑/↓ move, D mark done, R reschedule, Delete cancel, Enter opens the customer. Fires
// `open-customer` (customer id).

import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { Actor } from '../bindings/Actor';
import { BaseElement } from '../components/base';
import '../components/multi-select';
import type { MultiOption } from '../components/multi-select';
import { toastError } from '../components/toasts';
import { formatNumber, t, tn, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import { isManager } from '../ownership';
import { ref } from '../ref-data';
import './care-dialogs';
import type { ClienteleCareDialogs } from './care-dialogs';
import './care.css';
import { BUCKETS, CareListModel, activeCareFilters, emptyCareFilter, keyAction, type CareFilterState } from './model';
import { loadReminders, saveReminders } from './reminders';
import { CARE_CHANGED, careTypes, iconBan, iconBell, iconCare, iconCheck, iconClock, typeBadge } from './shared';
import { formatDue, localZone, pickedIn } from './time';
import type { CareActivity, CareBucket, CareScope } from './types';

const BUCKET_LABELS: Record<CareBucket, MessageKey> = {
  overdue: 'care.bucket.overdue',
  today: 'care.bucket.today',
  week: 'care.bucket.week',
  later: 'care.bucket.later',
};

@customElement('clientele-care-view')
export class ClienteleCareView extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  @state() private reminders: boolean | null = null;
  @query('clientele-care-dialogs') private dialogs!: ClienteleCareDialogs;

  readonly model = new CareListModel(
    { list: ipc.careList, counts: ipc.careCounts },
    { tz: localZone(), onChange: () => this.requestUpdate(), onError: (e) => toastError(e) },
  );

  private onCareChanged = (): void => void this.model.reload();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(CARE_CHANGED, this.onCareChanged);
    void this.loadReminders();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(CARE_CHANGED, this.onCareChanged);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('actor') && this.actor) {
      const prev = changed.get('actor') as Actor | null | undefined;
      if (!prev || prev.staff_id !== this.actor.staff_id) {
        this.model.filter = emptyCareFilter('mine');
        void this.model.reload().then(() => this.takeFocus());
      }
    }
  }

  /** Once loaded, the keys work at once: the list takes the focus unless the user is elsewhere. */
  private async takeFocus(): Promise<void> {
    await this.updateComplete;
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('.sidenav')) this.focusList();
  }

  /** Load everything again (the navigation entry was clicked while the view was shown). */
  refresh(): Promise<void> {
    return this.model.reload();
  }

  private async loadReminders(): Promise<void> {
    try {
      this.reminders = await loadReminders();
    } catch {
      this.reminders = null;
    }
  }

  private async toggleReminders(on: boolean): Promise<void> {
    this.reminders = on;
    try {
      await saveReminders(on);
    } catch (e) {
      this.reminders = !on;
      toastError(e);
    }
  }

  private setFilter(patch: Partial<CareFilterState>): void {
    void this.model.setFilter(patch);
  }

  // --- actions ---

  private async act(kind: 'done' | 'reschedule' | 'cancel', a: CareActivity): Promise<void> {
    this.model.focus(a.id);
    const d = this.dialogs;
    if (kind === 'done') await d.complete(a);
    else if (kind === 'reschedule') await d.reschedule(a);
    else await d.cancel(a);
    // The list reloads on CARE_CHANGED; keep the keyboard on it.
    this.focusList();
  }

  private openCustomer(a: CareActivity): void {
    this.dispatchEvent(new CustomEvent<number>('open-customer', { detail: a.customer_id, bubbles: true }));
  }

  private focusList(): void {
    this.querySelector<HTMLElement>('[data-testid=care-list]')?.focus();
  }

  private async onListKey(e: KeyboardEvent): Promise<void> {
    const action = keyAction(e);
    if (!action) return;
    const target = e.target as HTMLElement;
    // Keys typed on a row's own buttons keep their meaning (Enter presses the button).
    if (target.closest('button, a, input, select, textarea') && (action === 'open' || e.key === ' ')) return;
    e.preventDefault();
    e.stopPropagation();
    if (action === 'up' || action === 'down' || action === 'first' || action === 'last') {
      await this.model.move(action);
      await this.updateComplete;
      this.scrollToFocused();
      return;
    }
    const a = this.model.focused() ?? (await this.model.move('first'));
    if (!a) return;
    if (action === 'open') this.openCustomer(a);
    else await this.act(action, a);
  }

  private scrollToFocused(): void {
    const id = this.model.focusId;
    if (id === null) return;
    this.querySelector<HTMLElement>(`[data-testid=care-row][data-id="${id}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }

  // --- rendering ---

  private renderToolbar() {
    const f = this.model.filter;
    const manager = isManager(this.actor);
    const scopes: CareScope[] = ['mine', 'everyone'];
    return html`<div class="toolbar care-toolbar">
      <div class="toolbar-title care-title" data-testid="view-title" data-view="care">
        <h1>${t('care.title')}</h1>
        ${manager
          ? html`<div class="own-tabs" role="group" aria-label=${t('care.scope.label')}>
              ${scopes.map(
                (s) => html`<button type="button" class="own-tab ${f.scope === s ? 'active' : ''}" data-testid="care-scope-${s}"
                  aria-pressed=${f.scope === s ? 'true' : 'false'} @click=${() => this.setFilter({ scope: s })}>${t(`care.scope.${s}`)}</button>`,
              )}
            </div>`
          : html`<span class="muted small">${t('care.scope.mine')}</span>`}
      </div>
      <span class="spacer"></span>
      ${this.reminders === null
        ? nothing
        : html`<label class="care-reminders" title=${t('care.reminders.hint')}>
            <input type="checkbox" data-testid="care-reminders" .checked=${live(this.reminders)}
              @change=${(e: Event) => void this.toggleReminders((e.target as HTMLInputElement).checked)} />
            ${iconBell(16)}<span>${t('care.reminders.label')}</span>
          </label>`}
      <button type="button" class="button button-primary" data-testid="care-schedule"
        @click=${() => void this.dialogs.schedule(null).then(() => this.focusList())}>+ ${t('care.schedule.button')}</button>
    </div>`;
  }

  private renderFilters() {
    const f = this.model.filter;
    const typeOptions: MultiOption[] = careTypes(f.type_ids).map((i) => ({ id: i.id, label: i.name, color: i.color, inactive: !i.active }));
    const catalog = (kind: 'level' | 'segment', keep: number[]): MultiOption[] =>
      ref.of(kind, { keep }).map((i) => ({ id: i.id, label: i.name, color: i.color, inactive: !i.active }));
    const n = activeCareFilters(f);
    return html`<div class="care-filters" data-testid="care-filters">
      <div class="filter-field">
        <span class="filter-label" id="care-f-type">${t('care.filter.type')}</span>
        <clientele-multi-select data-testid="care-filter-type" aria-labelledby="care-f-type" .label=${t('care.filter.type')}
          .placeholder=${t('care.filter.any')} .options=${typeOptions} .value=${f.type_ids}
          @values-changed=${(e: CustomEvent<number[]>) => this.setFilter({ type_ids: e.detail })}></clientele-multi-select>
      </div>
      ${f.scope === 'everyone'
        ? html`<div class="filter-field">
            <label class="filter-label" for="care-f-assignee">${t('care.filter.assignee')}</label>
            <select id="care-f-assignee" data-testid="care-filter-assignee"
              @change=${(e: Event) => {
                const v = (e.target as HTMLSelectElement).value;
                this.setFilter({ assignee_id: v === '' ? null : Number(v) });
              }}>
              <option value="" ?selected=${f.assignee_id === null}>${t('care.filter.anyone')}</option>
              ${ref.staffOptions([f.assignee_id]).map((s) => html`<option value=${s.id} ?selected=${f.assignee_id === s.id}>${s.name}</option>`)}
            </select>
          </div>`
        : nothing}
      <div class="filter-field">
        <span class="filter-label" id="care-f-level">${t('care.filter.level')}</span>
        <clientele-multi-select data-testid="care-filter-level" aria-labelledby="care-f-level" .label=${t('care.filter.level')}
          .placeholder=${t('care.filter.any')} .options=${catalog('level', f.level_ids)} .value=${f.level_ids}
          @values-changed=${(e: CustomEvent<number[]>) => this.setFilter({ level_ids: e.detail })}></clientele-multi-select>
      </div>
      <div class="filter-field">
        <span class="filter-label" id="care-f-segment">${t('care.filter.segment')}</span>
        <clientele-multi-select data-testid="care-filter-segment" aria-labelledby="care-f-segment" .label=${t('care.filter.segment')}
          .placeholder=${t('care.filter.any')} .options=${catalog('segment', f.segment_ids)} .value=${f.segment_ids}
          @values-changed=${(e: CustomEvent<number[]>) => this.setFilter({ segment_ids: e.detail })}></clientele-multi-select>
      </div>
      <div class="filter-actions">
        <button type="button" class="link-button" data-testid="care-filter-clear" ?disabled=${n === 0}
          @click=${() => this.setFilter({ type_ids: [], assignee_id: null, level_ids: [], segment_ids: [] })}>${t('care.filter.clear')}</button>
      </div>
    </div>`;
  }

  private renderRow(a: CareActivity, bucket: CareBucket, everyone: boolean) {
    const focused = this.model.focusId === a.id;
    const picked = pickedIn(a);
    return html`<div class="care-row ${focused ? 'focused' : ''} ${bucket === 'overdue' ? 'care-row-overdue' : ''}" role="option"
      id="care-row-${a.id}" aria-selected=${focused ? 'true' : 'false'} data-testid="care-row" data-id=${a.id}
      data-bucket=${bucket} data-customer=${a.customer_id}
      @click=${() => this.model.focus(a.id)} @dblclick=${() => this.openCustomer(a)}>
      <span class="care-row-type">${typeBadge(a.type_id, a.type_name)}</span>
      <span class="care-row-main">
        <span class="care-row-title" data-testid="care-row-title">${a.title}</span>
        <button type="button" class="link-button care-row-customer" data-testid="care-row-customer" tabindex="-1"
          @click=${(e: Event) => {
            e.stopPropagation();
            this.openCustomer(a);
          }}><span class="mono">${a.customer_code}</span> ${a.customer_name}</button>
      </span>
      <span class="care-row-due ${a.overdue ? 'is-overdue' : ''}" data-testid="care-row-due" title=${picked ? t('care.picked_in', { when: picked }) : ''}>
        ${iconClock(14)}<time datetime=${a.due_at}>${formatDue(a)}</time>
      </span>
      ${everyone ? html`<span class="care-row-assignee muted" data-testid="care-row-assignee">${a.assignee_name ?? t('care.unassigned')}</span>` : nothing}
      <span class="care-row-actions">
        <button type="button" class="button button-small" data-testid="care-row-done" tabindex="-1" title="${t('care.action.done')} (D)"
          @click=${(e: Event) => {
            e.stopPropagation();
            void this.act('done', a);
          }}>${iconCheck(14)}<span>${t('care.action.done')}</span></button>
        <button type="button" class="button button-small" data-testid="care-row-reschedule" tabindex="-1" title="${t('care.action.reschedule')} (R)"
          @click=${(e: Event) => {
            e.stopPropagation();
            void this.act('reschedule', a);
          }}>${t('care.action.reschedule')}</button>
        <button type="button" class="icon-button" data-testid="care-row-cancel" tabindex="-1" title="${t('care.action.cancel')} (Delete)"
          aria-label="${t('care.action.cancel')}: ${a.title}"
          @click=${(e: Event) => {
            e.stopPropagation();
            void this.act('cancel', a);
          }}>${iconBan(16)}</button>
      </span>
    </div>`;
  }

  private renderGroup(bucket: CareBucket, everyone: boolean) {
    const g = this.model.groups[bucket];
    const count = this.model.count(bucket);
    if (g.loaded && count === 0 && g.items.length === 0) return nothing;
    const more = Math.max(0, count - g.items.length);
    return html`<section class="care-group care-group-${bucket}" role="group" aria-labelledby="care-group-${bucket}"
      data-testid="care-group" data-bucket=${bucket} data-count=${count}>
      <h2 class="care-group-head" id="care-group-${bucket}">
        <span>${t(BUCKET_LABELS[bucket])}</span>
        <span class="care-count care-count-${bucket}" data-testid="care-count-${bucket}" data-count=${count}>${formatNumber(count)}</span>
      </h2>
      ${!g.loaded ? html`<div class="care-row care-row-loading"><span class="skeleton"></span></div>` : nothing}
      ${g.items.map((a) => this.renderRow(a, bucket, everyone))}
      ${g.next
        ? html`<button type="button" class="link-button care-more" data-testid="care-more-${bucket}" ?disabled=${g.loading}
            @click=${() => void this.model.loadMore(bucket)}>
            ${g.loading ? t('common.loading') : more > 0 ? tn('care.more', more) : t('common.load_more')}</button>`
        : nothing}
    </section>`;
  }

  private renderEmpty() {
    const f = this.model.filter;
    const filtered = activeCareFilters(f) > 0;
    const [title, body] = filtered
      ? (['care.empty.filtered_title', 'care.empty.filtered_body'] as const)
      : f.scope === 'everyone'
        ? (['care.empty.everyone_title', 'care.empty.everyone_body'] as const)
        : (['care.empty.mine_title', 'care.empty.mine_body'] as const);
    return html`<div class="care-empty" data-testid="empty-state" data-reason=${filtered ? 'care-filtered' : 'care-empty'}>
      <div class="empty-icon">${iconCare(26)}</div>
      <h2>${t(title)}</h2>
      <p class="muted">${t(body)}</p>
      ${filtered
        ? html`<button type="button" class="button" data-testid="care-empty-clear"
            @click=${() => this.setFilter({ type_ids: [], assignee_id: null, level_ids: [], segment_ids: [] })}>${t('care.filter.clear')}</button>`
        : html`<button type="button" class="button button-primary" data-testid="care-empty-schedule"
            @click=${() => void this.dialogs.schedule(null)}>+ ${t('care.schedule.button')}</button>`}
    </div>`;
  }

  protected override render() {
    const m = this.model;
    const everyone = m.filter.scope === 'everyone';
    const empty = m.loaded && m.rows().length === 0 && (m.total ?? 0) === 0;
    const focused = m.focusId;
    return html`<div class="care-view" data-testid="care-view" data-scope=${m.filter.scope} data-ready=${m.loaded ? '1' : '0'}>
      ${this.renderToolbar()} ${this.renderFilters()}
      ${empty
        ? this.renderEmpty()
        : html`<div class="care-list" role="listbox" tabindex="0" data-testid="care-list" aria-label=${t('care.title')}
            aria-activedescendant=${focused !== null ? `care-row-${focused}` : nothing}
            @keydown=${(e: KeyboardEvent) => void this.onListKey(e)}>
            ${BUCKETS.map((b) => this.renderGroup(b, everyone))}
          </div>
          <div class="care-keys muted small" aria-hidden="true">${t('care.keys')}</div>`}
      <clientele-care-dialogs></clientele-care-dialogs>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'clientele-care-view': ClienteleCareView;
  }
}

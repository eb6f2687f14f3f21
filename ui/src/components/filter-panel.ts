// <clientele-filter-panel>: the list's filters (kind, catalogs, owner, service manager, created
// range, consent, activity, last contact). It only edits a CustomerFilter and fires
// `filter-change`; the core filters.

import { html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

import type { ActiveFilter } from '../bindings/ActiveFilter';
import type { CatalogKind } from '../bindings/CatalogKind';
import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { CustomerKind } from '../bindings/CustomerKind';
import { activeFilterCount, emptyFilter, type ListFilterKey } from '../grid/filter';
import { t, tn, type MessageKey } from '../i18n';
import { ref } from '../ref-data';
import { BaseElement } from './base';
import './multi-select';
import type { MultiOption } from './multi-select';

interface CatalogFilter {
  key: ListFilterKey;
  kind: CatalogKind;
  label: MessageKey;
  testid: string;
}

/** "Not contacted for" choices, in days; a value saved otherwise is offered too. */
export const NOT_CONTACTED_DAYS = [7, 14, 30, 60, 90, 180, 365];

const CATALOG_FILTERS: CatalogFilter[] = [
  { key: 'level_ids', kind: 'level', label: 'filter.level', testid: 'filter-level' },
  { key: 'status_ids', kind: 'status', label: 'filter.status', testid: 'filter-status' },
  { key: 'segment_ids', kind: 'segment', label: 'filter.segment', testid: 'filter-segment' },
  { key: 'group_ids', kind: 'group', label: 'filter.group', testid: 'filter-group' },
  { key: 'channel_ids', kind: 'channel', label: 'filter.channel', testid: 'filter-channel' },
  { key: 'product_ids', kind: 'product', label: 'filter.product', testid: 'filter-product' },
];

@customElement('clientele-filter-panel')
export class ClienteleFilterPanel extends BaseElement {
  @property({ attribute: false }) filter: CustomerFilter = emptyFilter();

  private change(patch: Partial<CustomerFilter>): void {
    this.filter = { ...this.filter, ...patch };
    this.dispatchEvent(new CustomEvent<CustomerFilter>('filter-change', { detail: this.filter, bubbles: true }));
  }

  private catalogOptions(kind: CatalogKind): MultiOption[] {
    return ref.of(kind).map((i) => ({ id: i.id, label: i.name, color: i.color, inactive: !i.active }));
  }

  private staffOptions(): MultiOption[] {
    return ref.staff.map((s) => ({ id: s.id, label: s.name, inactive: !s.active }));
  }

  private multi(key: ListFilterKey, label: MessageKey, testid: string, options: MultiOption[]) {
    return html`<div class="filter-field">
      <span class="filter-label" id="fl-${testid}">${t(label)}</span>
      <clientele-multi-select data-testid=${testid} aria-labelledby="fl-${testid}" .label=${t(label)} .options=${options}
        .value=${this.filter[key]}
        @values-changed=${(e: CustomEvent<number[]>) => this.change({ [key]: e.detail } as Partial<CustomerFilter>)}></clientele-multi-select>
    </div>`;
  }

  protected override render() {
    const f = this.filter;
    const n = activeFilterCount(f);
    const consent = f.email_consent === null ? '' : f.email_consent ? 'yes' : 'no';
    const activity: ActiveFilter = f.active ?? 'active';
    const days = [...NOT_CONTACTED_DAYS];
    if (f.not_contacted_days !== null && !days.includes(f.not_contacted_days)) {
      days.push(f.not_contacted_days);
      days.sort((a, b) => a - b);
    }
    return html`<div class="filter-panel" data-testid="filter-panel" role="region" aria-label=${t('filter.title')}>
      <div class="filter-fields">
        <div class="filter-field">
          <label class="filter-label" for="filter-kind">${t('filter.kind')}</label>
          <select id="filter-kind" data-testid="filter-kind" .value=${f.kind ?? ''}
            @change=${(e: Event) => this.change({ kind: ((e.target as HTMLSelectElement).value || null) as CustomerKind | null })}>
            <option value="" ?selected=${!f.kind}>${t('filter.any')}</option>
            <option value="individual" ?selected=${f.kind === 'individual'}>${t('kind.individual')}</option>
            <option value="business" ?selected=${f.kind === 'business'}>${t('kind.business')}</option>
          </select>
        </div>
        ${CATALOG_FILTERS.map((c) => this.multi(c.key, c.label, c.testid, this.catalogOptions(c.kind)))}
        ${this.multi('owner_ids', 'filter.owner', 'filter-owner', this.staffOptions())}
        ${this.multi('service_manager_ids', 'filter.service_manager', 'filter-service-manager', this.staffOptions())}
        <div class="filter-field">
          <label class="filter-label" for="filter-consent">${t('filter.consent')}</label>
          <select id="filter-consent" data-testid="filter-consent" .value=${consent}
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              this.change({ email_consent: v === '' ? null : v === 'yes' });
            }}>
            <option value="" ?selected=${consent === ''}>${t('filter.any')}</option>
            <option value="yes" ?selected=${consent === 'yes'}>${t('filter.consent_yes')}</option>
            <option value="no" ?selected=${consent === 'no'}>${t('filter.consent_no')}</option>
          </select>
        </div>
        <div class="filter-field">
          <label class="filter-label" for="filter-activity">${t('own.filter.activity')}</label>
          <select id="filter-activity" data-testid="filter-activity" .value=${activity}
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value as ActiveFilter;
              this.change({ active: v === 'active' ? null : v });
            }}>
            <option value="active" ?selected=${activity === 'active'}>${t('own.filter.active')}</option>
            <option value="inactive" ?selected=${activity === 'inactive'}>${t('own.filter.inactive')}</option>
            <option value="all" ?selected=${activity === 'all'}>${t('own.filter.all')}</option>
          </select>
        </div>
        <div class="filter-field">
          <label class="filter-label" for="filter-not-contacted">${t('list.filter.not_contacted')}</label>
          <select id="filter-not-contacted" data-testid="filter-not-contacted" .value=${String(f.not_contacted_days ?? '')}
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              this.change({ not_contacted_days: v === '' ? null : Number(v) });
            }}>
            <option value="" ?selected=${f.not_contacted_days === null}>${t('filter.any')}</option>
            ${days.map((d) => html`<option value=${d} ?selected=${f.not_contacted_days === d}>${tn('list.filter.days', d)}</option>`)}
          </select>
        </div>
        <div class="filter-field filter-range">
          <span class="filter-label" id="fl-created">${t('filter.created')}</span>
          <div class="range-inputs" role="group" aria-labelledby="fl-created">
            <input type="date" data-testid="filter-created-from" aria-label=${t('filter.created_from')} .value=${f.created_from ?? ''}
              max=${f.created_to ?? ''}
              @change=${(e: Event) => this.change({ created_from: (e.target as HTMLInputElement).value || null })} />
            <span class="muted" aria-hidden="true">–</span>
            <input type="date" data-testid="filter-created-to" aria-label=${t('filter.created_to')} .value=${f.created_to ?? ''}
              min=${f.created_from ?? ''}
              @change=${(e: Event) => this.change({ created_to: (e.target as HTMLInputElement).value || null })} />
          </div>
        </div>
      </div>
      <div class="filter-actions">
        <button type="button" class="link-button" data-testid="filter-clear" ?disabled=${n === 0}
          @click=${() => this.change(emptyFilter())}>${t('filter.clear_all')}</button>
      </div>
    </div>`;
  }
}

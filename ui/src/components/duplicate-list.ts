// <clientele-duplicate-list>: customers that look like the one being entered, with only what the
// core lets the duplicate tools show (code, name, owner, masked phone and e-mail, what matched).
// Fires `open-customer` with the id when the user opens one.

import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';

import type { DuplicateMatch } from '../bindings/DuplicateMatch';
import { t, type MessageKey } from '../i18n';
import { BaseElement } from './base';

const MATCHED_ON: Record<string, MessageKey> = {
  phone: 'duplicate.on_phone',
  email: 'duplicate.on_email',
  tax_code: 'duplicate.on_tax_code',
  name_address: 'duplicate.on_name_address',
  name: 'duplicate.on_name',
};

export function matchedOnText(keys: readonly string[]): string {
  return keys.map((k) => (MATCHED_ON[k] ? t(MATCHED_ON[k]) : k)).join(', ');
}

@customElement('clientele-duplicate-list')
export class ClienteleDuplicateList extends BaseElement {
  @property({ attribute: false }) items: DuplicateMatch[] = [];

  protected override render() {
    if (!this.items.length) return nothing;
    return html`<table class="dup-table">
      <thead>
        <tr>
          <th>${t('grid.code')}</th>
          <th>${t('grid.name')}</th>
          <th>${t('grid.owner')}</th>
          <th>${t('duplicate.matched_on')}</th>
          <th>${t('duplicate.contact')}</th>
          <th><span class="sr-only">${t('duplicate.open')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${this.items.map(
          (m) => html`<tr data-testid="duplicate-match" data-id=${m.id} data-code=${m.code}>
            <td class="mono">${m.code}</td>
            <td class="dup-name">${m.name}</td>
            <td>${m.owner_name ?? t('common.none')}</td>
            <td><span class="matched-on">${matchedOnText(m.matched_on)}</span></td>
            <td class="mono small">${m.phone ? html`<div>${m.phone}</div>` : nothing}${m.email ? html`<div>${m.email}</div>` : nothing}</td>
            <td><button type="button" class="button button-small" data-testid="duplicate-open"
              @click=${() => this.dispatchEvent(new CustomEvent<number>('open-customer', { detail: m.id, bubbles: true }))}>${t('duplicate.open')}</button></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

// <clientele-duplicate-check>: the "Duplicate check" tool. Type part of a phone, a name or an
// e-mail and see who may already be a customer, before creating one. The core decides what
// matches and masks contact data.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import type { DuplicateMatch } from '../bindings/DuplicateMatch';
import { errorText, t, tn } from '../i18n';
import * as ipc from '../ipc';
import { BaseElement, trapTab } from './base';
import './duplicate-list';
import { iconClose } from './icons';

const LOOKUP_MS = 250;

@customElement('clientele-duplicate-check')
export class ClienteleDuplicateCheck extends BaseElement {
  @state() private open = false;
  @state() private query = '';
  @state() private found: DuplicateMatch[] = [];
  @state() private searched = '';
  @state() private error = '';
  private timer: number | undefined;
  private seq = 0;
  private returnFocus: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.open;
  }

  show(): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.open = true;
    this.query = '';
    this.found = [];
    this.searched = '';
    this.error = '';
    void this.updateComplete.then(() => this.querySelector<HTMLInputElement>('[data-testid=duplicate-check-input]')?.focus());
  }

  close(): void {
    window.clearTimeout(this.timer);
    this.open = false;
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  private onInput(value: string): void {
    this.query = value;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.lookup(value), LOOKUP_MS);
  }

  /** Ask the core now (exposed for tests; typing calls it after a pause). */
  async lookup(q: string): Promise<void> {
    const seq = ++this.seq;
    try {
      const found = await ipc.lookupDuplicates(q);
      if (seq !== this.seq) return;
      this.found = found;
      this.searched = q;
      this.error = '';
    } catch (e) {
      if (seq !== this.seq) return;
      this.error = errorText(ipc.toApiError(e).body);
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    if (trapTab(e, e.currentTarget as HTMLElement)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  };

  protected override render() {
    if (!this.open) return nothing;
    const short = this.searched.trim().length < 2;
    return html`<div class="overlay" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <div class="dialog dialog-medium" role="dialog" aria-modal="true" aria-labelledby="dc-title" data-testid="duplicate-check-dialog"
        @keydown=${this.onKey}>
        <header class="dialog-header">
          <h2 class="dialog-title" id="dc-title">${t('dupcheck.title')}</h2>
          <button type="button" class="icon-button" aria-label=${t('common.close')} @click=${() => this.close()}>${iconClose(16)}</button>
        </header>
        <div class="dialog-body">
          <p class="dialog-text">${t('dupcheck.intro')}</p>
          <input type="search" data-testid="duplicate-check-input" aria-label=${t('dupcheck.title')} autocomplete="off" spellcheck="false"
            placeholder=${t('dupcheck.placeholder')} .value=${this.query} @input=${(e: Event) => this.onInput((e.target as HTMLInputElement).value)} />
          ${this.error ? html`<div class="form-banner" role="alert">${this.error}</div>` : nothing}
          <div class="dupcheck-results" aria-live="polite">
            ${this.found.length
              ? html`<p class="muted small" data-testid="duplicate-check-count">${tn('dupcheck.found', this.found.length)}</p>
                  <clientele-duplicate-list .items=${this.found}
                    @open-customer=${(e: CustomEvent<number>) => {
                      e.stopPropagation();
                      this.close();
                      this.dispatchEvent(new CustomEvent<number>('open-customer', { detail: e.detail, bubbles: true }));
                    }}></clientele-duplicate-list>`
              : short
                ? html`<p class="muted small">${t('dupcheck.type_more')}</p>`
                : html`<p class="muted" data-testid="duplicate-check-none">${t('dupcheck.none', { query: this.searched })}</p>`}
          </div>
        </div>
      </div>
    </div>`;
  }
}

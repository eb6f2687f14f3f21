// A modal question with OK / Cancel. Enter confirms, Esc cancels. `ask()` resolves to the answer.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import { t } from '../i18n';
import { BaseElement } from './base';

export interface ConfirmRequest {
  message: string;
  detail?: string;
  okLabel?: string;
  danger?: boolean;
}

@customElement('clientele-confirm')
export class ClienteleConfirm extends BaseElement {
  @state() private request: ConfirmRequest | null = null;
  private resolve: ((ok: boolean) => void) | null = null;
  private returnFocus: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.request !== null;
  }

  ask(request: ConfirmRequest): Promise<boolean> {
    this.resolve?.(false);
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.request = request;
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  private answer(ok: boolean): void {
    const resolve = this.resolve;
    this.resolve = null;
    this.request = null;
    this.returnFocus?.focus();
    this.returnFocus = null;
    resolve?.(ok);
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.answer(false);
    } else if (e.key === 'Enter') {
      const target = e.target as HTMLElement | null;
      e.preventDefault();
      e.stopPropagation();
      this.answer(!(target?.dataset['testid'] === 'confirm-cancel'));
    } else if (e.key === 'Tab') {
      // Keep focus inside: two buttons.
      const ok = this.querySelector<HTMLElement>('[data-testid=confirm-ok]');
      const cancel = this.querySelector<HTMLElement>('[data-testid=confirm-cancel]');
      e.preventDefault();
      (document.activeElement === ok ? cancel : ok)?.focus();
    }
    e.stopPropagation();
  };

  protected override updated(): void {
    if (this.request) this.querySelector<HTMLElement>('[data-testid=confirm-ok]')?.focus();
  }

  protected override render() {
    const r = this.request;
    if (!r) return nothing;
    return html`<div class="overlay overlay-top" @click=${(e: Event) => e.target === e.currentTarget && this.answer(false)}>
      <div class="dialog dialog-small" role="alertdialog" aria-modal="true" aria-labelledby="confirm-message"
        data-testid="confirm-dialog" @keydown=${this.onKey}>
        <h2 class="dialog-title" id="confirm-message">${r.message}</h2>
        ${r.detail ? html`<p class="dialog-text">${r.detail}</p>` : nothing}
        <div class="dialog-actions">
          <button type="button" class="button" data-testid="confirm-cancel" @click=${() => this.answer(false)}>${t('common.cancel')}</button>
          <button type="button" class="button ${r.danger ? 'button-danger' : 'button-primary'}" data-testid="confirm-ok"
            @click=${() => this.answer(true)}>${r.okLabel ?? 'OK'}</button>
        </div>
      </div>
    </div>`;
  }
}

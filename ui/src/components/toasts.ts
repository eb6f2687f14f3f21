// Transient messages at the bottom right. Anyone calls `toast(text, kind)`.

import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import { errorText, t } from '../i18n';
import { toApiError } from '../ipc';
import { BaseElement } from './base';
import { iconClose } from './icons';

export type ToastKind = 'success' | 'error' | 'info';

interface Toast {
  id: number;
  text: string;
  kind: ToastKind;
}

const EVENT = 'clientele-toast';

export function toast(text: string, kind: ToastKind = 'info'): void {
  window.dispatchEvent(new CustomEvent<Omit<Toast, 'id'>>(EVENT, { detail: { text, kind } }));
}

/** Show an error from the core (or anything thrown) in the user's language. */
export function toastError(e: unknown): void {
  toast(errorText(toApiError(e).body), 'error');
}

@customElement('clientele-toasts')
export class ClienteleToasts extends BaseElement {
  @state() private toasts: Toast[] = [];
  private nextId = 1;

  private onToast = (e: Event): void => {
    const { text, kind } = (e as CustomEvent<Omit<Toast, 'id'>>).detail;
    const id = this.nextId++;
    this.toasts = [...this.toasts.slice(-4), { id, text, kind }];
    window.setTimeout(() => this.dismiss(id), kind === 'error' ? 8000 : 4000);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(EVENT, this.onToast);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(EVENT, this.onToast);
  }

  private dismiss(id: number): void {
    this.toasts = this.toasts.filter((x) => x.id !== id);
  }

  protected override render() {
    return html`<div class="toasts" role="status" aria-live="polite">
      ${this.toasts.map(
        (x) => html`<div class="toast toast-${x.kind}" data-testid="toast" role=${x.kind === 'error' ? 'alert' : 'status'}>
          <span class="toast-text">${x.text}</span>
          <button class="icon-button" type="button" aria-label=${t('toast.dismiss')} @click=${() => this.dismiss(x.id)}>${iconClose(16)}</button>
        </div>`,
      )}
    </div>`;
  }
}

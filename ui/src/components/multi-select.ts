// <clientele-multi-select>: a button that opens a list of checkboxes (catalog items, staff).
// Fires `values-changed` with the ticked ids, in the options' order.

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import { t } from '../i18n';
import { BaseElement } from './base';
import { swatch } from './badges';

export interface MultiOption {
  id: number;
  label: string;
  color?: string | null;
  inactive?: boolean;
}

@customElement('clientele-multi-select')
export class ClienteleMultiSelect extends BaseElement {
  @property({ attribute: false }) options: MultiOption[] = [];
  @property({ attribute: false }) value: readonly number[] = [];
  /** What the list is (aria label of the button and the list). */
  @property() label = '';
  /** Shown when nothing is ticked; defaults to "Any". */
  @property() placeholder = '';
  @property({ type: Boolean }) invalid = false;
  @property({ type: Boolean }) disabled = false;
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
    if (open) document.addEventListener('pointerdown', this.onDocPointer, true);
    else document.removeEventListener('pointerdown', this.onDocPointer, true);
  }

  private toggle(id: number, on: boolean): void {
    const set = new Set(this.value);
    if (on) set.add(id);
    else set.delete(id);
    const next = this.options.map((o) => o.id).filter((x) => set.has(x));
    // Keep ids that are not among the options (an item no longer offered stays selected).
    for (const x of this.value) if (!next.includes(x) && !this.options.some((o) => o.id === x)) next.push(x);
    this.value = next;
    this.dispatchEvent(new CustomEvent<number[]>('values-changed', { detail: next, bubbles: true }));
  }

  private summary(): string {
    const picked = this.value.map((id) => this.options.find((o) => o.id === id)?.label ?? `#${id}`);
    if (!picked.length) return this.placeholder || t('filter.any');
    if (picked.length <= 2) return picked.join(', ');
    return t('filter.n_selected', { count: picked.length });
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.open) {
      e.preventDefault();
      e.stopPropagation();
      this.setOpen(false);
      this.querySelector<HTMLElement>('.ms-button')?.focus();
    }
  };

  protected override render() {
    const any = this.value.length === 0;
    // Swatches only where colours mean something: when at least one option has one.
    const colours = this.options.some((o) => !!o.color);
    return html`<div class="ms ${this.open ? 'ms-open' : ''}" @keydown=${this.onKey}>
      <button type="button" class="ms-button ${any ? 'ms-empty' : ''}" data-testid="ms-button" aria-haspopup="listbox"
        aria-expanded=${this.open ? 'true' : 'false'} aria-label=${this.label ? `${this.label}: ${this.summary()}` : nothing}
        aria-invalid=${this.invalid ? 'true' : 'false'} ?disabled=${this.disabled}
        @click=${() => this.setOpen(!this.open)}>
        <span class="ms-summary">${this.summary()}</span>
        <span class="ms-caret" aria-hidden="true">▾</span>
      </button>
      ${this.open
        ? html`<div class="ms-menu" role="listbox" aria-multiselectable="true" aria-label=${this.label}
            @change=${(e: Event) => e.stopPropagation()}>
            ${this.options.length === 0 ? html`<div class="ms-none muted">${t('filter.no_options')}</div>` : nothing}
            ${this.options.map(
              (o) => html`<label class="ms-option ${o.inactive ? 'ms-inactive' : ''}" role="option"
                aria-selected=${this.value.includes(o.id) ? 'true' : 'false'}>
                <input type="checkbox" data-value=${o.id} .checked=${live(this.value.includes(o.id))}
                  @change=${(e: Event) => this.toggle(o.id, (e.target as HTMLInputElement).checked)} />
                ${colours ? swatch(o.color) : nothing}
                <span class="ms-label">${o.label}</span>
              </label>`,
            )}
          </div>`
        : nothing}
    </div>`;
  }
}

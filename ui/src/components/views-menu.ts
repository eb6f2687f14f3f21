// <clientele-views-menu>: saved views of the list (a name for a search, filters, sort and
// columns), personal or shared. Applying one fires `view-apply`; saving takes the list as it is
// now from `current()`. Who may change or delete a view is the core's decision (`editable`).

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { SavedView } from '../bindings/SavedView';
import { fromDefinition, toDefinition, type ViewDefinition } from '../grid/views';
import { errorText, fieldErrorText, t } from '../i18n';
import * as ipc from '../ipc';
import { BaseElement } from './base';
import { iconViews } from './icons';
import { toast, toastError } from './toasts';

export interface ViewApply {
  view: SavedView;
  definition: ViewDefinition;
}

@customElement('clientele-views-menu')
export class ClienteleViewsMenu extends BaseElement {
  /** The list as it is now (what "Save" stores). */
  @property({ attribute: false }) current: () => ViewDefinition = () => fromDefinition(null);
  /** The view last applied, if any. */
  @property({ attribute: false }) active: SavedView | null = null;
  @state() private open = false;
  @state() private views: SavedView[] = [];
  @state() private name = '';
  @state() private shared = false;
  @state() private error = '';
  @state() private confirmDelete: number | null = null;
  @state() private busy = false;

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
    this.confirmDelete = null;
    this.error = '';
    if (open) {
      document.addEventListener('pointerdown', this.onDocPointer, true);
      void this.load();
    } else document.removeEventListener('pointerdown', this.onDocPointer, true);
  }

  private async load(): Promise<void> {
    try {
      this.views = await ipc.listViews();
    } catch (e) {
      this.error = errorText(ipc.toApiError(e).body);
    }
  }

  private apply(view: SavedView): void {
    this.dispatchEvent(new CustomEvent<ViewApply>('view-apply', { detail: { view, definition: fromDefinition(view.definition) }, bubbles: true }));
    this.setOpen(false);
  }

  private async save(id: number | null, name: string, shared: boolean): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const view = await ipc.saveView({ id, name, shared, definition: toDefinition(this.current()) });
      toast(t(id === null ? 'views.saved' : 'views.updated', { name: view.name }), 'success');
      this.name = '';
      this.shared = false;
      await this.load();
      this.dispatchEvent(new CustomEvent<ViewApply>('view-apply', { detail: { view, definition: fromDefinition(view.definition) }, bubbles: true }));
    } catch (e) {
      const err = ipc.toApiError(e);
      this.error = err.fields.length ? err.fields.map((f) => fieldErrorText(f)).join(' ') : errorText(err.body);
    } finally {
      this.busy = false;
    }
  }

  private async deleteView(view: SavedView): Promise<void> {
    try {
      await ipc.deleteView(view.id);
      toast(t('views.deleted', { name: view.name }), 'success');
      this.confirmDelete = null;
      if (this.active?.id === view.id) this.dispatchEvent(new CustomEvent('view-cleared', { bubbles: true }));
      await this.load();
    } catch (e) {
      toastError(e);
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.open) {
      e.preventDefault();
      e.stopPropagation();
      this.setOpen(false);
      this.querySelector<HTMLElement>('[data-testid=views-toggle]')?.focus();
    }
  };

  protected override render() {
    const active = this.active;
    return html`<div class="popover-anchor" @keydown=${this.onKey}>
      <button type="button" class="button ${active ? 'button-pressed' : ''}" data-testid="views-toggle" aria-haspopup="true"
        aria-expanded=${this.open ? 'true' : 'false'} @click=${() => this.setOpen(!this.open)}>
        ${iconViews(16)}<span class="button-label views-label">${active ? active.name : t('views.button')}</span>
      </button>
      ${this.open
        ? html`<div class="popover views-menu" data-testid="views-menu" role="dialog" aria-label=${t('views.title')}>
            <div class="popover-head"><strong>${t('views.title')}</strong></div>
            ${this.views.length === 0 ? html`<p class="muted small popover-hint">${t('views.none')}</p>` : nothing}
            <ul class="view-list">
              ${this.views.map(
                (v) => html`<li class="view-item ${active?.id === v.id ? 'active' : ''}" data-testid="view-item" data-id=${v.id}>
                  <button type="button" class="view-apply" data-testid="view-apply" @click=${() => this.apply(v)}>
                    <span class="view-name">${v.name}</span>
                    ${v.shared ? html`<span class="badge">${t('views.shared')}</span>` : nothing}
                    ${v.owner_name && !v.editable ? html`<span class="muted small">${v.owner_name}</span>` : nothing}
                  </button>
                  ${v.editable
                    ? this.confirmDelete === v.id
                      ? html`<button type="button" class="button button-danger button-small" data-testid="view-delete-confirm"
                          @click=${() => void this.deleteView(v)}>${t('common.delete')}</button>`
                      : html`<button type="button" class="icon-button small-icon" data-testid="view-delete" title=${t('common.delete')}
                          aria-label="${t('common.delete')}: ${v.name}" @click=${() => {
                            this.confirmDelete = v.id;
                          }}>×</button>`
                    : nothing}
                </li>`,
              )}
            </ul>
            ${active?.editable
              ? html`<button type="button" class="link-button view-update" data-testid="view-update"
                  @click=${() => void this.save(active.id, active.name, active.shared)}>${t('views.update', { name: active.name })}</button>`
              : nothing}
            <form class="view-save" @submit=${(e: Event) => {
              e.preventDefault();
              void this.save(null, this.name, this.shared);
            }}>
              <label class="field-label" for="view-name">${t('views.save_current')}</label>
              <input id="view-name" data-testid="view-name" placeholder=${t('views.name')} .value=${live(this.name)}
                aria-invalid=${this.error ? 'true' : 'false'}
                @input=${(e: Event) => {
                  this.name = (e.target as HTMLInputElement).value;
                  this.error = '';
                }} />
              <label class="check-field small">
                <input type="checkbox" data-testid="view-shared" .checked=${live(this.shared)}
                  @change=${(e: Event) => {
                    this.shared = (e.target as HTMLInputElement).checked;
                  }} />
                <span>${t('views.share')}</span>
              </label>
              ${this.error ? html`<div class="field-error" role="alert" data-testid="view-error">${this.error}</div>` : nothing}
              <button type="submit" class="button button-primary button-small" data-testid="view-save" ?disabled=${this.busy}>${t('views.save')}</button>
            </form>
          </div>`
        : nothing}
    </div>`;
  }
}

// <clientele-column-chooser>: a toolbar button opening the list of grid columns: show/hide with a
// checkbox, reorder with arrows or by dragging, reset. Fires `layout-change` with the new layout.

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import {
  columnDef,
  defaultLayout,
  moveColumn,
  moveColumnTo,
  toggleColumn,
  type ColumnId,
  type ColumnLayout,
} from '../grid/columns';
import { t } from '../i18n';
import { BaseElement } from './base';
import { iconColumns } from './icons';

@customElement('clientele-column-chooser')
export class ClienteleColumnChooser extends BaseElement {
  @property({ attribute: false }) layout: ColumnLayout = defaultLayout();
  @state() private open = false;
  @state() private dragging: ColumnId | null = null;
  @state() private dropAt: number | null = null;

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

  private emit(layout: ColumnLayout, focus?: string): void {
    this.layout = layout;
    this.dispatchEvent(new CustomEvent<ColumnLayout>('layout-change', { detail: layout, bubbles: true }));
    if (focus) void this.updateComplete.then(() => this.querySelector<HTMLElement>(focus)?.focus());
  }

  private onDrop(e: DragEvent, index: number): void {
    e.preventDefault();
    const id = this.dragging;
    this.dragging = null;
    this.dropAt = null;
    if (!id) return;
    const from = this.layout.findIndex((c) => c.id === id);
    this.emit(moveColumnTo(this.layout, id, from < index ? index - 1 : index));
  }

  private onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.open) {
      e.preventDefault();
      e.stopPropagation();
      this.setOpen(false);
      this.querySelector<HTMLElement>('[data-testid=columns-toggle]')?.focus();
    }
  };

  protected override render() {
    const last = this.layout.length - 1;
    return html`<div class="popover-anchor" @keydown=${this.onKey}>
      <button type="button" class="button" data-testid="columns-toggle" aria-haspopup="true" aria-expanded=${this.open ? 'true' : 'false'}
        @click=${() => this.setOpen(!this.open)}>${iconColumns(16)}<span class="button-label">${t('columns.button')}</span></button>
      ${this.open
        ? html`<div class="popover columns-menu" data-testid="columns-menu" role="dialog" aria-label=${t('columns.title')}>
            <div class="popover-head">
              <strong>${t('columns.title')}</strong>
              <button type="button" class="link-button" data-testid="columns-reset" @click=${() => this.emit(defaultLayout())}>${t('columns.reset')}</button>
            </div>
            <p class="muted small popover-hint">${t('columns.hint')}</p>
            <ol class="column-list">
              ${this.layout.map((c, i) => {
                const def = columnDef(c.id);
                return html`<li class="column-item ${this.dragging === c.id ? 'dragging' : ''} ${this.dropAt === i ? 'drop-before' : ''}"
                  data-testid="column-item" data-col=${c.id} draggable="true"
                  @dragstart=${(e: DragEvent) => {
                    this.dragging = c.id;
                    e.dataTransfer?.setData('text/plain', c.id);
                    if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
                  }}
                  @dragend=${() => {
                    this.dragging = null;
                    this.dropAt = null;
                  }}
                  @dragover=${(e: DragEvent) => {
                    if (!this.dragging) return;
                    e.preventDefault();
                    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
                    this.dropAt = e.clientY > r.top + r.height / 2 ? i + 1 : i;
                  }}
                  @drop=${(e: DragEvent) => this.onDrop(e, this.dropAt ?? i)}>
                  <span class="drag-handle" aria-hidden="true">⋮⋮</span>
                  <label class="column-label">
                    <input type="checkbox" data-testid="column-show-${c.id}" .checked=${live(c.shown)} ?disabled=${def.fixed}
                      @change=${(e: Event) => this.emit(toggleColumn(this.layout, c.id, (e.target as HTMLInputElement).checked))} />
                    <span>${t(def.label)}</span>
                  </label>
                  <button type="button" class="icon-button small-icon" data-testid="column-up-${c.id}" ?disabled=${i === 0}
                    title=${t('columns.move_up')} aria-label="${t('columns.move_up')}: ${t(def.label)}"
                    @click=${() => this.emit(moveColumn(this.layout, c.id, -1), i > 1 ? `[data-testid=column-up-${c.id}]` : `[data-testid=column-down-${c.id}]`)}>↑</button>
                  <button type="button" class="icon-button small-icon" data-testid="column-down-${c.id}" ?disabled=${i === last}
                    title=${t('columns.move_down')} aria-label="${t('columns.move_down')}: ${t(def.label)}"
                    @click=${() => this.emit(moveColumn(this.layout, c.id, 1), i < last - 1 ? `[data-testid=column-down-${c.id}]` : `[data-testid=column-up-${c.id}]`)}>↓</button>
                </li>`;
              })}
              ${this.dropAt === this.layout.length ? html`<li class="drop-end" aria-hidden="true"></li>` : nothing}
            </ol>
          </div>`
        : nothing}
    </div>`;
  }
}

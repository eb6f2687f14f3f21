// <clientele-transfer-menu>: the list toolbar's "Import / Export" menu — import a spreadsheet,
// the recent imports, export the list as it is now (search, filters, sort), download a template.
// Also registers the dialogs it opens (the app renders them once: see `transferDialogs`).

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

import type { ListQuery } from '../bindings/ListQuery';
import type { Selection } from '../bindings/Selection';
import type { TemplateKind } from '../bindings/TemplateKind';
import type { Params } from '../grid/data-source';
import { t, type MessageKey } from '../i18n';
import { BaseElement } from './base';
import { openExport } from './export-dialog';
import './export-dialog';
import type { ClienteleExportDialog } from './export-dialog';
import './import-history';
import type { ClienteleImportHistory } from './import-history';
import { downloadTemplate } from './import-wizard';
import './import-wizard';
import type { ClienteleImportWizard } from './import-wizard';
import { iconDownload, iconHistory, iconSheet, iconTransfer, iconUpload } from './transfer-icons';

const TEMPLATES: TemplateKind[] = ['individual', 'business', 'care'];

/** The list as the grid shows it now, as the export's source. */
export function listQuery(p: Readonly<Params>): ListQuery {
  return { search: p.search, filter: p.filter, sort: p.sort, desc: p.desc, trash: p.trash, after: null, offset: null, limit: 100 };
}

export function openImportWizard(): void {
  document.querySelector<ClienteleImportWizard>('clientele-import-wizard')?.show();
}

export function openImportHistory(): void {
  document.querySelector<ClienteleImportHistory>('clientele-import-history')?.show();
}

/** Export the selection (the selection bar's button). */
export function exportSelection(selection: Selection, count: number): void {
  openExport({ selection }, count);
}

/** Whether one of the transfer dialogs is open (the app's shortcuts stay off meanwhile). */
export function transferDialogOpen(): boolean {
  return !!(
    document.querySelector<ClienteleImportWizard>('clientele-import-wizard')?.isOpen ||
    document.querySelector<ClienteleImportHistory>('clientele-import-history')?.isOpen ||
    document.querySelector<ClienteleExportDialog>('clientele-export-dialog')?.isOpen
  );
}

@customElement('clientele-transfer-menu')
export class ClienteleTransferMenu extends BaseElement {
  /** The list's search, filter, sort (what "Export list" exports). */
  @property({ attribute: false }) params: Readonly<Params> | null = null;
  /** How many customers the list holds. */
  @property({ type: Number }) count = 0;
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
    if (open) {
      document.addEventListener('pointerdown', this.onDocPointer, true);
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.menu-item')?.focus());
    } else document.removeEventListener('pointerdown', this.onDocPointer, true);
  }

  private pick(fn: () => void): void {
    this.setOpen(false);
    fn();
  }

  private onKey = (e: KeyboardEvent): void => {
    if (!this.open) return;
    const items = [...this.querySelectorAll<HTMLElement>('.menu-item:not([disabled])')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.setOpen(false);
      this.querySelector<HTMLElement>('[data-testid=transfer-menu-toggle]')?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
      next?.focus();
    }
  };

  protected override render() {
    const params = this.params;
    return html`<div class="popover-anchor" @keydown=${this.onKey}>
      <button type="button" class="button ${this.open ? 'button-pressed' : ''}" data-testid="transfer-menu-toggle" aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'} @click=${() => this.setOpen(!this.open)}>
        ${iconTransfer(16)}<span class="button-label">${t('transfer.menu')}</span>
      </button>
      ${this.open
        ? html`<div class="popover menu transfer-menu" role="menu" data-testid="transfer-menu">
            <button type="button" class="menu-item" role="menuitem" data-testid="open-import" @click=${() => this.pick(openImportWizard)}>
              ${iconUpload(16)}<span>${t('transfer.import')}</span></button>
            <button type="button" class="menu-item" role="menuitem" data-testid="open-import-history" @click=${() => this.pick(openImportHistory)}>
              ${iconHistory(16)}<span>${t('import.history')}</span></button>
            <button type="button" class="menu-item" role="menuitem" data-testid="open-export" ?disabled=${!params}
              @click=${() => this.pick(() => params && openExport({ query: listQuery(params) }, this.count))}>
              ${iconDownload(16)}<span>${t('transfer.export_list')}</span></button>
            <div class="menu-sep" role="separator"></div>
            <div class="menu-label">${t('template.menu')}</div>
            ${TEMPLATES.map(
              (k) => html`<button type="button" class="menu-item" role="menuitem" data-testid="template-${k}"
                @click=${() => this.pick(() => void downloadTemplate(k))}>${iconSheet(16)}<span>${t(`template.${k}` as MessageKey)}</span></button>`,
            )}
          </div>`
        : nothing}
    </div>`;
  }
}

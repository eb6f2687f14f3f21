// <clientele-import-history>: the recent imports (file, who, when, counts) with Revert. Who may
// revert which import is the core's decision; a refusal shows its reason. Fires
// `import-reverted` (the batch) after a revert.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import type { ImportBatch } from '../bindings/ImportBatch';
import { errorText, formatDateTime, formatNumber, t, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import { BaseElement, trapTab } from './base';
import type { ClienteleConfirm } from './confirm-dialog';
import { iconClose } from './icons';
import { toast } from './toasts';
import '../transfer.css';

const LIMIT = 50;

@customElement('clientele-import-history')
export class ClienteleImportHistory extends BaseElement {
  @state() private open = false;
  @state() private batches: ImportBatch[] | null = null;
  @state() private error = '';
  @state() private busy: number | null = null;
  private returnFocus: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.open;
  }

  show(): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.open = true;
    this.batches = null;
    this.error = '';
    void this.load();
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('.history-dialog')?.focus());
  }

  close(): void {
    this.open = false;
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  private async load(): Promise<void> {
    try {
      this.batches = await ipc.importBatches(LIMIT);
    } catch (e) {
      this.error = errorText(ipc.toApiError(e).body);
      this.batches = [];
    }
  }

  private async revert(b: ImportBatch): Promise<void> {
    const ok = await document.querySelector<ClienteleConfirm>('clientele-confirm')?.ask({
      message: t('import.revert_title'),
      detail: b.mode === 'care' ? t('care_import.revert_body', { created: b.created }) : t('import.revert_body', { created: b.created, updated: b.updated }),
      okLabel: t('import.revert_ok'),
      danger: true,
    });
    if (!ok) return;
    this.busy = b.id;
    this.error = '';
    try {
      const done = await ipc.importRevert(b.id);
      toast(t('import.reverted_toast', { file: done.file_name }), 'success');
      this.dispatchEvent(new CustomEvent<ImportBatch>('import-reverted', { detail: done, bubbles: true }));
      await this.load();
    } catch (e) {
      this.error = errorText(ipc.toApiError(e).body);
    } finally {
      this.busy = null;
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

  private modeLabel(mode: string): string {
    return ['skip', 'update', 'create', 'care'].includes(mode) ? t(`import.batch_mode_${mode}` as MessageKey) : mode;
  }

  protected override render() {
    if (!this.open) return nothing;
    const list = this.batches;
    return html`<div class="overlay" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <div class="dialog history-dialog" role="dialog" aria-modal="true" aria-labelledby="ih-title" tabindex="-1"
        data-testid="import-history" @keydown=${this.onKey}>
        <header class="dialog-header">
          <h2 class="dialog-title" id="ih-title">${t('import.history')}</h2>
          <button type="button" class="icon-button" aria-label=${t('common.close')} @click=${() => this.close()}>${iconClose(16)}</button>
        </header>
        <div class="dialog-body">
          ${this.error ? html`<div class="form-banner" role="alert" data-testid="import-history-error">${this.error}</div>` : nothing}
          ${list === null
            ? html`<p class="muted">${t('common.loading')}</p>`
            : list.length === 0
              ? html`<p class="muted" data-testid="import-history-empty">${t('import.history_empty')}</p>`
              : html`<table class="batches-table">
                  <thead><tr>
                    <th>${t('import.batch_when')}</th><th>${t('import.batch_file')}</th><th>${t('import.batch_by')}</th>
                    <th>${t('import.batch_mode')}</th><th class="num">${t('import.count.created')}</th>
                    <th class="num">${t('import.count.updated')}</th><th class="num">${t('import.count.skipped')}</th>
                    <th class="num">${t('import.count.invalid')}</th><th></th>
                  </tr></thead>
                  <tbody>
                    ${list.map(
                      (b) => html`<tr data-testid="import-batch" data-id=${b.id} class=${b.reverted_at ? 'reverted' : ''}>
                        <td class="nowrap">${formatDateTime(b.at)}</td>
                        <td class="batch-file">${b.file_name}</td>
                        <td>${b.actor_name ?? ''}</td>
                        <td>${this.modeLabel(b.mode)}</td>
                        <td class="num">${formatNumber(b.created)}</td>
                        <td class="num">${formatNumber(b.updated)}</td>
                        <td class="num">${formatNumber(b.skipped)}</td>
                        <td class="num">${formatNumber(b.failed)}</td>
                        <td class="batch-action">
                          ${b.reverted_at
                            ? html`<span class="muted small" data-testid="import-batch-reverted">${t('import.batch_reverted', { when: formatDateTime(b.reverted_at) })}</span>`
                            : html`<button type="button" class="button button-small button-danger-outline" data-testid="import-batch-revert"
                                ?disabled=${this.busy !== null} @click=${() => void this.revert(b)}>
                                ${this.busy === b.id ? t('import.reverting') : t('import.revert')}</button>`}
                        </td>
                      </tr>`,
                    )}
                  </tbody>
                </table>`}
        </div>
        <footer class="dialog-footer">
          <span class="muted small">${t('import.history_note')}</span>
          <span class="spacer"></span>
          <button type="button" class="button" @click=${() => this.close()}>${t('common.close')}</button>
        </footer>
      </div>
    </div>`;
  }
}

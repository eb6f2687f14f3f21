// <clientele-export-dialog>: export the current list (its search, filters and sort) or the
// selection to xlsx or CSV — which columns in which order, in which language — to where the user
// says (native save dialog), with progress and Cancel. The core writes the file.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import type { ExportFormat } from '../bindings/ExportFormat';
import type { ExportSource } from '../bindings/ExportSource';
import type { Language } from '../bindings/Language';
import { PREF_KEY, chosen, defaultColumns, move, normalizeColumns, setAll, toRequest, toggle, type ColumnChoice } from '../export/export-model';
import { fieldLabel } from '../import/fields';
import { errorText, formatNumber, lang, languages, t, tn } from '../i18n';
import * as ipc from '../ipc';
import { BaseElement, trapTab } from './base';
import { iconClose } from './icons';
import { toast } from './toasts';
import { iconDown, iconUp } from './transfer-icons';
import '../transfer.css';

/** Open the export dialog (the one the app renders) for `source`, which holds `count` customers. */
export function openExport(source: ExportSource, count: number): void {
  document.querySelector<ClienteleExportDialog>('clientele-export-dialog')?.show(source, count);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

@customElement('clientele-export-dialog')
export class ClienteleExportDialog extends BaseElement {
  @state() private source: ExportSource | null = null;
  @state() private count = 0;
  @state() private columns: ColumnChoice[] = defaultColumns();
  @state() private format: ExportFormat = 'xlsx';
  @state() private language: Language = 'en';
  @state() private busy: 'exporting' | 'cancelling' | null = null;
  @state() private progress: { done: number; total: number } | null = null;
  @state() private error = '';
  private returnFocus: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.source !== null;
  }

  show(source: ExportSource, count: number): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.source = source;
    this.count = count;
    this.language = lang();
    this.busy = null;
    this.progress = null;
    this.error = '';
    void ipc
      .uiPref(PREF_KEY)
      .then((pref) => {
        if (pref && typeof pref === 'object') {
          const p = pref as { columns?: unknown; format?: unknown };
          this.columns = normalizeColumns(p.columns);
          if (p.format === 'csv' || p.format === 'xlsx') this.format = p.format;
        }
      })
      .catch(() => undefined);
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('[data-testid=export-run]')?.focus());
  }

  close(): void {
    if (this.busy) return;
    this.source = null;
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  private async run(): Promise<void> {
    const source = this.source;
    if (!source || this.busy || chosen(this.columns).length === 0) return;
    this.busy = 'exporting';
    this.error = '';
    this.progress = null;
    ipc.setUiPref(PREF_KEY, { columns: this.columns, format: this.format }).catch(() => undefined);
    try {
      const report = await ipc.exportCustomers(toRequest(source, this.columns, this.format, this.language), (p) => {
        this.progress = p;
      });
      this.busy = null;
      if (report) {
        toast(tn('export.done', report.rows, { file: baseName(report.path) }), 'success');
        this.close();
      }
    } catch (e) {
      const err = ipc.toApiError(e);
      this.busy = null;
      if (err.code === 'operation.cancelled') {
        toast(t('export.cancelled'), 'info');
        this.progress = null;
      } else this.error = errorText(err.body);
    }
  }

  private async cancel(): Promise<void> {
    if (this.busy !== 'exporting') return;
    this.busy = 'cancelling';
    try {
      await ipc.exportCancel();
    } catch (e) {
      this.error = errorText(ipc.toApiError(e).body);
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    if (trapTab(e, e.currentTarget as HTMLElement)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      if (this.busy) void this.cancel();
      else this.close();
    } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLSelectElement)) {
      e.preventDefault();
      e.stopPropagation();
      void this.run();
    }
  };

  private renderColumns() {
    const n = this.columns.length;
    return html`<ol class="export-columns" data-testid="export-columns">
      ${this.columns.map(
        (c, i) => html`<li class="export-column ${c.on ? '' : 'off'}" data-testid="export-column" data-id=${c.id}>
          <label class="check-field">
            <input type="checkbox" .checked=${c.on} data-testid="export-column-check" ?disabled=${!!this.busy}
              @change=${(e: Event) => {
                this.columns = toggle(this.columns, i, (e.target as HTMLInputElement).checked);
              }} />
            <span>${fieldLabel(c.id)}</span>
          </label>
          <span class="spacer"></span>
          <button type="button" class="icon-button small-icon" data-testid="export-column-up" aria-label="${t('export.move_up')}: ${fieldLabel(c.id)}"
            ?disabled=${i === 0 || !!this.busy} @click=${() => {
              this.columns = move(this.columns, i, -1);
            }}>${iconUp(14)}</button>
          <button type="button" class="icon-button small-icon" data-testid="export-column-down" aria-label="${t('export.move_down')}: ${fieldLabel(c.id)}"
            ?disabled=${i === n - 1 || !!this.busy} @click=${() => {
              this.columns = move(this.columns, i, 1);
            }}>${iconDown(14)}</button>
        </li>`,
      )}
    </ol>`;
  }

  protected override render() {
    const source = this.source;
    if (!source) return nothing;
    const picked = chosen(this.columns).length;
    const p = this.progress;
    const pct = p && p.total > 0 ? Math.round((p.done / p.total) * 100) : null;
    const what = 'selection' in source ? tn('export.what_selection', this.count) : tn('export.what_list', this.count);
    return html`<div class="overlay" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <div class="dialog dialog-medium export-dialog" role="dialog" aria-modal="true" aria-labelledby="ex-title" data-testid="export-dialog"
        @keydown=${this.onKey}>
        <header class="dialog-header">
          <h2 class="dialog-title" id="ex-title">${t('export.title')}</h2>
          <button type="button" class="icon-button" aria-label=${t('common.close')} ?disabled=${!!this.busy} @click=${() => this.close()}>${iconClose(16)}</button>
        </header>
        <div class="dialog-body">
          <p class="dialog-text" data-testid="export-what">${what}</p>
          ${this.error ? html`<div class="form-banner" role="alert" data-testid="export-error">${this.error}</div>` : nothing}
          <div class="export-layout">
            <div class="export-options">
              <fieldset class="option-group">
                <legend>${t('export.format')}</legend>
                ${(['xlsx', 'csv'] as const).map(
                  (f) => html`<label class="check-field option-with-hint">
                    <input type="radio" name="export-format" value=${f} data-testid="export-format-${f}" .checked=${this.format === f}
                      ?disabled=${!!this.busy} @change=${() => {
                        this.format = f;
                      }} />
                    <span><span class="option-name">${t(`export.format_${f}`)}</span><span class="field-hint">${t(`export.format_${f}_hint`)}</span></span>
                  </label>`,
                )}
              </fieldset>
              <div class="field">
                <label for="export-lang">${t('export.language')}</label>
                <select id="export-lang" data-testid="export-language" ?disabled=${!!this.busy}
                  @change=${(e: Event) => {
                    this.language = (e.target as HTMLSelectElement).value as Language;
                  }}>
                  ${languages.map((l) => html`<option value=${l} ?selected=${l === this.language}>${t(`lang.${l}`)}</option>`)}
                </select>
                <span class="field-hint">${t('export.language_hint')}</span>
              </div>
            </div>
            <div class="export-column-box">
              <div class="section-head">
                <span class="field-label">${t('export.columns', { count: picked, total: this.columns.length })}</span>
                <span class="spacer"></span>
                <button type="button" class="link-button small" data-testid="export-all" ?disabled=${!!this.busy}
                  @click=${() => {
                    this.columns = setAll(this.columns, true);
                  }}>${t('export.all')}</button>
                <button type="button" class="link-button small" data-testid="export-none" ?disabled=${!!this.busy}
                  @click=${() => {
                    this.columns = setAll(this.columns, false);
                  }}>${t('export.none')}</button>
                <button type="button" class="link-button small" data-testid="export-reset" ?disabled=${!!this.busy}
                  @click=${() => {
                    this.columns = defaultColumns();
                  }}>${t('export.reset')}</button>
              </div>
              ${this.renderColumns()}
              ${picked === 0 ? html`<div class="field-error" role="alert">${t('export.no_columns')}</div>` : nothing}
            </div>
          </div>
          ${this.busy
            ? html`<div class="import-progress" data-testid="export-progress">
                <div class="progress-bar ${pct === null ? 'indeterminate' : ''}" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                  aria-valuenow=${pct ?? nothing} aria-label=${t('export.progress_label')}>
                  <div class="progress-fill" style=${pct === null ? '' : `width: ${pct}%`}></div>
                </div>
                <div class="progress-text">
                  <span>${this.busy === 'cancelling'
                    ? t('export.cancelling')
                    : p && p.total > 0 && p.done >= p.total
                      ? t('export.finishing')
                      : p
                        ? t('export.progress', { done: p.done, total: p.total })
                        : t('export.choosing')}</span>
                  ${pct !== null ? html`<span class="muted">${formatNumber(pct)}%</span>` : nothing}
                </div>
              </div>`
            : nothing}
        </div>
        <footer class="dialog-footer">
          <span class="spacer"></span>
          ${this.busy
            ? html`<button type="button" class="button button-danger-outline" data-testid="export-cancel" ?disabled=${this.busy === 'cancelling'}
                @click=${() => void this.cancel()}>${t('common.cancel')}</button>`
            : html`<button type="button" class="button" @click=${() => this.close()}>${t('common.cancel')}</button>
                <button type="button" class="button button-primary" data-testid="export-run" ?disabled=${picked === 0}
                  @click=${() => void this.run()}>${t('export.run')}</button>`}
        </footer>
      </div>
    </div>`;
  }
}

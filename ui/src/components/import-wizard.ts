// <clientele-import-wizard>: import customers from a spreadsheet in four steps — the file, its
// columns, a preview (the core's dry run) and the import (progress, Cancel, then Revert). The
// state machine is ImportWizardModel (src/import/wizard-model.ts); this element draws it.
//
// Files come from the native open dialog or from a drop anywhere on the window: while a file
// hovers, the window shows a drop zone (when the wizard is open, or when no other dialog is and
// the customer list is showing; a drop there opens the wizard on that file). The file itself is
// read by the shell; the UI sees only its name.
//
// Fires `imported` (the report) after an import and `import-reverted` (the batch) after a revert.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import type { FollowUpField } from '../bindings/FollowUpField';
import type { ImportBatch } from '../bindings/ImportBatch';
import type { ImportField } from '../bindings/ImportField';
import type { ImportMode } from '../bindings/ImportMode';
import type { ImportReport } from '../bindings/ImportReport';
import type { KindChoice } from '../bindings/KindChoice';
import type { TemplateKind } from '../bindings/TemplateKind';
import { CARE_FIELDS, careFieldLabel, careReasonLabel } from '../import/care-fields';
import { IMPORT_FIELDS, fieldLabel, reasonLabel } from '../import/fields';
import { ImportWizardModel, STEPS, type WizardStep } from '../import/wizard-model';
import { errorText, formatNumber, t, tn, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import { BaseElement, trapTab } from './base';
import type { ClienteleConfirm } from './confirm-dialog';
import { iconClose } from './icons';
import { toast, toastError } from './toasts';
import { iconCheck, iconDownload, iconHistory, iconSheet, iconUpload } from './transfer-icons';
import '../transfer.css';

/** How many of the core's first errors the preview lists. */
const ERRORS_SHOWN = 100;

const MODES: ImportMode[] = ['skip', 'update', 'create'];
const KINDS: KindChoice[] = ['auto', 'individual', 'business', 'care'];
const TEMPLATES: TemplateKind[] = ['individual', 'business', 'care'];

function confirmDialog(): ClienteleConfirm | null {
  return document.querySelector<ClienteleConfirm>('clientele-confirm');
}

/** Save an import template where the user says (native dialog), and say so. */
export async function downloadTemplate(kind: TemplateKind): Promise<void> {
  try {
    const name = await ipc.saveTemplate(kind);
    if (name) toast(t('template.saved', { name }), 'success');
  } catch (e) {
    toastError(e);
  }
}

/** Whether the main window is free for a drop (signed in, no dialog or drawer open). */
function windowIsFree(): boolean {
  return !!document.querySelector('.layout') && !document.querySelector('.overlay');
}

@customElement('clientele-import-wizard')
export class ClienteleImportWizard extends BaseElement {
  @state() private open = false;
  /** A file hovers over the window. */
  @state() private hovering = false;
  /** Esc was confirmed while importing: close once the cancelled import has answered. */
  private closeWhenSettled = false;
  private returnFocus: HTMLElement | null = null;
  private offDrop: (() => void) | null = null;
  private offHover: (() => void) | null = null;

  readonly model = new ImportWizardModel(undefined, () => this.onModelChange());

  get isOpen(): boolean {
    return this.open;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void ipc
      .onFileDropped(() => {
        this.hovering = false;
        void this.onDrop();
      })
      .then((off) => {
        if (this.isConnected) this.offDrop = off;
        else off();
      });
    void ipc
      .onDragHover((what) => {
        this.hovering = (what === 'enter' || what === 'over') && this.acceptsDrop();
      })
      .then((off) => {
        if (this.isConnected) this.offHover = off;
        else off();
      });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offDrop?.();
    this.offDrop = null;
    this.offHover?.();
    this.offHover = null;
  }

  /** Open on the first step (keeping nothing from a previous import). */
  show(): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!this.open || this.model.step === 'result') this.model.reset();
    this.open = true;
    this.closeWhenSettled = false;
    void this.updateComplete.then(() => this.focusStep());
  }

  /** Close now (an import in progress must be cancelled first: see `requestClose`). */
  close(): void {
    if (this.model.importing) return;
    this.open = false;
    this.closeWhenSettled = false;
    if (this.model.busy === 'reading' || this.model.busy === 'previewing') void this.model.cancel();
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  /** Esc or ×: close, asking first while an import is being written (and then cancelling it). */
  async requestClose(): Promise<void> {
    if (!this.model.importing) {
      this.close();
      return;
    }
    const ok = await confirmDialog()?.ask({
      message: t('import.stop_title'),
      detail: t('import.stop_body'),
      okLabel: t('import.stop_ok'),
      danger: true,
    });
    if (!ok || !this.model.importing) return;
    this.closeWhenSettled = true;
    await this.model.cancel();
  }

  private acceptsDrop(): boolean {
    if (this.open) return !this.model.working && (this.model.step === 'file' || this.model.step === 'mapping' || this.model.step === 'preview');
    return windowIsFree();
  }

  private async onDrop(): Promise<void> {
    if (!this.acceptsDrop()) return;
    if (!this.open) this.show();
    await this.model.useDroppedFile();
  }

  private onModelChange(): void {
    this.requestUpdate();
    const m = this.model;
    if (this.closeWhenSettled && !m.working) {
      this.closeWhenSettled = false;
      if (m.step !== 'result') {
        this.close();
        toast(t('import.cancelled'), 'info');
      }
    }
  }

  private focusStep(): void {
    const el = this.querySelector<HTMLElement>('[data-autofocus]') ?? this.querySelector<HTMLElement>('.wizard-dialog');
    el?.focus();
  }

  private async next(): Promise<void> {
    const before = this.model.step;
    await this.model.next();
    if (this.model.step !== before) {
      await this.updateComplete;
      this.focusStep();
    }
    if (this.model.step === 'result' && this.model.result) {
      // The import may have added catalog values: names shown in the list come from them.
      if (Object.values(this.model.result.new_catalog_items).some((names) => names.length > 0)) void ref.reloadCatalogs().catch(toastError);
      this.dispatchEvent(new CustomEvent<ImportReport>('imported', { detail: this.model.result, bubbles: true }));
    }
  }

  private async revert(): Promise<void> {
    const r = this.model.result;
    if (!r) return;
    const ok = await confirmDialog()?.ask({
      message: t('import.revert_title'),
      detail: r.care_mapping !== undefined
        ? t('care_import.revert_body', { created: r.created })
        : t('import.revert_body', { created: r.created, updated: r.updated }),
      okLabel: t('import.revert_ok'),
      danger: true,
    });
    if (!ok) return;
    const batch = await this.model.revert();
    if (batch) {
      toast(t('import.reverted_toast', { file: batch.file_name }), 'success');
      this.dispatchEvent(new CustomEvent<ImportBatch>('import-reverted', { detail: batch, bubbles: true }));
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    if (trapTab(e, e.currentTarget as HTMLElement)) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      void this.requestClose();
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      const target = e.target as HTMLElement | null;
      if (target instanceof HTMLButtonElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement || target instanceof HTMLAnchorElement) return;
      e.preventDefault();
      e.stopPropagation();
      void this.next();
    }
  };

  // --- rendering ---

  private stepLabel(step: WizardStep): string {
    return t(`import.step.${step === 'result' ? 'importing' : step}` as MessageKey);
  }

  private renderSteps() {
    const current = this.model.step === 'result' ? 'importing' : this.model.step;
    const at = STEPS.indexOf(current);
    return html`<ol class="wizard-steps" data-testid="import-steps">
      ${STEPS.map((s, i) => {
        const reachable = !this.model.working && at < 3 && i < 3 && i !== at && (i === 0 || this.model.inspected !== null);
        const cls = i === at ? 'current' : i < at ? 'done' : '';
        return html`<li class="wizard-step ${cls}" aria-current=${i === at ? 'step' : 'false'}>
          <button type="button" class="wizard-step-button" ?disabled=${!reachable} data-testid="import-step-${s}"
            @click=${() => this.model.goTo(s)}>
            <span class="wizard-step-num">${i < at ? iconCheck(14) : i + 1}</span>
            <span class="wizard-step-label">${this.stepLabel(s)}</span>
          </button>
        </li>`;
      })}
    </ol>`;
  }

  private renderBanner() {
    const m = this.model;
    const out = [];
    if (m.error) {
      out.push(html`<div class="form-banner" role="alert" data-testid="import-error" data-code=${m.error.code}>${errorText(m.error)}</div>`);
    }
    if (m.notice === 'cancelled') out.push(html`<div class="info-banner" role="status" data-testid="import-notice">${t('import.cancelled')}</div>`);
    if (m.notice === 'error_report_saved') {
      out.push(html`<div class="info-banner" role="status" data-testid="import-notice">${tn('import.error_report_saved', m.errorReportRows)}</div>`);
    }
    return out;
  }

  private renderProgress() {
    const p = this.model.progress;
    if (!p) return nothing;
    const pct = p.fraction === null ? null : Math.round(p.fraction * 100);
    let text: string;
    if (p.phase === 'reading') text = tn('import.progress_reading', p.done);
    else if (p.phase === 'writing') text = t('import.progress_writing', { done: p.done, total: p.total, rate: p.rate });
    else text = t('import.progress_finishing');
    return html`<div class="import-progress" data-testid="import-progress" data-phase=${p.phase}>
      <div class="progress-bar ${pct === null ? 'indeterminate' : ''}" role="progressbar" aria-valuemin="0" aria-valuemax="100"
        aria-valuenow=${pct ?? nothing} aria-label=${t('import.progress_label')}>
        <div class="progress-fill" style=${pct === null ? '' : `width: ${pct}%`}></div>
      </div>
      <div class="progress-text"><span data-testid="import-progress-text">${text}</span>
        ${pct !== null ? html`<span class="muted">${pct}%</span>` : nothing}</div>
    </div>`;
  }

  private renderTemplates() {
    return html`<div class="wizard-templates">
      <span class="muted small">${t('template.hint')}</span>
      ${TEMPLATES.map(
        (k) => html`<button type="button" class="link-button link-with-icon small" data-testid="import-template-${k}" @click=${() => void downloadTemplate(k)}>
          ${iconDownload(14)} ${t(`template.${k}` as MessageKey)}</button>`,
      )}
    </div>`;
  }

  private renderFileStep() {
    const m = this.model;
    const r = m.inspected;
    const reading = m.busy === 'reading';
    return html`<div class="wizard-file">
      <div class="drop-zone ${r ? 'drop-zone-compact' : ''}" data-testid="import-drop-zone">
        <span class="drop-icon">${iconUpload(r ? 22 : 34)}</span>
        <div class="drop-text">
          <strong>${t('import.drop_title')}</strong>
          <span class="muted small">${t('import.formats')}</span>
        </div>
        ${r
          ? html`<button type="button" class="button" data-testid="import-choose-file" ?disabled=${m.working}
              @click=${() => void m.chooseFile()}>${t('import.choose_other')}</button>`
          : html`<button type="button" class="button button-primary" data-testid="import-choose-file" ?disabled=${m.working} data-autofocus
              @click=${() => void m.chooseFile()}>${t('import.choose_file')}</button>`}
      </div>
      ${reading
        ? html`<div class="wizard-reading">
            <p><strong>${m.fileName ?? ''}</strong></p>
            ${this.renderProgress()}
            <button type="button" class="button button-small" data-testid="import-cancel-read" @click=${() => void m.cancel()}>${t('common.cancel')}</button>
          </div>`
        : nothing}
      ${r && !reading
        ? html`<div class="file-card" data-testid="import-file-card">
            <span class="file-icon">${iconSheet(28)}</span>
            <div class="file-info">
              <div class="file-name" data-testid="import-file-name">${r.file_name || m.fileName}</div>
              <div class="muted small">
                ${r.format ? html`<span class="badge" data-testid="import-format">${r.format.toUpperCase()}</span>` : nothing}
                ${m.preview ? tn('import.file_rows', m.preview.rows) : nothing} · ${tn('import.file_columns', r.headers.length)}
              </div>
            </div>
            ${r.sheet_names.length > 1
              ? html`<label class="field sheet-field">
                  <span class="field-label">${t('import.sheet')}</span>
                  <select data-testid="import-sheet" .value=${m.sheet ?? ''} @change=${(e: Event) => void m.chooseSheet((e.target as HTMLSelectElement).value)}>
                    ${r.sheet_names.map((s) => html`<option value=${s} ?selected=${s === m.sheet}>${s}</option>`)}
                  </select>
                </label>`
              : r.sheet_name
                ? html`<div class="muted small">${t('import.sheet')}: ${r.sheet_name}</div>`
                : nothing}
          </div>`
        : nothing}
      ${!r && !reading ? this.renderTemplates() : nothing}
    </div>`;
  }

  /** Follow-up records: the care field a column fills. */
  private renderCareFieldSelect(index: number) {
    const m = this.model;
    const value = m.careMapping[index] ?? null;
    const header = m.inspected?.headers[index] ?? '';
    return html`<select data-testid="import-map-select" data-col=${index} aria-label=${t('import.map_to', { header: header || `#${index + 1}` })}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        m.setCareField(index, v === '' ? null : (v as FollowUpField));
      }}>
      <option value="" ?selected=${value === null}>${t('import.ignore_column')}</option>
      ${CARE_FIELDS.map(
        (f) => html`<option value=${f} ?selected=${value === f}>${careFieldLabel(f)}${m.isCareTaken(f, index) ? ` ${t('import.field_in_use')}` : ''}</option>`,
      )}
    </select>`;
  }

  private renderFieldSelect(index: number) {
    const m = this.model;
    if (m.isCare) return this.renderCareFieldSelect(index);
    const value = m.mapping[index] ?? null;
    const header = m.inspected?.headers[index] ?? '';
    return html`<select data-testid="import-map-select" data-col=${index} aria-label=${t('import.map_to', { header: header || `#${index + 1}` })}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        m.setField(index, v === '' ? null : (v as ImportField));
      }}>
      <option value="" ?selected=${value === null}>${t('import.ignore_column')}</option>
      ${IMPORT_FIELDS.map(
        (f) => html`<option value=${f} ?selected=${value === f}>${fieldLabel(f)}${m.isTaken(f, index) ? ` ${t('import.field_in_use')}` : ''}</option>`,
      )}
    </select>`;
  }

  private renderMappingStep() {
    const m = this.model;
    const r = m.inspected;
    if (!r) return nothing;
    const changed = new Set(m.changedColumns);
    const owners = ref.staffOptions();
    const care = m.isCare;
    let missing: unknown = nothing;
    if (care && !m.hasCustomerColumn) missing = html`<div class="warn-banner" role="alert" data-testid="import-no-customer">${t('care_import.need_customer')}</div>`;
    else if (!care && !m.hasNameColumn) missing = html`<div class="warn-banner" role="alert" data-testid="import-no-name">${t('import.need_name')}</div>`;
    return html`<div class="wizard-mapping" data-kind=${m.kind}>
      <section class="mapping-columns">
        <h3 class="section-title">${t('import.columns_title')}</h3>
        <p class="muted small">${t('import.columns_intro')}</p>
        ${care ? html`<p class="info-banner small" data-testid="import-care-note">${t('care_import.detected')}</p>` : nothing}
        ${missing}
        <table class="mapping-table" data-testid="import-mapping">
          <thead><tr><th>${t('import.col_header')}</th><th>${t('import.col_samples')}</th><th>${t('import.col_field')}</th></tr></thead>
          <tbody>
            ${r.headers.map((h, i) => {
              const field = (care ? m.careMapping[i] : m.mapping[i]) ?? null;
              const samples = m.samples(i);
              return html`<tr class="${field === null ? 'ignored' : ''} ${changed.has(i) ? 'changed' : ''}" data-testid="import-map-row" data-col=${i}
                data-field=${field ?? ''}>
                <td class="map-header">${h.trim() ? h : html`<span class="muted">${t('import.untitled_column', { n: i + 1 })}</span>`}</td>
                <td class="map-samples">${samples.length ? samples.map((s) => html`<span class="sample">${s}</span>`) : html`<span class="muted">—</span>`}</td>
                <td class="map-field">${this.renderFieldSelect(i)}
                  ${field === null ? html`<span class="muted small">${t('import.ignored_hint')}</span>` : nothing}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </section>
      <aside class="mapping-options">
        <fieldset class="option-group">
          <legend>${t('import.kind_title')}</legend>
          ${KINDS.map(
            (k) => html`<label class="check-field">
              <input type="radio" name="import-kind" value=${k} data-testid="import-kind-${k}" .checked=${m.kind === k}
                @change=${() => m.setKind(k)} /><span>${t(`import.kind.${k}` as MessageKey)}</span>
            </label>`,
          )}
        </fieldset>
        ${care ? nothing : html`<fieldset class="option-group">
          <legend>${t('import.mode_title')}</legend>
          ${MODES.map(
            (mode) => html`<label class="check-field option-with-hint">
              <input type="radio" name="import-mode" value=${mode} data-testid="import-mode-${mode}" .checked=${m.mode === mode}
                @change=${() => m.setMode(mode)} />
              <span><span class="option-name">${t(`import.mode.${mode}` as MessageKey)}</span>
                <span class="field-hint">${t(`import.mode.${mode}_hint` as MessageKey)}</span></span>
            </label>`,
          )}
        </fieldset>`}
        <div class="option-group">
          <label class="check-field option-with-hint">
            <input type="checkbox" data-testid="import-create-missing" .checked=${m.createMissing}
              @change=${(e: Event) => m.setCreateMissing((e.target as HTMLInputElement).checked)} />
            <span><span class="option-name">${t(care ? 'care_import.create_missing' : 'import.create_missing')}</span>
              <span class="field-hint">${t(care ? 'care_import.create_missing_hint' : 'import.create_missing_hint')}</span></span>
          </label>
        </div>
        <div class="field">
          <label for="import-owner">${t(care ? 'care_import.default_assignee' : 'import.default_owner')}</label>
          <select id="import-owner" data-testid="import-default-owner"
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              m.setDefaultOwner(v === '' ? null : Number(v));
            }}>
            <option value="" ?selected=${m.defaultOwnerId === null}>${t('import.default_owner_me')}</option>
            ${owners.map((s) => html`<option value=${s.id} ?selected=${m.defaultOwnerId === s.id}>${s.name}</option>`)}
          </select>
          <span class="field-hint">${t(care ? 'care_import.default_assignee_hint' : 'import.default_owner_hint')}</span>
        </div>
      </aside>
    </div>`;
  }

  private renderCount(id: string, value: number, tone = '', label: MessageKey = `import.count.${id}` as MessageKey) {
    return html`<div class="count-card ${tone}" data-testid="import-count-${id}" data-count=${value}>
      <span class="count-value">${formatNumber(value)}</span>
      <span class="count-label">${t(label)}</span>
    </div>`;
  }

  /** The reason of a row problem in words (follow-up records have their own wording for some). */
  private reasonText(r: ImportReport, code: string): string {
    return r.care_mapping !== undefined ? careReasonLabel(code) : reasonLabel(code);
  }

  /** The preview or outcome of a follow-up records import: rows, and the activities recorded. */
  private renderCareSummary(r: ImportReport, done: boolean) {
    const m = this.model;
    const reasons = m.reasons(r);
    const fresh = m.newValues(r);
    return html`<div class="import-summary" data-testid="import-care-summary">
      <div class="count-row">
        ${this.renderCount('rows', r.rows)}
        ${this.renderCount('valid', r.valid, r.valid ? 'tone-ok' : '')}
        ${this.renderCount('invalid', r.invalid, r.invalid ? 'tone-bad' : '')}
      </div>
      <h3 class="section-title">${t(done ? 'import.outcome_done' : 'import.outcome')}</h3>
      <div class="count-row">
        ${this.renderCount('created', r.created, r.created ? 'tone-primary' : '', 'care_import.count.created')}
      </div>
      ${done ? nothing : html`<p class="muted small">${t('care_import.effect')}</p>`}
      ${reasons.length
        ? html`<h3 class="section-title">${t('import.invalid_by_reason')}</h3>
            <ul class="reason-list" data-testid="import-reasons">
              ${reasons.map(
                (x) => html`<li data-testid="import-reason" data-code=${x.code} data-count=${x.count}>
                  <span class="reason-count">${formatNumber(x.count)}</span> <span>${careReasonLabel(x.code)}</span></li>`,
              )}
            </ul>`
        : nothing}
      ${fresh.length
        ? html`<h3 class="section-title">${t(done ? 'care_import.new_values_done' : m.createMissing ? 'care_import.new_values' : 'care_import.new_values_rejected')}</h3>
            <ul class="new-values" data-testid="import-new-values">
              ${fresh.map((v) => html`<li>${v.names.map((n) => html`<span class="badge">${n}</span>`)}</li>`)}
            </ul>`
        : nothing}
      ${r.warnings_total ? html`<p class="muted small" data-testid="import-warnings">${tn('import.warnings', r.warnings_total)}</p>` : nothing}
    </div>`;
  }

  private renderSummary(r: ImportReport, done: boolean) {
    if (r.care_mapping !== undefined) return this.renderCareSummary(r, done);
    const m = this.model;
    const reasons = m.reasons(r);
    const kinds = Object.entries(r.valid_by_kind);
    const fresh = m.newValues(r);
    return html`<div class="import-summary">
      <div class="count-row">
        ${this.renderCount('rows', r.rows)}
        ${this.renderCount('valid', r.valid, r.valid ? 'tone-ok' : '')}
        ${this.renderCount('invalid', r.invalid, r.invalid ? 'tone-bad' : '')}
        ${this.renderCount('duplicate_groups', r.duplicate_groups, r.duplicate_groups ? 'tone-warn' : '')}
        ${this.renderCount('matches_existing', r.matches_existing, r.matches_existing ? 'tone-warn' : '')}
      </div>
      ${kinds.length
        ? html`<p class="muted small" data-testid="import-valid-by-kind">${kinds
            .map(([k, n]) => `${t(`kind.${k}` as MessageKey)}: ${formatNumber(Number(n))}`)
            .join(' · ')}</p>`
        : nothing}
      <h3 class="section-title">${t(done ? 'import.outcome_done' : 'import.outcome')}</h3>
      <div class="count-row">
        ${this.renderCount('created', r.created, r.created ? 'tone-primary' : '')}
        ${this.renderCount('updated', r.updated, r.updated ? 'tone-primary' : '')}
        ${this.renderCount('skipped', r.skipped)}
      </div>
      ${done ? nothing : html`<p class="muted small">${t(`import.mode_effect.${r.mode}` as MessageKey)}</p>`}
      ${reasons.length
        ? html`<h3 class="section-title">${t('import.invalid_by_reason')}</h3>
            <ul class="reason-list" data-testid="import-reasons">
              ${reasons.map(
                (x) => html`<li data-testid="import-reason" data-code=${x.code} data-count=${x.count}>
                  <span class="reason-count">${formatNumber(x.count)}</span> <span>${reasonLabel(x.code)}</span></li>`,
              )}
            </ul>`
        : nothing}
      ${fresh.length
        ? html`<h3 class="section-title">${t(done ? 'import.new_values_done' : m.createMissing ? 'import.new_values' : 'import.new_values_rejected')}</h3>
            <ul class="new-values" data-testid="import-new-values">
              ${fresh.map(
                (v) => html`<li><span class="muted">${t(`catalog.kind.${v.kind}` as MessageKey)}:</span>
                  ${v.names.map((n) => html`<span class="badge">${n}</span>`)}</li>`,
              )}
            </ul>`
        : nothing}
      ${r.warnings_total ? html`<p class="muted small" data-testid="import-warnings">${tn('import.warnings', r.warnings_total)}</p>` : nothing}
    </div>`;
  }

  private renderErrors(r: ImportReport) {
    if (!r.errors.length && !r.warnings.length) return nothing;
    const rows = [...r.errors.map((e) => ({ ...e, warning: false })), ...r.warnings.map((w) => ({ ...w, warning: true }))].slice(0, ERRORS_SHOWN);
    const total = Number(r.errors_total) + Number(r.warnings_total);
    return html`<section class="import-errors">
      <div class="section-head">
        <h3 class="section-title">${t('import.errors_title')}</h3>
        <span class="muted small">${rows.length < total ? t('import.errors_first', { shown: rows.length, total }) : nothing}</span>
        <span class="spacer"></span>
        ${r.invalid
          ? html`<button type="button" class="button button-small" data-testid="import-save-errors" ?disabled=${this.model.working}
              @click=${() => void this.model.saveErrorReport()}>${iconDownload(14)} ${t('import.save_error_report')}</button>`
          : nothing}
      </div>
      <div class="errors-scroll">
        <table class="errors-table" data-testid="import-errors">
          <thead><tr><th class="num">${t('import.err_row')}</th><th>${t('import.err_column')}</th><th>${t('import.err_value')}</th><th>${t('import.err_reason')}</th></tr></thead>
          <tbody>
            ${rows.map(
              (e) => html`<tr data-testid="import-error-row" data-code=${e.code} class=${e.warning ? 'warning' : ''}>
                <td class="num">${e.row}</td>
                <td>${e.column ?? ''}</td>
                <td class="err-value">${e.value ?? ''}</td>
                <td>${e.warning ? html`<span class="badge badge-warn">${t('import.warning')}</span> ` : nothing}${this.reasonText(r, e.code)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  private renderPreviewStep() {
    const r = this.model.preview;
    if (!r) return nothing;
    return html`<div class="wizard-preview" data-testid="import-preview">
      ${this.renderSummary(r, false)}
      ${this.renderErrors(r)}
    </div>`;
  }

  private renderImportingStep() {
    const m = this.model;
    return html`<div class="wizard-importing" data-testid="import-running">
      <h3>${m.busy === 'cancelling' ? t('import.cancelling') : t('import.importing', { file: m.fileName ?? '' })}</h3>
      ${this.renderProgress()}
      <p class="muted small">${t('import.importing_hint')}</p>
    </div>`;
  }

  private renderResultStep() {
    const m = this.model;
    const r = m.result;
    if (!r) return nothing;
    const reverted = m.reverted;
    return html`<div class="wizard-result" data-testid="import-result" data-batch=${r.batch_id ?? ''}>
      <div class="result-head ${reverted ? 'reverted' : ''}">
        <span class="result-icon">${iconCheck(22)}</span>
        <div>
          <h3 data-testid="import-result-title">${reverted ? t('import.reverted_title') : t('import.done_title')}</h3>
          <p class="muted">${this.resultText(r, reverted !== null)}</p>
        </div>
      </div>
      ${this.renderSummary(r, true)}
      ${this.renderErrors(r)}
    </div>`;
  }

  private resultText(r: ImportReport, reverted: boolean): string {
    const care = r.care_mapping !== undefined;
    if (reverted) return care ? t('care_import.reverted_text', { created: r.created }) : t('import.reverted_text', { created: r.created, updated: r.updated });
    const seconds = r.seconds.toFixed(1);
    return care ? t('care_import.done_text', { created: r.created, seconds }) : t('import.done_text', { created: r.created, updated: r.updated, seconds });
  }

  private renderFooter() {
    const m = this.model;
    const step = m.step;
    const back = m.canBack
      ? html`<button type="button" class="button" data-testid="import-back" @click=${() => m.back()}>${t('import.back')}</button>`
      : nothing;
    switch (step) {
      case 'file':
        return html`<button type="button" class="link-button link-with-icon" data-testid="import-open-history" @click=${() => this.openHistory()}>
            ${iconHistory(14)} ${t('import.history')}</button>
          <span class="spacer"></span>
          <button type="button" class="button" @click=${() => void this.requestClose()}>${t('common.cancel')}</button>
          <button type="button" class="button button-primary" data-testid="import-next" ?disabled=${!m.canNext}
            @click=${() => void this.next()}>${t('import.next')}</button>`;
      case 'mapping':
        return html`<span class="spacer"></span>${back}
          <button type="button" class="button button-primary" data-testid="import-next" ?disabled=${!m.canNext}
            @click=${() => void this.next()}>${m.busy === 'previewing' ? t('import.previewing') : t('import.to_preview')}</button>`;
      case 'preview': {
        const n = (m.preview?.created ?? 0) + (m.preview?.updated ?? 0);
        return html`${m.preview && n === 0 ? html`<span class="muted small">${t('import.nothing_to_import')}</span>` : nothing}
          <span class="spacer"></span>${back}
          <button type="button" class="button button-primary" data-testid="import-next" ?disabled=${!m.canNext}
            @click=${() => void this.next()}>${tn(m.preview?.care_mapping !== undefined ? 'care_import.run' : 'import.run', n)}</button>`;
      }
      case 'importing':
        return html`<span class="spacer"></span>
          <button type="button" class="button button-danger-outline" data-testid="import-cancel" ?disabled=${m.busy === 'cancelling'}
            @click=${() => void m.cancel()}>${t('import.cancel_import')}</button>`;
      case 'result':
        return html`${m.result?.batch_id !== null && !m.reverted
            ? html`<button type="button" class="button button-danger-outline" data-testid="import-revert" ?disabled=${m.working}
                @click=${() => void this.revert()}>${m.busy === 'reverting' ? t('import.reverting') : t('import.revert')}</button>`
            : nothing}
          <span class="spacer"></span>
          <button type="button" class="button" data-testid="import-another" @click=${() => m.reset()}>${t('import.another')}</button>
          <button type="button" class="button button-primary" data-testid="import-done" data-autofocus @click=${() => this.close()}>${t('import.done')}</button>`;
    }
  }

  private openHistory(): void {
    this.close();
    document.querySelector<HTMLElement & { show(): void }>('clientele-import-history')?.show();
  }

  private renderDropOverlay() {
    if (!this.hovering) return nothing;
    return html`<div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div class="drop-overlay-box">${iconUpload(40)}<strong>${t('import.drop_here')}</strong>
        <span>${t('import.formats')}</span></div>
    </div>`;
  }

  private renderBody() {
    switch (this.model.step) {
      case 'file':
        return this.renderFileStep();
      case 'mapping':
        return this.renderMappingStep();
      case 'preview':
        return this.renderPreviewStep();
      case 'importing':
        return this.renderImportingStep();
      case 'result':
        return this.renderResultStep();
    }
  }

  protected override render() {
    if (!this.open) return this.renderDropOverlay();
    const m = this.model;
    return html`<div class="overlay overlay-wizard" @mousedown=${(e: Event) => e.target === e.currentTarget && !m.working && this.close()}>
        <div class="dialog wizard-dialog" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-wizard"
          data-step=${m.step} data-busy=${m.busy ?? ''} tabindex="-1" @keydown=${this.onKey}>
          <header class="dialog-header wizard-header">
            <h2 class="dialog-title" id="import-title">${t('import.title')}</h2>
            ${this.renderSteps()}
            <button type="button" class="icon-button" data-testid="import-close" aria-label=${t('common.close')}
              @click=${() => void this.requestClose()}>${iconClose(16)}</button>
          </header>
          <div class="dialog-body wizard-body">
            ${this.renderBanner()}
            ${m.step !== 'file' && m.step !== 'importing' && m.busy !== null && m.busy !== 'saving' && m.busy !== 'reverting' ? this.renderProgress() : nothing}
            ${this.renderBody()}
          </div>
          <footer class="dialog-footer">${this.renderFooter()}</footer>
        </div>
      </div>
      ${this.renderDropOverlay()}`;
  }
}

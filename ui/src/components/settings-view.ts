// <clientele-settings>: catalogs (one page per kind), staff, field settings and duplicate rules.
// Shown to managers and administrators; the core refuses anyone else whatever the UI shows.

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { Actor } from '../bindings/Actor';
import type { CatalogItemUsage } from '../bindings/CatalogItemUsage';
import type { CatalogKind } from '../bindings/CatalogKind';
import type { DuplicateRules } from '../bindings/DuplicateRules';
import type { FieldError } from '../bindings/FieldError';
import type { FieldSettings } from '../bindings/FieldSettings';
import type { Role } from '../bindings/Role';
import type { RuleMode } from '../bindings/RuleMode';
import { errorText, fieldErrorText, fieldLabel, formatNumber, t, tn, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import { CATALOG_KINDS, OPTIONAL_FIELDS, ref, safeColor } from '../ref-data';
import { BaseElement, trapTab } from './base';
import { iconClose } from './icons';
import '../care/care-settings';
import { catalogKey } from '../care/shared';
import './ownership-settings';
import { toast, toastError } from './toasts';

export type SettingsPage = CatalogKind | 'staff' | 'fields' | 'duplicates' | 'care';

const KIND_LABELS: Record<CatalogKind, MessageKey> = {
  segment: 'catalog.kind.segment',
  level: 'catalog.kind.level',
  group: 'catalog.kind.group',
  status: 'catalog.kind.status',
  channel: 'catalog.kind.channel',
  position: 'catalog.kind.position',
  product: 'catalog.kind.product',
  invoice_type: 'catalog.kind.invoice_type',
  care_type: 'catalog.kind.care_type',
};

const RULE_KEYS = ['phone', 'email', 'tax_code', 'name_address'] as const;
const RULE_LABELS: Record<(typeof RULE_KEYS)[number], MessageKey> = {
  phone: 'rules.phone',
  email: 'rules.email',
  tax_code: 'rules.tax_code',
  name_address: 'rules.name_address',
};
const MODES: RuleMode[] = ['off', 'warn', 'block'];
const ROLES: Role[] = ['admin', 'manager', 'staff'];

interface DeleteState {
  row: CatalogItemUsage;
  replacement: number | null;
  error: string;
  busy: boolean;
}

@customElement('clientele-settings')
export class ClienteleSettings extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  @state() private page: SettingsPage = 'level';
  @state() private rows: CatalogItemUsage[] = [];
  @state() private loading = false;
  @state() private pageError = '';
  /** Per catalog row: the error of its last change. */
  @state() private rowErrors = new Map<number, string>();
  @state() private newName = '';
  @state() private newColor = '';
  @state() private addError = '';
  @state() private deleting: DeleteState | null = null;
  @state() private dragId: number | null = null;
  // Staff page.
  @state() private staffForm = { name: '', email: '', role: 'staff' as Role, password: '' };
  @state() private staffErrors = new Map<string, FieldError[]>();
  @state() private staffBanner = '';
  // Fields and rules pages: drafts until saved.
  @state() private fields: FieldSettings = { fields: {} };
  @state() private rules: DuplicateRules | null = null;
  @state() private saving = false;

  private get isAdmin(): boolean {
    return this.actor?.role === 'admin';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Open a page (also from tests). */
  async show(page: SettingsPage): Promise<void> {
    this.page = page;
    await this.load();
  }

  private async load(): Promise<void> {
    this.pageError = '';
    this.rowErrors = new Map();
    this.addError = '';
    const page = this.page;
    this.loading = true;
    try {
      if (page === 'care') return;
      if (page === 'staff') await ref.reloadStaff();
      else if (page === 'fields') this.fields = structuredCloneFields(await ipc.fieldSettings());
      else if (page === 'duplicates') this.rules = await ipc.duplicateRules();
      else {
        const rows = await ipc.catalogList(page);
        if (this.page === page) this.rows = rows;
      }
    } catch (e) {
      this.pageError = errorText(ipc.toApiError(e).body);
    } finally {
      this.loading = false;
    }
  }

  // --- catalogs ---

  private get kind(): CatalogKind | null {
    return (CATALOG_KINDS as string[]).includes(this.page) ? (this.page as CatalogKind) : null;
  }

  /** After any catalog change: this page's rows and everyone's pickers. */
  private async afterCatalogChange(): Promise<void> {
    await Promise.all([this.load(), ref.reloadCatalogs().catch(toastError)]);
  }

  private setRowError(id: number, e: unknown): void {
    const next = new Map(this.rowErrors);
    const err = ipc.toApiError(e);
    next.set(id, err.fields.length ? err.fields.map((f) => fieldErrorText(f)).join(' ') : errorText(err.body));
    this.rowErrors = next;
  }

  private async patch(row: CatalogItemUsage, patch: { name?: string; color?: string; active?: boolean }): Promise<void> {
    try {
      await ipc.catalogUpdate(row.item.id, { name: patch.name ?? null, color: patch.color ?? null, active: patch.active ?? null });
      await this.afterCatalogChange();
    } catch (e) {
      this.setRowError(row.item.id, e);
    }
  }

  private async rename(row: CatalogItemUsage, input: HTMLInputElement): Promise<void> {
    const name = input.value;
    if (name.trim() === row.item.name) return;
    await this.patch(row, { name });
  }

  private async shift(row: CatalogItemUsage, by: number): Promise<void> {
    try {
      await ipc.catalogShift(row.item.id, by);
      await this.afterCatalogChange();
      await this.updateComplete;
      this.querySelector<HTMLElement>(`[data-testid=catalog-row][data-id="${row.item.id}"] [data-testid=catalog-${by < 0 ? 'up' : 'down'}]:not([disabled])`)?.focus();
    } catch (e) {
      this.setRowError(row.item.id, e);
    }
  }

  private async dropOn(target: CatalogItemUsage): Promise<void> {
    const kind = this.kind;
    const moving = this.dragId;
    this.dragId = null;
    if (!kind || moving === null || moving === target.item.id) return;
    const ids = this.rows.map((r) => r.item.id).filter((id) => id !== moving);
    ids.splice(ids.indexOf(target.item.id), 0, moving);
    try {
      await ipc.catalogReorder(kind, ids);
      await this.afterCatalogChange();
    } catch (e) {
      toastError(e);
    }
  }

  private async add(): Promise<void> {
    const kind = this.kind;
    if (!kind) return;
    try {
      await ipc.catalogAdd(kind, this.newName, this.newColor || null);
      this.newName = '';
      this.newColor = '';
      this.addError = '';
      await this.afterCatalogChange();
      this.querySelector<HTMLInputElement>('[data-testid=catalog-add-name]')?.focus();
    } catch (e) {
      const err = ipc.toApiError(e);
      this.addError = err.fields.length ? err.fields.map((f) => fieldErrorText(f)).join(' ') : errorText(err.body);
    }
  }

  private askDelete(row: CatalogItemUsage): void {
    this.deleting = { row, replacement: null, error: '', busy: false };
    void this.updateComplete.then(() =>
      this.querySelector<HTMLElement>('[data-testid=catalog-replacement], [data-testid=catalog-delete-confirm]')?.focus(),
    );
  }

  private async confirmDelete(): Promise<void> {
    const d = this.deleting;
    if (!d || d.busy) return;
    this.deleting = { ...d, busy: true, error: '' };
    try {
      const moved = await ipc.catalogDelete(d.row.item.id, d.replacement);
      this.deleting = null;
      toast(moved ? tn(catalogKey(this.kind, 'catalog.deleted_moved'), moved, { name: d.row.item.name }) : t('catalog.deleted', { name: d.row.item.name }), 'success');
      await this.afterCatalogChange();
    } catch (e) {
      // In use (perhaps by customers added meanwhile): say how many; the dialog offers a replacement.
      const err = ipc.toApiError(e);
      const count = err.body.details?.count;
      this.deleting = {
        row: count !== null && count !== undefined ? { ...d.row, customers: count } : d.row,
        replacement: d.replacement,
        error: errorText(err.body),
        busy: false,
      };
    }
  }

  private renderDeleteDialog() {
    const d = this.deleting;
    if (!d) return nothing;
    const inUse = d.row.customers > 0;
    const others = this.rows.filter((r) => r.item.id !== d.row.item.id);
    const cancel = () => {
      this.deleting = null;
    };
    return html`<div class="overlay overlay-top" @mousedown=${(e: Event) => e.target === e.currentTarget && cancel()}>
      <div class="dialog dialog-small" role="alertdialog" aria-modal="true" aria-labelledby="cd-title" data-testid="catalog-delete-dialog"
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            cancel();
          } else trapTab(e, e.currentTarget as HTMLElement);
        }}>
        <h2 class="dialog-title" id="cd-title">${t('catalog.delete_title', { name: d.row.item.name })}</h2>
        ${inUse
          ? html`<p class="dialog-text" data-testid="catalog-in-use">${tn(catalogKey(this.kind, 'catalog.in_use_body'), d.row.customers, { name: d.row.item.name })}</p>
              <div class="field">
                <label for="cd-rep">${t('catalog.replacement')}</label>
                <select id="cd-rep" data-testid="catalog-replacement"
                  @change=${(e: Event) => {
                    const v = (e.target as HTMLSelectElement).value;
                    if (this.deleting) this.deleting = { ...this.deleting, replacement: v === '' ? null : Number(v), error: '' };
                  }}>
                  <option value="" ?selected=${d.replacement === null}>${t('catalog.pick_replacement')}</option>
                  ${others.map(
                    (r) => html`<option value=${r.item.id} ?selected=${d.replacement === r.item.id}>${r.item.active ? r.item.name : `${r.item.name} (${t('catalog.inactive')})`}</option>`,
                  )}
                </select>
              </div>
              ${d.replacement !== null
                ? html`<p class="field-hint" data-testid="catalog-move-note">${tn(catalogKey(this.kind, 'catalog.move_note'), d.row.customers, { name: ref.itemName(d.replacement) })}</p>`
                : nothing}`
          : html`<p class="dialog-text">${t('catalog.delete_unused')}</p>`}
        ${d.error ? html`<div class="form-banner" role="alert" data-testid="catalog-delete-error">${d.error}</div>` : nothing}
        <div class="dialog-actions">
          <button type="button" class="button" data-testid="catalog-delete-cancel" @click=${cancel}>${t('common.cancel')}</button>
          <button type="button" class="button button-danger" data-testid="catalog-delete-confirm"
            ?disabled=${d.busy || (inUse && d.replacement === null)} @click=${() => void this.confirmDelete()}>
            ${inUse ? t('catalog.move_and_delete') : t('common.delete')}</button>
        </div>
      </div>
    </div>`;
  }

  private renderCatalog(kind: CatalogKind) {
    const last = this.rows.length - 1;
    return html`<div class="settings-page" data-testid="catalog-page" data-kind=${kind}>
      <header class="settings-head">
        <h2>${t(KIND_LABELS[kind])}</h2>
        <p class="muted">${t(kind === 'level' ? 'catalog.level_intro' : catalogKey(kind, 'catalog.intro'))}</p>
      </header>
      <table class="settings-table catalog-table">
        <thead>
          <tr>
            <th class="col-order"><span class="sr-only">${t('catalog.order')}</span></th>
            <th class="col-color">${t('catalog.color')}</th>
            <th>${t('catalog.name')}</th>
            <th class="col-num">${t(catalogKey(kind, 'catalog.usage'))}</th>
            <th class="col-active">${t('catalog.active')}</th>
            <th class="col-actions"><span class="sr-only">${t('catalog.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${this.rows.map((r, i) => {
            const color = safeColor(r.item.color);
            const err = this.rowErrors.get(r.item.id);
            return html`<tr data-testid="catalog-row" data-id=${r.item.id} class="${r.item.active ? '' : 'row-inactive'} ${this.dragId === r.item.id ? 'dragging' : ''}"
              draggable="true"
              @dragstart=${(e: DragEvent) => {
                this.dragId = r.item.id;
                e.dataTransfer?.setData('text/plain', String(r.item.id));
              }}
              @dragend=${() => {
                this.dragId = null;
              }}
              @dragover=${(e: DragEvent) => this.dragId !== null && e.preventDefault()}
              @drop=${(e: DragEvent) => {
                e.preventDefault();
                void this.dropOn(r);
              }}>
              <td class="col-order">
                <span class="drag-handle" title=${t('catalog.drag')} aria-hidden="true">⋮⋮</span>
                <button type="button" class="icon-button small-icon" data-testid="catalog-up" ?disabled=${i === 0}
                  title=${t('catalog.move_up')} aria-label="${t('catalog.move_up')}: ${r.item.name}" @click=${() => void this.shift(r, -1)}>↑</button>
                <button type="button" class="icon-button small-icon" data-testid="catalog-down" ?disabled=${i === last}
                  title=${t('catalog.move_down')} aria-label="${t('catalog.move_down')}: ${r.item.name}" @click=${() => void this.shift(r, 1)}>↓</button>
              </td>
              <td class="col-color">
                <span class="color-cell">
                  <input type="color" data-testid="catalog-color" aria-label="${t('catalog.color')}: ${r.item.name}" .value=${live(color ?? '#94a3b8')}
                    @change=${(e: Event) => void this.patch(r, { color: (e.target as HTMLInputElement).value })} />
                  ${color
                    ? html`<button type="button" class="link-button small" data-testid="catalog-color-clear" title=${t('catalog.no_color')}
                        @click=${() => void this.patch(r, { color: '' })}>${t('catalog.clear')}</button>`
                    : html`<span class="muted small">${t('catalog.no_color')}</span>`}
                </span>
              </td>
              <td>
                <input class="inline-input" data-testid="catalog-name" aria-label="${t('catalog.name')}: ${r.item.name}" .value=${live(r.item.name)}
                  aria-invalid=${err ? 'true' : 'false'}
                  @change=${(e: Event) => void this.rename(r, e.target as HTMLInputElement)}
                  @keydown=${(e: KeyboardEvent) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      (e.target as HTMLInputElement).blur();
                    } else if (e.key === 'Escape') {
                      (e.target as HTMLInputElement).value = r.item.name;
                    }
                  }} />
                ${err ? html`<div class="field-error" role="alert" data-testid="catalog-row-error">${err}</div>` : nothing}
              </td>
              <td class="col-num" data-testid="catalog-usage">${formatNumber(r.customers)}</td>
              <td class="col-active">
                <input type="checkbox" data-testid="catalog-active" .checked=${live(r.item.active)}
                  aria-label="${t('catalog.active')}: ${r.item.name}"
                  @change=${(e: Event) => void this.patch(r, { active: (e.target as HTMLInputElement).checked })} />
              </td>
              <td class="col-actions">
                <button type="button" class="icon-button" data-testid="catalog-delete" title=${t('common.delete')}
                  aria-label="${t('common.delete')}: ${r.item.name}" @click=${() => this.askDelete(r)}>${iconClose(16)}</button>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${!this.loading && this.rows.length === 0 ? html`<p class="muted" data-testid="catalog-empty">${t('catalog.empty')}</p>` : nothing}
      <form class="catalog-add" @submit=${(e: Event) => {
        e.preventDefault();
        void this.add();
      }}>
        <input type="color" data-testid="catalog-add-color" aria-label=${t('catalog.color')} .value=${live(this.newColor || '#94a3b8')}
          @change=${(e: Event) => {
            this.newColor = (e.target as HTMLInputElement).value;
          }} />
        <input data-testid="catalog-add-name" aria-label=${t('catalog.new_name')} placeholder=${t('catalog.new_name')} .value=${live(this.newName)}
          aria-invalid=${this.addError ? 'true' : 'false'}
          @input=${(e: Event) => {
            this.newName = (e.target as HTMLInputElement).value;
            this.addError = '';
          }} />
        <button type="submit" class="button button-primary" data-testid="catalog-add">+ ${t('common.add')}</button>
      </form>
      ${this.addError ? html`<div class="field-error" role="alert" data-testid="catalog-add-error">${this.addError}</div>` : nothing}
    </div>`;
  }

  // --- staff ---

  private async addStaff(): Promise<void> {
    const f = this.staffForm;
    this.staffErrors = new Map();
    this.staffBanner = '';
    try {
      const s = await ipc.addStaff({ name: f.name, email: f.email, role: f.role, password: f.password || null });
      toast(t('staff.added', { name: s.name }), 'success');
      this.staffForm = { name: '', email: '', role: 'staff', password: '' };
      await ref.reloadStaff();
    } catch (e) {
      const err = ipc.toApiError(e);
      const map = new Map<string, FieldError[]>();
      for (const fe of err.fields) map.set(fe.field, [...(map.get(fe.field) ?? []), fe]);
      this.staffErrors = map;
      this.staffBanner = errorText(err.body);
    }
  }

  private async staffChange(id: number, change: Promise<unknown>): Promise<void> {
    try {
      await change;
      await ref.reloadStaff();
    } catch (e) {
      toastError(e);
      await ref.reloadStaff().catch(() => undefined);
      this.requestUpdate();
    }
    void id;
  }

  private staffField(key: 'name' | 'email' | 'password', label: MessageKey, type = 'text') {
    const errs = this.staffErrors.get(key);
    return html`<div class="field">
      <label for="sf-${key}">${t(label)}${key === 'password' ? nothing : html` <span class="req">*</span>`}</label>
      <input id="sf-${key}" type=${type} data-testid="staff-${key}" .value=${live(this.staffForm[key])} aria-invalid=${errs ? 'true' : 'false'}
        autocomplete=${key === 'password' ? 'new-password' : 'off'}
        @input=${(e: Event) => {
          this.staffForm = { ...this.staffForm, [key]: (e.target as HTMLInputElement).value };
        }} />
      ${errs ? html`<div class="field-error" role="alert" data-testid="staff-error-${key}">${errs.map((x) => fieldErrorText(x)).join(' ')}</div>` : nothing}
    </div>`;
  }

  private renderStaff() {
    const me = this.actor?.staff_id;
    return html`<div class="settings-page" data-testid="staff-page">
      <header class="settings-head">
        <h2>${t('settings.staff')}</h2>
        <p class="muted">${t('staff.intro')}</p>
      </header>
      <table class="settings-table">
        <thead>
          <tr><th>${t('field.name')}</th><th>${t('field.email')}</th><th>${t('field.role')}</th><th>${t('staff.password')}</th><th class="col-active">${t('catalog.active')}</th></tr>
        </thead>
        <tbody>
          ${ref.staff.map(
            (s) => html`<tr data-testid="staff-row" data-id=${s.id} class=${s.active ? '' : 'row-inactive'}>
              <td>${s.name}${s.id === me ? html` <span class="muted small">(${t('staff.you')})</span>` : nothing}</td>
              <td>${s.email}</td>
              <td>
                <select data-testid="staff-role" aria-label="${t('field.role')}: ${s.name}"
                  @change=${(e: Event) => void this.staffChange(s.id, ipc.setStaffRole(s.id, (e.target as HTMLSelectElement).value as Role))}>
                  ${ROLES.map((r) => html`<option value=${r} ?selected=${s.role === r}>${t(`role.${r}`)}</option>`)}
                </select>
              </td>
              <td>${s.has_password ? t('staff.has_password') : html`<span class="muted">${t('staff.no_password')}</span>`}</td>
              <td class="col-active">
                <input type="checkbox" data-testid="staff-active" aria-label="${t('catalog.active')}: ${s.name}" .checked=${live(s.active)}
                  @change=${(e: Event) => void this.staffChange(s.id, ipc.setStaffActive(s.id, (e.target as HTMLInputElement).checked))} />
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      <form class="settings-card" data-testid="staff-add-form" @submit=${(e: Event) => {
        e.preventDefault();
        void this.addStaff();
      }}>
        <h3>${t('staff.add_title')}</h3>
        ${this.staffBanner ? html`<div class="form-banner" role="alert">${this.staffBanner}</div>` : nothing}
        <div class="form-grid">
          ${this.staffField('name', 'field.name')}
          ${this.staffField('email', 'field.email', 'email')}
          <div class="field">
            <label for="sf-role">${t('field.role')}</label>
            <select id="sf-role" data-testid="staff-role-new"
              @change=${(e: Event) => {
                this.staffForm = { ...this.staffForm, role: (e.target as HTMLSelectElement).value as Role };
              }}>
              ${ROLES.map((r) => html`<option value=${r} ?selected=${this.staffForm.role === r}>${t(`role.${r}`)}</option>`)}
            </select>
          </div>
          ${this.staffField('password', 'staff.password_optional', 'password')}
        </div>
        <div class="dialog-actions">
          <button type="submit" class="button button-primary" data-testid="staff-add">${t('staff.add')}</button>
        </div>
      </form>
      <clientele-ownership-settings .actor=${this.actor}></clientele-ownership-settings>
    </div>`;
  }

  // --- field settings ---

  private setRule(field: string, patch: { shown?: boolean; required?: boolean }): void {
    const cur = this.fields.fields[field] ?? { shown: true, required: false };
    let next = { ...cur, ...patch };
    // A required field is always shown (the core does the same); hiding one makes it optional.
    if (patch.required) next = { ...next, shown: true };
    if (patch.shown === false) next = { ...next, required: false };
    this.fields = { fields: { ...this.fields.fields, [field]: next } };
  }

  private async saveFields(): Promise<void> {
    this.saving = true;
    try {
      const saved = await ipc.setFieldSettings(this.fields);
      this.fields = structuredCloneFields(saved);
      ref.set({ fields: saved });
      toast(t('settings.saved'), 'success');
    } catch (e) {
      toastError(e);
    } finally {
      this.saving = false;
    }
  }

  private renderFields() {
    return html`<div class="settings-page" data-testid="fields-page">
      <header class="settings-head">
        <h2>${t('settings.fields')}</h2>
        <p class="muted">${t('fields.intro')}</p>
      </header>
      <table class="settings-table fields-table">
        <thead><tr><th>${t('fields.field')}</th><th class="col-active">${t('fields.shown')}</th><th class="col-active">${t('fields.required')}</th></tr></thead>
        <tbody>
          ${OPTIONAL_FIELDS.map((f) => {
            const r = this.fields.fields[f] ?? { shown: true, required: false };
            return html`<tr data-testid="field-rule" data-field=${f}>
              <td>${fieldLabel(f)}</td>
              <td class="col-active"><input type="checkbox" data-testid="field-shown-${f}" aria-label="${t('fields.shown')}: ${fieldLabel(f)}"
                .checked=${live(r.shown || r.required)} @change=${(e: Event) => this.setRule(f, { shown: (e.target as HTMLInputElement).checked })} /></td>
              <td class="col-active"><input type="checkbox" data-testid="field-required-${f}" aria-label="${t('fields.required')}: ${fieldLabel(f)}"
                .checked=${live(r.required)} @change=${(e: Event) => this.setRule(f, { required: (e.target as HTMLInputElement).checked })} /></td>
            </tr>`;
          })}
        </tbody>
      </table>
      <div class="dialog-actions">
        <button type="button" class="button button-primary" data-testid="fields-save" ?disabled=${this.saving} @click=${() => void this.saveFields()}>
          ${this.saving ? t('common.saving') : t('common.save')}</button>
      </div>
    </div>`;
  }

  // --- duplicate rules ---

  private async saveRules(): Promise<void> {
    if (!this.rules) return;
    this.saving = true;
    try {
      this.rules = await ipc.setDuplicateRules(this.rules);
      toast(t('settings.saved'), 'success');
    } catch (e) {
      toastError(e);
    } finally {
      this.saving = false;
    }
  }

  private renderRules() {
    const rules = this.rules;
    return html`<div class="settings-page" data-testid="rules-page">
      <header class="settings-head">
        <h2>${t('settings.duplicates')}</h2>
        <p class="muted">${t('rules.intro')}</p>
      </header>
      ${rules
        ? html`<table class="settings-table">
              <thead><tr><th>${t('rules.rule')}</th><th>${t('rules.mode')}</th></tr></thead>
              <tbody>
                ${RULE_KEYS.map(
                  (k) => html`<tr data-testid="rule-row" data-rule=${k}>
                    <td><label for="rule-${k}">${t(RULE_LABELS[k])}</label></td>
                    <td>
                      <select id="rule-${k}" data-testid="rule-${k}"
                        @change=${(e: Event) => {
                          if (this.rules) this.rules = { ...this.rules, [k]: (e.target as HTMLSelectElement).value as RuleMode };
                        }}>
                        ${MODES.map((m) => html`<option value=${m} ?selected=${rules[k] === m}>${t(`rules.mode_${m}`)}</option>`)}
                      </select>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
            <p class="muted small">${t('rules.note')}</p>
            <div class="dialog-actions">
              <button type="button" class="button button-primary" data-testid="rules-save" ?disabled=${this.saving} @click=${() => void this.saveRules()}>
                ${this.saving ? t('common.saving') : t('common.save')}</button>
            </div>`
        : nothing}
    </div>`;
  }

  // --- layout ---

  private navItem(page: SettingsPage, label: MessageKey) {
    const active = this.page === page;
    return html`<button type="button" class="settings-nav-item ${active ? 'active' : ''}" data-testid="settings-tab-${page}"
      aria-current=${active ? 'page' : 'false'} @click=${() => void this.show(page)}>${t(label)}</button>`;
  }

  protected override render() {
    const kind = this.kind;
    return html`<div class="settings" data-testid="settings-view">
      <nav class="settings-nav" aria-label=${t('nav.settings')}>
        <div class="settings-nav-group">${t('settings.catalogs')}</div>
        ${CATALOG_KINDS.map((k) => this.navItem(k, KIND_LABELS[k]))}
        <div class="settings-nav-group">${t('care.title')}</div>
        ${this.navItem('care', 'care.settings.title')}
        ${this.isAdmin
          ? html`<div class="settings-nav-group">${t('settings.admin')}</div>
              ${this.navItem('staff', 'settings.staff')} ${this.navItem('fields', 'settings.fields')}
              ${this.navItem('duplicates', 'settings.duplicates')}`
          : nothing}
      </nav>
      <div class="settings-body" aria-busy=${this.loading ? 'true' : 'false'}>
        ${this.pageError ? html`<div class="form-banner" role="alert" data-testid="settings-error">${this.pageError}</div>` : nothing}
        ${kind
          ? this.renderCatalog(kind)
          : this.page === 'care'
            ? html`<clientele-care-settings .actor=${this.actor}></clientele-care-settings>`
            : this.page === 'staff'
            ? this.renderStaff()
            : this.page === 'fields'
              ? this.renderFields()
              : this.renderRules()}
      </div>
      ${this.renderDeleteDialog()}
    </div>`;
  }
}

function structuredCloneFields(f: FieldSettings): FieldSettings {
  return { fields: Object.fromEntries(Object.entries(f.fields).map(([k, v]) => [k, { ...v }])) };
}

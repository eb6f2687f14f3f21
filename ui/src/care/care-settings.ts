// <clientele-care-settings>: the Care page of Settings. The signed-in member's reminders switch,
// and the recurring care rules: per customer level or segment, an activity type and title, every N
// days after the last contact. Administrators add, edit and delete rules; others see them. The
// core checks every rule (and refuses anyone but an administrator).

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { Actor } from '../bindings/Actor';
import type { FieldError } from '../bindings/FieldError';
import { BaseElement } from '../components/base';
import { toast, toastError } from '../components/toasts';
import { errorText, fieldErrorText, formatNumber, t, tn } from '../i18n';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import './care.css';
import { loadReminders, saveReminders } from './reminders';
import { askConfirm, careTypes, iconBell, notifyCareChanged, typeName } from './shared';
import type { CareRule, CareRuleInput } from './types';

type Target = 'level' | 'segment';

interface RuleDraft {
  id: number | null;
  name: string;
  target: Target;
  level_id: number | null;
  segment_id: number | null;
  type_id: number | null;
  title: string;
  interval: string;
  active: boolean;
}

function emptyRule(): RuleDraft {
  return { id: null, name: '', target: 'level', level_id: null, segment_id: null, type_id: null, title: '', interval: '30', active: true };
}

function fromRule(r: CareRule): RuleDraft {
  return {
    id: r.id,
    name: r.name,
    target: r.segment_id !== null ? 'segment' : 'level',
    level_id: r.level_id,
    segment_id: r.segment_id,
    type_id: r.type_id,
    title: r.title,
    interval: String(r.interval_days),
    active: r.active,
  };
}

/** The rule as the core takes it: exactly one of level and segment (a blank name or title: the core makes one). */
export function ruleInput(d: RuleDraft): CareRuleInput {
  const typeId = d.type_id ?? 0;
  const interval = Number(d.interval);
  return {
    id: d.id,
    name: d.name,
    level_id: d.target === 'level' ? d.level_id : null,
    segment_id: d.target === 'segment' ? d.segment_id : null,
    type_id: typeId,
    title: d.title,
    interval_days: Number.isFinite(interval) ? Math.trunc(interval) : 0,
    active: d.active,
  };
}

@customElement('clientele-care-settings')
export class ClienteleCareSettings extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  @state() private rules: CareRule[] = [];
  @state() private loading = false;
  @state() private error = '';
  @state() private reminders: boolean | null = null;
  @state() private editing: RuleDraft | null = null;
  @state() private errors = new Map<string, FieldError[]>();
  @state() private banner = '';
  @state() private saving = false;

  private get isAdmin(): boolean {
    return this.actor?.role === 'admin';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      const [rules, reminders] = await Promise.all([ipc.careRules(), loadReminders().catch(() => null)]);
      this.rules = rules;
      this.reminders = reminders;
    } catch (e) {
      this.error = errorText(ipc.toApiError(e).body);
    } finally {
      this.loading = false;
    }
  }

  private async toggleReminders(on: boolean): Promise<void> {
    this.reminders = on;
    try {
      await saveReminders(on);
    } catch (e) {
      this.reminders = !on;
      toastError(e);
    }
  }

  private edit(d: RuleDraft): void {
    this.editing = d;
    this.errors = new Map();
    this.banner = '';
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('[data-testid=rule-name]')?.focus());
  }

  private set(patch: Partial<RuleDraft>): void {
    if (!this.editing) return;
    this.editing = { ...this.editing, ...patch };
    const next = new Map(this.errors);
    for (const k of Object.keys(patch)) next.delete(k === 'interval' ? 'interval_days' : k);
    if ('target' in patch) {
      next.delete('level_id');
      next.delete('segment_id');
    }
    this.errors = next;
  }

  private async save(): Promise<void> {
    const d = this.editing;
    if (!d || this.saving) return;
    this.saving = true;
    this.banner = '';
    try {
      const saved = await ipc.careSaveRule(ruleInput(d));
      toast(t('care.rules.saved', { name: saved.name }), 'success');
      this.editing = null;
      await this.load();
      // Saving a rule may have planned activities.
      notifyCareChanged();
    } catch (e) {
      const err = ipc.toApiError(e);
      const map = new Map<string, FieldError[]>();
      for (const fe of err.fields) map.set(fe.field, [...(map.get(fe.field) ?? []), fe]);
      this.errors = map;
      this.banner = errorText(err.body);
    } finally {
      this.saving = false;
    }
  }

  private async removeRule(r: CareRule): Promise<void> {
    const ok = await askConfirm({
      message: t('care.rules.delete_title', { name: r.name }),
      detail: t('care.rules.delete_body'),
      okLabel: t('common.delete'),
      danger: true,
    });
    if (!ok) return;
    try {
      await ipc.careDeleteRule(r.id);
      toast(t('care.rules.deleted', { name: r.name }), 'success');
      if (this.editing?.id === r.id) this.editing = null;
      await this.load();
    } catch (e) {
      toastError(e);
    }
  }

  private target(r: CareRule): string {
    if (r.level_id !== null) return t('care.rules.for_level', { name: ref.itemName(r.level_id) });
    if (r.segment_id !== null) return t('care.rules.for_segment', { name: ref.itemName(r.segment_id) });
    return '';
  }

  private err(key: string) {
    const errs = this.errors.get(key);
    if (!errs?.length) return nothing;
    return html`<div class="field-error" role="alert" data-testid="rule-error-${key}">${errs.map((e) => fieldErrorText(e)).join(' ')}</div>`;
  }

  private inv(key: string): 'true' | 'false' {
    return this.errors.has(key) ? 'true' : 'false';
  }

  private renderForm(d: RuleDraft) {
    const targetItems = ref.of(d.target, { activeOnly: true, keep: [d.target === 'level' ? d.level_id : d.segment_id] });
    const targetValue = d.target === 'level' ? d.level_id : d.segment_id;
    return html`<form class="settings-card care-rule-form" data-testid="rule-form" novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.save();
      }}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          this.editing = null;
        }
      }}>
      <h3>${d.id === null ? t('care.rules.add_title') : t('care.rules.edit_title')}</h3>
      ${this.banner ? html`<div class="form-banner" role="alert" data-testid="rule-banner">${this.banner}</div>` : nothing}
      <div class="form-grid">
        <div class="field field-wide">
          <label for="rule-name">${t('care.rules.name')} <span class="req">*</span></label>
          <input id="rule-name" data-testid="rule-name" .value=${live(d.name)} aria-invalid=${this.inv('name')}
            placeholder=${t('care.rules.name_placeholder')} @input=${(e: Event) => this.set({ name: (e.target as HTMLInputElement).value })} />
          ${this.err('name')}
        </div>
        <fieldset class="field">
          <legend>${t('care.rules.applies')}</legend>
          <div class="care-radios">
            ${(['level', 'segment'] as const).map(
              (k) => html`<label class="check-field"><input type="radio" name="rule-target" data-testid="rule-target-${k}" .checked=${live(d.target === k)}
                @change=${() => this.set({ target: k })} /><span>${t(k === 'level' ? 'care.rules.level' : 'care.rules.segment')}</span></label>`,
            )}
          </div>
        </fieldset>
        <div class="field">
          <label for="rule-target">${t(d.target === 'level' ? 'care.rules.level' : 'care.rules.segment')} <span class="req">*</span></label>
          <select id="rule-target" data-testid="rule-target" aria-invalid=${this.errors.has('level_id') || this.errors.has('segment_id') ? 'true' : 'false'}
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              const id = v === '' ? null : Number(v);
              this.set(d.target === 'level' ? { level_id: id } : { segment_id: id });
            }}>
            <option value="" ?selected=${targetValue === null}>${t('form.none_selected')}</option>
            ${targetItems.map((i) => html`<option value=${i.id} ?selected=${targetValue === i.id}>${i.name}</option>`)}
          </select>
          ${this.err('level_id')} ${this.err('segment_id')}
        </div>
        <div class="field">
          <label for="rule-type">${t('care.field.type')} <span class="req">*</span></label>
          <select id="rule-type" data-testid="rule-type" aria-invalid=${this.inv('type_id')}
            @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              this.set({ type_id: v === '' ? null : Number(v) });
            }}>
            <option value="" ?selected=${d.type_id === null}>${t('care.field.type_pick')}</option>
            ${careTypes([d.type_id]).map((i) => html`<option value=${i.id} ?selected=${d.type_id === i.id}>${i.name}</option>`)}
          </select>
          ${this.err('type_id')}
        </div>
        <div class="field">
          <label for="rule-title">${t('care.field.title')}</label>
          <input id="rule-title" data-testid="rule-title" .value=${live(d.title)} aria-invalid=${this.inv('title')}
            placeholder=${d.type_id !== null ? typeName(d.type_id) : ''} @input=${(e: Event) => this.set({ title: (e.target as HTMLInputElement).value })} />
          ${this.err('title')}
        </div>
        <div class="field">
          <label for="rule-interval">${t('care.rules.every')} <span class="req">*</span></label>
          <div class="care-interval">
            <input id="rule-interval" type="number" min="1" step="1" inputmode="numeric" data-testid="rule-interval" .value=${live(d.interval)}
              aria-invalid=${this.inv('interval_days')} @input=${(e: Event) => this.set({ interval: (e.target as HTMLInputElement).value })} />
            <span class="muted">${t('care.rules.days')}</span>
          </div>
          ${this.err('interval_days')}
        </div>
        <label class="check-field">
          <input type="checkbox" data-testid="rule-active" .checked=${live(d.active)} @change=${(e: Event) => this.set({ active: (e.target as HTMLInputElement).checked })} />
          <span>${t('care.rules.active')}</span>
        </label>
      </div>
      <p class="field-hint">${t('care.rules.form_hint')}</p>
      <div class="dialog-actions">
        <button type="button" class="button" data-testid="rule-cancel" @click=${() => (this.editing = null)}>${t('common.cancel')}</button>
        <button type="submit" class="button button-primary" data-testid="rule-save" ?disabled=${this.saving}>${this.saving ? t('common.saving') : t('common.save')}</button>
      </div>
    </form>`;
  }

  protected override render() {
    const admin = this.isAdmin;
    return html`<div class="settings-page" data-testid="care-settings-page">
      <header class="settings-head">
        <h2>${t('care.settings.title')}</h2>
        <p class="muted">${t('care.settings.intro')}</p>
      </header>
      ${this.error ? html`<div class="form-banner" role="alert" data-testid="care-settings-error">${this.error}</div>` : nothing}
      <div class="settings-card care-reminders-card">
        <label class="check-field">
          <input type="checkbox" data-testid="settings-care-reminders" ?disabled=${this.reminders === null} .checked=${live(this.reminders ?? true)}
            @change=${(e: Event) => void this.toggleReminders((e.target as HTMLInputElement).checked)} />
          ${iconBell(16)}<span>${t('care.reminders.setting')}</span>
        </label>
        <p class="field-hint">${t('care.reminders.hint')}</p>
      </div>
      <h3 class="care-rules-title">${t('care.rules.title')}</h3>
      <p class="muted">${t('care.rules.intro')}</p>
      ${this.rules.length
        ? html`<table class="settings-table care-rules-table">
            <thead><tr>
              <th>${t('care.rules.name')}</th><th>${t('care.rules.applies')}</th><th>${t('care.field.type')}</th><th>${t('care.field.title')}</th>
              <th class="col-num">${t('care.rules.every')}</th><th class="col-active">${t('care.rules.active')}</th>
              ${admin ? html`<th class="col-actions"><span class="sr-only">${t('catalog.actions')}</span></th>` : nothing}
            </tr></thead>
            <tbody>
              ${this.rules.map(
                (r) => html`<tr data-testid="rule-row" data-id=${r.id} class=${r.active ? '' : 'row-inactive'}>
                  <td>${r.name}</td>
                  <td>${this.target(r)}</td>
                  <td>${typeName(r.type_id)}</td>
                  <td>${r.title}</td>
                  <td class="col-num">${tn('care.rules.every_days', r.interval_days, { n: formatNumber(r.interval_days) })}</td>
                  <td class="col-active">${r.active ? t('common.yes') : t('common.no')}</td>
                  ${admin
                    ? html`<td class="col-actions care-rule-actions">
                        <button type="button" class="link-button" data-testid="rule-edit" @click=${() => this.edit(fromRule(r))}>${t('common.edit')}</button>
                        <button type="button" class="link-button care-danger-link" data-testid="rule-delete" @click=${() => void this.removeRule(r)}>${t('common.delete')}</button>
                      </td>`
                    : nothing}
                </tr>`,
              )}
            </tbody>
          </table>`
        : this.loading
          ? html`<p class="muted">${t('common.loading')}</p>`
          : html`<p class="muted" data-testid="rules-empty">${t('care.rules.empty')}</p>`}
      ${admin
        ? this.editing
          ? this.renderForm(this.editing)
          : html`<button type="button" class="button" data-testid="rule-add" @click=${() => this.edit(emptyRule())}>+ ${t('care.rules.add')}</button>`
        : html`<p class="muted small">${t('care.rules.admin_only')}</p>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'clientele-care-settings': ClienteleCareSettings;
  }
}

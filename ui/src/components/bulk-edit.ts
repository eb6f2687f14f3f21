// <clientele-bulk-edit>: set segment, level, status, channel or service manager, and add or
// remove groups, on every selected customer at once. The core checks each customer and writes
// the history; this dialog only says what to change. Fires `done` with how many changed.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import type { BulkEdit } from '../bindings/BulkEdit';
import type { CatalogKind } from '../bindings/CatalogKind';
import type { Selection } from '../bindings/Selection';
import type { SetValue } from '../bindings/SetValue';
import { errorText, fieldErrorText, fieldLabel, t, tn, type MessageKey } from '../i18n';
import * as ipc from '../ipc';
import { ref } from '../ref-data';
import { BaseElement, trapTab } from './base';
import { iconClose } from './icons';
import './multi-select';
import type { MultiOption } from './multi-select';
import { toast } from './toasts';

type SingleKey = 'segment' | 'level' | 'status' | 'channel' | 'service_manager';

const SINGLES: { key: SingleKey; kind: CatalogKind | null; label: MessageKey }[] = [
  { key: 'level', kind: 'level', label: 'form.level' },
  { key: 'status', kind: 'status', label: 'form.status' },
  { key: 'segment', kind: 'segment', label: 'form.segment' },
  { key: 'channel', kind: 'channel', label: 'form.channel' },
  { key: 'service_manager', kind: null, label: 'form.service_manager' },
];

/** The select's value: '' leaves it, 'clear' empties it, a number sets it. */
type Choice = '' | 'clear' | number;

export function toBulkEdit(choices: Record<SingleKey, Choice>, add: number[], remove: number[]): BulkEdit {
  const set = (c: Choice): SetValue | null => (c === '' ? null : { id: c === 'clear' ? null : c });
  return {
    segment: set(choices.segment),
    level: set(choices.level),
    status: set(choices.status),
    channel: set(choices.channel),
    service_manager: set(choices.service_manager),
    add_groups: [...add],
    remove_groups: [...remove],
  };
}

const NONE: Record<SingleKey, Choice> = { segment: '', level: '', status: '', channel: '', service_manager: '' };

@customElement('clientele-bulk-edit')
export class ClienteleBulkEdit extends BaseElement {
  @state() private selection: Selection | null = null;
  @state() private count = 0;
  @state() private choices: Record<SingleKey, Choice> = { ...NONE };
  @state() private addGroups: number[] = [];
  @state() private removeGroups: number[] = [];
  @state() private error = '';
  @state() private busy = false;
  private returnFocus: HTMLElement | null = null;

  get isOpen(): boolean {
    return this.selection !== null;
  }

  show(selection: Selection, count: number): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.selection = selection;
    this.count = count;
    this.choices = { ...NONE };
    this.addGroups = [];
    this.removeGroups = [];
    this.error = '';
    this.busy = false;
    void this.updateComplete.then(() => this.querySelector<HTMLElement>('[data-testid=bulk-level]')?.focus());
  }

  close(): void {
    this.selection = null;
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  private get empty(): boolean {
    return Object.values(this.choices).every((c) => c === '') && !this.addGroups.length && !this.removeGroups.length;
  }

  private async apply(): Promise<void> {
    const sel = this.selection;
    if (!sel || this.busy || this.empty) return;
    this.busy = true;
    this.error = '';
    try {
      const changed = await ipc.bulkEditCustomers(sel, toBulkEdit(this.choices, this.addGroups, this.removeGroups));
      toast(tn('bulk.done', changed), 'success');
      this.dispatchEvent(new CustomEvent<number>('done', { detail: changed, bubbles: true }));
      this.close();
    } catch (e) {
      const err = ipc.toApiError(e);
      const fields = err.fields.map((f) => `${fieldLabel(f.field.replace(/^(segment|level|status|channel|service_manager)$/, '$1_id'))}: ${fieldErrorText(f)}`);
      this.error = [errorText(err.body), ...fields].join(' ');
    } finally {
      this.busy = false;
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

  private single(key: SingleKey, kind: CatalogKind | null, label: MessageKey) {
    const options = kind ? ref.of(kind, { activeOnly: true }).map((i) => ({ id: i.id, name: i.name })) : ref.staffOptions().map((s) => ({ id: s.id, name: s.name }));
    const value = this.choices[key];
    const testid = `bulk-${key.replace('_', '-')}`;
    return html`<div class="field">
      <label for="be-${key}">${t(label)}</label>
      <select id="be-${key}" data-testid=${testid} class=${value === '' ? 'unchanged' : ''}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.choices = { ...this.choices, [key]: v === '' || v === 'clear' ? v : Number(v) };
        }}>
        <option value="" ?selected=${value === ''}>${t('bulk.unchanged')}</option>
        <option value="clear" ?selected=${value === 'clear'}>${t('bulk.clear')}</option>
        ${options.map((o) => html`<option value=${o.id} ?selected=${value === o.id}>${o.name}</option>`)}
      </select>
    </div>`;
  }

  protected override render() {
    if (!this.selection) return nothing;
    const groups: MultiOption[] = ref.of('group', { activeOnly: true }).map((i) => ({ id: i.id, label: i.name, color: i.color }));
    return html`<div class="overlay" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <div class="dialog dialog-medium" role="dialog" aria-modal="true" aria-labelledby="be-title" data-testid="bulk-edit-dialog"
        @keydown=${this.onKey}>
        <header class="dialog-header">
          <h2 class="dialog-title" id="be-title">${tn('bulk.title', this.count)}</h2>
          <button type="button" class="icon-button" aria-label=${t('common.close')} @click=${() => this.close()}>${iconClose(16)}</button>
        </header>
        <div class="dialog-body">
          <p class="dialog-text">${t('bulk.intro')}</p>
          ${this.error ? html`<div class="form-banner" role="alert" data-testid="bulk-error">${this.error}</div>` : nothing}
          <div class="form-grid">
            ${SINGLES.map((s) => this.single(s.key, s.kind, s.label))}
            <div class="field" aria-hidden="true"></div>
            <div class="field">
              <span class="field-label" id="be-add">${t('bulk.add_groups')}</span>
              <clientele-multi-select data-testid="bulk-add-groups" aria-labelledby="be-add" .label=${t('bulk.add_groups')}
                .placeholder=${t('bulk.none')} .options=${groups.filter((g) => !this.removeGroups.includes(g.id))} .value=${this.addGroups}
                @values-changed=${(e: CustomEvent<number[]>) => {
                  this.addGroups = e.detail;
                }}></clientele-multi-select>
            </div>
            <div class="field">
              <span class="field-label" id="be-remove">${t('bulk.remove_groups')}</span>
              <clientele-multi-select data-testid="bulk-remove-groups" aria-labelledby="be-remove" .label=${t('bulk.remove_groups')}
                .placeholder=${t('bulk.none')} .options=${groups.filter((g) => !this.addGroups.includes(g.id))} .value=${this.removeGroups}
                @values-changed=${(e: CustomEvent<number[]>) => {
                  this.removeGroups = e.detail;
                }}></clientele-multi-select>
            </div>
          </div>
        </div>
        <footer class="dialog-footer">
          <span class="spacer"></span>
          <button type="button" class="button" data-testid="bulk-cancel" @click=${() => this.close()}>${t('common.cancel')}</button>
          <button type="button" class="button button-primary" data-testid="bulk-apply" ?disabled=${this.busy || this.empty}
            @click=${() => void this.apply()}>${this.busy ? t('common.saving') : tn('bulk.apply', this.count)}</button>
        </footer>
      </div>
    </div>`;
  }
}

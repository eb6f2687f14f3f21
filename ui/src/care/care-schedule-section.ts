// <clientele-care-schedule-section>: the new-customer form's optional "Schedule care" section. When
// ticked, its activity goes with the customer (`CustomerInput.schedule`) and the core schedules it in
// the same transaction as the creation. The assignee defaults to the customer's owner.

import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';

import type { FieldError } from '../bindings/FieldError';
import { BaseElement } from '../components/base';
import { fieldErrorText, t } from '../i18n';
import './care-fields';
import { draftErrors, draftInput, emptyDraft, precheckDraft, type CareDraft, type DraftField } from './draft';
import { localDate } from './time';
import type { CareInput } from './types';

/** Where the customer's input carries the activity (its field errors start with this). */
export const SCHEDULE_PREFIX = 'schedule.';

@customElement('clientele-care-schedule-section')
export class ClienteleCareScheduleSection extends BaseElement {
  /** The owner's name (the default assignee), from the form. */
  @property() ownerName = '';
  /** The form's errors, keyed by the core's field paths (`schedule.due`, …). */
  @property({ attribute: false }) errors: ReadonlyMap<string, FieldError[]> = new Map();
  @state() private enabled = false;
  @state() private draft: CareDraft = emptyDraft({ date: localDate() });
  /** Fields changed since the errors came: their errors are no longer shown. */
  @state() private edited = new Set<DraftField>();

  /** Whether an activity is to be scheduled. */
  get isEnabled(): boolean {
    return this.enabled;
  }

  /** The activity to schedule with the customer, or null when the section is not ticked. */
  input(): CareInput | null {
    return this.enabled ? draftInput(this.draft) : null;
  }

  /** What the form checks before saving, as the core would name it (`schedule.type_id`, …). */
  precheck(): FieldError[] {
    if (!this.enabled) return [];
    return precheckDraft(this.draft).map((e) => ({ ...e, field: `${SCHEDULE_PREFIX}${e.field}` }));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('errors')) this.edited = new Set();
  }

  private change(next: CareDraft): void {
    const edited = new Set(this.edited);
    if (next.type_id !== this.draft.type_id) edited.add('type_id');
    if (next.title !== this.draft.title) edited.add('title');
    if (next.date !== this.draft.date || next.time !== this.draft.time) edited.add('due');
    if (next.assignee_id !== this.draft.assignee_id) edited.add('assignee_id');
    if (next.duration !== this.draft.duration) edited.add('duration_min');
    if (next.notes !== this.draft.notes) edited.add('notes');
    this.edited = edited;
    this.draft = next;
  }

  protected override render() {
    const { fields, other } = draftErrors([...this.errors.values()].flat(), SCHEDULE_PREFIX);
    for (const f of this.edited) fields.delete(f);
    const own = other.filter((e) => e.field === 'schedule');
    return html`<div class="form-stack care-schedule-section" data-testid="care-schedule-section">
      <label class="check-field">
        <input type="checkbox" data-testid="care-schedule-enable" data-error-key="schedule" .checked=${live(this.enabled)}
          @change=${(e: Event) => {
            this.enabled = (e.target as HTMLInputElement).checked;
            if (this.enabled) void this.updateComplete.then(() => this.querySelector<HTMLElement>('[data-testid=cf-care-type]')?.focus());
          }} />
        <span>${t('care.form.enable')}</span>
      </label>
      <p class="field-hint">${t('care.form.hint')}</p>
      ${own.length ? html`<div class="field-error" role="alert">${own.map((e) => fieldErrorText(e)).join(' ')}</div>` : nothing}
      ${this.enabled
        ? html`<clientele-care-fields .idPrefix=${'cf-care'} .errorKeyPrefix=${SCHEDULE_PREFIX} .draft=${this.draft} .errors=${fields} .ownerName=${this.ownerName}
            @draft-change=${(e: CustomEvent<CareDraft>) => {
              e.stopPropagation();
              this.change(e.detail);
            }}></clientele-care-fields>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'clientele-care-schedule-section': ClienteleCareScheduleSection;
  }
}

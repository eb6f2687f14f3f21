// What the scheduling fields hold (new activity, "schedule next", the new-customer form's section),
// without DOM: the draft → the core's CareInput, and the core's field errors → the draft's fields.
// The core validates; this only turns text inputs into the input's shape.

import type { FieldError } from '../bindings/FieldError';
import { localZone } from './time';
import type { CareActivity, CareInput } from './types';

export interface CareDraft {
  type_id: number | null;
  title: string;
  /** `YYYY-MM-DD` from the date picker. */
  date: string;
  /** `HH:MM` from the time picker; empty: all day. */
  time: string;
  /** Null: the customer's owner. */
  assignee_id: number | null;
  /** Minutes, as typed. */
  duration: string;
  notes: string;
}

export type DraftField = 'type_id' | 'title' | 'due' | 'assignee_id' | 'duration_min' | 'notes';

export function emptyDraft(over: Partial<CareDraft> = {}): CareDraft {
  return { type_id: null, title: '', date: '', time: '', assignee_id: null, duration: '', notes: '', ...over };
}

/** A draft for the activity that follows `a` (same type, title and assignee; the date left to pick). */
export function nextDraft(a: Pick<CareActivity, 'type_id' | 'title' | 'assignee_id'>, date: string): CareDraft {
  return emptyDraft({ type_id: a.type_id, title: a.title, assignee_id: a.assignee_id, date });
}

/** `due` as the core takes it: the date, or the date and the time. */
export function draftDue(d: CareDraft): string {
  return d.time ? `${d.date}T${d.time}` : d.date;
}

/**
 * The core's input, in the browser's zone. A blank title goes as it is (the core names the
 * activity after its type); a missing type or date too (the core answers with field errors).
 */
export function draftInput(d: CareDraft, tz: string | null = localZone()): CareInput {
  const minutes = d.duration.trim() === '' ? null : Number(d.duration);
  return {
    type_id: d.type_id ?? 0,
    title: d.title,
    due: draftDue(d),
    tz,
    duration_min: minutes !== null && Number.isFinite(minutes) ? Math.round(minutes) : null,
    assignee_id: d.assignee_id,
    notes: d.notes.trim() === '' ? null : d.notes,
  };
}

/** Checks worth making before asking the core (it checks again). */
export function precheckDraft(d: CareDraft): FieldError[] {
  const out: FieldError[] = [];
  if (d.type_id === null) out.push({ field: 'type_id', code: 'required', value: null });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date)) out.push({ field: 'due', code: 'required', value: null });
  return out;
}

const FIELDS: DraftField[] = ['type_id', 'title', 'due', 'assignee_id', 'duration_min', 'notes'];

/**
 * The core's field errors keyed by the draft's fields. `prefix` strips the path of a nested input
 * (`schedule.` in the customer form, `next.` for "schedule next"); `due_at`/`due_local` land on `due`.
 */
export function draftErrors(errors: FieldError[], prefix = ''): { fields: Map<DraftField, FieldError[]>; other: FieldError[] } {
  const fields = new Map<DraftField, FieldError[]>();
  const other: FieldError[] = [];
  for (const e of errors) {
    let f = e.field;
    if (prefix) {
      if (!f.startsWith(prefix)) {
        other.push(e);
        continue;
      }
      f = f.slice(prefix.length);
    }
    if (f === 'due_at' || f === 'due_local' || f === 'tz') f = 'due';
    if (f === 'type') f = 'type_id';
    if (f === 'assignee') f = 'assignee_id';
    if ((FIELDS as string[]).includes(f)) {
      const key = f as DraftField;
      fields.set(key, [...(fields.get(key) ?? []), e]);
    } else other.push(e);
  }
  return { fields, other };
}

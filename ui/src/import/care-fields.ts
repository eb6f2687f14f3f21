// The columns of a follow-up records file (the import wizard's `care` kind), in the core's order
// (`FollowUpField::ALL`), with their labels, and the reasons the core gives for its rows. The core
// decides what each column accepts; this only names them.

import type { FollowUpField } from '../bindings/FollowUpField';
import { catalogs, lang, t, type MessageKey } from '../i18n';
import { reasonLabel } from './fields';

export const CARE_FIELDS: readonly FollowUpField[] = [
  'customer_code',
  'phone',
  'email',
  'type',
  'title',
  'done_at',
  'outcome',
  'assignee',
];

/** Columns that can name the customer of a row (one of them must be mapped). */
export const CUSTOMER_FIELDS: readonly FollowUpField[] = ['customer_code', 'phone', 'email'];

export function careFieldLabel(field: FollowUpField): string {
  return t(`care_import.field.${field}` as MessageKey);
}

/** A follow-up row's reason in words: the care wording where it differs, else the import's. */
export function careReasonLabel(code: string): string {
  const key = `care_import.reason.${code}`;
  return Object.prototype.hasOwnProperty.call(catalogs[lang()], key) ? t(key as MessageKey) : reasonLabel(code);
}

// The import fields and export columns the wizard and the export dialog offer, in the core's
// order, with their labels. The core decides what each field accepts; this only names them.

import type { ExportColumn } from '../bindings/ExportColumn';
import type { ImportField } from '../bindings/ImportField';
import { catalogs, lang, t, type MessageKey } from '../i18n';

/** Every import field, in the order of a template's columns (`ImportField::ALL`). */
export const IMPORT_FIELDS: readonly ImportField[] = [
  'customer_code',
  'name',
  'type',
  'phone',
  'email',
  'address',
  'segment',
  'level',
  'group',
  'status',
  'acquisition_channel',
  'owner',
  'tax_code',
  'website',
  'birthday',
  'founded_date',
  'notes',
  'promo_email_consent',
  'contact_name',
  'contact_phone',
  'contact_email',
  'contact_position',
  'gender',
  'service_manager',
];

/** Every export column, in the default order (`ExportColumn::ALL`). */
export const EXPORT_COLUMNS: readonly ExportColumn[] = [...IMPORT_FIELDS, 'created_at', 'updated_at'];

export function fieldLabel(field: ImportField | ExportColumn): string {
  return t(`transfer.field.${field}` as MessageKey);
}

/** A row problem's reason (`missing_name`, `unknown_owner`, …) in words; unknown codes as they are. */
export function reasonLabel(code: string): string {
  const key = `import.reason.${code}`;
  return Object.prototype.hasOwnProperty.call(catalogs[lang()], key) ? t(key as MessageKey) : code;
}

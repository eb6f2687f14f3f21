// Every reason, warning and error code of the import has words in both languages, and every
// field and export column has a label.

import { afterEach, describe, expect, it } from 'vitest';

import { errorText, setLang } from '../i18n';
import { EXPORT_COLUMNS, IMPORT_FIELDS, fieldLabel, reasonLabel } from './fields';

afterEach(() => setLang('en'));

const REASONS = [
  'missing_name', 'invalid_email', 'invalid_phone', 'bad_date', 'bad_boolean', 'bad_kind', 'bad_gender',
  'missing_required', 'too_long', 'invalid_code', 'unknown_value',
  'unknown_owner', 'not_for_kind', 'invalid_website', 'invalid_tax_code',
];
const ERRORS = [
  'import.unsupported_format', 'import.damaged', 'import.too_large', 'import.password_protected', 'import.empty',
  'import.no_header', 'import.no_name_column', 'import.sheet_not_found', 'operation.cancelled', 'import_batch.not_found',
];

describe('import words', () => {
  it('translates every reason and error code in English and Vietnamese', () => {
    for (const l of ['en', 'vi'] as const) {
      setLang(l);
      for (const code of REASONS) expect(reasonLabel(code)).not.toBe(code);
      for (const code of ERRORS) expect(errorText({ code, message: 'FALLBACK' })).not.toBe('FALLBACK');
      for (const f of EXPORT_COLUMNS) expect(fieldLabel(f)).toBeTruthy();
    }
    setLang('vi');
    expect(reasonLabel('missing_name')).toBe('Thiếu tên khách hàng');
    expect(errorText({ code: 'import.password_protected', message: 'x' })).toContain('mật khẩu');
  });

  it('shows an unknown reason code as it is', () => {
    expect(reasonLabel('some_new_reason')).toBe('some_new_reason');
  });

  it('lists the core’s fields in its order', () => {
    expect(IMPORT_FIELDS).toHaveLength(24);
    expect(EXPORT_COLUMNS).toHaveLength(26);
    expect(new Set(EXPORT_COLUMNS).size).toBe(26);
  });
});

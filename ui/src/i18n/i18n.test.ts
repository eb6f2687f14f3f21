import { afterEach, describe, expect, it } from 'vitest';

import { en } from './en';
import { errorText, fieldErrorText, formatDate, formatNumber, setLang, t, tn } from './index';
import { vi as viMessages } from './vi';

afterEach(() => setLang('en'));

describe('i18n', () => {
  it('has the same keys in English and Vietnamese, none empty', () => {
    expect(Object.keys(viMessages).sort()).toEqual(Object.keys(en).sort());
    for (const v of [...Object.values(en), ...Object.values(viMessages)]) expect(v.trim()).not.toBe('');
  });

  it('translates every error code the core has', () => {
    const codes = [
      'customer.not_found', 'input.invalid', 'customer.code_taken', 'staff.email_taken', 'session.not_signed_in',
      'session.already_initialised', 'permission.denied', 'session.wrong_password', 'input.bad_argument',
      'db.busy', 'db.error', 'db.migration_failed', 'io.error', 'catalog.in_use', 'catalog_item.not_found',
      'customer.duplicate', 'not_found', 'contact.not_found',
    ];
    for (const l of ['en', 'vi'] as const) {
      setLang(l);
      for (const code of codes) expect(errorText({ code, message: 'FALLBACK' })).not.toBe('FALLBACK');
    }
    for (const code of ['required', 'invalid_email', 'invalid_phone', 'too_long', 'taken', 'not_allowed', 'invalid', 'inactive']) {
      expect(fieldErrorText({ field: 'x', code })).not.toBe(code);
    }
  });

  it('puts an error’s value and count into its text', () => {
    const err = { code: 'catalog.in_use', message: 'x', details: { value: 'VIP', count: 1234 } };
    expect(errorText(err)).toBe('“VIP” is used by 1,234 customers; pick a replacement first.');
    setLang('vi');
    expect(errorText(err)).toBe('“VIP” đang được 1.234 khách hàng dùng; hãy chọn mục thay thế trước.');
  });

  it('falls back to the core message for an unknown code', () => {
    expect(errorText({ code: 'import.bad_header', message: 'bad header in column 3' })).toBe('bad header in column 3');
    setLang('vi');
    expect(errorText({ code: 'nope', message: 'english fallback' })).toBe('english fallback');
    expect(fieldErrorText({ field: 'x', code: 'weird', value: 'v' })).toBe('weird: v');
  });

  it('uses plural forms and the locale for counts', () => {
    expect(tn('confirm.delete', 1)).toBe('Delete 1 customer?');
    expect(tn('confirm.delete', 3)).toBe('Delete 3 customers?');
    expect(tn('top.count', 12345)).toBe('12,345 customers');
    setLang('vi');
    expect(tn('confirm.delete', 3)).toBe('Xoá 3 khách hàng?');
    expect(formatNumber(12345)).toBe('12.345');
    expect(t('nav.trash')).toBe('Thùng rác');
  });

  it('formats calendar dates without a time-zone shift', () => {
    expect(formatDate('2024-03-01')).toBe('01/03/2024');
    setLang('vi');
    expect(formatDate('2024-03-01')).toBe('01/03/2024');
  });
});

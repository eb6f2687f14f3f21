import { describe, expect, it } from 'vitest';

import type { Customer } from '../bindings/Customer';
import { buildInput, emptyForm, fromCustomer, isFormField, mapFieldErrors, precheck } from './customer-form-model';

describe('customer form model', () => {
  it('turns empty strings into null and drops blank list inputs', () => {
    const s = { ...emptyForm(''), name: 'An', phones: ['', '0912 345 678', '  '], emails: ['a@b.vn', ''], address: '  ' };
    const { input, phoneInputs, emailInputs } = buildInput(s);
    expect(input.code).toBeNull();
    expect(input.address).toBeNull();
    expect(input.tax_code).toBeNull();
    expect(input.notes).toBeNull();
    expect(input.phones).toEqual(['0912 345 678']);
    expect(input.emails).toEqual(['a@b.vn']);
    expect(phoneInputs).toEqual([1]);
    expect(emailInputs).toEqual([0]);
  });

  it('clears the other kind’s fields', () => {
    const s = { ...emptyForm('KH1'), name: 'X', birthday: '1990-01-02', gender: 'female' as const, founded_on: '2001-01-01' };
    const individual = buildInput(s).input;
    expect(individual).toMatchObject({ kind: 'individual', birthday: '1990-01-02', gender: 'female', founded_on: null, code: 'KH1' });
    const business = buildInput({ ...s, kind: 'business' }).input;
    expect(business).toMatchObject({ kind: 'business', birthday: null, gender: null, founded_on: '2001-01-01' });
  });

  it('maps the core’s field errors back onto the inputs they came from', () => {
    const s = { ...emptyForm(), name: 'An', phones: ['', 'abc'], emails: ['ok@x.vn', '', 'bad'] };
    const built = buildInput(s);
    const mapped = mapFieldErrors(
      [
        { field: 'phones.0', code: 'invalid_phone', value: 'abc' },
        { field: 'emails.1', code: 'invalid_email', value: 'bad' },
        { field: 'code', code: 'taken', value: 'KH1' },
        { field: 'name', code: 'too_long', value: null },
      ],
      built,
    );
    expect(mapped.get('phones.1')?.[0]?.code).toBe('invalid_phone');
    expect(mapped.get('emails.2')?.[0]?.code).toBe('invalid_email');
    expect(mapped.get('code')?.[0]?.code).toBe('taken');
    expect(mapped.get('name')?.[0]?.code).toBe('too_long');
  });

  it('knows which fields have a place in the form', () => {
    const s = emptyForm();
    expect(isFormField('name', s)).toBe(true);
    expect(isFormField('emails.0', s)).toBe(true);
    expect(isFormField('emails.3', s)).toBe(false);
    expect(isFormField('founded_on', s)).toBe(false);
    expect(isFormField('founded_on', { ...s, kind: 'business' })).toBe(true);
    expect(isFormField('owner_id', s)).toBe(false);
  });

  it('prechecks only that the name is given', () => {
    expect(precheck({ ...emptyForm(), name: '  ' })).toEqual([{ field: 'name', code: 'required', value: null }]);
    expect(precheck({ ...emptyForm(), name: 'An', emails: ['not an email'] })).toEqual([]);
  });

  it('round-trips a customer into the form and back', () => {
    const c: Customer = {
      id: 9, code: 'KH000009', kind: 'business', name: 'ACME', phones: [], emails: ['a@acme.vn'], address: null,
      tax_code: '0101', website: null, birthday: null, founded_on: '2010-05-06', gender: null, notes: 'n',
      owner_id: 2, owner_name: 'Mai', created_at: '2024-01-01T00:00:00Z', created_by: 1,
      updated_at: '2024-01-01T00:00:00Z', updated_by: 1, deleted_at: null,
    };
    const s = fromCustomer(c);
    expect(s.phones).toEqual(['']);
    expect(buildInput(s).input).toEqual({
      code: 'KH000009', kind: 'business', name: 'ACME', phones: [], emails: ['a@acme.vn'], address: null,
      tax_code: '0101', website: null, birthday: null, founded_on: '2010-05-06', gender: null, notes: 'n', owner_id: 2,
    });
  });
});

import { describe, expect, it } from 'vitest';

import { makeCustomer } from '../testing/fixtures';
import { buildInput, emptyContact, emptyForm, fromCustomer, isFormField, mapFieldErrors, precheck, sectionOf, splitList } from './customer-form-model';

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
    expect(isFormField('owner_id', s)).toBe(true);
    expect(isFormField('photo', s)).toBe(false);
    expect(isFormField('contacts.0.name', s)).toBe(false);
    const b = { ...s, kind: 'business' as const, contacts: [emptyContact(true)] };
    expect(isFormField('contacts.0.name', b)).toBe(true);
    expect(isFormField('contacts.1.name', b)).toBe(false);
  });

  it('maps row errors onto their rows and sections', () => {
    const mapped = mapFieldErrors([
      { field: 'contacts.1.phones.2', code: 'invalid_phone', value: 'x' },
      { field: 'contacts.0.primary', code: 'invalid', value: null },
      { field: 'legal_entities.1.name', code: 'required', value: null },
      { field: 'products.0.since', code: 'invalid', value: '2999-01-01' },
    ]);
    expect([...mapped.keys()]).toEqual(['contacts.1.phones', 'contacts.0', 'legal_entities.1.name', 'products.0']);
    expect(sectionOf('contacts.1.phones')).toBe('contacts');
    expect(sectionOf('legal_entities.1.name')).toBe('billing');
    expect(sectionOf('level_id')).toBe('classification');
    expect(sectionOf('referrer_customer_id')).toBe('referral');
    expect(sectionOf('phones.0')).toBe('general');
  });

  it('splits a contact’s phones and sends individuals no contacts', () => {
    expect(splitList(' 0912 345 678, 028 3823 4567 ;; ')).toEqual(['0912 345 678', '028 3823 4567']);
    const s = { ...emptyForm(), name: 'An', contacts: [{ ...emptyContact(true), name: 'Bình', phones: '0912, 0913' }] };
    expect(buildInput(s).input.contacts).toEqual([]);
    expect(buildInput({ ...s, kind: 'business' }).input.contacts).toEqual([
      { id: null, name: 'Bình', position_id: null, phones: ['0912', '0913'], emails: [], primary: true, notes: null },
    ]);
    expect(buildInput(s, true).input.allow_duplicate).toBe(true);
  });

  it('prechecks only that the name is given', () => {
    expect(precheck({ ...emptyForm(), name: '  ' })).toEqual([{ field: 'name', code: 'required', value: null }]);
    expect(precheck({ ...emptyForm(), name: 'An', emails: ['not an email'] })).toEqual([]);
  });

  it('round-trips a customer into the form and back', () => {
    const c = makeCustomer({
      id: 9, code: 'KH000009', kind: 'business', name: 'ACME', emails: ['a@acme.vn'], tax_code: '0101',
      founded_on: '2010-05-06', notes: 'n', owner_id: 2, owner_name: 'Mai', level_id: 5, group_ids: [7, 8],
      email_consent: true, email_consent_at: '2024-02-01T00:00:00Z', products: [{ product_id: 11, since: '2023-01-01' }],
      invoice_type_ids: [12], legal_entities: [{ name: 'ACME Ltd', tax_code: null, address: 'HN' }],
      contacts: [{ id: 3, name: 'Bình', position_id: 4, phones: ['0912'], emails: ['b@acme.vn'], primary: true, notes: null }],
      referrer: { id: 2, code: 'KH000002', name: 'Referrer' }, referrer_supplier: 'Supp', photo: 'p.png',
    });
    const s = fromCustomer(c);
    expect(s.phones).toEqual(['']);
    expect(buildInput(s).input).toEqual({
      code: 'KH000009', kind: 'business', name: 'ACME', phones: [], emails: ['a@acme.vn'], address: null,
      tax_code: '0101', website: null, birthday: null, founded_on: '2010-05-06', gender: null, notes: 'n', owner_id: 2,
      segment_id: null, level_id: 5, group_ids: [7, 8], status_id: null, channel_id: null, service_manager_id: null,
      email_consent: true, products: [{ product_id: 11, since: '2023-01-01' }], invoice_type_ids: [12],
      legal_entities: [{ name: 'ACME Ltd', tax_code: null, address: 'HN' }],
      contacts: [{ id: 3, name: 'Bình', position_id: 4, phones: ['0912'], emails: ['b@acme.vn'], primary: true, notes: null }],
      referrer_customer_id: 2, referrer_supplier: 'Supp', photo: 'p.png', allow_duplicate: false,
    });
  });
});

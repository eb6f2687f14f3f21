// The customer form's state and its two translations, with no DOM: state → CustomerInput for the
// core, and the core's FieldErrors → messages keyed by the form's own fields.

import type { Customer } from '../bindings/Customer';
import type { CustomerInput } from '../bindings/CustomerInput';
import type { CustomerKind } from '../bindings/CustomerKind';
import type { FieldError } from '../bindings/FieldError';
import type { Gender } from '../bindings/Gender';

export interface FormState {
  kind: CustomerKind;
  code: string;
  name: string;
  /** One entry per input shown; blank ones are dropped on submit. */
  phones: string[];
  emails: string[];
  address: string;
  tax_code: string;
  website: string;
  birthday: string;
  founded_on: string;
  gender: Gender | '';
  notes: string;
  owner_id: number | null;
}

export function emptyForm(code = ''): FormState {
  return {
    kind: 'individual',
    code,
    name: '',
    phones: [''],
    emails: [''],
    address: '',
    tax_code: '',
    website: '',
    birthday: '',
    founded_on: '',
    gender: '',
    notes: '',
    owner_id: null,
  };
}

export function fromCustomer(c: Customer): FormState {
  return {
    kind: c.kind,
    code: c.code,
    name: c.name,
    phones: c.phones.length ? [...c.phones] : [''],
    emails: c.emails.length ? [...c.emails] : [''],
    address: c.address ?? '',
    tax_code: c.tax_code ?? '',
    website: c.website ?? '',
    birthday: c.birthday ?? '',
    founded_on: c.founded_on ?? '',
    gender: c.gender ?? '',
    notes: c.notes ?? '',
    owner_id: c.owner_id,
  };
}

/** What was submitted, and for each submitted list item the index of the input it came from. */
export interface Built {
  input: CustomerInput;
  phoneInputs: number[];
  emailInputs: number[];
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s);

function compact(values: string[]): { kept: string[]; from: number[] } {
  const kept: string[] = [];
  const from: number[] = [];
  values.forEach((v, i) => {
    if (v.trim() !== '') {
      kept.push(v);
      from.push(i);
    }
  });
  return { kept, from };
}

/** Build the core's input: empty strings → null, blank list inputs dropped, the other kind's fields cleared. */
export function buildInput(s: FormState): Built {
  const phones = compact(s.phones);
  const emails = compact(s.emails);
  const individual = s.kind === 'individual';
  return {
    input: {
      code: orNull(s.code),
      kind: s.kind,
      name: s.name,
      phones: phones.kept,
      emails: emails.kept,
      address: orNull(s.address),
      tax_code: orNull(s.tax_code),
      website: orNull(s.website),
      birthday: individual ? orNull(s.birthday) : null,
      founded_on: individual ? null : orNull(s.founded_on),
      gender: individual && s.gender !== '' ? s.gender : null,
      notes: orNull(s.notes),
      owner_id: s.owner_id,
    },
    phoneInputs: phones.from,
    emailInputs: emails.from,
  };
}

/** Checks the form may do before asking the core (the core remains the rule). */
export function precheck(s: FormState): FieldError[] {
  return s.name.trim() === '' ? [{ field: 'name', code: 'required', value: null }] : [];
}

/**
 * Key the core's field errors by the form's fields: `phones.1` of the submitted input becomes the
 * index of the input it came from (blank inputs were dropped). Several errors on one field are kept.
 */
export function mapFieldErrors(errors: FieldError[], built?: Pick<Built, 'phoneInputs' | 'emailInputs'>): Map<string, FieldError[]> {
  const out = new Map<string, FieldError[]>();
  for (const e of errors) {
    let key = e.field;
    const m = /^(phones|emails)\.(\d+)$/.exec(e.field);
    if (m && built) {
      const list = m[1] === 'phones' ? built.phoneInputs : built.emailInputs;
      const ui = list[Number(m[2])];
      if (ui !== undefined) key = `${m[1]}.${ui}`;
    }
    const arr = out.get(key);
    if (arr) arr.push(e);
    else out.set(key, [e]);
  }
  return out;
}

/** Fields the form shows an error slot for; errors on other fields go to the form's banner. */
export function isFormField(key: string, s: FormState): boolean {
  const m = /^(phones|emails)\.(\d+)$/.exec(key);
  if (m) return Number(m[2]) < (m[1] === 'phones' ? s.phones.length : s.emails.length);
  const individual = s.kind === 'individual';
  switch (key) {
    case 'code':
    case 'kind':
    case 'name':
    case 'phones':
    case 'emails':
    case 'address':
    case 'tax_code':
    case 'website':
    case 'notes':
      return true;
    case 'birthday':
    case 'gender':
      return individual;
    case 'founded_on':
      return !individual;
    default:
      return false;
  }
}

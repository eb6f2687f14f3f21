// The customer form's state and its two translations, with no DOM: state → CustomerInput for the
// core, and the core's FieldErrors → messages keyed by the form's own fields and sections.

import type { Customer } from '../bindings/Customer';
import type { CustomerInput } from '../bindings/CustomerInput';
import type { CustomerKind } from '../bindings/CustomerKind';
import type { CustomerRef } from '../bindings/CustomerRef';
import type { FieldError } from '../bindings/FieldError';
import type { Gender } from '../bindings/Gender';

export interface ContactState {
  /** Null for a contact not saved yet. */
  id: number | null;
  name: string;
  position_id: number | null;
  /** Several values separated by commas or semicolons. */
  phones: string;
  emails: string;
  primary: boolean;
  notes: string;
}

export interface EntityState {
  name: string;
  tax_code: string;
  address: string;
}

export interface ProductState {
  product_id: number;
  since: string;
}

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
  segment_id: number | null;
  level_id: number | null;
  group_ids: number[];
  status_id: number | null;
  channel_id: number | null;
  service_manager_id: number | null;
  email_consent: boolean;
  /** When the consent last changed (shown, never sent: the core sets it). */
  email_consent_at: string | null;
  products: ProductState[];
  invoice_type_ids: number[];
  legal_entities: EntityState[];
  contacts: ContactState[];
  referrer: CustomerRef | null;
  referrer_supplier: string;
  /** Kept as it is (the photo is set by its own command). */
  photo: string | null;
}

/** `care`: the new-customer form's "Schedule care" (ui/src/care/care-schedule-section.ts). */
export type SectionId = 'general' | 'classification' | 'marketing' | 'products' | 'billing' | 'contacts' | 'referral' | 'care';

export const SECTIONS: SectionId[] = ['general', 'classification', 'marketing', 'products', 'billing', 'contacts', 'referral', 'care'];

export function emptyContact(primary = false): ContactState {
  return { id: null, name: '', position_id: null, phones: '', emails: '', primary, notes: '' };
}

export function emptyEntity(): EntityState {
  return { name: '', tax_code: '', address: '' };
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
    segment_id: null,
    level_id: null,
    group_ids: [],
    status_id: null,
    channel_id: null,
    service_manager_id: null,
    email_consent: false,
    email_consent_at: null,
    products: [],
    invoice_type_ids: [],
    legal_entities: [],
    contacts: [],
    referrer: null,
    referrer_supplier: '',
    photo: null,
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
    segment_id: c.segment_id,
    level_id: c.level_id,
    group_ids: [...c.group_ids],
    status_id: c.status_id,
    channel_id: c.channel_id,
    service_manager_id: c.service_manager_id,
    email_consent: c.email_consent,
    email_consent_at: c.email_consent_at,
    products: c.products.map((p) => ({ product_id: p.product_id, since: p.since ?? '' })),
    invoice_type_ids: [...c.invoice_type_ids],
    legal_entities: c.legal_entities.map((e) => ({ name: e.name, tax_code: e.tax_code ?? '', address: e.address ?? '' })),
    contacts: c.contacts.map((k) => ({
      id: k.id,
      name: k.name,
      position_id: k.position_id,
      phones: k.phones.join(', '),
      emails: k.emails.join(', '),
      primary: k.primary,
      notes: k.notes ?? '',
    })),
    referrer: c.referrer,
    referrer_supplier: c.referrer_supplier ?? '',
    photo: c.photo,
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

/** "0912 345 678, 028 3823 4567" → ["0912 345 678", "028 3823 4567"]. */
export function splitList(s: string): string[] {
  return s
    .split(/[,;\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * Build the core's input: empty strings → null, blank phone/e-mail inputs dropped, the other
 * kind's fields cleared. Contact and legal-entity rows go as they are (the core skips empty rows
 * and reports errors by the row's index, which is the form's).
 */
export function buildInput(s: FormState, allowDuplicate = false): Built {
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
      segment_id: s.segment_id,
      level_id: s.level_id,
      group_ids: [...s.group_ids],
      status_id: s.status_id,
      channel_id: s.channel_id,
      service_manager_id: s.service_manager_id,
      email_consent: s.email_consent,
      products: s.products.map((p) => ({ product_id: p.product_id, since: orNull(p.since) })),
      invoice_type_ids: [...s.invoice_type_ids],
      legal_entities: s.legal_entities.map((e) => ({ name: e.name, tax_code: orNull(e.tax_code), address: orNull(e.address) })),
      contacts: individual
        ? []
        : s.contacts.map((c) => ({
            id: c.id,
            name: c.name,
            position_id: c.position_id,
            phones: splitList(c.phones),
            emails: splitList(c.emails),
            primary: c.primary,
            notes: orNull(c.notes),
          })),
      referrer_customer_id: s.referrer?.id ?? null,
      referrer_supplier: orNull(s.referrer_supplier),
      photo: s.photo,
      allow_duplicate: allowDuplicate,
    },
    phoneInputs: phones.from,
    emailInputs: emails.from,
  };
}

/** Checks the form may do before asking the core (the core remains the rule). */
export function precheck(s: FormState): FieldError[] {
  return s.name.trim() === '' ? [{ field: 'name', code: 'required', value: null }] : [];
}

const CONTACT_SLOTS = new Set(['name', 'position_id', 'phones', 'emails', 'notes']);
const ENTITY_SLOTS = new Set(['name', 'tax_code', 'address']);

/** The form's error slot for one core field path. */
export function formKey(field: string, built?: Pick<Built, 'phoneInputs' | 'emailInputs'>): string {
  const m = /^(phones|emails)\.(\d+)$/.exec(field);
  if (m) {
    if (!built) return field;
    const list = m[1] === 'phones' ? built.phoneInputs : built.emailInputs;
    const ui = list[Number(m[2])];
    return ui === undefined ? field : `${m[1]}.${ui}`;
  }
  const c = /^contacts\.(\d+)\.([a-z_]+)/.exec(field);
  if (c) return CONTACT_SLOTS.has(c[2] ?? '') ? `contacts.${c[1]}.${c[2]}` : `contacts.${c[1]}`;
  const e = /^legal_entities\.(\d+)\.([a-z_]+)/.exec(field);
  if (e) return ENTITY_SLOTS.has(e[2] ?? '') ? `legal_entities.${e[1]}.${e[2]}` : `legal_entities.${e[1]}`;
  const p = /^products\.(\d+)/.exec(field);
  if (p) return `products.${p[1]}`;
  return field;
}

/**
 * Key the core's field errors by the form's fields: `phones.1` of the submitted input becomes the
 * index of the input it came from (blank inputs were dropped); a contact's `phones.2` is the
 * contact's phones input. Several errors on one field are kept.
 */
export function mapFieldErrors(errors: FieldError[], built?: Pick<Built, 'phoneInputs' | 'emailInputs'>): Map<string, FieldError[]> {
  const out = new Map<string, FieldError[]>();
  for (const e of errors) {
    const key = formKey(e.field, built);
    const arr = out.get(key);
    if (arr) arr.push(e);
    else out.set(key, [e]);
  }
  return out;
}

/** Which section of the form holds a field (by its form key). */
export function sectionOf(key: string): SectionId | null {
  const base = key.split('.')[0] ?? key;
  switch (base) {
    case 'code':
    case 'kind':
    case 'name':
    case 'phones':
    case 'emails':
    case 'address':
    case 'tax_code':
    case 'website':
    case 'birthday':
    case 'founded_on':
    case 'gender':
    case 'notes':
      return 'general';
    case 'segment_id':
    case 'level_id':
    case 'group_ids':
    case 'status_id':
    case 'channel_id':
    case 'owner_id':
    case 'service_manager_id':
      return 'classification';
    case 'email_consent':
      return 'marketing';
    case 'products':
      return 'products';
    case 'invoice_type_ids':
    case 'legal_entities':
      return 'billing';
    case 'contacts':
      return 'contacts';
    case 'referrer_customer_id':
    case 'referrer_supplier':
      return 'referral';
    case 'schedule':
      return 'care';
    default:
      return null;
  }
}

/** Fields the form shows an error slot for; errors on other fields go to the form's banner. */
export function isFormField(key: string, s: FormState): boolean {
  const m = /^(phones|emails)\.(\d+)$/.exec(key);
  if (m) return Number(m[2]) < (m[1] === 'phones' ? s.phones.length : s.emails.length);
  const individual = s.kind === 'individual';
  const row = /^(contacts|legal_entities|products)\.(\d+)/.exec(key);
  if (row) {
    if (row[1] === 'contacts' && individual) return false;
    const list = row[1] === 'contacts' ? s.contacts : row[1] === 'legal_entities' ? s.legal_entities : s.products;
    return Number(row[2]) < list.length;
  }
  switch (key) {
    case 'birthday':
    case 'gender':
      return individual;
    case 'founded_on':
      return !individual;
    case 'contacts':
      return !individual;
    case 'photo':
      return false;
    default:
      return sectionOf(key) !== null;
  }
}

// Test data: complete bindings objects with sensible empty values, so a test states only what it
// is about. Used by *.test.ts only.

import type { CatalogItem } from '../bindings/CatalogItem';
import type { CatalogKind } from '../bindings/CatalogKind';
import type { Customer } from '../bindings/Customer';
import type { CustomerRow } from '../bindings/CustomerRow';
import type { Staff } from '../bindings/Staff';

export function makeRow(id: number, over: Partial<CustomerRow> = {}): CustomerRow {
  return {
    id,
    code: `KH${String(id).padStart(6, '0')}`,
    kind: 'individual',
    name: `Customer ${id}`,
    phone: null,
    email: null,
    owner_name: null,
    created_at: '2024-01-01T00:00:00Z',
    deleted_at: null,
    owner_id: null,
    address: null,
    tax_code: null,
    website: null,
    segment_id: null,
    level_id: null,
    group_ids: [],
    status_id: null,
    channel_id: null,
    service_manager_name: null,
    locked: false,
    in_pool: false,
    approval: 'approved',
    approval_reason: null,
    active: true,
    email_consent: false,
    photo: null,
    updated_at: '2024-01-01T00:00:00Z',
    last_contact_at: null,
    ...over,
  };
}

export function makeCustomer(over: Partial<Customer> = {}): Customer {
  return {
    id: 1,
    code: 'KH000001',
    kind: 'individual',
    name: 'Nguyễn Văn An',
    phones: [],
    emails: [],
    address: null,
    tax_code: null,
    website: null,
    birthday: null,
    founded_on: null,
    gender: null,
    notes: null,
    owner_id: null,
    owner_name: null,
    segment_id: null,
    level_id: null,
    group_ids: [],
    status_id: null,
    channel_id: null,
    service_manager_id: null,
    service_manager_name: null,
    email_consent: false,
    email_consent_at: null,
    products: [],
    invoice_type_ids: [],
    legal_entities: [],
    contacts: [],
    referrer: null,
    referrer_supplier: null,
    photo: null,
    locked: false,
    in_pool: false,
    approval: 'approved',
    approval_reason: null,
    active: true,
    created_at: '2024-01-01T00:00:00Z',
    created_by: 1,
    updated_at: '2024-01-01T00:00:00Z',
    updated_by: 1,
    deleted_at: null,
    ...over,
  };
}

export function makeItem(id: number, kind: CatalogKind, name: string, over: Partial<CatalogItem> = {}): CatalogItem {
  return { id, kind, name, color: null, sort_order: id, active: true, ...over };
}

export function makeStaff(id: number, name: string, over: Partial<Staff> = {}): Staff {
  return { id, name, email: `s${id}@example.vn`, role: 'staff', active: true, has_password: false, claim_limit: null, created_at: '2024-01-01T00:00:00Z', ...over };
}

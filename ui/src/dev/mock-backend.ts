// Development only: an in-memory stand-in for the Tauri shell, so the UI can be run and looked at
// in a plain browser, and UI tests can drive whole flows. Loaded by main.ts only for `?mock` in dev
// builds (or VITE_MOCK=1 builds). It imitates the core's answers (errors, duplicates, catalogs,
// filters) closely enough to exercise the UI; the real rules live in the core and its tests.
//
// URL parameters: `mock` (signed in, demo data) | `mock=setup` (first run) | `mock=signin`
// | `mock=empty` (no customers); `n=<rows>` (default 2500); `lang=vi`; `latency=<ms>`;
// `role=manager|staff` (who is signed in).

import type { Actor } from '../bindings/Actor';
import type { BulkEdit } from '../bindings/BulkEdit';
import type { CatalogItem } from '../bindings/CatalogItem';
import type { CatalogItemPatch } from '../bindings/CatalogItemPatch';
import type { CatalogKind } from '../bindings/CatalogKind';
import type { Customer } from '../bindings/Customer';
import type { CustomerFilter } from '../bindings/CustomerFilter';
import type { CustomerInput } from '../bindings/CustomerInput';
import type { CustomerRow } from '../bindings/CustomerRow';
import type { DuplicateMatch } from '../bindings/DuplicateMatch';
import type { DuplicateRules } from '../bindings/DuplicateRules';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { ErrorDetails } from '../bindings/ErrorDetails';
import type { FieldChange } from '../bindings/FieldChange';
import type { FieldError } from '../bindings/FieldError';
import type { FieldSettings } from '../bindings/FieldSettings';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { Language } from '../bindings/Language';
import type { ListQuery } from '../bindings/ListQuery';
import type { NewStaff } from '../bindings/NewStaff';
import type { Page } from '../bindings/Page';
import type { Role } from '../bindings/Role';
import type { OpenStatus } from '../bindings/OpenStatus';
import type { SavedView } from '../bindings/SavedView';
import type { SavedViewInput } from '../bindings/SavedViewInput';
import type { Selection } from '../bindings/Selection';
import type { SessionInfo } from '../bindings/SessionInfo';
import type { Staff } from '../bindings/Staff';
import { installMock } from '../ipc';
import { seedCare, withCare } from './mock-care';
import { mockTransfer } from './mock-transfer';
import { NOT_OWNERSHIP, afterCreate, lastContactOf, mockOwnership, ownershipRow, ownershipVisible, seedOwnership } from './mock-ownership';

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

function fail(code: string, message: string, details: Partial<ErrorDetails> | null = null): never {
  const body: ErrorBody = {
    code,
    message,
    details: details ? { fields: [], value: null, count: null, matches: [], blocking: null, ...details } : null,
  };
  throw body;
}

function invalid(errors: FieldError[]): never {
  fail('input.invalid', `invalid input: ${errors.map((e) => `${e.field} ${e.code}`).join(', ')}`, { fields: errors });
}

/** Digits, with the Vietnamese country code folded: "+84 912 345 678", "0912345678", "912345678" are one. */
export function phoneKey(p: string): string | null {
  let d = p.replace(/\D/g, '');
  if (d.startsWith('84') && d.length >= 11) d = `0${d.slice(2)}`;
  else if (d.length === 9 && !d.startsWith('0')) d = `0${d}`;
  return d.length >= 6 ? d : null;
}

function maskPhone(p: string): string {
  const total = p.replace(/\D/g, '').length;
  let seen = 0;
  return [...p].map((c) => (/\d/.test(c) ? (++seen > 4 && seen <= total - 3 ? '*' : c) : c)).join('');
}

function maskEmail(e: string): string {
  const at = e.indexOf('@');
  return at < 0 ? '***' : `${e.charAt(0)}***${e.slice(at)}`;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Đức', 'Thu', 'Quốc', 'Gia'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến'];
const COMPANY = ['Công ty TNHH', 'Công ty Cổ phần', 'Doanh nghiệp tư nhân'];
const BUSINESS = ['Ánh Dương', 'Sao Việt', 'Hưng Thịnh', 'Phú Gia', 'Minh Long', 'Đại Phát', 'Tân Tiến', 'Hoà Bình', 'Sông Hồng', 'Kim Ngân'];
const TRADE = ['Thương mại', 'Xây dựng', 'Dịch vụ', 'Công nghệ', 'Vận tải', 'Thực phẩm'];

type Starter = [CatalogKind, [string, string | null][]][];

function starterItems(lang: Language): Starter {
  return lang === 'vi'
    ? [
        ['segment', [['Bán lẻ', null], ['Bán sỉ', null], ['Doanh nghiệp vừa và nhỏ', null], ['Doanh nghiệp lớn', null]]],
        ['level', [['VIP', '#b45309'], ['Vàng', '#ca8a04'], ['Bạc', '#64748b'], ['Thường', null]]],
        ['group', [['Đối tác', null], ['Nhận bản tin', null]]],
        ['status', [['Mới', '#2563eb'], ['Đang giao dịch', '#16a34a'], ['Ngừng giao dịch', '#9ca3af']]],
        ['channel', [['Website', null], ['Giới thiệu', null], ['Sự kiện', null], ['Quảng cáo', null], ['Gọi điện', null]]],
        ['position', [['Giám đốc', null], ['Trưởng phòng', null], ['Kế toán', null], ['Mua hàng', null]]],
        ['product', [['Phần mềm kế toán', '#7c3aed'], ['Bảo trì', null], ['Đào tạo', null]]],
        ['invoice_type', [['Hóa đơn GTGT', null], ['Hóa đơn bán hàng', null]]],
      ]
    : [
        ['segment', [['Retail', null], ['Wholesale', null], ['SME', null], ['Enterprise', null]]],
        ['level', [['VIP', '#b45309'], ['Gold', '#ca8a04'], ['Silver', '#64748b'], ['Standard', null]]],
        ['group', [['Partners', null], ['Newsletter', null]]],
        ['status', [['New', '#2563eb'], ['Active', '#16a34a'], ['Inactive', '#9ca3af']]],
        ['channel', [['Website', null], ['Referral', null], ['Event', null], ['Advertising', null], ['Cold call', null]]],
        ['position', [['Director', null], ['Manager', null], ['Accountant', null], ['Purchasing', null]]],
        ['product', [['Accounting software', '#7c3aed'], ['Maintenance', null], ['Training', null]]],
        ['invoice_type', [['VAT invoice', null], ['Sales invoice', null]]],
      ];
}

/** A small deterministic random generator, so screenshots are stable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Stored extends Customer {
  search: string;
  nameKey: string;
}

const DEFAULT_RULES: DuplicateRules = { phone: 'warn', email: 'warn', tax_code: 'off', name_address: 'off' };

export class MockDb {
  staff: Staff[] = [];
  passwords = new Map<number, string>();
  actor: Actor | null = null;
  language: Language = 'en';
  customers = new Map<number, Stored>();
  history: HistoryEntry[] = [];
  items: CatalogItem[] = [];
  fields: FieldSettings = { fields: {} };
  rules: DuplicateRules = { ...DEFAULT_RULES };
  prefs = new Map<string, unknown>();
  views: Omit<SavedView, 'editable'>[] = [];
  nextViewId = 1;
  pendingPhoto: string | null = null;
  /** Pause between the mock's import/export progress messages (ms). */
  transferStep = 60;
  nextId = 1;
  nextItemId = 1;
  nextHistoryId = 1;
  codeCounter = 0;

  addStaff(input: NewStaff): Staff {
    const s: Staff = {
      id: this.staff.length + 1,
      name: input.name.trim(),
      email: input.email.trim().toLowerCase(),
      role: input.role,
      claim_limit: null,
      active: true,
      has_password: !!input.password,
      created_at: new Date().toISOString(),
    };
    this.staff.push(s);
    if (input.password) this.passwords.set(s.id, input.password);
    return s;
  }

  actorFor(s: Staff): Actor {
    return { staff_id: s.id, name: s.name, email: s.email, role: s.role };
  }

  /** What `store_status` answers next (tests of the upgrade screen queue states here). */
  openStates: OpenStatus[] = [];

  openStatus(): OpenStatus {
    return this.openStates.shift() ?? { state: 'ready' };
  }

  session(): SessionInfo {
    return { needs_setup: this.staff.length === 0, actor: this.actor, language: this.language };
  }

  requireActor(): Actor {
    if (!this.actor) fail('session.not_signed_in', 'no staff member is signed in');
    return this.actor;
  }

  // --- catalogs ---

  seedCatalogs(lang: Language): void {
    for (const [kind, items] of starterItems(lang)) for (const [name, color] of items) this.addItem(kind, name, color);
  }

  addItem(kind: CatalogKind, name: string, color: string | null): CatalogItem {
    const order = Math.max(0, ...this.items.filter((i) => i.kind === kind).map((i) => i.sort_order)) + 1;
    const item: CatalogItem = { id: this.nextItemId++, kind, name, color, sort_order: order, active: true };
    this.items.push(item);
    return item;
  }

  itemsOf(kind: CatalogKind): CatalogItem[] {
    return this.items.filter((i) => i.kind === kind).sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);
  }

  item(id: number): CatalogItem {
    const i = this.items.find((x) => x.id === id);
    if (!i) fail('catalog_item.not_found', `catalog_item ${id} not found`, { value: String(id) });
    return i;
  }

  /** Live and trashed customers using an item (contacts for positions). */
  usage(item: CatalogItem): Stored[] {
    const id = item.id;
    return [...this.customers.values()].filter((c) => {
      switch (item.kind) {
        case 'segment':
          return c.segment_id === id;
        case 'level':
          return c.level_id === id;
        case 'status':
          return c.status_id === id;
        case 'channel':
          return c.channel_id === id;
        case 'group':
          return c.group_ids.includes(id);
        case 'product':
          return c.products.some((p) => p.product_id === id);
        case 'invoice_type':
          return c.invoice_type_ids.includes(id);
        case 'position':
          return c.contacts.some((k) => k.position_id === id);
        case 'care_type':
          // Used by activities and rules (./mock-care.ts), not by customers.
          return false;
      }
    });
  }

  checkName(kind: CatalogKind, name: string, except: number | null): string {
    const n = name.trim();
    if (!n) invalid([{ field: 'name', code: 'required', value: null }]);
    if (this.items.some((i) => i.kind === kind && i.id !== except && fold(i.name) === fold(n))) invalid([{ field: 'name', code: 'taken', value: n }]);
    return n;
  }

  replace(item: CatalogItem, to: number): number {
    const users = this.usage(item);
    for (const c of users) {
      const from = item.id;
      const swap = (ids: number[]) => [...new Set(ids.map((x) => (x === from ? to : x)))];
      switch (item.kind) {
        case 'segment':
          c.segment_id = to;
          break;
        case 'level':
          c.level_id = to;
          break;
        case 'status':
          c.status_id = to;
          break;
        case 'channel':
          c.channel_id = to;
          break;
        case 'group':
          c.group_ids = swap(c.group_ids);
          break;
        case 'invoice_type':
          c.invoice_type_ids = swap(c.invoice_type_ids);
          break;
        case 'product':
          c.products = c.products.map((p) => (p.product_id === from ? { ...p, product_id: to } : p));
          break;
        case 'position':
          c.contacts = c.contacts.map((k) => (k.position_id === from ? { ...k, position_id: to } : k));
          break;
      }
    }
    return users.length;
  }

  // --- customers ---

  seed(n: number): void {
    const r = rng(42);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
    const maybe = <T>(p: number, v: () => T): T | null => (r() < p ? v() : null);
    const start = Date.now() - 400 * 86400_000;
    const ids = (kind: CatalogKind) => this.itemsOf(kind).map((i) => i.id);
    for (let i = 0; i < n; i++) {
      const business = r() < 0.3;
      const name = business
        ? `${pick(COMPANY)} ${pick(TRADE)} ${pick(BUSINESS)}`
        : `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
      const phone = `09${Math.floor(r() * 1e8).toString().padStart(8, '0')}`;
      const email = fold(name).replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '') + (i % 7) + '@example.vn';
      const owner = pick(this.staff);
      const at = new Date(start + (i / Math.max(1, n)) * 400 * 86400_000).toISOString();
      const groups = ids('group').filter(() => r() < 0.25);
      this.insert(
        {
          code: null,
          kind: business ? 'business' : 'individual',
          name,
          phones: r() < 0.9 ? [phone] : [],
          emails: r() < 0.8 ? [email] : [],
          address: r() < 0.5 ? `${Math.floor(r() * 300) + 1} Lê Lợi, Quận 1, TP. Hồ Chí Minh` : null,
          tax_code: business ? String(Math.floor(r() * 1e10)).padStart(10, '0') : null,
          website: business ? `www.${fold(pick(BUSINESS)).replace(/ /g, '')}.vn` : null,
          birthday: business ? null : `19${60 + Math.floor(r() * 40)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
          founded_on: business ? `20${10 + Math.floor(r() * 14)}-0${1 + Math.floor(r() * 9)}-0${1 + Math.floor(r() * 9)}` : null,
          gender: business ? null : pick(['male', 'female'] as const),
          notes: null,
          owner_id: owner?.id ?? null,
          segment_id: maybe(0.7, () => pick(ids('segment'))),
          level_id: maybe(0.8, () => pick(ids('level'))),
          group_ids: groups,
          status_id: maybe(0.9, () => pick(ids('status'))),
          channel_id: maybe(0.6, () => pick(ids('channel'))),
          service_manager_id: maybe(0.4, () => pick(this.staff).id),
          email_consent: r() < 0.4,
          products: r() < 0.3 ? [{ product_id: pick(ids('product')), since: '2023-0' + (1 + Math.floor(r() * 9)) + '-01' }] : [],
          invoice_type_ids: business && r() < 0.5 ? [pick(ids('invoice_type'))] : [],
          legal_entities: [],
          contacts: [],
          referrer_customer_id: null,
          referrer_supplier: null,
          photo: null,
          allow_duplicate: true,
        },
        owner ? this.actorFor(owner) : null,
        at,
      );
    }
  }

  nextCode(): string {
    return `KH${String(this.codeCounter + 1).padStart(6, '0')}`;
  }

  validate(input: CustomerInput, id: number | null): void {
    const before = id === null ? null : this.get(id);
    const errors: FieldError[] = [];
    if (!input.name.trim()) errors.push({ field: 'name', code: 'required', value: null });
    input.emails.forEach((e, i) => {
      if (e.trim() && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.trim())) errors.push({ field: `emails.${i}`, code: 'invalid_email', value: e });
    });
    input.phones.forEach((p, i) => {
      if (p.trim() && !/^\+?[\d\s().-]{6,20}$/.test(p.trim())) errors.push({ field: `phones.${i}`, code: 'invalid_phone', value: p });
    });
    if (input.website && !input.website.includes('.')) errors.push({ field: 'website', code: 'invalid', value: input.website });
    if (input.kind === 'business' && input.birthday) errors.push({ field: 'birthday', code: 'not_allowed', value: null });
    if (input.kind === 'individual' && input.founded_on) errors.push({ field: 'founded_on', code: 'not_allowed', value: null });
    const checkItem = (field: string, kind: CatalogKind, ids: (number | null)[], had: (number | null)[]) => {
      for (const x of ids) {
        if (x === null) continue;
        const item = this.items.find((i) => i.id === x);
        if (!item || item.kind !== kind) errors.push({ field, code: 'invalid', value: String(x) });
        else if (!item.active && !had.includes(x)) errors.push({ field, code: 'inactive', value: String(x) });
      }
    };
    checkItem('segment_id', 'segment', [input.segment_id], [before?.segment_id ?? null]);
    checkItem('level_id', 'level', [input.level_id], [before?.level_id ?? null]);
    checkItem('status_id', 'status', [input.status_id], [before?.status_id ?? null]);
    checkItem('channel_id', 'channel', [input.channel_id], [before?.channel_id ?? null]);
    checkItem('group_ids', 'group', input.group_ids, before?.group_ids ?? []);
    checkItem('invoice_type_ids', 'invoice_type', input.invoice_type_ids, before?.invoice_type_ids ?? []);
    input.legal_entities.forEach((e, i) => {
      if (!e.name.trim() && (e.tax_code?.trim() || e.address?.trim())) errors.push({ field: `legal_entities.${i}.name`, code: 'required', value: null });
    });
    const contacts = input.contacts.filter((c) => c.name.trim() || c.phones.length || c.emails.length || c.notes?.trim() || c.position_id !== null);
    input.contacts.forEach((c, i) => {
      const filled = c.phones.length || c.emails.length || c.notes?.trim() || c.position_id !== null;
      if (!c.name.trim() && filled) errors.push({ field: `contacts.${i}.name`, code: 'required', value: null });
      c.emails.forEach((e, j) => {
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) errors.push({ field: `contacts.${i}.emails.${j}`, code: 'invalid_email', value: e });
      });
    });
    if (contacts.length && input.kind === 'individual') errors.push({ field: 'contacts', code: 'not_allowed', value: null });
    const empty: Record<string, boolean> = {
      phones: !input.phones.some((p) => p.trim()),
      emails: !input.emails.some((p) => p.trim()),
      address: !input.address?.trim(),
      tax_code: !input.tax_code?.trim(),
      website: !input.website?.trim(),
      birthday: input.kind === 'individual' && !input.birthday,
      founded_on: input.kind === 'business' && !input.founded_on,
      gender: input.kind === 'individual' && !input.gender,
      notes: !input.notes?.trim(),
      segment_id: input.segment_id === null,
      level_id: input.level_id === null,
      group_ids: input.group_ids.length === 0,
      status_id: input.status_id === null,
      channel_id: input.channel_id === null,
      service_manager_id: input.service_manager_id === null,
      products: input.products.length === 0,
      invoice_type_ids: input.invoice_type_ids.length === 0,
      legal_entities: !input.legal_entities.some((e) => e.name.trim()),
      contacts: input.kind === 'business' && contacts.length === 0,
    };
    for (const [field, rule] of Object.entries(this.fields.fields)) {
      if (rule.required && empty[field]) errors.push({ field, code: 'required', value: null });
    }
    if (errors.length) invalid(errors);
    const code = input.code?.trim();
    if (code) {
      for (const c of this.customers.values()) {
        if (c.code === code && c.id !== id) {
          fail('customer.code_taken', `customer code ${code} is already used`, { fields: [{ field: 'code', code: 'taken', value: code }], value: code });
        }
      }
    }
  }

  keysOf(input: Pick<CustomerInput, 'phones' | 'emails' | 'tax_code' | 'name' | 'address'>): [string, string][] {
    const keys: [string, string][] = [];
    for (const p of input.phones) {
      const k = phoneKey(p);
      if (k) keys.push(['phone', k]);
    }
    for (const e of input.emails) if (e.trim()) keys.push(['email', e.trim().toLowerCase()]);
    if (input.tax_code?.trim()) keys.push(['tax_code', input.tax_code.replace(/\s/g, '')]);
    if (input.address?.trim()) keys.push(['name_address', `${fold(input.name)}|${fold(input.address)}`]);
    return keys;
  }

  match(c: Stored, matchedOn: string[]): DuplicateMatch {
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      owner_name: c.owner_name,
      matched_on: matchedOn,
      phone: c.phones[0] ? maskPhone(c.phones[0]) : null,
      email: c.emails[0] ? maskEmail(c.emails[0]) : null,
    };
  }

  duplicates(input: CustomerInput, except: number | null, rules = this.rules): DuplicateMatch[] {
    const keys = this.keysOf(input).filter(([k]) => rules[k as keyof DuplicateRules] !== 'off');
    if (!keys.length) return [];
    const out: DuplicateMatch[] = [];
    for (const c of this.customers.values()) {
      if (c.deleted_at || c.id === except) continue;
      const mine = new Set(this.keysOf(c).map(([k, v]) => `${k}:${v}`));
      const on = [...new Set(keys.filter(([k, v]) => mine.has(`${k}:${v}`)).map(([k]) => k))];
      if (on.length) out.push(this.match(c, on));
    }
    return out;
  }

  refuseDuplicates(input: CustomerInput, except: number | null): void {
    const matches = this.duplicates(input, except);
    if (!matches.length) return;
    const blocking = matches.some((m) => m.matched_on.some((k) => this.rules[k as keyof DuplicateRules] === 'block'));
    if (blocking || !input.allow_duplicate) fail('customer.duplicate', `this customer looks like ${matches.length} existing one(s)`, { matches, blocking });
  }

  lookup(query: string): DuplicateMatch[] {
    const q = query.trim();
    if (fold(q).replace(/[^a-z0-9]/g, '').length < 2) return [];
    const digits = q.replace(/\D/g, '');
    const on = digits.length >= 3 ? 'phone' : q.includes('@') ? 'email' : 'name';
    return this.matching(q, false, null)
      .slice(0, 50)
      .map((c) => this.match(c, [on]));
  }

  fill(c: Stored | Customer, input: CustomerInput): void {
    const referrer = input.referrer_customer_id === null ? null : this.customers.get(input.referrer_customer_id) ?? null;
    const manager = this.staff.find((s) => s.id === input.service_manager_id);
    if (c.email_consent !== input.email_consent) c.email_consent_at = new Date().toISOString();
    Object.assign(c, {
      kind: input.kind,
      name: input.name.trim(),
      phones: input.phones.map((p) => p.trim()).filter(Boolean),
      emails: input.emails.map((e) => e.trim().toLowerCase()).filter(Boolean),
      address: input.address,
      tax_code: input.tax_code,
      website: input.website,
      birthday: input.birthday,
      founded_on: input.founded_on,
      gender: input.gender,
      notes: input.notes,
      segment_id: input.segment_id,
      level_id: input.level_id,
      group_ids: [...new Set(input.group_ids)],
      status_id: input.status_id,
      channel_id: input.channel_id,
      service_manager_id: manager?.id ?? null,
      service_manager_name: manager?.name ?? null,
      email_consent: input.email_consent,
      products: input.products.map((p) => ({ ...p })),
      invoice_type_ids: [...new Set(input.invoice_type_ids)],
      legal_entities: input.legal_entities.filter((e) => e.name.trim()).map((e) => ({ ...e })),
      contacts: input.contacts
        .filter((k) => k.name.trim())
        .map((k, i) => ({ ...k, id: k.id ?? this.nextId * 1000 + i, phones: [...k.phones], emails: [...k.emails] })),
      referrer: referrer ? { id: referrer.id, code: referrer.code, name: referrer.name } : null,
      referrer_supplier: input.referrer_supplier,
      photo: input.photo,
    });
    if (c.contacts.length && !c.contacts.some((k) => k.primary) && c.contacts[0]) c.contacts[0].primary = true;
  }

  insert(input: CustomerInput, actor: Actor | null, at = new Date().toISOString()): Customer {
    let code = input.code?.trim();
    if (!code) {
      this.codeCounter++;
      code = `KH${String(this.codeCounter).padStart(6, '0')}`;
    }
    const owner = this.staff.find((s) => s.id === (input.owner_id ?? actor?.staff_id));
    const c = {
      id: this.nextId++,
      code,
      owner_id: owner?.id ?? null,
      owner_name: owner?.name ?? null,
      email_consent: false,
      email_consent_at: null,
      locked: false,
      in_pool: false,
      approval: 'approved',
      approval_reason: null,
      active: true,
      created_at: at,
      created_by: actor?.staff_id ?? null,
      updated_at: at,
      updated_by: actor?.staff_id ?? null,
      deleted_at: null,
      search: '',
      nameKey: '',
    } as unknown as Stored;
    this.fill(c, input);
    if (!input.email_consent) c.email_consent_at = null;
    else c.email_consent_at = at;
    c.search = this.searchText(c);
    c.nameKey = fold(c.name);
    this.customers.set(c.id, c);
    const changes: FieldChange[] = (['code', 'kind', 'name', 'phones', 'emails'] as const).map((f) => ({ field: f, before: null, after: c[f] }));
    this.log(c.id, 'create', changes, actor, at);
    return this.public(c);
  }

  searchText(c: Customer): string {
    return fold(
      [c.name, c.code, ...c.phones, ...c.phones.map((p) => p.replace(/\D/g, '')), ...c.emails, c.tax_code ?? '', ...c.contacts.map((k) => k.name)].join(' '),
    );
  }

  public(c: Stored): Customer {
    const { search: _search, nameKey: _nameKey, ...rest } = c;
    return JSON.parse(JSON.stringify(rest)) as Customer;
  }

  log(id: number, action: string, changes: FieldChange[], actor: Actor | null, at = new Date().toISOString()): void {
    this.history.push({
      id: this.nextHistoryId++,
      entity: 'customer',
      entity_id: id,
      action,
      changes,
      actor_id: actor?.staff_id ?? null,
      actor_name: actor?.name ?? null,
      at,
      batch_id: null,
    });
  }

  get(id: number): Stored {
    const c = this.customers.get(id);
    if (!c) fail('customer.not_found', `customer ${id} not found`, { value: String(id) });
    return c;
  }

  update(id: number, input: CustomerInput, actor: Actor): Customer {
    const c = this.get(id);
    this.validate(input, id);
    this.refuseDuplicates(input, id);
    const before = this.public(c) as unknown as Record<string, unknown>;
    if (input.code?.trim()) c.code = input.code.trim();
    if (input.owner_id !== null && input.owner_id !== c.owner_id) {
      const owner = this.staff.find((s) => s.id === input.owner_id);
      c.owner_id = owner?.id ?? null;
      c.owner_name = owner?.name ?? null;
    }
    this.fill(c, input);
    const after = this.public(c) as unknown as Record<string, unknown>;
    const changes: FieldChange[] = [];
    for (const k of Object.keys(after)) {
      if (['updated_at', 'updated_by', 'owner_name', 'service_manager_name', 'email_consent_at', 'referrer'].includes(k)) continue;
      if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) changes.push({ field: k, before: before[k], after: after[k] });
    }
    Object.assign(c, { updated_at: new Date().toISOString(), updated_by: actor.staff_id });
    c.search = this.searchText(c);
    c.nameKey = fold(c.name);
    if (changes.length) this.log(id, 'update', changes, actor);
    return this.public(c);
  }

  filtered(c: Stored, f: CustomerFilter | null | undefined): boolean {
    if (!ownershipVisible(this, c, f)) return false;
    if (!f) return true;
    const any = (want: number[], have: (number | null)[]) => want.length === 0 || have.some((h) => h !== null && want.includes(h));
    if (f.kind && c.kind !== f.kind) return false;
    if (!any(f.segment_ids, [c.segment_id])) return false;
    if (!any(f.level_ids, [c.level_id])) return false;
    if (!any(f.group_ids, c.group_ids)) return false;
    if (!any(f.status_ids, [c.status_id])) return false;
    if (!any(f.channel_ids, [c.channel_id])) return false;
    if (!any(f.owner_ids, [c.owner_id])) return false;
    if (!any(f.service_manager_ids, [c.service_manager_id])) return false;
    if (!any(f.product_ids, c.products.map((p) => p.product_id))) return false;
    const day = c.created_at.slice(0, 10);
    if (f.created_from && day < f.created_from) return false;
    if (f.created_to && day > f.created_to) return false;
    if (f.email_consent !== null && c.email_consent !== f.email_consent) return false;
    return true;
  }

  matching(search: string, trash: boolean, filter: CustomerFilter | null | undefined): Stored[] {
    const words = fold(search).split(' ').filter(Boolean);
    const out: Stored[] = [];
    for (const c of this.customers.values()) {
      if ((c.deleted_at !== null) !== trash) continue;
      if (words.length) {
        const tokens = c.search.split(/[\s@.]+/);
        if (!words.every((w) => tokens.some((tk) => tk.startsWith(w)) || (w.length >= 3 && /^\d+$/.test(w) && c.search.includes(w)))) continue;
      }
      if (!this.filtered(c, filter)) continue;
      out.push(c);
    }
    return out;
  }

  sortKey(c: Stored, q: ListQuery): string {
    if (q.sort === 'code') return c.code;
    if (q.sort === 'created') return String(c.id).padStart(12, '0');
    if (q.sort === 'last_contact') return lastContactOf(this, c.id) ?? '';
    return c.nameKey;
  }

  row(c: Stored): CustomerRow {
    return {
      id: c.id,
      code: c.code,
      kind: c.kind,
      name: c.name,
      phone: c.phones[0] ?? null,
      email: c.emails[0] ?? null,
      owner_name: c.owner_name,
      created_at: c.created_at,
      deleted_at: c.deleted_at,
      owner_id: c.owner_id,
      address: c.address,
      tax_code: c.tax_code,
      website: c.website,
      segment_id: c.segment_id,
      level_id: c.level_id,
      group_ids: [...c.group_ids],
      status_id: c.status_id,
      channel_id: c.channel_id,
      service_manager_name: c.service_manager_name,
      email_consent: c.email_consent,
      photo: c.photo,
      updated_at: c.updated_at,
      ...ownershipRow(this, c),
    };
  }

  list(q: ListQuery): Page {
    const rows = this.matching(q.search, q.trash, q.filter);
    const key = (c: Stored) => this.sortKey(c, q);
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const cmp = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
      return q.desc ? -cmp : cmp;
    });
    let start = 0;
    if (q.after) {
      const after = q.after;
      const idx = rows.findIndex((c) => {
        const k = key(c);
        const cmp = k < after.key ? -1 : k > after.key ? 1 : c.id - after.id;
        return q.desc ? cmp < 0 : cmp > 0;
      });
      start = idx < 0 ? rows.length : idx;
    } else if (q.offset) start = q.offset;
    const limit = Math.max(1, Math.min(500, q.limit));
    const slice = rows.slice(start, start + limit);
    const last = slice[slice.length - 1];
    const more = start + limit < rows.length;
    return { rows: slice.map((c) => this.row(c)), next: more && last ? { key: key(last), id: last.id } : null };
  }

  selectionIds(sel: Selection): number[] {
    if (sel.type === 'ids') return sel.ids;
    const except = new Set(sel.except);
    return this.matching(sel.search, false, sel.filter).map((c) => c.id).filter((id) => !except.has(id));
  }
}

function requireManager(actor: Actor): void {
  if (actor.role === 'staff') fail('permission.denied', 'not allowed: only managers and administrators change catalogs');
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') fail('permission.denied', 'not allowed: only administrators change these settings');
}

/** The command handler over a MockDb (tests call it directly). */
export function mockHandler(db: MockDb): (cmd: string, a: Record<string, unknown>) => unknown {
  return (cmd, a) => {
    switch (cmd) {
      case 'store_status':
        return db.openStatus();
      case 'session_info':
        return db.session();
      case 'init_admin': {
        if (db.staff.length) fail('session.already_initialised', 'the first administrator already exists');
        const input = a['input'] as NewStaff;
        const errors: FieldError[] = [];
        if (!input.name.trim()) errors.push({ field: 'name', code: 'required', value: null });
        if (!input.email.trim()) errors.push({ field: 'email', code: 'required', value: null });
        else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email.trim())) errors.push({ field: 'email', code: 'invalid_email', value: input.email });
        if (errors.length) invalid(errors);
        db.actor = db.actorFor(db.addStaff({ ...input, role: 'admin' }));
        if (!db.items.length) db.seedCatalogs(db.language);
        return db.session();
      }
      case 'sign_in': {
        const s = db.staff.find((x) => x.id === a['staffId']);
        if (!s) fail('staff.not_found', `staff member ${String(a['staffId'])} not found`);
        const pw = db.passwords.get(s.id);
        if (pw !== undefined && pw !== a['password']) fail('session.wrong_password', 'wrong password');
        db.actor = db.actorFor(s);
        return db.session();
      }
      case 'sign_out':
        db.actor = null;
        return db.session();
      case 'list_staff':
        return db.staff;
      case 'get_language':
        return db.language;
      case 'set_language':
        db.language = a['language'] as Language;
        return null;
    }
    const actor = db.requireActor();
    // Ownership commands, and the ownership checks of the others: ./mock-ownership.ts.
    const owned = mockOwnership(db, actor, cmd, a);
    if (owned !== NOT_OWNERSHIP) return owned;
    switch (cmd) {
      case 'list_customers':
        return db.list(a['query'] as ListQuery);
      case 'count_customers':
        return db.matching(a['search'] as string, a['trash'] as boolean, a['filter'] as CustomerFilter | null).length;
      case 'get_customer':
        return db.public(db.get(a['id'] as number));
      case 'create_customer': {
        const input = a['input'] as CustomerInput;
        db.validate(input, null);
        db.refuseDuplicates(input, null);
        return afterCreate(db, actor, db.insert(input, actor));
      }
      case 'update_customer':
        return db.update(a['id'] as number, a['input'] as CustomerInput, actor);
      case 'delete_customers': {
        let n = 0;
        for (const id of db.selectionIds(a['selection'] as Selection)) {
          const c = db.customers.get(id);
          if (c && !c.deleted_at) {
            c.deleted_at = new Date().toISOString();
            db.log(id, 'delete', [{ field: 'deleted_at', before: null, after: c.deleted_at }], actor);
            n++;
          }
        }
        return n;
      }
      case 'bulk_edit_customers': {
        const edit = a['edit'] as BulkEdit;
        const errors: FieldError[] = [];
        for (const [key, field] of [['segment', 'segment_id'], ['level', 'level_id'], ['status', 'status_id'], ['channel', 'channel_id'], ['service_manager', 'service_manager_id']] as const) {
          if (edit[key] && edit[key].id === null && db.fields.fields[field]?.required) errors.push({ field, code: 'required', value: null });
        }
        if (errors.length) invalid(errors);
        let n = 0;
        for (const id of db.selectionIds(a['selection'] as Selection)) {
          const c = db.get(id);
          const before = JSON.stringify(c);
          if (edit.segment) c.segment_id = edit.segment.id;
          if (edit.level) c.level_id = edit.level.id;
          if (edit.status) c.status_id = edit.status.id;
          if (edit.channel) c.channel_id = edit.channel.id;
          if (edit.service_manager) {
            const m = db.staff.find((x) => x.id === edit.service_manager?.id);
            c.service_manager_id = m?.id ?? null;
            c.service_manager_name = m?.name ?? null;
          }
          c.group_ids = [...new Set([...c.group_ids, ...edit.add_groups])].filter((g) => !edit.remove_groups.includes(g));
          if (JSON.stringify(c) !== before) {
            n++;
            db.log(id, 'bulk_edit', [], actor);
          }
        }
        return n;
      }
      case 'merge_customers': {
        const survivor = db.get(a['survivor'] as number);
        const others = (a['others'] as number[]).filter((id) => id !== survivor.id).map((id) => db.get(id));
        if (!others.length) fail('input.bad_argument', 'pick at least two customers to merge');
        const values = a['values'] as CustomerInput;
        const now = new Date().toISOString();
        for (const o of others) o.deleted_at = now;
        values.contacts = [...values.contacts, ...others.flatMap((o) => o.contacts.map((k) => ({ ...k, primary: false })))];
        values.legal_entities = [...values.legal_entities, ...others.flatMap((o) => o.legal_entities)];
        if (values.kind === 'individual' && values.contacts.length) invalid([{ field: 'kind', code: 'not_allowed', value: null }]);
        const merged = db.update(survivor.id, { ...values, code: survivor.code, allow_duplicate: true }, actor);
        for (const o of others) {
          db.log(o.id, 'merged_away', [{ field: 'merged_into', before: null, after: survivor.code }], actor);
          for (const c of db.customers.values()) if (c.referrer?.id === o.id) c.referrer = { id: survivor.id, code: survivor.code, name: survivor.name };
        }
        db.log(survivor.id, 'merge', [{ field: 'merged', before: null, after: others.map((o) => ({ id: o.id, code: o.code, name: o.name })) }], actor);
        return merged;
      }
      case 'pick_photo':
        db.pendingPhoto = 'chan-dung.jpg';
        return db.pendingPhoto;
      case 'take_dropped_photo':
        return null;
      case 'set_customer_photo': {
        const c = db.get(a['id'] as number);
        if (a['action'] === 'pending') {
          if (!db.pendingPhoto) fail('input.bad_argument', 'no photo was chosen');
          c.photo = `c${c.id}-${Date.now()}.jpg`;
          db.pendingPhoto = null;
        } else c.photo = null;
        return db.public(c);
      }
      case 'restore_customers': {
        let n = 0;
        for (const id of a['ids'] as number[]) {
          const c = db.customers.get(id);
          if (c?.deleted_at) {
            db.log(id, 'restore', [{ field: 'deleted_at', before: c.deleted_at, after: null }], actor);
            c.deleted_at = null;
            n++;
          }
        }
        return n;
      }
      case 'purge_customers': {
        let n = 0;
        for (const id of a['ids'] as number[]) {
          if (db.customers.get(id)?.deleted_at) {
            db.customers.delete(id);
            n++;
          }
        }
        return n;
      }
      case 'empty_trash': {
        let n = 0;
        for (const [id, c] of db.customers) {
          if (c.deleted_at) {
            db.customers.delete(id);
            n++;
          }
        }
        return n;
      }
      case 'next_customer_code':
        return db.nextCode();
      case 'customer_history': {
        const id = a['id'] as number;
        const before = a['beforeId'] as number | null;
        return db.history
          .filter((h) => h.entity_id === id && (before === null || h.id < before))
          .sort((x, y) => y.id - x.id)
          .slice(0, a['limit'] as number);
      }
      case 'stats': {
        const all = [...db.customers.values()];
        const live = all.filter((c) => !c.deleted_at);
        return {
          customers: live.length,
          individuals: live.filter((c) => c.kind === 'individual').length,
          businesses: live.filter((c) => c.kind === 'business').length,
          in_trash: all.length - live.length,
          staff: db.staff.length,
        };
      }
      // --- staff ---
      case 'add_staff': {
        requireAdmin(actor);
        const input = a['input'] as NewStaff;
        const errors: FieldError[] = [];
        if (!input.name.trim()) errors.push({ field: 'name', code: 'required', value: null });
        if (!input.email.trim()) errors.push({ field: 'email', code: 'required', value: null });
        else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email.trim())) errors.push({ field: 'email', code: 'invalid_email', value: input.email });
        if (errors.length) invalid(errors);
        const email = input.email.trim().toLowerCase();
        if (db.staff.some((s) => s.email === email)) {
          fail('staff.email_taken', `a staff member with e-mail ${email} already exists`, { fields: [{ field: 'email', code: 'taken', value: email }], value: email });
        }
        return db.addStaff(input);
      }
      case 'set_staff_active':
      case 'set_staff_role': {
        requireAdmin(actor);
        const s = db.staff.find((x) => x.id === a['staffId']);
        if (!s) fail('staff.not_found', `staff member ${String(a['staffId'])} not found`);
        if (cmd === 'set_staff_active') {
          if (s.id === actor.staff_id && a['active'] === false) fail('input.bad_argument', 'you cannot deactivate yourself; ask another administrator');
          s.active = a['active'] as boolean;
        } else s.role = a['role'] as Role;
        return s;
      }
      // --- catalogs ---
      case 'catalogs_all':
        return { items: [...db.items].sort((x, y) => x.kind.localeCompare(y.kind) || x.sort_order - y.sort_order) };
      case 'catalog_list':
        return db.itemsOf(a['kind'] as CatalogKind).map((item) => ({ item, customers: db.usage(item).filter((c) => !c.deleted_at).length }));
      case 'catalog_add': {
        requireManager(actor);
        const kind = a['kind'] as CatalogKind;
        return db.addItem(kind, db.checkName(kind, a['name'] as string, null), (a['color'] as string | null) || null);
      }
      case 'catalog_update': {
        requireManager(actor);
        const item = db.item(a['id'] as number);
        const patch = a['patch'] as CatalogItemPatch;
        if (patch.name !== null) item.name = db.checkName(item.kind, patch.name, item.id);
        if (patch.color !== null) item.color = patch.color === '' ? null : patch.color;
        if (patch.active !== null) item.active = patch.active;
        return item;
      }
      case 'catalog_reorder':
      case 'catalog_shift': {
        requireManager(actor);
        let kind: CatalogKind;
        let ids: number[];
        if (cmd === 'catalog_shift') {
          const item = db.item(a['id'] as number);
          kind = item.kind;
          ids = db.itemsOf(kind).map((i) => i.id);
          const i = ids.indexOf(item.id);
          const j = Math.max(0, Math.min(ids.length - 1, i + (a['by'] as number)));
          ids.splice(i, 1);
          ids.splice(j, 0, item.id);
        } else {
          kind = a['kind'] as CatalogKind;
          ids = a['ids'] as number[];
        }
        ids.forEach((id, i) => {
          db.item(id).sort_order = i + 1;
        });
        return db.itemsOf(kind);
      }
      case 'catalog_delete': {
        requireManager(actor);
        const item = db.item(a['id'] as number);
        const used = db.usage(item).length;
        const rep = a['replacement'] as number | null;
        let moved = 0;
        if (used > 0) {
          if (rep === null) fail('catalog.in_use', `"${item.name}" is used by ${used} customers; pick a replacement first`, { value: item.name, count: used });
          const r = db.item(rep);
          if (r.kind !== item.kind || r.id === item.id) fail('input.bad_argument', 'the replacement must be another item of the same catalog');
          moved = db.replace(item, rep);
        }
        db.items = db.items.filter((i) => i.id !== item.id);
        return moved;
      }
      // --- settings ---
      case 'field_settings':
        return db.fields;
      case 'set_field_settings': {
        requireAdmin(actor);
        const s = a['settings'] as FieldSettings;
        for (const r of Object.values(s.fields)) r.shown ||= r.required;
        db.fields = s;
        return s;
      }
      case 'duplicate_rules':
        return db.rules;
      case 'set_duplicate_rules':
        requireAdmin(actor);
        db.rules = a['rules'] as DuplicateRules;
        return db.rules;
      case 'check_duplicates':
        return db.duplicates(a['input'] as CustomerInput, a['except'] as number | null);
      case 'lookup_duplicates':
        return db.lookup(a['query'] as string);
      case 'list_views':
        return db.views
          .filter((v) => v.owner_id === actor.staff_id || v.shared)
          .sort((x, y) => x.name.localeCompare(y.name))
          .map((v) => ({ ...v, editable: v.owner_id === actor.staff_id || actor.role !== 'staff' }));
      case 'save_view': {
        const input = a['input'] as SavedViewInput;
        const name = input.name.trim();
        if (!name) invalid([{ field: 'name', code: 'required', value: null }]);
        let view = input.id === null ? undefined : db.views.find((v) => v.id === input.id);
        if (input.id !== null && !view) fail('saved_view.not_found', `saved_view ${input.id} not found`, { value: String(input.id) });
        if (view && view.owner_id !== actor.staff_id && actor.role === 'staff') fail('permission.denied', 'not allowed: only its owner or a manager changes a view');
        if (!view) {
          view = { id: db.nextViewId++, name, owner_id: actor.staff_id, owner_name: actor.name, shared: input.shared, definition: input.definition };
          db.views.push(view);
        } else Object.assign(view, { name, shared: input.shared, definition: input.definition });
        return { ...view, editable: true };
      }
      case 'delete_view': {
        const view = db.views.find((v) => v.id === a['id']);
        if (!view) fail('saved_view.not_found', `saved_view ${String(a['id'])} not found`);
        if (view.owner_id !== actor.staff_id && actor.role === 'staff') fail('permission.denied', 'not allowed: only its owner or a manager deletes a view');
        db.views = db.views.filter((v) => v !== view);
        return null;
      }
      case 'ui_pref':
        return db.prefs.get(`${actor.staff_id}.${a['key'] as string}`) ?? null;
      case 'set_ui_pref':
        db.prefs.set(`${actor.staff_id}.${a['key'] as string}`, JSON.parse(JSON.stringify(a['value'])));
        return null;
    }
    // Spreadsheets in and out (import wizard, export, templates): ./mock-transfer.ts.
    const transfer = mockTransfer(db, actor, cmd, a, { step: db.transferStep });
    if (transfer !== undefined) return transfer;
    fail('input.bad_argument', `unknown command ${cmd}`);
  };
}

/** A demo database as `?mock` shows it. */
export function demoDb(params: URLSearchParams): MockDb {
  const mode = params.get('mock') ?? '';
  const db = new MockDb();
  db.language = params.get('lang') === 'vi' ? 'vi' : 'en';
  if (mode !== 'setup') {
    db.seedCatalogs(db.language);
    const admin = db.addStaff({ name: 'Nguyễn Thị Mai', email: 'mai@example.vn', password: null, role: 'admin' });
    const manager = db.addStaff({ name: 'Trần Văn Hùng', email: 'hung@example.vn', password: 'secret', role: 'manager' });
    const staff = db.addStaff({ name: 'Lê Thu Hà', email: 'ha@example.vn', password: null, role: 'staff' });
    if (mode !== 'empty') db.seed(Number(params.get('n') ?? '2500'));
    const role = params.get('role');
    if (mode !== 'signin') db.actor = db.actorFor(role === 'manager' ? manager : role === 'staff' ? staff : admin);
    // A few in the trash.
    let i = 0;
    for (const c of db.customers.values()) {
      if (i++ % 97 === 5) c.deleted_at = new Date(Date.now() - i * 3600_000).toISOString();
    }
    seedOwnership(db);
    seedCare(db);
  }
  return db;
}

export async function installMockBackend(params: URLSearchParams, db: MockDb = demoDb(params)): Promise<MockDb> {
  const latency = Number(params.get('latency') ?? '40');
  if (latency === 0) db.transferStep = 0;
  const handle = withCare(db, mockHandler(db));
  await installMock(async (cmd, args) => {
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    // Structured clone, like a real IPC round trip.
    return JSON.parse(JSON.stringify((await handle(cmd, args)) ?? null)) as unknown;
  });
  return db;
}

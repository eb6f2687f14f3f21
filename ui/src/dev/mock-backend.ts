// Development only: an in-memory stand-in for the Tauri shell, so the UI can be run and looked at
// in a plain browser. Loaded by main.ts only for `?mock` in dev builds (or VITE_MOCK=1 builds).
//
// URL parameters: `mock` (signed in, demo data) | `mock=setup` (first run) | `mock=signin`
// | `mock=empty` (no customers); `n=<rows>` (default 2500); `lang=vi`; `latency=<ms>`.

import type { Actor } from '../bindings/Actor';
import type { Customer } from '../bindings/Customer';
import type { CustomerInput } from '../bindings/CustomerInput';
import type { CustomerRow } from '../bindings/CustomerRow';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { FieldChange } from '../bindings/FieldChange';
import type { FieldError } from '../bindings/FieldError';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { Language } from '../bindings/Language';
import type { ListQuery } from '../bindings/ListQuery';
import type { NewStaff } from '../bindings/NewStaff';
import type { Page } from '../bindings/Page';
import type { Selection } from '../bindings/Selection';
import type { SessionInfo } from '../bindings/SessionInfo';
import type { Staff } from '../bindings/Staff';
import { installMock } from '../ipc';

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

function fail(code: string, message: string, fields: FieldError[] = [], value: string | null = null): never {
  const body: ErrorBody = { code, message, details: fields.length || value ? { fields, value } : null };
  throw body;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Đức', 'Thu', 'Quốc', 'Gia'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến'];
const COMPANY = ['Công ty TNHH', 'Công ty Cổ phần', 'Doanh nghiệp tư nhân'];
const BUSINESS = ['Ánh Dương', 'Sao Việt', 'Hưng Thịnh', 'Phú Gia', 'Minh Long', 'Đại Phát', 'Tân Tiến', 'Hoà Bình', 'Sông Hồng', 'Kim Ngân'];
const TRADE = ['Thương mại', 'Xây dựng', 'Dịch vụ', 'Công nghệ', 'Vận tải', 'Thực phẩm'];

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

class MockDb {
  staff: Staff[] = [];
  passwords = new Map<number, string>();
  actor: Actor | null = null;
  language: Language = 'en';
  customers = new Map<number, Stored>();
  history: HistoryEntry[] = [];
  nextId = 1;
  nextHistoryId = 1;
  codeCounter = 0;

  addStaff(input: NewStaff): Staff {
    const s: Staff = {
      id: this.staff.length + 1,
      name: input.name.trim(),
      email: input.email.trim().toLowerCase(),
      role: input.role,
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

  session(): SessionInfo {
    return { needs_setup: this.staff.length === 0, actor: this.actor, language: this.language };
  }

  requireActor(): Actor {
    if (!this.actor) fail('session.not_signed_in', 'no staff member is signed in');
    return this.actor;
  }

  seed(n: number): void {
    const r = rng(42);
    const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)] as T;
    const start = Date.now() - 400 * 86400_000;
    for (let i = 0; i < n; i++) {
      const business = r() < 0.3;
      const name = business
        ? `${pick(COMPANY)} ${pick(TRADE)} ${pick(BUSINESS)}`
        : `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
      const phone = `09${Math.floor(r() * 1e8).toString().padStart(8, '0')}`;
      const email = fold(name).replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '') + (i % 7) + '@example.vn';
      const owner = pick(this.staff);
      const at = new Date(start + (i / Math.max(1, n)) * 400 * 86400_000).toISOString();
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
    if (errors.length) fail('input.invalid', `invalid input: ${errors.map((e) => `${e.field} ${e.code}`).join(', ')}`, errors);
    const code = input.code?.trim();
    if (code) {
      for (const c of this.customers.values()) {
        if (c.code === code && c.id !== id) fail('customer.code_taken', `customer code ${code} is already used`, [{ field: 'code', code: 'taken', value: code }], code);
      }
    }
  }

  insert(input: CustomerInput, actor: Actor | null, at = new Date().toISOString()): Customer {
    let code = input.code?.trim();
    if (!code) {
      this.codeCounter++;
      code = `KH${String(this.codeCounter).padStart(6, '0')}`;
    }
    const owner = this.staff.find((s) => s.id === (input.owner_id ?? actor?.staff_id));
    const c: Stored = {
      id: this.nextId++,
      code,
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
      owner_id: owner?.id ?? null,
      owner_name: owner?.name ?? null,
      created_at: at,
      created_by: actor?.staff_id ?? null,
      updated_at: at,
      updated_by: actor?.staff_id ?? null,
      deleted_at: null,
      search: '',
      nameKey: fold(input.name),
    };
    c.search = this.searchText(c);
    this.customers.set(c.id, c);
    const changes: FieldChange[] = (['code', 'kind', 'name', 'phones', 'emails'] as const).map((f) => ({ field: f, before: null, after: c[f] }));
    this.log(c.id, 'create', changes, actor, at);
    return this.public(c);
  }

  searchText(c: Customer): string {
    return fold([c.name, c.code, ...c.phones, ...c.phones.map((p) => p.replace(/\D/g, '')), ...c.emails, c.tax_code ?? ''].join(' '));
  }

  public(c: Stored): Customer {
    const { search: _search, nameKey: _nameKey, ...rest } = c;
    return { ...rest, phones: [...rest.phones], emails: [...rest.emails] };
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
    if (!c) fail('customer.not_found', `customer ${id} not found`, [], String(id));
    return c;
  }

  update(id: number, input: CustomerInput, actor: Actor): Customer {
    const c = this.get(id);
    this.validate(input, id);
    const next: Partial<Customer> = {
      code: input.code?.trim() || c.code,
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
    };
    const changes: FieldChange[] = [];
    for (const [k, v] of Object.entries(next)) {
      const before = (c as unknown as Record<string, unknown>)[k];
      if (JSON.stringify(before) !== JSON.stringify(v)) changes.push({ field: k, before, after: v });
    }
    Object.assign(c, next, { updated_at: new Date().toISOString(), updated_by: actor.staff_id });
    c.search = this.searchText(c);
    c.nameKey = fold(c.name);
    if (changes.length) this.log(id, 'update', changes, actor);
    return this.public(c);
  }

  matching(search: string, trash: boolean): Stored[] {
    const words = fold(search).split(' ').filter(Boolean);
    const out: Stored[] = [];
    for (const c of this.customers.values()) {
      if ((c.deleted_at !== null) !== trash) continue;
      if (words.length) {
        const tokens = c.search.split(/[\s@.]+/);
        if (!words.every((w) => tokens.some((tk) => tk.startsWith(w)) || (w.length >= 3 && /^\d+$/.test(w) && c.search.includes(w)))) continue;
      }
      out.push(c);
    }
    return out;
  }

  sortKey(c: Stored, q: ListQuery): string {
    if (q.sort === 'code') return c.code;
    if (q.sort === 'created') return String(c.id).padStart(12, '0');
    return c.nameKey;
  }

  list(q: ListQuery): Page {
    const rows = this.matching(q.search, q.trash);
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
    return {
      rows: slice.map(
        (c): CustomerRow => ({
          id: c.id,
          code: c.code,
          kind: c.kind,
          name: c.name,
          phone: c.phones[0] ?? null,
          email: c.emails[0] ?? null,
          owner_name: c.owner_name,
          created_at: c.created_at,
          deleted_at: c.deleted_at,
        }),
      ),
      next: more && last ? { key: key(last), id: last.id } : null,
    };
  }

  selectionIds(sel: Selection): number[] {
    if (sel.type === 'ids') return sel.ids;
    const except = new Set(sel.except);
    return this.matching(sel.search, false).map((c) => c.id).filter((id) => !except.has(id));
  }
}

export async function installMockBackend(params: URLSearchParams): Promise<void> {
  const mode = params.get('mock') ?? '';
  const latency = Number(params.get('latency') ?? '40');
  const db = new MockDb();
  db.language = params.get('lang') === 'vi' ? 'vi' : 'en';
  if (mode !== 'setup') {
    const admin = db.addStaff({ name: 'Nguyễn Thị Mai', email: 'mai@example.vn', password: null, role: 'admin' });
    db.addStaff({ name: 'Trần Văn Hùng', email: 'hung@example.vn', password: 'secret', role: 'manager' });
    db.addStaff({ name: 'Lê Thu Hà', email: 'ha@example.vn', password: null, role: 'staff' });
    if (mode !== 'empty') db.seed(Number(params.get('n') ?? '2500'));
    if (mode !== 'signin') db.actor = db.actorFor(admin);
    // A few in the trash.
    let i = 0;
    for (const c of db.customers.values()) {
      if (i++ % 97 === 5) c.deleted_at = new Date(Date.now() - i * 3600_000).toISOString();
    }
  }

  const handle = (cmd: string, a: Record<string, unknown>): unknown => {
    switch (cmd) {
      case 'session_info':
        return db.session();
      case 'init_admin': {
        if (db.staff.length) fail('session.already_initialised', 'the first administrator already exists');
        const input = a['input'] as NewStaff;
        const errors: FieldError[] = [];
        if (!input.name.trim()) errors.push({ field: 'name', code: 'required', value: null });
        if (!input.email.trim()) errors.push({ field: 'email', code: 'required', value: null });
        else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email.trim())) errors.push({ field: 'email', code: 'invalid_email', value: input.email });
        if (errors.length) fail('input.invalid', 'invalid input', errors);
        db.actor = db.actorFor(db.addStaff({ ...input, role: 'admin' }));
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
    switch (cmd) {
      case 'list_customers':
        return db.list(a['query'] as ListQuery);
      case 'count_customers':
        return db.matching(a['search'] as string, a['trash'] as boolean).length;
      case 'get_customer':
        return db.public(db.get(a['id'] as number));
      case 'create_customer': {
        const input = a['input'] as CustomerInput;
        db.validate(input, null);
        return db.insert(input, actor);
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
    }
    fail('input.bad_argument', `unknown command ${cmd}`);
  };

  await installMock(async (cmd, args) => {
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    // Structured clone, like a real IPC round trip.
    return JSON.parse(JSON.stringify(handle(cmd, args) ?? null)) as unknown;
  });
}

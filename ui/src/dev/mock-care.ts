// Development only: the care schedule for the mock backend — care types in the catalogs, planned
// activities with the Care view's groups (in the browser's zone), completion with "schedule
// next", reschedule, cancel, a customer's timeline (activities and history), recurring rules (kept,
// not applied) and reminders. Close enough to the core (src/care/) to exercise the UI.

import type { Actor } from '../bindings/Actor';
import type { CareActivity } from '../bindings/CareActivity';
import type { CareBucket } from '../bindings/CareBucket';
import type { CareCursor } from '../bindings/CareCursor';
import type { CareFilter } from '../bindings/CareFilter';
import type { CareInput } from '../bindings/CareInput';
import type { CareRule } from '../bindings/CareRule';
import type { CareRuleInput } from '../bindings/CareRuleInput';
import type { CustomerInput } from '../bindings/CustomerInput';
import type { ErrorBody } from '../bindings/ErrorBody';
import type { FieldError } from '../bindings/FieldError';
import type { TimelineCursor } from '../bindings/TimelineCursor';
import type { TimelineEntry } from '../bindings/TimelineEntry';
import type { TimelineKind } from '../bindings/TimelineKind';
import type { MockDb } from './mock-backend';

type Handler = (cmd: string, a: Record<string, unknown>) => unknown;

interface CareState {
  activities: CareActivity[];
  rules: CareRule[];
  nextId: number;
  nextRuleId: number;
}

const states = new WeakMap<MockDb, CareState>();

function care(db: MockDb): CareState {
  let s = states.get(db);
  if (!s) {
    s = { activities: [], rules: [], nextId: 1, nextRuleId: 1 };
    states.set(db, s);
  }
  return s;
}

function fail(code: string, message: string, fields: FieldError[] = [], value: string | null = null): never {
  const body: ErrorBody = {
    code,
    message,
    details: fields.length || value !== null ? { fields, value, count: null, matches: [], blocking: null } : null,
  };
  throw body;
}

const STARTER: Record<'en' | 'vi', [string, string][]> = {
  en: [['call', 'Call'], ['meeting', 'Meeting'], ['visit', 'Visit'], ['email', 'E-mail'], ['task', 'Task']],
  vi: [['call', 'Gọi điện'], ['meeting', 'Gặp mặt'], ['visit', 'Thăm'], ['email', 'E-mail'], ['task', 'Việc cần làm']],
};

/** The care types, added to the catalogs the first time they are needed. */
export function ensureCareTypes(db: MockDb): void {
  if (db.items.some((i) => i.kind === 'care_type')) return;
  for (const [key, name] of STARTER[db.language]) db.addItem('care_type', name, null).key = key;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** `due` (`2026-12-01` or `2026-12-01T09:30`) as a local instant; the mock ignores `tz`. */
function parseDue(due: string, field: string): { at: Date; local: string; allDay: boolean } {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(due.trim());
  if (!m) fail('input.invalid', 'the due date is not a date', [{ field, code: 'invalid', value: due }]);
  const allDay = m[4] === undefined;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), allDay ? 0 : Number(m[4]), allDay ? 0 : Number(m[5]));
  return { at, local: `${m[1]}-${m[2]}-${m[3]}T${allDay ? '00:00' : `${m[4]}:${m[5]}`}`, allDay };
}

interface Bounds {
  now: number;
  today: number;
  tomorrow: number;
  weekEnd: number;
}

function bounds(now = new Date()): Bounds {
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  // The week ends after Sunday.
  const toMonday = (8 - today.getDay()) % 7 || 7;
  const weekEnd = new Date(today.getFullYear(), today.getMonth(), today.getDate() + toMonday);
  return { now: now.getTime(), today: today.getTime(), tomorrow: tomorrow.getTime(), weekEnd: weekEnd.getTime() };
}

function isOverdue(a: CareActivity, b: Bounds): boolean {
  const t = Date.parse(a.due_at);
  return a.state === 'planned' && (a.all_day ? t < b.today : t < b.now);
}

function bucketOf(a: CareActivity, b: Bounds): CareBucket {
  const t = Date.parse(a.due_at);
  if (isOverdue(a, b)) return 'overdue';
  if (t < b.tomorrow) return 'today';
  if (t < b.weekEnd) return 'week';
  return 'later';
}

function fresh(a: CareActivity): CareActivity {
  return { ...a, overdue: isOverdue(a, bounds()) };
}

function visible(db: MockDb, actor: Actor, a: CareActivity, f: CareFilter): boolean {
  const c = db.customers.get(a.customer_id);
  if (!c || c.deleted_at) return false;
  if (f.scope === 'everyone') {
    if (actor.role === 'staff') fail('permission.denied', 'not allowed: only managers see everyone’s activities');
    if (f.assignee_id !== null && f.assignee_id !== undefined && a.assignee_id !== f.assignee_id) return false;
  } else if (a.assignee_id !== actor.staff_id) return false;
  if (f.customer_id !== null && f.customer_id !== undefined && a.customer_id !== f.customer_id) return false;
  if (f.type_ids.length && !f.type_ids.includes(a.type_id)) return false;
  if (f.level_ids.length && (c.level_id === null || !f.level_ids.includes(c.level_id))) return false;
  if (f.segment_ids.length && (c.segment_id === null || !f.segment_ids.includes(c.segment_id))) return false;
  return true;
}

function build(db: MockDb, actor: Actor, customerId: number, input: CareInput, prefix: string): CareActivity {
  ensureCareTypes(db);
  const c = db.customers.get(customerId);
  if (!c || c.deleted_at) fail('customer.not_found', `customer ${customerId} not found`);
  const errors: FieldError[] = [];
  const type = db.items.find((i) => i.id === input.type_id && i.kind === 'care_type');
  if (!type) errors.push({ field: `${prefix}type_id`, code: input.type_id ? 'invalid' : 'required', value: null });
  if (!input.due.trim()) errors.push({ field: `${prefix}due`, code: 'required', value: null });
  if (errors.length) fail('input.invalid', 'some fields need attention', errors);
  const due = parseDue(input.due, `${prefix}due`);
  const assignee = input.assignee_id ?? c.owner_id ?? actor.staff_id;
  const staff = db.staff.find((s) => s.id === assignee);
  const now = new Date().toISOString();
  const s = care(db);
  return fresh({
    id: s.nextId++,
    customer_id: c.id,
    customer_code: c.code,
    customer_name: c.name,
    type_id: type!.id,
    type_name: type!.name,
    type_key: type!.key ?? null,
    title: input.title.trim() || type!.name,
    due_at: due.at.toISOString(),
    due_local: due.local,
    all_day: due.allDay,
    tz: input.tz ?? 'UTC',
    duration_min: input.duration_min,
    assignee_id: assignee,
    assignee_name: staff?.name ?? null,
    notes: input.notes,
    state: 'planned',
    outcome: null,
    done_at: null,
    rule_id: null,
    created_at: now,
    updated_at: now,
    overdue: false,
  });
}

function planned(db: MockDb, id: number): CareActivity {
  const a = care(db).activities.find((x) => x.id === id);
  if (!a) fail('care.not_found', `care activity ${id} not found`);
  if (a.state !== 'planned') fail('care.not_planned', `care activity ${id} is already ${a.state}`, [], a.state);
  return a;
}

function careCommand(db: MockDb, actor: Actor, cmd: string, a: Record<string, unknown>): unknown {
  const s = care(db);
  ensureCareTypes(db);
  switch (cmd) {
    case 'care_schedule': {
      const act = build(db, actor, a['customerId'] as number, a['input'] as CareInput, '');
      s.activities.push(act);
      return act;
    }
    case 'care_complete': {
      const act = planned(db, a['id'] as number);
      const outcome = String(a['outcome'] ?? '').trim();
      if (!outcome) fail('input.invalid', 'some fields need attention', [{ field: 'outcome', code: 'required', value: null }]);
      const nextInput = a['next'] as CareInput | null;
      const next = nextInput ? build(db, actor, act.customer_id, nextInput, 'next.') : null;
      const now = new Date().toISOString();
      Object.assign(act, { state: 'done', outcome, done_at: now, updated_at: now, overdue: false });
      if (next) s.activities.push(next);
      return { done: fresh(act), next };
    }
    case 'care_reschedule': {
      const act = planned(db, a['id'] as number);
      const due = parseDue(a['due'] as string, 'due');
      Object.assign(act, { due_at: due.at.toISOString(), due_local: due.local, all_day: due.allDay, updated_at: new Date().toISOString() });
      return fresh(act);
    }
    case 'care_cancel': {
      const act = planned(db, a['id'] as number);
      const reason = (a['reason'] as string | null)?.trim() || null;
      Object.assign(act, { state: 'cancelled', outcome: reason, updated_at: new Date().toISOString(), overdue: false });
      return fresh(act);
    }
    case 'care_get': {
      const act = s.activities.find((x) => x.id === a['id']);
      if (!act) fail('care.not_found', `care activity ${String(a['id'])} not found`);
      return fresh(act);
    }
    case 'care_list': {
      const f = a['filter'] as CareFilter;
      const after = a['after'] as CareCursor | null;
      const limit = a['limit'] as number;
      const b = bounds();
      const state = f.state ?? 'planned';
      const desc = state !== 'planned';
      const key = (x: CareActivity): [number, number] => [Date.parse(x.due_at), x.id];
      const rows = s.activities
        .filter((x) => x.state === state && visible(db, actor, x, f) && (state !== 'planned' || !f.bucket || bucketOf(x, b) === f.bucket))
        .sort((x, y) => (desc ? -1 : 1) * (key(x)[0] - key(y)[0] || x.id - y.id))
        .filter((x) => {
          if (!after) return true;
          const [t, id] = key(x);
          const at = Date.parse(after.due_at);
          return desc ? t < at || (t === at && id < after.id) : t > at || (t === at && id > after.id);
        });
      const items = rows.slice(0, limit).map(fresh);
      const last = items[items.length - 1];
      return { items, next: rows.length > limit && last ? { due_at: last.due_at, id: last.id } : null };
    }
    case 'care_counts': {
      const f = a['filter'] as CareFilter;
      const b = bounds();
      const counts = { overdue: 0, today: 0, week: 0, later: 0 };
      for (const x of s.activities) if (x.state === 'planned' && visible(db, actor, x, { ...f, bucket: null })) counts[bucketOf(x, b)]++;
      return counts;
    }
    case 'care_timeline': {
      const customerId = a['customerId'] as number;
      const kinds = (a['kinds'] as TimelineKind[]) ?? [];
      const before = a['before'] as TimelineCursor | null;
      const want = (k: TimelineKind) => kinds.length === 0 || kinds.includes(k);
      const entries: TimelineEntry[] = [];
      for (const x of s.activities) {
        if (x.customer_id !== customerId) continue;
        const kind: TimelineKind = x.state === 'done' ? 'followup' : x.state;
        if (!want(kind)) continue;
        const at = x.state === 'done' ? x.done_at! : x.state === 'planned' ? x.due_at : x.updated_at;
        entries.push({ kind, at, activity: fresh(x), history: null, cursor: { at, history: false, id: x.id } });
      }
      if (want('history')) {
        for (const h of db.history) {
          if (h.entity_id !== customerId) continue;
          entries.push({ kind: 'history', at: h.at, activity: null, history: h, cursor: { at: h.at, history: true, id: h.id } });
        }
      }
      const cmp = (x: TimelineCursor, y: TimelineCursor) =>
        Date.parse(y.at) - Date.parse(x.at) || Number(!y.history) - Number(!x.history) || y.id - x.id;
      return entries
        .sort((x, y) => cmp(x.cursor, y.cursor))
        .filter((e) => !before || cmp(before, e.cursor) < 0)
        .slice(0, a['limit'] as number);
    }
    case 'care_rules':
      return s.rules;
    case 'care_save_rule': {
      if (actor.role !== 'admin') fail('permission.denied', 'not allowed: only administrators change recurring care');
      const input = a['rule'] as CareRuleInput;
      const errors: FieldError[] = [];
      if ((input.level_id === null) === (input.segment_id === null)) errors.push({ field: 'level_id', code: 'required', value: null });
      if (!db.items.some((i) => i.id === input.type_id && i.kind === 'care_type')) errors.push({ field: 'type_id', code: 'required', value: null });
      if (!(input.interval_days >= 1 && input.interval_days <= 3650)) errors.push({ field: 'interval_days', code: 'invalid', value: String(input.interval_days) });
      if (errors.length) fail('input.invalid', 'some fields need attention', errors);
      const target = db.items.find((i) => i.id === (input.level_id ?? input.segment_id));
      const rule: CareRule = {
        id: input.id ?? s.nextRuleId++,
        name: input.name.trim() || `${target?.name ?? ''} · ${input.interval_days}`,
        level_id: input.level_id,
        segment_id: input.segment_id,
        type_id: input.type_id,
        title: input.title.trim() || (db.items.find((i) => i.id === input.type_id)?.name ?? ''),
        interval_days: input.interval_days,
        active: input.active,
      };
      s.rules = input.id === null ? [...s.rules, rule] : s.rules.map((r) => (r.id === rule.id ? rule : r));
      return rule;
    }
    case 'care_delete_rule':
      if (actor.role !== 'admin') fail('permission.denied', 'not allowed: only administrators change recurring care');
      s.rules = s.rules.filter((r) => r.id !== a['id']);
      return null;
    case 'care_due_soon': {
      if (db.prefs.get(`${actor.staff_id}.care.reminders`) === false) return [];
      const now = Date.now();
      const until = now + (a['withinMinutes'] as number) * 60_000;
      return s.activities
        .filter((x) => x.state === 'planned' && !x.all_day && x.assignee_id === actor.staff_id && Date.parse(x.due_at) >= now && Date.parse(x.due_at) < until)
        .map(fresh);
    }
  }
  fail('input.bad_argument', `unknown command ${cmd}`);
}

/** The mock backend's handler with the care commands, and "Schedule care" on customer creation. */
export function withCare(db: MockDb, handle: Handler): Handler {
  return (cmd, a) => {
    if (cmd.startsWith('care_')) return careCommand(db, db.requireActor(), cmd, a);
    if (cmd === 'catalogs_all' || cmd === 'catalog_list') ensureCareTypes(db);
    if (cmd === 'create_customer') {
      const input = a['input'] as CustomerInput;
      const schedule = input.schedule ?? null;
      // Checked before the customer is created: one transaction in the core.
      if (schedule) {
        const errors: FieldError[] = [];
        if (!db.items.some((i) => i.id === schedule.type_id && i.kind === 'care_type'))
          errors.push({ field: 'schedule.type_id', code: 'required', value: null });
        if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(schedule.due.trim())) errors.push({ field: 'schedule.due', code: 'invalid', value: schedule.due });
        if (errors.length) fail('input.invalid', 'some fields need attention', errors);
      }
      const created = handle(cmd, a) as { id: number };
      if (schedule) care(db).activities.push(build(db, db.requireActor(), created.id, schedule, 'schedule.'));
      return created;
    }
    if ((cmd === 'transfer_customers' || cmd === 'assign_customers') && a['withCare'] === true) {
      // As the core: planned activities assigned to the previous owner (or no one) follow.
      const to = a['to'] as number;
      const before = new Map((a['ids'] as number[]).map((id) => [id, db.customers.get(id)?.owner_id ?? null]));
      const n = handle(cmd, a);
      const actor = db.requireActor();
      const now = new Date().toISOString();
      for (const x of care(db).activities) {
        if (x.state !== 'planned' || !before.has(x.customer_id) || before.get(x.customer_id) === to) continue;
        if (x.assignee_id !== null && x.assignee_id !== before.get(x.customer_id)) continue;
        if (x.assignee_id === to) continue;
        db.history.push({
          id: db.nextHistoryId++,
          entity: 'care_activity',
          entity_id: x.id,
          action: 'reassign',
          changes: [{ field: 'assignee_id', before: x.assignee_id, after: to }],
          actor_id: actor.staff_id,
          actor_name: actor.name,
          at: now,
          batch_id: null,
        });
        x.assignee_id = to;
        x.assignee_name = db.staff.find((st) => st.id === to)?.name ?? null;
        x.updated_at = now;
      }
      return n;
    }
    return handle(cmd, a);
  };
}

/** Demo activities for `?mock`: some overdue, some today, this week and later, and a few done. */
export function seedCare(db: MockDb): void {
  ensureCareTypes(db);
  const types = db.items.filter((i) => i.kind === 'care_type');
  const actor = db.actor;
  if (!actor || !types.length) return;
  const customers = [...db.customers.values()].filter((c) => !c.deleted_at).slice(0, 40);
  const vi = db.language === 'vi';
  const titles = vi
    ? ['Hỏi thăm sau khi mua', 'Gửi báo giá gia hạn', 'Hẹn demo phần mềm', 'Xác nhận đơn hàng', 'Chúc mừng sinh nhật']
    : ['Follow up after purchase', 'Send the renewal quote', 'Book a software demo', 'Confirm the order', 'Birthday wishes'];
  const now = new Date();
  const offsets = [-3, -1, -1, 0, 0, 0, 1, 2, 3, 5, 9, 14, 21, 30];
  customers.forEach((c, i) => {
    const days = offsets[i % offsets.length] ?? 0;
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
    const hour = 8 + ((i * 3) % 9);
    const allDay = i % 5 === 4;
    const due = allDay ? dayOf(d) : `${dayOf(d)}T${pad(hour)}:${i % 2 ? '30' : '00'}`;
    const type = types[i % types.length]!;
    const staffId = i % 3 === 0 ? actor.staff_id : (db.staff[i % db.staff.length]?.id ?? actor.staff_id);
    const act = build(db, actor, c.id, { type_id: type.id, title: titles[i % titles.length]!, due, tz: null, duration_min: null, assignee_id: staffId, notes: null }, '');
    if (i % 9 === 8) {
      Object.assign(act, { state: 'done', outcome: vi ? 'Khách hài lòng, hẹn gọi lại tháng sau.' : 'Happy customer; call again next month.', done_at: new Date(now.getTime() - i * 3600_000).toISOString() });
    }
    care(db).activities.push(act);
  });
}

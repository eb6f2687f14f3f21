// Care times in the UI, without DOM. The core stores UTC (`due_at`) and the wall-clock time the
// user picked (`due_local`, in the zone `tz`); the UI shows times in the browser's local zone with
// Intl, and sends what the user picks as a local wall-clock string with the browser's IANA zone.

import { lang, locale } from '../i18n';
import type { CareActivity } from './types';

/** The browser's IANA time zone (`Asia/Ho_Chi_Minh`), or null when it cannot tell (the core then uses the system zone). */
export function localZone(): string | null {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && tz.length > 0 ? tz : null;
  } catch {
    return null;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A `Date`'s local calendar day, `YYYY-MM-DD`. */
export function localDate(d: Date = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A `Date`'s local wall-clock time, `HH:MM`. */
export function localTime(d: Date = new Date()): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `2026-12-01T09:30` → `{date: '2026-12-01', time: '09:30'}`; a bare date has no time. */
export function splitLocal(dueLocal: string): { date: string; time: string } {
  const [date = '', time = ''] = dueLocal.split('T');
  return { date, time: time.slice(0, 5) };
}

/** What the core's `due` takes: `YYYY-MM-DD` (all day) or `YYYY-MM-DDTHH:MM`; null when the date is not one. */
export function joinDue(date: string, time: string): string | null {
  if (!DATE.test(date)) return null;
  if (time === '') return date;
  return TIME.test(time) ? `${date}T${time}` : null;
}

/** A calendar date moved by `days` (calendar arithmetic: no DST surprises). */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * Move a due date by whole days, keeping its wall-clock time. A date already past moves from
 * today instead, so "+1 day" on something overdue means tomorrow.
 */
export function shiftDue(dueLocal: string, days: number, today: string = localDate()): { date: string; time: string } {
  const { date, time } = splitLocal(dueLocal);
  const from = date < today ? today : date;
  return { date: addDays(from, days), time };
}

/**
 * The date and time pickers' values for an activity, in the browser's zone: its day when all day,
 * else its due instant as a local wall-clock time (the same as `due_local` when the zones agree).
 */
export function pickerValue(a: Pick<CareActivity, 'due_at' | 'due_local' | 'all_day'>): { date: string; time: string } {
  if (a.all_day) return { date: splitLocal(a.due_local).date, time: '' };
  const d = new Date(a.due_at);
  if (Number.isNaN(d.getTime())) return splitLocal(a.due_local);
  return { date: localDate(d), time: localTime(d) };
}

// --- display ---------------------------------------------------------------------------------

const formats = new Map<string, Intl.DateTimeFormat>();

function fmt(kind: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang()}|${kind}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale(), opts);
    formats.set(key, f);
  }
  return f;
}

function dateOf(dueLocal: string): Date | null {
  const m = DATE.exec(splitLocal(dueLocal).date);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

/** `09:30` in the local zone. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt('clock', { hour: '2-digit', minute: '2-digit' }).format(d);
}

/** `Thu 14/05/2026` for an all-day date (no zone shift: it is a calendar day). */
function formatDay(d: Date): string {
  return fmt('day', { weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}

/**
 * When an activity is due, in local time: the time alone today, the weekday and date otherwise,
 * and the date alone for an all-day activity.
 */
export function formatDue(a: Pick<CareActivity, 'due_at' | 'due_local' | 'all_day'>, today: string = localDate()): string {
  if (a.all_day) {
    const d = dateOf(a.due_local);
    return d ? formatDay(d) : a.due_local;
  }
  const at = new Date(a.due_at);
  if (Number.isNaN(at.getTime())) return a.due_local;
  if (localDate(at) === today) return formatClock(a.due_at);
  return fmt('due', { weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(at);
}

/** A UTC instant with date and time, in local time (done at, timeline). */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return fmt('instant', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/**
 * The wall-clock time as picked, with its zone, when the activity was planned in another zone than
 * this computer's (shown as a hint; null when the zones agree).
 */
export function pickedIn(a: Pick<CareActivity, 'tz' | 'due_local'>, zone: string | null = localZone()): string | null {
  if (!a.tz || !zone || a.tz === zone) return null;
  return `${a.due_local.replace('T', ' ')} (${a.tz})`;
}

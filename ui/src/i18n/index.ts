// The current language, message lookup, plural forms, error texts and Intl formatting.

import type { Language } from '../bindings/Language';
import { en, type MessageKey, type Messages } from './en';
import { vi } from './vi';

export type { MessageKey, Messages };

export const catalogs: Record<Language, Messages> = { en, vi };
export const languages: Language[] = ['en', 'vi'];

let current: Language = 'en';
const listeners = new Set<() => void>();

export function lang(): Language {
  return current;
}

/** BCP 47 locale used for dates and numbers. */
export function locale(l: Language = current): string {
  return l === 'vi' ? 'vi-VN' : 'en-GB';
}

export function setLang(l: Language): void {
  if (!(l in catalogs) || l === current) return;
  current = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  for (const fn of listeners) fn();
}

/** Be told when the language changes; returns the unsubscribe function. */
export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export type Vars = Record<string, string | number>;

function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) return m;
    return typeof v === 'number' ? formatNumber(v) : v;
  });
}

export function t(key: MessageKey, vars?: Vars): string {
  return interpolate(catalogs[current][key], vars);
}

/** Keys that come as a `_one` / `_other` pair. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer B}_one` ? B : never) : never;

/** Plural-aware lookup: `tn('confirm.delete', 3)` → "Delete 3 customers?". `{count}` is set. */
export function tn(base: PluralKey, count: number, vars?: Vars): string {
  const form = new Intl.PluralRules(locale()).select(count) === 'one' ? 'one' : 'other';
  const key = `${base}_${form}` as MessageKey;
  return interpolate(catalogs[current][key], { count, ...vars });
}

function has(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogs[current], key);
}

/**
 * The text for an error in the current language; unknown codes fall back to the core's message.
 * `{value}` and `{count}` in a translation come from the error's details (e.g. `catalog.in_use`).
 */
export function errorText(
  err: { code: string; message: string; details?: { value?: string | null; count?: number | null } | null } | null | undefined,
): string {
  if (!err) return '';
  const key = `error.${err.code}`;
  if (!has(key)) return err.message;
  const vars: Vars = {};
  if (err.details?.value !== null && err.details?.value !== undefined) vars['value'] = err.details.value;
  if (err.details?.count !== null && err.details?.count !== undefined) vars['count'] = err.details.count;
  return t(key, vars);
}

/** The text for a field-level problem (`required`, `invalid_email`, …). */
export function fieldErrorText(fe: { field: string; code: string; value?: string | null }): string {
  if (fe.field === 'code' && fe.code === 'taken') return t('fielderror.code_taken');
  if (fe.field === 'photo' && fe.value && has(`photo.${fe.value}`)) return t(`photo.${fe.value}` as MessageKey);
  const key = `fielderror.${fe.code}`;
  if (has(key)) return t(key);
  return fe.value ? `${fe.code}: ${fe.value}` : fe.code;
}

/** The label of a customer field, for history lines (`emails.0` → "E-mails"). */
export function fieldLabel(field: string): string {
  const base = field.split('.')[0] ?? field;
  const key = `field.${base}`;
  return has(key) ? t(key) : field;
}

// --- Intl formatting, cached per locale ---

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dtf(kind: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${locale()}|dt|${kind}`;
  let f = cache.get(k) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(locale(), opts);
    cache.set(k, f);
  }
  return f;
}

export function formatNumber(n: number): string {
  const k = `${locale()}|num`;
  let f = cache.get(k) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(locale());
    cache.set(k, f);
  }
  return f.format(n);
}

/** A calendar date without time (`2024-03-01`), shown as is, with no time-zone shift. */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dtf('date', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}

/** A UTC timestamp shown as a date in local time (grid columns). */
export function formatShortDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dtf('date', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}

/** A UTC timestamp shown with date and time in local time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dtf('datetime', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

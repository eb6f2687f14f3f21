// Care times: what the pickers send (a local wall-clock string), calendar arithmetic that ignores
// DST, and the due time shown in local time in both languages.

import { afterEach, describe, expect, it } from 'vitest';

import { setLang } from '../i18n';
import { draftErrors, draftInput, emptyDraft, precheckDraft } from './draft';
import { makeActivity } from './fixtures';
import { addDays, formatDue, joinDue, localDate, localTime, pickerValue, pickedIn, shiftDue, splitLocal } from './time';

afterEach(() => setLang('en'));

describe('due strings', () => {
  it('joins the pickers into what the core takes', () => {
    expect(joinDue('2026-12-01', '09:30')).toBe('2026-12-01T09:30');
    expect(joinDue('2026-12-01', '')).toBe('2026-12-01');
    expect(joinDue('', '09:30')).toBeNull();
    expect(joinDue('2026-12-01', '25:00')).toBeNull();
    expect(splitLocal('2026-12-01T09:30')).toEqual({ date: '2026-12-01', time: '09:30' });
    expect(splitLocal('2026-12-01')).toEqual({ date: '2026-12-01', time: '' });
  });

  it('moves dates by calendar days, across month ends and DST changes alike', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29'); // Europe's DST change: still the next day
    expect(addDays('2026-12-31', 7)).toBe('2027-01-07');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('shifts a due date keeping the wall-clock time, from today when it is already past', () => {
    expect(shiftDue('2026-05-14T09:30', 1, '2026-05-10')).toEqual({ date: '2026-05-15', time: '09:30' });
    expect(shiftDue('2026-05-14T09:30', 7, '2026-05-10')).toEqual({ date: '2026-05-21', time: '09:30' });
    // Overdue: +1 day means tomorrow.
    expect(shiftDue('2026-05-01T09:30', 1, '2026-05-10')).toEqual({ date: '2026-05-11', time: '09:30' });
    expect(shiftDue('2026-05-01', 7, '2026-05-10')).toEqual({ date: '2026-05-17', time: '' });
  });

  it('fills the pickers with the local time of the due instant, or the day of an all-day activity', () => {
    const at = new Date(2026, 4, 14, 9, 30);
    expect(pickerValue(makeActivity(1, { due_at: at.toISOString(), all_day: false }))).toEqual({ date: '2026-05-14', time: '09:30' });
    expect(pickerValue(makeActivity(1, { due_local: '2026-05-20T00:00', all_day: true }))).toEqual({ date: '2026-05-20', time: '' });
    expect(localDate(at)).toBe('2026-05-14');
    expect(localTime(at)).toBe('09:30');
  });
});

describe('due times shown', () => {
  it('shows the time alone today, the weekday and date otherwise, in both languages', () => {
    const today = new Date(2026, 4, 14, 15, 5);
    const a = makeActivity(1, { due_at: today.toISOString() });
    expect(formatDue(a, '2026-05-14')).toBe('15:05');
    const later = makeActivity(2, { due_at: new Date(2026, 4, 16, 8, 0).toISOString() });
    const en = formatDue(later, '2026-05-14');
    expect(en).toContain('16/05/2026');
    expect(en).toContain('08:00');
    expect(en).toMatch(/Sat/);
    setLang('vi');
    const vi = formatDue(later, '2026-05-14');
    expect(vi).toContain('16/05/2026');
    expect(vi).toMatch(/Th 7|T7|thứ/i);
  });

  it('shows an all-day activity by its calendar day, with no zone shift', () => {
    const a = makeActivity(1, { all_day: true, due_local: '2026-05-20T00:00', due_at: '2026-05-19T17:00:00Z' });
    expect(formatDue(a, '2026-05-14')).toContain('20/05/2026');
  });

  it('says when an activity was planned in another zone', () => {
    const a = makeActivity(1, { tz: 'Europe/Paris', due_local: '2026-05-14T09:30' });
    expect(pickedIn(a, 'Asia/Ho_Chi_Minh')).toBe('2026-05-14 09:30 (Europe/Paris)');
    expect(pickedIn(a, 'Europe/Paris')).toBeNull();
  });
});

describe('scheduling drafts', () => {
  it('turns the fields into the core’s input with the browser zone', () => {
    const d = emptyDraft({ type_id: 2, title: '  ', date: '2026-12-01', time: '09:30', duration: '45', notes: 'Bring the quote' });
    expect(draftInput(d, 'Asia/Ho_Chi_Minh')).toEqual({
      type_id: 2,
      title: '  ',
      due: '2026-12-01T09:30',
      tz: 'Asia/Ho_Chi_Minh',
      duration_min: 45,
      assignee_id: null,
      notes: 'Bring the quote',
    });
    expect(draftInput(emptyDraft({ type_id: 1, date: '2026-12-01' }), null)).toMatchObject({ due: '2026-12-01', duration_min: null, notes: null, tz: null });
  });

  it('checks the type and the date before asking, and keys the core’s errors by field', () => {
    expect(precheckDraft(emptyDraft()).map((e) => e.field)).toEqual(['type_id', 'due']);
    expect(precheckDraft(emptyDraft({ type_id: 1, date: '2026-12-01' }))).toEqual([]);
    const { fields, other } = draftErrors(
      [
        { field: 'next.due', code: 'invalid', value: '2026-13-01' },
        { field: 'next.type_id', code: 'inactive', value: null },
        { field: 'outcome', code: 'required', value: null },
      ],
      'next.',
    );
    expect([...fields.keys()]).toEqual(['due', 'type_id']);
    expect(other.map((e) => e.field)).toEqual(['outcome']);
  });
});

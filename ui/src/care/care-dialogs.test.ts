// The care dialogs over a mocked core: the outcome is required before anything is sent, "schedule
// next" goes in the same call, the core's field errors land under the right fields, reschedule's
// quick picks, and cancel asks first.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { CareInput } from '../bindings/CareInput';
import { setLang } from '../i18n';
import { ref } from '../ref-data';
import { makeItem, makeStaff } from '../testing/fixtures';
import { makeActivity } from './fixtures';
import { addDays, localDate } from './time';

const careComplete = vi.fn<(id: number, outcome: string, next: CareInput | null) => Promise<unknown>>();
const careReschedule = vi.fn<(id: number, due: string, tz: string | null) => Promise<unknown>>();
const careCancel = vi.fn<(id: number, reason: string | null) => Promise<unknown>>();
const careSchedule = vi.fn<(customerId: number, input: CareInput) => Promise<unknown>>();
vi.mock('../ipc', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ipc')>();
  return {
    ...actual,
    careComplete: (id: number, outcome: string, next: CareInput | null) => careComplete(id, outcome, next),
    careReschedule: (id: number, due: string, tz: string | null) => careReschedule(id, due, tz),
    careCancel: (id: number, reason: string | null) => careCancel(id, reason),
    careSchedule: (customerId: number, input: CareInput) => careSchedule(customerId, input),
  };
});

const { ClienteleCareDialogs } = await import('./care-dialogs');
const { CARE_CHANGED } = await import('./shared');

type Dialogs = InstanceType<typeof ClienteleCareDialogs>;

const flush = async (el: Dialogs) => {
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    for (const child of el.querySelectorAll('clientele-care-fields')) await (child as unknown as Dialogs).updateComplete;
  }
};

function q<T extends HTMLElement = HTMLElement>(el: ParentNode, testid: string): T {
  const found = el.querySelector<T>(`[data-testid="${testid}"]`);
  if (!found) throw new Error(`no ${testid}`);
  return found;
}

function type(el: ParentNode, testid: string, value: string): void {
  const input = q<HTMLInputElement>(el, testid);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function choose(el: ParentNode, testid: string, value: string): void {
  const select = q<HTMLSelectElement>(el, testid);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<clientele-care-dialogs>', () => {
  let d: Dialogs;
  const changed = vi.fn();

  beforeEach(async () => {
    for (const f of [careComplete, careReschedule, careCancel, careSchedule, changed]) f.mockReset();
    ref.set({
      items: [makeItem(1, 'care_type', 'Call'), makeItem(2, 'care_type', 'Meeting')],
      staff: [makeStaff(1, 'Nguyễn Thị Mai', { role: 'admin' }), makeStaff(2, 'Lê Thu Hà')],
      fields: { fields: {} },
    });
    window.addEventListener(CARE_CHANGED, changed);
    d = document.createElement('clientele-care-dialogs') as Dialogs;
    document.body.append(d);
    await flush(d);
  });

  afterEach(() => {
    window.removeEventListener(CARE_CHANGED, changed);
    d.remove();
    setLang('en');
  });

  it('asks for the outcome before marking done, and sends nothing without it', async () => {
    const a = makeActivity(7, { title: 'Call about the renewal' });
    const result = d.complete(a);
    await flush(d);
    expect(q(d, 'care-dialog').dataset['kind']).toBe('complete');
    expect(q(d, 'care-dialog-activity').textContent).toContain('Call about the renewal');
    expect(document.activeElement).toBe(q(d, 'care-outcome'));

    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(careComplete).not.toHaveBeenCalled();
    expect(q(d, 'care-error-outcome').textContent).toBe('This field is required.');

    type(d, 'care-outcome', 'Renewed for a year');
    careComplete.mockResolvedValue({ done: { ...a, state: 'done' }, next: null });
    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(careComplete).toHaveBeenCalledWith(7, 'Renewed for a year', null);
    expect(await result).toMatchObject({ done: { id: 7 } });
    expect(d.isOpen).toBe(false);
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('marks done and schedules the next one in one call, prefilled from the activity', async () => {
    const a = makeActivity(7, { type_id: 2, title: 'Quarterly review', assignee_id: 2 });
    void d.complete(a);
    await flush(d);
    type(d, 'care-outcome', 'Went well');
    const toggle = q<HTMLInputElement>(d, 'care-with-next');
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change', { bubbles: true }));
    await flush(d);
    expect(q(d, 'care-dialog-ok').textContent?.trim()).toBe('Mark done and schedule');
    // (happy-dom does not select by the attribute Lit sets; browsers do.)
    const chosen = (testid: string) => q(d, testid).querySelector<HTMLOptionElement>('option[selected]')?.value;
    expect(chosen('care-next-type')).toBe('2');
    expect(q<HTMLInputElement>(d, 'care-next-title').value).toBe('Quarterly review');
    expect(q<HTMLInputElement>(d, 'care-next-date').value).toBe(addDays(localDate(), 7));
    expect(chosen('care-next-assignee')).toBe('2');

    type(d, 'care-next-date', '2026-12-01');
    type(d, 'care-next-time', '10:15');
    careComplete.mockResolvedValue({ done: a, next: makeActivity(8) });
    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(careComplete).toHaveBeenCalledTimes(1);
    const [, , next] = careComplete.mock.calls[0]!;
    expect(next).toMatchObject({ type_id: 2, title: 'Quarterly review', due: '2026-12-01T10:15', assignee_id: 2 });
    expect(next?.tz).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('shows the core’s errors of the next activity under its fields and stays open', async () => {
    void d.complete(makeActivity(7));
    await flush(d);
    type(d, 'care-outcome', 'Done');
    const toggle = q<HTMLInputElement>(d, 'care-with-next');
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change', { bubbles: true }));
    await flush(d);
    careComplete.mockRejectedValue({
      code: 'input.invalid',
      message: 'some fields need attention',
      details: { fields: [{ field: 'next.due', code: 'invalid', value: '2026-13-01' }], value: null, count: null, matches: [], blocking: null },
    });
    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(d.isOpen).toBe(true);
    expect(q(d, 'care-next-error-due').textContent).toBe('This value is not valid.');
    expect(q(d, 'care-dialog-error').textContent).toContain('Some fields need attention.');
    expect(changed).not.toHaveBeenCalled();
  });

  it('reschedules with the pickers or +1 day / +1 week, in local time with the browser zone', async () => {
    const a = makeActivity(9, { due_at: new Date(2099, 0, 10, 14, 0).toISOString(), due_local: '2099-01-10T14:00' });
    void d.reschedule(a);
    await flush(d);
    expect(q<HTMLInputElement>(d, 'care-reschedule-date').value).toBe('2099-01-10');
    expect(q<HTMLInputElement>(d, 'care-reschedule-time').value).toBe('14:00');
    q(d, 'care-plus-day').click();
    await flush(d);
    expect(q<HTMLInputElement>(d, 'care-reschedule-date').value).toBe('2099-01-11');
    q(d, 'care-plus-week').click();
    await flush(d);
    expect(q<HTMLInputElement>(d, 'care-reschedule-date').value).toBe('2099-01-18');
    expect(q<HTMLInputElement>(d, 'care-reschedule-time').value).toBe('14:00');

    careReschedule.mockResolvedValue({ ...a, due_local: '2099-01-18T14:00' });
    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(careReschedule).toHaveBeenCalledWith(9, '2099-01-18T14:00', Intl.DateTimeFormat().resolvedOptions().timeZone);

    // An empty time: all day.
    void d.reschedule(a);
    await flush(d);
    type(d, 'care-reschedule-time', '');
    careReschedule.mockResolvedValue(a);
    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(careReschedule.mock.calls[1]?.[1]).toBe('2099-01-10');
  });

  it('asks before cancelling: "Keep it" has the focus and changes nothing', async () => {
    const a = makeActivity(5, { title: 'Visit the shop' });
    const first = d.cancel(a);
    await flush(d);
    expect(q(d, 'care-dialog').getAttribute('role')).toBe('alertdialog');
    expect(document.activeElement).toBe(q(d, 'care-cancel-keep'));
    q(d, 'care-cancel-keep').click();
    expect(await first).toBeNull();
    expect(careCancel).not.toHaveBeenCalled();

    const second = d.cancel(a);
    await flush(d);
    type(d, 'care-cancel-reason', 'Customer moved away');
    careCancel.mockResolvedValue({ ...a, state: 'cancelled' });
    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(careCancel).toHaveBeenCalledWith(5, 'Customer moved away');
    expect(await second).toMatchObject({ state: 'cancelled' });
  });

  it('schedules for a customer: type and date are checked first, a blank title goes as it is', async () => {
    void d.schedule({ id: 42, code: 'KH000042', name: 'Trần Văn Hùng', owner_name: 'Lê Thu Hà' });
    await flush(d);
    expect(q(d, 'care-customer-picked').dataset['id']).toBe('42');
    expect(q(d, 'care-new-assignee').textContent).toContain('The customer’s owner (Lê Thu Hà)');
    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(careSchedule).not.toHaveBeenCalled();
    expect(q(d, 'care-new-error-type_id')).toBeTruthy();

    choose(d, 'care-new-type', '1');
    await flush(d);
    q(d, 'care-new-tomorrow').click();
    await flush(d);
    careSchedule.mockResolvedValue(makeActivity(3));
    q(d, 'care-dialog-ok').click();
    await flush(d);
    expect(careSchedule).toHaveBeenCalledWith(42, expect.objectContaining({ type_id: 1, title: '', due: addDays(localDate(), 1), assignee_id: null }));
  });

  it('speaks Vietnamese', async () => {
    setLang('vi');
    void d.complete(makeActivity(1));
    await flush(d);
    expect(q(d, 'care-dialog').textContent).toContain('Đánh dấu đã xong');
    expect(q(d, 'care-dialog-ok').textContent?.trim()).toBe('Đã xong');
  });
});

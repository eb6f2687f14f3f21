// "Schedule care" in the new-customer form: off by default (nothing sent), when ticked its activity
// goes in CustomerInput.schedule (saved by the core in the same transaction), the form's own
// checks and the core's `schedule.*` errors land in the section, and editing has no such section.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { CustomerInput } from '../bindings/CustomerInput';
import { ref } from '../ref-data';
import { makeCustomer, makeItem, makeStaff } from '../testing/fixtures';

const createCustomer = vi.fn<(input: CustomerInput) => Promise<unknown>>();
vi.mock('../ipc', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ipc')>();
  return {
    ...actual,
    createCustomer: (input: CustomerInput) => createCustomer(input),
    checkDuplicates: () => Promise.resolve([]),
    nextCustomerCode: () => Promise.resolve('KH000042'),
  };
});

const { ClienteleCustomerForm } = await import('../components/customer-form');
type Form = InstanceType<typeof ClienteleCustomerForm>;

const flush = async (el: HTMLElement) => {
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await (el as Form).updateComplete;
    for (const c of el.querySelectorAll('clientele-care-schedule-section, clientele-care-fields')) await (c as Form).updateComplete;
  }
};
const q = <T extends HTMLElement = HTMLElement>(el: ParentNode, testid: string): T => {
  const found = el.querySelector<T>(`[data-testid="${testid}"]`);
  if (!found) throw new Error(`no ${testid}`);
  return found;
};
function set(el: ParentNode, testid: string, value: string, event = 'input'): void {
  const input = q<HTMLInputElement>(el, testid);
  input.value = value;
  input.dispatchEvent(new Event(event, { bubbles: true }));
}

describe('Schedule care in the new-customer form', () => {
  let form: Form;

  beforeEach(async () => {
    createCustomer.mockReset();
    ref.set({
      items: [makeItem(1, 'care_type', 'Call'), makeItem(2, 'care_type', 'Visit')],
      staff: [makeStaff(1, 'Nguyễn Thị Mai', { role: 'admin' })],
      fields: { fields: {} },
    });
    form = document.createElement('clientele-customer-form') as Form;
    form.actor = { staff_id: 1, name: 'Nguyễn Thị Mai', email: 'mai@example.vn', role: 'admin' };
    document.body.append(form);
    await form.openNew();
    await flush(form);
  });

  afterEach(() => form.remove());

  it('sends no activity unless ticked', async () => {
    set(form, 'field-name', 'Nguyễn Văn An');
    createCustomer.mockResolvedValue(makeCustomer({ id: 5 }));
    q(form, 'save-customer').click();
    await flush(form);
    expect(createCustomer).toHaveBeenCalledTimes(1);
    expect(createCustomer.mock.calls[0]?.[0].schedule ?? null).toBeNull();
  });

  it('sends the activity with the customer, the owner as assignee by default', async () => {
    set(form, 'field-name', 'Nguyễn Văn An');
    q(form, 'section-care').click();
    await flush(form);
    expect(q(form, 'care-schedule-section').textContent).toContain('Schedule care for this customer');
    const enable = q<HTMLInputElement>(form, 'care-schedule-enable');
    enable.checked = true;
    enable.dispatchEvent(new Event('change', { bubbles: true }));
    await flush(form);
    expect(q(form, 'cf-care-assignee').textContent).toContain('The customer’s owner (Nguyễn Thị Mai)');
    set(form, 'cf-care-type', '1', 'change');
    await flush(form);
    set(form, 'cf-care-title', 'Welcome call');
    await flush(form);
    set(form, 'cf-care-date', '2026-12-01');
    await flush(form);
    set(form, 'cf-care-time', '09:30');
    await flush(form);
    createCustomer.mockResolvedValue(makeCustomer({ id: 5 }));
    q(form, 'save-customer').click();
    await flush(form);
    expect(createCustomer.mock.calls[0]?.[0].schedule).toEqual({
      type_id: 1,
      title: 'Welcome call',
      due: '2026-12-01T09:30',
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
      duration_min: null,
      assignee_id: null,
      notes: null,
    });
  });

  it('checks the type first and shows where; the core’s schedule errors land in the section', async () => {
    set(form, 'field-name', 'Nguyễn Văn An');
    q(form, 'section-care').click();
    await flush(form);
    const enable = q<HTMLInputElement>(form, 'care-schedule-enable');
    enable.checked = true;
    enable.dispatchEvent(new Event('change', { bubbles: true }));
    await flush(form);
    q(form, 'section-general').click();
    await flush(form);
    q(form, 'save-customer').click();
    await flush(form);
    expect(createCustomer).not.toHaveBeenCalled();
    expect(q(form, 'panel-care').hidden).toBe(false);
    expect(q(form, 'section-error-care')).toBeTruthy();
    expect(q(form, 'cf-care-error-type_id').textContent).toBe('This field is required.');

    set(form, 'cf-care-type', '2', 'change');
    await flush(form);
    createCustomer.mockRejectedValue({
      code: 'input.invalid',
      message: 'some fields need attention',
      details: { fields: [{ field: 'schedule.due', code: 'invalid', value: '2026-02-30' }], value: null, count: null, matches: [], blocking: null },
    });
    q(form, 'save-customer').click();
    await flush(form);
    expect(q(form, 'cf-care-error-due').textContent).toBe('This value is not valid.');
  });

  it('is not offered when editing', async () => {
    form.openEdit(makeCustomer({ id: 9 }));
    await flush(form);
    expect(form.querySelector('[data-testid=section-care]')).toBeNull();
  });
});

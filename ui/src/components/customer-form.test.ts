import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { CustomerInput } from '../bindings/CustomerInput';
import type { DuplicateMatch } from '../bindings/DuplicateMatch';
import { setLang } from '../i18n';
import { ref } from '../ref-data';
import { makeCustomer, makeItem, makeStaff } from '../testing/fixtures';

const createCustomer = vi.fn<(input: CustomerInput) => Promise<unknown>>();
const checkDuplicates = vi.fn<(input: CustomerInput, except: number | null) => Promise<DuplicateMatch[]>>();
const setCustomerPhoto = vi.fn<(id: number, action: 'pending' | 'remove') => Promise<unknown>>();
vi.mock('../ipc', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ipc')>();
  return {
    ...actual,
    createCustomer: (input: CustomerInput) => createCustomer(input),
    checkDuplicates: (input: CustomerInput, except: number | null) => checkDuplicates(input, except),
    nextCustomerCode: () => Promise.resolve('KH000042'),
    pickPhoto: () => Promise.resolve('chan-dung.jpg'),
    setCustomerPhoto: (id: number, action: 'pending' | 'remove') => setCustomerPhoto(id, action),
  };
});

const MATCH: DuplicateMatch = {
  id: 7,
  code: 'KH000007',
  name: 'Nguyễn Văn An',
  owner_name: 'Lê Thu Hà',
  matched_on: ['phone'],
  phone: '0912 *** 678',
  email: 'a***@example.vn',
};

function duplicateError(blocking: boolean) {
  return {
    code: 'customer.duplicate',
    message: 'this customer looks like 1 existing one(s)',
    details: { fields: [], value: null, count: null, matches: [MATCH], blocking },
  };
}

const { ClienteleCustomerForm } = await import('./customer-form');

const flush = async (el: InstanceType<typeof ClienteleCustomerForm>) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
};

function type(el: HTMLElement, testid: string, value: string): void {
  const input = el.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
  if (!input) throw new Error(`no ${testid}`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('<clientele-customer-form>', () => {
  let form: InstanceType<typeof ClienteleCustomerForm>;

  beforeEach(async () => {
    createCustomer.mockReset();
    checkDuplicates.mockReset();
    checkDuplicates.mockResolvedValue([]);
    ref.set({
      items: [
        makeItem(1, 'level', 'VIP', { color: '#b45309' }),
        makeItem(2, 'level', 'Gold'),
        makeItem(3, 'level', 'Old', { active: false }),
        makeItem(4, 'group', 'Partners'),
        makeItem(5, 'position', 'Director'),
      ],
      staff: [makeStaff(1, 'Nguyễn Thị Mai', { role: 'admin' })],
      fields: { fields: {} },
    });
    form = document.createElement('clientele-customer-form') as InstanceType<typeof ClienteleCustomerForm>;
    document.body.append(form);
    await form.openNew();
    await flush(form);
  });

  afterEach(() => {
    form.remove();
    setLang('en');
  });

  it('prefills the next code and shows the required name error without calling the core', async () => {
    expect(form.querySelector<HTMLInputElement>('[data-testid=field-code]')?.value).toBe('KH000042');
    form.querySelector<HTMLButtonElement>('[data-testid=save-customer]')?.click();
    await flush(form);
    expect(createCustomer).not.toHaveBeenCalled();
    expect(form.querySelector('[data-testid=error-name]')?.textContent).toContain('required');
  });

  it('sends a clean CustomerInput and shows the core’s field errors under the right inputs', async () => {
    createCustomer.mockRejectedValue({
      code: 'input.invalid',
      message: 'invalid input: emails.0 invalid_email',
      details: { fields: [{ field: 'emails.0', code: 'invalid_email', value: 'bad' }], value: null },
    });
    type(form, 'field-name', 'Nguyễn Văn An');
    form.querySelector<HTMLButtonElement>('[data-testid=add-email]')?.click();
    await flush(form);
    type(form, 'field-email-1', 'bad');
    form.querySelector<HTMLButtonElement>('[data-testid=save-customer]')?.click();
    await flush(form);
    expect(createCustomer).toHaveBeenCalledTimes(1);
    const input = createCustomer.mock.calls[0]?.[0];
    expect(input).toMatchObject({ code: 'KH000042', name: 'Nguyễn Văn An', emails: ['bad'], phones: [], address: null, founded_on: null });
    // The core's emails.0 is the second input (the first was blank and dropped).
    expect(form.querySelector('[data-testid="error-emails.1"]')?.textContent).toContain('valid e-mail');
    expect(form.querySelector('[data-testid="error-emails.0"]')).toBeNull();
    expect(form.isOpen).toBe(true);
  });

  it('shows a taken code under the code, in Vietnamese', async () => {
    setLang('vi');
    createCustomer.mockRejectedValue({
      code: 'customer.code_taken',
      message: 'customer code KH000042 is already used',
      details: { fields: [{ field: 'code', code: 'taken', value: 'KH000042' }], value: 'KH000042' },
    });
    type(form, 'field-name', 'An');
    form.querySelector<HTMLButtonElement>('[data-testid=save-customer]')?.click();
    await flush(form);
    expect(form.querySelector('[data-testid=error-code]')?.textContent).toContain('Mã này đã được dùng');
  });

  it('switches kind-specific fields and closes on Escape', async () => {
    expect(form.querySelector('[data-testid=field-birthday]')).not.toBeNull();
    expect(form.querySelector('[data-testid=field-founded-on]')).toBeNull();
    const kind = form.querySelector<HTMLSelectElement>('[data-testid=field-kind]');
    if (!kind) throw new Error('no kind');
    kind.value = 'business';
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    await flush(form);
    expect(form.querySelector('[data-testid=field-birthday]')).toBeNull();
    expect(form.querySelector('[data-testid=field-gender]')).toBeNull();
    expect(form.querySelector('[data-testid=field-founded-on]')).not.toBeNull();
    form.querySelector('[data-testid=customer-form]')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flush(form);
    expect(form.isOpen).toBe(false);
    expect(form.querySelector('[data-testid=customer-form]')).toBeNull();
  });

  it('shows the matches of a duplicate and saves anyway with allow_duplicate', async () => {
    createCustomer.mockRejectedValueOnce(duplicateError(false)).mockResolvedValueOnce(makeCustomer({ code: 'KH000042' }));
    let saved = 0;
    form.addEventListener('saved', () => saved++);
    type(form, 'field-name', 'Nguyễn Văn An');
    type(form, 'field-phone-0', '+84 912 345 678');
    form.querySelector<HTMLButtonElement>('[data-testid=save-customer]')?.click();
    await flush(form);
    expect(createCustomer).toHaveBeenCalledTimes(1);
    expect(createCustomer.mock.calls[0]?.[0].allow_duplicate).toBe(false);
    const dialog = form.querySelector<HTMLElement>('[data-testid=duplicate-dialog]');
    expect(dialog?.dataset['blocking']).toBe('false');
    const rows = form.querySelectorAll<HTMLElement>('[data-testid=duplicate-match]');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toContain('KH000007');
    expect(rows[0]?.textContent).toContain('Lê Thu Hà');
    expect(rows[0]?.textContent).toContain('0912 *** 678');
    expect(rows[0]?.textContent).toContain('phone');
    form.querySelector<HTMLButtonElement>('[data-testid=duplicate-save-anyway]')?.click();
    await flush(form);
    expect(createCustomer).toHaveBeenCalledTimes(2);
    expect(createCustomer.mock.calls[1]?.[0]).toMatchObject({ name: 'Nguyễn Văn An', phones: ['+84 912 345 678'], allow_duplicate: true });
    expect(saved).toBe(1);
    expect(form.isOpen).toBe(false);
  });

  it('offers no way past a blocking rule, only opening the existing customer', async () => {
    setLang('vi');
    createCustomer.mockRejectedValue(duplicateError(true));
    const opened: number[] = [];
    form.addEventListener('open-customer', (e) => opened.push((e as CustomEvent<number>).detail));
    type(form, 'field-name', 'An');
    form.querySelector<HTMLButtonElement>('[data-testid=save-customer]')?.click();
    await flush(form);
    expect(form.querySelector('[data-testid=duplicate-dialog]')?.textContent).toContain('không cho phép');
    expect(form.querySelector('[data-testid=duplicate-save-anyway]')).toBeNull();
    form.querySelector<HTMLButtonElement>('[data-testid=duplicate-open]')?.click();
    await flush(form);
    expect(opened).toEqual([7]);
    expect(form.isOpen).toBe(false);
  });

  it('marks required fields from the field settings and leaves hidden ones out', async () => {
    form.close();
    ref.set({
      fields: {
        fields: {
          level_id: { shown: true, required: true },
          phones: { shown: true, required: true },
          website: { shown: false, required: false },
          group_ids: { shown: false, required: false },
        },
      },
    });
    await form.openNew();
    await flush(form);
    expect(form.querySelector('[data-testid=required-phones]')).not.toBeNull();
    expect(form.querySelector('[data-testid=required-emails]')).toBeNull();
    expect(form.querySelector('[data-testid=field-website]')).toBeNull();
    form.querySelector<HTMLButtonElement>('[data-testid=section-classification]')?.click();
    await flush(form);
    const panel = form.querySelector<HTMLElement>('[data-testid=panel-classification]');
    expect(panel?.hidden).toBe(false);
    expect(panel?.querySelector('[data-testid=required-level_id]')).not.toBeNull();
    expect(panel?.querySelector('[data-testid=field-group_ids]')).toBeNull();
    // Inactive items are not offered for a new customer.
    const options = [...(panel?.querySelectorAll<HTMLOptionElement>('[data-testid=field-level_id] option') ?? [])].map((o) => o.textContent);
    expect(options).toEqual(['— None —', 'VIP', 'Gold']);
  });

  it('shows the core’s errors on their section and row', async () => {
    createCustomer.mockRejectedValue({
      code: 'input.invalid',
      message: 'invalid input',
      details: { fields: [{ field: 'contacts.1.name', code: 'required', value: null }, { field: 'level_id', code: 'required', value: null }], value: null },
    });
    const kind = form.querySelector<HTMLSelectElement>('[data-testid=field-kind]');
    if (!kind) throw new Error('no kind');
    kind.value = 'business';
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    type(form, 'field-name', 'Công ty An');
    await flush(form);
    form.querySelector<HTMLButtonElement>('[data-testid=section-contacts]')?.click();
    await flush(form);
    form.querySelector<HTMLButtonElement>('[data-testid=add-contact]')?.click();
    await flush(form);
    form.querySelector<HTMLButtonElement>('[data-testid=add-contact]')?.click();
    await flush(form);
    type(form, 'field-contact-0-name', 'Bình');
    type(form, 'field-contact-1-phones', '0912 345 678');
    form.querySelector<HTMLButtonElement>('[data-testid=save-customer]')?.click();
    await flush(form);
    expect(createCustomer.mock.calls[0]?.[0].contacts).toEqual([
      { id: null, name: 'Bình', position_id: null, phones: [], emails: [], primary: true, notes: null },
      { id: null, name: '', position_id: null, phones: ['0912 345 678'], emails: [], primary: false, notes: null },
    ]);
    expect(form.querySelector('[data-testid="error-contacts.1.name"]')?.textContent).toContain('required');
    expect(form.querySelector('[data-testid="error-level_id"]')?.textContent).toContain('required');
    expect(form.querySelector('[data-testid=section-error-contacts]')).not.toBeNull();
    expect(form.querySelector('[data-testid=section-error-classification]')).not.toBeNull();
    expect(form.querySelector('[data-testid=section-error-general]')).toBeNull();
  });

  it('saves a picked photo with the new customer, after creating it', async () => {
    createCustomer.mockResolvedValue(makeCustomer({ id: 42, code: 'KH000042' }));
    setCustomerPhoto.mockResolvedValue(makeCustomer({ id: 42, code: 'KH000042', photo: 'c42.jpg' }));
    const saved: unknown[] = [];
    form.addEventListener('saved', (e) => saved.push((e as CustomEvent).detail));
    type(form, 'field-name', 'An');
    form.querySelector<HTMLButtonElement>('[data-testid=photo-pick]')?.click();
    await flush(form);
    expect(form.querySelector('[data-testid=photo-status]')?.textContent).toContain('chan-dung.jpg');
    form.querySelector<HTMLButtonElement>('[data-testid=save-customer]')?.click();
    await flush(form);
    expect(setCustomerPhoto).toHaveBeenCalledWith(42, 'pending');
    expect(saved).toEqual([expect.objectContaining({ id: 42, photo: 'c42.jpg' })]);
  });
});

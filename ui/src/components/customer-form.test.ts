import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { CustomerInput } from '../bindings/CustomerInput';
import { setLang } from '../i18n';

const createCustomer = vi.fn<(input: CustomerInput) => Promise<unknown>>();
vi.mock('../ipc', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ipc')>();
  return {
    ...actual,
    createCustomer: (input: CustomerInput) => createCustomer(input),
    nextCustomerCode: () => Promise.resolve('KH000042'),
  };
});

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
});

// The Care page of Settings over a mocked core: the rules listed, an administrator adds one per
// level (the core's field errors under the fields), edits and deletes (asked first); others only
// read; the reminders switch.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Actor } from '../bindings/Actor';
import { ref } from '../ref-data';
import { makeItem, makeStaff } from '../testing/fixtures';
import type { CareRule, CareRuleInput } from './types';

let rules: CareRule[] = [];
const careSaveRule = vi.fn<(rule: CareRuleInput) => Promise<CareRule>>();
const careDeleteRule = vi.fn<(id: number) => Promise<null>>();
vi.mock('../ipc', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ipc')>();
  return {
    ...actual,
    careRules: async () => rules,
    careSaveRule: (rule: CareRuleInput) => careSaveRule(rule),
    careDeleteRule: (id: number) => careDeleteRule(id),
    uiPref: async () => null,
    setUiPref: async () => null,
  };
});

const { ClienteleCareSettings } = await import('./care-settings');
type Page = InstanceType<typeof ClienteleCareSettings>;

const admin: Actor = { staff_id: 1, name: 'Mai', email: 'mai@example.vn', role: 'admin' };
const manager: Actor = { staff_id: 2, name: 'Hùng', email: 'hung@example.vn', role: 'manager' };
const VIP_CALL: CareRule = { id: 4, name: 'VIP monthly call', level_id: 5, segment_id: null, type_id: 1, title: 'Call', interval_days: 30, active: true };

const flush = async (el: HTMLElement) => {
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await (el as Page).updateComplete;
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

async function mount(actor: Actor): Promise<Page> {
  const page = document.createElement('clientele-care-settings') as Page;
  page.actor = actor;
  document.body.append(page);
  await flush(page);
  return page;
}

describe('<clientele-care-settings>', () => {
  beforeEach(() => {
    rules = [VIP_CALL];
    careSaveRule.mockReset();
    careDeleteRule.mockReset();
    ref.set({
      items: [makeItem(1, 'care_type', 'Call'), makeItem(5, 'level', 'VIP'), makeItem(6, 'segment', 'Retail')],
      staff: [makeStaff(1, 'Mai', { role: 'admin' })],
      fields: { fields: {} },
    });
  });

  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('lists the rules with what they apply to and how often', async () => {
    const page = await mount(admin);
    const row = q(page, 'rule-row');
    expect(row.textContent).toContain('VIP monthly call');
    expect(row.textContent).toContain('Level: VIP');
    expect(row.textContent).toContain('30 days');
    expect(q<HTMLInputElement>(page, 'settings-care-reminders').checked).toBe(true);
  });

  it('adds a rule for a segment; the core’s errors show under the fields', async () => {
    const page = await mount(admin);
    q(page, 'rule-add').click();
    await flush(page);
    set(page, 'rule-name', 'Retail check-in');
    const seg = q<HTMLInputElement>(page, 'rule-target-segment');
    seg.checked = true;
    seg.dispatchEvent(new Event('change', { bubbles: true }));
    await flush(page);
    set(page, 'rule-target', '6', 'change');
    set(page, 'rule-type', '1', 'change');
    set(page, 'rule-interval', '0');
    await flush(page);
    careSaveRule.mockRejectedValueOnce({
      code: 'input.invalid',
      message: 'some fields need attention',
      details: { fields: [{ field: 'interval_days', code: 'invalid', value: '0' }], value: null, count: null, matches: [], blocking: null },
    });
    q(page, 'rule-save').click();
    await flush(page);
    expect(careSaveRule).toHaveBeenLastCalledWith({ id: null, name: 'Retail check-in', level_id: null, segment_id: 6, type_id: 1, title: '', interval_days: 0, active: true });
    expect(q(page, 'rule-error-interval_days').textContent).toBe('This value is not valid.');

    set(page, 'rule-interval', '14');
    await flush(page);
    careSaveRule.mockImplementation(async (r) => {
      const saved = { ...r, id: 8, title: 'Call' } as CareRule;
      rules = [...rules, saved];
      return saved;
    });
    q(page, 'rule-save').click();
    await flush(page);
    expect(careSaveRule.mock.calls.at(-1)?.[0]).toMatchObject({ segment_id: 6, interval_days: 14 });
    expect(page.querySelector('[data-testid=rule-form]')).toBeNull();
    expect(page.querySelectorAll('[data-testid=rule-row]')).toHaveLength(2);
  });

  it('edits and deletes (after asking)', async () => {
    const page = await mount(admin);
    q(page, 'rule-edit').click();
    await flush(page);
    expect(q<HTMLInputElement>(page, 'rule-name').value).toBe('VIP monthly call');
    set(page, 'rule-interval', '45');
    await flush(page);
    careSaveRule.mockResolvedValue({ ...VIP_CALL, interval_days: 45 });
    q(page, 'rule-save').click();
    await flush(page);
    expect(careSaveRule.mock.calls[0]?.[0]).toMatchObject({ id: 4, level_id: 5, segment_id: null, interval_days: 45 });

    q(page, 'rule-delete').click();
    await flush(page);
    const confirm = document.querySelector<HTMLElement>('[data-testid=confirm-dialog]');
    expect(confirm?.textContent).toContain('Delete the rule “VIP monthly call”?');
    careDeleteRule.mockResolvedValue(null);
    document.querySelector<HTMLElement>('[data-testid=confirm-ok]')?.click();
    await flush(page);
    expect(careDeleteRule).toHaveBeenCalledWith(4);
  });

  it('shows managers the rules without the means to change them', async () => {
    const page = await mount(manager);
    expect(page.querySelector('[data-testid=rule-row]')).toBeTruthy();
    expect(page.querySelector('[data-testid=rule-add]')).toBeNull();
    expect(page.querySelector('[data-testid=rule-edit]')).toBeNull();
  });
});

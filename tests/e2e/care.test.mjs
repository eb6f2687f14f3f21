// Issue 4, the care schedule end to end: create a customer with a call scheduled for today (in the
// same save), find it in the Care view under Today, mark it done with an outcome by keyboard, and
// see the follow-up record on the customer's timeline. A few activities made with the CLI fill the
// other groups (one overdue, so the navigation shows its badge). Screenshots of every step in both
// languages land in tests/e2e/screenshots/care-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { SCREENSHOTS, cli, click, initDatabase, typeInto, waitCount, withApp } from './lib/app.mjs';

const pad = (n) => String(n).padStart(2, '0');
/** A local calendar day `days` from today, as the CLI and the date picker take it. */
function day(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A local due time `minutes` from now (`YYYY-MM-DDTHH:MM`), or null when it would fall tomorrow. */
function soon(minutes) {
  const d = new Date(Date.now() + minutes * 60_000);
  if (d.getDate() !== new Date().getDate()) return null;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Due in a few minutes: the reminder task notifies it at start-up (null near midnight: not made). */
const REMIND_AT = soon(6);

const NAME = 'Phạm Thị Cúc';
const TITLE = 'Gọi chào mừng khách mới';
const OUTCOME = 'Khách đồng ý hẹn gặp tuần sau để xem demo';

function prepare(dataDir) {
  initDatabase(dataDir);
  cli(dataDir, 'customers', 'add', '--name', 'Nguyễn Văn An', '--phone', '0901 000 001', '--code', 'KH-AN');
  cli(dataDir, 'customers', 'add', '--name', 'Công ty TNHH Hoa Sen', '--phone', '0901 000 002', '--code', 'KH-HOASEN');
  cli(dataDir, 'customers', 'add', '--name', 'Lê Minh Tuấn', '--phone', '0901 000 003', '--code', 'KH-TUAN');
  cli(dataDir, 'care', 'add', '--customer', 'KH-AN', '--type', 'call', '--title', 'Hỏi thăm sau khi mua', '--due', `${day(-1)}T10:00`);
  cli(dataDir, 'care', 'add', '--customer', 'KH-HOASEN', '--type', 'meeting', '--title', 'Gửi báo giá gia hạn', '--due', `${day(2)}T14:30`);
  cli(dataDir, 'care', 'add', '--customer', 'KH-TUAN', '--type', 'visit', '--title', 'Thăm cửa hàng', '--due', day(20));
  if (REMIND_AT) cli(dataDir, 'care', 'add', '--customer', 'KH-TUAN', '--type', 'email', '--title', 'Gửi hợp đồng', '--due', REMIND_AT);
}

/** The app's log files (tauri-plugin-log writes under the private XDG data folder). */
function appLog(dataDir) {
  const dir = join(dirname(dataDir), 'xdg-data', 'vn.clientele.app', 'logs');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

async function shot(session, name) {
  // Let WebKit paint the last change first (its screenshot can lag a frame or two behind the DOM).
  await new Promise((r) => setTimeout(r, 400));
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, `${name}.png`), await session.screenshot());
}

/** The value of the first option of a select whose text matches. */
async function optionValue(session, selectCss, match) {
  for (const option of await session.findAll(`${selectCss} option`)) {
    if (match.test(await option.content())) return option.attribute('value');
  }
  throw new Error(`no option of ${selectCss} matches ${match}`);
}

/** The new customer's id, from the CLI. */
async function customerId(session, dataDir) {
  void session;
  const listed = cli(dataDir, 'customers', 'list', '--json');
  const rows = Array.isArray(listed) ? listed : (listed.rows ?? listed.items ?? []);
  const c = rows.find((r) => r.name === NAME);
  assert.ok(c, `the CLI lists ${NAME}: ${JSON.stringify(listed).slice(0, 400)}`);
  return c.id;
}

async function groupCount(session, bucket) {
  const g = await session.find(`[data-testid=care-group][data-bucket=${bucket}]`);
  return g ? Number(await g.attribute('data-count')) : 0;
}

/** Press a key on an element as a user would; WebKitWebDriver may refuse keys on a non-input, then the key is dispatched. */
async function press(session, el, key) {
  try {
    await el.cmd('POST', '/value', { text: key });
  } catch {
    await session.execute(
      `arguments[0].focus(); arguments[0].dispatchEvent(new KeyboardEvent('keydown', { key: arguments[1], bubbles: true, cancelable: true }));`,
      [el, key],
    );
  }
}

test('care: schedule with a new customer, find it under Today, complete it, see the follow-up', async (t) => {
  await withApp(t, { name: 'care', prepare }, async ({ session, dataDir }) => {
    await waitCount(session, 3);
    // The overdue call made with the CLI shows on the navigation.
    const badge = await session.waitFor('[data-testid=care-overdue-count]');
    assert.equal(await badge.attribute('data-count'), '1');

    // A new customer, with a call planned for today in the same save.
    await click(session, '[data-testid=new-customer]');
    await session.waitFor('[data-testid=customer-form]', { visible: true });
    await typeInto(session, '[data-testid=field-name]', NAME);
    await typeInto(session, '[data-testid=field-phone-0]', '0912 345 678');
    await click(session, '[data-testid=section-care]');
    await click(session, '[data-testid=care-schedule-enable]');
    const typeSelect = await session.waitFor('[data-testid=cf-care-type]', { visible: true });
    await typeSelect.setValue(await optionValue(session, '[data-testid=cf-care-type]', /^Call$/));
    await typeInto(session, '[data-testid=cf-care-title]', TITLE);
    // Today (the default date); a time later today when there is one, else all day.
    const date = await session.find('[data-testid=cf-care-date]');
    assert.equal(await date.property('value'), day(0), 'the date defaults to today');
    if (new Date().getHours() < 22) await (await session.find('[data-testid=cf-care-time]')).setValue('23:30');
    await shot(session, 'care-0-new-customer');
    await click(session, '[data-testid=save-customer]');
    await session.until(async () => !(await session.find('[data-testid=customer-form]')), { message: 'the form closes after saving' });
    await waitCount(session, 4);

    // Only one save: the core scheduled the call with the customer.
    const listed = cli(dataDir, 'care', 'list', '--today', '--json');
    const rows = Array.isArray(listed) ? listed : (listed.items ?? []);
    assert.ok(rows.some((a) => a.title === TITLE && a.customer_name === NAME), `the CLI lists the call: ${JSON.stringify(listed)}`);

    // The Care view: the call is under Today.
    await click(session, '[data-testid=nav-care]');
    await session.waitFor('[data-testid=care-view][data-ready="1"]');
    const row = await session.waitFor(`[data-testid=care-row][data-customer="${await customerId(session, dataDir)}"]`);
    assert.equal(await row.attribute('data-bucket'), 'today');
    assert.equal(await (await row.find('[data-testid=care-row-title]')).content(), TITLE);
    assert.match(await (await row.find('[data-testid=care-row-customer]')).content(), new RegExp(NAME));
    const soonToday = REMIND_AT ? 1 : 0;
    assert.equal(await groupCount(session, 'today'), 1 + soonToday);
    assert.equal(await groupCount(session, 'overdue'), 1);
    assert.equal(await groupCount(session, 'week') + (await groupCount(session, 'later')), 2);
    await shot(session, 'care-1-view');

    // Keyboard: focus the row, D opens "mark done".
    await row.click();
    const list = await session.find('[data-testid=care-list]');
    await session.until(async () => (await list.attribute('aria-activedescendant')) === `care-row-${await row.attribute('data-id')}`, {
      message: 'the row is focused',
    });
    await press(session, list, 'd');
    const dialog = await session.waitFor('[data-testid=care-dialog][data-kind=complete]', { visible: true });
    assert.match(await (await dialog.find('[data-testid=care-dialog-activity]')).content(), new RegExp(TITLE));
    // The outcome is required: nothing is sent without it.
    await click(session, '[data-testid=care-dialog-ok]');
    await session.waitFor('[data-testid=care-error-outcome]', { visible: true });
    await typeInto(session, '[data-testid=care-outcome]', OUTCOME);
    await shot(session, 'care-2-complete');
    await click(session, '[data-testid=care-dialog-ok]');
    await session.until(async () => !(await session.find('[data-testid=care-dialog]')), { message: 'the dialog closes' });
    await session.until(async () => (await groupCount(session, 'today')) === soonToday, { message: 'the call leaves Today' });
    await shot(session, 'care-3-after-done');

    // The customer's timeline has the follow-up record with its outcome.
    await click(session, '[data-testid=nav-customers]');
    await waitCount(session, 4);
    let target = null;
    await session.until(
      async () => {
        for (const r of await session.findAll('[data-testid=customer-row]')) {
          const name = await r.find('[data-testid=row-name]');
          if (name && (await name.content()) === NAME) target = r;
        }
        return target !== null;
      },
      { message: 'the new customer is listed' },
    );
    await target.click();
    await session.waitFor('[data-testid=customer-detail]', { visible: true });
    const followup = await session.waitFor('[data-testid=timeline-entry][data-kind=followup]');
    assert.equal(await (await followup.find('[data-testid=timeline-title]')).content(), TITLE);
    assert.equal(await (await followup.find('[data-testid=timeline-outcome]')).content(), OUTCOME);
    // History entries are on the same timeline (the customer's creation), newest first.
    await session.waitFor('[data-testid=timeline-entry][data-kind=history] [data-testid=history-entry][data-action=create]');
    await session.execute(`document.querySelector('[data-testid=detail-timeline]').scrollIntoView({ block: 'start' });`);
    await shot(session, 'care-4-timeline');
    // "Schedule care" from the drawer: the customer is already chosen.
    await click(session, '[data-testid=schedule-care]');
    await session.waitFor('[data-testid=care-dialog][data-kind=schedule] [data-testid=care-customer-picked]', { visible: true });
    await shot(session, 'care-4b-schedule-from-customer');
    await click(session, '[data-testid=care-dialog-cancel]');
    await session.until(async () => !(await session.find('[data-testid=care-dialog]')), { message: 'the dialog closes' });
    // Chips filter by kind.
    await click(session, '[data-testid=timeline-chip-followup]');
    await session.until(async () => (await session.findAll('[data-testid=timeline-entry][data-kind=history]')).length === 0, {
      message: 'only follow-ups',
    });
    assert.equal((await session.findAll('[data-testid=timeline-entry][data-kind=followup]')).length, 1);
    await click(session, '[data-testid=close-detail]');

    // Settings: care types are a catalog; an administrator adds a recurring rule.
    await click(session, '[data-testid=nav-settings]');
    await click(session, '[data-testid=settings-tab-care_type]');
    await session.waitFor('[data-testid=catalog-page][data-kind=care_type] [data-testid=catalog-row]');
    assert.equal((await session.findAll('[data-testid=catalog-row]')).length, 5, 'the five starter care types');
    await click(session, '[data-testid=settings-tab-care]');
    await session.waitFor('[data-testid=care-settings-page]');
    await click(session, '[data-testid=rule-add]');
    await typeInto(session, '[data-testid=rule-name]', 'VIP: gọi mỗi tháng');
    const level = await session.waitFor('[data-testid=rule-target]', { visible: true });
    await level.setValue(await optionValue(session, '[data-testid=rule-target]', /^VIP$/));
    const ruleType = await session.find('[data-testid=rule-type]');
    await ruleType.setValue(await optionValue(session, '[data-testid=rule-type]', /^Call$/));
    await typeInto(session, '[data-testid=rule-interval]', '30');
    await click(session, '[data-testid=rule-save]');
    const rule = await session.waitFor('[data-testid=rule-row]');
    assert.match(await rule.content(), /VIP: gọi mỗi tháng.*Level: VIP.*30 days/);
    await shot(session, 'care-6-settings');

    // The reminder task looked at start-up: the activity due in a few minutes was notified (or,
    // with no notification server under Xvfb, said so in the log), and the app went on.
    if (REMIND_AT) {
      await session.until(async () => /care reminder (shown|for activity \d+ not shown)/.test(appLog(dataDir)), {
        timeoutMs: 20_000,
        message: () => `the reminder is in the log:\n${appLog(dataDir).slice(-2000)}`,
      });
    }

    // The same view in Vietnamese.
    const select = await session.waitFor('[data-testid=lang-select]', { visible: true });
    await select.setValue('vi');
    await session.until(async () => (await session.execute('return document.documentElement.lang')) === 'vi', { message: 'Vietnamese UI' });
    await click(session, '[data-testid=nav-care]');
    await session.waitFor('[data-testid=care-view][data-ready="1"]');
    await session.waitFor('[data-testid=care-group][data-bucket=overdue]');
    assert.match(await (await session.find('[data-testid=care-view] h1')).content(), /Chăm sóc/);
    await shot(session, 'care-5-view-vi');
  });
});

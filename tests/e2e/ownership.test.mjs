// Issue 6: a staff member cannot open or edit another owner's locked customer, and can claim a
// customer from the pool, which then opens as theirs. Prepared with the CLI (staff, customers,
// lock, release); the app starts as the administrator and the test switches user through the
// account menu and the sign-in picker.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { cli, click, initDatabase, waitCount, waitRows, withApp } from './lib/app.mjs';

const LAN = 'lan@example.com';
const MINH = 'minh@example.com';

function prepare(dataDir) {
  initDatabase(dataDir);
  cli(dataDir, 'staff', 'add', '--name', 'Trần Thị Lan', '--email', LAN, '--role', 'staff');
  cli(dataDir, 'staff', 'add', '--name', 'Võ Văn Minh', '--email', MINH, '--role', 'staff');
  cli(dataDir, '--as', LAN, 'customers', 'add', '--name', 'Khách của Lan', '--phone', '0901 000 001');
  cli(dataDir, '--as', MINH, 'customers', 'add', '--name', 'Khách bí mật của Minh', '--phone', '0901 000 002', '--code', 'KH-MINH');
  cli(dataDir, '--as', MINH, 'customers', 'lock', 'KH-MINH');
  cli(dataDir, '--as', MINH, 'customers', 'add', '--name', 'Khách trả về kho', '--phone', '0901 000 003', '--code', 'KH-POOL');
  cli(dataDir, '--as', MINH, 'customers', 'release', 'KH-POOL', '--reason', 'Chuyển công tác');
  // The app opens as the administrator (the last one the CLI signed in).
  cli(dataDir, 'stats');
}

async function signInAs(session, email) {
  await click(session, '[data-testid=user-menu-toggle]');
  await click(session, '[data-testid=switch-user]');
  const picker = await session.waitFor('[data-testid=signin-staff]', { visible: true });
  await session.until(async () => (await session.findAll('[data-testid=signin-staff] option')).length >= 3, { message: 'the picker lists the staff' });
  let value = null;
  for (const option of await session.findAll('[data-testid=signin-staff] option')) {
    if ((await option.content()).includes(email)) value = await option.attribute('value');
  }
  assert.ok(value, `${email} is in the picker`);
  await picker.setValue(value);
  await click(session, '[data-testid=signin-submit]');
  await session.waitFor('body[data-ready="1"] [data-testid=current-user]');
}

async function rowId(session, code) {
  const row = await session.waitFor(`[data-testid=customer-row][data-code="${code}"]`);
  return row.attribute('data-id');
}

test('staff: another owner’s locked customer stays closed; a pool customer can be claimed', async (t) => {
  await withApp(t, { name: 'ownership', prepare }, async ({ session, dataDir }) => {
    await waitCount(session, 3);
    await signInAs(session, LAN);
    const user = await session.find('[data-testid=current-user]');
    assert.equal(await user.content(), 'Trần Thị Lan');

    // The locked customer is listed with its lock, but does not open: the message says why.
    const lockedId = await rowId(session, 'KH-MINH');
    const lockedRow = await session.find(`[data-testid=customer-row][data-id="${lockedId}"]`);
    await lockedRow.click();
    const refused = await session.waitFor('[data-testid=detail-refused]', { visible: true });
    const message = await (await session.find('[data-testid=refused-message]')).content();
    assert.match(message, /KH-MINH/);
    assert.match(message, /locked/);
    assert.equal(await session.find('[data-testid=customer-detail]'), null, 'no drawer opens');
    assert.ok(await refused.displayed());
    await click(session, '[data-testid=refused-ok]');
    await session.until(async () => !(await session.find('[data-testid=detail-refused]')), { message: 'the notice closes' });

    // Nor can it be changed from the selection bar: the core refuses, nothing changes.
    const box = await session.waitFor(`[data-testid=customer-row][data-id="${lockedId}"] [data-testid=row-select]`);
    await box.click();
    await click(session, '[data-testid=ownership-menu-toggle]');
    await click(session, '[data-testid=ownership-menu] [data-testid=own-deactivate]');
    const toast = await session.waitFor('[data-testid=toast].toast-error', { visible: true });
    assert.match(await toast.content(), /locked/);
    await click(session, '[data-testid=clear-selection]');
    const after = cli(dataDir, 'customers', 'show', 'KH-MINH', '--json').customer;
    assert.equal(after.active, true, 'the refused change changed nothing');
    assert.equal(after.locked, true);

    // The pool: one customer, claimed, then it opens as Lan's.
    const poolCount = await session.waitFor('[data-testid=pool-count]');
    assert.equal(await poolCount.attribute('data-count'), '1');
    await click(session, '[data-testid=nav-pool]');
    await waitCount(session, 1, 'customers in the pool');
    await waitRows(session, ['Khách trả về kho']);
    const poolId = await rowId(session, 'KH-POOL');
    await (await session.find(`[data-testid=customer-row][data-id="${poolId}"]`)).click();
    await session.waitFor('[data-testid=customer-detail] [data-testid=note-pool]', { visible: true });
    await click(session, '[data-testid=customer-detail] [data-testid=own-claim]');
    await session.waitFor('[data-testid=customer-detail] [data-testid=own-release]', { visible: true });
    const owner = await session.waitFor('[data-testid=detail-classification]');
    await session.until(async () => (await owner.content()).includes('Trần Thị Lan'), { message: 'Lan owns it now' });
    await click(session, '[data-testid=close-detail]');
    await waitCount(session, 0, 'customers left in the pool');
    await session.until(async () => !(await session.find('[data-testid=pool-count]')), { message: 'the pool badge goes' });

    await click(session, '[data-testid=nav-customers]');
    const mine = await rowId(session, 'KH-POOL');
    await (await session.find(`[data-testid=customer-row][data-id="${mine}"]`)).click();
    await session.waitFor(`[data-testid=customer-detail][data-id="${mine}"] [data-testid=edit-customer]`, { visible: true });
    assert.equal(await session.find('[data-testid=detail-refused]'), null);
  });
});

// The administrators' activity log across customers, and inactive customers hidden from the
// default list until the filter asks for them. Prepared with the CLI: Lan adds two customers and
// releases one to the pool; the administrator deactivates a third.
function prepareActivity(dataDir) {
  initDatabase(dataDir);
  cli(dataDir, 'staff', 'add', '--name', 'Trần Thị Lan', '--email', LAN, '--role', 'staff');
  cli(dataDir, 'staff', 'add', '--name', 'Võ Văn Minh', '--email', MINH, '--role', 'staff');
  cli(dataDir, '--as', LAN, 'customers', 'add', '--name', 'Khách của Lan', '--code', 'KH-LAN');
  cli(dataDir, '--as', LAN, 'customers', 'add', '--name', 'Khách trả về kho', '--code', 'KH-POOL');
  cli(dataDir, '--as', LAN, 'customers', 'release', 'KH-POOL', '--reason', 'Chuyển công tác');
  cli(dataDir, 'customers', 'add', '--name', 'Khách ngừng giao dịch', '--code', 'KH-OFF');
  cli(dataDir, 'customers', 'deactivate', 'KH-OFF');
}

async function choose(session, css, pattern) {
  const select = await session.waitFor(css);
  let value = null;
  for (const option of await session.findAll(`${css} option`)) {
    if (pattern.test(await option.content())) value = await option.attribute('value');
  }
  assert.notEqual(value, null, `an option of ${css} matches ${pattern}`);
  await select.setValue(value);
}

async function entries(session) {
  const out = [];
  for (const row of await session.findAll('[data-testid=activity-entry]')) {
    out.push({ action: await row.attribute('data-action'), text: await row.content() });
  }
  return out;
}

test('admin: the activity log shows who did what across customers; inactive customers only when asked', async (t) => {
  await withApp(t, { name: 'activity-log', prepare: prepareActivity }, async ({ session, dataDir }) => {
    // The default list leaves the inactive customer out; "All customers" brings it back.
    await waitCount(session, 2);
    await click(session, '[data-testid=filter-toggle]');
    await choose(session, '[data-testid=filter-activity]', /^All customers$/);
    await waitCount(session, 3, 'all customers');
    await choose(session, '[data-testid=filter-activity]', /^Inactive customers$/);
    await waitCount(session, 1, 'inactive customers');
    await waitRows(session, ['Khách ngừng giao dịch']);
    await choose(session, '[data-testid=filter-activity]', /^Active customers$/);
    await waitCount(session, 2, 'active customers again');

    // The log: newest first, everything the CLI did, by whom.
    await click(session, '[data-testid=nav-activity]');
    await session.waitFor('[data-testid=activity-entry]', { visible: true });
    const all = cli(dataDir, '--json', 'activity', '--limit', '500');
    await session.until(async () => (await entries(session)).length === all.entries.length, { message: 'every entry is listed' });
    const first = (await entries(session))[0];
    assert.equal(first.action, 'deactivate');
    assert.match(first.text, /KH-OFF/);
    assert.match(first.text, /Test Admin/);

    // Lan's entries only, then her release only.
    await choose(session, '[data-testid=activity-staff]', /Trần Thị Lan/);
    const lans = cli(dataDir, '--json', 'activity', '--staff', LAN);
    await session.until(async () => {
      const shown = await entries(session);
      return shown.length === lans.entries.length && shown.every((e) => e.text.includes('Trần Thị Lan'));
    }, { message: 'Lan’s entries' });
    await choose(session, '[data-testid=activity-action]', /^Released to the pool$/);
    await session.until(async () => {
      const shown = await entries(session);
      return shown.length === 1 && shown[0].action === 'release';
    }, { message: 'one release' });
    const release = (await entries(session))[0];
    assert.match(release.text, /KH-POOL/);
    assert.match(release.text, /Trần Thị Lan/);

    // Its customer opens from the entry.
    await click(session, '[data-testid=activity-entry] [data-testid=activity-customer]');
    await session.waitFor('[data-testid=customer-detail] [data-testid=note-pool]', { visible: true });
    await click(session, '[data-testid=close-detail]');

    // Days with nothing: the empty state; clearing the filters lists everything again.
    const from = await session.find('[data-testid=activity-from]');
    await from.setValue('2001-01-01');
    const to = await session.find('[data-testid=activity-to]');
    await to.setValue('2001-01-31');
    await session.waitFor('[data-testid=activity-empty]', { visible: true });
    await click(session, '[data-testid=activity-clear]');
    await session.until(async () => (await entries(session)).length === all.entries.length, { message: 'everything again' });

    // Staff members have no activity log.
    await signInAs(session, LAN);
    assert.equal(await session.find('[data-testid=nav-activity]'), null);
  });
});

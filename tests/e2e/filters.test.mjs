// Issue 3: filter the list by level. Customers with levels (CLI `--level`); the filter panel's
// level picker narrows the list and its count to that level, the toggle says one filter is on,
// and Clear all brings everything back.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { cli, click, initDatabase, waitCount, waitRows, withApp } from './lib/app.mjs';

const VIP = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Minh Châu'];
const GOLD = ['Phạm Quốc Dũng', 'Hoàng Thu Giang'];
const NONE = ['Đỗ Hải Yến'];
const ALL = [...VIP, ...GOLD, ...NONE];

let vipId;

function prepare(dataDir) {
  initDatabase(dataDir);
  const levels = cli(dataDir, 'catalog', 'list', 'level', '--json');
  vipId = levels.find((l) => l.item.name === 'VIP').item.id;
  for (const name of VIP) cli(dataDir, 'customers', 'add', '--name', name, '--level', 'VIP');
  for (const name of GOLD) cli(dataDir, 'customers', 'add', '--name', name, '--level', 'Gold');
  for (const name of NONE) cli(dataDir, 'customers', 'add', '--name', name);
}

test('filter the list by level, then clear the filters', async (t) => {
  await withApp(t, { name: 'filters', prepare }, async ({ session }) => {
    await waitCount(session, ALL.length);
    await waitRows(session, ALL);

    await click(session, '[data-testid=filter-toggle]');
    await session.waitFor('[data-testid=filter-panel]', { visible: true });
    await click(session, '[data-testid=filter-level] [data-testid=ms-button]');
    const vip = await session.waitFor(`[data-testid=filter-level] input[data-value="${vipId}"]`, { visible: true });
    await vip.click();
    await session.until(async () => vip.property('checked'), { message: 'VIP is ticked' });

    await waitCount(session, VIP.length, 'customers at level VIP');
    await waitRows(session, VIP);
    const badge = await session.waitFor('[data-testid=filter-count]');
    assert.equal(await badge.attribute('data-count'), '1', 'the toggle counts one filter');
    // Every row shown says VIP in the detail's classification too: open one.
    const row = await session.find('[data-testid=customer-row]');
    await row.click();
    const level = await session.waitFor('[data-testid=detail-level]', { visible: true });
    assert.equal(await level.content(), 'VIP');
    await click(session, '[data-testid=close-detail]');
    await session.until(async () => !(await session.find('[data-testid=customer-detail]')), { message: 'the drawer closes' });

    await click(session, '[data-testid=filter-clear]');
    await waitCount(session, ALL.length, 'customers after clearing the filters');
    await waitRows(session, ALL);
    assert.equal(await session.find('[data-testid=filter-count]'), null, 'no filter is on');
  });
});

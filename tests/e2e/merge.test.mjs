// Issue 3: merge two customers. Select both, merge, keep the second's record with the first's
// name and both phones; one customer is left (with the chosen values), the other is in the Trash.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { addCustomer, click, initDatabase, waitCount, waitRows, withApp } from './lib/app.mjs';

function prepare(dataDir) {
  initDatabase(dataDir);
  addCustomer(dataDir, { name: 'Công ty Ánh Dương', phones: ['0911 111 111'], emails: ['lienhe@anhduong.vn'] });
  addCustomer(dataDir, { name: 'Cty Anh Duong', phones: ['0922 222 222'] });
}

async function tick(session, id) {
  const box = await session.waitFor(`[data-testid=customer-row][data-id="${id}"] [data-testid=row-select]`, { visible: true });
  await box.click();
  await session.until(async () => box.property('checked'), { message: `row ${id} is ticked` });
}

test('merge two customers: one is left, the other goes to the trash', async (t) => {
  await withApp(t, { name: 'merge', prepare }, async ({ session }) => {
    await waitCount(session, 2);
    const rows = await session.findAll('[data-testid=customer-row]');
    const byName = {};
    for (const row of rows) byName[await (await row.find('[data-testid=row-name]')).content()] = await row.attribute('data-id');
    const first = byName['Công ty Ánh Dương'];
    const second = byName['Cty Anh Duong'];
    assert.ok(first && second, JSON.stringify(byName));

    await tick(session, first);
    await tick(session, second);
    await click(session, '[data-testid=merge-selected]');
    const dialog = await session.waitFor('[data-testid=merge-dialog]', { visible: true });
    await session.waitFor(`[data-testid=merge-survivor-${second}]`);
    // Keep the second record, with the first one's name and both phones.
    await click(session, `[data-testid=merge-survivor-${second}]`);
    await click(session, `[data-testid=merge-pick][data-field=name][data-value="${first}"]`);
    await click(session, '[data-testid=merge-pick][data-field=phones][data-value=all]');
    assert.ok(await dialog.displayed());
    await click(session, '[data-testid=merge-apply]');

    // The survivor opens with the chosen values.
    const detail = await session.waitFor(`[data-testid=customer-detail][data-id="${second}"]`, { visible: true });
    await session.until(async () => (await detail.content()).includes('Công ty Ánh Dương'), { message: 'the survivor has the first name' });
    const contact = await session.waitFor('[data-testid=detail-contact]');
    const text = await contact.content();
    assert.ok(text.includes('0911 111 111') && text.includes('0922 222 222'), `both phones: ${text}`);
    await click(session, '[data-testid=close-detail]');

    await waitCount(session, 1, 'customers after the merge');
    await waitRows(session, ['Công ty Ánh Dương']);

    await click(session, '[data-testid=nav-trash]');
    await waitCount(session, 1, 'customers in the trash');
    await waitRows(session, ['Công ty Ánh Dương']);
    const trashed = await session.find('[data-testid=customer-row]');
    assert.equal(await trashed.attribute('data-id'), String(first), 'the merged-away customer is in the trash');
  });
});

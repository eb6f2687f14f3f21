// Issue 3: the duplicate warning. A customer with phone "0912 345 678" exists; adding one whose
// phone is written "+84 912-345-678" shows the duplicate dialog listing that customer; "Save
// anyway" saves the new one (the default rule only warns).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { addCustomer, click, initDatabase, typeInto, waitCount, waitRows, withApp } from './lib/app.mjs';

function prepare(dataDir) {
  initDatabase(dataDir);
  addCustomer(dataDir, { name: 'Nguyễn Văn An', phones: ['0912 345 678'] });
}

test('a phone written differently is a duplicate; save anyway', async (t) => {
  await withApp(t, { name: 'duplicates', prepare }, async ({ session }) => {
    await waitCount(session, 1);

    await click(session, '[data-testid=new-customer]');
    await session.waitFor('[data-testid=customer-form]', { visible: true });
    await typeInto(session, '[data-testid=field-name]', 'Anh An (số mới)');
    await typeInto(session, '[data-testid=field-phone-0]', '+84 912-345-678');
    await click(session, '[data-testid=save-customer]');

    const dialog = await session.waitFor('[data-testid=duplicate-dialog]', { visible: true });
    await session.waitFor('[data-testid=duplicate-match]');
    const matches = await session.findAll('[data-testid=duplicate-match]');
    assert.equal(matches.length, 1, 'one match');
    assert.match(await matches[0].content(), /Nguyễn Văn An/);
    assert.equal(await dialog.attribute('data-blocking'), 'false', 'the default rule only warns');

    await click(session, '[data-testid=duplicate-save-anyway]');
    await session.until(async () => !(await session.find('[data-testid=customer-form]')), {
      message: 'the form closes after saving anyway',
    });
    await waitCount(session, 2, 'customers after saving anyway');
    await waitRows(session, ['Nguyễn Văn An', 'Anh An (số mới)']);
  });
});

// (b) Search ignores case and accents, matches words by prefix, and finds phone numbers by digits.

import { test } from 'node:test';

import { addCustomer, initDatabase, typeInto, waitCount, waitRows, withApp } from './lib/app.mjs';

const AN = 'Nguyễn Văn An';
const MINH = 'Trần Đức Minh';
const JOHN = 'John Smith';

function prepare(dataDir) {
  initDatabase(dataDir);
  addCustomer(dataDir, { name: AN, phones: ['0912.345.678'], emails: ['an.nguyen@example.com'] });
  addCustomer(dataDir, { name: MINH, phones: ['0987 111 222'] });
  addCustomer(dataDir, { name: JOHN, phones: ['+1 415 555 0100'], emails: ['john@example.com'] });
}

test('accent-insensitive search', async (t) => {
  await withApp(t, { name: 'search', prepare }, async ({ session }) => {
    await waitCount(session, 3);
    await waitRows(session, [AN, MINH, JOHN]);

    await typeInto(session, '[data-testid=search-input]', 'nguyen van');
    await waitRows(session, [AN]);
    await waitCount(session, 1, 'count for "nguyen van"');

    await typeInto(session, '[data-testid=search-input]', 'duc');
    await waitRows(session, [MINH]);
    await waitCount(session, 1, 'count for "duc"');

    await typeInto(session, '[data-testid=search-input]', '345 678');
    await waitRows(session, [AN]);
    await waitCount(session, 1, 'count for "345 678"');

    await typeInto(session, '[data-testid=search-input]', '');
    await waitRows(session, [AN, MINH, JOHN]);
    await waitCount(session, 3, 'count with the search cleared');
  });
});

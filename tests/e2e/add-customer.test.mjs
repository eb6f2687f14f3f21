// (a) Adding a customer through the form: a validation error under the e-mail field first, then
// the customer in the list with the count incremented.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { click, customerCount, initDatabase, rowNames, typeInto, waitCount, waitRows, withApp } from './lib/app.mjs';

test('add a customer through the form', async (t) => {
  await withApp(t, { name: 'add-customer', prepare: initDatabase }, async ({ session }) => {
    await waitCount(session, 0);
    const before = await customerCount(session);

    await click(session, '[data-testid=new-customer]');
    await session.waitFor('[data-testid=customer-form]', { visible: true });
    await typeInto(session, '[data-testid=field-name]', 'Nguyễn Văn An');
    await typeInto(session, '[data-testid=field-phone-0]', '0912.345.678');
    await typeInto(session, '[data-testid=field-email-0]', 'not-an-email');
    await click(session, '[data-testid=save-customer]');

    // The e-mail is refused, under its own field, and nothing is saved.
    const error = await session.waitFor('[data-testid="error-emails.0"]', { visible: true });
    assert.notEqual(await error.content(), '', 'the e-mail error has a message');
    assert.ok(await session.find('[data-testid=customer-form]'), 'the form stays open');
    assert.equal(await customerCount(session), before);

    await typeInto(session, '[data-testid=field-email-0]', 'an.nguyen@example.com');
    await click(session, '[data-testid=save-customer]');
    await session.until(async () => !(await session.find('[data-testid=customer-form]')), {
      message: 'the form closes after saving',
    });

    await waitCount(session, before + 1);
    await waitRows(session, ['Nguyễn Văn An']);
    const row = await session.find('[data-testid=customer-row]');
    assert.match(await row.attribute('data-code'), /\S/, 'the new row has a generated code');
    assert.match(await row.attribute('data-id'), /^\d+$/);
    assert.deepEqual(await rowNames(session), ['Nguyễn Văn An']);
  });
});

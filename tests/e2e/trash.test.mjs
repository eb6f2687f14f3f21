// (c) Bulk delete to the trash after a confirmation naming the count, then restore from the trash.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { addCustomer, click, initDatabase, waitCount, waitRows, withApp } from './lib/app.mjs';

const NAMES = ['Alice Archer', 'Bùi Thị Bích', 'Charles Chen', 'Đặng Văn Dũng'];

function prepare(dataDir) {
  initDatabase(dataDir);
  NAMES.forEach((name, i) => addCustomer(dataDir, { name, phones: [`0900 000 00${i}`] }));
}

/** Tick the rows with these ids. */
async function selectRows(session, ids) {
  for (const id of ids) {
    const box = await session.waitFor(`[data-testid=customer-row][data-id="${id}"] [data-testid=row-select]`, {
      visible: true,
    });
    await box.click();
    await session.until(async () => box.property('checked'), { message: `row ${id} is ticked` });
  }
}

async function confirm(session, { mustInclude } = {}) {
  const dialog = await session.waitFor('[data-testid=confirm-dialog]', { visible: true });
  if (mustInclude !== undefined) {
    const text = await dialog.content();
    assert.ok(text.includes(mustInclude), `the confirmation says ${mustInclude}: ${JSON.stringify(text)}`);
  }
  await click(session, '[data-testid=confirm-ok]');
  await session.until(
    async () => {
      const d = await session.find('[data-testid=confirm-dialog]');
      return !d || !(await d.displayed());
    },
    { message: 'the confirmation closes' },
  );
}

test('bulk delete to the trash, then restore', async (t) => {
  await withApp(t, { name: 'trash', prepare }, async ({ session }) => {
    await waitCount(session, 4);
    await waitRows(session, NAMES);

    const rows = await session.findAll('[data-testid=customer-row]');
    const picked = [];
    for (const row of rows.slice(0, 2)) {
      const name = await (await row.find('[data-testid=row-name]')).content();
      picked.push({ id: await row.attribute('data-id'), name: name.trim() });
    }
    await selectRows(session, picked.map((p) => p.id));

    await click(session, '[data-testid=delete-selected]');
    await confirm(session, { mustInclude: '2' });
    await waitCount(session, 2, 'customers after deleting two');
    await waitRows(session, NAMES.filter((n) => !picked.some((p) => p.name === n)));

    await click(session, '[data-testid=nav-trash]');
    await waitRows(session, picked.map((p) => p.name));
    await selectRows(session, picked.map((p) => p.id));
    await click(session, '[data-testid=restore-selected]');
    // Restoring is harmless; a confirmation is allowed but not required.
    const asked = await session
      .waitFor('[data-testid=confirm-dialog]', { visible: true, timeoutMs: 1_500 })
      .then(() => true)
      .catch(() => false);
    if (asked) await confirm(session);
    await session.until(async () => (await session.findAll('[data-testid=customer-row]')).length === 0, {
      message: 'the trash is empty after restoring',
    });

    await click(session, '[data-testid=nav-customers]');
    await waitCount(session, 4, 'customers after restoring');
    await waitRows(session, NAMES);
  });
});

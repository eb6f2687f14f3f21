// (d) Import a messy spreadsheet through the wizard — file, columns, preview, import — see the
// customers in the list, then revert the import from "Recent imports" and see them gone. Once in
// English and once in Vietnamese, with a screenshot of every step (tests/e2e/screenshots/).
//
// The native open dialog cannot be driven by WebDriver: the debug build's test seam
// CLIENTELE_TEST_IMPORT_FILE names the file "Choose a file…" returns
// (src-tauri/src/transfer_commands.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { ROOT, SCREENSHOTS, click, initDatabase, waitCount, withApp } from './lib/app.mjs';

const SAMPLE = resolve(ROOT, '../shared/samples/customers-dirty-500.xlsx');
const EXPECTED = JSON.parse(readFileSync(`${SAMPLE}.expected.json`, 'utf8'));

process.env.CLIENTELE_TEST_IMPORT_FILE = SAMPLE;

async function shot(session, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(join(SCREENSHOTS, `${name}.png`), await session.screenshot());
}

async function waitStep(session, step) {
  let last;
  await session.until(
    async () => {
      const w = await session.find('[data-testid=import-wizard]');
      last = w ? [await w.attribute('data-step'), await w.attribute('data-busy')] : null;
      return last && last[0] === step && last[1] === '';
    },
    { timeoutMs: 60_000, message: () => `wizard step ${step}, idle: got ${JSON.stringify(last)}` },
  );
}

async function countOf(session, id) {
  const el = await session.waitFor(`[data-testid=import-count-${id}]`);
  return Number(await el.attribute('data-count'));
}

async function confirm(session) {
  await session.waitFor('[data-testid=confirm-dialog]', { visible: true });
  await click(session, '[data-testid=confirm-ok]');
  await session.until(async () => !(await session.find('[data-testid=confirm-dialog]')), { message: 'the confirmation closes' });
}

async function importAndRevert(session, lang) {
  await waitCount(session, 0, 'customers before the import');
  if (lang === 'vi') {
    const select = await session.waitFor('[data-testid=lang-select]', { visible: true });
    await select.setValue('vi');
    await session.until(async () => (await session.execute('return document.documentElement.lang')) === 'vi', { message: 'Vietnamese UI' });
  }

  // A file hovering over the window shows the drop zone (the event Tauri sends while a file is
  // dragged over the window, emitted here from the page since WebDriver cannot drag files).
  if (lang === 'en') {
    const emit = (event) =>
      session.execute('return window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event: arguments[0], payload: null })', [event]);
    await emit('tauri://drag-enter');
    await session.waitFor('[data-testid=drop-overlay]', { visible: true });
    await shot(session, `import-${lang}-0-drop-overlay`);
    await emit('tauri://drag-leave');
    await session.until(async () => !(await session.find('[data-testid=drop-overlay]')), { message: 'the drop zone goes away' });
  }

  // 1. The file.
  await click(session, '[data-testid=transfer-menu-toggle]');
  await click(session, '[data-testid=open-import]');
  await waitStep(session, 'file');
  await shot(session, `import-${lang}-1-start`);
  await click(session, '[data-testid=import-choose-file]');
  await session.waitFor('[data-testid=import-file-card]', { visible: true, timeoutMs: 60_000 });
  await waitStep(session, 'file');
  const name = await (await session.find('[data-testid=import-file-name]')).content();
  assert.equal(name, 'customers-dirty-500.xlsx');
  assert.equal(await (await session.find('[data-testid=import-format]')).content(), 'XLSX');
  await shot(session, `import-${lang}-1-file`);

  // 2. The columns: every header mapped as the sample says, the unknown one ignored.
  await click(session, '[data-testid=import-next]');
  await waitStep(session, 'mapping');
  const rows = await session.findAll('[data-testid=import-map-row]');
  assert.equal(rows.length, EXPECTED.columns.length);
  const fields = [];
  for (const r of rows) fields.push((await r.attribute('data-field')) || null);
  assert.deepEqual(
    fields,
    EXPECTED.columns.map((c) => c.field),
  );
  await shot(session, `import-${lang}-2-mapping`);

  // 3. The preview: the sample's counts.
  await click(session, '[data-testid=import-next]');
  await waitStep(session, 'preview');
  const e = EXPECTED.expected;
  assert.equal(await countOf(session, 'rows'), e.data_rows);
  assert.equal(await countOf(session, 'valid'), e.valid_rows);
  assert.equal(await countOf(session, 'invalid'), e.invalid_rows);
  assert.equal(await countOf(session, 'duplicate_groups'), e.duplicate_groups);
  assert.equal(await countOf(session, 'created'), e.customers_after_merging_duplicates);
  const reasons = {};
  for (const r of await session.findAll('[data-testid=import-reason]')) {
    reasons[await r.attribute('data-code')] = Number(await r.attribute('data-count'));
  }
  assert.deepEqual(reasons, e.invalid_by_reason);
  assert.ok((await session.findAll('[data-testid=import-error-row]')).length >= e.invalid_rows, 'the first errors are listed');
  await shot(session, `import-${lang}-3-preview`);

  // 4. The import.
  await click(session, '[data-testid=import-next]');
  await waitStep(session, 'result');
  assert.equal(await countOf(session, 'created'), e.customers_after_merging_duplicates);
  await waitCount(session, e.customers_after_merging_duplicates, 'customers behind the wizard after the import');
  await shot(session, `import-${lang}-4-result`);
  await click(session, '[data-testid=import-done]');
  await session.until(async () => !(await session.find('[data-testid=import-wizard]')), { message: 'the wizard closes' });
  await waitCount(session, e.customers_after_merging_duplicates, 'customers in the list after the import');
  await session.waitFor('[data-testid=customer-row]', { visible: true });

  // Revert it from the recent imports.
  await click(session, '[data-testid=transfer-menu-toggle]');
  await click(session, '[data-testid=open-import-history]');
  await session.waitFor('[data-testid=import-batch]', { visible: true });
  await shot(session, `import-${lang}-5-history`);
  await click(session, '[data-testid=import-batch-revert]');
  await confirm(session);
  await session.waitFor('[data-testid=import-batch-reverted]', { timeoutMs: 30_000 });
  await waitCount(session, 0, 'customers after reverting the import');
  await shot(session, `import-${lang}-6-reverted`);
}

test('import a spreadsheet through the wizard, then revert it (English)', async (t) => {
  await withApp(t, { name: 'import-en', prepare: initDatabase }, async ({ session }) => importAndRevert(session, 'en'));
});

test('the same in Vietnamese', async (t) => {
  await withApp(t, { name: 'import-vi', prepare: initDatabase }, async ({ session }) => importAndRevert(session, 'vi'));
});

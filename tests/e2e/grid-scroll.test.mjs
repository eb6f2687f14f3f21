// The customer list scrolls through every row: the page cache fills as the user scrolls, and
// the last row is reached at the bottom of the scrollbar.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { cli, initDatabase, waitCount, withApp } from './lib/app.mjs';

const N = 3000;

/** Indexes of the rows drawn inside the scroll element's visible box. */
const VISIBLE_ROWS = `
  const body = document.querySelector('.grid-body');
  const box = body.getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid=customer-row]')]
    .filter((r) => { const b = r.getBoundingClientRect(); return b.bottom > box.top && b.top < box.bottom; })
    .map((r) => Number(r.dataset.index))
    .sort((a, b) => a - b);`;

test('the list scrolls to its middle and to its last row', async (t) => {
  const prepare = (dataDir) => {
    initDatabase(dataDir);
    cli(dataDir, 'demo', '--customers', String(N));
  };
  await withApp(t, { name: 'grid-scroll', prepare }, async ({ session }) => {
    await waitCount(session, N);
    for (const [fraction, wanted] of [
      [0.5, Math.floor(N / 2)],
      [1, N - 1],
    ]) {
      await session.execute(
        `const b = document.querySelector('.grid-body'); b.scrollTop = ${fraction} * (b.scrollHeight - b.clientHeight);`,
      );
      let shown = [];
      await session.until(
        async () => {
          shown = await session.execute(VISIBLE_ROWS);
          return shown.length > 5 && shown[0] <= wanted && shown[shown.length - 1] >= wanted - 20;
        },
        { timeoutMs: 15_000, message: () => `scrolled to ${fraction}: rows shown ${JSON.stringify(shown)}` },
      );
      if (fraction === 1) assert.equal(shown[shown.length - 1], N - 1, 'the last row is shown at the bottom');
    }
  });
});

// Issue 3: a customer photo chosen in the form (the native dialog stood in for by
// CLIENTELE_TEST_PICK_FILE, debug builds only) is saved with the customer and shown in the
// profile as a thumbnail, served by the app's `photo:` scheme at most 256 pixels a side.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

import { click, initDatabase, typeInto, waitCount, waitRows, withApp } from './lib/app.mjs';

/** A `w`×`h` RGB PNG of a colour gradient. */
function png(w, h) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    for (let x = 0; x < w; x++) raw.set([x % 256, y % 256, 160], row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const picture = join(mkdtempSync(join(tmpdir(), 'clientele-photo-')), 'chan-dung.png');
writeFileSync(picture, png(1200, 900));
process.env.CLIENTELE_TEST_PICK_FILE = picture;

test('a photo chosen in the form shows as a thumbnail in the profile', async (t) => {
  await withApp(t, { name: 'photo', prepare: initDatabase }, async ({ session }) => {
    await waitCount(session, 0);
    await click(session, '[data-testid=new-customer]');
    await session.waitFor('[data-testid=customer-form]', { visible: true });
    await typeInto(session, '[data-testid=field-name]', 'Phạm Thị Ảnh');
    await click(session, '[data-testid=photo-pick]');
    const status = await session.waitFor('[data-testid=photo-status]', { visible: true });
    await session.until(async () => (await status.content()).includes('chan-dung.png'), { message: 'the chosen file is named' });
    await click(session, '[data-testid=save-customer]');
    await session.until(async () => !(await session.find('[data-testid=customer-form]')), { message: 'the form closes' });
    await waitRows(session, ['Phạm Thị Ảnh']);

    await (await session.find('[data-testid=customer-row]')).click();
    await session.waitFor('[data-testid=customer-detail]', { visible: true });
    await session.waitFor('[data-testid=detail-photo] img');
    let size = null;
    await session.until(
      async () => {
        size = await session.execute(
          `const img = document.querySelector('[data-testid=detail-photo] img');
           return img && img.complete && img.naturalWidth > 0
             ? { w: img.naturalWidth, h: img.naturalHeight, src: img.getAttribute('src') } : null;`,
        );
        return size !== null;
      },
      { message: 'the profile photo loads' },
    );
    assert.deepEqual([size.w, size.h], [256, 192], `a 256×192 thumbnail of the 1200×900 photo (${size.src})`);
    assert.match(size.src, /size=thumb/);
  });
});

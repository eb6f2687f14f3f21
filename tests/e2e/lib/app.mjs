// Starts the real app for one test: a fresh data folder prepared with the core CLI, tauri-driver
// in its own process group on free ports, a WebDriver session; and always tears all of it down.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { WebDriver } from './webdriver.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const APP = process.env.CLIENTELE_APP || join(ROOT, 'target/debug/clientele-app');
export const CLI = process.env.CLIENTELE_CLI || join(ROOT, 'target/debug/clientele');
export const SCREENSHOTS = join(ROOT, 'tests/e2e/screenshots');

function tauriDriverPath() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const cargoBin = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin', 'tauri-driver');
  return existsSync(cargoBin) ? cargoBin : 'tauri-driver';
}

/** A new empty data folder (plus private XDG folders, so nothing leaks between tests). */
export function makeDataDir() {
  const base = mkdtempSync(join(tmpdir(), 'clientele-e2e-'));
  const data = join(base, 'data');
  for (const d of ['data', 'xdg-config', 'xdg-data', 'xdg-cache']) mkdirSync(join(base, d));
  return { base, data };
}

/** Run the core CLI on a data folder; returns stdout (parsed when `--json` is among the args). */
export function cli(dataDir, ...args) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it with \`cargo build -p clientele\``);
  const out = execFileSync(CLI, ['--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CLIENTELE_DATA_DIR: dataDir },
  });
  return args.includes('--json') ? JSON.parse(out) : out;
}

/** The database with its first administrator (no password, so the app signs in by itself). */
export function initDatabase(dataDir) {
  cli(dataDir, 'init', '--admin-name', 'Test Admin', '--admin-email', 'admin@example.com');
}

export function addCustomer(dataDir, { name, phones = [], emails = [] }) {
  const args = ['customers', 'add', '--name', name];
  for (const p of phones) args.push('--phone', p);
  for (const e of emails) args.push('--email', e);
  cli(dataDir, ...args);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Launch the app on a prepared data folder. Returns `{ session, dataDir, log, stop }`; call
 * `stop()` in a `finally` (or use `withApp`).
 */
export async function launch(dirs) {
  if (!existsSync(APP)) {
    throw new Error(`${APP} is missing: build it with \`ui/node_modules/.bin/tauri build --debug --no-bundle\``);
  }
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const env = {
    ...process.env,
    CLIENTELE_DATA_DIR: dirs.data,
    XDG_CONFIG_HOME: join(dirs.base, 'xdg-config'),
    XDG_DATA_HOME: join(dirs.base, 'xdg-data'),
    XDG_CACHE_HOME: join(dirs.base, 'xdg-cache'),
  };
  const log = [];
  // Own process group: killing it also ends WebKitWebDriver and the app (pitfall 6).
  const driverProc = spawn(tauriDriverPath(), ['--port', String(port), '--native-port', String(nativePort)], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  driverProc.stdout.on('data', (b) => log.push(b.toString()));
  driverProc.stderr.on('data', (b) => log.push(b.toString()));
  let exited = null;
  driverProc.on('exit', (code, signal) => (exited = { code, signal }));
  driverProc.on('error', (e) => (exited = { error: String(e) }));

  let session = null;
  const stop = async () => {
    if (session) {
      try {
        await session.delete();
      } catch (e) {
        log.push(`delete session: ${e.message}\n`);
      }
      session = null;
    }
    killGroup(driverProc, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    killGroup(driverProc, 'SIGKILL');
    driverProc.stdout.destroy();
    driverProc.stderr.destroy();
  };

  try {
    const driver = new WebDriver(`http://127.0.0.1:${port}`);
    const end = Date.now() + 20_000;
    while (!(await driver.ready())) {
      if (exited) throw new Error(`tauri-driver exited: ${JSON.stringify(exited)}\n${log.join('')}`);
      if (Date.now() > end) throw new Error(`tauri-driver did not answer on port ${port}\n${log.join('')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    session = await driver.newSession({ alwaysMatch: { 'tauri:options': { application: APP } } });
    return { session, dataDir: dirs.data, log, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Wait until the app has its session and first page (`body[data-ready="1"]`). */
export async function waitReady(session) {
  await session.waitFor('body[data-ready="1"]', { timeoutMs: 30_000 });
}

/**
 * The whole life of one test: data folder → `prepare(dataDir)` → app → `fn(app)` → screenshot →
 * session deleted and processes killed, whatever happens. The data folder is kept when the test
 * fails, and its path printed.
 */
export async function withApp(t, { name, prepare }, fn) {
  const dirs = makeDataDir();
  let ok = false;
  let app;
  try {
    if (prepare) await prepare(dirs.data);
    app = await launch(dirs);
    await waitReady(app.session);
    await fn(app);
    ok = true;
  } finally {
    if (app) {
      try {
        mkdirSync(SCREENSHOTS, { recursive: true });
        writeFileSync(join(SCREENSHOTS, `${name}.png`), await app.session.screenshot());
      } catch (e) {
        t.diagnostic(`screenshot failed: ${e.message}`);
      }
      await app.stop();
      if (!ok) t.diagnostic(`driver log:\n${app.log.join('').slice(-4000)}`);
    }
    if (ok) rmSync(dirs.base, { recursive: true, force: true });
    else t.diagnostic(`data folder kept: ${dirs.base}`);
  }
}

// --- reading the DOM contract ---------------------------------------------------------------------

export async function customerCount(session) {
  const el = await session.find('[data-testid=customer-count]');
  if (!el) return null;
  const v = await el.attribute('data-count');
  return v === null ? null : Number(v);
}

export async function waitCount(session, expected, what = 'customer count') {
  let last;
  await session.until(
    async () => {
      last = await customerCount(session);
      return last === expected;
    },
    { timeoutMs: 15_000, message: () => `${what}: expected ${expected}, got ${last}` },
  );
}

/** Names of the rows shown, in order (NFC). */
export async function rowNames(session) {
  const names = [];
  for (const row of await session.findAll('[data-testid=customer-row]')) {
    const name = await row.find('[data-testid=row-name]');
    names.push(name ? await name.content() : '');
  }
  return names.map((n) => n.trim());
}

/** Wait until the rows shown are exactly `expected` (order ignored). */
export async function waitRows(session, expected) {
  const want = [...expected].map((n) => n.normalize('NFC')).sort();
  let last;
  await session.until(
    async () => {
      last = (await rowNames(session)).sort();
      return JSON.stringify(last) === JSON.stringify(want);
    },
    { timeoutMs: 15_000, message: () => `rows: expected ${JSON.stringify(want)}, got ${JSON.stringify(last)}` },
  );
}

export async function click(session, css) {
  const el = await session.waitFor(css, { visible: true });
  await el.click();
  return el;
}

export async function typeInto(session, css, text) {
  const el = await session.waitFor(css, { visible: true });
  await el.type(text);
  return el;
}

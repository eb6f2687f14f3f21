// A tiny W3C WebDriver client over fetch: just what the end-to-end tests use.
// Every request has a timeout, so a stuck driver fails a test instead of hanging CI.

export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    const error = value?.error ?? `http ${status}`;
    super(`${method} ${path}: ${error}: ${value?.message ?? JSON.stringify(value)}`);
    this.error = error;
    this.status = status;
  }
}

/** Low-level client for one WebDriver server (e.g. tauri-driver on http://127.0.0.1:4444). */
export class WebDriver {
  constructor(baseUrl, { timeoutMs = 30_000 } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.timeoutMs = timeoutMs;
  }

  async request(method, path, body, { timeoutMs = this.timeoutMs } = {}) {
    let res;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const why = e?.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : String(e?.cause ?? e);
      throw new WebDriverError(method, path, 0, { error: 'request failed', message: why });
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = { value: { error: 'bad response', message: text.slice(0, 300) } };
    }
    if (!res.ok) throw new WebDriverError(method, path, res.status, json.value);
    return json.value;
  }

  /** True once the server answers /status. */
  async ready() {
    try {
      await this.request('GET', '/status', undefined, { timeoutMs: 2_000 });
      return true;
    } catch {
      return false;
    }
  }

  async newSession(capabilities, { timeoutMs = 60_000 } = {}) {
    const value = await this.request('POST', '/session', { capabilities }, { timeoutMs });
    return new Session(this, value.sessionId);
  }
}

/** One session: the app under test. */
export class Session {
  constructor(driver, id) {
    this.driver = driver;
    this.id = id;
  }

  cmd(method, path, body, opts) {
    return this.driver.request(method, `/session/${this.id}${path}`, body, opts);
  }

  async delete() {
    await this.cmd('DELETE', '', undefined, { timeoutMs: 15_000 });
  }

  // --- elements ------------------------------------------------------------------------------

  /** The first element matching a CSS selector, or null. */
  async find(css, within) {
    try {
      const path = within ? `/element/${within.id}/element` : '/element';
      return new Element(this, (await this.cmd('POST', path, { using: 'css selector', value: css }))[ELEMENT_KEY]);
    } catch (e) {
      if (e.error === 'no such element') return null;
      throw e;
    }
  }

  async findAll(css, within) {
    const path = within ? `/element/${within.id}/elements` : '/elements';
    const list = await this.cmd('POST', path, { using: 'css selector', value: css });
    return list.map((ref) => new Element(this, ref[ELEMENT_KEY]));
  }

  /** Wait for an element matching `css` (and, optionally, displayed). */
  async waitFor(css, { timeoutMs = 15_000, visible = false } = {}) {
    let found = null;
    await this.until(
      async () => {
        found = await this.find(css);
        if (found && visible) return found.displayed();
        return Boolean(found);
      },
      { timeoutMs, message: `no ${visible ? 'visible ' : ''}element matches ${css}` },
    );
    return found;
  }

  /** Poll `check` until it returns a truthy value; fail with `message` after `timeoutMs`. */
  async until(check, { timeoutMs = 15_000, intervalMs = 150, message = 'condition not met' } = {}) {
    const end = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const v = await check();
        if (v) return v;
        last = v;
      } catch (e) {
        // Elements go stale while Lit re-renders: retry.
        if (!['stale element reference', 'no such element'].includes(e.error)) throw e;
        last = e;
      }
      if (Date.now() > end) {
        const detail = typeof message === 'function' ? await message(last) : message;
        throw new Error(`timed out after ${timeoutMs} ms: ${detail}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  async execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** PNG bytes of the window. */
  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot', undefined, { timeoutMs: 20_000 }), 'base64');
  }

  async title() {
    return this.cmd('GET', '/title');
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  cmd(method, path, body, opts) {
    return this.session.cmd(method, `/element/${this.id}${path}`, body, opts);
  }

  toJSON() {
    return { [ELEMENT_KEY]: this.id };
  }

  find(css) {
    return this.session.find(css, this);
  }

  findAll(css) {
    return this.session.findAll(css, this);
  }

  /** Click like a user; fall back to a DOM click when something overlays the element. */
  async click() {
    try {
      await this.cmd('POST', '/click', {});
    } catch (e) {
      if (!['element click intercepted', 'element not interactable'].includes(e.error)) throw e;
      await this.session.execute('arguments[0].scrollIntoView({block: "center"}); arguments[0].click();', [this]);
    }
  }

  /**
   * Replace the value of an input: clear it, type the text, and check the result. When the
   * driver could not type a character (some non-ASCII keys), set the value as the browser would
   * and fire `input` and `change`.
   */
  async type(text) {
    await this.setValue('');
    if (text === '') return;
    try {
      await this.cmd('POST', '/value', { text });
    } catch (e) {
      if (e.error !== 'element not interactable') throw e;
    }
    const value = await this.property('value');
    if ((value ?? '').normalize('NFC') !== text.normalize('NFC')) await this.setValue(text);
  }

  /** Set an input's value from script and fire the events a user's typing fires. */
  async setValue(text) {
    await this.session.execute(
      `const el = arguments[0];
       const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
         : el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
       Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, arguments[1]);
       el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
       el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));`,
      [this, text],
    );
  }

  /** Rendered text as WebDriver sees it (empty for what it judges not displayed). */
  async text() {
    return (await this.cmd('GET', '/text')).normalize('NFC');
  }

  /**
   * The DOM's text, whitespace collapsed. WebKitWebDriver's rendered text is empty for grid
   * cells of the virtualised list (its visibility check rejects them), so read the DOM instead.
   */
  async content() {
    const text = (await this.property('textContent')) ?? '';
    return text.replace(/\s+/g, ' ').trim().normalize('NFC');
  }

  attribute(name) {
    return this.cmd('GET', `/attribute/${encodeURIComponent(name)}`);
  }

  property(name) {
    return this.cmd('GET', `/property/${encodeURIComponent(name)}`);
  }

  displayed() {
    return this.cmd('GET', '/displayed');
  }

  selected() {
    return this.cmd('GET', '/selected');
  }
}

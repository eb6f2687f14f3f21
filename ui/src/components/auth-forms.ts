// First run (create the administrator) and sign-in screens.

import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';

import type { FieldError } from '../bindings/FieldError';
import type { SessionInfo } from '../bindings/SessionInfo';
import type { Staff } from '../bindings/Staff';
import { errorText, fieldErrorText, t } from '../i18n';
import * as ipc from '../ipc';
import { BaseElement } from './base';
import { languageSelect } from './language-select';

function emitSession(el: HTMLElement, info: SessionInfo): void {
  el.dispatchEvent(new CustomEvent<SessionInfo>('session', { detail: info, bubbles: true }));
}

@customElement('clientele-setup')
export class ClienteleSetup extends BaseElement {
  @state() private busy = false;
  @state() private banner = '';
  @state() private errors: FieldError[] = [];

  protected override firstUpdated(): void {
    this.querySelector<HTMLInputElement>('[data-testid=setup-name]')?.focus();
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const form = e.currentTarget as HTMLFormElement;
    const value = (id: string) => (form.querySelector<HTMLInputElement>(`[data-testid=${id}]`)?.value ?? '');
    const password = value('setup-password');
    this.busy = true;
    this.banner = '';
    this.errors = [];
    try {
      const info = await ipc.initAdmin({
        name: value('setup-name'),
        email: value('setup-email'),
        password: password === '' ? null : password,
        role: 'admin',
      });
      emitSession(this, info);
    } catch (err) {
      const api = ipc.toApiError(err);
      this.errors = api.fields;
      this.banner = errorText(api.body);
    } finally {
      this.busy = false;
    }
  }

  private error(field: string) {
    const errs = this.errors.filter((e) => e.field === field);
    if (!errs.length) return nothing;
    return html`<div class="field-error" data-testid="setup-error-${field}">${errs.map((e) => fieldErrorText(e)).join(' ')}</div>`;
  }

  protected override render() {
    return html`<div class="auth-screen">
      <div class="auth-lang">${languageSelect()}</div>
      <form class="auth-card" data-testid="setup-form" novalidate @submit=${(e: Event) => void this.submit(e)}>
        <div class="brand brand-large"><span class="brand-mark" aria-hidden="true">C</span>${t('app.name')}</div>
        <h1>${t('setup.title')}</h1>
        <p class="muted">${t('setup.intro')}</p>
        ${this.banner ? html`<div class="form-banner" role="alert">${this.banner}</div>` : nothing}
        <div class="field">
          <label for="setup-name">${t('setup.name')} <span class="req">*</span></label>
          <input id="setup-name" data-testid="setup-name" autocomplete="name" required
            aria-invalid=${this.errors.some((e) => e.field === 'name') ? 'true' : 'false'} />
          ${this.error('name')}
        </div>
        <div class="field">
          <label for="setup-email">${t('setup.email')} <span class="req">*</span></label>
          <input id="setup-email" type="email" data-testid="setup-email" autocomplete="email" required
            aria-invalid=${this.errors.some((e) => e.field === 'email') ? 'true' : 'false'} />
          ${this.error('email')}
        </div>
        <div class="field">
          <label for="setup-password">${t('setup.password')}</label>
          <input id="setup-password" type="password" data-testid="setup-password" autocomplete="new-password" />
          <div class="field-hint">${t('setup.password_hint')}</div>
          ${this.error('password')}
        </div>
        <button type="submit" class="button button-primary button-block" data-testid="setup-submit" ?disabled=${this.busy}>
          ${t('setup.submit')}
        </button>
      </form>
    </div>`;
  }
}

@customElement('clientele-signin')
export class ClienteleSignin extends BaseElement {
  @state() private staff: Staff[] = [];
  @state() private selected: number | null = null;
  @state() private busy = false;
  @state() private banner = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.staff = (await ipc.listStaff()).filter((s) => s.active);
      this.selected = this.staff[0]?.id ?? null;
    } catch (e) {
      this.banner = errorText(ipc.toApiError(e).body);
    }
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.busy || this.selected === null) return;
    const form = e.currentTarget as HTMLFormElement;
    const password = form.querySelector<HTMLInputElement>('[data-testid=signin-password]')?.value ?? '';
    this.busy = true;
    this.banner = '';
    try {
      emitSession(this, await ipc.signIn(this.selected, password === '' ? null : password));
    } catch (err) {
      this.banner = errorText(ipc.toApiError(err).body);
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const current = this.staff.find((s) => s.id === this.selected);
    return html`<div class="auth-screen">
      <div class="auth-lang">${languageSelect()}</div>
      <form class="auth-card" data-testid="signin-form" novalidate @submit=${(e: Event) => void this.submit(e)}>
        <div class="brand brand-large"><span class="brand-mark" aria-hidden="true">C</span>${t('app.name')}</div>
        <h1>${t('signin.title')}</h1>
        <p class="muted">${t('signin.intro')}</p>
        ${this.banner ? html`<div class="form-banner" role="alert" data-testid="signin-error">${this.banner}</div>` : nothing}
        <div class="field">
          <label for="signin-staff">${t('signin.staff')}</label>
          <select id="signin-staff" data-testid="signin-staff"
            @change=${(e: Event) => (this.selected = Number((e.target as HTMLSelectElement).value))}>
            ${this.staff.map(
              (s) => html`<option value=${s.id} ?selected=${s.id === this.selected}>${s.name} (${s.email})</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="signin-password">${t('signin.password')}</label>
          <input id="signin-password" type="password" data-testid="signin-password" autocomplete="current-password"
            placeholder=${current && !current.has_password ? t('signin.no_password') : ''} />
        </div>
        <button type="submit" class="button button-primary button-block" data-testid="signin-submit"
          ?disabled=${this.busy || this.selected === null}>${t('signin.submit')}</button>
      </form>
    </div>`;
  }
}

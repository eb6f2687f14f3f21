// <clientele-user-menu>: who is signed in, and a menu to switch user or sign out. Both sign out
// (the core forgets who was there) and bring the sign-in picker; the app does it on `sign-out`.

import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';

import type { Actor } from '../bindings/Actor';
import { t } from '../i18n';
import '../ownership.css';
import { BaseElement } from './base';

@customElement('clientele-user-menu')
export class ClienteleUserMenu extends BaseElement {
  @property({ attribute: false }) actor: Actor | null = null;
  @state() private open = false;

  private onDocPointer = (e: Event): void => {
    if (!this.contains(e.target as Node)) this.setOpen(false);
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.onDocPointer, true);
  }

  private setOpen(open: boolean): void {
    if (this.open === open) return;
    this.open = open;
    if (open) {
      document.addEventListener('pointerdown', this.onDocPointer, true);
      void this.updateComplete.then(() => this.querySelector<HTMLElement>('.own-menu-item')?.focus());
    } else document.removeEventListener('pointerdown', this.onDocPointer, true);
  }

  private pick(how: 'switch' | 'sign-out'): void {
    this.setOpen(false);
    this.dispatchEvent(new CustomEvent<'switch' | 'sign-out'>('sign-out', { detail: how, bubbles: true }));
  }

  private onKey = (e: KeyboardEvent): void => {
    if (!this.open) return;
    const items = [...this.querySelectorAll<HTMLElement>('.own-menu-item')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.setOpen(false);
      this.querySelector<HTMLElement>('[data-testid=user-menu-toggle]')?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };

  protected override render() {
    const actor = this.actor;
    if (!actor) return nothing;
    return html`<div class="popover-anchor own-user-anchor" @keydown=${this.onKey}>
      <button type="button" class="user own-user-button ${this.open ? 'open' : ''}" data-testid="user-menu-toggle" aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'} aria-label=${t('user.menu', { name: actor.name })}
        title=${t('top.signed_in_as', { name: actor.name })} @click=${() => this.setOpen(!this.open)}>
        <span class="avatar" aria-hidden="true">${actor.name.trim().charAt(0).toUpperCase()}</span>
        <span class="user-text">
          <span class="user-name" data-testid="current-user">${actor.name}</span>
          <span class="user-role" data-testid="current-role" data-role=${actor.role}>${t(`role.${actor.role}`)}</span>
        </span>
        <span class="own-caret" aria-hidden="true">▾</span>
      </button>
      ${this.open
        ? html`<div class="popover own-menu own-user-menu" role="menu" data-testid="user-menu" aria-label=${t('user.menu', { name: actor.name })}>
            <div class="own-menu-head"><strong>${actor.name}</strong><span class="muted small">${actor.email}</span></div>
            <button type="button" class="own-menu-item" role="menuitem" data-testid="switch-user" @click=${() => this.pick('switch')}>
              ${t('user.switch')}</button>
            <button type="button" class="own-menu-item" role="menuitem" data-testid="sign-out" @click=${() => this.pick('sign-out')}>
              ${t('top.sign_out')}</button>
          </div>`
        : nothing}
    </div>`;
  }
}

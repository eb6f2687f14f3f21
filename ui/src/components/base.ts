// Every component renders into light DOM (end-to-end tests reach everything with plain CSS
// selectors; styles come from one stylesheet) and re-renders when the language or the reference
// data (catalogs, staff, field settings) changes.

import { LitElement } from 'lit';

import { onLangChange } from '../i18n';
import { ref } from '../ref-data';

export class BaseElement extends LitElement {
  private offLang: (() => void) | undefined;
  private offRef: (() => void) | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.offLang = onLangChange(() => this.requestUpdate());
    this.offRef = ref.onChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offLang?.();
    this.offLang = undefined;
    this.offRef?.();
    this.offRef = undefined;
  }
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Keep Tab / Shift+Tab inside `container` (a modal dialog). Returns true when it moved focus. */
export function trapTab(e: KeyboardEvent, container: HTMLElement): boolean {
  if (e.key !== 'Tab') return false;
  const items = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return false;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !container.contains(active))) {
    e.preventDefault();
    last.focus();
    return true;
  }
  if (!e.shiftKey && (active === last || !container.contains(active))) {
    e.preventDefault();
    first.focus();
    return true;
  }
  return false;
}

// The language picker used on every screen; the choice is saved through the core.

import { html } from 'lit';

import type { Language } from '../bindings/Language';
import { lang, languages, setLang, t } from '../i18n';
import * as ipc from '../ipc';
import { toastError } from './toasts';

export async function changeLanguage(l: Language): Promise<void> {
  setLang(l);
  try {
    await ipc.setLanguage(l);
  } catch (e) {
    toastError(e);
  }
}

export function languageSelect() {
  const current = lang();
  return html`<label class="lang-select">
    <span class="sr-only">${t('top.language')}</span>
    <select data-testid="lang-select" title=${t('top.language')} .value=${current}
      @change=${(e: Event) => void changeLanguage((e.target as HTMLSelectElement).value as Language)}>
      ${languages.map((l) => html`<option value=${l} ?selected=${l === current}>${t(`lang.${l}`)}</option>`)}
    </select>
  </label>`;
}

// Icons of the import wizard, the export dialog and their menu (same style as icons.ts).

import { html, svg as s, type SVGTemplateResult } from 'lit';

const svg = (body: SVGTemplateResult, size = 18) =>
  html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
    stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const iconTransfer = (size?: number) =>
  svg(s`<path d="M7 4v13"/><path d="M3 13l4 4 4-4"/><path d="M17 20V7"/><path d="M13 11l4-4 4 4"/>`, size);
export const iconUpload = (size?: number) =>
  svg(s`<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4"/><path d="M17 8l-5-5-5 5"/><path d="M12 3v12"/>`, size);
export const iconDownload = (size?: number) =>
  svg(s`<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4"/><path d="M7 10l5 5 5-5"/><path d="M12 15V3"/>`, size);
export const iconSheet = (size?: number) =>
  svg(s`<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5"/><path d="M8 13h8"/><path d="M8 17h8"/><path d="M12 11v8"/>`, size);
export const iconHistory = (size?: number) =>
  svg(s`<path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5"/><path d="M12 7v5l3 2"/>`, size);
export const iconCheck = (size?: number) => svg(s`<path d="M20 6L9 17l-5-5"/>`, size);
export const iconUp = (size?: number) => svg(s`<path d="M18 15l-6-6-6 6"/>`, size);
export const iconDown = (size?: number) => svg(s`<path d="M6 9l6 6 6-6"/>`, size);
export const iconArrowRight = (size?: number) => svg(s`<path d="M5 12h14"/><path d="M13 6l6 6-6 6"/>`, size);

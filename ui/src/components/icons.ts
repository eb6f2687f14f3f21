// Small inline SVG icons (no icon font, no emoji: they render the same on every platform).

import { html, svg as s, type SVGTemplateResult } from 'lit';

const svg = (body: SVGTemplateResult, size = 18) =>
  html`<svg class="icon" width=${size} height=${size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
    stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const iconUsers = (size?: number) =>
  svg(s`<path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/><path d="M22 21v-2a4 4 0 0 0-3-3.87"/><path d="M16 3.13a4 4 0 0 1 0 7.75"/>`, size);
export const iconTrash = (size?: number) =>
  svg(s`<path d="M3 6h18"/><path d="M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6"/><path d="M10 11v6"/><path d="M14 11v6"/><path d="M9 6V4a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2"/>`, size);
export const iconSearch = (size?: number) =>
  svg(s`<circle cx="11" cy="11" r="7"/><path d="M21 21l-4.35-4.35"/>`, size);
export const iconPlus = (size?: number) => svg(s`<path d="M12 5v14"/><path d="M5 12h14"/>`, size);
export const iconClose = (size?: number) => svg(s`<path d="M18 6L6 18"/><path d="M6 6l12 12"/>`, size);

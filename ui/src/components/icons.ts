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
export const iconColumns = (size?: number) =>
  svg(s`<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M9 4v16"/><path d="M15 4v16"/>`, size);
export const iconFilter = (size?: number) => svg(s`<path d="M3 5h18l-7 8v6l-4 2v-8z"/>`, size);
export const iconSettings = (size?: number) =>
  svg(s`<circle cx="12" cy="12" r="3"/><path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z"/>`, size);
export const iconDuplicate = (size?: number) =>
  svg(s`<circle cx="9" cy="8" r="3.5"/><circle cx="16" cy="10" r="3"/><path d="M3 20v-1a5 5 0 0 1 5-5h2a5 5 0 0 1 5 5v1"/><path d="M17 14a4 4 0 0 1 4 4v2"/>`, size);
export const iconViews = (size?: number) =>
  svg(s`<path d="M19 21l-7-5-7 5V5a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2z"/>`, size);

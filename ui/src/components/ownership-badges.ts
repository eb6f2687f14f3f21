// A customer's ownership state as small badges: locked (a lock icon with its word for screen
// readers), in the pool, pending, rejected (with the reason), inactive. Text only.

import { html, nothing, svg as svgPart, type SVGTemplateResult } from 'lit';

import type { Approval } from '../bindings/Approval';
import { t, type MessageKey } from '../i18n';
import { stateOf, type OwnershipState } from '../ownership';
import '../ownership.css';

const APPROVAL: Record<Approval, MessageKey> = {
  approved: 'own.approval.approved',
  pending: 'own.approval.pending',
  rejected: 'own.approval.rejected',
};

export function approvalLabel(v: string): string {
  return v in APPROVAL ? t(APPROVAL[v as Approval]) : v;
}

/** A padlock (🔒) drawn as SVG, so that it shows without an emoji font. */
export function padlock(size = 12) {
  return html`<svg class="own-padlock" width=${size} height=${size} viewBox="0 0 16 16" aria-hidden="true" focusable="false"
    ><rect x="2.5" y="7" width="11" height="8" rx="1.6" fill="currentColor" /><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none"
    stroke="currentColor" stroke-width="1.8" /></svg>`;
}

/** The lock: an icon, with "Locked" for screen readers and as a tooltip. */
export function lockIcon(compact = false) {
  return html`<span class="own-lock ${compact ? 'own-lock-compact' : ''}" data-testid="badge-locked" title=${t('own.badge.locked_hint')}
    >${padlock()}${compact ? html`<span class="sr-only">${t('own.badge.locked')}</span>` : html`<span class="own-lock-text">${t('own.badge.locked')}</span>`}</span>`;
}

const svg = (body: SVGTemplateResult) =>
  html`<svg class="own-state-svg" width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.4"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

/** Small icons for the grid (the word is in the tooltip and for screen readers). */
export const stateIcons = {
  pool: () => svg(svgPart`<path d="M3 10h18l-2 9H5z" /><path d="M8 10V7a4 4 0 0 1 8 0v3" />`),
  pending: () => svg(svgPart`<circle cx="12" cy="12" r="9" /><path d="M12 7v5l3 2" />`),
  rejected: () => svg(svgPart`<circle cx="12" cy="12" r="9" /><path d="M9 9l6 6M15 9l-6 6" />`),
  inactive: () => svg(svgPart`<circle cx="12" cy="12" r="9" /><path d="M10 9v6M14 9v6" />`),
};

type Kind = keyof typeof stateIcons;

function badge(kind: Kind, label: string, compact: boolean, title = label, text = label) {
  return compact
    ? html`<span class="own-icon own-icon-${kind}" data-testid="badge-${kind}" title=${title}>${stateIcons[kind]()}<span class="sr-only">${title}</span></span>`
    : html`<span class="badge own-badge own-badge-${kind}" data-testid="badge-${kind}" title=${title}>${text}</span>`;
}

/**
 * Badges for a row or a customer; nothing for an ordinary one. `compact` (the grid): icons, the
 * words in tooltips and for screen readers. The rejection reason is in the badge unless
 * `withReason` is off (then in the tooltip only).
 */
export function stateBadges(x: OwnershipState | object, compact = false, withReason = !compact) {
  const s = stateOf(x);
  const parts = [];
  if (s.locked) parts.push(lockIcon(compact));
  if (s.in_pool) parts.push(badge('pool', t('own.badge.pool'), compact));
  if (s.approval === 'pending') parts.push(badge('pending', t('own.badge.pending'), compact));
  else if (s.approval === 'rejected') {
    const reason = s.approval_reason?.trim() ?? '';
    const full = reason ? t('own.badge.rejected_reason', { reason }) : t('own.badge.rejected');
    parts.push(badge('rejected', t('own.badge.rejected'), compact, full, withReason ? full : t('own.badge.rejected')));
  }
  if (s.active === false) parts.push(badge('inactive', t('own.badge.inactive'), compact));
  if (!parts.length) return nothing;
  return html`<span class="own-badges ${compact ? 'own-badges-compact' : ''}" data-testid="state-badges">${parts}</span>`;
}

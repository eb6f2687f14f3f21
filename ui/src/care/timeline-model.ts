// Timeline paging without DOM: a key that tells entries apart across pages (activities and
// history entries have ids of their own). The core gives each entry the cursor to read on from.

import type { TimelineEntry } from './types';

export function timelineKey(e: TimelineEntry): string {
  return `${e.cursor.history ? 'h' : 'a'}${e.cursor.id}`;
}

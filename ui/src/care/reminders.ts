// The signed-in staff member's "care reminders" preference (`care.reminders`, on unless turned
// off). The shell's reminder task reads the same preference before notifying.

import * as ipc from '../ipc';

export const REMINDERS_PREF = 'care.reminders';

/** Whether reminders are on: anything but an explicit `false` is on. */
export function remindersOn(value: unknown): boolean {
  return value !== false;
}

export async function loadReminders(): Promise<boolean> {
  return remindersOn(await ipc.uiPref(REMINDERS_PREF));
}

export async function saveReminders(on: boolean): Promise<void> {
  await ipc.setUiPref(REMINDERS_PREF, on);
}

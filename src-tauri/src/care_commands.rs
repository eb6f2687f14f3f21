//! Care schedule commands: one thin adapter per operation of `clientele::care` (schedule,
//! complete, reschedule, cancel, the Care view's pages and counts, a customer's timeline, the
//! recurring rules), and the reminders: a background task that, at start-up and every few
//! minutes, shows a desktop notification for each of the signed-in member's activities due soon.
//! Every rule (who sees and changes which activity, the reminders preference) lives in the core.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clientele::Result;
use clientele::actor::Actor;
use clientele::care::{
    self, CareActivity, CareCounts, CareCursor, CareFilter, CareInput, CarePage, CareRule, CareRuleInput, Completed,
    TimelineCursor, TimelineEntry, TimelineKind,
};
use clientele::settings::Language;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

type S<'a> = tauri::State<'a, AppState>;

#[tauri::command]
pub async fn care_schedule(state: S<'_>, customer_id: i64, input: CareInput) -> Result<CareActivity> {
    let actor = state.actor().await?;
    care::schedule(&state.store, &actor, customer_id, input).await
}

/// Mark done with its outcome; `next` is scheduled in the same transaction.
#[tauri::command]
pub async fn care_complete(state: S<'_>, id: i64, outcome: String, next: Option<CareInput>) -> Result<Completed> {
    let actor = state.actor().await?;
    care::complete(&state.store, &actor, id, &outcome, next).await
}

/// `due` is a local date or date and time in `tz` (null: the activity's zone).
#[tauri::command]
pub async fn care_reschedule(state: S<'_>, id: i64, due: String, tz: Option<String>) -> Result<CareActivity> {
    let actor = state.actor().await?;
    care::reschedule(&state.store, &actor, id, &due, tz.as_deref()).await
}

#[tauri::command]
pub async fn care_cancel(state: S<'_>, id: i64, reason: Option<String>) -> Result<CareActivity> {
    let actor = state.actor().await?;
    care::cancel(&state.store, &actor, id, reason.as_deref()).await
}

#[tauri::command]
pub async fn care_get(state: S<'_>, id: i64) -> Result<CareActivity> {
    let actor = state.actor().await?;
    care::get(&state.store, &actor, id).await
}

/// One page of the Care view (keyset: `after` is the previous page's `next`).
#[tauri::command]
pub async fn care_list(state: S<'_>, filter: CareFilter, after: Option<CareCursor>, limit: u32) -> Result<CarePage> {
    let actor = state.actor().await?;
    care::list(&state.store, &actor, &filter, Utc::now(), after.as_ref(), limit).await
}

#[tauri::command]
pub async fn care_counts(state: S<'_>, filter: CareFilter) -> Result<CareCounts> {
    let actor = state.actor().await?;
    care::counts(&state.store, &actor, &filter, Utc::now()).await
}

/// A customer's timeline, newest first; `before` is the last entry's cursor of the previous page.
#[tauri::command]
pub async fn care_timeline(
    state: S<'_>,
    customer_id: i64,
    kinds: Vec<TimelineKind>,
    before: Option<TimelineCursor>,
    limit: u32,
) -> Result<Vec<TimelineEntry>> {
    let actor = state.actor().await?;
    care::timeline(&state.store, &actor, customer_id, &kinds, before.as_ref(), limit).await
}

#[tauri::command]
pub async fn care_rules(state: S<'_>) -> Result<Vec<CareRule>> {
    let actor = state.actor().await?;
    care::rules(&state.store, &actor).await
}

/// Administrators: create (id null) or change a recurring rule; the schedule fills from it.
#[tauri::command]
pub async fn care_save_rule(state: S<'_>, rule: CareRuleInput) -> Result<CareRule> {
    let actor = state.actor().await?;
    care::save_rule(&state.store, &actor, rule).await
}

#[tauri::command]
pub async fn care_delete_rule(state: S<'_>, id: i64) -> Result<()> {
    let actor = state.actor().await?;
    care::delete_rule(&state.store, &actor, id).await
}

/// The signed-in member's timed activities due within `within_minutes` (none with reminders off).
#[tauri::command]
pub async fn care_due_soon(state: S<'_>, within_minutes: u32) -> Result<Vec<CareActivity>> {
    let actor = state.actor().await?;
    care::due_soon(&state.store, &actor, Utc::now(), within_minutes).await
}

// --- reminders -------------------------------------------------------------------------------

/// How often the reminder task looks for activities due soon.
const REMINDER_EVERY: Duration = Duration::from_secs(5 * 60);
/// An activity is reminded of when it is due within this many minutes (a little more than the
/// period, so none falls between two looks).
const REMINDER_WITHIN_MIN: u32 = 15;
/// The event the window receives when a reminder is clicked (payload: the customer id).
pub const OPEN_CUSTOMER_EVENT: &str = "care-open-customer";

/// The activities already notified in this run of the app, with the due time they were notified
/// for (a rescheduled activity is reminded of again).
#[derive(Default)]
pub struct Reminders {
    notified: Mutex<HashSet<(i64, DateTime<Utc>)>>,
}

impl Reminders {
    /// Keep the activities not notified yet, and remember them as notified.
    fn take_new(&self, due: Vec<CareActivity>) -> Vec<CareActivity> {
        let mut seen = self.notified.lock().unwrap_or_else(|e| e.into_inner());
        due.into_iter().filter(|a| seen.insert((a.id, a.due_at))).collect()
    }
}

/// The notification of one activity, in the app's language: the time and type in the title, the
/// title and the customer in the body.
fn reminder_text(language: Language, a: &CareActivity, clock: &str) -> (String, String) {
    let title = format!("{clock} · {}", a.type_name);
    let body = match language {
        Language::Vi => format!("{}\nKhách hàng: {} ({})", a.title, a.customer_name, a.customer_code),
        Language::En => format!("{}\nCustomer: {} ({})", a.title, a.customer_name, a.customer_code),
    };
    (title, body)
}

/// Start the reminder task (once, after the store is open): it fills the schedule from the
/// recurring rules at start-up, then looks for activities due soon now and every few minutes.
/// Failures are logged and never stop the app; without a notification server the notification is
/// simply not shown (the plugin sends it on a thread of its own).
pub fn start_reminders<R: Runtime>(app: &AppHandle<R>) {
    app.manage(Reminders::default());
    let notification = app.notification();
    let handle = app.clone();
    // A click on a reminder brings the window forward and opens the activity's customer.
    let _ = notification.on_action(move |performed| {
        if performed.action_id() != "tap" && performed.action_id() != "default" {
            return;
        }
        let customer =
            performed.notification().and_then(|n| n.extra().get("customer_id").and_then(serde_json::Value::as_i64));
        if let Some(window) = handle.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
        if let Some(id) = customer {
            let _ = handle.emit(OPEN_CUSTOMER_EVENT, id);
        }
    });
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut applied_for: Option<i64> = None;
        loop {
            if let Err(e) = remind(&app, &mut applied_for).await {
                log::warn!("care reminders: {e}");
            }
            tokio::time::sleep(REMINDER_EVERY).await;
        }
    });
}

/// One look: the signed-in member's activities due soon, each notified once.
async fn remind<R: Runtime>(app: &AppHandle<R>, applied_for: &mut Option<i64>) -> Result<()> {
    let Some(state) = app.try_state::<AppState>() else { return Ok(()) };
    let Some(actor) = state.actor.read().await.clone() else { return Ok(()) };
    if *applied_for != Some(actor.staff_id) {
        // Once per run (and per member signed in): recurring rules plan what is missing.
        *applied_for = Some(actor.staff_id);
        match care::apply_rules(&state.store, &actor, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => log::info!("care rules planned {n} activities"),
            Err(e) => log::warn!("care rules: {e}"),
        }
    }
    notify_due(app, &state, &actor).await
}

async fn notify_due<R: Runtime>(app: &AppHandle<R>, state: &AppState, actor: &Actor) -> Result<()> {
    // Empty when the member turned reminders off (the core reads the `care.reminders` preference).
    let due = care::due_soon(&state.store, actor, Utc::now(), REMINDER_WITHIN_MIN).await?;
    let Some(reminders) = app.try_state::<Reminders>() else { return Ok(()) };
    let fresh = reminders.take_new(due);
    if fresh.is_empty() {
        return Ok(());
    }
    let language = clientele::settings::language(&state.store).await.unwrap_or(Language::En);
    let zone = care::time::system_zone();
    for a in fresh {
        let clock = a.due_at.with_timezone(&zone).format("%H:%M").to_string();
        let (title, body) = reminder_text(language, &a, &clock);
        // Notification ids are i32; the activity id keeps them apart.
        let id = i32::try_from(a.id % i64::from(i32::MAX)).unwrap_or(0);
        match app.notification().builder().id(id).title(title).body(body).extra("customer_id", a.customer_id).show() {
            Ok(()) => log::info!("care reminder shown for activity {}", a.id),
            Err(e) => log::warn!("care reminder for activity {} not shown: {e}", a.id),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(id: i64, due: &str) -> CareActivity {
        let at: DateTime<Utc> = due.parse().expect("a test instant");
        CareActivity {
            id,
            customer_id: 7,
            customer_code: "KH000007".into(),
            customer_name: "Nguyễn Văn An".into(),
            type_id: 1,
            type_name: "Gọi điện".into(),
            type_key: Some("call".into()),
            title: "Hỏi thăm sau bán hàng".into(),
            due_at: at,
            due_local: "2026-12-01T09:30".into(),
            all_day: false,
            tz: "Asia/Ho_Chi_Minh".into(),
            duration_min: None,
            assignee_id: Some(1),
            assignee_name: Some("Mai".into()),
            notes: None,
            state: care::CareState::Planned,
            outcome: None,
            done_at: None,
            rule_id: None,
            created_at: at,
            updated_at: at,
            overdue: false,
        }
    }

    #[test]
    fn each_activity_is_notified_once_per_due_time() {
        let r = Reminders::default();
        let a = activity(1, "2026-12-01T02:30:00Z");
        let b = activity(2, "2026-12-01T02:40:00Z");
        assert_eq!(r.take_new(vec![a.clone(), b.clone()]).len(), 2);
        assert!(r.take_new(vec![a.clone(), b]).is_empty(), "nothing twice");
        // Rescheduled: a new due time is a new reminder.
        let moved = activity(1, "2026-12-01T03:30:00Z");
        assert_eq!(r.take_new(vec![a, moved]).iter().map(|x| x.id).collect::<Vec<_>>(), vec![1]);
    }

    #[test]
    fn the_reminder_speaks_the_app_language() {
        let a = activity(1, "2026-12-01T02:30:00Z");
        let (title, body) = reminder_text(Language::Vi, &a, "09:30");
        assert_eq!(title, "09:30 · Gọi điện");
        assert!(body.contains("Khách hàng: Nguyễn Văn An (KH000007)"), "{body}");
        let (_, body) = reminder_text(Language::En, &a, "09:30");
        assert!(body.starts_with("Hỏi thăm sau bán hàng\nCustomer: "), "{body}");
    }
}

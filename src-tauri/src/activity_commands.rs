//! The administrator's activity log across customers: one thin adapter per core operation in
//! `clientele::history`; who may read it (administrators) is decided there.

use clientele::Result;
use clientele::history::{self, ActivityFilter, ActivityPage};

use crate::state::AppState;

type S<'a> = tauri::State<'a, AppState>;

/// A page of the activity log, newest first; `before` continues after an earlier page.
#[tauri::command]
pub async fn activity_log(
    state: S<'_>,
    filter: ActivityFilter,
    before: Option<i64>,
    limit: u32,
) -> Result<ActivityPage> {
    let actor = state.actor().await?;
    history::activity_log(&state.store, &actor, &filter, before, limit).await
}

/// The actions the log holds (for its filter).
#[tauri::command]
pub async fn activity_actions(state: S<'_>) -> Result<Vec<String>> {
    let actor = state.actor().await?;
    history::activity_actions(&state.store, &actor).await
}

//! Work the app does by itself: the pool's automatic return (`ownership::auto_return`), at
//! start-up and then once a day while the app runs. Failures are logged, never shown: the next
//! run tries again.

use std::time::Duration;

use chrono::Utc;
use clientele::ownership;
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// Start the daily jobs (call once the store is managed).
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // The first tick is immediate: a run at start-up.
        let mut daily = tokio::time::interval(EVERY);
        daily.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            daily.tick().await;
            let Some(state) = app.try_state::<AppState>() else { return };
            match ownership::auto_return(&state.store, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => log::info!("pool: {n} customers with no recent care returned to the pool"),
                Err(e) => log::warn!("pool: automatic return failed: {e}"),
            }
        }
    });
}

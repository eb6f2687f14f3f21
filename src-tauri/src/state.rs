//! What every command resolves: the open store and the signed-in staff member.

use std::path::PathBuf;
use std::sync::Mutex;

use clientele::actor::Actor;
use clientele::store::Store;
use clientele::{Error, Result};
use tokio::sync::RwLock;

pub struct AppState {
    pub store: Store,
    pub actor: RwLock<Option<Actor>>,
    /// The photo the user picked or dropped for the customer being edited (applied by
    /// `set_customer_photo`). Paths stay in the shell; the UI sees only names.
    pub pending_photo: Mutex<Option<PathBuf>>,
    /// The last file dropped on the window.
    pub dropped_file: Mutex<Option<PathBuf>>,
    /// The import wizard's file and the cancel flags of imports and exports.
    pub transfer: crate::transfer_commands::TransferState,
}

impl AppState {
    pub fn new(store: Store, actor: Option<Actor>) -> Self {
        Self {
            store,
            actor: RwLock::new(actor),
            pending_photo: Mutex::new(None),
            dropped_file: Mutex::new(None),
            transfer: Default::default(),
        }
    }

    /// The signed-in staff member, or `NotSignedIn`.
    pub async fn actor(&self) -> Result<Actor> {
        self.actor.read().await.clone().ok_or(Error::NotSignedIn)
    }

    /// Make `path` the photo to apply (or forget it with `None`); returns its file name.
    pub fn set_pending_photo(&self, path: Option<PathBuf>) -> Option<String> {
        let name = path.as_deref().map(crate::photos::file_name);
        *self.pending_photo.lock().unwrap_or_else(|e| e.into_inner()) = path;
        name
    }

    pub fn take_pending_photo(&self) -> Option<PathBuf> {
        self.pending_photo.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    pub fn take_dropped_file(&self) -> Option<PathBuf> {
        self.dropped_file.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    pub async fn set_actor(&self, actor: Option<Actor>) {
        *self.actor.write().await = actor;
    }
}

/// How far opening the store has come (managed from the start; `AppState` only once open).
#[derive(Default)]
pub struct Opening(Mutex<clientele::store::OpenStatus>);

impl Opening {
    pub fn get(&self) -> clientele::store::OpenStatus {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn set(&self, status: clientele::store::OpenStatus) {
        if let Ok(mut s) = self.0.lock() {
            *s = status;
        }
    }
}

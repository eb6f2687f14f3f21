//! What every command resolves: the open store and the signed-in staff member.

use clientele::actor::Actor;
use clientele::store::Store;
use clientele::{Error, Result};
use tokio::sync::RwLock;

pub struct AppState {
    pub store: Store,
    pub actor: RwLock<Option<Actor>>,
}

impl AppState {
    pub fn new(store: Store, actor: Option<Actor>) -> Self {
        Self { store, actor: RwLock::new(actor) }
    }

    /// The signed-in staff member, or `NotSignedIn`.
    pub async fn actor(&self) -> Result<Actor> {
        self.actor.read().await.clone().ok_or(Error::NotSignedIn)
    }

    pub async fn set_actor(&self, actor: Option<Actor>) {
        *self.actor.write().await = actor;
    }
}

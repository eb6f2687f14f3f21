//! Who the command line acts as. The one place that decides it.

use clientele::Result;
use clientele::actor::{Actor, Role};
use clientele::staff::{self, NewStaff};
use clientele::store::Store;

/// The acting staff member for every command but `init`:
/// 1. a database without staff gets a first administrator named after the OS user
///    (`$USER`/`$USERNAME`, e-mail `<user>@localhost.localdomain`);
/// 2. otherwise the app's default actor (last signed-in staff member without a password);
/// 3. otherwise the first active administrator, signed in with `$CLIENTELE_PASSWORD`.
pub async fn actor(store: &Store) -> Result<Actor> {
    let (name, email) = os_user();
    let first_admin = NewStaff { name, email, password: None, role: Role::Admin };
    let password = std::env::var("CLIENTELE_PASSWORD").ok();
    staff::tool_actor(store, first_admin, password.as_deref()).await
}

/// Display name and e-mail for the OS user. The core's e-mail check wants a dotted domain, so
/// `localhost` alone is not accepted; `localhost.localdomain` is.
fn os_user() -> (String, String) {
    let raw = ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .map(|v| v.trim().to_owned())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "admin".to_owned());
    let folded = clientele::text::fold(&raw);
    let mut local: String = folded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '.' })
        .collect();
    while local.contains("..") {
        local = local.replace("..", ".");
    }
    let local = local.trim_matches('.');
    let local = if local.is_empty() { "admin" } else { local };
    (raw, format!("{local}@localhost.localdomain"))
}

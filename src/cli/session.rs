//! Who the command line acts as. The one place that decides it.

use clientele::Result;
use clientele::actor::{Actor, Role};
use clientele::staff::{self, NewStaff};
use clientele::store::Store;

/// `--as <e-mail>`, set once from the command line.
static ACTING_AS: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

pub fn set_acting_as(email: Option<String>) {
    let _ = ACTING_AS.set(email);
}

/// The acting staff member for every command but `init`:
/// - with `--as <e-mail>`: that active staff member, signed in with `$CLIENTELE_PASSWORD` when
///   they have a password;
/// - a database without staff gets a first administrator named after the OS user
///   (`$USER`/`$USERNAME`, e-mail `<user>@localhost.localdomain`);
/// - otherwise the only active administrator (with `$CLIENTELE_PASSWORD` when they have a
///   password); with several, `--as` is needed.
pub async fn actor(store: &Store) -> Result<Actor> {
    let password = std::env::var("CLIENTELE_PASSWORD").ok();
    if let Some(Some(email)) = ACTING_AS.get() {
        let s = staff::find_by_email(store, email).await?;
        return staff::sign_in(store, s.id, password.as_deref()).await;
    }
    if staff::count(store).await? > 0 {
        let admins: Vec<_> =
            staff::list(store).await?.into_iter().filter(|s| s.active && s.role == Role::Admin).collect();
        return match admins.as_slice() {
            [only] => staff::sign_in(store, only.id, password.as_deref()).await,
            [] => Err(clientele::Error::NotSignedIn),
            _ => Err(clientele::Error::InvalidArgument(
                "this database has several administrators: say who you are with --as <e-mail>".into(),
            )),
        };
    }
    let (name, email) = os_user();
    let first_admin = NewStaff { name, email, password: None, role: Role::Admin };
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

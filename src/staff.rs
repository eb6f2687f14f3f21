//! Staff members and signing in. The app always runs as one signed-in staff member.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::actor::Role;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Staff {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub has_password: bool,
    /// At most this many customers claimed from the pool (none: no limit).
    #[ts(type = "number | null")]
    pub claim_limit: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A new staff member (the first one is always an admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewStaff {
    pub name: String,
    pub email: String,
    /// Optional; empty or null means no password.
    pub password: Option<String>,
    pub role: Role,
}

/// What the app asks at start: is there anyone yet, who is signed in, which language.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    /// No staff exists yet: show the first-run form that creates the admin.
    pub needs_setup: bool,
    pub actor: Option<crate::actor::Actor>,
    pub language: crate::settings::Language,
}

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use sqlx::FromRow;
use tracing::instrument;

use crate::actor::Actor;
use crate::error::{Error, FieldError, Result};
use crate::settings;
use crate::store::Store;
use crate::text;

const LAST_STAFF_KEY: &str = "session.last_staff_id";

#[derive(FromRow)]
struct StaffRow {
    id: i64,
    name: String,
    email: String,
    role: String,
    active: bool,
    password_hash: Option<String>,
    claim_limit: Option<i64>,
    created_at: DateTime<Utc>,
}

const STAFF_COLUMNS: &str = "id, name, email, role, active, password_hash, claim_limit, created_at";

impl StaffRow {
    fn into_staff(self) -> Staff {
        Staff {
            id: self.id,
            name: self.name,
            email: self.email,
            role: Role::parse(&self.role).unwrap_or(Role::Staff),
            active: self.active,
            has_password: self.password_hash.is_some(),
            claim_limit: self.claim_limit,
            created_at: self.created_at,
        }
    }
    fn actor(&self) -> Actor {
        Actor {
            staff_id: self.id,
            name: self.name.clone(),
            email: self.email.clone(),
            role: Role::parse(&self.role).unwrap_or(Role::Staff),
        }
    }
}

fn validate(input: &NewStaff) -> Result<(String, String, Option<String>)> {
    let name = text::clean(&input.name);
    let email = text::email_key(&input.email);
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("name", "required"));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new("name", "too_long"));
    }
    if email.is_empty() {
        errors.push(FieldError::new("email", "required"));
    } else if !text::is_valid_email(&email) {
        errors.push(FieldError::new("email", "invalid_email").with_value(email.clone()));
    }
    let password = input.password.as_deref().filter(|p| !p.is_empty());
    if password.is_some_and(|p| p.chars().count() > 1024) {
        errors.push(FieldError::new("password", "too_long"));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let hash = password.map(hash_password).transpose()?;
    Ok((name, email, hash))
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::InvalidArgument(format!("could not hash the password: {e}")))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

async fn insert(conn: &mut sqlx::SqliteConnection, input: &NewStaff, role: Role) -> Result<StaffRow> {
    let (name, email, hash) = validate(input)?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM staff WHERE email_key = ?").bind(&email).fetch_optional(&mut *conn).await?;
    if taken.is_some() {
        return Err(Error::StaffEmailTaken(email));
    }
    let now = Utc::now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff (name, email, email_key, role, active, password_hash, created_at) VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id",
    )
    .bind(&name)
    .bind(&email)
    .bind(&email)
    .bind(role.as_str())
    .bind(&hash)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(StaffRow {
        id,
        name,
        email,
        role: role.as_str().to_owned(),
        active: true,
        password_hash: hash,
        claim_limit: None,
        created_at: now,
    })
}

/// Create the first administrator. Refused once any staff member exists.
#[instrument(skip(store, input), fields(email = %input.email))]
pub async fn init_admin(store: &Store, input: NewStaff) -> Result<Actor> {
    let mut tx = store.pool().begin_with("BEGIN IMMEDIATE").await?;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM staff").fetch_one(&mut *tx).await?;
    if count > 0 {
        return Err(Error::AlreadyInitialised);
    }
    let row = insert(&mut tx, &input, Role::Admin).await?;
    let actor = row.actor();
    sqlx::query(
        "INSERT INTO history (entity, entity_id, action, changes, actor_id, at) VALUES ('staff', ?, 'create', ?, ?, ?)",
    )
    .bind(row.id)
    .bind(staff_changes(&row))
    .bind(row.id)
    .bind(row.created_at)
    .execute(&mut *tx)
    .await?;
    settings::put(&mut tx, LAST_STAFF_KEY, &row.id.to_string()).await?;
    // Starter catalogs in the language the user chose before creating the first admin.
    let language =
        settings::get(&mut tx, "ui.language").await?.and_then(|v| settings::Language::parse(&v)).unwrap_or_default();
    crate::catalogs::seed(&mut tx, language, row.created_at).await?;
    tx.commit().await?;
    Ok(actor)
}

fn staff_changes(row: &StaffRow) -> String {
    let changes = [("name", row.name.as_str()), ("email", row.email.as_str()), ("role", row.role.as_str())]
        .iter()
        .map(|(f, v)| serde_json::json!({"field": f, "before": null, "after": v}))
        .collect::<Vec<_>>();
    serde_json::Value::Array(changes).to_string()
}

/// Add a staff member (admins only).
#[instrument(skip(store, actor, input))]
pub async fn add(store: &Store, actor: &Actor, input: NewStaff) -> Result<Staff> {
    actor.can_manage_staff()?;
    let mut w = store.write(actor).await?;
    let row = insert(w.conn(), &input, input.role).await?;
    let changes: Vec<crate::history::FieldChange> =
        serde_json::from_str(&staff_changes(&row)).map_err(|e| Error::Database(e.to_string()))?;
    w.history("staff", row.id, "create", &changes).await?;
    w.commit().await?;
    Ok(row.into_staff())
}

/// Activate or deactivate a staff member (admins only). An inactive member cannot sign in and is
/// no longer offered as owner or service manager. Refused for yourself and for the last active
/// administrator, so that someone can always manage staff. Unchanged: no history entry.
#[instrument(skip(store, actor))]
pub async fn set_active(store: &Store, actor: &Actor, staff_id: i64, active: bool) -> Result<Staff> {
    actor.can_manage_staff()?;
    if !active && staff_id == actor.staff_id {
        return Err(Error::InvalidArgument("you cannot deactivate yourself; ask another administrator".into()));
    }
    let mut w = store.write(actor).await?;
    let row = row_in(w.conn(), staff_id).await?;
    if row.active == active {
        return Ok(row.into_staff());
    }
    if !active && row.role == Role::Admin.as_str() && other_active_admins(w.conn(), staff_id).await? == 0 {
        return Err(Error::InvalidArgument(format!("{} is the last active administrator", row.email)));
    }
    sqlx::query("UPDATE staff SET active = ? WHERE id = ?").bind(active).bind(staff_id).execute(w.conn()).await?;
    let changes = [crate::history::FieldChange {
        field: "active".into(),
        before: serde_json::json!(row.active),
        after: serde_json::json!(active),
    }];
    w.history("staff", staff_id, "update", &changes).await?;
    w.commit().await?;
    Ok(StaffRow { active, ..row }.into_staff())
}

/// Change a staff member's role (admins only). Refused when it would leave no active
/// administrator. Unchanged: no history entry.
#[instrument(skip(store, actor))]
pub async fn set_role(store: &Store, actor: &Actor, staff_id: i64, role: Role) -> Result<Staff> {
    actor.can_manage_staff()?;
    let mut w = store.write(actor).await?;
    let row = row_in(w.conn(), staff_id).await?;
    if row.role == role.as_str() {
        return Ok(row.into_staff());
    }
    if row.active && row.role == Role::Admin.as_str() && other_active_admins(w.conn(), staff_id).await? == 0 {
        return Err(Error::InvalidArgument(format!("{} is the last active administrator", row.email)));
    }
    sqlx::query("UPDATE staff SET role = ? WHERE id = ?").bind(role.as_str()).bind(staff_id).execute(w.conn()).await?;
    let changes = [crate::history::FieldChange {
        field: "role".into(),
        before: serde_json::json!(row.role),
        after: serde_json::json!(role.as_str()),
    }];
    w.history("staff", staff_id, "update", &changes).await?;
    w.commit().await?;
    Ok(StaffRow { role: role.as_str().to_owned(), ..row }.into_staff())
}

/// Active administrators other than `staff_id` (inside the caller's write transaction, so two
/// concurrent changes cannot both remove the last one).
async fn other_active_admins(conn: &mut sqlx::SqliteConnection, staff_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1 AND id <> ?")
        .bind(staff_id)
        .fetch_one(conn)
        .await?)
}

async fn row_in(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<StaffRow> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| Error::StaffNotFound(id.to_string()))
}

pub async fn list(store: &Store) -> Result<Vec<Staff>> {
    let rows: Vec<StaffRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {STAFF_COLUMNS} FROM staff ORDER BY active DESC, name COLLATE NOCASE, id"
    )))
    .fetch_all(store.pool())
    .await?;
    Ok(rows.into_iter().map(StaffRow::into_staff).collect())
}

pub async fn count(store: &Store) -> Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM staff").fetch_one(store.pool()).await?;
    Ok(n.max(0) as u64)
}

async fn row_by_id(store: &Store, id: i64) -> Result<StaffRow> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?")))
        .bind(id)
        .fetch_optional(store.pool())
        .await?
        .ok_or_else(|| Error::StaffNotFound(id.to_string()))
}

pub async fn find_by_email(store: &Store, email: &str) -> Result<Staff> {
    let key = text::email_key(email);
    let row: Option<StaffRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {STAFF_COLUMNS} FROM staff WHERE email_key = ?")))
            .bind(&key)
            .fetch_optional(store.pool())
            .await?;
    row.map(StaffRow::into_staff).ok_or(Error::StaffNotFound(key))
}

/// Sign in as an active staff member; the password is checked when one is set.
#[instrument(skip(store, password))]
pub async fn sign_in(store: &Store, staff_id: i64, password: Option<&str>) -> Result<Actor> {
    let row = row_by_id(store, staff_id).await?;
    if !row.active {
        return Err(Error::PermissionDenied("this staff member is inactive".into()));
    }
    if let Some(hash) = &row.password_hash
        && !password.is_some_and(|p| verify_password(hash, p))
    {
        return Err(Error::WrongPassword);
    }
    let mut conn = store.pool().acquire().await?;
    settings::put(&mut conn, LAST_STAFF_KEY, &row.id.to_string()).await?;
    Ok(row.actor())
}

/// Sign out: the next start asks who is there instead of signing the same person in again.
pub async fn sign_out(store: &Store) -> Result<()> {
    let mut conn = store.pool().acquire().await?;
    // An empty value means "signed out on purpose" (see `default_actor`).
    settings::put(&mut conn, LAST_STAFF_KEY, "").await
}

/// Who the app signs in as without asking: the last signed-in staff member, when still active and
/// without a password; or the only active staff member when there is just one without a password.
/// Nobody after an explicit sign-out.
pub async fn default_actor(store: &Store) -> Result<Option<Actor>> {
    let mut conn = store.pool().acquire().await?;
    let last = settings::get(&mut conn, LAST_STAFF_KEY).await?;
    drop(conn);
    if last.as_deref() == Some("") {
        return Ok(None);
    }
    if let Some(id) = last.and_then(|v| v.parse::<i64>().ok())
        && let Ok(row) = row_by_id(store, id).await
        && row.active
        && row.password_hash.is_none()
    {
        return Ok(Some(row.actor()));
    }
    let rows: Vec<StaffRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {STAFF_COLUMNS} FROM staff WHERE active = 1 LIMIT 2")))
            .fetch_all(store.pool())
            .await?;
    match rows.as_slice() {
        [only] if only.password_hash.is_none() => Ok(Some(only.actor())),
        _ => Ok(None),
    }
}

/// Who a tool without a window (the CLI, the benchmark) acts as: on a database with no staff, the
/// first administrator made from `first_admin`; otherwise the app's default actor; otherwise the
/// first active administrator, signed in with `password` when that account has one.
pub async fn tool_actor(store: &Store, first_admin: NewStaff, password: Option<&str>) -> Result<Actor> {
    if count(store).await? == 0 {
        match init_admin(store, first_admin).await {
            Ok(actor) => return Ok(actor),
            // Another process initialised the database meanwhile: carry on as below.
            Err(Error::AlreadyInitialised) => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(actor) = default_actor(store).await? {
        return Ok(actor);
    }
    let admin = list(store).await?.into_iter().find(|s| s.active && s.role == Role::Admin).ok_or(Error::NotSignedIn)?;
    sign_in(store, admin.id, password).await
}

/// What the app shows first.
pub async fn session_info(store: &Store, actor: Option<&Actor>) -> Result<SessionInfo> {
    Ok(SessionInfo {
        needs_setup: count(store).await? == 0,
        actor: actor.cloned(),
        language: settings::language(store).await?,
    })
}

//! One error type for the whole core. Every variant has a stable `code()` that the UI
//! translates; `message` is an English fallback; `details` carries field/row/column data.

use serde::Serialize;
use ts_rs::TS;

/// A problem with one field of an input, e.g. `{field: "emails.1", code: "invalid_email"}`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, TS)]
#[ts(export)]
pub struct FieldError {
    /// Field name as in the input struct; list items as `emails.0`.
    pub field: String,
    /// Stable reason: `required`, `invalid_email`, `invalid_phone`, `too_long`, `taken`, `not_allowed`, `invalid`.
    pub code: String,
    /// Offending value, when it helps the user.
    pub value: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str) -> Self {
        Self { field: field.into(), code: code.to_owned(), value: None }
    }
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("customer {0} not found")]
    CustomerNotFound(String),
    /// Anything else that was asked for by id and is not there (`catalog_item.not_found`, …).
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    #[error("\"{name}\" is used by {customers} customers; pick a replacement first")]
    CatalogInUse { name: String, customers: u64 },
    /// The customer matches others by a duplicate rule (`details.matches` lists them).
    #[error("this customer looks like {} existing one(s)", .matches.len())]
    Duplicate { matches: Vec<crate::duplicates::DuplicateMatch>, blocking: bool },
    #[error("staff member {0} not found")]
    StaffNotFound(String),
    #[error("invalid input: {}", summarize(.0))]
    Validation(Vec<FieldError>),
    #[error("customer code {0} is already used")]
    CodeTaken(String),
    #[error("a staff member with e-mail {0} already exists")]
    StaffEmailTaken(String),
    #[error("no staff member is signed in")]
    NotSignedIn,
    #[error("the first administrator already exists")]
    AlreadyInitialised,
    #[error("not allowed: {0}")]
    PermissionDenied(String),
    /// A locked customer: only its owner, managers and admins may open or change it.
    #[error("customer {0} is locked")]
    Locked(String),
    #[error("wrong password")]
    WrongPassword,
    #[error("{0}")]
    InvalidArgument(String),
    #[error("the database is busy; try again")]
    Busy,
    #[error("database error: {0}")]
    Database(String),
    #[error("could not back up or migrate the database: {0}")]
    Migration(String),
    #[error("file error: {0}")]
    Io(String),
    #[error("cancelled")]
    Cancelled,
    /// A spreadsheet that cannot be read (format, size, damage, password, hostile content).
    /// `code` is one of the stable `import.*` codes; `message` says what, in English.
    #[error("{message}")]
    Import { code: &'static str, message: String },
    /// Only planned care activities can be completed, rescheduled or cancelled.
    #[error("care activity {id} is already {state}")]
    CareNotPlanned { id: i64, state: &'static str },
}

fn summarize(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{} {}", e.field, e.code)).collect::<Vec<_>>().join(", ")
}

impl Error {
    /// Stable, dotted code; the UI keys its translations on it. Never change one.
    pub fn code(&self) -> &'static str {
        match self {
            Error::CustomerNotFound(_) => "customer.not_found",
            Error::NotFound { entity, .. } => match *entity {
                "catalog_item" => "catalog_item.not_found",
                "contact" => "contact.not_found",
                "import_batch" => "import_batch.not_found",
                "saved_view" => "saved_view.not_found",
                "care_activity" => "care.not_found",
                "care_rule" => "care.rule_not_found",
                _ => "not_found",
            },
            Error::CatalogInUse { .. } => "catalog.in_use",
            Error::Duplicate { .. } => "customer.duplicate",
            Error::StaffNotFound(_) => "staff.not_found",
            Error::Validation(_) => "input.invalid",
            Error::CodeTaken(_) => "customer.code_taken",
            Error::StaffEmailTaken(_) => "staff.email_taken",
            Error::NotSignedIn => "session.not_signed_in",
            Error::AlreadyInitialised => "session.already_initialised",
            Error::PermissionDenied(_) => "permission.denied",
            Error::WrongPassword => "session.wrong_password",
            Error::Locked(_) => "permission.locked",
            Error::InvalidArgument(_) => "input.bad_argument",
            Error::Busy => "db.busy",
            Error::Database(_) => "db.error",
            Error::Migration(_) => "db.migration_failed",
            Error::Io(_) => "io.error",
            Error::Import { code, .. } => code,
            Error::Cancelled => "operation.cancelled",
            Error::CareNotPlanned { .. } => "care.not_planned",
        }
    }

    pub fn body(&self) -> ErrorBody {
        let details = match self {
            Error::Validation(fields) => Some(ErrorDetails { fields: fields.clone(), ..Default::default() }),
            Error::CodeTaken(code) => Some(ErrorDetails {
                fields: vec![FieldError::new("code", "taken").with_value(code.clone())],
                value: Some(code.clone()),
                ..Default::default()
            }),
            Error::StaffEmailTaken(email) => Some(ErrorDetails {
                fields: vec![FieldError::new("email", "taken").with_value(email.clone())],
                value: Some(email.clone()),
                ..Default::default()
            }),
            Error::CustomerNotFound(v) | Error::StaffNotFound(v) | Error::NotFound { id: v, .. } | Error::Locked(v) => {
                Some(ErrorDetails { value: Some(v.clone()), ..Default::default() })
            }
            Error::CatalogInUse { name, customers } => {
                Some(ErrorDetails { value: Some(name.clone()), count: Some(*customers), ..Default::default() })
            }
            Error::Duplicate { matches, blocking } => {
                Some(ErrorDetails { matches: matches.clone(), blocking: Some(*blocking), ..Default::default() })
            }
            // The state it is in (`done`, `cancelled`).
            Error::CareNotPlanned { state, .. } => {
                Some(ErrorDetails { value: Some((*state).to_owned()), ..Default::default() })
            }
            _ => None,
        };
        ErrorBody { code: self.code().to_owned(), message: self.to_string(), details }
    }
}

/// What crosses IPC and what the CLI prints with `--json`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    pub details: Option<ErrorDetails>,
}

#[derive(Debug, Clone, Serialize, TS, Default)]
#[ts(export)]
pub struct ErrorDetails {
    /// Field-level problems (validation, uniqueness).
    pub fields: Vec<FieldError>,
    /// The value the error is about (a code, an e-mail, an id, a catalog item's name).
    pub value: Option<String>,
    /// How many (customers using a catalog item).
    #[ts(type = "number | null")]
    pub count: Option<u64>,
    /// Customers a new or edited one matches by the duplicate rules.
    pub matches: Vec<crate::duplicates::DuplicateMatch>,
    /// For `customer.duplicate`: true when a rule blocks; false when the user may continue.
    pub blocking: Option<bool>,
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.body().serialize(s)
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            // SQLITE_BUSY (5) / SQLITE_LOCKED (6) after busy_timeout: tell the user to retry.
            if matches!(db.code().as_deref(), Some("5") | Some("6") | Some("517")) {
                return Error::Busy;
            }
        }
        Error::Database(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Error::Migration(e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

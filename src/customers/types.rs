//! The customer aggregate's data shapes, shared by the app (through ts-rs bindings) and the CLI.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CustomerKind {
    #[default]
    Individual,
    Business,
}

impl CustomerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerKind::Individual => "individual",
            CustomerKind::Business => "business",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "individual" => Some(Self::Individual),
            "business" => Some(Self::Business),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Gender {
    Male,
    Female,
    Other,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "male" => Some(Self::Male),
            "female" => Some(Self::Female),
            "other" => Some(Self::Other),
            _ => None,
        }
    }
}

/// What the form (or the CLI, or later the importer) submits to create or replace a customer.
/// Text is normalised (NFC, trimmed) and validated by the core; empty strings mean "none".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerInput {
    /// Empty or null: generate the next code (format `KH000123`).
    pub code: Option<String>,
    pub kind: CustomerKind,
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: Option<String>,
    pub tax_code: Option<String>,
    pub website: Option<String>,
    /// Individuals only.
    pub birthday: Option<NaiveDate>,
    /// Businesses only.
    pub founded_on: Option<NaiveDate>,
    /// Individuals only.
    pub gender: Option<Gender>,
    pub notes: Option<String>,
    /// Responsible staff member; null: the actor who creates it (on create) or unchanged (on update).
    #[ts(type = "number | null")]
    pub owner_id: Option<i64>,
}

/// A customer with every field, as the detail view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Customer {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub kind: CustomerKind,
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: Option<String>,
    pub tax_code: Option<String>,
    pub website: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub founded_on: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub notes: Option<String>,
    #[ts(type = "number | null")]
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub created_at: DateTime<Utc>,
    #[ts(type = "number | null")]
    pub created_by: Option<i64>,
    pub updated_at: DateTime<Utc>,
    #[ts(type = "number | null")]
    pub updated_by: Option<i64>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Customer {
    /// The input that would recreate this customer as it is (used by edit forms and the CLI).
    pub fn to_input(&self) -> CustomerInput {
        CustomerInput {
            code: Some(self.code.clone()),
            kind: self.kind,
            name: self.name.clone(),
            phones: self.phones.clone(),
            emails: self.emails.clone(),
            address: self.address.clone(),
            tax_code: self.tax_code.clone(),
            website: self.website.clone(),
            birthday: self.birthday,
            founded_on: self.founded_on,
            gender: self.gender,
            notes: self.notes.clone(),
            owner_id: self.owner_id,
        }
    }
}

/// One line of the customer grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerRow {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub kind: CustomerKind,
    pub name: String,
    /// First phone, as entered.
    pub phone: Option<String>,
    /// First e-mail.
    pub email: Option<String>,
    pub owner_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SortField {
    #[default]
    Name,
    Code,
    /// Creation order (ids are handed out in creation order and never reused).
    Created,
}

/// Where the previous page ended: the sort key of its last row and that row's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Cursor {
    pub key: String,
    #[ts(type = "number")]
    pub id: i64,
}

/// One request for a page of the grid. Give `after` to continue from a page you have
/// (keyset, fast at any depth), or `offset` to jump (e.g. the scrollbar was dragged).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, Default)]
#[ts(export)]
pub struct ListQuery {
    /// Free text: words match by prefix, case- and accent-insensitive; 3+ digits also match phones anywhere.
    pub search: String,
    pub sort: SortField,
    pub desc: bool,
    /// List the trash instead of live customers.
    pub trash: bool,
    pub after: Option<Cursor>,
    pub offset: Option<u32>,
    /// Rows per page; clamped to 1..=500.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Page {
    pub rows: Vec<CustomerRow>,
    /// Cursor for the next page; null at the end.
    pub next: Option<Cursor>,
}

/// Which customers a bulk action applies to: explicit ids, or everything matching a search
/// (the grid's "select all matching"), minus the ones the user unticked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Selection {
    Ids {
        #[ts(type = "number[]")]
        ids: Vec<i64>,
    },
    Matching {
        search: String,
        #[ts(type = "number[]")]
        except: Vec<i64>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Stats {
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub individuals: u64,
    #[ts(type = "number")]
    pub businesses: u64,
    #[ts(type = "number")]
    pub in_trash: u64,
    #[ts(type = "number")]
    pub staff: u64,
}

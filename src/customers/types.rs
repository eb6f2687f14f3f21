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
    #[serde(default)]
    #[ts(type = "number | null")]
    pub segment_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub level_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub group_ids: Vec<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub status_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub channel_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub service_manager_id: Option<i64>,
    /// Agrees to promotional e-mail; when it changes, `email_consent_at` is set by the core.
    #[serde(default)]
    pub email_consent: bool,
    #[serde(default)]
    pub products: Vec<ProductUse>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub invoice_type_ids: Vec<i64>,
    #[serde(default)]
    pub legal_entities: Vec<LegalEntity>,
    /// People at a business (businesses only). Ids of existing contacts are kept.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub referrer_customer_id: Option<i64>,
    #[serde(default)]
    pub referrer_supplier: Option<String>,
    /// File name of the photo inside the data folder's `photos/` (set by `customers::set_photo`).
    #[serde(default)]
    pub photo: Option<String>,
    /// Not stored: go on although the customer matches others by a duplicate rule that only warns.
    #[serde(default)]
    pub allow_duplicate: bool,
    /// Create only: a care activity to schedule on the new customer, in the same transaction
    /// (its field errors are named `schedule.due`, …). Ignored by update.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub schedule: Option<crate::care::CareInput>,
}

/// A product or service the customer uses, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductUse {
    #[ts(type = "number")]
    pub product_id: i64,
    pub since: Option<NaiveDate>,
}

/// A legal entity invoices go to (a customer may have several).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LegalEntity {
    pub name: String,
    pub tax_code: Option<String>,
    pub address: Option<String>,
}

/// A person at a business customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contact {
    /// Null for a new contact.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    #[ts(type = "number | null")]
    pub position_id: Option<i64>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub primary: bool,
    pub notes: Option<String>,
}

/// Another customer, by code and name (the referrer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerRef {
    #[ts(type = "number")]
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// Where a customer stands in the approval flow (when new customers need approval).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Approval {
    #[default]
    Approved,
    Pending,
    Rejected,
}

impl Approval {
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Approved => "approved",
            Approval::Pending => "pending",
            Approval::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "approved" => Some(Approval::Approved),
            "pending" => Some(Approval::Pending),
            "rejected" => Some(Approval::Rejected),
            _ => None,
        }
    }
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
    #[ts(type = "number | null")]
    pub segment_id: Option<i64>,
    #[ts(type = "number | null")]
    pub level_id: Option<i64>,
    #[ts(type = "number[]")]
    pub group_ids: Vec<i64>,
    #[ts(type = "number | null")]
    pub status_id: Option<i64>,
    #[ts(type = "number | null")]
    pub channel_id: Option<i64>,
    #[ts(type = "number | null")]
    pub service_manager_id: Option<i64>,
    pub service_manager_name: Option<String>,
    pub email_consent: bool,
    /// When the consent last changed.
    pub email_consent_at: Option<DateTime<Utc>>,
    pub products: Vec<ProductUse>,
    #[ts(type = "number[]")]
    pub invoice_type_ids: Vec<i64>,
    pub legal_entities: Vec<LegalEntity>,
    pub contacts: Vec<Contact>,
    pub referrer: Option<CustomerRef>,
    pub referrer_supplier: Option<String>,
    pub photo: Option<String>,
    /// Only the owner, managers and admins open and change a locked customer.
    pub locked: bool,
    /// In the public pool: no owner; any staff member can claim it.
    pub in_pool: bool,
    pub approval: Approval,
    /// Why it was rejected.
    pub approval_reason: Option<String>,
    /// Inactive customers are hidden from the default list.
    pub active: bool,
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
            segment_id: self.segment_id,
            level_id: self.level_id,
            group_ids: self.group_ids.clone(),
            status_id: self.status_id,
            channel_id: self.channel_id,
            service_manager_id: self.service_manager_id,
            email_consent: self.email_consent,
            products: self.products.clone(),
            invoice_type_ids: self.invoice_type_ids.clone(),
            legal_entities: self.legal_entities.clone(),
            contacts: self.contacts.clone(),
            referrer_customer_id: self.referrer.as_ref().map(|r| r.id),
            referrer_supplier: self.referrer_supplier.clone(),
            photo: self.photo.clone(),
            allow_duplicate: false,
            schedule: None,
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
    // Optional grid columns (the user picks which are shown); catalog ids are named by the UI
    // from the catalogs it holds.
    #[ts(type = "number | null")]
    pub owner_id: Option<i64>,
    pub address: Option<String>,
    pub tax_code: Option<String>,
    pub website: Option<String>,
    #[ts(type = "number | null")]
    pub segment_id: Option<i64>,
    #[ts(type = "number | null")]
    pub level_id: Option<i64>,
    #[ts(type = "number[]")]
    pub group_ids: Vec<i64>,
    #[ts(type = "number | null")]
    pub status_id: Option<i64>,
    #[ts(type = "number | null")]
    pub channel_id: Option<i64>,
    pub service_manager_name: Option<String>,
    pub email_consent: bool,
    pub photo: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub locked: bool,
    pub in_pool: bool,
    pub approval: Approval,
    pub approval_reason: Option<String>,
    pub active: bool,
    /// When the latest done care activity was done; null: never contacted.
    pub last_contact_at: Option<DateTime<Utc>>,
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
    /// Last contact, never contacted first (last when descending).
    LastContact,
}

/// Where the previous page ended: the sort key of its last row and that row's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Cursor {
    pub key: String,
    #[ts(type = "number")]
    pub id: i64,
}

/// Narrowing of the list by classification; every list is combined with AND, values inside a
/// list with OR. Empty means "any".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, Default)]
#[ts(export)]
pub struct CustomerFilter {
    #[serde(default)]
    pub kind: Option<CustomerKind>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub segment_ids: Vec<i64>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub level_ids: Vec<i64>,
    /// Customers in any of these groups.
    #[serde(default)]
    #[ts(type = "number[]")]
    pub group_ids: Vec<i64>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub status_ids: Vec<i64>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub channel_ids: Vec<i64>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub owner_ids: Vec<i64>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub service_manager_ids: Vec<i64>,
    /// Customers using any of these products/services.
    #[serde(default)]
    #[ts(type = "number[]")]
    pub product_ids: Vec<i64>,
    /// Created on or after this day (UTC).
    #[serde(default)]
    pub created_from: Option<NaiveDate>,
    /// Created on or before this day (UTC).
    #[serde(default)]
    pub created_to: Option<NaiveDate>,
    #[serde(default)]
    pub email_consent: Option<bool>,
    /// Only customers in the public pool (true) or not in it (false).
    #[serde(default)]
    pub in_pool: Option<bool>,
    /// Only customers in this approval state.
    #[serde(default)]
    pub approval: Option<Approval>,
    /// Active customers only (the default: null), inactive ones only, or all. In the trash,
    /// null is all.
    #[serde(default, deserialize_with = "active_filter")]
    pub active: Option<ActiveFilter>,
    /// Customers with no done care activity for this many days (never contacted included).
    #[serde(default)]
    pub not_contacted_days: Option<u32>,
}

impl CustomerFilter {
    pub fn is_empty(&self) -> bool {
        *self == CustomerFilter::default()
    }
}

/// Which customers a list shows by activity. Inactive customers are hidden unless asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ActiveFilter {
    Active,
    Inactive,
    All,
}

/// `active` as saved views stored it before it had three values: `true` (active), `false`
/// (inactive), null; or a name.
fn active_filter<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ActiveFilter>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Flag(bool),
        Named(ActiveFilter),
    }
    Ok(match Option::<Stored>::deserialize(d)? {
        None => None,
        Some(Stored::Flag(true)) => Some(ActiveFilter::Active),
        Some(Stored::Flag(false)) => Some(ActiveFilter::Inactive),
        Some(Stored::Named(a)) => Some(a),
    })
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
    #[serde(default)]
    pub filter: CustomerFilter,
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
// A message from the UI, built once per action: boxing the filter would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Selection {
    Ids {
        #[ts(type = "number[]")]
        ids: Vec<i64>,
    },
    Matching {
        search: String,
        #[serde(default)]
        filter: CustomerFilter,
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

//! The command line's grammar (clap derive). Parsing only; `commands` runs them.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use clientele::actor::Role;
use clientele::catalogs::CatalogKind;
use clientele::customers::{CustomerKind, Gender, SortField};
use clientele::duplicates::RuleMode;

#[derive(Debug, Parser)]
#[command(name = "clientele", version, about = "Clientele customer manager: command line", propagate_version = true)]
pub struct Cli {
    /// Data folder holding clientele.db (default: $CLIENTELE_DATA_DIR, else the OS data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Print results (and errors) as JSON.
    #[arg(long, global = true)]
    pub json: bool,

    /// Act as this staff member (by e-mail); their password, if any, from $CLIENTELE_PASSWORD.
    #[arg(long = "as", global = true, value_name = "EMAIL")]
    pub acting_as: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per process")]
pub enum Command {
    /// Create the database and its first administrator.
    Init {
        #[arg(long, value_name = "NAME")]
        admin_name: String,
        #[arg(long, value_name = "EMAIL")]
        admin_email: String,
        /// Optional; without one, anyone using this data folder acts as the administrator.
        #[arg(long, value_name = "PASSWORD", env = "CLIENTELE_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: Option<String>,
    },
    /// Add, edit, list, search, show, delete, restore and purge customers.
    #[command(subcommand)]
    Customers(CustomersCommand),
    /// Catalogs: segments, levels, groups, statuses, channels, positions, products, invoice types.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Staff members: add, list, change role, deactivate, activate.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Administrator settings (duplicate rules, approval, pool return).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Administrators: the activity log across customers, newest first.
    Activity(super::ownership_cmd::ActivityArgs),
    /// The care schedule: list, add, done, reschedule, cancel, timeline, recurring rules.
    #[command(subcommand)]
    Care(super::care_cmd::CareCommand),
    /// Import customers from a spreadsheet (xlsx, xlsm, xls, xlsb, ods, csv): all or nothing.
    Import(super::import_cmd::ImportArgs),
    /// Past imports: list them, or revert one.
    #[command(subcommand)]
    Imports(super::import_cmd::ImportsCommand),
    /// Export customers (everything, or a search and filters) to xlsx or csv.
    Export(super::export_cmd::ExportArgs),
    /// Write an import template (xlsx): customers, business or care.
    Template(super::export_cmd::TemplateArgs),
    /// Counts: customers, individuals, businesses, trash, staff.
    Stats,
    /// Fill the database with generated demo customers (Vietnamese and English).
    Demo {
        /// How many customers to create.
        #[arg(long, value_name = "N")]
        customers: u64,
        /// Same seed, same customers.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// Create a customer (the code is generated unless --code is given).
    Add(FieldArgs),
    /// Change fields of a customer; only the flags given change.
    Edit {
        /// Customer code (e.g. KH000123) or numeric id.
        #[arg(value_name = "CODE_OR_ID")]
        target: String,
        #[command(flatten)]
        fields: FieldArgs,
        /// Remove every phone number.
        #[arg(long, conflicts_with = "phones")]
        clear_phones: bool,
        /// Remove every e-mail address.
        #[arg(long, conflicts_with = "emails")]
        clear_emails: bool,
        /// Empty an optional field (repeatable).
        #[arg(long, value_enum, value_name = "FIELD")]
        clear: Vec<ClearField>,
    },
    /// List customers, a page at a time.
    List {
        #[command(flatten)]
        page: PageArgs,
        /// Only customers matching this text.
        #[arg(long, value_name = "TEXT", default_value = "")]
        search: String,
        /// List the trash instead.
        #[arg(long)]
        trash: bool,
    },
    /// Search by name, code, phone, e-mail or tax code (words match by prefix, accents ignored).
    Search {
        #[arg(value_name = "QUERY")]
        query: String,
        #[command(flatten)]
        page: PageArgs,
        /// Search the trash instead.
        #[arg(long)]
        trash: bool,
    },
    /// Show one customer with its history.
    Show {
        #[arg(value_name = "CODE_OR_ID")]
        target: String,
        /// How many history entries to show.
        #[arg(long, value_name = "N", default_value_t = 20)]
        history: u32,
    },
    /// Move customers to the trash.
    Delete {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
    /// Bring customers back from the trash.
    Restore {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
    /// Delete customers for good (only customers already in the trash).
    Purge {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
    /// Give customers to another staff member (by e-mail).
    Transfer {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
        #[arg(long, value_name = "EMAIL")]
        to: String,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// Their planned care activities (assigned to the previous owner or to no one) follow.
        #[arg(long)]
        with_care: bool,
    },
    /// Put customers in the public pool.
    Release {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Take customers from the pool (you become their owner).
    Claim {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
    /// Managers: give customers (e.g. from the pool) to a staff member.
    Assign {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
        #[arg(long, value_name = "EMAIL")]
        to: String,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// Their planned care activities (assigned to the previous owner or to no one) follow.
        #[arg(long)]
        with_care: bool,
    },
    /// Only the owner and managers may then open and change them.
    Lock {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
    Unlock {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
    /// Managers: approve customers awaiting approval.
    Approve {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
    /// Managers: reject customers awaiting approval (back to their creator with the reason).
    Reject {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    Activate {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
    /// Inactive customers are hidden from the default list.
    Deactivate {
        #[arg(value_name = "CODE_OR_ID", required = true)]
        targets: Vec<String>,
    },
}

/// KIND: segment, level, group, status, channel, position, product, invoice-type, care-type.
fn parse_kind(s: &str) -> Result<CatalogKind, String> {
    CatalogKind::parse(s).ok_or_else(|| {
        "expected one of: segment, level, group, status, channel, position, product, invoice-type, care-type".to_owned()
    })
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Items in their order (levels: first is highest), with how many customers use each.
    List {
        #[arg(value_name = "KIND", value_parser = parse_kind)]
        kind: CatalogKind,
    },
    /// Add an item at the end of a catalog.
    Add {
        #[arg(value_name = "KIND", value_parser = parse_kind)]
        kind: CatalogKind,
        #[arg(value_name = "NAME")]
        name: String,
        /// Colour as #rrggbb.
        #[arg(long, value_name = "#RRGGBB")]
        color: Option<String>,
    },
    /// Rename an item (customers using it follow).
    Rename {
        #[arg(value_name = "KIND", value_parser = parse_kind)]
        kind: CatalogKind,
        #[arg(value_name = "NAME_OR_ID")]
        item: String,
        #[arg(value_name = "NEW_NAME")]
        new_name: String,
    },
    /// Set an item's colour (#rrggbb, or "none" for the default).
    Color {
        #[arg(value_name = "KIND", value_parser = parse_kind)]
        kind: CatalogKind,
        #[arg(value_name = "NAME_OR_ID")]
        item: String,
        #[arg(value_name = "COLOR")]
        color: String,
    },
    /// Move an item one place up or down (for levels: up is higher).
    #[command(group(ArgGroup::new("direction").required(true).args(["up", "down"])))]
    Move {
        #[arg(value_name = "KIND", value_parser = parse_kind)]
        kind: CatalogKind,
        #[arg(value_name = "NAME_OR_ID")]
        item: String,
        #[arg(long)]
        up: bool,
        #[arg(long)]
        down: bool,
    },
    /// Hide an item from new choices (customers keep it).
    Deactivate {
        #[arg(value_name = "KIND", value_parser = parse_kind)]
        kind: CatalogKind,
        #[arg(value_name = "NAME_OR_ID")]
        item: String,
    },
    /// Offer a deactivated item again.
    Activate {
        #[arg(value_name = "KIND", value_parser = parse_kind)]
        kind: CatalogKind,
        #[arg(value_name = "NAME_OR_ID")]
        item: String,
    },
    /// Delete an item. Refused while customers use it, unless --replace-with moves them first.
    Delete {
        #[arg(value_name = "KIND", value_parser = parse_kind)]
        kind: CatalogKind,
        #[arg(value_name = "NAME_OR_ID")]
        item: String,
        /// Move its customers to this item of the same catalog, then delete.
        #[arg(long, value_name = "NAME_OR_ID")]
        replace_with: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member (administrators only).
    Add {
        #[arg(long, value_name = "NAME")]
        name: String,
        #[arg(long, value_name = "EMAIL")]
        email: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Staff)]
        role: RoleArg,
        /// Optional sign-in password.
        #[arg(long, value_name = "PASSWORD", env = "CLIENTELE_STAFF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Every staff member, active ones first.
    List,
    /// Change a staff member's role (administrators only).
    Role {
        #[arg(value_name = "EMAIL")]
        email: String,
        #[arg(value_enum, value_name = "ROLE")]
        role: RoleArg,
    },
    /// Stop a staff member from signing in (not yourself, not the last administrator).
    Deactivate {
        #[arg(value_name = "EMAIL")]
        email: String,
    },
    /// Let a deactivated staff member sign in again.
    Activate {
        #[arg(value_name = "EMAIL")]
        email: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Manager,
    Staff,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Manager => Role::Manager,
            RoleArg::Staff => Role::Staff,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show the duplicate rules, or change the ones given (administrators only). A warning lets
    /// `customers add|edit --allow-duplicate` go on; a block never does.
    Duplicates {
        /// Any phone number in common (compared as digits with the country code normalised).
        #[arg(long, value_enum, value_name = "MODE")]
        phone: Option<RuleArg>,
        /// Any e-mail address in common (case and spaces ignored).
        #[arg(long, value_enum, value_name = "MODE")]
        email: Option<RuleArg>,
        /// Same tax code.
        #[arg(long, value_enum, value_name = "MODE")]
        tax_code: Option<RuleArg>,
        /// Same name and address (case, accents and spacing ignored).
        #[arg(long, value_enum, value_name = "MODE")]
        name_address: Option<RuleArg>,
    },
    /// Show, or change (administrators), whether new customers created by staff members wait
    /// for a manager's approval.
    Approval {
        #[arg(value_enum, value_name = "on|off")]
        value: Option<super::ownership_cmd::OnOff>,
    },
    /// Show, or change (administrators), the automatic return to the pool of customers with no
    /// done care activity for N days.
    PoolReturn {
        /// Days without a done care activity (1 to 3650), or `off`.
        #[arg(long, value_name = "N|off")]
        days: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RuleArg {
    Off,
    Warn,
    Block,
}

impl From<RuleArg> for RuleMode {
    fn from(r: RuleArg) -> Self {
        match r {
            RuleArg::Off => RuleMode::Off,
            RuleArg::Warn => RuleMode::Warn,
            RuleArg::Block => RuleMode::Block,
        }
    }
}

#[derive(Debug, Args)]
pub struct PageArgs {
    #[arg(long, value_enum, default_value_t = SortArg::Name)]
    pub sort: SortArg,
    /// Descending order.
    #[arg(long)]
    pub desc: bool,
    /// Rows to show (1 to 500).
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub limit: u32,
    /// Skip this many rows first.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u32,
}

/// Every field of `CustomerInput`, all optional (on `edit`, a flag replaces that field).
#[derive(Debug, Args, Default)]
pub struct FieldArgs {
    /// Customer code (default on add: the next one, e.g. KH000123).
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<KindArg>,
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Phone number (repeatable; on edit, replaces the list).
    #[arg(long = "phone", value_name = "PHONE")]
    pub phones: Vec<String>,
    /// E-mail address (repeatable; on edit, replaces the list).
    #[arg(long = "email", value_name = "EMAIL")]
    pub emails: Vec<String>,
    #[arg(long, value_name = "TEXT")]
    pub address: Option<String>,
    #[arg(long, value_name = "TAX_CODE")]
    pub tax_code: Option<String>,
    #[arg(long, value_name = "URL")]
    pub website: Option<String>,
    /// Individuals only.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub birthday: Option<NaiveDate>,
    /// Businesses only.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub founded_on: Option<NaiveDate>,
    /// Individuals only.
    #[arg(long, value_enum)]
    pub gender: Option<GenderArg>,
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// Responsible staff member, by e-mail (default on add: you).
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
    /// Segment, by name or id (`clientele catalog list segment`).
    #[arg(long, value_name = "NAME_OR_ID")]
    pub segment: Option<String>,
    /// Level, by name or id.
    #[arg(long, value_name = "NAME_OR_ID")]
    pub level: Option<String>,
    /// Group, by name or id (repeatable; on edit, replaces the list).
    #[arg(long = "group", value_name = "NAME_OR_ID")]
    pub groups: Vec<String>,
    /// Status, by name or id.
    #[arg(long, value_name = "NAME_OR_ID")]
    pub status: Option<String>,
    /// Acquisition channel, by name or id.
    #[arg(long, value_name = "NAME_OR_ID")]
    pub channel: Option<String>,
    /// Service manager, by staff e-mail.
    #[arg(long, value_name = "EMAIL")]
    pub service_manager: Option<String>,
    /// Agrees to promotional e-mail (the time it changes is recorded).
    #[arg(long, value_name = "yes|no", value_parser = parse_yes_no)]
    pub email_consent: Option<bool>,
    /// Product or service in use, optionally since a day (repeatable; on edit, replaces the list).
    #[arg(long = "product", value_name = "NAME[:YYYY-MM-DD]")]
    pub products: Vec<String>,
    /// Invoice type, by name or id (repeatable; on edit, replaces the list).
    #[arg(long = "invoice-type", value_name = "NAME_OR_ID")]
    pub invoice_types: Vec<String>,
    /// Legal entity invoices go to (repeatable; on edit, replaces the list).
    #[arg(long = "legal-entity", value_name = "NAME[;TAX_CODE[;ADDRESS]]")]
    pub legal_entities: Vec<String>,
    /// Contact person, businesses only; the first is the primary contact (repeatable; on edit,
    /// replaces the list, keeping the records of contacts with the same name).
    #[arg(long = "contact", value_name = "NAME[;POSITION[;PHONE[;EMAIL]]]")]
    pub contacts: Vec<String>,
    /// Referring customer, by code or id.
    #[arg(long, value_name = "CODE_OR_ID")]
    pub referrer: Option<String>,
    /// Referring supplier (free text).
    #[arg(long, value_name = "TEXT")]
    pub referrer_supplier: Option<String>,
    /// Go on although the customer matches others by a duplicate rule that only warns.
    #[arg(long)]
    pub allow_duplicate: bool,
}

fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "on" => Ok(true),
        "no" | "n" | "false" | "0" | "off" => Ok(false),
        _ => Err("expected yes or no".to_owned()),
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|e| format!("expected YYYY-MM-DD ({e})"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    #[value(alias = "person", alias = "ca-nhan")]
    Individual,
    #[value(alias = "company", alias = "doanh-nghiep")]
    Business,
}

impl From<KindArg> for CustomerKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Individual => CustomerKind::Individual,
            KindArg::Business => CustomerKind::Business,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GenderArg {
    Male,
    Female,
    Other,
}

impl From<GenderArg> for Gender {
    fn from(g: GenderArg) -> Self {
        match g {
            GenderArg::Male => Gender::Male,
            GenderArg::Female => Gender::Female,
            GenderArg::Other => Gender::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Name,
    Code,
    Created,
    /// Last contact (never contacted first).
    LastContact,
}

impl From<SortArg> for SortField {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Name => SortField::Name,
            SortArg::Code => SortField::Code,
            SortArg::Created => SortField::Created,
            SortArg::LastContact => SortField::LastContact,
        }
    }
}

/// Optional fields that `customers edit --clear FIELD` can empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClearField {
    Address,
    TaxCode,
    Website,
    Birthday,
    FoundedOn,
    Gender,
    Notes,
    Segment,
    Level,
    Groups,
    Status,
    Channel,
    ServiceManager,
    Products,
    InvoiceTypes,
    LegalEntities,
    Contacts,
    Referrer,
    ReferrerSupplier,
}

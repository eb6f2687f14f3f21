//! The command line's grammar (clap derive). Parsing only; `commands` runs them.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clientele::customers::{CustomerKind, Gender, SortField};

#[derive(Debug, Parser)]
#[command(name = "clientele", version, about = "Clientele customer manager: command line", propagate_version = true)]
pub struct Cli {
    /// Data folder holding clientele.db (default: $CLIENTELE_DATA_DIR, else the OS data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Print results (and errors) as JSON.
    #[arg(long, global = true)]
    pub json: bool,

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
}

impl From<SortArg> for SortField {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Name => SortField::Name,
            SortArg::Code => SortField::Code,
            SortArg::Created => SortField::Created,
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
}

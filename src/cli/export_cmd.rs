//! `clientele export …` and `clientele template customers|business|care …`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use clientele::actor::Actor;
use clientele::catalogs::{self, CatalogKind};
use clientele::customers::{ActiveFilter, CustomerFilter, CustomerKind, ListQuery};
use clientele::export::{self, ExportColumn, ExportFormat, ExportRequest, ExportSource};
use clientele::settings::{self, Language};
use clientele::staff;
use clientele::store::Store;
use clientele::template::{self, TemplateKind};
use clientele::{Error, Result, text};
use serde_json::json;

use super::args::SortArg;
use super::render;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (replaced if it exists).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Free-text search, as in the app's list (words by prefix, phone digits).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub search: String,
    /// Narrow the list, repeatable: kind, segment, level, group, status, channel, owner,
    /// service-manager, product (by name or id; staff also by e-mail), consent (yes/no),
    /// created-from, created-to (YYYY-MM-DD), active (active, the default; inactive; all),
    /// not-contacted-days (N). Values of one field are alternatives.
    #[arg(long = "filter", value_name = "FIELD=VALUE")]
    pub filters: Vec<String>,
    /// Export the trash instead of live customers.
    #[arg(long)]
    pub trash: bool,
    #[arg(long, value_enum, default_value_t = SortArg::Name)]
    pub sort: SortArg,
    /// Descending order.
    #[arg(long)]
    pub desc: bool,
    /// Columns in order, comma-separated (default: all): customer_code, name, type, phone, email,
    /// address, segment, level, group, status, acquisition_channel, owner, tax_code, website,
    /// birthday, founded_date, notes, promo_email_consent, contact_name, contact_phone,
    /// contact_email, contact_position, gender, service_manager, created_at, updated_at.
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    pub columns: Vec<String>,
    /// File format (default: from the file's extension, else xlsx).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Language of headers and words in cells (default: the app's language).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Which template: individual customers, business customers (with contact columns), or
    /// follow-up (care) records.
    #[arg(value_enum, value_name = "KIND")]
    pub kind: TemplateArg,
    /// The xlsx file to write (replaced if it exists).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Language of the template (default: the app's language).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Xlsx,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    En,
    Vi,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TemplateArg {
    Customers,
    Business,
    Care,
}

async fn language(store: &Store, lang: Option<LangArg>) -> Result<Language> {
    Ok(match lang {
        Some(LangArg::En) => Language::En,
        Some(LangArg::Vi) => Language::Vi,
        None => settings::language(store).await?,
    })
}

pub async fn export(store: &Store, actor: &Actor, args: ExportArgs, json: bool) -> Result<String> {
    let format = match args.format {
        Some(FormatArg::Xlsx) => ExportFormat::Xlsx,
        Some(FormatArg::Csv) => ExportFormat::Csv,
        None if has_extension(&args.output, "csv") => ExportFormat::Csv,
        None => ExportFormat::Xlsx,
    };
    let mut columns = Vec::new();
    for key in args.columns.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        columns.push(
            ExportColumn::parse(key)
                .ok_or_else(|| Error::InvalidArgument(format!("unknown column {key:?} (see --help)")))?,
        );
    }
    let query = ListQuery {
        search: args.search,
        sort: args.sort.into(),
        desc: args.desc,
        trash: args.trash,
        filter: filter(store, &args.filters).await?,
        ..Default::default()
    };
    let request = ExportRequest {
        source: ExportSource::Query(query),
        columns,
        format,
        language: language(store, args.lang).await?,
    };

    // Progress on stderr when it is a terminal, so that stdout stays the report.
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut last = std::time::Instant::now();
    let mut progress = |done: u64, total: u64| {
        if tty && last.elapsed().as_millis() > 200 {
            last = std::time::Instant::now();
            let _ = write!(std::io::stderr(), "\r{} / {} customers", render::thousands(done), render::thousands(total));
        }
        true
    };
    let started = std::time::Instant::now();
    let report = export::export(store, actor, &request, &args.output, &mut progress).await?;
    if tty {
        let _ = write!(std::io::stderr(), "\r{:<40}\r", "");
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(if json {
        render::json(&json!({ "rows": report.rows, "sheets": report.sheets, "path": report.path, "seconds": seconds }))
    } else {
        let sheets = if report.sheets > 1 { format!(" on {} sheets", report.sheets) } else { String::new() };
        format!("Exported {} customers to {}{sheets} in {seconds:.1} s\n", render::thousands(report.rows), report.path)
    })
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// `--filter FIELD=VALUE` flags as a [`CustomerFilter`].
async fn filter(store: &Store, flags: &[String]) -> Result<CustomerFilter> {
    let mut f = CustomerFilter::default();
    let bad = |flag: &str, why: &str| Error::InvalidArgument(format!("--filter {flag}: {why}"));
    for flag in flags {
        let (field, value) = flag.split_once('=').ok_or_else(|| bad(flag, "expected FIELD=VALUE"))?;
        let value = value.trim();
        let field = field.trim().to_ascii_lowercase().replace('_', "-");
        let catalog = |kind: CatalogKind| async move { Ok::<i64, Error>(catalogs::find(store, kind, value).await?.id) };
        let date = || NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| bad(flag, "expected YYYY-MM-DD"));
        match field.as_str() {
            "kind" | "type" => {
                f.kind = Some(match text::fold(value).as_str() {
                    "individual" | "ca nhan" => CustomerKind::Individual,
                    "business" | "doanh nghiep" => CustomerKind::Business,
                    _ => return Err(bad(flag, "expected individual or business")),
                })
            }
            "segment" => f.segment_ids.push(catalog(CatalogKind::Segment).await?),
            "level" => f.level_ids.push(catalog(CatalogKind::Level).await?),
            "group" => f.group_ids.push(catalog(CatalogKind::Group).await?),
            "status" => f.status_ids.push(catalog(CatalogKind::Status).await?),
            "channel" | "acquisition-channel" => f.channel_ids.push(catalog(CatalogKind::Channel).await?),
            "product" => f.product_ids.push(catalog(CatalogKind::Product).await?),
            "owner" => f.owner_ids.push(staff_id(store, value).await?),
            "service-manager" => f.service_manager_ids.push(staff_id(store, value).await?),
            "consent" | "email-consent" | "promo-email-consent" => {
                f.email_consent = Some(match text::fold(value).as_str() {
                    "yes" | "true" | "1" | "co" => true,
                    "no" | "false" | "0" | "khong" => false,
                    _ => return Err(bad(flag, "expected yes or no")),
                })
            }
            "active" | "activity" => {
                f.active = Some(match text::fold(value).as_str() {
                    "active" | "yes" | "true" => ActiveFilter::Active,
                    "inactive" | "no" | "false" => ActiveFilter::Inactive,
                    "all" => ActiveFilter::All,
                    _ => return Err(bad(flag, "expected active, inactive or all")),
                })
            }
            "not-contacted-days" => {
                f.not_contacted_days = Some(value.parse().map_err(|_| bad(flag, "expected a number of days"))?)
            }
            "created-from" => f.created_from = Some(date()?),
            "created-to" => f.created_to = Some(date()?),
            _ => return Err(bad(flag, "unknown field (see --help)")),
        }
    }
    Ok(f)
}

/// A staff member by id, e-mail or name (case and accents ignored).
async fn staff_id(store: &Store, value: &str) -> Result<i64> {
    let all = staff::list(store).await?;
    let folded = text::fold(value);
    all.iter()
        .find(|s| s.id.to_string() == value || text::email_key(&s.email) == text::email_key(value))
        .or_else(|| all.iter().find(|s| text::fold(&s.name) == folded))
        .map(|s| s.id)
        .ok_or_else(|| Error::StaffNotFound(value.to_owned()))
}

pub async fn template(store: &Store, args: TemplateArgs, json: bool) -> Result<String> {
    let kind = match args.kind {
        TemplateArg::Customers => TemplateKind::Individual,
        TemplateArg::Business => TemplateKind::Business,
        TemplateArg::Care => TemplateKind::Care,
    };
    let language = language(store, args.lang).await?;
    template::template(store, kind, language, &args.output).await?;
    let path = args.output.display().to_string();
    Ok(if json {
        render::json(&json!({ "kind": kind, "language": language, "path": path }))
    } else {
        format!("Wrote the {} template ({}) to {path}\n", kind.as_str(), language.as_str())
    })
}

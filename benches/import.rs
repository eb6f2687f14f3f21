//! Import and export benchmark (DESIGN.md §5; issue 5, "Performance"). Each step runs in a child
//! process of its own, so that its peak memory is its own; each is printed beside a raw
//! reference measured in the same run. Prints wall and CPU seconds, the ratio to the reference
//! and the peak resident memory (VmHWM, what getrusage calls ru_maxrss) of each step. Never fails
//! on time: a missed target is printed as OVER.
//!
//! For each size (default 100,000 and 1,000,000 rows):
//!
//! - **import** of `customers-<size>-<lang>.xlsx` into an empty database (`import::run`, skip
//!   mode, as the app and `clientele import` do), against the reference: calamine's streaming
//!   cell reader (`worksheet_cells_reader`) over the same file, plus a bare one-transaction insert
//!   of the same rows (as text) into one table with an FTS5 word index (the customers' tokenizer,
//!   prefixes and detail, read from its definition) kept by a trigger. Targets: ≤ 2× the reference; at 1M rows also
//!   peak ≤ 400 MiB.
//! - **export** of every customer that import created, all columns, to xlsx (`export::export`),
//!   against a bare rust_xlsxwriter constant-memory write of the same cells (read back from the
//!   exported file beforehand, not timed). Targets: ≤ 1.5× the reference, peak ≤ 100 MiB.
//! - with `--csv`, also the import of the CSV twin of the file, against the csv crate's read plus
//!   the same bare insert.
//!
//! The spreadsheets are generated once (`gen`, also `cargo xtask gen-data`) from the demo
//! generator: ≈70 % Vietnamese and ≈30 % English customers, a quarter businesses (with a contact
//! person), catalog values in the file's language (a few not in the starter catalogs), dates as
//! date cells (xlsx) or day-first text (Vietnamese CSV), some phones typed as numbers (leading
//! zero lost), stray spaces and NBSPs, upper-case e-mails, ~1.5 % rows repeating an earlier
//! row's phone (duplicates) and ~0.6 % invalid rows (no name, a broken e-mail). Headers and
//! words in Vietnamese (`vi`) or English (`en`); xlsx as Excel writes it (shared strings).
//!
//!     cargo bench -p clientele --bench import                      # 100k and 1M, Vietnamese xlsx
//!     cargo bench -p clientele --bench import -- --sizes 100000 --csv --lang en
//!     cargo bench -p clientele --bench import -- gen --sizes 100000,1000000
//!
//! Files and scratch databases live under `--dir` (default `$CLIENTELE_BENCH_DIR/io`, else
//! `target/bench-data/io`); the scratch databases are removed at the end unless `--keep`.

#[global_allocator]
static GLOBAL: clientele::Allocator = clientele::Allocator;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use calamine::{DataRef, Reader, Xlsx, open_workbook};
use chrono::{Datelike, NaiveDate};
use clientele::actor::{Actor, Role};
use clientele::customers::{CustomerInput, CustomerKind, ListQuery};
use clientele::demo;
use clientele::export::{self, ExportFormat, ExportRequest, ExportSource};
use clientele::import::mapping::ImportField;
use clientele::import::{self, ImportOptions};
use clientele::settings::Language;
use clientele::staff::{self, NewStaff};
use clientele::store::Store;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde::{Deserialize, Serialize};

const SEED: u64 = 42;

const USAGE: &str = "\
usage: cargo bench -p clientele --bench import -- [options]
       cargo bench -p clientele --bench import -- gen [--sizes N,N] [--langs vi,en] [--formats xlsx,csv] [--dir DIR]

options:
  --sizes N,N      rows per file (default 100000,1000000)
  --lang vi|en     which generated file to import (default vi)
  --csv            also import the CSV twin (against the csv crate's read + the bare insert)
  --no-export      skip the exports
  --dir DIR        files and scratch databases (default $CLIENTELE_BENCH_DIR/io or target/bench-data/io)
  --keep           keep the scratch databases and exported files
";

type R<T = ()> = std::result::Result<T, String>;

/// `?` on any displayable error, with what was being done.
trait Context<T> {
    fn ctx(self, what: &str) -> R<T>;
}

impl<T, E: std::fmt::Display> Context<T> for std::result::Result<T, E> {
    fn ctx(self, what: &str) -> R<T> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}

fn main() {
    // `cargo bench` passes `--bench`.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => gen_command(&args[1..]),
        Some("step") => step_command(&args[1..]),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => bench_command(&args),
    };
    if let Err(e) = result {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}

// ---------------------------------------------------------------------------------------------
// Options.

fn default_dir() -> PathBuf {
    std::env::var_os("CLIENTELE_BENCH_DIR")
        .filter(|d| !d.is_empty())
        .map(|d| PathBuf::from(d).join("io"))
        .unwrap_or_else(|| PathBuf::from("target/bench-data/io"))
}

fn parse_sizes(v: &str) -> R<Vec<u64>> {
    v.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().replace('_', "").parse::<u64>().map_err(|_| format!("not a row count: {s}")))
        .filter(|n| !matches!(n, Ok(0)))
        .collect()
}

fn parse_lang(v: &str) -> R<Language> {
    match v.trim() {
        "vi" => Ok(Language::Vi),
        "en" => Ok(Language::En),
        other => Err(format!("unknown language {other:?} (vi or en)")),
    }
}

fn lang_code(l: Language) -> &'static str {
    match l {
        Language::En => "en",
        Language::Vi => "vi",
    }
}

/// `100k`, `1m`, or the number.
fn size_label(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}m", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

fn data_file(dir: &Path, n: u64, lang: Language, ext: &str) -> PathBuf {
    dir.join(format!("customers-{}-{}.{ext}", size_label(n), lang_code(lang)))
}

fn next_value<'a>(it: &mut impl Iterator<Item = &'a String>, option: &str) -> R<&'a String> {
    it.next().ok_or_else(|| format!("{option} needs a value\n\n{USAGE}"))
}

// ---------------------------------------------------------------------------------------------
// Generating the spreadsheets.

/// The file's columns, in order.
const FIELDS: [ImportField; 20] = [
    ImportField::Name,
    ImportField::Kind,
    ImportField::Phone,
    ImportField::Email,
    ImportField::Address,
    ImportField::Segment,
    ImportField::Level,
    ImportField::Group,
    ImportField::Status,
    ImportField::AcquisitionChannel,
    ImportField::TaxCode,
    ImportField::Website,
    ImportField::Birthday,
    ImportField::FoundedDate,
    ImportField::Gender,
    ImportField::PromoEmailConsent,
    ImportField::ContactName,
    ImportField::ContactPhone,
    ImportField::ContactPosition,
    ImportField::Notes,
];

/// Catalog words of a file's language: the starter items, plus a few a real file brings along.
struct Words {
    segments: &'static [&'static str],
    levels: &'static [&'static str],
    groups: &'static [&'static str],
    statuses: &'static [&'static str],
    channels: &'static [&'static str],
    positions: &'static [&'static str],
}

fn words(lang: Language) -> Words {
    match lang {
        Language::En => Words {
            segments: &["Retail", "Wholesale", "SME", "Enterprise"],
            levels: &["VIP", "Gold", "Silver", "Standard", "Standard", "Standard"],
            groups: &["Partners", "Newsletter", "Trade fair 2024"],
            statuses: &["New", "Active", "Active", "Active", "Inactive"],
            channels: &["Website", "Referral", "Event", "Advertising", "Cold call", "Facebook", "Zalo"],
            positions: &["Director", "Manager", "Accountant", "Purchasing"],
        },
        Language::Vi => Words {
            segments: &["Bán lẻ", "Bán sỉ", "Doanh nghiệp vừa và nhỏ", "Doanh nghiệp lớn"],
            levels: &["VIP", "Vàng", "Bạc", "Thường", "Thường", "Thường"],
            groups: &["Đối tác", "Nhận bản tin", "Hội chợ 2024"],
            statuses: &["Mới", "Đang giao dịch", "Đang giao dịch", "Đang giao dịch", "Ngừng giao dịch"],
            channels: &["Website", "Giới thiệu", "Sự kiện", "Quảng cáo", "Gọi điện", "Facebook", "Zalo"],
            positions: &["Giám đốc", "Trưởng phòng", "Kế toán", "Mua hàng"],
        },
    }
}

/// SplitMix64 seeded per row (the file's own draws, apart from the demo generator's).
struct Rng(u64);

impl Rng {
    fn for_row(row: u64) -> Rng {
        let mut r = Rng((SEED ^ 0xF11E_5EED) ^ row.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// One generated cell.
#[derive(Clone)]
enum V {
    Empty,
    Text(String),
    Date(NaiveDate),
    /// A phone typed into Excel as a number (its leading zero gone).
    Number(f64),
}

fn text(s: impl Into<String>) -> V {
    let s = s.into();
    if s.is_empty() { V::Empty } else { V::Text(s) }
}

/// The rows of a generated file, in `FIELDS` order.
fn file_rows(n: u64, lang: Language) -> impl Iterator<Item = Vec<V>> {
    let w = words(lang);
    // Contact people of businesses: individuals of another stream of demo customers.
    let people = demo::customers(n, SEED ^ 0xC0_47AC7);
    let mut recent: Vec<String> = Vec::with_capacity(4096);
    demo::customers(n, SEED).zip(people).enumerate().map(move |(i, (c, person))| {
        let mut rng = Rng::for_row(i as u64);
        row_cells(&c, &person, lang, &w, &mut rng, &mut recent, i)
    })
}

fn row_cells(
    c: &CustomerInput,
    person: &CustomerInput,
    lang: Language,
    w: &Words,
    rng: &mut Rng,
    recent: &mut Vec<String>,
    i: usize,
) -> Vec<V> {
    let mut row = vec![V::Empty; FIELDS.len()];
    let mut set = |field: ImportField, v: V| {
        if let Some(at) = FIELDS.iter().position(|f| *f == field) {
            row[at] = v;
        }
    };
    let business = c.kind == CustomerKind::Business;
    // Name: a few missing (invalid rows), a few with stray spaces or a no-break space.
    let name = if rng.chance(3) {
        String::new()
    } else if rng.chance(30) {
        format!("  {}\u{a0}", c.name)
    } else {
        c.name.clone()
    };
    set(ImportField::Name, text(name));
    if business || rng.chance(950) {
        set(ImportField::Kind, text(export::kind_word(c.kind, lang)));
    }
    // Phones: ~1.5 % repeat a recent row's phone (duplicates within the file); a plain
    // ten-digit mobile is sometimes a number cell.
    let mut phones = c.phones.clone();
    if i > 100 && !recent.is_empty() && rng.chance(15) {
        let k = (rng.next() % recent.len() as u64) as usize;
        phones = vec![recent[k].clone()];
    } else if let Some(first) = phones.first() {
        if recent.len() < 4096 {
            recent.push(first.clone());
        } else {
            recent[i % 4096] = first.clone();
        }
    }
    let plain_mobile = phones.len() == 1
        && phones[0].len() == 10
        && phones[0].starts_with('0')
        && phones[0].bytes().all(|b| b.is_ascii_digit());
    if plain_mobile && rng.chance(300) {
        set(ImportField::Phone, V::Number(phones[0][1..].parse::<f64>().unwrap_or_default()));
    } else {
        set(ImportField::Phone, text(phones.join(", ")));
    }
    if let Some(e) = c.emails.first() {
        // The demo generator draws addresses from a few names and numbers, so at a million rows
        // a quarter would repeat an earlier one; a number of the row's own keeps them apart (the
        // file's duplicates are the repeated phones above).
        let e = match e.split_once('@') {
            Some((local, domain)) => format!("{local}{}@{domain}", i % 1_000_000),
            None => e.clone(),
        };
        let e = if rng.chance(3) {
            e.replace('@', " at ")
        } else if rng.chance(30) {
            e.to_uppercase()
        } else {
            e
        };
        set(ImportField::Email, text(e));
    }
    set(ImportField::Address, text(c.address.clone().unwrap_or_default()));
    if rng.chance(850) {
        set(ImportField::Segment, text(rng.pick(w.segments)));
    }
    if rng.chance(900) {
        set(ImportField::Level, text(rng.pick(w.levels)));
    }
    if rng.chance(200) {
        let g = if rng.chance(250) { format!("{}, {}", w.groups[0], w.groups[1]) } else { rng.pick(w.groups).into() };
        set(ImportField::Group, text(g));
    }
    if rng.chance(950) {
        set(ImportField::Status, text(rng.pick(w.statuses)));
    }
    if rng.chance(800) {
        set(ImportField::AcquisitionChannel, text(rng.pick(w.channels)));
    }
    set(ImportField::TaxCode, text(c.tax_code.clone().unwrap_or_default()));
    set(ImportField::Website, text(c.website.clone().unwrap_or_default()));
    if let Some(d) = c.birthday {
        set(ImportField::Birthday, V::Date(d));
    }
    if let Some(d) = c.founded_on {
        set(ImportField::FoundedDate, V::Date(d));
    }
    if let Some(g) = c.gender {
        set(ImportField::Gender, text(export::gender_word(g, lang)));
    }
    if !c.emails.is_empty() && rng.chance(500) {
        set(ImportField::PromoEmailConsent, text(export::yes_no(rng.chance(800), lang)));
    }
    if business && person.kind == CustomerKind::Individual && rng.chance(600) {
        set(ImportField::ContactName, text(person.name.clone()));
        if rng.chance(600) {
            set(ImportField::ContactPhone, text(person.phones.first().cloned().unwrap_or_default()));
        }
        if rng.chance(700) {
            set(ImportField::ContactPosition, text(rng.pick(w.positions)));
        }
    }
    set(ImportField::Notes, text(c.notes.clone().unwrap_or_default()));
    row
}

fn headers(lang: Language) -> Vec<&'static str> {
    FIELDS.iter().map(|f| export::field_header(*f, lang)).collect()
}

/// The xlsx as Excel writes it: shared strings (rust_xlsxwriter's low-memory mode keeps them),
/// dates as date cells, a bold frozen header.
fn write_xlsx(path: &Path, n: u64, lang: Language) -> R {
    let mut book = Workbook::new();
    if let Some(dir) = path.parent() {
        book.set_tempdir(dir).ctx("xlsx tempdir")?;
    }
    let date = Format::new().set_num_format(if lang == Language::Vi { "dd/mm/yyyy" } else { "yyyy-mm-dd" });
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet_with_low_memory().ctx("xlsx")?;
    sheet.set_name(if lang == Language::Vi { "Khách hàng" } else { "Customers" }).ctx("xlsx")?;
    sheet.set_freeze_panes(1, 0).ctx("xlsx")?;
    for (col, h) in headers(lang).into_iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, h, &bold).ctx("xlsx")?;
        sheet.set_column_width(col as u16, 18).ctx("xlsx")?;
    }
    for (i, cells) in file_rows(n, lang).enumerate() {
        let row = i as u32 + 1;
        for (col, v) in cells.into_iter().enumerate() {
            let col = col as u16;
            match v {
                V::Empty => {}
                V::Text(s) => {
                    sheet.write_string(row, col, s).ctx("xlsx")?;
                }
                V::Number(x) => {
                    sheet.write_number(row, col, x).ctx("xlsx")?;
                }
                V::Date(d) => {
                    let x =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ctx("xlsx date")?;
                    sheet.write_datetime_with_format(row, col, &x, &date).ctx("xlsx")?;
                }
            }
        }
    }
    book.save(path).ctx("xlsx save")
}

/// The CSV as a spreadsheet saves it: UTF-8 with a byte order mark; dates day-first in
/// Vietnamese, ISO in English.
fn write_csv(path: &Path, n: u64, lang: Language) -> R {
    use std::io::Write as _;
    let mut file = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(path).ctx("csv")?);
    file.write_all("\u{feff}".as_bytes()).ctx("csv")?;
    let mut w = csv::Writer::from_writer(file);
    w.write_record(headers(lang)).ctx("csv")?;
    let date = if lang == Language::Vi { "%d/%m/%Y" } else { "%Y-%m-%d" };
    for cells in file_rows(n, lang) {
        for v in cells {
            match v {
                V::Empty => w.write_field("").ctx("csv")?,
                V::Text(s) => w.write_field(s).ctx("csv")?,
                V::Number(x) => w.write_field(format!("{x}")).ctx("csv")?,
                V::Date(d) => w.write_field(d.format(date).to_string()).ctx("csv")?,
            }
        }
        w.write_record(None::<&[u8]>).ctx("csv")?;
    }
    w.flush().ctx("csv")
}

/// Write the file unless it is there (under a temporary name first, then renamed).
fn ensure_file(path: &Path, n: u64, lang: Language) -> R {
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ctx("create the data folder")?;
    }
    let t = Instant::now();
    let tmp = path.with_extension("partial");
    let xlsx = path.extension().is_some_and(|e| e == "xlsx");
    if xlsx {
        write_xlsx(&tmp, n, lang)?
    } else {
        write_csv(&tmp, n, lang)?
    }
    std::fs::rename(&tmp, path).ctx("rename")?;
    let mib = std::fs::metadata(path).map(|m| m.len() as f64 / 1048576.0).unwrap_or_default();
    println!("wrote {} ({mib:.1} MiB) in {:.1} s", path.display(), t.elapsed().as_secs_f64());
    Ok(())
}

fn gen_command(args: &[String]) -> R {
    let (mut sizes, mut langs, mut formats, mut dir) =
        (vec![100_000, 1_000_000], vec![Language::Vi, Language::En], vec!["xlsx", "csv"], default_dir());
    let mut force = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" => sizes = parse_sizes(next_value(&mut it, a)?)?,
            "--langs" => langs = next_value(&mut it, a)?.split(',').map(parse_lang).collect::<R<_>>()?,
            "--formats" => {
                formats = Vec::new();
                for f in next_value(&mut it, a)?.split(',') {
                    match f.trim() {
                        "xlsx" => formats.push("xlsx"),
                        "csv" => formats.push("csv"),
                        other => return Err(format!("unknown format {other:?} (xlsx or csv)")),
                    }
                }
            }
            "--dir" => dir = PathBuf::from(next_value(&mut it, a)?),
            "--force" => force = true,
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    for &n in &sizes {
        for &lang in &langs {
            for ext in &formats {
                let path = data_file(&dir, n, lang, ext);
                if force && path.exists() {
                    std::fs::remove_file(&path).ctx("remove the old file")?;
                }
                ensure_file(&path, n, lang)?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The steps, each in a child process: `step NAME ARGS…` prints one `RESULT {json}` line.

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Measured {
    wall: f64,
    cpu: f64,
    peak_kib: u64,
    note: String,
}

/// CPU seconds (user + system, all threads) this process has used, and its peak resident set
/// so far (VmHWM, the same figure as getrusage's ru_maxrss), from /proc.
fn usage() -> (f64, u64) {
    let cpu = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // Fields after the command name (which may hold spaces) start after the last ')';
            // utime and stime are fields 14 and 15 of the line, 12th and 13th after it.
            let rest = stat.rsplit_once(')')?.1.to_owned();
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
            Some((ticks(11) + ticks(12)) / 100.0)
        })
        .unwrap_or(0.0);
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()
        })
        .unwrap_or(0);
    (cpu, peak)
}

/// Time `f` (wall and CPU); the peak is the whole child's.
fn timed<T>(f: impl FnOnce() -> R<T>, note: impl FnOnce(&T) -> String) -> R<Measured> {
    let (cpu0, _) = usage();
    let t = Instant::now();
    let out = f()?;
    let wall = t.elapsed().as_secs_f64();
    let (cpu1, peak_kib) = usage();
    Ok(Measured { wall, cpu: cpu1 - cpu0, peak_kib, note: note(&out) })
}

fn runtime() -> R<tokio::runtime::Runtime> {
    // The app runs its core on a multi-threaded runtime as well.
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().ctx("tokio")
}

fn step_command(args: &[String]) -> R {
    let arg = |i: usize| args.get(i).map(PathBuf::from).ok_or_else(|| format!("step: missing argument {i}"));
    let name = args.first().map(String::as_str).unwrap_or_default();
    let m = match name {
        "ref-read" => ref_read(&arg(1)?)?,
        "ref-insert" => ref_insert(&arg(1)?, &arg(2)?)?,
        "import" => import_step(&arg(1)?, &arg(2)?)?,
        "export" => {
            let lang = parse_lang(args.get(3).map(String::as_str).unwrap_or("vi"))?;
            export_step(&arg(1)?, &arg(2)?, lang)?
        }
        "ref-export" => ref_export(&arg(1)?, &arg(2)?)?,
        other => return Err(format!("unknown step {other:?}")),
    };
    println!("RESULT {}", serde_json::to_string(&m).ctx("json")?);
    Ok(())
}

fn is_xlsx(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Reference, read: calamine's streaming cell reader over the xlsx (each cell's value looked
/// at, nothing kept), or the csv crate over the CSV.
fn ref_read(path: &Path) -> R<Measured> {
    timed(
        || {
            let (mut rows, mut cells, mut bytes) = (0u64, 0u64, 0u64);
            if is_xlsx(path) {
                let mut book: Xlsx<_> = open_workbook(path).ctx("calamine open")?;
                let sheet = book.sheet_names().first().cloned().ok_or("no sheet")?;
                let mut reader = book.worksheet_cells_reader(&sheet).ctx("calamine sheet")?;
                while let Some(cell) = reader.next_cell().ctx("calamine cell")? {
                    rows = rows.max(u64::from(cell.get_position().0) + 1);
                    cells += 1;
                    bytes += match cell.get_value() {
                        DataRef::String(s) => s.len() as u64,
                        DataRef::SharedString(s) => s.len() as u64,
                        _ => 8,
                    };
                }
            } else {
                let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(path).ctx("csv open")?;
                let mut record = csv::StringRecord::new();
                while reader.read_record(&mut record).ctx("csv")? {
                    rows += 1;
                    cells += record.len() as u64;
                    bytes += record.as_slice().len() as u64;
                }
            }
            Ok((rows.saturating_sub(1), cells, bytes))
        },
        |(rows, cells, bytes)| format!("{rows} rows, {cells} cells, {} MiB of text", bytes >> 20),
    )
}

/// A cell as text, for the bare insert.
fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Float(f) => format!("{f}"),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_datetime().map(|d| d.date().to_string()).unwrap_or_default(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// Every data row of the file as text cells (not timed; the bare insert's input).
fn load_rows(path: &Path) -> R<(usize, Vec<Vec<String>>)> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let width;
    if is_xlsx(path) {
        let mut book: Xlsx<_> = open_workbook(path).ctx("calamine open")?;
        let sheet = book.sheet_names().first().cloned().ok_or("no sheet")?;
        let mut reader = book.worksheet_cells_reader(&sheet).ctx("calamine sheet")?;
        let mut header = 0;
        while let Some(cell) = reader.next_cell().ctx("calamine cell")? {
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            if r == 0 {
                header = header.max(c + 1);
                continue;
            }
            while rows.len() < r {
                rows.push(Vec::new());
            }
            let row = &mut rows[r - 1];
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = cell_text(cell.get_value());
        }
        width = header;
    } else {
        let mut reader = csv::ReaderBuilder::new().from_path(path).ctx("csv open")?;
        width = reader.headers().ctx("csv")?.len();
        for record in reader.records() {
            rows.push(record.ctx("csv")?.iter().map(str::to_owned).collect());
        }
    }
    for row in &mut rows {
        row.resize(width, String::new());
    }
    Ok((width, rows))
}

/// A fresh, empty database in `dir` (through `Store`, so with the app's settings: WAL, cache,
/// synchronous) and an administrator to act as.
async fn fresh_store(dir: &Path) -> R<(Store, Actor)> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).ctx("remove the old scratch database")?;
    }
    let store = Store::open(dir).await.ctx("open the store")?;
    let actor = bench_actor(&store).await?;
    Ok((store, actor))
}

async fn bench_actor(store: &Store) -> R<Actor> {
    let admin = NewStaff { name: "Bench".into(), email: "bench@example.com".into(), password: None, role: Role::Admin };
    staff::tool_actor(store, admin, None).await.ctx("the bench's staff member")
}

/// Reference, write: the file's rows, as text, into one table with an FTS5 word index (same
/// tokenizer, prefixes and detail as the customers' index, kept by a trigger) in one
/// transaction of multi-row inserts.
fn ref_insert(path: &Path, db: &Path) -> R<Measured> {
    let rt = runtime()?;
    let (width, rows) = load_rows(path)?;
    rt.block_on(async {
        let (store, _) = fresh_store(db).await?;
        let mut conn = store.pool().acquire().await.ctx("connection")?;
        let columns: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
        let options = word_index_options(&mut conn).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE TABLE bare (id INTEGER PRIMARY KEY, {}, search_text TEXT NOT NULL);
             CREATE VIRTUAL TABLE bare_fts USING fts5 (search_text, content = 'bare', content_rowid = 'id', {options});
             CREATE TRIGGER bare_ai AFTER INSERT ON bare BEGIN
               INSERT INTO bare_fts (rowid, search_text) VALUES (new.id, new.search_text);
             END;",
            columns.iter().map(|c| format!("{c} TEXT")).collect::<Vec<_>>().join(", ")
        )))
        .execute(&mut *conn)
        .await
        .ctx("create the bare table")?;
        // Name, phone, e-mail and tax code are what the customers' word index holds.
        let searched: Vec<usize> = [ImportField::Name, ImportField::Phone, ImportField::Email, ImportField::TaxCode]
            .iter()
            .filter_map(|f| FIELDS.iter().position(|x| x == f))
            .filter(|i| *i < width)
            .collect();
        let per_statement = (999 / (width + 1)).max(1);
        let m = timed_async(async {
            sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.ctx("begin")?;
            for chunk in rows.chunks(per_statement) {
                let mut sql = format!("INSERT INTO bare ({}, search_text) VALUES ", columns.join(", "));
                let one = format!("({}?)", "?, ".repeat(width));
                sql.push_str(&vec![one; chunk.len()].join(", "));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for row in chunk {
                    for v in row {
                        q = q.bind(v.as_str());
                    }
                    let search: Vec<&str> = searched.iter().map(|i| row[*i].as_str()).collect();
                    q = q.bind(search.join(" "));
                }
                q.execute(&mut *conn).await.ctx("insert")?;
            }
            sqlx::query("COMMIT").execute(&mut *conn).await.ctx("commit")?;
            Ok(rows.len())
        })
        .await?;
        drop(conn);
        store.close().await;
        Ok(Measured { note: format!("{} rows, {width} columns", m.1), ..m.0 })
    })
}

/// The tokenizer, prefix and detail options of the customers' word index, read from its own
/// definition (so that the reference never drifts from what the import has to keep).
async fn word_index_options(conn: &mut sqlx::SqliteConnection) -> R<String> {
    let sql: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'customers_fts'")
        .fetch_one(&mut *conn)
        .await
        .ctx("the word index's definition")?;
    let options: Vec<&str> = sql
        .split(['(', ')', ','])
        .map(str::trim)
        .filter(|o| o.starts_with("tokenize") || o.starts_with("prefix") || o.starts_with("detail"))
        .collect();
    if options.len() != 3 {
        return Err(format!("unexpected word index definition: {sql}"));
    }
    Ok(options.join(", "))
}

async fn timed_async<T>(f: impl std::future::Future<Output = R<T>>) -> R<(Measured, T)> {
    let (cpu0, _) = usage();
    let t = Instant::now();
    let out = f.await?;
    let wall = t.elapsed().as_secs_f64();
    let (cpu1, peak_kib) = usage();
    Ok((Measured { wall, cpu: cpu1 - cpu0, peak_kib, note: String::new() }, out))
}

/// The import, as the app runs it (skip mode, catalog values created), into an empty database.
fn import_step(path: &Path, db: &Path) -> R<Measured> {
    let rt = runtime()?;
    rt.block_on(async {
        let (store, actor) = fresh_store(db).await?;
        let (m, r) = timed_async(async {
            import::run(&store, &actor, path, &ImportOptions::default(), &mut |_| true).await.ctx("import")
        })
        .await?;
        store.close().await;
        let note = format!(
            "{} rows: {} created, {} skipped ({} duplicate groups), {} invalid",
            r.rows, r.created, r.skipped, r.duplicate_groups, r.invalid
        );
        Ok(Measured { note, ..m })
    })
}

/// The export, as the app runs it: every customer (the list's default query, name order), all
/// columns, xlsx.
fn export_step(db: &Path, out: &Path, lang: Language) -> R<Measured> {
    let rt = runtime()?;
    rt.block_on(async {
        let store = Store::open(db).await.ctx("open the store")?;
        let actor = bench_actor(&store).await?;
        let request = ExportRequest {
            source: ExportSource::Query(ListQuery::default()),
            columns: Vec::new(),
            format: ExportFormat::Xlsx,
            language: lang,
        };
        let (m, r) =
            timed_async(async { export::export(&store, &actor, &request, out, &mut |_, _| true).await.ctx("export") })
                .await?;
        store.close().await;
        let mib = std::fs::metadata(out).map(|m| m.len() as f64 / 1048576.0).unwrap_or_default();
        Ok(Measured {
            note: format!("{} rows, {} columns, {mib:.1} MiB", r.rows, export::ExportColumn::ALL.len()),
            ..m
        })
    })
}

/// One cell of the reference export.
enum Out {
    Text(String),
    Number(f64),
    /// An Excel serial date-time and whether it has a time of day.
    Date(f64, bool),
}

/// Reference, export: the exported file's cells (read back first, not timed) written again by
/// rust_xlsxwriter in constant-memory mode, dates as dates, the header as text.
fn ref_export(input: &Path, out: &Path) -> R<Measured> {
    let mut rows: Vec<Vec<(u16, Out)>> = Vec::new();
    {
        let mut book: Xlsx<_> = open_workbook(input).ctx("calamine open")?;
        let sheet = book.sheet_names().first().cloned().ok_or("no sheet")?;
        let mut reader = book.worksheet_cells_reader(&sheet).ctx("calamine sheet")?;
        while let Some(cell) = reader.next_cell().ctx("calamine cell")? {
            let (r, c) = cell.get_position();
            while rows.len() <= r as usize {
                rows.push(Vec::new());
            }
            let v = match cell.get_value() {
                DataRef::String(s) => Out::Text(s.clone()),
                DataRef::SharedString(s) => Out::Text((*s).to_owned()),
                DataRef::Float(f) => Out::Number(*f),
                DataRef::Int(i) => Out::Number(*i as f64),
                DataRef::DateTime(d) => Out::Date(d.as_f64(), d.as_f64().fract() != 0.0),
                DataRef::Empty => continue,
                other => Out::Text(cell_text(other)),
            };
            rows[r as usize].push((c as u16, v));
        }
    }
    let dir = out.parent().unwrap_or(Path::new(".")).to_path_buf();
    timed(
        || {
            let mut book = Workbook::new();
            book.set_tempdir(&dir).ctx("tempdir")?;
            let date = Format::new().set_num_format("yyyy-mm-dd");
            let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
            let sheet = book.add_worksheet_with_constant_memory().ctx("xlsx")?;
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row {
                    match v {
                        Out::Text(s) => sheet.write_string(r as u32, *c, s),
                        Out::Number(x) => sheet.write_number(r as u32, *c, *x),
                        Out::Date(x, false) => sheet.write_number_with_format(r as u32, *c, *x, &date),
                        Out::Date(x, true) => sheet.write_number_with_format(r as u32, *c, *x, &stamp),
                    }
                    .ctx("xlsx")?;
                }
            }
            book.save(out).ctx("xlsx save")?;
            Ok(rows.len().saturating_sub(1))
        },
        |n| format!("{n} rows"),
    )
}

// ---------------------------------------------------------------------------------------------
// The run: every step in a child process, then the table.

/// Run one step in a child process and read its result.
fn child(label: &str, args: &[&Path], extra: &[&str], step: &str) -> R<Measured> {
    let exe = std::env::current_exe().ctx("this program's path")?;
    let mut cmd = Command::new(exe);
    cmd.arg("step").arg(step).args(args).args(extra).stdout(Stdio::piped()).stderr(Stdio::inherit());
    let t = Instant::now();
    let out = cmd.output().ctx(&format!("run step {step}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("step {label} failed ({}): {stdout}", out.status));
    }
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .ok_or_else(|| format!("step {label} printed no result: {stdout}"))?;
    let m: Measured = serde_json::from_str(line).ctx("step result")?;
    println!(
        "  {label:<50} {:>8.2} {:>8.2} {:>9}   {}   ({:.0} s with set-up)",
        m.wall,
        m.cpu,
        m.peak_kib / 1024,
        m.note,
        t.elapsed().as_secs_f64()
    );
    Ok(m)
}

/// One line of the summary.
struct Line {
    what: String,
    m: Measured,
    reference: f64,
    max_ratio: f64,
    max_mib: Option<u64>,
}

fn bench_command(args: &[String]) -> R {
    let mut sizes = vec![100_000, 1_000_000];
    let mut lang = Language::Vi;
    let (mut csv, mut export, mut keep) = (false, true, false);
    let mut dir = default_dir();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" => sizes = parse_sizes(next_value(&mut it, a)?)?,
            "--lang" => lang = parse_lang(next_value(&mut it, a)?)?,
            "--csv" => csv = true,
            "--no-export" => export = false,
            "--keep" => keep = true,
            "--dir" => dir = PathBuf::from(next_value(&mut it, a)?),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    std::fs::create_dir_all(&dir).ctx("create the data folder")?;
    let dir = dir.canonicalize().ctx("data folder")?;
    println!("import/export benchmark in {} ({} headers and words)", dir.display(), lang_code(lang));
    for &n in &sizes {
        ensure_file(&data_file(&dir, n, lang, "xlsx"), n, lang)?;
        if csv {
            ensure_file(&data_file(&dir, n, lang, "csv"), n, lang)?;
        }
    }

    let mut lines: Vec<Line> = Vec::new();
    for &n in &sizes {
        let label = size_label(n);
        let xlsx = data_file(&dir, n, lang, "xlsx");
        let work = dir.join(format!("run-{label}"));
        std::fs::create_dir_all(&work).ctx("scratch folder")?;
        let (db, bare) = (work.join("db"), work.join("bare"));
        println!();
        println!("{label} rows: {}", xlsx.display());
        println!("  {:<50} {:>8} {:>8} {:>9}", "step", "wall s", "CPU s", "peak MiB");
        let read = child("reference: calamine streaming read", &[&xlsx], &[], "ref-read")?;
        let insert = child("reference: bare insert + FTS5, one transaction", &[&xlsx, &bare], &[], "ref-insert")?;
        let _ = std::fs::remove_dir_all(&bare);
        let reference = read.wall + insert.wall;
        let m = child(&format!("import xlsx ({label})"), &[&xlsx, &db], &[], "import")?;
        lines.push(Line {
            what: format!("import {label} xlsx"),
            m,
            reference,
            max_ratio: 2.0,
            max_mib: (n >= 1_000_000).then_some(400),
        });
        if csv {
            let file = data_file(&dir, n, lang, "csv");
            let db_csv = work.join("db-csv");
            let read = child("reference: csv crate read", &[&file], &[], "ref-read")?;
            let m = child(&format!("import csv ({label})"), &[&file, &db_csv], &[], "import")?;
            let _ = std::fs::remove_dir_all(&db_csv);
            lines.push(Line {
                what: format!("import {label} csv"),
                m,
                reference: read.wall + insert.wall,
                max_ratio: 2.0,
                max_mib: (n >= 1_000_000).then_some(400),
            });
        }
        if export {
            let (out, out_ref) = (work.join("export.xlsx"), work.join("export-ref.xlsx"));
            let m = child(&format!("export xlsx ({label})"), &[&db, &out], &[lang_code(lang)], "export")?;
            let r = child("reference: rust_xlsxwriter constant memory", &[&out, &out_ref], &[], "ref-export")?;
            lines.push(Line {
                what: format!("export {label} xlsx"),
                m,
                reference: r.wall,
                max_ratio: 1.5,
                max_mib: Some(100),
            });
        }
        if !keep {
            let _ = std::fs::remove_dir_all(&work);
        }
    }

    println!();
    println!(
        "{:<20} {:>8} {:>8} {:>9} {:>8}  {:>7}  target",
        "summary", "wall s", "ref s", "peak MiB", "CPU s", "ratio"
    );
    for l in &lines {
        let ratio = l.m.wall / l.reference.max(1e-9);
        let mib = l.m.peak_kib / 1024;
        let ok = ratio <= l.max_ratio && l.max_mib.is_none_or(|max| mib <= max);
        let target = match l.max_mib {
            Some(max) => format!("≤ {}× reference, ≤ {max} MiB", l.max_ratio),
            None => format!("≤ {}× reference", l.max_ratio),
        };
        println!(
            "{:<20} {:>8.2} {:>8.2} {:>9} {:>8.2}  {:>6.2}×  {target}: {}",
            l.what,
            l.m.wall,
            l.reference,
            mib,
            l.m.cpu,
            ratio,
            if ok { "OK" } else { "OVER" }
        );
    }
    Ok(())
}

//! `clientele import FILE …` and `clientele imports list|revert`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use clientele::actor::Actor;
use clientele::import::{self, ImportMode, ImportOptions, ImportPhase, ImportReport, KindChoice};
use clientele::store::Store;
use clientele::{Error, Result};

use super::render;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The spreadsheet: xlsx, xlsm, xls, xlsb, ods or csv (the format is read from the content).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Kind of the rows: from the file's type column (individual when empty), or all one kind;
    /// `care`: follow-up records (done care activities on existing customers, found by code,
    /// phone or e-mail). `auto` picks `care` for a file whose headers look like one.
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    pub kind: KindArg,
    /// Rows matching an existing customer (or an earlier row): skip them, update the customer,
    /// or create anyway.
    #[arg(long, value_enum, default_value_t = ModeArg::Skip)]
    pub mode: ModeArg,
    /// Show what would happen; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Reject rows naming a segment, level, group, status, channel or position that does not
    /// exist yet (default: create them).
    #[arg(long)]
    pub no_new_values: bool,
    /// Sheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// How many row errors to print (text output).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub show_errors: usize,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Auto,
    Individual,
    Business,
    Care,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    Skip,
    Update,
    Create,
}

#[derive(Debug, Subcommand)]
pub enum ImportsCommand {
    /// The most recent imports.
    List {
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: u32,
    },
    /// Undo a whole import: its customers are removed, updated customers get their old values.
    Revert {
        #[arg(value_name = "BATCH_ID")]
        batch: i64,
    },
}

pub async fn import(store: &Store, actor: &Actor, args: ImportArgs, json: bool) -> Result<String> {
    let options = ImportOptions {
        kind: match args.kind {
            KindArg::Auto => KindChoice::Auto,
            KindArg::Individual => KindChoice::Individual,
            KindArg::Business => KindChoice::Business,
            KindArg::Care => KindChoice::Care,
        },
        mode: match args.mode {
            ModeArg::Skip => ImportMode::Skip,
            ModeArg::Update => ImportMode::Update,
            ModeArg::Create => ImportMode::Create,
        },
        sheet: args.sheet.clone(),
        create_missing: !args.no_new_values,
        ..Default::default()
    };
    if !args.file.is_file() {
        return Err(Error::Io(format!("{} is not a file", args.file.display())));
    }
    // Progress on stderr when it is a terminal, so that stdout stays the report.
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut last = std::time::Instant::now();
    let mut progress = |p: import::ImportProgress| {
        if tty && last.elapsed().as_millis() > 200 {
            last = std::time::Instant::now();
            let what = match p.phase {
                ImportPhase::Reading => format!("reading: {} rows", p.done),
                ImportPhase::Writing => format!("writing: {} / {}", p.done, p.total),
                ImportPhase::Finishing => "finishing".to_owned(),
            };
            let _ = write!(std::io::stderr(), "\r{what:<40}");
        }
        true
    };
    let report = if args.dry_run {
        import::preview(store, actor, &args.file, &options, &mut progress).await?
    } else {
        import::run(store, actor, &args.file, &options, &mut progress).await?
    };
    if tty {
        let _ = write!(std::io::stderr(), "\r{:<40}\r", "");
    }
    Ok(if json { render::json(&report) } else { text(&report, args.show_errors) })
}

fn text(r: &ImportReport, show_errors: usize) -> String {
    let mut s = String::new();
    let verb = if r.dry_run { "would be" } else { "were" };
    let _ = writeln!(s, "{}: {} rows, {} valid, {} invalid", r.file_name, r.rows, r.valid, r.invalid);
    for (reason, n) in &r.invalid_by_reason {
        let _ = writeln!(s, "  {reason}: {n}");
    }
    if r.care_mapping.is_some() {
        let _ = writeln!(s, "{} follow-up records {verb} recorded", r.created);
    } else {
        let _ = writeln!(
            s,
            "{} duplicate groups in the file, {} rows match existing customers",
            r.duplicate_groups, r.matches_existing
        );
        let _ = writeln!(s, "{} {verb} created, {} updated, {} skipped", r.created, r.updated, r.skipped);
    }
    for (kind, names) in &r.new_catalog_items {
        let _ = writeln!(s, "new {kind} values: {}", names.join(", "));
    }
    if !r.errors.is_empty() {
        let _ = writeln!(s, "errors (row, column, reason, value):");
        for e in r.errors.iter().take(show_errors) {
            let _ = writeln!(
                s,
                "  {}\t{}\t{}\t{}",
                e.row,
                e.column.as_deref().unwrap_or("-"),
                e.code,
                e.value.as_deref().unwrap_or("")
            );
        }
        if r.errors_total as usize > show_errors {
            let _ = writeln!(s, "  … {} more", r.errors_total as usize - show_errors.min(r.errors.len()));
        }
    }
    if r.warnings_total > 0 {
        let _ = writeln!(
            s,
            "{} warnings (e.g. {})",
            r.warnings_total,
            r.warnings.first().map(|w| w.code.as_str()).unwrap_or("")
        );
    }
    if let Some(id) = r.batch_id {
        let _ = writeln!(s, "import {id} done in {:.1} s; undo it with: clientele imports revert {id}", r.seconds);
    }
    s
}

pub async fn imports(store: &Store, actor: &Actor, cmd: ImportsCommand, json: bool) -> Result<String> {
    match cmd {
        ImportsCommand::List { limit } => {
            let list = import::batches(store, actor, limit).await?;
            if json {
                return Ok(render::json(&list));
            }
            let mut s = String::new();
            for b in &list {
                let _ = writeln!(
                    s,
                    "{}\t{}\t{}\tcreated {}, updated {}, skipped {}, invalid {}\t{}{}",
                    b.id,
                    b.at.format("%Y-%m-%d %H:%M"),
                    b.file_name,
                    b.created,
                    b.updated,
                    b.skipped,
                    b.failed,
                    b.actor_name.as_deref().unwrap_or(""),
                    if b.reverted_at.is_some() { "\t(reverted)" } else { "" }
                );
            }
            if list.is_empty() {
                s.push_str("no imports yet\n");
            }
            Ok(s)
        }
        ImportsCommand::Revert { batch } => {
            let b = import::revert(store, actor, batch).await?;
            Ok(if json { render::json(&b) } else { format!("import {} ({}) reverted\n", b.id, b.file_name) })
        }
    }
}

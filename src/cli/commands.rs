//! Each command: call the core, return what to print on stdout.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use clientele::actor::{Actor, Role};
use clientele::customers::{self, CustomerInput, ListQuery, Selection};
use clientele::staff::{self, NewStaff};
use clientele::store::Store;
use clientele::{Error, Result, demo, history, paths};
use serde_json::json;

use super::args::{ClearField, Cli, Command, CustomersCommand, FieldArgs, PageArgs};
use super::render;
use super::session;

pub async fn run(cli: Cli) -> Result<String> {
    let dir = cli.data_dir.clone().unwrap_or_else(paths::default_data_dir);
    let store = Store::open(&dir).await?;
    let result = dispatch(&store, cli).await;
    store.close().await;
    result
}

async fn dispatch(store: &Store, cli: Cli) -> Result<String> {
    let json = cli.json;
    match cli.command {
        // `init` alone does not go through `session::actor` (which would create the OS-user admin).
        Command::Init { admin_name, admin_email, admin_password } => {
            let input = NewStaff { name: admin_name, email: admin_email, password: admin_password, role: Role::Admin };
            let actor = staff::init_admin(store, input).await?;
            Ok(if json {
                render::json(&actor)
            } else {
                format!("Created administrator {} <{}> in {}\n", actor.name, actor.email, store.data_dir().display())
            })
        }
        Command::Stats => {
            session::actor(store).await?;
            let stats = customers::stats(store).await?;
            Ok(if json { render::json(&stats) } else { render::stats(&stats) })
        }
        Command::Demo { customers, seed } => {
            let actor = session::actor(store).await?;
            demo_data(store, &actor, customers, seed, json).await
        }
        Command::Customers(cmd) => {
            let actor = session::actor(store).await?;
            customers_command(store, &actor, cmd, json).await
        }
    }
}

async fn customers_command(store: &Store, actor: &Actor, cmd: CustomersCommand, json: bool) -> Result<String> {
    match cmd {
        CustomersCommand::Add(fields) => {
            let mut input = CustomerInput::default();
            apply(store, &mut input, fields).await?;
            let c = customers::create(store, actor, input).await?;
            Ok(if json { render::json(&c) } else { format!("Created {} {} (id {})\n", c.code, c.name, c.id) })
        }
        CustomersCommand::Edit { target, fields, clear_phones, clear_emails, clear } => {
            if fields.is_empty() && !clear_phones && !clear_emails && clear.is_empty() {
                return Err(Error::InvalidArgument(
                    "nothing to change: give at least one field flag (see `clientele customers edit --help`)".into(),
                ));
            }
            let current = customers::find(store, actor, &target).await?;
            let mut input = current.to_input();
            if clear_phones {
                input.phones.clear();
            }
            if clear_emails {
                input.emails.clear();
            }
            for field in clear {
                match field {
                    ClearField::Address => input.address = None,
                    ClearField::TaxCode => input.tax_code = None,
                    ClearField::Website => input.website = None,
                    ClearField::Birthday => input.birthday = None,
                    ClearField::FoundedOn => input.founded_on = None,
                    ClearField::Gender => input.gender = None,
                    ClearField::Notes => input.notes = None,
                }
            }
            apply(store, &mut input, fields).await?;
            let c = customers::update(store, actor, current.id, input).await?;
            Ok(if json { render::json(&c) } else { format!("Updated {} {} (id {})\n", c.code, c.name, c.id) })
        }
        CustomersCommand::List { page, search, trash } => list(store, actor, search, page, trash, json).await,
        CustomersCommand::Search { query, page, trash } => list(store, actor, query, page, trash, json).await,
        CustomersCommand::Show { target, history: limit } => {
            let c = customers::find(store, actor, &target).await?;
            let entries = history::for_entity(store, actor, "customer", c.id, None, limit.max(1)).await?;
            Ok(if json {
                render::json(&json!({ "customer": c, "history": entries }))
            } else {
                render::customer(&c, &entries)
            })
        }
        CustomersCommand::Delete { targets } => {
            let ids = resolve(store, actor, &targets).await?;
            let n = customers::delete(store, actor, &Selection::Ids { ids }).await?;
            Ok(if json {
                render::json(&json!({ "deleted": n }))
            } else {
                format!("Moved {} to the trash\n", plural(n))
            })
        }
        CustomersCommand::Restore { targets } => {
            let ids = resolve(store, actor, &targets).await?;
            let n = customers::restore(store, actor, &ids).await?;
            Ok(if json {
                render::json(&json!({ "restored": n }))
            } else {
                format!("Restored {} from the trash\n", plural(n))
            })
        }
        CustomersCommand::Purge { targets } => {
            let ids = resolve(store, actor, &targets).await?;
            let n = customers::purge(store, actor, &ids).await?;
            Ok(if json { render::json(&json!({ "purged": n })) } else { format!("Purged {} for good\n", plural(n)) })
        }
    }
}

fn plural(n: u64) -> String {
    if n == 1 { "1 customer".to_owned() } else { format!("{} customers", render::thousands(n)) }
}

/// Codes or ids → ids (live or in the trash), in the order given, without repeats. Any unknown
/// one fails the whole command before anything changes.
async fn resolve(store: &Store, actor: &Actor, targets: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(targets.len());
    for t in targets {
        let id = customers::find(store, actor, t).await?.id;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn list(store: &Store, actor: &Actor, search: String, page: PageArgs, trash: bool, json: bool) -> Result<String> {
    let query = ListQuery {
        search,
        sort: page.sort.into(),
        desc: page.desc,
        trash,
        after: None,
        offset: (page.offset > 0).then_some(page.offset),
        limit: page.limit,
    };
    let result = customers::list(store, actor, &query).await?;
    if json {
        return Ok(render::json(&result));
    }
    let total = customers::count(store, actor, &query.search, trash).await?;
    Ok(render::rows(&result, page.offset, total, trash))
}

async fn demo_data(store: &Store, actor: &Actor, n: u64, seed: u64, json: bool) -> Result<String> {
    let started = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut last_tty = 0u64;
    let mut last_line = 0u64;
    let mut progress = |done: u64| {
        let mut err = std::io::stderr().lock();
        if tty && (done - last_tty >= 5_000 || done == n) {
            last_tty = done;
            let pct = if n == 0 { 100.0 } else { done as f64 * 100.0 / n as f64 };
            let saving = if done == n { " – saving…" } else { "" };
            let _ =
                write!(err, "\r{} / {} customers ({pct:.0} %){saving}", render::thousands(done), render::thousands(n));
            let _ = err.flush();
        } else if !tty && done / 100_000 > last_line / 100_000 {
            last_line = done;
            let secs = started.elapsed().as_secs_f64();
            let _ = writeln!(err, "{} customers, {:.1} s", render::thousands(done), secs);
        }
    };
    let created = demo::generate(store, actor, n, seed, &mut progress).await?;
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 { created as f64 / secs } else { 0.0 };
    if tty && created > 0 {
        let _ = writeln!(std::io::stderr());
    }
    Ok(if json {
        render::json(&json!({ "created": created, "seconds": secs, "rows_per_second": rate.round() }))
    } else {
        format!(
            "Created {} demo customers in {secs:.1} s ({} rows/s)\n",
            render::thousands(created),
            render::thousands(rate.round() as u64)
        )
    })
}

impl FieldArgs {
    fn is_empty(&self) -> bool {
        self.code.is_none()
            && self.kind.is_none()
            && self.name.is_none()
            && self.phones.is_empty()
            && self.emails.is_empty()
            && self.address.is_none()
            && self.tax_code.is_none()
            && self.website.is_none()
            && self.birthday.is_none()
            && self.founded_on.is_none()
            && self.gender.is_none()
            && self.notes.is_none()
            && self.owner.is_none()
    }
}

/// Apply the flags given to an input (each one replaces its field).
async fn apply(store: &Store, input: &mut CustomerInput, f: FieldArgs) -> Result<()> {
    if let Some(owner) = &f.owner {
        input.owner_id = Some(staff::find_by_email(store, owner).await?.id);
    }
    if let Some(v) = f.code {
        input.code = Some(v);
    }
    if let Some(v) = f.kind {
        input.kind = v.into();
    }
    if let Some(v) = f.name {
        input.name = v;
    }
    if !f.phones.is_empty() {
        input.phones = f.phones;
    }
    if !f.emails.is_empty() {
        input.emails = f.emails;
    }
    if let Some(v) = f.address {
        input.address = Some(v);
    }
    if let Some(v) = f.tax_code {
        input.tax_code = Some(v);
    }
    if let Some(v) = f.website {
        input.website = Some(v);
    }
    if let Some(v) = f.birthday {
        input.birthday = Some(v);
    }
    if let Some(v) = f.founded_on {
        input.founded_on = Some(v);
    }
    if let Some(v) = f.gender {
        input.gender = Some(v.into());
    }
    if let Some(v) = f.notes {
        input.notes = Some(v);
    }
    Ok(())
}

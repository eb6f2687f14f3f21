//! Each command: call the core, return what to print on stdout.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use chrono::NaiveDate;
use clientele::actor::{Actor, Role};
use clientele::catalogs::{self, CatalogItem, CatalogItemPatch, CatalogKind};
use clientele::customers::{self, Contact, CustomerInput, LegalEntity, ListQuery, ProductUse, Selection};
use clientele::duplicates;
use clientele::staff::{self, NewStaff};
use clientele::store::Store;
use clientele::{Error, Result, demo, history, paths, text};
use serde_json::json;

use super::args::{
    CatalogCommand, ClearField, Cli, Command, CustomersCommand, FieldArgs, PageArgs, SettingsCommand, StaffCommand,
};
use super::render;
use super::session;

pub async fn run(cli: Cli) -> Result<String> {
    session::set_acting_as(cli.acting_as.clone());
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
        Command::Catalog(cmd) => {
            let actor = session::actor(store).await?;
            catalog_command(store, &actor, cmd, json).await
        }
        Command::Staff(cmd) => {
            let actor = session::actor(store).await?;
            staff_command(store, &actor, cmd, json).await
        }
        Command::Settings(cmd) => {
            let actor = session::actor(store).await?;
            settings_command(store, &actor, cmd, json).await
        }
        Command::Activity(args) => {
            let actor = session::actor(store).await?;
            super::ownership_cmd::activity(store, &actor, args, json).await
        }
        Command::Care(cmd) => {
            let actor = session::actor(store).await?;
            super::care_cmd::run(store, &actor, cmd, json).await
        }
        Command::Import(args) => {
            let actor = session::actor(store).await?;
            super::import_cmd::import(store, &actor, args, json).await
        }
        Command::Imports(cmd) => {
            let actor = session::actor(store).await?;
            super::import_cmd::imports(store, &actor, cmd, json).await
        }
        Command::Export(args) => {
            let actor = session::actor(store).await?;
            super::export_cmd::export(store, &actor, args, json).await
        }
        Command::Template(args) => {
            session::actor(store).await?;
            super::export_cmd::template(store, args, json).await
        }
    }
}

/// The CLI's name of a kind (`invoice-type`, as typed).
fn kind_name(kind: CatalogKind) -> String {
    kind.as_str().replace('_', "-")
}

/// An item of `kind` by name (case and accents ignored) or id; the error names the catalog and
/// the value that was not found.
async fn item(store: &Store, kind: CatalogKind, name_or_id: &str) -> Result<CatalogItem> {
    catalogs::find(store, kind, name_or_id).await.map_err(|e| match e {
        Error::NotFound { entity, .. } => {
            Error::NotFound { entity, id: format!("{} \"{}\"", kind_name(kind), name_or_id.trim()) }
        }
        other => other,
    })
}

/// Several items of one kind, in the order given, without repeats.
async fn item_ids(store: &Store, kind: CatalogKind, names: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let id = item(store, kind, name).await?.id;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn catalog_command(store: &Store, actor: &Actor, cmd: CatalogCommand, json: bool) -> Result<String> {
    match cmd {
        CatalogCommand::List { kind } => {
            let items = catalogs::list(store, kind).await?;
            Ok(if json { render::json(&items) } else { render::catalog(&kind_name(kind), kind, &items) })
        }
        CatalogCommand::Add { kind, name, color } => {
            let added = catalogs::add(store, actor, kind, &name, color.as_deref()).await?;
            Ok(if json {
                render::json(&added)
            } else {
                format!("Added {} \"{}\" (id {})\n", kind_name(kind), added.name, added.id)
            })
        }
        CatalogCommand::Rename { kind, item: target, new_name } => {
            let before = item(store, kind, &target).await?;
            let patch = CatalogItemPatch { name: Some(new_name), ..Default::default() };
            let after = catalogs::update(store, actor, before.id, patch).await?;
            Ok(if json {
                render::json(&after)
            } else {
                format!("Renamed {} \"{}\" to \"{}\"\n", kind_name(kind), before.name, after.name)
            })
        }
        CatalogCommand::Color { kind, item: target, color } => {
            let before = item(store, kind, &target).await?;
            // The core clears the colour on an empty string.
            let color = if color.trim().eq_ignore_ascii_case("none") { String::new() } else { color };
            let patch = CatalogItemPatch { color: Some(color), ..Default::default() };
            let after = catalogs::update(store, actor, before.id, patch).await?;
            Ok(if json {
                render::json(&after)
            } else {
                let shown = after.color.as_deref().unwrap_or("the default");
                format!("{} \"{}\" is now shown in {shown}\n", capitalise(&kind_name(kind)), after.name)
            })
        }
        CatalogCommand::Move { kind, item: target, up, down: _ } => {
            let it = item(store, kind, &target).await?;
            let items = catalogs::shift(store, actor, it.id, if up { -1 } else { 1 }).await?;
            if json {
                return Ok(render::json(&items));
            }
            let place = items.iter().position(|i| i.id == it.id).map_or(0, |p| p + 1);
            let dir = if up { "up" } else { "down" };
            Ok(format!("Moved {} \"{}\" {dir}: now {place} of {}\n", kind_name(kind), it.name, items.len()))
        }
        CatalogCommand::Deactivate { kind, item: target } => {
            set_item_active(store, actor, kind, &target, false, json).await
        }
        CatalogCommand::Activate { kind, item: target } => {
            set_item_active(store, actor, kind, &target, true, json).await
        }
        CatalogCommand::Delete { kind, item: target, replace_with } => {
            let it = item(store, kind, &target).await?;
            let replacement = match &replace_with {
                Some(r) => Some(item(store, kind, r).await?),
                None => None,
            };
            let moved = catalogs::delete(store, actor, it.id, replacement.as_ref().map(|r| r.id)).await?;
            if json {
                return Ok(render::json(&json!({ "deleted": it, "moved": moved, "replacement": replacement })));
            }
            let mut out = format!("Deleted {} \"{}\"", kind_name(kind), it.name);
            if let Some(r) = replacement.filter(|_| moved > 0) {
                let what = if kind == CatalogKind::Position { "the contacts of " } else { "" };
                out.push_str(&format!("; moved {what}{} to \"{}\"", plural(moved), r.name));
            }
            out.push('\n');
            Ok(out)
        }
    }
}

async fn set_item_active(
    store: &Store,
    actor: &Actor,
    kind: CatalogKind,
    target: &str,
    active: bool,
    json: bool,
) -> Result<String> {
    let it = item(store, kind, target).await?;
    let patch = CatalogItemPatch { active: Some(active), ..Default::default() };
    let after = catalogs::update(store, actor, it.id, patch).await?;
    Ok(if json {
        render::json(&after)
    } else {
        let state = if active { "active" } else { "inactive (customers keep it; new choices do not offer it)" };
        format!("{} \"{}\" is {state}\n", capitalise(&kind_name(kind)), after.name)
    })
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

async fn staff_command(store: &Store, actor: &Actor, cmd: StaffCommand, json: bool) -> Result<String> {
    match cmd {
        StaffCommand::Add { name, email, role, password } => {
            let s = staff::add(store, actor, NewStaff { name, email, password, role: role.into() }).await?;
            Ok(if json { render::json(&s) } else { format!("Added {} <{}> as {}\n", s.name, s.email, s.role.as_str()) })
        }
        StaffCommand::List => {
            let all = staff::list(store).await?;
            Ok(if json { render::json(&all) } else { render::staff(&all) })
        }
        StaffCommand::Role { email, role } => {
            let target = staff::find_by_email(store, &email).await?;
            let s = staff::set_role(store, actor, target.id, role.into()).await?;
            Ok(if json { render::json(&s) } else { format!("{} <{}> is now {}\n", s.name, s.email, s.role.as_str()) })
        }
        StaffCommand::Deactivate { email } => set_staff_active(store, actor, &email, false, json).await,
        StaffCommand::Activate { email } => set_staff_active(store, actor, &email, true, json).await,
    }
}

async fn set_staff_active(store: &Store, actor: &Actor, email: &str, active: bool, json: bool) -> Result<String> {
    let target = staff::find_by_email(store, email).await?;
    let s = staff::set_active(store, actor, target.id, active).await?;
    Ok(if json {
        render::json(&s)
    } else {
        let state = if active { "active" } else { "inactive and can no longer sign in" };
        format!("{} <{}> is {state}\n", s.name, s.email)
    })
}

async fn settings_command(store: &Store, actor: &Actor, cmd: SettingsCommand, json: bool) -> Result<String> {
    match cmd {
        SettingsCommand::Duplicates { phone, email, tax_code, name_address } => {
            let mut rules = duplicates::rules(store).await?;
            if phone.is_some() || email.is_some() || tax_code.is_some() || name_address.is_some() {
                if let Some(m) = phone {
                    rules.phone = m.into();
                }
                if let Some(m) = email {
                    rules.email = m.into();
                }
                if let Some(m) = tax_code {
                    rules.tax_code = m.into();
                }
                if let Some(m) = name_address {
                    rules.name_address = m.into();
                }
                rules = duplicates::set_rules(store, actor, rules).await?;
            }
            Ok(if json { render::json(&rules) } else { render::duplicate_rules(&rules) })
        }
        SettingsCommand::Approval { value } => super::ownership_cmd::approval(store, actor, value, json).await,
        SettingsCommand::PoolReturn { days } => super::ownership_cmd::pool_return(store, actor, days, json).await,
    }
}

async fn customers_command(store: &Store, actor: &Actor, cmd: CustomersCommand, json: bool) -> Result<String> {
    match cmd {
        CustomersCommand::Add(fields) => {
            let mut input = CustomerInput::default();
            apply(store, actor, &mut input, fields).await?;
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
                    ClearField::Segment => input.segment_id = None,
                    ClearField::Level => input.level_id = None,
                    ClearField::Groups => input.group_ids.clear(),
                    ClearField::Status => input.status_id = None,
                    ClearField::Channel => input.channel_id = None,
                    ClearField::ServiceManager => input.service_manager_id = None,
                    ClearField::Products => input.products.clear(),
                    ClearField::InvoiceTypes => input.invoice_type_ids.clear(),
                    ClearField::LegalEntities => input.legal_entities.clear(),
                    ClearField::Contacts => input.contacts.clear(),
                    ClearField::Referrer => input.referrer_customer_id = None,
                    ClearField::ReferrerSupplier => input.referrer_supplier = None,
                }
            }
            apply(store, actor, &mut input, fields).await?;
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
                let catalogs = catalogs::all(store).await?;
                render::customer(&c, &catalogs, &entries)
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
        CustomersCommand::Transfer { targets, to, reason, with_care } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            let to = staff::find_by_email(store, &to).await?.id;
            let n = clientele::ownership::transfer(store, actor, &ids, to, reason.as_deref(), with_care).await?;
            Ok(counted(n, "transferred", json))
        }
        CustomersCommand::Release { targets, reason } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            let n = clientele::ownership::release(store, actor, &ids, reason.as_deref()).await?;
            Ok(counted(n, "released to the pool", json))
        }
        CustomersCommand::Claim { targets } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            Ok(counted(clientele::ownership::claim(store, actor, &ids).await?, "claimed", json))
        }
        CustomersCommand::Assign { targets, to, reason, with_care } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            let to = staff::find_by_email(store, &to).await?.id;
            let n = clientele::ownership::assign(store, actor, &ids, to, reason.as_deref(), with_care).await?;
            Ok(counted(n, "assigned", json))
        }
        CustomersCommand::Lock { targets } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            Ok(counted(clientele::ownership::set_locked(store, actor, &ids, true).await?, "locked", json))
        }
        CustomersCommand::Unlock { targets } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            Ok(counted(clientele::ownership::set_locked(store, actor, &ids, false).await?, "unlocked", json))
        }
        CustomersCommand::Approve { targets } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            Ok(counted(clientele::ownership::approve(store, actor, &ids).await?, "approved", json))
        }
        CustomersCommand::Reject { targets, reason } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            Ok(counted(clientele::ownership::reject(store, actor, &ids, &reason).await?, "rejected", json))
        }
        CustomersCommand::Activate { targets } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            Ok(counted(clientele::ownership::set_active(store, actor, &ids, true).await?, "activated", json))
        }
        CustomersCommand::Deactivate { targets } => {
            let ids = resolve_ids(store, actor, &targets).await?;
            Ok(counted(clientele::ownership::set_active(store, actor, &ids, false).await?, "deactivated", json))
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
        ..Default::default()
    };
    let result = customers::list(store, actor, &query).await?;
    if json {
        return Ok(render::json(&result));
    }
    let total = customers::count(store, actor, &query.search, &query.filter, trash).await?;
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
    /// No field flag given (`--allow-duplicate` alone changes nothing).
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
            && self.segment.is_none()
            && self.level.is_none()
            && self.groups.is_empty()
            && self.status.is_none()
            && self.channel.is_none()
            && self.service_manager.is_none()
            && self.email_consent.is_none()
            && self.products.is_empty()
            && self.invoice_types.is_empty()
            && self.legal_entities.is_empty()
            && self.contacts.is_empty()
            && self.referrer.is_none()
            && self.referrer_supplier.is_none()
    }
}

/// Apply the flags given to an input (each one replaces its field). Names of catalog items,
/// staff e-mails and customer codes are resolved here; any unknown one fails the command
/// before anything changes.
async fn apply(store: &Store, actor: &Actor, input: &mut CustomerInput, f: FieldArgs) -> Result<()> {
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
    if let Some(v) = &f.segment {
        input.segment_id = Some(item(store, CatalogKind::Segment, v).await?.id);
    }
    if let Some(v) = &f.level {
        input.level_id = Some(item(store, CatalogKind::Level, v).await?.id);
    }
    if !f.groups.is_empty() {
        input.group_ids = item_ids(store, CatalogKind::Group, &f.groups).await?;
    }
    if let Some(v) = &f.status {
        input.status_id = Some(item(store, CatalogKind::Status, v).await?.id);
    }
    if let Some(v) = &f.channel {
        input.channel_id = Some(item(store, CatalogKind::Channel, v).await?.id);
    }
    if let Some(email) = &f.service_manager {
        input.service_manager_id = Some(staff::find_by_email(store, email).await?.id);
    }
    if let Some(v) = f.email_consent {
        input.email_consent = v;
    }
    if !f.products.is_empty() {
        let mut products: Vec<ProductUse> = Vec::with_capacity(f.products.len());
        for arg in &f.products {
            let (name, since) = split_product(arg)?;
            let product_id = item(store, CatalogKind::Product, name).await?.id;
            // Without a date, a product the customer already uses keeps its since-date.
            let since = since.or_else(|| input.products.iter().find(|p| p.product_id == product_id)?.since);
            match products.iter_mut().find(|p| p.product_id == product_id) {
                Some(p) => p.since = since.or(p.since),
                None => products.push(ProductUse { product_id, since }),
            }
        }
        input.products = products;
    }
    if !f.invoice_types.is_empty() {
        input.invoice_type_ids = item_ids(store, CatalogKind::InvoiceType, &f.invoice_types).await?;
    }
    if !f.legal_entities.is_empty() {
        input.legal_entities = f.legal_entities.iter().map(|s| parse_legal_entity(s)).collect();
    }
    if !f.contacts.is_empty() {
        let mut contacts = Vec::with_capacity(f.contacts.len());
        for (i, arg) in f.contacts.iter().enumerate() {
            let mut parts = arg.splitn(4, ';').map(str::trim);
            let name = parts.next().unwrap_or_default().to_owned();
            let position_id = match parts.next().filter(|p| !p.is_empty()) {
                Some(p) => Some(item(store, CatalogKind::Position, p).await?.id),
                None => None,
            };
            let phones = parts.next().filter(|p| !p.is_empty()).map(str::to_owned).into_iter().collect();
            let emails = parts.next().filter(|e| !e.is_empty()).map(str::to_owned).into_iter().collect();
            // A contact already on record under the same name keeps its id and notes.
            let key = text::fold(&name);
            let same = input
                .contacts
                .iter()
                .filter(|c| c.id.is_some() && text::fold(&c.name) == key)
                .find(|c| !contacts.iter().any(|n: &Contact| n.id == c.id));
            contacts.push(Contact {
                id: same.and_then(|c| c.id),
                name,
                position_id,
                phones,
                emails,
                primary: i == 0,
                notes: same.and_then(|c| c.notes.clone()),
            });
        }
        input.contacts = contacts;
    }
    if let Some(v) = &f.referrer {
        input.referrer_customer_id = Some(customers::find(store, actor, v).await?.id);
    }
    if let Some(v) = f.referrer_supplier {
        input.referrer_supplier = Some(v);
    }
    input.allow_duplicate = f.allow_duplicate;
    Ok(())
}

/// `NAME[:YYYY-MM-DD]`: a trailing date after the last colon is the since-date; a colon not
/// followed by a date is part of the name.
fn split_product(arg: &str) -> Result<(&str, Option<NaiveDate>)> {
    if let Some((name, date)) = arg.rsplit_once(':') {
        let date = date.trim();
        if let Ok(d) = NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            return Ok((name.trim(), Some(d)));
        }
        if !date.is_empty() && date.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '/') {
            return Err(Error::InvalidArgument(format!("--product {arg}: the date must be YYYY-MM-DD")));
        }
    }
    Ok((arg.trim(), None))
}

/// `NAME[;TAX_CODE[;ADDRESS]]` (the address may itself contain semicolons). Empty parts are none.
fn parse_legal_entity(arg: &str) -> LegalEntity {
    let mut parts = arg.splitn(3, ';').map(str::trim);
    let name = parts.next().unwrap_or_default().to_owned();
    let tax_code = parts.next().filter(|p| !p.is_empty()).map(str::to_owned);
    let address = parts.next().filter(|p| !p.is_empty()).map(str::to_owned);
    LegalEntity { name, tax_code, address }
}

/// Ids of customers given by code or id. Resolved with the admin-free lookup: a customer the
/// actor may not open is still found, so that the operation itself refuses it with its own
/// error (`permission.locked`, …) rather than a misleading "not found".
async fn resolve_ids(store: &Store, actor: &Actor, targets: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(targets.len());
    for t in targets {
        ids.push(customers::resolve_id(store, actor, t).await?);
    }
    Ok(ids)
}

fn counted(n: u64, what: &str, json: bool) -> String {
    if json { render::json(&serde_json::json!({ "changed": n })) } else { format!("{n} customer(s) {what}\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 1);
        assert_eq!(split_product("Gói A:2024-03-01").ok(), Some(("Gói A", d)));
        assert_eq!(split_product("Gói A").ok(), Some(("Gói A", None)));
        assert_eq!(split_product("Plan: Gold").ok(), Some(("Plan: Gold", None)));
        assert!(split_product("Gói A:2024-13-01").is_err());
    }

    #[test]
    fn legal_entity_parts() {
        let e = parse_legal_entity("Công ty A; 0312345678 ; 1 Lê Lợi; Q1");
        assert_eq!(e.name, "Công ty A");
        assert_eq!(e.tax_code.as_deref(), Some("0312345678"));
        assert_eq!(e.address.as_deref(), Some("1 Lê Lợi; Q1"));
        let e = parse_legal_entity("B;;x");
        assert_eq!((e.tax_code, e.address.as_deref()), (None, Some("x")));
    }
}

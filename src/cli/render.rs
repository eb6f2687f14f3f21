//! Human-readable output (tables, detail views) and JSON, as strings; errors to stderr.

use std::fmt::Write as _;
use std::io::Write as _;

use std::collections::HashMap;

use chrono::{DateTime, Local, Utc};
use clientele::catalogs::{CatalogItemUsage, CatalogKind, Catalogs};
use clientele::customers::{Customer, CustomerRow, Page, Stats};
use clientele::duplicates::{DuplicateRules, RuleMode};
use clientele::history::HistoryEntry;
use clientele::staff::Staff;
use clientele::{Error, ErrorBody};
use serde::Serialize;

/// Pretty JSON plus a newline. Serialising the core's types cannot fail; if it ever did, the
/// error is reported as JSON rather than a panic.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
    }
}

/// `error [code]: message`, then one line per field problem; or the ErrorBody as JSON.
pub fn print_error(e: &Error, json_output: bool) {
    let body: ErrorBody = e.body();
    let mut text = String::new();
    if json_output {
        text = json(&body);
    } else {
        let _ = writeln!(text, "error [{}]: {}", body.code, body.message);
        if let Some(details) = &body.details {
            for f in &details.fields {
                match &f.value {
                    Some(v) => {
                        let _ = writeln!(text, "  {}: {} ({v})", f.field, f.code);
                    }
                    None => {
                        let _ = writeln!(text, "  {}: {}", f.field, f.code);
                    }
                }
            }
        }
        if let Error::Duplicate { matches, blocking } = e {
            let cells: Vec<Vec<String>> = matches
                .iter()
                .map(|m| {
                    vec![
                        m.code.clone(),
                        truncate(&m.name, 40),
                        truncate(m.owner_name.as_deref().unwrap_or(""), 20),
                        m.matched_on.join(", ").replace('_', " + "),
                        m.phone.clone().unwrap_or_default(),
                        m.email.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            for line in table(&["CODE", "NAME", "OWNER", "MATCHED ON", "PHONE", "EMAIL"], &cells).lines() {
                let _ = writeln!(text, "  {line}");
            }
            text.push_str(if *blocking {
                "  a duplicate rule blocks this customer; an administrator can change it (clientele settings duplicates)\n"
            } else {
                "  hint: add --allow-duplicate to save it anyway\n"
            });
        }
        match e.code() {
            "catalog.in_use" => {
                text.push_str("  hint: --replace-with NAME_OR_ID moves them to another item first\n");
            }
            "catalog_item.not_found" => {
                text.push_str("  hint: `clientele catalog list KIND` shows the names and ids\n");
            }
            _ => {}
        }
        if matches!(e, Error::WrongPassword) {
            text.push_str("  hint: set CLIENTELE_PASSWORD to the administrator's password\n");
        }
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn local_time(t: &DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A plain text table: a header line and rows, columns padded to the widest cell.
pub(super) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            l.push_str(cell);
            if i + 1 < widths.len() {
                l.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.chars().count())));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&mut headers.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

pub fn rows(page: &Page, offset: u32, total: u64, trash: bool) -> String {
    if page.rows.is_empty() {
        return if trash { "The trash is empty.\n".into() } else { "No customers.\n".into() };
    }
    let cells: Vec<Vec<String>> = page.rows.iter().map(|r| row_cells(r, trash)).collect();
    let headers: &[&str] = if trash {
        &["CODE", "NAME", "KIND", "PHONE", "EMAIL", "OWNER", "DELETED"]
    } else {
        &["CODE", "NAME", "KIND", "PHONE", "EMAIL", "OWNER", "CREATED"]
    };
    let mut out = table(headers, &cells);
    let first = u64::from(offset) + 1;
    let last = u64::from(offset) + page.rows.len() as u64;
    let _ = write!(out, "{}–{} of {}", thousands(first), thousands(last), thousands(total));
    if page.next.is_some() {
        let _ = write!(out, " (next page: --offset {last})");
    }
    out.push('\n');
    out
}

fn row_cells(r: &CustomerRow, trash: bool) -> Vec<String> {
    let when = if trash { r.deleted_at.as_ref().unwrap_or(&r.created_at) } else { &r.created_at };
    vec![
        r.code.clone(),
        truncate(&r.name, 48),
        r.kind.as_str().to_owned(),
        r.phone.clone().unwrap_or_default(),
        truncate(r.email.as_deref().unwrap_or(""), 36),
        truncate(r.owner_name.as_deref().unwrap_or(""), 20),
        local_time(when),
    ]
}

/// Width of the labels in the detail view.
const LABEL: usize = 15;

pub fn customer(c: &Customer, catalogs: &Catalogs, history: &[HistoryEntry]) -> String {
    let names: HashMap<i64, &str> = catalogs.items.iter().map(|i| (i.id, i.name.as_str())).collect();
    let name = |id: i64| names.get(&id).map_or_else(|| format!("#{id}"), |n| (*n).to_owned());
    let opt_name = |id: Option<i64>| id.map(name).unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", c.code, c.name);
    let indent = " ".repeat(LABEL + 3);
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(out, "  {label:<LABEL$} {}", value.replace('\n', &format!("\n{indent}")));
        }
    };
    field("Id", c.id.to_string());
    field("Kind", c.kind.as_str().to_owned());
    field("Phones", c.phones.join(", "));
    field("E-mails", c.emails.join(", "));
    field("Address", c.address.clone().unwrap_or_default());
    field("Tax code", c.tax_code.clone().unwrap_or_default());
    field("Website", c.website.clone().unwrap_or_default());
    field("Birthday", c.birthday.map(|d| d.to_string()).unwrap_or_default());
    field("Founded on", c.founded_on.map(|d| d.to_string()).unwrap_or_default());
    field("Gender", c.gender.map(|g| g.as_str().to_owned()).unwrap_or_default());
    field("Notes", c.notes.clone().unwrap_or_default());
    field("Segment", opt_name(c.segment_id));
    field("Level", opt_name(c.level_id));
    field("Groups", c.group_ids.iter().map(|id| name(*id)).collect::<Vec<_>>().join(", "));
    field("Status", opt_name(c.status_id));
    field("Channel", opt_name(c.channel_id));
    field("Owner", c.owner_name.clone().or(c.owner_id.map(|id| format!("#{id}"))).unwrap_or_default());
    field(
        "Service mgr",
        c.service_manager_name.clone().or(c.service_manager_id.map(|id| format!("#{id}"))).unwrap_or_default(),
    );
    let consent = if c.email_consent { "yes" } else { "no" };
    field(
        "E-mail consent",
        match &c.email_consent_at {
            Some(at) => format!("{consent} (since {})", local_time(at)),
            None => consent.to_owned(),
        },
    );
    let products: Vec<String> = c
        .products
        .iter()
        .map(|p| match p.since {
            Some(d) => format!("{} (since {d})", name(p.product_id)),
            None => name(p.product_id),
        })
        .collect();
    field("Products", products.join(", "));
    field("Invoice types", c.invoice_type_ids.iter().map(|id| name(*id)).collect::<Vec<_>>().join(", "));
    let entities: Vec<String> = c
        .legal_entities
        .iter()
        .map(|e| {
            let mut parts = vec![e.name.clone()];
            parts.extend(e.tax_code.as_ref().map(|t| format!("tax code {t}")));
            parts.extend(e.address.clone());
            parts.join(" · ")
        })
        .collect();
    field("Legal entities", entities.join("\n"));
    let contacts: Vec<String> = c
        .contacts
        .iter()
        .map(|k| {
            let mut parts = vec![format!("{}{}", k.name, if k.primary { " (primary)" } else { "" })];
            parts.extend(k.position_id.map(name));
            parts.extend(k.phones.iter().cloned());
            parts.extend(k.emails.iter().cloned());
            parts.extend(k.notes.as_ref().map(|n| n.replace('\n', " ")));
            parts.join(" · ")
        })
        .collect();
    field("Contacts", contacts.join("\n"));
    field("Referred by", c.referrer.as_ref().map(|r| format!("{} {}", r.code, r.name)).unwrap_or_default());
    field("Ref. supplier", c.referrer_supplier.clone().unwrap_or_default());
    field("Created", local_time(&c.created_at));
    field("Updated", local_time(&c.updated_at));
    field("In trash", c.deleted_at.as_ref().map(local_time).map(|t| format!("since {t}")).unwrap_or_default());
    if !history.is_empty() {
        out.push_str("History (newest first):\n");
        for h in history {
            let who = h.actor_name.clone().or(h.actor_id.map(|id| format!("#{id}"))).unwrap_or_default();
            let _ = writeln!(out, "  {}  {:<8} {who}", local_time(&h.at), h.action);
            for ch in &h.changes {
                let (before, after) = (named(&ch.field, &ch.before, &name), named(&ch.field, &ch.after, &name));
                let _ = writeln!(out, "      {}: {} → {}", ch.field, short(&before), short(&after));
            }
        }
    }
    out
}

/// Catalog ids in a history value, as names ("level_id: 5 → 6" reads "VIP → Gold").
fn named(field: &str, v: &serde_json::Value, name: &dyn Fn(i64) -> String) -> serde_json::Value {
    use serde_json::Value;
    match (field, v) {
        ("segment_id" | "level_id" | "status_id" | "channel_id", Value::Number(n)) => {
            n.as_i64().map_or_else(|| v.clone(), |id| Value::String(name(id)))
        }
        ("group_ids" | "invoice_type_ids", Value::Array(ids)) => {
            let names: Vec<String> = ids.iter().map(|id| id.as_i64().map_or_else(|| id.to_string(), name)).collect();
            Value::String(names.join(", "))
        }
        _ => v.clone(),
    }
}

fn short(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::Null => "–".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    truncate(&s.replace('\n', " "), 60)
}

/// One catalog: order, name, colour, active, how many use each item.
pub fn catalog(kind_name: &str, kind: CatalogKind, items: &[CatalogItemUsage]) -> String {
    if items.is_empty() {
        return format!("No {kind_name} items yet (add one: clientele catalog add {kind_name} NAME).\n");
    }
    let used_by = match kind {
        CatalogKind::Position => "CONTACTS",
        CatalogKind::CareType => "ACTIVITIES",
        _ => "CUSTOMERS",
    };
    let cells: Vec<Vec<String>> = items
        .iter()
        .enumerate()
        .map(|(i, u)| {
            vec![
                (i + 1).to_string(),
                u.item.name.clone(),
                u.item.color.clone().unwrap_or_else(|| "–".into()),
                if u.item.active { "yes" } else { "no" }.to_owned(),
                thousands(u.customers),
                u.item.id.to_string(),
            ]
        })
        .collect();
    table(&["#", "NAME", "COLOUR", "ACTIVE", used_by, "ID"], &cells)
}

pub fn staff(all: &[Staff]) -> String {
    let cells: Vec<Vec<String>> = all
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.email.clone(),
                s.role.as_str().to_owned(),
                if s.active { "yes" } else { "no" }.to_owned(),
                if s.has_password { "yes" } else { "no" }.to_owned(),
            ]
        })
        .collect();
    table(&["NAME", "EMAIL", "ROLE", "ACTIVE", "PASSWORD"], &cells)
}

pub fn duplicate_rules(r: &DuplicateRules) -> String {
    let mode = |m: RuleMode| match m {
        RuleMode::Off => "off",
        RuleMode::Warn => "warn",
        RuleMode::Block => "block",
    };
    let cells = [("phone", r.phone), ("email", r.email), ("tax-code", r.tax_code), ("name-address", r.name_address)]
        .iter()
        .map(|(k, m)| vec![(*k).to_owned(), mode(*m).to_owned()])
        .collect::<Vec<_>>();
    table(&["RULE", "MODE"], &cells)
}

pub fn stats(s: &Stats) -> String {
    format!(
        "Customers   {}\n  individuals {}\n  businesses  {}\nIn trash    {}\nStaff       {}\n",
        thousands(s.customers),
        thousands(s.individuals),
        thousands(s.businesses),
        thousands(s.in_trash),
        thousands(s.staff)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn table_pads_unicode() {
        let t = table(&["A", "B"], &[vec!["Nguyễn".into(), "x".into()]]);
        assert_eq!(t, "A       B\nNguyễn  x\n");
    }
}

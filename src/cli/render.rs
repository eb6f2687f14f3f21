//! Human-readable output (tables, detail views) and JSON, as strings; errors to stderr.

use std::fmt::Write as _;
use std::io::Write as _;

use chrono::{DateTime, Local, Utc};
use clientele::customers::{Customer, CustomerRow, Page, Stats};
use clientele::history::HistoryEntry;
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

fn local_time(t: &DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A plain text table: a header line and rows, columns padded to the widest cell.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
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

pub fn customer(c: &Customer, history: &[HistoryEntry]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", c.code, c.name);
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(out, "  {label:<12} {}", value.replace('\n', "\n               "));
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
    field("Owner", c.owner_name.clone().or(c.owner_id.map(|id| format!("#{id}"))).unwrap_or_default());
    field("Created", local_time(&c.created_at));
    field("Updated", local_time(&c.updated_at));
    field("In trash", c.deleted_at.as_ref().map(local_time).map(|t| format!("since {t}")).unwrap_or_default());
    if !history.is_empty() {
        out.push_str("History (newest first):\n");
        for h in history {
            let who = h.actor_name.clone().or(h.actor_id.map(|id| format!("#{id}"))).unwrap_or_default();
            let _ = writeln!(out, "  {}  {:<8} {who}", local_time(&h.at), h.action);
            for ch in &h.changes {
                let _ = writeln!(out, "      {}: {} → {}", ch.field, short(&ch.before), short(&ch.after));
            }
        }
    }
    out
}

fn short(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::Null => "–".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    truncate(&s.replace('\n', " "), 60)
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

//! `clientele activity` (the administrator's activity log) and the ownership settings
//! (`settings pool-return`, `settings approval`).

use std::fmt::Write as _;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use clientele::actor::Actor;
use clientele::history::{self, ActivityEntry, ActivityFilter};
use clientele::store::Store;
use clientele::{Error, Result, ownership, staff};
use serde_json::json;

use super::render;

/// The activity log, newest first: who did what to which customer, and when.
#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// Only what this staff member did (by e-mail).
    #[arg(long, value_name = "EMAIL")]
    pub staff: Option<String>,
    /// Only this action (create, update, transfer, release, claim, pool.auto_return, …).
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// From this day on (YYYY-MM-DD, in the system's time zone).
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Up to and including this day.
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Entries to show (1 to 500).
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub limit: u32,
    /// Older entries: continue before this entry id (the last id of a previous page).
    #[arg(long, value_name = "ID")]
    pub before: Option<i64>,
}

pub async fn activity(store: &Store, actor: &Actor, args: ActivityArgs, json_out: bool) -> Result<String> {
    let staff_id = match &args.staff {
        Some(email) => Some(staff::find_by_email(store, email).await?.id),
        None => None,
    };
    let filter = ActivityFilter {
        staff_id,
        action: args.action,
        from: args.from,
        to: args.to,
        tz: Some(clientele::care::time::system_zone().name().to_owned()),
    };
    let page = history::activity_log(store, actor, &filter, args.before, args.limit).await?;
    if json_out {
        return Ok(render::json(&page));
    }
    let mut out = activity_table(&page.entries);
    if page.entries.is_empty() {
        out = "No activity.\n".to_owned();
    }
    if let Some(next) = page.next {
        let _ = writeln!(out, "(more: --before {next})");
    }
    Ok(out)
}

fn activity_table(entries: &[ActivityEntry]) -> String {
    let cells: Vec<Vec<String>> = entries
        .iter()
        .map(|x| {
            let e = &x.entry;
            let who = e.actor_name.clone().unwrap_or_else(|| "(Clientele)".to_owned());
            let subject = match (&x.customer_code, &x.customer_name) {
                (Some(code), Some(name)) => format!("{code} {}", render::truncate(name, 30)),
                _ if e.entity == "customer" => format!("customer #{}", e.entity_id),
                _ if e.entity_id == 0 => e.entity.clone(),
                _ => format!("{} #{}", e.entity, e.entity_id),
            };
            let changes: Vec<&str> = e.changes.iter().map(|c| c.field.as_str()).collect();
            vec![
                e.id.to_string(),
                render::local_time(&e.at),
                render::truncate(&who, 20),
                e.action.clone(),
                subject,
                render::truncate(&changes.join(", "), 50),
            ]
        })
        .collect();
    render::table(&["ID", "WHEN", "WHO", "ACTION", "ABOUT", "CHANGED"], &cells)
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// `settings approval [on|off]`: show, or (administrators) change, whether customers created by
/// staff members wait for a manager's approval.
pub async fn approval(store: &Store, actor: &Actor, value: Option<OnOff>, json_out: bool) -> Result<String> {
    if let Some(v) = value {
        ownership::set_approval_required(store, actor, matches!(v, OnOff::On)).await?;
    }
    let on = ownership::approval_required(store).await?;
    Ok(if json_out {
        render::json(&json!({ "approval_required": on }))
    } else if on {
        "New customers created by staff members wait for a manager's approval.\n".to_owned()
    } else {
        "New customers need no approval.\n".to_owned()
    })
}

/// `settings pool-return [--days N|off]`: show, or (administrators) change, the automatic return
/// to the pool of customers with no done care activity for N days.
pub async fn pool_return(store: &Store, actor: &Actor, days: Option<String>, json_out: bool) -> Result<String> {
    if let Some(d) = days {
        let value = match d.trim().to_ascii_lowercase().as_str() {
            "off" | "0" | "none" => None,
            n => Some(n.parse::<u32>().map_err(|_| {
                Error::InvalidArgument(format!("--days: expected a number of days (1 to 3650) or off, got {d:?}"))
            })?),
        };
        ownership::set_pool_return_days(store, actor, value).await?;
    }
    let days = ownership::pool_return_days(store).await?;
    Ok(if json_out {
        render::json(&json!({ "pool_return_days": days }))
    } else {
        match days {
            Some(n) => format!(
                "Customers with no done care activity for {n} days return to the pool (checked at start-up and daily by the app).\n"
            ),
            None => "Customers never return to the pool by themselves.\n".to_owned(),
        }
    })
}

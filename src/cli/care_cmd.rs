//! `clientele care list|add|done|reschedule|cancel|timeline|rules …`: the care schedule from the
//! command line. Due times are local wall-clock times in the system zone (`$TZ` when set) unless
//! `--tz` names another IANA zone.

use std::fmt::Write as _;

use chrono::Utc;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use clientele::actor::Actor;
use clientele::care::{
    self, CareActivity, CareBucket, CareFilter, CareInput, CareRule, CareRuleInput, CareScope, CareState, TimelineKind,
};
use clientele::catalogs::{self, CatalogItem, CatalogKind};
use clientele::customers;
use clientele::staff;
use clientele::store::Store;
use clientele::{Error, Result};
use serde_json::json;

use super::render;

#[derive(Debug, Subcommand)]
pub enum CareCommand {
    /// Your planned care activities by due time (managers: --everyone or --assignee).
    #[command(group(ArgGroup::new("bucket").args(["overdue", "today", "week", "later"])))]
    List {
        /// Only the overdue ones.
        #[arg(long)]
        overdue: bool,
        /// Only the ones due today.
        #[arg(long)]
        today: bool,
        /// Only the ones due from tomorrow to Sunday.
        #[arg(long)]
        week: bool,
        /// Only the ones due after this week.
        #[arg(long)]
        later: bool,
        /// This staff member's activities (another one's: managers).
        #[arg(long, value_name = "EMAIL", conflicts_with = "everyone")]
        assignee: Option<String>,
        /// Everyone's activities (managers).
        #[arg(long)]
        everyone: bool,
        /// Only this customer's (code or id).
        #[arg(long, value_name = "CODE_OR_ID")]
        customer: Option<String>,
        /// Only this care type (key such as `call`, name or id; repeatable).
        #[arg(long = "type", value_name = "TYPE")]
        types: Vec<String>,
        /// Only customers of this level (name or id; repeatable).
        #[arg(long = "level", value_name = "NAME_OR_ID")]
        levels: Vec<String>,
        /// Only customers of this segment (name or id; repeatable).
        #[arg(long = "segment", value_name = "NAME_OR_ID")]
        segments: Vec<String>,
        /// Done or cancelled ones instead (latest first).
        #[arg(long, value_enum, default_value_t = StateArg::Planned)]
        state: StateArg,
        /// Rows to show (1 to 500).
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=500))]
        limit: u32,
    },
    /// Schedule a care activity on a customer.
    Add {
        #[arg(long, value_name = "CODE_OR_ID")]
        customer: String,
        #[command(flatten)]
        activity: ActivityArgs,
    },
    /// Mark an activity done with its outcome (a follow-up record); optionally plan the next one.
    Done {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "TEXT")]
        outcome: String,
        /// Due of the next activity (YYYY-MM-DD or YYYY-MM-DDTHH:MM, local).
        #[arg(long, value_name = "DUE")]
        next_due: Option<String>,
        /// Title of the next activity (default: the type's name).
        #[arg(long, value_name = "TEXT", requires = "next_due")]
        next_title: Option<String>,
        /// Type of the next activity (default: this one's).
        #[arg(long, value_name = "TYPE", requires = "next_due")]
        next_type: Option<String>,
    },
    /// Move a planned activity: a new due (YYYY-MM-DD or YYYY-MM-DDTHH:MM, local), or +N / -N
    /// days keeping the time of day.
    Reschedule {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "DUE", allow_hyphen_values = true)]
        due: String,
        /// IANA zone of the new due (default: the activity's).
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
    },
    /// Cancel a planned activity (it stays on the customer's timeline).
    Cancel {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// A customer's follow-up records, planned activities and history, newest first.
    Timeline {
        #[arg(value_name = "CODE_OR_ID")]
        customer: String,
        /// Only these kinds (repeatable).
        #[arg(long, value_enum, value_name = "KIND")]
        kind: Vec<KindArg>,
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=500))]
        limit: u32,
    },
    /// Recurring care rules per level or segment (administrators change them).
    #[command(subcommand)]
    Rules(RulesCommand),
}

/// What an activity is: shared by `care add`.
#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// Care type: key (call, meeting, visit, email, task), name or id.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: String,
    /// Default: the type's name.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub title: String,
    /// YYYY-MM-DD (all day) or YYYY-MM-DDTHH:MM, local wall-clock time.
    #[arg(long, value_name = "DUE")]
    pub due: String,
    /// IANA zone of --due (default: the system zone).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Minutes.
    #[arg(long, value_name = "MIN")]
    pub duration: Option<i64>,
    /// Staff member by e-mail (default: the customer's owner).
    #[arg(long, value_name = "EMAIL")]
    pub assignee: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Every rule.
    List,
    /// Add a rule: every customer of the level (or segment) keeps one activity planned
    /// --every N days after its last contact.
    #[command(group(ArgGroup::new("target").required(true).args(["level", "segment"])))]
    Add {
        #[arg(long, value_name = "NAME_OR_ID")]
        level: Option<String>,
        #[arg(long, value_name = "NAME_OR_ID")]
        segment: Option<String>,
        /// Care type: key, name or id.
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        /// Days after the last contact (1 to 3650).
        #[arg(long, value_name = "DAYS")]
        every: i64,
        /// Title of the planned activities (default: the type's name).
        #[arg(long, value_name = "TEXT", default_value = "")]
        title: String,
        /// Default: made from the level or segment, type and interval.
        #[arg(long, value_name = "TEXT", default_value = "")]
        name: String,
    },
    /// Delete a rule; its planned activities are cancelled.
    Delete {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Fill the schedule from the rules now (the app does it at start).
    Apply,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StateArg {
    Planned,
    Done,
    Cancelled,
}

impl From<StateArg> for CareState {
    fn from(s: StateArg) -> Self {
        match s {
            StateArg::Planned => CareState::Planned,
            StateArg::Done => CareState::Done,
            StateArg::Cancelled => CareState::Cancelled,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Followup,
    Planned,
    Cancelled,
    History,
}

impl From<KindArg> for TimelineKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Followup => TimelineKind::Followup,
            KindArg::Planned => TimelineKind::Planned,
            KindArg::Cancelled => TimelineKind::Cancelled,
            KindArg::History => TimelineKind::History,
        }
    }
}

/// A care type by key, name or id; the error names the value.
async fn care_type(store: &Store, key: &str) -> Result<CatalogItem> {
    catalogs::find(store, CatalogKind::CareType, key).await.map_err(|e| match e {
        Error::NotFound { entity, .. } => Error::NotFound { entity, id: format!("care-type \"{}\"", key.trim()) },
        other => other,
    })
}

async fn staff_id(store: &Store, email: &str) -> Result<i64> {
    Ok(staff::find_by_email(store, email).await?.id)
}

pub async fn run(store: &Store, actor: &Actor, cmd: CareCommand, json: bool) -> Result<String> {
    match cmd {
        CareCommand::List {
            overdue,
            today,
            week,
            later,
            assignee,
            everyone,
            customer,
            types,
            levels,
            segments,
            state,
            limit,
        } => {
            let bucket = [
                (overdue, CareBucket::Overdue),
                (today, CareBucket::Today),
                (week, CareBucket::Week),
                (later, CareBucket::Later),
            ]
            .into_iter()
            .find_map(|(on, b)| on.then_some(b));
            let assignee_id = match &assignee {
                Some(email) => Some(staff_id(store, email).await?),
                None => None,
            };
            let scope = match assignee_id {
                Some(a) if a != actor.staff_id => CareScope::Everyone,
                _ if everyone => CareScope::Everyone,
                _ => CareScope::Mine,
            };
            let customer_id = match &customer {
                Some(c) => Some(customers::resolve_id(store, actor, c).await?),
                None => None,
            };
            let mut type_ids = Vec::new();
            for t in &types {
                type_ids.push(care_type(store, t).await?.id);
            }
            let mut level_ids = Vec::new();
            for l in &levels {
                level_ids.push(catalogs::find(store, CatalogKind::Level, l).await?.id);
            }
            let mut segment_ids = Vec::new();
            for s in &segments {
                segment_ids.push(catalogs::find(store, CatalogKind::Segment, s).await?.id);
            }
            let filter = CareFilter {
                scope,
                assignee_id: assignee_id.filter(|_| scope == CareScope::Everyone),
                bucket,
                type_ids,
                level_ids,
                segment_ids,
                customer_id,
                state: Some(state.into()),
                ..Default::default()
            };
            let now = Utc::now();
            let page = care::list(store, actor, &filter, now, None, limit).await?;
            if json {
                return Ok(render::json(&page));
            }
            let mut out = String::new();
            if matches!(state, StateArg::Planned) {
                let c = care::counts(store, actor, &filter, now).await?;
                let _ = writeln!(
                    out,
                    "Overdue {}  ·  Today {}  ·  This week {}  ·  Later {}",
                    render::thousands(c.overdue),
                    render::thousands(c.today),
                    render::thousands(c.week),
                    render::thousands(c.later)
                );
            }
            if page.items.is_empty() {
                out.push_str("No care activities.\n");
                return Ok(out);
            }
            out.push_str(&activities(&page.items, scope == CareScope::Everyone));
            if page.next.is_some() {
                let _ = writeln!(out, "… more: raise --limit or narrow the list");
            }
            Ok(out)
        }
        CareCommand::Add { customer, activity } => {
            let customer_id = customers::resolve_id(store, actor, &customer).await?;
            let input = input_of(store, activity).await?;
            let a = care::schedule(store, actor, customer_id, input).await?;
            Ok(if json {
                render::json(&a)
            } else {
                format!(
                    "Scheduled #{} {} for {} {}, due {}\n",
                    a.id,
                    a.title,
                    a.customer_code,
                    a.customer_name,
                    due(&a)
                )
            })
        }
        CareCommand::Done { id, outcome, next_due, next_title, next_type } => {
            let next = match next_due {
                Some(d) => {
                    let type_id = match &next_type {
                        Some(t) => care_type(store, t).await?.id,
                        None => care::get(store, actor, id).await?.type_id,
                    };
                    Some(CareInput { type_id, title: next_title.unwrap_or_default(), due: d, ..Default::default() })
                }
                None => None,
            };
            let done = care::complete(store, actor, id, &outcome, next).await?;
            if json {
                return Ok(render::json(&done));
            }
            let mut out = format!(
                "Done #{} {} ({} {})\n",
                done.done.id, done.done.title, done.done.customer_code, done.done.customer_name
            );
            if let Some(n) = &done.next {
                let _ = writeln!(out, "Next: #{} {}, due {}", n.id, n.title, due(n));
            }
            Ok(out)
        }
        CareCommand::Reschedule { id, due: when, tz } => {
            let a = care::reschedule(store, actor, id, &when, tz.as_deref()).await?;
            Ok(if json { render::json(&a) } else { format!("#{} {} is now due {}\n", a.id, a.title, due(&a)) })
        }
        CareCommand::Cancel { id, reason } => {
            let a = care::cancel(store, actor, id, reason.as_deref()).await?;
            Ok(if json { render::json(&a) } else { format!("Cancelled #{} {}\n", a.id, a.title) })
        }
        CareCommand::Timeline { customer, kind, limit } => {
            let customer_id = customers::resolve_id(store, actor, &customer).await?;
            let kinds: Vec<TimelineKind> = kind.into_iter().map(Into::into).collect();
            let entries = care::timeline(store, actor, customer_id, &kinds, None, limit).await?;
            if json {
                return Ok(render::json(&entries));
            }
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|t| {
                    let at = t.at.with_timezone(&care::time::system_zone()).format("%Y-%m-%d %H:%M").to_string();
                    match (&t.activity, &t.history) {
                        (Some(a), _) => vec![
                            at,
                            kind_label(t.kind).into(),
                            format!("#{} {} · {}", a.id, a.type_name, a.title),
                            a.outcome.clone().unwrap_or_default().replace('\n', " "),
                        ],
                        (None, Some(h)) => vec![
                            at,
                            "history".into(),
                            h.action.clone(),
                            h.changes.iter().map(|c| c.field.as_str()).collect::<Vec<_>>().join(", "),
                        ],
                        (None, None) => vec![at, kind_label(t.kind).into(), String::new(), String::new()],
                    }
                })
                .collect();
            Ok(table(&["WHEN", "KIND", "WHAT", "OUTCOME / CHANGES"], &rows))
        }
        CareCommand::Rules(cmd) => rules(store, actor, cmd, json).await,
    }
}

async fn input_of(store: &Store, a: ActivityArgs) -> Result<CareInput> {
    let type_id = care_type(store, &a.kind).await?.id;
    let assignee_id = match &a.assignee {
        Some(email) => Some(staff_id(store, email).await?),
        None => None,
    };
    Ok(CareInput {
        type_id,
        title: a.title,
        due: a.due,
        tz: a.tz,
        duration_min: a.duration,
        assignee_id,
        notes: a.notes,
    })
}

async fn rules(store: &Store, actor: &Actor, cmd: RulesCommand, json: bool) -> Result<String> {
    match cmd {
        RulesCommand::List => {
            let all = care::rules(store, actor).await?;
            if json {
                return Ok(render::json(&all));
            }
            if all.is_empty() {
                return Ok("No recurring care rules.\n".into());
            }
            let names = catalogs::all(store).await?;
            let name = |id: Option<i64>| {
                id.and_then(|id| names.items.iter().find(|i| i.id == id)).map(|i| i.name.clone()).unwrap_or_default()
            };
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|r: &CareRule| {
                    let target = match (r.level_id, r.segment_id) {
                        (Some(_), _) => format!("level {}", name(r.level_id)),
                        _ => format!("segment {}", name(r.segment_id)),
                    };
                    vec![
                        r.id.to_string(),
                        r.name.clone(),
                        target,
                        name(Some(r.type_id)),
                        r.title.clone(),
                        format!("{} days", r.interval_days),
                        if r.active { "yes".into() } else { "no".into() },
                    ]
                })
                .collect();
            Ok(table(&["ID", "NAME", "FOR", "TYPE", "TITLE", "EVERY", "ACTIVE"], &rows))
        }
        RulesCommand::Add { level, segment, kind, every, title, name } => {
            let level_id = match &level {
                Some(l) => Some(catalogs::find(store, CatalogKind::Level, l).await?.id),
                None => None,
            };
            let segment_id = match &segment {
                Some(s) => Some(catalogs::find(store, CatalogKind::Segment, s).await?.id),
                None => None,
            };
            let type_id = care_type(store, &kind).await?.id;
            let input = CareRuleInput {
                id: None,
                name,
                level_id,
                segment_id,
                type_id,
                title,
                interval_days: every,
                active: true,
            };
            let rule = care::save_rule(store, actor, input).await?;
            Ok(if json { render::json(&rule) } else { format!("Added rule #{} {}\n", rule.id, rule.name) })
        }
        RulesCommand::Delete { id } => {
            care::delete_rule(store, actor, id).await?;
            Ok(if json { render::json(&json!({ "deleted": id })) } else { format!("Deleted rule #{id}\n") })
        }
        RulesCommand::Apply => {
            let n = care::apply_rules(store, actor, Utc::now()).await?;
            Ok(if json {
                render::json(&json!({ "created": n }))
            } else {
                format!("Planned {} care activit{}\n", render::thousands(n), if n == 1 { "y" } else { "ies" })
            })
        }
    }
}

fn kind_label(k: TimelineKind) -> &'static str {
    match k {
        TimelineKind::Followup => "follow-up",
        TimelineKind::Planned => "planned",
        TimelineKind::Cancelled => "cancelled",
        TimelineKind::History => "history",
    }
}

/// The due as picked (`2026-12-01 09:30`, or the day and "all day"), with its zone when it is not
/// the system zone.
fn due(a: &CareActivity) -> String {
    let mut s = if a.all_day {
        format!("{} (all day)", a.due_local.get(..10).unwrap_or(&a.due_local))
    } else {
        a.due_local.replacen('T', " ", 1)
    };
    if a.tz != care::time::system_zone().name() {
        let _ = write!(s, " {}", a.tz);
    }
    s
}

fn activities(items: &[CareActivity], with_assignee: bool) -> String {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|a| {
            let mut row = vec![
                a.id.to_string(),
                if a.overdue { format!("{} overdue", due(a)) } else { due(a) },
                a.type_name.clone(),
                truncate(&a.title, 40),
                format!("{} {}", a.customer_code, truncate(&a.customer_name, 30)),
            ];
            if with_assignee {
                row.push(a.assignee_name.clone().unwrap_or_default());
            }
            if a.state != CareState::Planned {
                row.push(truncate(&a.outcome.clone().unwrap_or_default().replace('\n', " "), 40));
            }
            row
        })
        .collect();
    let mut headers = vec!["ID", "DUE", "TYPE", "TITLE", "CUSTOMER"];
    if with_assignee {
        headers.push("ASSIGNEE");
    }
    if items.first().is_some_and(|a| a.state != CareState::Planned) {
        headers.push("OUTCOME");
    }
    table(&headers, &rows)
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

/// A plain text table, columns padded to the widest cell.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            l.push_str(cell);
            l.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.chars().count())));
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(headers.to_vec(), &mut out);
    for row in rows {
        line(row.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

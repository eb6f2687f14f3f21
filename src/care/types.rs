//! The care schedule's data shapes, shared by the app (through ts-rs bindings) and the CLI.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::history::HistoryEntry;

/// Where a care activity stands: planned, then done (a follow-up record) or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CareState {
    #[default]
    Planned,
    Done,
    Cancelled,
}

impl CareState {
    pub fn as_str(self) -> &'static str {
        match self {
            CareState::Planned => "planned",
            CareState::Done => "done",
            CareState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "planned" => Some(CareState::Planned),
            "done" => Some(CareState::Done),
            "cancelled" => Some(CareState::Cancelled),
            _ => None,
        }
    }
}

/// A care activity to schedule (the Care view, a customer, the new-customer form, the CLI).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CareInput {
    /// A care type (catalog kind `care_type`), active.
    #[ts(type = "number")]
    pub type_id: i64,
    /// Empty: the type's name.
    #[serde(default)]
    pub title: String,
    /// Local wall-clock due date, `2026-12-01` (all day) or `2026-12-01T09:30`, in `tz`.
    pub due: String,
    /// IANA zone the due time is in (`Asia/Ho_Chi_Minh`); null: the system zone.
    #[serde(default)]
    pub tz: Option<String>,
    /// Minutes, 1 to 10080.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub duration_min: Option<i64>,
    /// Null: the customer's owner.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub assignee_id: Option<i64>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A care activity as every view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CareActivity {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    pub customer_code: String,
    pub customer_name: String,
    #[ts(type = "number")]
    pub type_id: i64,
    pub type_name: String,
    /// The care type's stable key (`call`, `meeting`, `visit`, `email`, `task`) for starter
    /// types; null for types users added.
    pub type_key: Option<String>,
    pub title: String,
    /// The due instant (UTC). Shown in local time.
    pub due_at: DateTime<Utc>,
    /// The wall-clock time as picked, `YYYY-MM-DDTHH:MM`, in `tz` (`T00:00` when all day).
    pub due_local: String,
    /// Due on a day, at no particular time.
    pub all_day: bool,
    /// IANA zone of `due_local`.
    pub tz: String,
    #[ts(type = "number | null")]
    pub duration_min: Option<i64>,
    #[ts(type = "number | null")]
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub notes: Option<String>,
    pub state: CareState,
    /// What came of it (done), or why it was cancelled.
    pub outcome: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    /// The recurring rule that planned it.
    #[ts(type = "number | null")]
    pub rule_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Planned and past due (an all-day activity: its day is over).
    pub overdue: bool,
}

/// The Care view's groups of planned activities, in the viewer's zone: before now (all-day:
/// before today), today, the rest of this week (to Sunday), later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CareBucket {
    Overdue,
    Today,
    Week,
    Later,
}

/// Whose activities: the actor's own, or everyone's (managers and admins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CareScope {
    #[default]
    Mine,
    Everyone,
}

/// Narrowing of the Care view. Lists combine with AND, values inside a list with OR; empty means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CareFilter {
    #[serde(default)]
    pub scope: CareScope,
    /// Everyone's scope only: this assignee's activities.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub assignee_id: Option<i64>,
    /// Planned activities only: one group.
    #[serde(default)]
    pub bucket: Option<CareBucket>,
    #[serde(default)]
    #[ts(type = "number[]")]
    pub type_ids: Vec<i64>,
    /// The customer's level.
    #[serde(default)]
    #[ts(type = "number[]")]
    pub level_ids: Vec<i64>,
    /// The customer's segment.
    #[serde(default)]
    #[ts(type = "number[]")]
    pub segment_ids: Vec<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub customer_id: Option<i64>,
    /// Null: planned.
    #[serde(default)]
    pub state: Option<CareState>,
    /// The viewer's IANA zone (where "today" is); null: the system zone.
    #[serde(default)]
    pub tz: Option<String>,
}

/// Where a page ended: its last activity's due instant and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CareCursor {
    pub due_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub id: i64,
}

/// A page of the Care view: planned activities by due time, earliest first; done and cancelled
/// ones latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CarePage {
    pub items: Vec<CareActivity>,
    /// Cursor for the next page; null at the end.
    pub next: Option<CareCursor>,
}

/// Planned activities per group (the tabs and the navigation's overdue badge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CareCounts {
    #[ts(type = "number")]
    pub overdue: u64,
    #[ts(type = "number")]
    pub today: u64,
    #[ts(type = "number")]
    pub week: u64,
    #[ts(type = "number")]
    pub later: u64,
}

/// What completing an activity did: the follow-up record, and the next activity if one was asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Completed {
    pub done: CareActivity,
    pub next: Option<CareActivity>,
}

/// Kinds of entries on a customer's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TimelineKind {
    /// A done activity (a follow-up record), at its done time.
    Followup,
    /// A planned activity, at its due time.
    Planned,
    /// A cancelled activity, at the time it was cancelled.
    Cancelled,
    /// A change to the customer (history entry), at its time.
    History,
}

/// Where a timeline page ended (pass the last entry's cursor to read on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineCursor {
    pub at: DateTime<Utc>,
    /// The entry is a history entry (else an activity).
    pub history: bool,
    #[ts(type = "number")]
    pub id: i64,
}

/// One entry of a customer's timeline, newest first: an activity or a history entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    pub at: DateTime<Utc>,
    /// For followup, planned and cancelled.
    pub activity: Option<CareActivity>,
    /// For history.
    pub history: Option<HistoryEntry>,
    pub cursor: TimelineCursor,
}

/// Recurring care: every live, active customer of a level (or of a segment) keeps one planned
/// all-day activity `interval_days` after its last contact (or, never contacted, its creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CareRule {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// Exactly one of level_id / segment_id.
    #[ts(type = "number | null")]
    pub level_id: Option<i64>,
    #[ts(type = "number | null")]
    pub segment_id: Option<i64>,
    #[ts(type = "number")]
    pub type_id: i64,
    pub title: String,
    #[ts(type = "number")]
    pub interval_days: i64,
    pub active: bool,
}

/// A rule to create (id null) or change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CareRuleInput {
    #[serde(default)]
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    /// Empty: made from the level or segment and the interval.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub level_id: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub segment_id: Option<i64>,
    #[ts(type = "number")]
    pub type_id: i64,
    /// Empty: the type's name.
    #[serde(default)]
    pub title: String,
    /// 1 to 3650.
    #[ts(type = "number")]
    pub interval_days: i64,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A done activity to record on an existing customer (the follow-up records import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    pub customer_id: i64,
    /// A care type (active or not).
    pub type_id: i64,
    /// Empty: the type's name.
    pub title: String,
    /// When it was done, wall clock in `tz` (midnight when `all_day`).
    pub done_local: NaiveDateTime,
    pub all_day: bool,
    /// IANA zone; None: the system zone.
    pub tz: Option<String>,
    pub outcome: Option<String>,
    /// None: the customer's owner.
    pub assignee_id: Option<i64>,
    pub notes: Option<String>,
}

//! The care schedule: planned care activities (calls, meetings, visits, e-mails, tasks; the
//! types are a catalog), their completion into follow-up records, the customer timeline,
//! recurring care rules, and reminders.
//!
//! Rules of the domain, all enforced here for every path (app, CLI, import):
//! - permissions come from `Actor` (`can_schedule_care`, `can_change_care`, `can_view_care`,
//!   `can_see_all_care`, `can_manage_care_rules`);
//! - every change writes its history entry (entity `care_activity` / `care_rule`) in the same
//!   transaction;
//! - due times are wall-clock times in an IANA zone, stored with their UTC instant (see `time`);
//! - a customer's `last_contact_at` is the latest `done_at` of its done activities;
//! - recurring rules keep exactly one planned activity per rule per matching customer (see `rules`).

mod query;
mod rules;
pub mod time;
mod types;
mod write;

pub use query::{REMINDERS_PREF, counts, due_soon, get, list, timeline};
pub use rules::{apply_rules, apply_rules_in, delete_rule, rules, save_rule};
pub use types::*;
pub use write::{
    cancel, complete, merge_into, record_done_many, refresh_customers, reschedule, revert_batch, schedule,
};

pub(crate) use write::schedule_in;

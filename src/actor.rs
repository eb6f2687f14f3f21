//! The signed-in staff member, and every permission rule as a function of it.
//! Every core operation takes an `&Actor` and asks these functions; the UI never decides.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::{Approval, Customer};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    Admin,
    Manager,
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Staff => "staff",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            "staff" => Some(Role::Staff),
            _ => None,
        }
    }
}

/// Who is acting. Built only by `staff::sign_in`/`staff::actor_for` from an active staff row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Actor {
    #[ts(type = "number")]
    pub staff_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

impl Actor {
    pub fn is_manager(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Manager)
    }

    /// Create customers: every active staff member.
    pub fn can_create_customer(&self) -> Result<()> {
        Ok(())
    }

    /// See a customer's details. Managers and admins see everything. A locked customer opens
    /// for its owner only; a pending or rejected one for its creator and owner only. Everyone
    /// else sees customers read-only (the list shows locked ones by code and name only).
    pub fn can_view(&self, c: &Customer) -> Result<()> {
        if self.is_manager() {
            return Ok(());
        }
        let mine = c.owner_id == Some(self.staff_id);
        if c.locked && !mine {
            return Err(Error::Locked(c.code.clone()));
        }
        if c.approval != Approval::Approved && !mine && c.created_by != Some(self.staff_id) {
            return Err(Error::PermissionDenied("this customer is awaiting approval".into()));
        }
        Ok(())
    }

    /// Edit, delete to trash, restore, merge, bulk edit, import update, attach. Managers and
    /// admins: any customer. Staff: their own customers, and the ones they created while those
    /// await approval or were rejected (to fix and resubmit). A locked customer: its owner only.
    pub fn can_edit(&self, c: &Customer) -> Result<()> {
        if self.is_manager() {
            return Ok(());
        }
        let mine = c.owner_id == Some(self.staff_id);
        if c.locked && !mine {
            return Err(Error::Locked(c.code.clone()));
        }
        if mine || (c.approval != Approval::Approved && c.created_by == Some(self.staff_id)) {
            return Ok(());
        }
        Err(Error::PermissionDenied(format!("{} belongs to another staff member", c.code)))
    }

    /// Lock, unlock, activate, deactivate, release to the pool, transfer: the owner or a manager.
    pub fn can_manage_customer(&self, c: &Customer) -> Result<()> {
        if self.is_manager() || c.owner_id == Some(self.staff_id) {
            return Ok(());
        }
        if c.locked {
            return Err(Error::Locked(c.code.clone()));
        }
        Err(Error::PermissionDenied(format!("only the owner of {} or a manager can do this", c.code)))
    }

    /// Approve or reject pending customers; assign customers to anyone: managers and admins.
    pub fn can_approve(&self) -> Result<()> {
        if self.is_manager() { Ok(()) } else { Err(Error::PermissionDenied("only managers approve customers".into())) }
    }

    /// Hand a customer to another owner than oneself: managers and admins only.
    pub fn can_assign_owner(&self, owner_id: i64) -> Result<()> {
        if owner_id == self.staff_id || self.is_manager() {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only managers can assign customers to someone else".into()))
        }
    }

    /// Purge from trash (irreversible): managers, admins, or the customer's owner.
    pub fn can_purge(&self, c: &Customer) -> Result<()> {
        if self.is_manager() || c.owner_id == Some(self.staff_id) {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only managers or the owner can purge a customer".into()))
        }
    }

    /// Catalogs and field/duplicate settings: admins and managers.
    pub fn can_manage_catalogs(&self) -> Result<()> {
        if self.is_manager() {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only managers and administrators change catalogs".into()))
        }
    }

    /// Field and duplicate settings: admins.
    pub fn can_manage_settings(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only administrators change these settings".into()))
        }
    }

    /// Schedule care on a customer for `assignee_id`. Managers and admins: any customer, anyone.
    /// Staff: customers they may open (a locked one only if theirs), for themselves or the
    /// customer's owner (the default assignee).
    pub fn can_schedule_care(&self, c: &Customer, assignee_id: Option<i64>) -> Result<()> {
        if self.is_manager() {
            return Ok(());
        }
        self.can_view(c)?;
        if assignee_id.is_none_or(|a| a == self.staff_id || Some(a) == c.owner_id) {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only managers can give care activities to someone else".into()))
        }
    }

    /// See a care activity: whoever may open its customer, and its assignee.
    pub fn can_view_care(&self, c: &Customer, assignee_id: Option<i64>) -> Result<()> {
        if assignee_id == Some(self.staff_id) {
            return Ok(());
        }
        self.can_view(c)
    }

    /// Complete, reschedule or cancel a care activity: its assignee, the customer's owner, or a
    /// manager. Anyone else is refused (with `permission.locked` for a locked customer).
    pub fn can_change_care(&self, c: &Customer, assignee_id: Option<i64>) -> Result<()> {
        if self.is_manager() || assignee_id == Some(self.staff_id) || c.owner_id == Some(self.staff_id) {
            return Ok(());
        }
        if c.locked {
            return Err(Error::Locked(c.code.clone()));
        }
        Err(Error::PermissionDenied(format!(
            "only the assignee, the owner of {} or a manager can change this care activity",
            c.code
        )))
    }

    /// Everyone's care schedule (not only one's own): managers and admins.
    pub fn can_see_all_care(&self) -> Result<()> {
        if self.is_manager() {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only managers see everyone's care schedule".into()))
        }
    }

    /// Recurring care rules: administrators.
    pub fn can_manage_care_rules(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only administrators set recurring care rules".into()))
        }
    }

    /// Add staff members: admins (and anyone while no staff exists, handled by `staff::init_admin`).
    pub fn can_manage_staff(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only administrators manage staff".into()))
        }
    }
}

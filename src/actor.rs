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

    /// Add staff members: admins (and anyone while no staff exists, handled by `staff::init_admin`).
    pub fn can_manage_staff(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::PermissionDenied("only administrators manage staff".into()))
        }
    }
}

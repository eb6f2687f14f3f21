//! The signed-in staff member, and every permission rule as a function of it.
//! Every core operation takes an `&Actor` and asks these functions; the UI never decides.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::Customer;
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

    /// See a customer's details. (Locks and sharing come with the ownership rules.)
    pub fn can_view(&self, _c: &Customer) -> Result<()> {
        Ok(())
    }

    /// Edit, delete to trash, restore from trash.
    pub fn can_edit(&self, _c: &Customer) -> Result<()> {
        Ok(())
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

#![allow(dead_code, clippy::unwrap_used, reason = "test helpers: a failed setup should panic")]
//! Shared helpers: each test gets its own temp-file database.

use clientele::actor::{Actor, Role};
use clientele::customers::{self, Customer, CustomerInput, CustomerKind, ListQuery, SortField};
use clientele::staff::{self, NewStaff};
use clientele::store::Store;

pub struct Env {
    pub store: Store,
    pub admin: Actor,
    pub dir: tempfile::TempDir,
}

pub async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let admin = staff::init_admin(
        &store,
        NewStaff { name: "Admin".into(), email: "admin@example.com".into(), password: None, role: Role::Admin },
    )
    .await
    .unwrap();
    Env { store, admin, dir }
}

pub fn person(name: &str) -> CustomerInput {
    CustomerInput { name: name.into(), ..Default::default() }
}

pub fn with_phone(name: &str, phone: &str) -> CustomerInput {
    CustomerInput { name: name.into(), phones: vec![phone.into()], ..Default::default() }
}

pub fn business(name: &str) -> CustomerInput {
    CustomerInput { name: name.into(), kind: CustomerKind::Business, ..Default::default() }
}

impl Env {
    pub async fn add(&self, input: CustomerInput) -> Customer {
        customers::create(&self.store, &self.admin, input).await.unwrap()
    }

    /// Names of every live customer matching `search`, in name order, read page by page.
    pub async fn search_names(&self, search: &str) -> Vec<String> {
        self.all(ListQuery { search: search.into(), limit: 7, ..Default::default() }).await
    }

    pub async fn all(&self, mut q: ListQuery) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            let page = customers::list(&self.store, &self.admin, &q).await.unwrap();
            out.extend(page.rows.iter().map(|r| r.name.clone()));
            match page.next {
                Some(c) => q.after = Some(c),
                None => break,
            }
        }
        out
    }

    pub async fn count(&self, search: &str) -> u64 {
        customers::count(&self.store, &self.admin, search, &Default::default(), false).await.unwrap()
    }
}

pub fn q(sort: SortField, desc: bool, limit: u32) -> ListQuery {
    ListQuery { sort, desc, limit, ..Default::default() }
}

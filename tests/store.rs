//! The store: creation, pragmas, backup before migrations, staff and sessions, settings.

mod common;
use clientele::actor::Role;
use clientele::settings::{self, Language};
use clientele::staff::{self, NewStaff};
use clientele::store::Store;
use common::*;

#[tokio::test]
async fn creates_database_with_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/data");
    let store = Store::open(&data).await.unwrap();
    assert!(data.join("clientele.db").exists());
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(store.pool()).await.unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(store.pool()).await.unwrap();
    assert_eq!(fk, 1);
    // A fresh database needs no backup.
    assert!(!data.join("backups").exists());
}

#[tokio::test]
async fn backs_up_before_pending_migrations_and_not_otherwise() {
    let e = env().await;
    e.add(person("Keep me")).await;
    let dir = e.dir.path().to_path_buf();
    e.store.close().await;
    // Reopening an up-to-date database takes no backup, and the app says it is no upgrade.
    assert_eq!(Store::upgrade_pending(&dir).await.unwrap(), None);
    let store = Store::open(&dir).await.unwrap();
    assert!(!dir.join("backups").exists());
    store.close().await;

    // A database made by the first version only, with a customer in it: opening it with this
    // version backs it up, then migrates, and the customer is still there.
    let old = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", old.path().join("clientele.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let mut first = sqlx::migrate!("./migrations");
    first.migrations = std::borrow::Cow::Owned(first.migrations[..1].to_vec());
    first.run(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO customers (code, code_key, kind, name, name_key, name_pos, phones, emails, address, \
         search_text, created_at, updated_at) VALUES ('KH000001', 'kh000001', 'individual', 'Keep me', 'keep me', \
         65536, '[\"0912345678\"]', '[]', '1 Lê Lợi', 'keep me kh000001', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO settings (key, value) VALUES ('ui.language', 'vi')").execute(&pool).await.unwrap();
    sqlx::query("INSERT INTO customer_keys (kind, key, customer_id) VALUES ('phone', '0912345678', 1)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    // No database yet: no upgrade; a database of the first version: an upgrade, announced in
    // the language its users chose.
    assert_eq!(Store::upgrade_pending(tempfile::tempdir().unwrap().path()).await.unwrap(), None);
    assert_eq!(Store::upgrade_pending(old.path()).await.unwrap(), Some(clientele::settings::Language::Vi));
    let store = Store::open(old.path()).await.unwrap();
    assert_eq!(Store::upgrade_pending(old.path()).await.unwrap(), None);
    let backups: Vec<_> = std::fs::read_dir(old.path().join("backups")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let name = backups[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("clientele-") && name.ends_with(".db"), "{name}");
    // The backup is a consistent copy of the old database (no catalogs table yet).
    let copy = sqlx::SqlitePool::connect(&format!("sqlite://{}", backups[0].display())).await.unwrap();
    let kept: String = sqlx::query_scalar("SELECT name FROM customers").fetch_one(&copy).await.unwrap();
    assert_eq!(kept, "Keep me");
    assert!(sqlx::query("SELECT 1 FROM catalog_items").fetch_optional(&copy).await.is_err());
    // The migrated database kept the customer and its keys.
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM customer_keys WHERE customer_id = 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let name: String = sqlx::query_scalar("SELECT name FROM customers").fetch_one(store.pool()).await.unwrap();
    assert_eq!(name, "Keep me");
    drop(store);
}

#[tokio::test]
async fn first_admin_then_sign_in_rules() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let info = staff::session_info(&store, None).await.unwrap();
    assert!(info.needs_setup);
    assert_eq!(staff::default_actor(&store).await.unwrap(), None);
    let bad = staff::init_admin(
        &store,
        NewStaff { name: "".into(), email: "nope".into(), password: None, role: Role::Staff },
    )
    .await
    .unwrap_err();
    assert_eq!(bad.code(), "input.invalid");
    let admin = staff::init_admin(
        &store,
        NewStaff {
            name: " Chị Hà ".into(),
            email: "Ha@Example.com".into(),
            password: Some("s3cret".into()),
            role: Role::Staff,
        },
    )
    .await
    .unwrap();
    assert_eq!(admin.role, Role::Admin, "the first staff member is always an admin");
    assert_eq!(admin.email, "ha@example.com");
    let again = staff::init_admin(
        &store,
        NewStaff { name: "X".into(), email: "x@example.com".into(), password: None, role: Role::Admin },
    )
    .await
    .unwrap_err();
    assert_eq!(again.code(), "session.already_initialised");
    // With a password, nobody is signed in automatically and the password is checked.
    assert_eq!(staff::default_actor(&store).await.unwrap(), None);
    assert_eq!(
        staff::sign_in(&store, admin.staff_id, Some("wrong")).await.unwrap_err().code(),
        "session.wrong_password"
    );
    assert_eq!(staff::sign_in(&store, admin.staff_id, None).await.unwrap_err().code(), "session.wrong_password");
    assert_eq!(staff::sign_in(&store, admin.staff_id, Some("s3cret")).await.unwrap(), admin);
    // Only admins add staff; e-mails are unique.
    let clerk = staff::add(
        &store,
        &admin,
        NewStaff { name: "Clerk".into(), email: "clerk@example.com".into(), password: None, role: Role::Staff },
    )
    .await
    .unwrap();
    let clerk_actor = staff::sign_in(&store, clerk.id, None).await.unwrap();
    assert_eq!(staff::default_actor(&store).await.unwrap(), Some(clerk_actor.clone()));
    // Signing out sticks: the next start asks.
    staff::sign_out(&store).await.unwrap();
    assert_eq!(staff::default_actor(&store).await.unwrap(), None);
    let denied = staff::add(
        &store,
        &clerk_actor,
        NewStaff { name: "Y".into(), email: "y@example.com".into(), password: None, role: Role::Staff },
    )
    .await
    .unwrap_err();
    assert_eq!(denied.code(), "permission.denied");
    let dup = staff::add(
        &store,
        &admin,
        NewStaff { name: "Z".into(), email: "CLERK@example.com".into(), password: None, role: Role::Staff },
    )
    .await
    .unwrap_err();
    assert_eq!(dup.code(), "staff.email_taken");
    assert_eq!(staff::list(&store).await.unwrap().len(), 2);
    assert_eq!(staff::find_by_email(&store, " clerk@EXAMPLE.com").await.unwrap().id, clerk.id);
}

#[tokio::test]
async fn staff_cannot_hand_customers_to_others() {
    let e = env().await;
    let clerk = staff::add(
        &e.store,
        &e.admin,
        NewStaff { name: "Clerk".into(), email: "clerk@example.com".into(), password: None, role: Role::Staff },
    )
    .await
    .unwrap();
    let clerk = staff::sign_in(&e.store, clerk.id, None).await.unwrap();
    let mut input = person("Mine");
    input.owner_id = Some(e.admin.staff_id);
    let err = clientele::customers::create(&e.store, &clerk, input).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    // The admin can assign to the clerk; an unknown owner is a field error.
    let mut input = person("Theirs");
    input.owner_id = Some(clerk.staff_id);
    let c = clientele::customers::create(&e.store, &e.admin, input).await.unwrap();
    assert_eq!(c.owner_name.as_deref(), Some("Clerk"));
    let mut input = person("Nobody's");
    input.owner_id = Some(999);
    assert_eq!(clientele::customers::create(&e.store, &e.admin, input).await.unwrap_err().code(), "input.invalid");
}

#[tokio::test]
async fn language_is_remembered() {
    let e = env().await;
    assert_eq!(settings::language(&e.store).await.unwrap(), Language::En);
    settings::set_language(&e.store, Language::Vi).await.unwrap();
    let dir = e.dir.path().to_path_buf();
    e.store.close().await;
    let store = Store::open(&dir).await.unwrap();
    assert_eq!(settings::language(&store).await.unwrap(), Language::Vi);
    assert_eq!(staff::session_info(&store, None).await.unwrap().language, Language::Vi);
}

#[tokio::test]
async fn concurrent_writers_serialise_without_errors() {
    let e = env().await;
    let mut tasks = Vec::new();
    for t in 0..4 {
        let store = e.store.clone();
        let admin = e.admin.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                clientele::customers::create(&store, &admin, person(&format!("T{t} {i}"))).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(e.count("").await, 40);
    let codes: std::collections::HashSet<_> =
        e.all(q(clientele::customers::SortField::Code, false, 100)).await.into_iter().collect();
    assert_eq!(codes.len(), 40);
}

#[tokio::test]
async fn tools_without_a_window_get_an_actor() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let first = || NewStaff { name: "Ops".into(), email: "ops@example.com".into(), password: None, role: Role::Staff };
    // A new database: the first administrator is made, whatever role was asked for.
    let a = staff::tool_actor(&store, first(), None).await.unwrap();
    assert_eq!((a.name.as_str(), a.role), ("Ops", Role::Admin));
    // Later: the same person, no second admin.
    assert_eq!(staff::tool_actor(&store, first(), None).await.unwrap(), a);
    assert_eq!(staff::list(&store).await.unwrap().len(), 1);
    // After the app signed out, the first active admin still acts.
    staff::sign_out(&store).await.unwrap();
    assert_eq!(staff::tool_actor(&store, first(), None).await.unwrap().staff_id, a.staff_id);
}

/// `write_inserts` checks references as a whole at commit instead of row by row: a dangling one
/// rolls everything back, and no pool connection is ever left with enforcement off.
/// How many groups `customer` is in.
async fn groups_of(store: &Store, customer: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM customer_groups WHERE customer_id = ?")
        .bind(customer)
        .fetch_one(store.pool())
        .await
        .expect("count the customer's groups")
}

#[tokio::test]
async fn insert_only_writes_check_references_at_commit() {
    let e = env().await;
    let c = e.add(person("Referred")).await;
    let group: i64 = sqlx::query_scalar("SELECT id FROM catalog_items WHERE kind = 'group' LIMIT 1")
        .fetch_one(e.store.pool())
        .await
        .unwrap();
    let in_group = || groups_of(&e.store, c.id);

    // Puts the customer in each of `items` in one insert-only write, and commits it.
    let (store, admin, customer) = (&e.store, &e.admin, c.id);
    let add_to_groups = |items: Vec<i64>| async move {
        let mut w = store.write_inserts(admin, &["customer_groups"]).await.unwrap();
        for item in items {
            sqlx::query("INSERT INTO customer_groups (customer_id, item_id) VALUES (?, ?)")
                .bind(customer)
                .bind(item)
                .execute(w.conn())
                .await
                .unwrap();
        }
        w.commit().await
    };

    // A row referring to a catalog item that does not exist: refused at commit, nothing written.
    let err = add_to_groups(vec![group, 987_654]).await.unwrap_err();
    assert!(err.to_string().contains("customer_groups"), "{err}");
    assert_eq!(in_group().await, 0);

    // Every connection the pool hands out enforces foreign keys again.
    let mut conns = Vec::new();
    for _ in 0..4 {
        conns.push(e.store.pool().acquire().await.unwrap());
    }
    for conn in &mut conns {
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut **conn).await.unwrap();
        assert_eq!(fk, 1);
    }
    drop(conns);

    // Valid references commit.
    add_to_groups(vec![group]).await.unwrap();
    assert_eq!(in_group().await, 1);
}

/// A bulk insert-only write uses `INSERT OR ROLLBACK` (no statement journal): a failing row ends
/// the whole transaction, earlier statements included; nothing is left behind, and the pool's
/// connections are all usable and outside any transaction afterwards.
#[tokio::test]
async fn bulk_insert_or_rollback_leaves_nothing() {
    let e = env().await;
    let c = e.add(person("Grouped")).await;
    let items: Vec<i64> = sqlx::query_scalar("SELECT id FROM catalog_items WHERE kind = 'group' ORDER BY id LIMIT 2")
        .fetch_all(e.store.pool())
        .await
        .unwrap();
    let count = || groups_of(&e.store, c.id);
    assert_eq!(e.store.write(&e.admin).await.unwrap().bulk_insert(), "INSERT");

    let mut w = e.store.write_inserts(&e.admin, &["customer_groups"]).await.unwrap();
    let verb = w.bulk_insert();
    assert_eq!(verb, "INSERT OR ROLLBACK");
    let insert = format!("{verb} INTO customer_groups (customer_id, item_id) VALUES (?, ?)");
    sqlx::query(sqlx::AssertSqlSafe(insert.clone())).bind(c.id).bind(items[0]).execute(w.conn()).await.unwrap();
    // The same pair again breaks the primary key, in a multi-row statement.
    let twice = format!("{verb} INTO customer_groups (customer_id, item_id) VALUES (?, ?), (?, ?)");
    let err = sqlx::query(sqlx::AssertSqlSafe(twice))
        .bind(c.id)
        .bind(items[1])
        .bind(c.id)
        .bind(items[0])
        .execute(w.conn())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("UNIQUE"), "{err}");
    drop(w);
    assert_eq!(count().await, 0, "the first statement went with the transaction");

    // Every pooled connection writes normally, each in its own transaction.
    for item in &items {
        let mut w = e.store.write(&e.admin).await.unwrap();
        sqlx::query("INSERT INTO customer_groups (customer_id, item_id) VALUES (?, ?)")
            .bind(c.id)
            .bind(item)
            .execute(w.conn())
            .await
            .unwrap();
        w.commit().await.unwrap();
    }
    assert_eq!(count().await, 2);
    let mut conns = Vec::new();
    for _ in 0..4 {
        conns.push(e.store.pool().acquire().await.unwrap());
    }
    for conn in &mut conns {
        // BEGIN inside a transaction would fail.
        sqlx::query("BEGIN IMMEDIATE").execute(&mut **conn).await.unwrap();
        sqlx::query("ROLLBACK").execute(&mut **conn).await.unwrap();
    }
}

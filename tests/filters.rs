//! Filters on the customer list: every condition alone and combined, with and without a search,
//! in every order, across keyset pages, with jumps, in the trash, and counted; each result is
//! compared with a plain filter over every customer. Enough customers that a broad filter fills a
//! page within the walk budget (3,000 rows) and a sparse one does not (collected instead).
#![allow(clippy::unwrap_used, reason = "tests: a failed call should panic")]

mod common;
use std::collections::HashMap;

use chrono::{Duration, NaiveDate, SecondsFormat, Utc};
use clientele::actor::Role;
use clientele::catalogs::{self, CatalogKind};
use clientele::customers::{
    self, ActiveFilter, Approval, CustomerFilter, CustomerInput, CustomerKind, ListQuery, ProductUse, Selection,
    SortField,
};
use clientele::staff::{self, NewStaff};
use clientele::text;
use common::*;

const N: usize = 7_000;

/// Catalog items and staff the customers are classified with.
struct Ids {
    levels: Vec<i64>,
    segments: Vec<i64>,
    groups: Vec<i64>,
    statuses: Vec<i64>,
    channels: Vec<i64>,
    products: Vec<i64>,
    staff: Vec<i64>,
}

/// What the `i`-th generated customer is, as the plain filter sees it.
#[derive(Debug, Clone)]
struct Truth {
    id: i64,
    name: String,
    name_key: String,
    code_key: String,
    search_text: String,
    phone_digits: String,
    kind: CustomerKind,
    segment: Option<i64>,
    level: Option<i64>,
    groups: Vec<i64>,
    status: Option<i64>,
    channel: Option<i64>,
    owner: i64,
    service_manager: Option<i64>,
    products: Vec<i64>,
    consent: bool,
    /// `YYYY-MM-DD` of `created_at` (UTC).
    created: String,
    in_pool: bool,
    approval: Approval,
    active: bool,
    /// `last_contact_at` as stored; None: never contacted.
    contact: Option<String>,
    trashed: bool,
}

fn input(i: usize, ids: &Ids) -> CustomerInput {
    let family = ["Nguyễn", "Trần", "Lê", "Đặng", "Smith", "Ngô"];
    let given = ["An", "Đức", "Ngọc", "Minh", "John", "Lan", "Nga"];
    let mut groups = Vec::new();
    if i.is_multiple_of(3) {
        groups.push(ids.groups[0]);
    }
    if i.is_multiple_of(11) {
        groups.push(ids.groups[1]);
    }
    if i % 97 == 5 {
        groups.push(ids.groups[2]);
    }
    let mut products = Vec::new();
    if i.is_multiple_of(13) {
        products.push(ProductUse { product_id: ids.products[0], since: None });
    }
    if i % 10 == 5 {
        products.push(ProductUse { product_id: ids.products[1], since: NaiveDate::from_ymd_opt(2023, 1, 2) });
    }
    CustomerInput {
        name: format!("{} {} {:04}", family[i % 6], given[(i / 6) % 7], i),
        kind: if i.is_multiple_of(7) { CustomerKind::Business } else { CustomerKind::Individual },
        phones: vec![format!("09{:08}", (i * 7919) % 100_000_000)],
        level_id: match i % 10 {
            0 | 1 => None,
            k => Some(ids.levels[k % 5]),
        },
        segment_id: i.is_multiple_of(3).then(|| ids.segments[i % 2]),
        status_id: if i % 50 == 3 {
            Some(ids.statuses[0])
        } else if i % 4 == 1 {
            Some(ids.statuses[1])
        } else {
            None
        },
        channel_id: (!i.is_multiple_of(5)).then(|| ids.channels[i % 3]),
        group_ids: groups,
        products,
        owner_id: Some(ids.staff[i % 3]),
        service_manager_id: (!i.is_multiple_of(4)).then(|| ids.staff[(i / 3) % 3]),
        email_consent: i.is_multiple_of(6),
        ..Default::default()
    }
}

async fn world() -> (Env, Ids, Vec<Truth>) {
    let e = env().await;
    let add = |kind, name: &'static str| {
        let (store, admin) = (&e.store, &e.admin);
        // Named apart from any items a new database starts with.
        async move { catalogs::add(store, admin, kind, &format!("Test {name}"), None).await.unwrap().id }
    };
    let mut ids = Ids {
        levels: Vec::new(),
        segments: Vec::new(),
        groups: Vec::new(),
        statuses: Vec::new(),
        channels: Vec::new(),
        products: Vec::new(),
        staff: vec![e.admin.staff_id],
    };
    for name in ["VIP", "Gold", "Silver", "Bronze", "New"] {
        ids.levels.push(add(CatalogKind::Level, name).await);
    }
    for name in ["Retail", "Wholesale"] {
        ids.segments.push(add(CatalogKind::Segment, name).await);
    }
    for name in ["Big", "Medium", "Tiny"] {
        ids.groups.push(add(CatalogKind::Group, name).await);
    }
    for name in ["Rare", "Common"] {
        ids.statuses.push(add(CatalogKind::Status, name).await);
    }
    for name in ["Web", "Phone", "Referral"] {
        ids.channels.push(add(CatalogKind::Channel, name).await);
    }
    for name in ["Hosting", "Support"] {
        ids.products.push(add(CatalogKind::Product, name).await);
    }
    for (name, email) in [("Bình", "binh@example.com"), ("Chi", "chi@example.com")] {
        let s = staff::add(
            &e.store,
            &e.admin,
            NewStaff { name: name.into(), email: email.into(), password: None, role: Role::Staff },
        )
        .await
        .unwrap();
        ids.staff.push(s.id);
    }
    let inputs: Vec<CustomerInput> = (0..N).map(|i| input(i, &ids)).collect();
    customers::create_many(&e.store, &e.admin, inputs.clone().into_iter(), &mut |_| {}).await.unwrap();
    // Creation days over 40 days, at the first and last instants of a day and in between.
    sqlx::query(
        "UPDATE customers SET created_at = date('2024-01-01', '+' || (id % 40) || ' days') || \
         CASE id % 3 WHEN 0 THEN 'T00:00:00+00:00' WHEN 1 THEN 'T23:59:59.999999999+00:00' \
         ELSE 'T12:30:00.5+00:00' END",
    )
    .execute(e.store.pool())
    .await
    .unwrap();
    // A few in the pool, awaiting or refused approval, inactive (set directly: the ownership
    // rules that put them there are not the subject here).
    sqlx::query(
        "UPDATE customers SET in_pool = (id % 29 = 3), \
         approval = CASE WHEN id % 31 = 2 THEN 'pending' WHEN id % 37 = 1 THEN 'rejected' ELSE 'approved' END, \
         active = (id % 23 <> 7)",
    )
    .execute(e.store.pool())
    .await
    .unwrap();
    // Last contacts (set directly: care is not the subject here) over the last 90 days, whole
    // hours back from now, with ties; one in five never contacted. Filters ask for whole days,
    // so no contact lies within the minutes a test runs of a filter's cut-off.
    sqlx::query(
        "UPDATE customers SET last_contact_at = CASE WHEN id % 5 = 0 THEN NULL ELSE \
         strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-' || (id * 7 % 90) || ' days', '-' || (id % 24) || ' hours') END",
    )
    .execute(e.store.pool())
    .await
    .unwrap();
    // Trash some.
    type Stored = (i64, String, String, String, String, String, String, bool, String, bool, Option<String>);
    let all: Vec<Stored> = sqlx::query_as(
        "SELECT id, name, name_key, code_key, search_text, phone_digits, substr(created_at, 1, 10), \
         in_pool, approval, active, last_contact_at FROM customers ORDER BY id",
    )
    .fetch_all(e.store.pool())
    .await
    .unwrap();
    assert_eq!(all.len(), N);
    let by_name: HashMap<String, usize> = inputs.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
    let mut truth = Vec::new();
    for (id, name, name_key, code_key, search_text, phone_digits, created, in_pool, approval, active, contact) in all {
        let inp = &inputs[by_name[&name]];
        truth.push(Truth {
            id,
            name,
            name_key,
            code_key,
            search_text,
            phone_digits,
            kind: inp.kind,
            segment: inp.segment_id,
            level: inp.level_id,
            groups: inp.group_ids.clone(),
            status: inp.status_id,
            channel: inp.channel_id,
            owner: inp.owner_id.unwrap(),
            service_manager: inp.service_manager_id,
            products: inp.products.iter().map(|p| p.product_id).collect(),
            consent: inp.email_consent,
            created,
            in_pool,
            approval: Approval::parse(&approval).unwrap(),
            active,
            contact,
            trashed: by_name[&inp.name] % 17 == 4,
        });
    }
    let trash: Vec<i64> = truth.iter().filter(|t| t.trashed).map(|t| t.id).collect();
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: trash }).await.unwrap();
    (e, ids, truth)
}

/// The plain filter: does `t` match the search and the filter (live, or in the trash)?
fn matches(t: &Truth, search: &str, f: &CustomerFilter, trash: bool) -> bool {
    if t.trashed != trash {
        return false;
    }
    let tokens: Vec<String> = text::tokens(&text::fold(search)).into_iter().map(str::to_owned).collect();
    if !tokens.is_empty() {
        let words: Vec<&str> = t.search_text.split(' ').collect();
        let by_words = tokens.iter().all(|tok| words.iter().any(|w| w.starts_with(tok.as_str())));
        // Phone-like input also matches a digit run anywhere in a phone (live customers).
        let digits = text::digits(search);
        let phone_like = search.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "+-.()/".contains(c));
        let by_digits = !trash && phone_like && digits.len() >= 3 && t.phone_digits.contains(&digits);
        if !(by_words || by_digits) {
            return false;
        }
    }
    let any = |list: &[i64], v: Option<i64>| list.is_empty() || v.is_some_and(|v| list.contains(&v));
    let some = |list: &[i64], vs: &[i64]| list.is_empty() || vs.iter().any(|v| list.contains(v));
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    f.kind.is_none_or(|k| k == t.kind)
        && any(&f.segment_ids, t.segment)
        && any(&f.level_ids, t.level)
        && some(&f.group_ids, &t.groups)
        && any(&f.status_ids, t.status)
        && any(&f.channel_ids, t.channel)
        && any(&f.owner_ids, Some(t.owner))
        && any(&f.service_manager_ids, t.service_manager)
        && some(&f.product_ids, &t.products)
        && f.created_from.is_none_or(|d| t.created >= day(d))
        && f.created_to.is_none_or(|d| t.created <= day(d))
        && f.email_consent.is_none_or(|c| c == t.consent)
        && f.in_pool.is_none_or(|p| p == t.in_pool)
        && f.approval.is_none_or(|a| a == t.approval)
        && match (f.active, trash) {
            // Live lists hold active customers unless asked; the trash holds every one.
            (None | Some(ActiveFilter::Active), false) | (Some(ActiveFilter::Active), true) => t.active,
            (Some(ActiveFilter::Inactive), _) => !t.active,
            (Some(ActiveFilter::All), _) | (None, true) => true,
        }
        && f.not_contacted_days.is_none_or(|d| {
            let cutoff = (Utc::now() - Duration::days(i64::from(d))).to_rfc3339_opts(SecondsFormat::AutoSi, false);
            t.contact.as_ref().is_none_or(|c| *c < cutoff)
        })
}

/// Ids of the matches in the list's order.
fn expected(truth: &[Truth], search: &str, f: &CustomerFilter, trash: bool, sort: SortField, desc: bool) -> Vec<i64> {
    let mut rows: Vec<&Truth> = truth.iter().filter(|t| matches(t, search, f, trash)).collect();
    match sort {
        SortField::Name => rows.sort_by(|a, b| (&a.name_key, a.id).cmp(&(&b.name_key, b.id))),
        SortField::Code => rows.sort_by(|a, b| (&a.code_key, a.id).cmp(&(&b.code_key, b.id))),
        SortField::Created => rows.sort_by_key(|t| t.id),
        // Never contacted first.
        SortField::LastContact => rows.sort_by(|a, b| {
            (a.contact.as_deref().unwrap_or(""), a.id).cmp(&(b.contact.as_deref().unwrap_or(""), b.id))
        }),
    }
    if desc {
        rows.reverse();
    }
    rows.iter().map(|t| t.id).collect()
}

/// Ids of a query's rows, page by page (at most `max_pages`).
async fn pages(e: &Env, mut q: ListQuery, max_pages: usize) -> Vec<i64> {
    let mut out = Vec::new();
    for _ in 0..max_pages {
        let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
        assert!(page.rows.len() <= q.limit as usize);
        out.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    out
}

/// Every order, a small page (first pages) and a page size that reads everything in about 20
/// pages, jumps, and the count, against the plain filter.
async fn check(e: &Env, truth: &[Truth], search: &str, f: &CustomerFilter, trash: bool) {
    let all = expected(truth, search, f, trash, SortField::Name, false);
    let label = format!("search {search:?}, trash {trash}, filter {f:?}");
    let count = customers::count(&e.store, &e.admin, search, f, trash).await.unwrap();
    assert_eq!(count, all.len() as u64, "count, {label}");
    let wide = ((all.len() / 20) as u32).clamp(40, 500);
    for sort in [SortField::Name, SortField::Code, SortField::Created, SortField::LastContact] {
        for desc in [false, true] {
            let exp = expected(truth, search, f, trash, sort, desc);
            let q = ListQuery { search: search.into(), sort, desc, trash, filter: f.clone(), ..Default::default() };
            let small = pages(e, ListQuery { limit: 13, ..q.clone() }, 4).await;
            assert_eq!(small, exp[..exp.len().min(52)], "first pages of 13, {sort:?} desc={desc}, {label}");
            let got = pages(e, ListQuery { limit: wide, ..q.clone() }, usize::MAX).await;
            assert_eq!(got, exp, "pages of {wide}, {sort:?} desc={desc}, {label}");
            for offset in [1usize, 7, exp.len() / 2, exp.len().saturating_sub(3), exp.len() + 5] {
                let jq = ListQuery { offset: Some(offset as u32), limit: 9, ..q.clone() };
                let page = customers::list(&e.store, &e.admin, &jq).await.unwrap();
                let got: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
                let from = offset.min(exp.len());
                let to = (offset + 9).min(exp.len());
                assert_eq!(got, exp[from..to], "jump to {offset}, {sort:?} desc={desc}, {label}");
                // And the jump's cursor continues where paging does.
                if let Some(next) = page.next {
                    let more = pages(e, ListQuery { after: Some(next), offset: None, ..jq.clone() }, 1).await;
                    assert_eq!(more, exp[to..(to + 9).min(exp.len())], "after jump {offset}, {label}");
                }
            }
        }
    }
}

fn filters(ids: &Ids) -> Vec<CustomerFilter> {
    let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day);
    let none = CustomerFilter::default;
    let broad_levels = ids.levels[..4].to_vec();
    vec![
        // The default list: active customers only.
        none(),
        CustomerFilter { kind: Some(CustomerKind::Business), ..none() },
        CustomerFilter { kind: Some(CustomerKind::Individual), ..none() },
        CustomerFilter { segment_ids: vec![ids.segments[1]], ..none() },
        CustomerFilter { level_ids: vec![ids.levels[2]], ..none() },
        CustomerFilter { level_ids: broad_levels.clone(), ..none() },
        CustomerFilter { group_ids: vec![ids.groups[0]], ..none() },
        CustomerFilter { group_ids: vec![ids.groups[0], ids.groups[1]], ..none() },
        CustomerFilter { group_ids: vec![ids.groups[2]], ..none() },
        CustomerFilter { status_ids: vec![ids.statuses[0]], ..none() },
        CustomerFilter { status_ids: vec![ids.statuses[1]], ..none() },
        CustomerFilter { channel_ids: vec![ids.channels[0], ids.channels[2]], ..none() },
        CustomerFilter { owner_ids: vec![ids.staff[1]], ..none() },
        CustomerFilter { owner_ids: vec![ids.staff[0], ids.staff[2]], ..none() },
        CustomerFilter { service_manager_ids: vec![ids.staff[2]], ..none() },
        CustomerFilter { service_manager_ids: ids.staff.clone(), ..none() },
        CustomerFilter { product_ids: vec![ids.products[0]], ..none() },
        CustomerFilter { product_ids: ids.products.clone(), ..none() },
        CustomerFilter { created_from: d(1, 20), ..none() },
        CustomerFilter { created_to: d(1, 5), ..none() },
        CustomerFilter { created_from: d(1, 10), created_to: d(1, 10), ..none() },
        CustomerFilter { created_from: d(2, 1), created_to: d(1, 1), ..none() },
        CustomerFilter { email_consent: Some(true), ..none() },
        CustomerFilter { email_consent: Some(false), ..none() },
        CustomerFilter { in_pool: Some(true), ..none() },
        CustomerFilter { in_pool: Some(false), ..none() },
        CustomerFilter { approval: Some(Approval::Pending), ..none() },
        CustomerFilter { approval: Some(Approval::Rejected), ..none() },
        CustomerFilter { approval: Some(Approval::Approved), ..none() },
        CustomerFilter { active: Some(ActiveFilter::Inactive), ..none() },
        CustomerFilter { active: Some(ActiveFilter::Active), ..none() },
        CustomerFilter { active: Some(ActiveFilter::All), ..none() },
        CustomerFilter {
            in_pool: Some(true),
            active: Some(ActiveFilter::Inactive),
            approval: Some(Approval::Approved),
            ..none()
        },
        CustomerFilter { level_ids: vec![ids.levels[2]], active: Some(ActiveFilter::All), ..none() },
        CustomerFilter { kind: Some(CustomerKind::Business), active: Some(ActiveFilter::All), ..none() },
        // Not contacted for a while (never contacted included): most, some, few, none but the
        // never contacted; with the other activity lists.
        CustomerFilter { not_contacted_days: Some(7), ..none() },
        CustomerFilter { not_contacted_days: Some(45), ..none() },
        CustomerFilter { not_contacted_days: Some(400), ..none() },
        CustomerFilter { not_contacted_days: Some(30), active: Some(ActiveFilter::All), ..none() },
        CustomerFilter { not_contacted_days: Some(30), active: Some(ActiveFilter::Inactive), ..none() },
        CustomerFilter { not_contacted_days: Some(60), level_ids: vec![ids.levels[2]], ..none() },
        CustomerFilter {
            not_contacted_days: Some(20),
            kind: Some(CustomerKind::Business),
            email_consent: Some(false),
            ..none()
        },
        CustomerFilter {
            approval: Some(Approval::Pending),
            level_ids: ids.levels[..4].to_vec(),
            group_ids: vec![ids.groups[0]],
            ..none()
        },
        // Combinations: broad sets with sparse row conditions (the walk runs out of budget for
        // large pages), a small set with a broad one, everything at once.
        CustomerFilter {
            level_ids: broad_levels.clone(),
            kind: Some(CustomerKind::Business),
            email_consent: Some(true),
            ..none()
        },
        CustomerFilter {
            owner_ids: vec![ids.staff[0], ids.staff[1]],
            service_manager_ids: ids.staff.clone(),
            created_from: d(1, 3),
            created_to: d(1, 4),
            ..none()
        },
        CustomerFilter { level_ids: broad_levels.clone(), group_ids: vec![ids.groups[1]], ..none() },
        CustomerFilter {
            level_ids: vec![ids.levels[1], ids.levels[3]],
            group_ids: vec![ids.groups[0]],
            channel_ids: vec![ids.channels[1]],
            segment_ids: ids.segments.clone(),
            ..none()
        },
        CustomerFilter {
            kind: Some(CustomerKind::Individual),
            segment_ids: vec![ids.segments[0]],
            level_ids: broad_levels,
            group_ids: vec![ids.groups[0], ids.groups[1]],
            status_ids: vec![ids.statuses[1]],
            channel_ids: vec![ids.channels[0], ids.channels[1]],
            owner_ids: vec![ids.staff[0], ids.staff[1]],
            service_manager_ids: vec![ids.staff[1], ids.staff[2]],
            product_ids: ids.products.clone(),
            created_from: d(1, 2),
            created_to: d(2, 1),
            email_consent: Some(false),
            in_pool: Some(false),
            approval: Some(Approval::Approved),
            active: Some(ActiveFilter::Active),
            not_contacted_days: Some(3),
        },
        // Nothing matches.
        CustomerFilter { level_ids: vec![ids.levels[0]], group_ids: vec![ids.groups[2]], ..none() },
        CustomerFilter { level_ids: vec![i64::MAX], ..none() },
    ]
}

/// The grid rows carry every column the filter panel and the optional columns need.
#[tokio::test]
async fn rows_carry_the_profile_columns() {
    let (e, ids, truth) = world().await;
    let by_id: HashMap<i64, &Truth> = truth.iter().map(|t| (t.id, t)).collect();
    let staff_names: HashMap<i64, String> =
        staff::list(&e.store).await.unwrap().into_iter().map(|s| (s.id, s.name)).collect();
    for trash in [false, true] {
        let filter = CustomerFilter { active: Some(ActiveFilter::All), ..Default::default() };
        let mut q = ListQuery { limit: 500, sort: SortField::Created, trash, filter, ..Default::default() };
        let mut seen = 0;
        loop {
            let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
            for r in &page.rows {
                let t = by_id[&r.id];
                seen += 1;
                assert_eq!(r.name, t.name);
                assert_eq!(r.kind, t.kind);
                assert_eq!(r.segment_id, t.segment);
                assert_eq!(r.level_id, t.level);
                assert_eq!(r.status_id, t.status);
                assert_eq!(r.channel_id, t.channel);
                assert_eq!(r.owner_id, Some(t.owner));
                assert_eq!(r.owner_name.as_ref(), staff_names.get(&t.owner));
                assert_eq!(r.service_manager_name.as_ref(), t.service_manager.and_then(|s| staff_names.get(&s)));
                let mut groups = t.groups.clone();
                groups.sort_unstable();
                assert_eq!(r.group_ids, groups);
                assert_eq!(r.email_consent, t.consent);
                assert_eq!(r.created_at.format("%Y-%m-%d").to_string(), t.created);
                assert_eq!(r.deleted_at.is_some(), trash);
                assert!(r.updated_at >= r.created_at);
                assert_eq!(r.photo, None);
                let contact = r.last_contact_at.map(|c| c.to_rfc3339_opts(SecondsFormat::Secs, false));
                assert_eq!(contact, t.contact);
            }
            match page.next {
                Some(c) => q.after = Some(c),
                None => break,
            }
        }
        assert_eq!(seen, truth.iter().filter(|t| t.trashed == trash).count());
    }
    // A customer with an address, tax code, website and photo shows them.
    let c = e
        .add(CustomerInput {
            name: "Công ty Ánh Dương".into(),
            kind: CustomerKind::Business,
            address: Some("1 Lê Lợi, Huế".into()),
            tax_code: Some("3300101234".into()),
            website: Some("https://anhduong.vn".into()),
            group_ids: vec![ids.groups[2], ids.groups[0]],
            ..Default::default()
        })
        .await;
    let q = ListQuery { search: "anh duong".into(), limit: 5, ..Default::default() };
    let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
    let r = page.rows.iter().find(|r| r.id == c.id).unwrap();
    assert_eq!(r.address, c.address);
    assert_eq!(r.tax_code, c.tax_code);
    assert_eq!(r.website, c.website);
    let mut groups = vec![ids.groups[2], ids.groups[0]];
    groups.sort_unstable();
    assert_eq!(r.group_ids, groups);
}

/// Every filter alone, live and in the trash, against the plain filter.
#[tokio::test]
async fn each_filter_agrees_with_a_plain_filter() {
    let (e, ids, truth) = world().await;
    for f in filters(&ids) {
        check(&e, &truth, "", &f, false).await;
        check(&e, &truth, "", &f, true).await;
    }
}

/// Filters combined with searches (short words read from the word index, long words walked on
/// their prefixes, several words, a phone-digit run), live and in the trash.
#[tokio::test]
async fn filters_with_a_search_agree_with_a_plain_filter() {
    let (e, ids, truth) = world().await;
    let fs = filters(&ids);
    // Sparse matches among more word candidates than the walk budget: the name-order walk runs
    // out of budget for large pages.
    assert!(e.count("ng").await > 3_000);
    let sparse = CustomerFilter {
        level_ids: ids.levels[..4].to_vec(),
        kind: Some(CustomerKind::Business),
        email_consent: Some(true),
        created_from: NaiveDate::from_ymd_opt(2024, 1, 20),
        created_to: NaiveDate::from_ymd_opt(2024, 1, 25),
        ..Default::default()
    };
    check(&e, &truth, "ng", &sparse, false).await;
    // The default list and the activity lists with every kind of search: the word and phone
    // indexes hold active customers only; the others are found by their rows.
    for search in ["nguyen", "tran an", "0900"] {
        for active in [None, Some(ActiveFilter::All), Some(ActiveFilter::Inactive)] {
            check(&e, &truth, search, &CustomerFilter { active, ..Default::default() }, false).await;
        }
    }
    let searches = ["ng", "nguyen", "tran an", "nga 01", "0900", "smith john", "zzz"];
    for (n, search) in searches.iter().enumerate() {
        // Each search with a spread of filters (all of them would take minutes).
        for (i, f) in fs.iter().enumerate() {
            if (i + n) % 3 != 0 {
                continue;
            }
            check(&e, &truth, search, f, false).await;
            if i.is_multiple_of(2) {
                check(&e, &truth, search, f, true).await;
            }
        }
    }
}

/// "Select all matching" acts on exactly the customers the filtered list shows.
#[tokio::test]
async fn bulk_actions_on_all_matching_honour_the_filter() {
    let (e, ids, mut truth) = world().await;
    let f = CustomerFilter { level_ids: ids.levels[..4].to_vec(), email_consent: Some(true), ..Default::default() };
    let mut exp = expected(&truth, "ng", &f, false, SortField::Created, false);
    let except = exp.split_off(exp.len() - 3);
    let done = customers::delete(
        &e.store,
        &e.admin,
        &Selection::Matching { search: "ng".into(), filter: f.clone(), except: except.clone() },
    )
    .await
    .unwrap();
    assert_eq!(done, exp.len() as u64);
    for t in &mut truth {
        if exp.contains(&t.id) {
            t.trashed = true;
        }
    }
    check(&e, &truth, "ng", &f, false).await;
    assert_eq!(expected(&truth, "ng", &f, false, SortField::Created, false), except);
    check(&e, &truth, "", &f, true).await;
}

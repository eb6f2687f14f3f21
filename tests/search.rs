//! Search: accents both ways, đ, NFD input, word prefixes, phone digit runs, codes, e-mails, tax codes.

mod common;
use common::*;
use unicode_normalization::UnicodeNormalization;

async fn sample() -> Env {
    let e = env().await;
    e.add(with_phone("Nguyễn Văn An", "0912.345.678")).await;
    e.add(person("Trần Đức Minh")).await;
    e.add(person("John Smith")).await;
    e.add(person("Duc Anh Nguyen")).await;
    let mut acme = business("Công ty TNHH Minh Phát");
    acme.tax_code = Some("0101234567".into());
    acme.emails = vec!["Sales@MinhPhat.vn".into()];
    e.add(acme).await;
    e
}

#[tokio::test]
async fn accent_insensitive_both_ways() {
    let e = sample().await;
    assert_eq!(e.search_names("nguyen van").await, vec!["Nguyễn Văn An"]);
    assert_eq!(e.search_names("NGUYỄN VĂN").await, vec!["Nguyễn Văn An"]);
    // "duc" finds "Đức" and "Duc"; "Đức" finds "Duc" too.
    assert_eq!(e.search_names("duc").await, vec!["Duc Anh Nguyen", "Trần Đức Minh"]);
    assert_eq!(e.search_names("Đức").await, vec!["Duc Anh Nguyen", "Trần Đức Minh"]);
    assert_eq!(e.count("duc").await, 2);
}

#[tokio::test]
async fn nfd_input_is_stored_nfc_and_found() {
    let e = env().await;
    let nfd: String = "Lê Thị Hồng".nfd().collect();
    let c = e.add(person(&nfd)).await;
    assert_eq!(c.name, "Lê Thị Hồng");
    assert_eq!(c.name.nfc().collect::<String>(), c.name);
    assert_eq!(e.search_names("le thi hong").await, vec!["Lê Thị Hồng"]);
    let nfd_query: String = "Hồng".nfd().collect();
    assert_eq!(e.search_names(&nfd_query).await, vec!["Lê Thị Hồng"]);
}

#[tokio::test]
async fn word_prefixes() {
    let e = sample().await;
    assert_eq!(e.search_names("ng").await, vec!["Duc Anh Nguyen", "Nguyễn Văn An"]);
    assert_eq!(e.search_names("nguy").await, vec!["Duc Anh Nguyen", "Nguyễn Văn An"]);
    assert_eq!(e.search_names("jo sm").await, vec!["John Smith"]);
    assert!(e.search_names("xyz").await.is_empty());
    assert_eq!(e.count("xyz").await, 0);
}

#[tokio::test]
async fn phones_by_any_digit_run() {
    let e = sample().await;
    for q in ["345 678", "345678", "0912", "912345", "5678", "+84 912 345 678", "0912-345-678"] {
        assert_eq!(e.search_names(q).await, vec!["Nguyễn Văn An"], "query {q:?}");
        assert_eq!(e.count(q).await, 1, "count for {q:?}");
    }
}

#[tokio::test]
async fn code_email_and_tax_code() {
    let e = sample().await;
    assert_eq!(e.search_names("KH000001").await, vec!["Nguyễn Văn An"]);
    assert_eq!(e.search_names("kh00000").await.len(), 5);
    assert_eq!(e.search_names("sales@minhphat").await, vec!["Công ty TNHH Minh Phát"]);
    assert_eq!(e.search_names("0101234567").await, vec!["Công ty TNHH Minh Phát"]);
    assert_eq!(e.search_names("cong ty minh").await, vec!["Công ty TNHH Minh Phát"]);
}

#[tokio::test]
async fn hostile_search_text_is_just_text() {
    let e = sample().await;
    for q in ["\"", "*", "AND OR NOT", "a\" OR \"b", "NEAR(a b)", "%", "_", "'; DROP TABLE customers; --", "^", "()"] {
        let names = e.search_names(q).await;
        assert!(names.len() <= 5, "{q}");
        e.count(q).await;
    }
    assert_eq!(e.count("").await, 5);
}

#[tokio::test]
async fn index_follows_edits_and_trash() {
    let e = sample().await;
    let c = e.add(person("Phạm Thị Lan")).await;
    assert_eq!(e.search_names("lan").await, vec!["Phạm Thị Lan"]);
    let mut input = c.to_input();
    input.name = "Phạm Thị Linh".into();
    clientele::customers::update(&e.store, &e.admin, c.id, input).await.unwrap();
    assert!(e.search_names("lan").await.is_empty());
    assert_eq!(e.search_names("linh pham").await, vec!["Phạm Thị Linh"]);
    let sel = clientele::customers::Selection::Ids { ids: vec![c.id] };
    clientele::customers::delete(&e.store, &e.admin, &sel).await.unwrap();
    assert!(e.search_names("linh").await.is_empty());
    assert_eq!(e.count("linh").await, 0);
    clientele::customers::restore(&e.store, &e.admin, &[c.id]).await.unwrap();
    assert_eq!(e.search_names("linh").await, vec!["Phạm Thị Linh"]);
}

/// Every search route (index walk, fallback to collected matches, FTS in creation order, trash
/// scan) gives exactly the rows a plain filter gives, in order, across pages.
#[tokio::test]
async fn every_route_agrees_with_a_plain_filter() {
    use clientele::customers::{self, ListQuery, SortField};
    use clientele::text;
    let e = env().await;
    let family = ["Nguyễn", "Trần", "Lê", "Đặng", "Smith", "Ngô"];
    let given = ["An", "Đức", "Ngọc", "Minh", "John", "Lan", "Nga"];
    let rows = (0..4_500u32).map(|i| {
        let name = format!("{} {} {}", family[(i % 6) as usize], given[(i / 6 % 7) as usize], i % 97);
        with_phone(&name, &format!("09{:08}", i * 7919 % 100_000_000))
    });
    customers::create_many(&e.store, &e.admin, rows, &mut |_| {}).await.unwrap();
    let all = e.all(ListQuery { limit: 500, ..Default::default() }).await;
    for query in ["ng", "nguyen", "nga", "duc 5", "smith john 9", "tran an 1", "zzz", "lan"] {
        let tokens: Vec<String> = text::tokens(&text::fold(query)).into_iter().map(str::to_owned).collect();
        let expected: Vec<String> = all
            .iter()
            .filter(|n| {
                let words: Vec<String> = text::tokens(&text::fold(n)).into_iter().map(str::to_owned).collect();
                tokens.iter().all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
            })
            .cloned()
            .collect();
        for limit in [13, 100] {
            let got = e.all(ListQuery { search: query.into(), limit, ..Default::default() }).await;
            assert_eq!(got, expected, "name order, {query:?}, limit {limit}");
            let mut rev = e.all(ListQuery { search: query.into(), limit, desc: true, ..Default::default() }).await;
            rev.reverse();
            assert_eq!(rev, expected, "name desc, {query:?}");
            let mut by_created =
                e.all(ListQuery { search: query.into(), limit, sort: SortField::Created, ..Default::default() }).await;
            by_created.sort_by_key(|n| text::fold(n));
            let mut exp_sorted = expected.clone();
            exp_sorted.sort_by_key(|n| text::fold(n));
            assert_eq!(by_created, exp_sorted, "created order, {query:?}");
        }
        assert_eq!(e.count(query).await, expected.len() as u64, "count {query:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Name positions: the word index is keyed by `customers.name_pos`, a gapped key in
// (name_key, id) order, kept through inserts at one spot (renumbering), renames, trash and purge.

/// Every row (live and trashed) has a position, positions follow (name_key, id) order, and the
/// word index holds exactly the live rows' positions.
#[allow(clippy::unwrap_used, reason = "test helper: a failed query should panic")]
async fn assert_positions(e: &Env) {
    let rows: Vec<(i64, String, Option<i64>, bool)> =
        sqlx::query_as("SELECT id, name_key, name_pos, deleted_at IS NULL FROM customers ORDER BY name_key, id")
            .fetch_all(e.store.pool())
            .await
            .unwrap();
    let positions: Vec<i64> =
        rows.iter().map(|r| r.2.unwrap_or_else(|| panic!("customer {} has no name position", r.0))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "positions out of (name_key, id) order");
    // Every customer's code starts with "KH", so this token lists the whole index.
    let indexed: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM customers_fts WHERE customers_fts MATCH '\"kh\"*' ORDER BY rowid")
            .fetch_all(e.store.pool())
            .await
            .unwrap();
    let live: Vec<i64> = rows.iter().filter(|r| r.3).filter_map(|r| r.2).collect();
    assert_eq!(indexed, live, "word index = live rows' positions");
}

/// Ids of every row of a query, page by page.
#[allow(clippy::unwrap_used, reason = "test helper: a failed query should panic")]
async fn ids_of(e: &Env, mut q: clientele::customers::ListQuery) -> Vec<i64> {
    let mut out = Vec::new();
    loop {
        let page = clientele::customers::list(&e.store, &e.admin, &q).await.unwrap();
        out.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    out
}

/// Every search route agrees with a plain filter over the unsearched list, by id, in every order.
#[allow(clippy::unwrap_used, reason = "test helper: a failed query should panic")]
async fn assert_search_agrees(e: &Env, queries: &[&str]) {
    use clientele::customers::{self, ListQuery, SortField};
    use clientele::text;
    let mut all: Vec<(i64, String, String)> = Vec::new();
    let mut q = ListQuery { limit: 500, ..Default::default() };
    loop {
        let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
        all.extend(page.rows.iter().map(|r| (r.id, r.name.clone(), r.code.clone())));
        match page.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    for query in queries {
        let tokens: Vec<String> = text::tokens(&text::fold(query)).into_iter().map(str::to_owned).collect();
        let expected: Vec<(i64, String, String)> = all
            .iter()
            .filter(|(_, name, code)| {
                let folded = format!("{} {}", text::fold(name), text::fold(code));
                let words: Vec<&str> = text::tokens(&folded);
                tokens.iter().all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
            })
            .cloned()
            .collect();
        let by_name: Vec<i64> = expected.iter().map(|r| r.0).collect();
        let limits: &[u32] = if expected.len() <= 60 { &[1, 7, 50] } else { &[7, 50] };
        for &limit in limits {
            let q = ListQuery { search: (*query).into(), limit, ..Default::default() };
            assert_eq!(ids_of(e, q.clone()).await, by_name, "name order, {query:?}, limit {limit}");
            let mut rev = ids_of(e, ListQuery { desc: true, ..q.clone() }).await;
            rev.reverse();
            assert_eq!(rev, by_name, "name desc, {query:?}, limit {limit}");
            let mut by_id = by_name.clone();
            by_id.sort();
            assert_eq!(
                ids_of(e, ListQuery { sort: SortField::Created, ..q.clone() }).await,
                by_id,
                "created {query:?}"
            );
            let mut by_code = expected.clone();
            by_code.sort_by_key(|r| (text::fold(&r.2), r.0));
            let by_code: Vec<i64> = by_code.iter().map(|r| r.0).collect();
            assert_eq!(ids_of(e, ListQuery { sort: SortField::Code, ..q.clone() }).await, by_code, "code {query:?}");
        }
        // Jumps land where paging does.
        for offset in [1u32, 5, 17] {
            let q = ListQuery { search: (*query).into(), limit: 3, offset: Some(offset), ..Default::default() };
            let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
            let got: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
            let from = (offset as usize).min(by_name.len());
            let to = (offset as usize + 3).min(by_name.len());
            assert_eq!(got, by_name[from..to].to_vec(), "jump {offset}, {query:?}");
        }
        assert_eq!(e.count(query).await, expected.len() as u64, "count {query:?}");
    }
}

#[tokio::test]
async fn positions_survive_inserts_at_one_spot_renames_trash_and_purge() {
    use clientele::customers::{self, Selection};
    let e = env().await;
    e.add(person("Aaa")).await;
    e.add(person("Zzz")).await;
    // 100 identical names, each after the last and before "Zzz": the gap there runs out.
    let mut same = Vec::new();
    for _ in 0..100 {
        same.push(e.add(person("Mmm Same")).await);
    }
    assert_positions(&e).await;
    // Alternately just after "Aaa" (descending names) and just before "Mmm" (ascending names).
    for i in 0..60 {
        e.add(person(&format!("Bfront {:03}", 100 - i))).await;
        e.add(person(&format!("Lback {i:03}"))).await;
    }
    // And at the very front and back.
    for i in 0..10 {
        e.add(person(&format!("0 First {:02}", 10 - i))).await;
        e.add(person(&format!("Zzzz Last {i:02}"))).await;
    }
    assert_positions(&e).await;
    assert_search_agrees(&e, &["mmm", "same", "bfront 09", "lback", "b", "l", "first", "kh0001", "zzz"]).await;

    // Renames move rows, including into the crowded spot and between identical names.
    for (i, c) in same.iter().enumerate().filter(|(i, _)| i % 7 == 0) {
        let mut input = c.to_input();
        input.name = match i % 3 {
            0 => format!("Bfront {:03}x", 100 - i / 2),
            1 => "Aaa".to_owned(),
            _ => format!("Lback {:03}", i / 2),
        };
        customers::update(&e.store, &e.admin, c.id, input).await.unwrap();
    }
    // An edit that keeps the name keeps the position.
    let kept = &same[1];
    let before: i64 = sqlx::query_scalar("SELECT name_pos FROM customers WHERE id = ?")
        .bind(kept.id)
        .fetch_one(e.store.pool())
        .await
        .unwrap();
    let mut input = kept.to_input();
    input.notes = Some("edited".into());
    customers::update(&e.store, &e.admin, kept.id, input).await.unwrap();
    let after: i64 = sqlx::query_scalar("SELECT name_pos FROM customers WHERE id = ?")
        .bind(kept.id)
        .fetch_one(e.store.pool())
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_positions(&e).await;
    assert_search_agrees(&e, &["mmm", "aaa", "bfront", "lback 01", "l"]).await;

    // Trash, restore and purge.
    let trash: Vec<i64> = same.iter().skip(2).step_by(3).map(|c| c.id).collect();
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: trash.clone() }).await.unwrap();
    assert_positions(&e).await;
    assert_search_agrees(&e, &["mmm", "same", "aaa"]).await;
    customers::restore(&e.store, &e.admin, &trash[..10]).await.unwrap();
    customers::purge(&e.store, &e.admin, &trash[10..20]).await.unwrap();
    assert_positions(&e).await;
    // New rows land among trashed ones too.
    for _ in 0..40 {
        e.add(person("Mmm Same")).await;
    }
    assert_positions(&e).await;
    assert_search_agrees(&e, &["mmm", "same", "aaa", "bfront", "lback", "zzzz"]).await;
}

/// A page cursor whose row was purged or renamed continues from the first row past its key.
#[tokio::test]
async fn search_cursor_outlives_its_row() {
    use clientele::customers::{self, ListQuery, Selection};
    let e = env().await;
    let rows: Vec<_> = (0..20).map(|i| person(&format!("Nguyen {i:02}"))).collect();
    let mut made = Vec::new();
    for r in rows {
        made.push(e.add(r).await);
    }
    for desc in [false, true] {
        let q = ListQuery { search: "nguyen".into(), limit: 5, desc, ..Default::default() };
        let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
        let cursor = page.next.clone().unwrap();
        let last = page.rows.last().unwrap().clone();
        // Rename the cursor row far away, and purge its neighbour.
        let mut input = customers::get(&e.store, &e.admin, last.id).await.unwrap().to_input();
        input.name = format!("Zed {}", last.id);
        customers::update(&e.store, &e.admin, last.id, input).await.unwrap();
        let next = ids_of(&e, ListQuery { after: Some(cursor), ..q.clone() }).await;
        let expected: Vec<i64> = if desc {
            made.iter().rev().map(|c| c.id).filter(|id| *id < last.id).collect()
        } else {
            made.iter().map(|c| c.id).filter(|id| *id > last.id).collect()
        };
        assert_eq!(next, expected, "desc={desc}");
        customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![last.id] }).await.unwrap();
        customers::purge(&e.store, &e.admin, &[last.id]).await.unwrap();
        made.retain(|c| c.id != last.id);
        let page = customers::list(&e.store, &e.admin, &q).await.unwrap();
        let cursor = page.next.clone().unwrap();
        let gone = page.rows.last().unwrap().id;
        customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![gone] }).await.unwrap();
        customers::purge(&e.store, &e.admin, &[gone]).await.unwrap();
        made.retain(|c| c.id != gone);
        let next = ids_of(&e, ListQuery { after: Some(cursor), ..q.clone() }).await;
        let expected: Vec<i64> = if desc {
            made.iter().rev().map(|c| c.id).filter(|id| *id < gone).collect()
        } else {
            made.iter().map(|c| c.id).filter(|id| *id > gone).collect()
        };
        assert_eq!(next, expected, "purged cursor row, desc={desc}");
    }
}

/// Bulk creation positions rows into an empty table in one statement and into a non-empty one row
/// run by row run, renumbering where there is no room.
#[tokio::test]
async fn create_many_positions_into_empty_and_crowded_tables() {
    use clientele::customers;
    let e = env().await;
    let names = ["Nguyễn An", "Trần Bình", "Lê Chi", "Nguyễn An", "Đặng Dũng", "Ngô Em"];
    let rows = (0..600).map(|i| person(&format!("{} {}", names[i % 6], i % 11)));
    customers::create_many(&e.store, &e.admin, rows, &mut |_| {}).await.unwrap();
    assert_positions(&e).await;
    assert_search_agrees(&e, &["ng", "nguyen an", "tran", "le chi 1", "dang"]).await;

    // Crowd the positions: consecutive integers, no room anywhere between rows (through
    // temporaries no row holds: all current values are non-negative multiples of 2^32).
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM customers ORDER BY name_pos").fetch_all(e.store.pool()).await.unwrap();
    for (i, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE customers SET name_pos = ? WHERE id = ?")
            .bind(i as i64 - 1_000_000)
            .bind(id)
            .execute(e.store.pool())
            .await
            .unwrap();
    }
    for (i, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE customers SET name_pos = ? WHERE id = ?")
            .bind(i as i64 + 1_000)
            .bind(id)
            .execute(e.store.pool())
            .await
            .unwrap();
    }
    assert_positions(&e).await;
    // Runs land everywhere: between identical names (after them), between distinct ones, at both
    // ends, and a long run at one spot.
    let more = (0..700).map(|i| match i % 5 {
        0 => person(&format!("{} {}", names[i % 6], i % 11)),
        1 => person(&format!("Nguyễn An {}x", i % 11)),
        2 => person("0000 Front"),
        3 => person("Zzzz Back"),
        _ => person(&format!("Lê Chi 5 {i:03}")),
    });
    customers::create_many(&e.store, &e.admin, more, &mut |_| {}).await.unwrap();
    assert_positions(&e).await;
    assert_search_agrees(&e, &["ng", "nguyen an", "an 5x", "le chi 5", "front", "zzzz", "kh0006"]).await;
    // A single insert into a crowded spot renumbers around it.
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM customers ORDER BY name_pos").fetch_all(e.store.pool()).await.unwrap();
    for (i, id) in ids.iter().enumerate().rev() {
        sqlx::query("UPDATE customers SET name_pos = ? WHERE id = ?")
            .bind(i as i64 + 5_000_000)
            .bind(id)
            .execute(e.store.pool())
            .await
            .unwrap();
    }
    e.add(person("Lê Chi 5 0005")).await;
    e.add(person("Nguyễn An 3")).await;
    assert_positions(&e).await;
    assert_search_agrees(&e, &["le chi 5", "nguyen an 3"]).await;
}

/// A long word ("nguyen") is first looked for among the rows of its indexed 3-letter prefix
/// ("ngu"), within a budget; past the budget, the full prefix query takes over.
#[tokio::test]
async fn long_words_past_the_prefix_budget() {
    use clientele::customers;
    let e = env().await;
    // 3,100 rows that share "ngu" but not "nguyen", all before the matches in name order.
    let rows = (0..3_100).map(|i| person(&format!("Ngựa {i:04}")));
    customers::create_many(&e.store, &e.admin, rows, &mut |_| {}).await.unwrap();
    for i in 0..5 {
        e.add(person(&format!("Nguyễn {i}"))).await;
    }
    e.add(person("Zed Nguyễn")).await;
    e.add(person("Aaron Nguy")).await;
    assert_eq!(
        e.search_names("nguyen").await,
        vec!["Nguyễn 0", "Nguyễn 1", "Nguyễn 2", "Nguyễn 3", "Nguyễn 4", "Zed Nguyễn"]
    );
    assert_eq!(e.search_names("nguy").await.len(), 7);
    assert_eq!(e.search_names("ngua 309").await.len(), 10);
    assert_search_agrees(&e, &["nguyen", "nguy", "ngua 30", "zed nguyen", "ngu"]).await;
}

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

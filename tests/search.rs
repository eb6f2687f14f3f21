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

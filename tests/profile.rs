#![allow(clippy::unwrap_used, reason = "tests")]
//! Catalogs, the full profile, required fields, duplicate rules, merge and bulk edit.

mod common;

use clientele::actor::Role;
use clientele::catalogs::{self, CatalogItemPatch, CatalogKind};
use clientele::customers::{
    self, BulkEdit, Contact, CustomerInput, CustomerKind, LegalEntity, ProductUse, Selection, SetValue,
};
use clientele::duplicates::{self, DuplicateRules, RuleMode};
use clientele::history;
use clientele::settings::{self, FieldRule, FieldSettings};
use clientele::staff::{self, NewStaff};
use common::*;

async fn item(e: &Env, kind: CatalogKind, name: &str) -> i64 {
    catalogs::find(&e.store, kind, name).await.unwrap().id
}

#[tokio::test]
async fn a_new_database_has_starter_catalogs_in_its_language() {
    let e = env().await;
    let all = catalogs::all(&e.store).await.unwrap();
    let names = |k: CatalogKind| all.items.iter().filter(|i| i.kind == k).map(|i| i.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(CatalogKind::Status), ["New", "Active", "Inactive"]);
    assert_eq!(names(CatalogKind::Level), ["VIP", "Gold", "Silver", "Standard"]);
    assert!(names(CatalogKind::Channel).contains(&"Cold call".to_string()));

    // Vietnamese when the language was chosen before the first admin.
    let dir = tempfile::tempdir().unwrap();
    let store = clientele::store::Store::open(dir.path()).await.unwrap();
    settings::set_language(&store, settings::Language::Vi).await.unwrap();
    staff::init_admin(&store, NewStaff { name: "A".into(), email: "a@x.vn".into(), password: None, role: Role::Admin })
        .await
        .unwrap();
    let all = catalogs::all(&store).await.unwrap();
    assert!(all.items.iter().any(|i| i.kind == CatalogKind::Status && i.name == "Mới"));
}

#[tokio::test]
async fn catalog_items_add_rename_reorder_deactivate() {
    let e = env().await;
    let a = catalogs::add(&e.store, &e.admin, CatalogKind::Segment, "  Chính phủ ", Some("#AA00cc")).await.unwrap();
    assert_eq!(a.name, "Chính phủ");
    assert_eq!(a.color.as_deref(), Some("#aa00cc"));
    // Same name folded: taken.
    let err = catalogs::add(&e.store, &e.admin, CatalogKind::Segment, "chinh PHU", None).await.unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    // Same name in another catalog is fine.
    catalogs::add(&e.store, &e.admin, CatalogKind::Group, "Chính phủ", None).await.unwrap();
    let bad = catalogs::add(&e.store, &e.admin, CatalogKind::Segment, "X", Some("red")).await.unwrap_err();
    assert_eq!(bad.code(), "input.invalid");

    let renamed = catalogs::update(
        &e.store,
        &e.admin,
        a.id,
        CatalogItemPatch { name: Some("Government".into()), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(renamed.name, "Government");

    let levels: Vec<i64> =
        catalogs::list(&e.store, CatalogKind::Level).await.unwrap().iter().map(|u| u.item.id).collect();
    let reversed: Vec<i64> = levels.iter().rev().copied().collect();
    let after = catalogs::reorder(&e.store, &e.admin, CatalogKind::Level, &reversed).await.unwrap();
    assert_eq!(after.iter().map(|i| i.id).collect::<Vec<_>>(), reversed);
    // An order that leaves one out is refused.
    assert!(catalogs::reorder(&e.store, &e.admin, CatalogKind::Level, &reversed[1..]).await.is_err());
    let shifted = catalogs::shift(&e.store, &e.admin, reversed[0], 1).await.unwrap();
    assert_eq!(shifted[1].id, reversed[0]);

    // A deactivated item cannot be given to a new customer, but a customer that had it keeps it.
    let vip = item(&e, CatalogKind::Level, "VIP").await;
    let c = e.add(CustomerInput { level_id: Some(vip), ..person("Kept") }).await;
    catalogs::update(&e.store, &e.admin, vip, CatalogItemPatch { active: Some(false), ..Default::default() })
        .await
        .unwrap();
    let err = customers::create(&e.store, &e.admin, CustomerInput { level_id: Some(vip), ..person("New") })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    let mut input = c.to_input();
    input.notes = Some("still VIP".into());
    let kept = customers::update(&e.store, &e.admin, c.id, input).await.unwrap();
    assert_eq!(kept.level_id, Some(vip));

    // Staff members cannot change catalogs.
    let clerk = staff::add(
        &e.store,
        &e.admin,
        NewStaff { name: "Clerk".into(), email: "clerk@x.vn".into(), password: None, role: Role::Staff },
    )
    .await
    .unwrap();
    let clerk = staff::sign_in(&e.store, clerk.id, None).await.unwrap();
    let err = catalogs::add(&e.store, &clerk, CatalogKind::Group, "Nope", None).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
}

#[tokio::test]
async fn deleting_an_item_in_use_is_refused_or_moves_its_customers() {
    let e = env().await;
    let vip = item(&e, CatalogKind::Level, "VIP").await;
    let gold = item(&e, CatalogKind::Level, "Gold").await;
    let partners = item(&e, CatalogKind::Group, "Partners").await;
    let news = item(&e, CatalogKind::Group, "Newsletter").await;
    let a = e.add(CustomerInput { level_id: Some(vip), group_ids: vec![partners, news], ..person("A") }).await;
    let b = e.add(CustomerInput { level_id: Some(vip), group_ids: vec![partners], ..person("B") }).await;

    let err = catalogs::delete(&e.store, &e.admin, vip, None).await.unwrap_err();
    assert_eq!(err.code(), "catalog.in_use");
    assert_eq!(err.body().details.unwrap().count, Some(2));
    // Replacement of another kind: refused.
    assert!(catalogs::delete(&e.store, &e.admin, vip, Some(partners)).await.is_err());

    let moved = catalogs::delete(&e.store, &e.admin, vip, Some(gold)).await.unwrap();
    assert_eq!(moved, 2);
    for id in [a.id, b.id] {
        let c = customers::get(&e.store, &e.admin, id).await.unwrap();
        assert_eq!(c.level_id, Some(gold));
        let h = history::for_entity(&e.store, &e.admin, "customer", id, None, 10).await.unwrap();
        assert!(h.iter().any(|x| x.changes.iter().any(|ch| ch.field == "level_id")));
    }
    // Groups: a customer that already has the replacement keeps one link.
    catalogs::delete(&e.store, &e.admin, partners, Some(news)).await.unwrap();
    assert_eq!(customers::get(&e.store, &e.admin, a.id).await.unwrap().group_ids, vec![news]);
    assert_eq!(customers::get(&e.store, &e.admin, b.id).await.unwrap().group_ids, vec![news]);
    // An unused item goes at once.
    let silver = item(&e, CatalogKind::Level, "Silver").await;
    assert_eq!(catalogs::delete(&e.store, &e.admin, silver, None).await.unwrap(), 0);
    assert!(catalogs::find(&e.store, CatalogKind::Level, "Silver").await.is_err());
}

#[tokio::test]
async fn the_whole_profile_round_trips_with_history() {
    let e = env().await;
    let seg = item(&e, CatalogKind::Segment, "SME").await;
    let lvl = item(&e, CatalogKind::Level, "Gold").await;
    let grp = item(&e, CatalogKind::Group, "Partners").await;
    let st = item(&e, CatalogKind::Status, "Active").await;
    let ch = item(&e, CatalogKind::Channel, "Referral").await;
    let pos = item(&e, CatalogKind::Position, "Director").await;
    let inv = item(&e, CatalogKind::InvoiceType, "VAT invoice").await;
    let prod = catalogs::add(&e.store, &e.admin, CatalogKind::Product, "Phần mềm kế toán", None).await.unwrap().id;
    let referrer = e.add(person("Người Giới Thiệu")).await;
    let input = CustomerInput {
        kind: CustomerKind::Business,
        name: "Công ty TNHH Đức Phát".into(),
        phones: vec!["028 3822 1234".into()],
        segment_id: Some(seg),
        level_id: Some(lvl),
        group_ids: vec![grp, grp],
        status_id: Some(st),
        channel_id: Some(ch),
        service_manager_id: Some(e.admin.staff_id),
        email_consent: true,
        products: vec![ProductUse { product_id: prod, since: chrono::NaiveDate::from_ymd_opt(2023, 5, 1) }],
        invoice_type_ids: vec![inv],
        legal_entities: vec![LegalEntity {
            name: "Đức Phát HCM".into(),
            tax_code: Some("0312345678".into()),
            address: Some("1 Lê Lợi".into()),
        }],
        contacts: vec![
            Contact {
                name: "Trần Thị Bích".into(),
                position_id: Some(pos),
                phones: vec!["0912 000 111".into()],
                ..Default::default()
            },
            Contact { name: "Lê Văn Cường".into(), primary: true, ..Default::default() },
        ],
        referrer_customer_id: Some(referrer.id),
        ..Default::default()
    };
    let c = e.add(input).await;
    assert_eq!(c.group_ids, vec![grp]);
    assert_eq!(c.service_manager_name.as_deref(), Some("Admin"));
    assert!(c.email_consent && c.email_consent_at.is_some());
    assert_eq!(c.referrer.as_ref().map(|r| r.code.clone()), Some(referrer.code.clone()));
    assert_eq!(c.contacts.len(), 2);
    // Exactly one primary: the one marked.
    assert_eq!(c.contacts.iter().filter(|x| x.primary).map(|x| x.name.as_str()).collect::<Vec<_>>(), ["Lê Văn Cường"]);
    assert_eq!(c.legal_entities[0].tax_code.as_deref(), Some("0312345678"));
    // Contact names are searchable, accent-insensitively.
    assert_eq!(e.search_names("bich").await, vec!["Công ty TNHH Đức Phát"]);

    // Edit: contacts keep their ids; history has the field-level diff.
    let mut input = c.to_input();
    input.contacts[0].name = "Trần Thị Bích Ngọc".into();
    input.email_consent = false;
    input.group_ids = vec![];
    let after = customers::update(&e.store, &e.admin, c.id, input).await.unwrap();
    assert_eq!(after.contacts[0].id, c.contacts[0].id);
    assert!(!after.email_consent);
    assert_ne!(after.email_consent_at, c.email_consent_at);
    let h = history::for_entity(&e.store, &e.admin, "customer", c.id, None, 10).await.unwrap();
    let fields: Vec<&str> = h[0].changes.iter().map(|x| x.field.as_str()).collect();
    assert!(
        fields.contains(&"contacts") && fields.contains(&"email_consent") && fields.contains(&"group_ids"),
        "{fields:?}"
    );

    // Contacts on an individual, a catalog id of the wrong kind, a referrer pointing at itself: refused.
    let err = customers::create(
        &e.store,
        &e.admin,
        CustomerInput { contacts: vec![Contact { name: "X".into(), ..Default::default() }], ..person("Solo") },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    let err = customers::create(&e.store, &e.admin, CustomerInput { level_id: Some(seg), ..person("Wrong") })
        .await
        .unwrap_err();
    assert_eq!(err.body().details.unwrap().fields[0].field, "level_id");
    let mut input = after.to_input();
    input.referrer_customer_id = Some(c.id);
    let err = customers::update(&e.store, &e.admin, c.id, input).await.unwrap_err();
    assert_eq!(err.body().details.unwrap().fields[0].field, "referrer_customer_id");
}

#[tokio::test]
async fn required_fields_are_enforced_on_every_path() {
    let e = env().await;
    let mut fields = FieldSettings::default();
    fields.fields.insert("phones".into(), FieldRule { shown: false, required: true });
    fields.fields.insert("level_id".into(), FieldRule { shown: true, required: true });
    let saved = settings::set_field_settings(&e.store, &e.admin, fields).await.unwrap();
    assert!(saved.fields["phones"].shown, "a required field is always shown");
    let bad = FieldSettings {
        fields: [("name".to_string(), FieldRule { shown: true, required: true })].into_iter().collect(),
    };
    assert!(settings::set_field_settings(&e.store, &e.admin, bad).await.is_err());

    let err = customers::create(&e.store, &e.admin, person("No phone")).await.unwrap_err();
    let mut missing: Vec<String> = err.body().details.unwrap().fields.iter().map(|f| f.field.clone()).collect();
    missing.sort();
    assert_eq!(missing, ["level_id", "phones"]);

    let vip = item(&e, CatalogKind::Level, "VIP").await;
    let ok = CustomerInput { level_id: Some(vip), ..with_phone("Ok", "0912345678") };
    let c = e.add(ok.clone()).await;
    // Update path.
    let mut input = c.to_input();
    input.phones.clear();
    assert_eq!(customers::update(&e.store, &e.admin, c.id, input).await.unwrap_err().code(), "input.invalid");
    // Bulk path (the importer's and demo's).
    let err =
        customers::create_many(&e.store, &e.admin, vec![person("Bulk")].into_iter(), &mut |_| {}).await.unwrap_err();
    assert!(err.body().details.unwrap().fields.iter().any(|f| f.field == "rows.0.phones"));
    // Bulk edit cannot clear a required field.
    let err = customers::bulk_edit(
        &e.store,
        &e.admin,
        &Selection::Ids { ids: vec![c.id] },
        &BulkEdit { level: Some(SetValue { id: None }), ..Default::default() },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
}

#[tokio::test]
async fn duplicate_rules_match_normalised_phones_emails_and_names() {
    let e = env().await;
    let first = e
        .add(CustomerInput {
            emails: vec!["Lan.Nguyen@Example.com".into()],
            address: Some("12  Lê Lợi, Quận 1".into()),
            tax_code: Some("0312345678".into()),
            ..with_phone("Nguyễn Thị Lan", "0912 345 678")
        })
        .await;
    // Every way of writing the same phone matches (the default rule warns).
    for phone in ["0912 345 678", "+84 912 345 678", "84912345678", "912345678", "(091) 234-5678"] {
        let err = customers::create(&e.store, &e.admin, with_phone("Someone", phone)).await.unwrap_err();
        assert_eq!(err.code(), "customer.duplicate", "{phone}");
        let d = err.body().details.unwrap();
        assert_eq!(d.blocking, Some(false));
        assert_eq!(d.matches[0].code, first.code);
        assert_eq!(d.matches[0].matched_on, ["phone"]);
        assert_eq!(d.matches[0].phone.as_deref(), Some("0912 *** 678"), "contact data is masked");
    }
    let err = customers::create(
        &e.store,
        &e.admin,
        CustomerInput { emails: vec!["  lan.nguyen@EXAMPLE.com ".into()], ..person("Other") },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "customer.duplicate");
    // The user may go on where the rule warns.
    let second = customers::create(
        &e.store,
        &e.admin,
        CustomerInput { allow_duplicate: true, ..with_phone("Someone", "+84 912 345 678") },
    )
    .await
    .unwrap();
    // The form's live check lists both now; trashed customers do not count.
    let found = duplicates::check(&e.store, &e.admin, &with_phone("X", "0912345678"), None).await.unwrap();
    assert_eq!(found.len(), 2);
    customers::delete(&e.store, &e.admin, &Selection::Ids { ids: vec![second.id] }).await.unwrap();
    let found = duplicates::check(&e.store, &e.admin, &with_phone("X", "0912345678"), None).await.unwrap();
    assert_eq!(found.len(), 1);
    // Editing a customer does not match itself.
    let mut input = first.to_input();
    input.notes = Some("x".into());
    customers::update(&e.store, &e.admin, first.id, input).await.unwrap();

    // Blocking rules: allow_duplicate does not help. Tax code and name + address rules (NFD
    // input, đ, case and spacing ignored).
    let rules = DuplicateRules {
        phone: RuleMode::Block,
        email: RuleMode::Warn,
        tax_code: RuleMode::Block,
        name_address: RuleMode::Warn,
    };
    duplicates::set_rules(&e.store, &e.admin, rules).await.unwrap();
    let err = customers::create(
        &e.store,
        &e.admin,
        CustomerInput { allow_duplicate: true, ..with_phone("Y", "84 912 345 678") },
    )
    .await
    .unwrap_err();
    assert_eq!(err.body().details.unwrap().blocking, Some(true));
    let err =
        customers::create(&e.store, &e.admin, CustomerInput { tax_code: Some("0312-345-678".into()), ..person("Z") })
            .await
            .unwrap_err();
    assert_eq!(err.body().details.unwrap().matches[0].matched_on, ["tax_code"]);
    let nfd_name = "Nguye\u{302}\u{303}n  thi\u{323} LAN";
    let err = customers::create(
        &e.store,
        &e.admin,
        CustomerInput { address: Some("12 le loi, quan 1".into()), ..person(nfd_name) },
    )
    .await
    .unwrap_err();
    assert_eq!(err.body().details.unwrap().matches[0].matched_on, ["name_address"]);
    // đ folds to d for names.
    e.add(CustomerInput { address: Some("5 Hàng Bông".into()), ..person("Đỗ Đức") }).await;
    let err = customers::create(
        &e.store,
        &e.admin,
        CustomerInput { address: Some("5 hang bong".into()), ..person("do duc") },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "customer.duplicate");
}

#[tokio::test]
async fn duplicate_check_tool_finds_partial_information() {
    let e = env().await;
    e.add(CustomerInput {
        emails: vec!["duc.tran@example.com".into()], ..with_phone("Trần Văn Đức", "0987.654.321")
    })
    .await;
    e.add(person("Phạm Thị Hoa")).await;
    let by_digits = duplicates::lookup(&e.store, &e.admin, "654 321").await.unwrap();
    assert_eq!(by_digits.len(), 1);
    assert_eq!(by_digits[0].phone.as_deref(), Some("0987.***.321"));
    assert_eq!(by_digits[0].email.as_deref(), Some("d***@example.com"));
    let by_name = duplicates::lookup(&e.store, &e.admin, "duc").await.unwrap();
    assert_eq!(by_name[0].name, "Trần Văn Đức");
    let by_email = duplicates::lookup(&e.store, &e.admin, "DUC.TRAN@example.com").await.unwrap();
    assert_eq!(by_email[0].matched_on, ["email"]);
    assert!(duplicates::lookup(&e.store, &e.admin, "x").await.unwrap().is_empty());
}

#[tokio::test]
async fn merge_keeps_everything_and_records_it() {
    let e = env().await;
    let pos = item(&e, CatalogKind::Position, "Director").await;
    let a = e
        .add(CustomerInput {
            contacts: vec![Contact { name: "Chị Mai".into(), position_id: Some(pos), ..Default::default() }],
            ..CustomerInput { phones: vec!["0912345678".into()], ..business("Công ty Hoa Sen") }
        })
        .await;
    let b = customers::create(
        &e.store,
        &e.admin,
        CustomerInput {
            allow_duplicate: true,
            emails: vec!["info@hoasen.vn".into()],
            contacts: vec![Contact { name: "Anh Tuấn".into(), ..Default::default() }],
            legal_entities: vec![LegalEntity { name: "Hoa Sen JSC".into(), ..Default::default() }],
            ..CustomerInput { phones: vec!["+84 912 345 678".into()], ..business("Cty Hoa Sen") }
        },
    )
    .await
    .unwrap();
    let referred = e.add(CustomerInput { referrer_customer_id: Some(b.id), ..person("Được giới thiệu") }).await;

    // The user picks the name of A and the e-mail of B.
    let mut values = a.to_input();
    values.emails = b.emails.clone();
    let merged = customers::merge(&e.store, &e.admin, a.id, &[b.id], &values).await.unwrap();
    assert_eq!(merged.code, a.code);
    assert_eq!(merged.emails, ["info@hoasen.vn"]);
    let mut contacts: Vec<&str> = merged.contacts.iter().map(|c| c.name.as_str()).collect();
    contacts.sort();
    assert_eq!(contacts, ["Anh Tuấn", "Chị Mai"]);
    assert_eq!(merged.contacts.iter().filter(|c| c.primary).count(), 1);
    assert_eq!(merged.legal_entities[0].name, "Hoa Sen JSC");
    // References and history moved; the other went to the trash, not away.
    assert_eq!(customers::get(&e.store, &e.admin, referred.id).await.unwrap().referrer.unwrap().id, a.id);
    let gone = customers::get(&e.store, &e.admin, b.id).await.unwrap();
    assert!(gone.deleted_at.is_some());
    let h = history::for_entity(&e.store, &e.admin, "customer", a.id, None, 50).await.unwrap();
    assert_eq!(h[0].action, "merge");
    assert!(
        h.iter()
            .any(|x| x.action == "create" && x.entity_id == a.id && x.changes.iter().any(|c| c.after == "Cty Hoa Sen"))
    );
    let hb = history::for_entity(&e.store, &e.admin, "customer", b.id, None, 50).await.unwrap();
    assert_eq!(hb[0].action, "merged_away");
    assert_eq!(e.search_names("tuan").await, ["Công ty Hoa Sen"]);
    // Merging with oneself or nothing is refused.
    assert!(customers::merge(&e.store, &e.admin, a.id, &[a.id], &values).await.is_err());
}

#[tokio::test]
async fn bulk_edit_sets_classification_with_history() {
    let e = env().await;
    let gold = item(&e, CatalogKind::Level, "Gold").await;
    let partners = item(&e, CatalogKind::Group, "Partners").await;
    let news = item(&e, CatalogKind::Group, "Newsletter").await;
    let a = e.add(CustomerInput { group_ids: vec![news], ..person("An") }).await;
    let b = e.add(person("Bình")).await;
    let c = e.add(person("Chi")).await;
    let edit = BulkEdit {
        level: Some(SetValue { id: Some(gold) }),
        add_groups: vec![partners],
        remove_groups: vec![news],
        ..Default::default()
    };
    let sel = Selection::Matching { search: String::new(), filter: Default::default(), except: vec![c.id] };
    assert_eq!(customers::bulk_edit(&e.store, &e.admin, &sel, &edit).await.unwrap(), 2);
    for id in [a.id, b.id] {
        let x = customers::get(&e.store, &e.admin, id).await.unwrap();
        assert_eq!(x.level_id, Some(gold));
        assert_eq!(x.group_ids, vec![partners]);
        let h = history::for_entity(&e.store, &e.admin, "customer", id, None, 5).await.unwrap();
        assert_eq!(h[0].action, "bulk_edit");
    }
    assert_eq!(customers::get(&e.store, &e.admin, c.id).await.unwrap().level_id, None);
    // Running it again changes nothing and writes no history.
    assert_eq!(customers::bulk_edit(&e.store, &e.admin, &sel, &edit).await.unwrap(), 0);
    // A value of the wrong kind: refused, nothing changed.
    let bad = BulkEdit { segment: Some(SetValue { id: Some(gold) }), ..Default::default() };
    assert!(customers::bulk_edit(&e.store, &e.admin, &sel, &bad).await.is_err());
}

#[tokio::test]
async fn saved_views_are_personal_or_shared() {
    use clientele::views::{self, SavedViewInput};
    let e = env().await;
    let clerk = staff::add(
        &e.store,
        &e.admin,
        NewStaff { name: "Clerk".into(), email: "clerk@x.vn".into(), password: None, role: Role::Staff },
    )
    .await
    .unwrap();
    let clerk = staff::sign_in(&e.store, clerk.id, None).await.unwrap();
    let def = serde_json::json!({"search": "nguyen", "filter": {"level_ids": [1]}, "columns": ["code", "name"]});
    let mine = views::save(
        &e.store,
        &clerk,
        SavedViewInput { id: None, name: " VIP Hà Nội ".into(), shared: false, definition: def.clone() },
    )
    .await
    .unwrap();
    assert_eq!(mine.name, "VIP Hà Nội");
    assert_eq!(mine.definition, def);
    let shared = views::save(
        &e.store,
        &e.admin,
        SavedViewInput { id: None, name: "All VIP".into(), shared: true, definition: def.clone() },
    )
    .await
    .unwrap();
    // The admin does not see the clerk's personal view; the clerk sees both.
    let names = |v: Vec<views::SavedView>| v.into_iter().map(|x| x.name).collect::<Vec<_>>();
    assert_eq!(names(views::list(&e.store, &e.admin).await.unwrap()), ["All VIP"]);
    assert_eq!(names(views::list(&e.store, &clerk).await.unwrap()), ["All VIP", "VIP Hà Nội"]);
    // The clerk cannot change or delete the shared view.
    let listed = views::list(&e.store, &clerk).await.unwrap();
    assert!(!listed[0].editable && listed[1].editable);
    let err = views::delete(&e.store, &clerk, shared.id).await.unwrap_err();
    assert_eq!(err.code(), "permission.denied");
    views::delete(&e.store, &clerk, mine.id).await.unwrap();
    assert_eq!(names(views::list(&e.store, &clerk).await.unwrap()), ["All VIP"]);
}

#![allow(clippy::unwrap_used, reason = "test helpers: a failed setup should panic")]
//! Customer photos: only real images are kept, each with a thumbnail for the list and the
//! profile; a replaced photo's files go; a photo from before thumbnails gets one when asked.

mod common;
use std::path::Path;

use clientele::customers::{self, PhotoSize, THUMBNAIL_SIZE};
use clientele::error::Error;
use common::*;

/// A `w`×`h` PNG with a gradient and a transparent left half.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, if x < w / 2 { 0 } else { 255 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A well-formed PNG that claims to be `w`×`h` (its header rewritten, checksum right).
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = png(2, 2);
    // Signature (8), IHDR length (4), "IHDR" (4), then width and height.
    bytes[16..20].copy_from_slice(&w.to_be_bytes());
    bytes[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        walk(dir).into_iter().filter_map(|p| p.strip_prefix(dir).ok().map(|p| p.display().to_string())).collect();
    names.sort();
    names
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn assert_refused(err: Error) {
    match err {
        Error::Validation(fields) => {
            assert_eq!(fields.len(), 1);
            assert_eq!(fields[0].field, "photo");
            assert_eq!(fields[0].value.as_deref(), Some("not_an_image"));
        }
        other => panic!("expected a photo validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_photo_gets_a_thumbnail_and_only_real_images_are_kept() {
    let e = env().await;
    let c = e.add(person("Ảnh Đẹp")).await;
    let src = tempfile::tempdir().unwrap();
    let photos = e.dir.path().join("photos");

    // A real 1200×800 PNG: kept as given, with a JPEG thumbnail of 256×171 on white.
    let original = png(1200, 800);
    let set =
        customers::set_photo(&e.store, &e.admin, c.id, Some(&write(src.path(), "a.png", &original))).await.unwrap();
    let name = set.photo.clone().unwrap();
    let (full, mime) = customers::photo(&e.store, &e.admin, c.id, PhotoSize::Full).await.unwrap().unwrap();
    assert_eq!((full, mime), (original, "image/png"));
    let (thumb, mime) = customers::photo(&e.store, &e.admin, c.id, PhotoSize::Thumbnail).await.unwrap().unwrap();
    assert_eq!(mime, "image/jpeg");
    let small = image::load_from_memory(&thumb).unwrap();
    assert_eq!((small.width(), small.height()), (THUMBNAIL_SIZE, 171));
    // The transparent half is white, the opaque half keeps its colour.
    let px = small.to_rgb8();
    assert!(px.get_pixel(10, 85).0.iter().all(|c| *c > 240), "{:?}", px.get_pixel(10, 85));
    assert!(px.get_pixel(250, 85).0[2] < 140, "{:?}", px.get_pixel(250, 85));
    assert_eq!(files_in(&photos), [name.clone(), format!("thumbs/{name}.jpg")]);

    // Not images, whatever their first bytes say: refused, the customer's photo and files kept.
    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend_from_slice(&[7; 4000]);
    let claiming = png_claiming(100_000, 100_000);
    for (file, bytes) in [("fake.png", fake), ("huge.png", claiming), ("text.jpg", b"\xff\xd8\xffnot a jpeg".to_vec())]
    {
        let started = std::time::Instant::now();
        let err =
            customers::set_photo(&e.store, &e.admin, c.id, Some(&write(src.path(), file, &bytes))).await.unwrap_err();
        assert_refused(err);
        assert!(started.elapsed().as_secs() < 5, "{file} took {:?}", started.elapsed());
        assert_eq!(customers::get(&e.store, &e.admin, c.id).await.unwrap().photo.as_deref(), Some(name.as_str()));
        assert_eq!(files_in(&photos), [name.clone(), format!("thumbs/{name}.jpg")]);
    }

    // Replaced: the old photo and its thumbnail go.
    let second = png(300, 600);
    let set = customers::set_photo(&e.store, &e.admin, c.id, Some(&write(src.path(), "b.png", &second))).await.unwrap();
    let name2 = set.photo.unwrap();
    assert_ne!(name2, name);
    assert_eq!(files_in(&photos), [name2.clone(), format!("thumbs/{name2}.jpg")]);
    let (thumb, _) = customers::photo(&e.store, &e.admin, c.id, PhotoSize::Thumbnail).await.unwrap().unwrap();
    let small = image::load_from_memory(&thumb).unwrap();
    assert_eq!((small.width(), small.height()), (128, THUMBNAIL_SIZE));

    // A photo set before thumbnails existed: its thumbnail is made the first time it is asked for.
    std::fs::remove_dir_all(photos.join("thumbs")).unwrap();
    let (thumb, mime) = customers::photo(&e.store, &e.admin, c.id, PhotoSize::Thumbnail).await.unwrap().unwrap();
    assert_eq!(mime, "image/jpeg");
    assert_eq!(image::load_from_memory(&thumb).unwrap().height(), THUMBNAIL_SIZE);
    assert_eq!(files_in(&photos), [name2.clone(), format!("thumbs/{name2}.jpg")]);

    // Removed: no photo, no files.
    let set = customers::set_photo(&e.store, &e.admin, c.id, None).await.unwrap();
    assert_eq!(set.photo, None);
    assert!(files_in(&photos).is_empty());
    assert!(customers::photo(&e.store, &e.admin, c.id, PhotoSize::Thumbnail).await.unwrap().is_none());
}

//! Customer photos: copied into the data folder's `photos/` under a generated name, checked to
//! be a real image of a sane size; the customer row holds the file name. Each has a thumbnail
//! (`photos/thumbs/<name>.jpg`, at most `THUMBNAIL_SIZE` pixels a side) for the list and the
//! profile, made when the photo is set (or, for a photo set before thumbnails existed, the first
//! time it is asked for).

use std::path::{Path, PathBuf};

use serde_json::json;
use tracing::instrument;

use super::load::load;
use super::types::Customer;
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::history::FieldChange;
use crate::store::Store;

/// Largest photo accepted (the app shows thumbnails; a phone camera's JPEG fits).
pub const MAX_PHOTO_BYTES: u64 = 8 * 1024 * 1024;

/// Longest side of a thumbnail, in pixels: a list row's photo and the profile's, sharp on a
/// high-density screen.
pub const THUMBNAIL_SIZE: u32 = 256;

/// Largest image decoded, a side: beyond any camera's; a file claiming more is refused before
/// anything is allocated for it.
const MAX_SIDE: u32 = 16_384;

/// Which picture of a customer's photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoSize {
    /// The file as the user gave it.
    Full,
    /// The small JPEG for lists and the profile.
    Thumbnail,
}

fn photos_dir(store: &Store) -> PathBuf {
    store.data_dir().join("photos")
}

fn thumbnail_path(store: &Store, name: &str) -> PathBuf {
    photos_dir(store).join("thumbs").join(format!("{name}.jpg"))
}

/// Decode an image (within limits of size and memory) and make its thumbnail: a JPEG whose
/// longest side is at most `THUMBNAIL_SIZE`, transparency laid on white. `None` when the bytes
/// are not an image this can read.
fn make_thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().ok()?;
    let small = img.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE).to_rgba8();
    let mut rgb = image::RgbImage::new(small.width(), small.height());
    for (out, px) in rgb.pixels_mut().zip(small.pixels()) {
        let [r, g, b, a] = px.0;
        let on_white = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        *out = image::Rgb([on_white(r), on_white(g), on_white(b)]);
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&rgb).ok()?;
    Some(out)
}

/// Store a photo's thumbnail (its folder made if missing).
fn save_thumbnail(store: &Store, name: &str, thumb: &[u8]) -> std::io::Result<()> {
    let path = thumbnail_path(store, name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, thumb)
}

/// `make_thumbnail` off the async threads (decoding a camera's photo takes a fraction of a second).
async fn thumbnail_of(bytes: Vec<u8>) -> Option<Vec<u8>> {
    tokio::task::spawn_blocking(move || make_thumbnail(&bytes)).await.ok().flatten()
}

/// The image type from the file's first bytes (never from its name).
fn image_ext(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("png")
    } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("webp")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("gif")
    } else {
        None
    }
}

fn bad_photo(message: &str) -> Error {
    Error::Validation(vec![crate::error::FieldError::new("photo", "invalid").with_value(message.to_owned())])
}

/// Set (or with `None`, remove) a customer's photo from a file the user picked or dropped.
#[instrument(skip(store, actor))]
pub async fn set_photo(store: &Store, actor: &Actor, id: i64, source: Option<&Path>) -> Result<Customer> {
    let new_name = match source {
        Some(path) => {
            let meta = std::fs::metadata(path)?;
            if meta.len() > MAX_PHOTO_BYTES {
                return Err(bad_photo("too_large"));
            }
            let bytes = std::fs::read(path)?;
            let ext = image_ext(&bytes).ok_or_else(|| bad_photo("not_an_image"))?;
            // Decoding it is the check that it is a real image (not just its first bytes).
            let thumb = thumbnail_of(bytes.clone()).await.ok_or_else(|| bad_photo("not_an_image"))?;
            let stamp = chrono::Utc::now().timestamp_micros();
            let name = format!("c{id}-{stamp}.{ext}");
            save_thumbnail(store, &name, &thumb)?;
            std::fs::write(photos_dir(store).join(&name), &bytes)?;
            Some(name)
        }
        None => None,
    };
    let mut w = store.write(actor).await?;
    let before = load(w.conn(), id).await?;
    if let Err(e) = actor.can_edit(&before) {
        if let Some(n) = &new_name {
            remove_files(store, n);
        }
        return Err(e);
    }
    let now = w.now;
    sqlx::query("UPDATE customers SET photo = ?, updated_at = ?, updated_by = ? WHERE id = ?")
        .bind(&new_name)
        .bind(now)
        .bind(actor.staff_id)
        .bind(id)
        .execute(w.conn())
        .await?;
    let change = FieldChange { field: "photo".into(), before: json!(before.photo), after: json!(new_name) };
    w.history("customer", id, "update", &[change]).await?;
    let after = load(w.conn(), id).await?;
    w.commit().await?;
    // The old file goes only once the new name is committed (history keeps the name only).
    if let Some(old) = before.photo.filter(|o| Some(o) != new_name.as_ref()) {
        remove_files(store, &old);
    }
    Ok(after)
}

fn remove_files(store: &Store, name: &str) {
    let _ = std::fs::remove_file(photos_dir(store).join(name));
    let _ = std::fs::remove_file(thumbnail_path(store, name));
}

/// A photo's bytes and MIME type, by the name stored on a customer: the file itself, or its
/// thumbnail (made now if it is missing; the photo itself if it cannot be).
pub async fn photo(store: &Store, actor: &Actor, id: i64, size: PhotoSize) -> Result<Option<(Vec<u8>, &'static str)>> {
    let mut conn = store.pool().acquire().await?;
    let c = load(&mut conn, id).await?;
    actor.can_view(&c)?;
    let Some(name) = c.photo else { return Ok(None) };
    // Names are generated by `set_photo`; refuse anything that could leave the folder.
    if !name.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_')) || name.starts_with('.') {
        return Ok(None);
    }
    if size == PhotoSize::Thumbnail
        && let Ok(thumb) = std::fs::read(thumbnail_path(store, &name))
    {
        return Ok(Some((thumb, "image/jpeg")));
    }
    let bytes = match std::fs::read(photos_dir(store).join(&name)) {
        Ok(b) => b,
        Err(_) => return Ok(None),
    };
    if size == PhotoSize::Thumbnail
        && let Some(thumb) = thumbnail_of(bytes.clone()).await
    {
        // Kept for next time; served either way.
        let _ = save_thumbnail(store, &name, &thumb);
        return Ok(Some((thumb, "image/jpeg")));
    }
    let mime = match image_ext(&bytes) {
        Some("png") => "image/png",
        Some("jpg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        _ => return Ok(None),
    };
    Ok(Some((bytes, mime)))
}

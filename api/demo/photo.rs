//! The demo's meeting photos (`ket_qua.anh_hien_truong`, one required to submit): a picture
//! drawn here, then taken in through the same path an upload takes (checksum, verification,
//! blob store, record), so the demo's evidence is like anyone's.

use image::{ImageEncoder, Rgb, RgbImage};

use super::DemoError;
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::media::service::{self as evidence, NewEvidence};
use crate::media::spool::Spool;
use crate::media::{ingest, Media};
use crate::role::Role;
use crate::scope::Scope;

const ITEM: &str = "ket_qua.anh_hien_truong";

/// A 640 × 480 JPEG: a hall's wall, a banner and a table, different for each `seed` so each
/// inspection gets its own blob.
fn picture(seed: u8) -> Result<Vec<u8>, DemoError> {
    let img = RgbImage::from_fn(640, 480, |x, y| {
        if (60..120).contains(&y) && (80..560).contains(&x) {
            Rgb([200, 16, 46]) // the banner
        } else if y > 330 {
            Rgb([120 + seed.wrapping_mul(20), 80, 40]) // the table
        } else {
            let shade = 225u8.saturating_sub((y / 8) as u8);
            Rgb([shade, shade, 200u8.saturating_sub(seed)])
        }
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(img.as_raw(), 640, 480, image::ExtendedColorType::Rgb8)
        .map_err(|e| DemoError::Photo(e.to_string()))?;
    Ok(out)
}

/// Records and uploads one meeting photo for `inspection_id`, as `username` (its inspector).
pub async fn attach(
    media: &Media,
    db: &Db,
    inspection_id: &str,
    username: &str,
    seed: u8,
) -> Result<(), DemoError> {
    let (insp, user) = (inspection_id.to_owned(), username.to_owned());
    let (me, evidence_id) = db
        .write(move |c| {
            let user = crate::users::store::find_by_username(c, &user)?
                .ok_or(crate::domain::DomainError::NotFound)?;
            let scope = Scope::for_user(c, &user.id, Role::Inspector)?;
            let me = CurrentUser {
                user,
                device_id: "demo".into(),
                role: Role::Inspector,
            };
            let row = evidence::create(
                c,
                &me.actor(),
                &scope,
                &NewEvidence {
                    id: crate::db::new_id(),
                    inspection_id: insp,
                    item_id: ITEM.into(),
                    caption: Some("Buổi làm việc của Đoàn kiểm tra với đơn vị".into()),
                    taken_at: None,
                    latitude: None,
                    longitude: None,
                },
            )?;
            Ok::<_, DemoError>((me, row.id))
        })
        .await?;
    let mut spool = Spool::new(&media.tmp_dir, u64::MAX)?;
    spool.write(&picture(seed)?).await?;
    let spooled = spool.finish().await?;
    ingest::accept(media, db, &me, &evidence_id, spooled, None, false).await?;
    Ok(())
}

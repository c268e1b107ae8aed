//! The demo unit's representative (`demo.donvi`, tự kiểm tra): Xã Nghi Lộc, whose inspection
//! team 1 has started, so its self-assessment shows beside the inspection.

use actix_web::web;

use super::{CreatedAccount, DemoError};
use crate::auth::password;
use crate::db::Db;
use crate::role::Role;
use crate::users::service::{self, NewUser, UserError};
use crate::users::store;

pub const USERNAME: &str = "demo.donvi";
const UNIT: &str = "DEMO-X-NGHILOC";

/// Creates the account when it is missing (after the units exist).
pub async fn account(db: &Db) -> Result<Option<CreatedAccount>, DemoError> {
    let found = db
        .read(|c| {
            let user = store::find_by_username(c, USERNAME)?;
            let unit = crate::units::store::find_by_code(c, UNIT)?;
            Ok::<_, DemoError>((user, unit))
        })
        .await?;
    let (None, Some(unit)) = found else {
        return Ok(None);
    };
    let plain = password::generate(12);
    let p = plain.clone();
    let password_hash = web::block(move || password::hash(&p))
        .await?
        .map_err(UserError::from)?;
    let new = NewUser {
        username: USERNAME.into(),
        full_name: "Đại diện UBND xã Nghi Lộc – tự kiểm tra (demo)".into(),
        role: Role::Unit,
        password_hash,
        unit_id: Some(unit.id),
        email: None,
    };
    match db
        .write(move |c| service::create(c, &crate::audit::Actor::cli(), &new))
        .await
    {
        Ok(_) => Ok(Some(CreatedAccount {
            username: USERNAME.into(),
            role: Role::Unit,
            password: plain,
        })),
        Err(UserError::UsernameTaken) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

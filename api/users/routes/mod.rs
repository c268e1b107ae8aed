//! HTTP edge of user management. Everything here but `/me` is for administrators.

pub mod create_user;
pub mod devices;
pub mod get_user;
pub mod list_users;
pub mod me;
pub mod update_user;

use crate::error::{ApiError, Text};
use crate::users::UserError;

impl From<UserError> for ApiError {
    fn from(e: UserError) -> Self {
        match e {
            UserError::Invalid(fields) => ApiError::Invalid(fields),
            UserError::UsernameTaken => ApiError::conflict(
                "username_taken",
                "This username is already in use.",
                "Tên đăng nhập này đã được sử dụng.",
            ),
            UserError::NotFound => ApiError::NotFound,
            UserError::LastAdmin => ApiError::conflict(
                "last_admin",
                "This would leave no active administrator.",
                "Thao tác này sẽ khiến hệ thống không còn quản trị viên nào đang hoạt động.",
            ),
            UserError::VersionMismatch { current } => ApiError::Conflict {
                code: "version_mismatch",
                message: Text::new(
                    format!("The user was changed by someone else (now version {current}); reload and retry."),
                    format!("Người dùng đã được người khác sửa (phiên bản hiện tại {current}); hãy tải lại và thử lại."),
                ),
            },
            UserError::Db(e) => e.into(),
            UserError::Hash(e) => ApiError::Internal(e.to_string()),
        }
    }
}

/// Ids in paths are UUIDs; anything else cannot name a user, so it is "not found".
pub(crate) fn parse_id(raw: &str) -> Result<String, ApiError> {
    uuid::Uuid::parse_str(raw)
        .map(|u| u.to_string())
        .map_err(|_| ApiError::NotFound)
}

//! Why a file is refused, and how each refusal reaches the client (stable code, Vietnamese
//! message). Nothing is stored when one of these is returned.

use actix_web::http::StatusCode;

use crate::domain::DomainError;
use crate::error::{ApiError, Text};
use crate::media::error::MediaError;

#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    #[error("empty body")]
    Empty,
    #[error("larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// Not one of the kinds this owner takes (`accepted`, for the message).
    #[error("unsupported file type")]
    Unsupported { accepted: &'static str },
    #[error("the id already holds other bytes")]
    ContentDiffers,
    #[error(transparent)]
    Media(MediaError),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<MediaError> for AttachmentError {
    fn from(e: MediaError) -> Self {
        match e {
            MediaError::Empty => AttachmentError::Empty,
            MediaError::TooLarge { limit } => AttachmentError::TooLarge { limit },
            MediaError::Domain(d) => AttachmentError::Domain(d),
            other => AttachmentError::Media(other),
        }
    }
}

impl From<std::io::Error> for AttachmentError {
    fn from(e: std::io::Error) -> Self {
        AttachmentError::Media(MediaError::Io(e))
    }
}

impl From<crate::db::DbError> for AttachmentError {
    fn from(e: crate::db::DbError) -> Self {
        AttachmentError::Domain(e.into())
    }
}

impl From<diesel::result::Error> for AttachmentError {
    fn from(e: diesel::result::Error) -> Self {
        AttachmentError::Domain(e.into())
    }
}

impl From<actix_web::error::BlockingError> for AttachmentError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AttachmentError::Domain(e.into())
    }
}

fn refused(status: StatusCode, code: &'static str, en: String, vi: String) -> ApiError {
    ApiError::Upload {
        status,
        code,
        message: Text::new(en, vi),
    }
}

impl From<AttachmentError> for ApiError {
    fn from(e: AttachmentError) -> Self {
        match e {
            AttachmentError::Empty => refused(StatusCode::BAD_REQUEST, "attachment_empty", "The file is empty.".into(), "Tệp tải lên trống.".into()),
            AttachmentError::TooLarge { limit } => refused(StatusCode::PAYLOAD_TOO_LARGE, "attachment_too_large", format!("The file is larger than the limit of {} MiB.", limit >> 20), format!("Tệp lớn hơn giới hạn {} MiB.", limit >> 20)),
            AttachmentError::Unsupported { accepted } => refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, "attachment_type_unsupported", format!("The file is not {accepted} (checked by its content, not its name)."), format!("Tệp không phải {} (kiểm tra theo nội dung, không theo tên tệp).", accepted.replace(" or ", " hoặc "))),
            AttachmentError::ContentDiffers => refused(StatusCode::CONFLICT, "attachment_content_differs", "This id already holds a different file; a stored file never changes. Send a new id for a new file.".into(), "Mã này đã gắn với một tệp khác; tệp đã lưu không thể thay đổi. Hãy dùng mã mới cho tệp mới.".into()),
            AttachmentError::Media(m) => m.into(),
            AttachmentError::Domain(d) => d.into(),
        }
    }
}

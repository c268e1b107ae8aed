//! What can go wrong with an upload, and how each failure reaches the client. Every refusal
//! has a stable code; none leaves a file or a row behind (the caller drops its temp file).

use actix_web::http::StatusCode;

use crate::domain::DomainError;
use crate::error::{ApiError, Text};

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("empty body")]
    Empty,
    #[error("larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("not an image")]
    NotAnImage,
    #[error("unsupported format {0}")]
    UnsupportedFormat(String),
    #[error("damaged: {0}")]
    Damaged(String),
    #[error("not only an image: {0}")]
    ExtraData(String),
    #[error("{width}x{height} is beyond the pixel limits")]
    TooManyPixels { width: u64, height: u64 },
    #[error("{width}x{height} would need {needs} bytes to decode, over {budget}")]
    TooBigToDecode {
        width: u64,
        height: u64,
        needs: u64,
        budget: u64,
    },
    #[error("upload headers: {0}")]
    BadMetadata(String),
    #[error("tus version not supported")]
    TusVersion,
    #[error("upload is being written by another request")]
    Busy,
    #[error("checksum header malformed: {0}")]
    BadDigest(String),
    #[error("checksum algorithms not supported: {0}")]
    DigestUnsupported(String),
    #[error("checksum mismatch")]
    DigestMismatch { tus: bool },
    #[error("the id already holds other bytes")]
    ContentDiffers,
    #[error("upload offset {given} is not the server's {expected}")]
    OffsetMismatch { given: u64, expected: u64 },
    #[error("upload ended before its declared length")]
    Incomplete,
    #[error("blob store: {0}")]
    Store(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl From<diesel::result::Error> for MediaError {
    fn from(e: diesel::result::Error) -> Self {
        MediaError::Domain(e.into())
    }
}

impl From<crate::db::DbError> for MediaError {
    fn from(e: crate::db::DbError) -> Self {
        MediaError::Domain(e.into())
    }
}

impl From<actix_web::error::BlockingError> for MediaError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        MediaError::Domain(e.into())
    }
}

fn refused(status: StatusCode, code: &'static str, en: String, vi: String) -> ApiError {
    ApiError::Upload {
        status,
        code,
        message: Text::new(en, vi),
    }
}

impl From<MediaError> for ApiError {
    fn from(e: MediaError) -> Self {
        use MediaError::*;
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        match e {
            Empty => refused(StatusCode::BAD_REQUEST, "upload_empty", "The body is empty; send the photo's bytes.".into(), "Nội dung tải lên trống; hãy gửi dữ liệu của ảnh.".into()),
            TooLarge { limit } => refused(StatusCode::PAYLOAD_TOO_LARGE, "upload_too_large", format!("The file is larger than the limit of {limit} bytes."), format!("Tệp lớn hơn giới hạn {limit} byte.")),
            NotAnImage => refused(unprocessable, "not_an_image", "The file is not a JPEG, PNG or WebP image (checked by its content, not its name).".into(), "Tệp không phải ảnh JPEG, PNG hoặc WebP (kiểm tra theo nội dung, không theo tên tệp).".into()),
            UnsupportedFormat(f) => refused(unprocessable, "unsupported_image_format", format!("{f} images are not accepted; send JPEG, PNG or WebP."), format!("Không nhận ảnh định dạng {f}; hãy gửi JPEG, PNG hoặc WebP.")),
            Damaged(why) => refused(unprocessable, "image_damaged", format!("The image is damaged or truncated: {why}. Nothing was stored; send the original photo again."), format!("Ảnh bị hỏng hoặc bị cắt cụt: {why}. Chưa lưu gì; hãy gửi lại ảnh gốc.")),
            ExtraData(why) => refused(unprocessable, "image_extra_data", format!("The file holds more than the image: {why}. Send the photo as the camera saved it."), format!("Tệp chứa thêm dữ liệu ngoài ảnh: {why}. Hãy gửi ảnh đúng như máy ảnh đã lưu.")),
            TooManyPixels { width, height } => refused(unprocessable, "image_too_many_pixels", format!("A {width} × {height} image is beyond the accepted size; it is refused before decoding."), format!("Ảnh {width} × {height} điểm ảnh vượt quá kích thước cho phép; bị từ chối trước khi giải mã.")),
            TooBigToDecode { width, height, needs, budget } => refused(unprocessable, "image_too_many_pixels", format!("A {width} × {height} image of this kind needs {} MiB to decode, over the limit of {} MiB; it is refused before decoding.", needs >> 20, budget >> 20), format!("Ảnh {width} × {height} loại này cần {} MiB bộ nhớ để giải mã, vượt giới hạn {} MiB; bị từ chối trước khi giải mã.", needs >> 20, budget >> 20)),
            BadMetadata(why) => refused(StatusCode::BAD_REQUEST, "upload_headers_invalid", format!("The upload headers are invalid: {why}"), format!("Tiêu đề (header) tải lên không hợp lệ: {why}")),
            TusVersion => refused(StatusCode::PRECONDITION_FAILED, "tus_version_unsupported", "Send Tus-Resumable: 1.0.0; it is the only version this server speaks.".into(), "Hãy gửi Tus-Resumable: 1.0.0; máy chủ chỉ hỗ trợ phiên bản này.".into()),
            Busy => refused(StatusCode::LOCKED, "upload_busy", "Another request is writing this upload; wait for it, ask the offset with HEAD, then resume.".into(), "Một yêu cầu khác đang ghi tệp này; hãy chờ, hỏi vị trí bằng HEAD rồi tải tiếp.".into()),
            BadDigest(why) => refused(StatusCode::BAD_REQUEST, "checksum_header_invalid", format!("The checksum header is malformed: {why}"), format!("Tiêu đề mã kiểm tra (checksum) sai định dạng: {why}")),
            DigestUnsupported(header) => refused(StatusCode::BAD_REQUEST, "checksum_algorithm_unsupported", format!("{header} names no algorithm this server checks; send a SHA-256 (sha-256=:<base64>: or, over tus, sha256 <base64>). Nothing was stored."), format!("{header} không có thuật toán nào máy chủ kiểm tra được; hãy gửi SHA-256 (sha-256=:<base64>: hoặc, với tus, sha256 <base64>). Chưa lưu gì.")),
            // tus's checksum extension names 460 for this.
            DigestMismatch { tus } => refused(if tus { StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST) } else { StatusCode::BAD_REQUEST }, "checksum_mismatch", "The bytes received do not match the checksum sent; nothing was stored. Upload again.".into(), "Dữ liệu nhận được không khớp mã kiểm tra đã gửi; chưa lưu gì. Hãy tải lên lại.".into()),
            ContentDiffers => refused(StatusCode::CONFLICT, "evidence_content_differs", "This evidence already holds a different photo; evidence bytes never change. Create a new evidence id for a new photo.".into(), "Minh chứng này đã có ảnh khác; ảnh minh chứng không thể thay đổi. Hãy tạo minh chứng mới cho ảnh mới.".into()),
            OffsetMismatch { given, expected } => refused(StatusCode::CONFLICT, "upload_offset_mismatch", format!("Upload-Offset {given} is not where the upload stands ({expected}); ask with HEAD and resume from there."), format!("Upload-Offset {given} không khớp vị trí hiện tại ({expected}); hãy hỏi bằng HEAD rồi tải tiếp từ đó.")),
            Incomplete => refused(StatusCode::BAD_REQUEST, "upload_incomplete", "The body ended before the length announced.".into(), "Dữ liệu kết thúc trước độ dài đã khai báo.".into()),
            Store(why) => ApiError::Internal(format!("blob store: {why}")),
            Io(e) => ApiError::Internal(format!("media io: {e}")),
            Domain(d) => d.into(),
        }
    }
}

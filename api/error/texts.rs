//! What each error says to people, in both languages: its title and its detail. Apart from
//! `mod.rs`, which decides statuses and codes, because the wording grows with every error.

use super::{ApiError, Text};

impl ApiError {
    pub fn title(&self) -> Text {
        use ApiError::*;
        match self {
            NotFound => Text::new("Not found", "Không tìm thấy"),
            RouteNotFound => Text::new("No such endpoint", "Không có đường dẫn này"),
            MethodNotAllowed { .. } => {
                Text::new("Method not allowed", "Phương thức không được hỗ trợ")
            }
            MalformedJson(_) => Text::new("Malformed JSON", "JSON không hợp lệ"),
            Invalid(_) => Text::new("Invalid request", "Dữ liệu gửi lên không hợp lệ"),
            InvalidQuery(_) => Text::new("Invalid query string", "Tham số truy vấn không hợp lệ"),
            InvalidPath(_) => Text::new("Invalid path parameter", "Tham số đường dẫn không hợp lệ"),
            PayloadTooLarge => Text::new("Request body too large", "Dữ liệu gửi lên quá lớn"),
            UnsupportedMediaType => {
                Text::new("Unsupported media type", "Kiểu dữ liệu không được hỗ trợ")
            }
            BadRequest => Text::new("Bad request", "Yêu cầu không hợp lệ"),
            Unauthenticated => Text::new("Authentication required", "Cần đăng nhập"),
            InvalidToken => Text::new("Invalid access token", "Mã truy cập không hợp lệ"),
            TokenExpired => Text::new("Access token expired", "Mã truy cập đã hết hạn"),
            InvalidCredentials => Text::new(
                "Wrong username or password",
                "Sai tên đăng nhập hoặc mật khẩu",
            ),
            AccountDisabled => Text::new("Account disabled", "Tài khoản đã bị khóa"),
            RefreshTokenInvalid => Text::new(
                "Invalid or expired refresh token",
                "Mã làm mới không hợp lệ hoặc đã hết hạn",
            ),
            RefreshTokenReused => {
                Text::new("Refresh token already used", "Mã làm mới đã được sử dụng")
            }
            Forbidden => Text::new("Forbidden", "Không có quyền"),
            TooManyAttempts { .. } => {
                Text::new("Too many failed logins", "Đăng nhập sai quá nhiều lần")
            }
            Conflict { .. } => Text::new("Conflict", "Xung đột dữ liệu"),
            UpgradeRequired { .. } => Text::new("App update required", "Cần cập nhật ứng dụng"),
            Upload { .. } => Text::new("Upload refused", "Tệp tải lên bị từ chối"),
            Unavailable(_) => Text::new("Service unavailable", "Dịch vụ tạm thời không sẵn sàng"),
            PdfUnavailable(_) => Text::new("PDF unavailable", "Không tạo được tệp PDF"),
            Internal(_) => Text::new("Internal error", "Lỗi hệ thống"),
            CursorAhead { .. } => Text::new(
                "Sync cursor ahead of the server",
                "Vị trí đồng bộ vượt quá máy chủ",
            ),
            RequestTimeout => Text::new("Request timed out", "Hết thời gian chờ dữ liệu"),
        }
    }

    pub fn detail(&self) -> Text {
        use ApiError::*;
        match self {
            NotFound => Text::new(
                "The resource does not exist or you may not see it.",
                "Dữ liệu không tồn tại hoặc bạn không có quyền xem.",
            ),
            RouteNotFound => Text::new(
                "No endpoint has this path. The API is described at /api/v1/openapi.json.",
                "Không có đường dẫn này. Mô tả API tại /api/v1/openapi.json.",
            ),
            MethodNotAllowed { .. } => Text::new(
                "This endpoint does not accept this HTTP method.",
                "Đường dẫn này không nhận phương thức HTTP đã gửi.",
            ),
            MalformedJson(why) => Text::new(
                format!("The body is not valid JSON for this endpoint: {why}"),
                format!("Nội dung gửi lên không phải JSON hợp lệ cho yêu cầu này: {why}"),
            ),
            Invalid(_) => Text::new(
                "Some fields are invalid; see `errors`.",
                "Một số trường không hợp lệ; xem `errors`.",
            ),
            InvalidQuery(why) => Text::new(
                format!("The query string is invalid: {why}"),
                format!("Tham số truy vấn không hợp lệ: {why}"),
            ),
            InvalidPath(why) => Text::new(
                format!("A path parameter is invalid: {why}"),
                format!("Tham số trên đường dẫn không hợp lệ: {why}"),
            ),
            PayloadTooLarge => Text::new(
                "The request body is larger than this endpoint accepts.",
                "Dữ liệu gửi lên vượt quá giới hạn của yêu cầu này.",
            ),
            UnsupportedMediaType => Text::new(
                "Send the body as application/json.",
                "Hãy gửi dữ liệu dạng application/json.",
            ),
            BadRequest => Text::new("The request is malformed.", "Yêu cầu bị sai định dạng."),
            Unauthenticated => Text::new(
                "Send an access token: Authorization: Bearer <token>.",
                "Hãy gửi mã truy cập: Authorization: Bearer <mã>.",
            ),
            InvalidToken => Text::new(
                "The access token is invalid or its session was revoked; log in again.",
                "Mã truy cập không hợp lệ hoặc phiên đã bị thu hồi; hãy đăng nhập lại.",
            ),
            TokenExpired => Text::new(
                "The access token has expired; use the refresh token to get a new one.",
                "Mã truy cập đã hết hạn; hãy dùng mã làm mới để lấy mã mới.",
            ),
            InvalidCredentials => Text::new(
                "The username or password is wrong.",
                "Tên đăng nhập hoặc mật khẩu không đúng.",
            ),
            AccountDisabled => Text::new(
                "This account is disabled; contact the administrator (Sở Nội vụ).",
                "Tài khoản này đã bị khóa; hãy liên hệ quản trị viên (Sở Nội vụ).",
            ),
            RefreshTokenInvalid => Text::new(
                "The refresh token is unknown, expired or revoked; log in again.",
                "Mã làm mới không tồn tại, đã hết hạn hoặc đã bị thu hồi; hãy đăng nhập lại.",
            ),
            RefreshTokenReused => Text::new(
                "This refresh token was already used once, so the device's session was revoked for safety; log in again.",
                "Mã làm mới này đã được dùng trước đó nên phiên của thiết bị đã bị thu hồi để đảm bảo an toàn; hãy đăng nhập lại.",
            ),
            Forbidden => Text::new(
                "Your role does not allow this action.",
                "Vai trò của bạn không được phép thực hiện thao tác này.",
            ),
            TooManyAttempts { retry_after_secs } => Text::new(
                format!("Too many failed logins from this address; wait {retry_after_secs} seconds before trying again."),
                format!("Đăng nhập sai quá nhiều lần từ địa chỉ này; hãy chờ {retry_after_secs} giây rồi thử lại."),
            ),
            Conflict { message, .. } | Upload { message, .. } => message.clone(),
            UpgradeRequired { supported } => {
                let list = supported.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
                Text::new(
                    format!("This app speaks a sync schema version the server does not support (supported: {list}). Update the app, then sync again; nothing stored on the phone is lost."),
                    format!("Phiên bản dữ liệu đồng bộ của ứng dụng không được máy chủ hỗ trợ (hỗ trợ: {list}). Hãy cập nhật ứng dụng rồi đồng bộ lại; dữ liệu trên điện thoại không bị mất."),
                )
            }
            PdfUnavailable(_) => Text::new(
                "This server cannot make PDFs: LibreOffice (soffice) is not installed or failed. Download the DOCX instead, or ask the administrator to install libreoffice-writer-nogui.",
                "Máy chủ chưa cài LibreOffice (hoặc LibreOffice gặp lỗi) nên không tạo được tệp PDF. Hãy tải bản DOCX, hoặc đề nghị quản trị viên cài gói libreoffice-writer-nogui.",
            ),
            Unavailable(_) => Text::new(
                "The service cannot reach its database right now; retry shortly.",
                "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; hãy thử lại sau ít phút.",
            ),
            Internal(_) => Text::new(
                "Something went wrong on the server. Quote the request id when reporting it.",
                "Máy chủ gặp lỗi. Hãy cung cấp mã yêu cầu (request id) khi báo lỗi.",
            ),
            CursorAhead { server } => Text::new(
                format!("This cursor is beyond the server's change log (now at {server}): the device or the server was restored from a backup. Drop the stored cursor and pull from scratch (no cursor); keep unsent local changes and push them again."),
                format!("Vị trí đồng bộ này vượt quá nhật ký thay đổi của máy chủ (hiện ở {server}): thiết bị hoặc máy chủ đã được khôi phục từ bản sao lưu. Hãy xóa vị trí đã lưu và tải lại toàn bộ (không gửi cursor); giữ các thay đổi chưa gửi và gửi lại."),
            ),
            RequestTimeout => Text::new(
                "The request body stopped arriving; nothing was saved. Send the request again (a resumable upload continues from the offset HEAD reports).",
                "Dữ liệu gửi lên bị ngừng giữa chừng; chưa có gì được lưu. Hãy gửi lại yêu cầu (tải lên có thể tiếp tục từ vị trí HEAD báo).",
            ),
        }
    }
}

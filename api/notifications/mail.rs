//! One notification as an e-mail, and when to try again after a failure. Plain functions: no
//! database, no network (the outbox, `outbox.rs`, does those).

use std::time::Duration;

use chrono::NaiveDateTime;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, SinglePart};
use lettre::Message;

/// What a mail is made of: the notification and the person it is for.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub notification_id: String,
    pub full_name: String,
    pub email: String,
    pub title: String,
    pub body: String,
    /// A path of the web app (`/thong-bao`, `/phieu/{id}`).
    pub link: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address {0}: {1}")]
    Address(String, lettre::address::AddressError),
    #[error("message: {0}")]
    Build(#[from] lettre::error::Error),
}

/// The link people click: the web app's public address and the notification's path.
pub fn absolute_link(public_url: &str, path: &str) -> String {
    let base = public_url.trim_end_matches('/');
    if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// The plain-text body, in Vietnamese. `sent_at` is already local text (dd/mm/yyyy HH:MM).
pub fn text(m: &Outgoing, link: &str, sent_at: &str) -> String {
    format!(
        "Kính gửi {name},\n\n{title}\n\n{body}\n\nXem chi tiết: {link}\n\n\
         --\nThông báo lúc {sent_at}. Thư được gửi tự động từ hệ thống kiểm tra công tác dân vận; \
         anh/chị cũng xem được thông báo này ở mục «Thông báo» của ứng dụng. \
         Xin đừng trả lời thư này.\n",
        name = m.full_name,
        title = m.title,
        body = m.body,
    )
}

/// The message: subject the notification's title (lettre writes it RFC 2047 encoded), a UTF-8
/// plain-text body in base64 (any relay carries it, 8BITMIME or not), and a Message-ID made
/// from the notification's id, so the rare second copy after a crash is one mail clients
/// recognise as the same.
pub fn message(from: &Mailbox, public_url: &str, m: &Outgoing) -> Result<Message, MailError> {
    let address = m
        .email
        .parse()
        .map_err(|e| MailError::Address(m.email.clone(), e))?;
    let to = Mailbox::new(Some(m.full_name.clone()), address);
    let link = absolute_link(public_url, &m.link);
    let sent_at = crate::time::local(m.created_at)
        .format("%d/%m/%Y %H:%M")
        .to_string();
    let part = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .header(lettre::message::header::ContentTransferEncoding::Base64)
        .body(text(m, &link, &sent_at));
    let id = format!(
        "<{}.notification@{}>",
        m.notification_id,
        from.email.domain()
    );
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.title.clone())
        .message_id(Some(id))
        .singlepart(part)?)
}

/// How long to wait after `failures` failed tries (1 for the first): `base`, doubled each time,
/// never more than `max`; `None` once `max_attempts` tries have failed (given up).
pub fn retry_after(failures: u32, base: u64, max: u64, max_attempts: u32) -> Option<Duration> {
    if failures >= max_attempts {
        return None;
    }
    let doublings = failures.saturating_sub(1).min(32);
    let secs = base.saturating_mul(1u64 << doublings).min(max.max(base));
    Some(Duration::from_secs(secs))
}

/// An error as the row keeps it: one line, at most 500 characters.
pub fn error_text(e: &str) -> String {
    let one_line = e.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing() -> Outgoing {
        Outgoing {
            notification_id: "0193a1b2-0000-7000-8000-000000000001".into(),
            full_name: "Nguyễn Văn A".into(),
            email: "a@nghean.gov.vn".into(),
            title: "Đôn đốc: UBND xã Nghi Lộc – Chưa bắt đầu".into(),
            body: "Đợt kiểm tra «Đợt 1»: đơn vị UBND xã Nghi Lộc – chưa bắt đầu.".into(),
            link: "/thong-bao".into(),
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
                .unwrap()
                .and_hms_opt(1, 30, 0)
                .unwrap(),
        }
    }

    #[test]
    fn links_are_absolute_whatever_the_slashes() {
        assert_eq!(
            absolute_link("https://kt.vn/", "/phieu/1"),
            "https://kt.vn/phieu/1"
        );
        assert_eq!(
            absolute_link("https://kt.vn", "thong-bao"),
            "https://kt.vn/thong-bao"
        );
        assert_eq!(
            absolute_link("https://kt.vn/app", "/thong-bao"),
            "https://kt.vn/app/thong-bao"
        );
    }

    #[test]
    fn the_body_greets_tells_and_links() {
        let t = text(&outgoing(), "https://kt.vn/thong-bao", "02/12/2026 08:30");
        assert!(t.starts_with("Kính gửi Nguyễn Văn A,\n\nĐôn đốc: UBND xã Nghi Lộc"));
        assert!(t.contains("Xem chi tiết: https://kt.vn/thong-bao\n"));
        assert!(t.contains("Thông báo lúc 02/12/2026 08:30."));
    }

    #[test]
    fn the_message_has_an_encoded_subject_and_a_stable_id() {
        let from: Mailbox = "Kiểm tra dân vận <kiemtra@nghean.gov.vn>".parse().unwrap();
        let raw = message(&from, "https://kt.vn", &outgoing())
            .unwrap()
            .formatted();
        let raw = String::from_utf8(raw).unwrap();
        assert!(raw.is_ascii(), "every header and the body are 7-bit");
        assert!(raw.contains("Subject: =?utf-8?b?"), "{raw}");
        assert!(raw.contains(
            "Message-ID: <0193a1b2-0000-7000-8000-000000000001.notification@nghean.gov.vn>"
        ));
        assert!(raw.contains("To: =?utf-8?b?"), "the name is encoded: {raw}");
        assert!(raw.contains("<a@nghean.gov.vn>"));
        assert!(raw.contains("Content-Transfer-Encoding: base64"));
    }

    #[test]
    fn a_bad_address_is_an_error_not_a_panic() {
        let from: Mailbox = "kiemtra@nghean.gov.vn".parse().unwrap();
        let m = Outgoing {
            email: "not an address".into(),
            ..outgoing()
        };
        assert!(matches!(
            message(&from, "https://kt.vn", &m),
            Err(MailError::Address(..))
        ));
    }

    #[test]
    fn retries_back_off_doubling_to_a_cap_then_stop() {
        let s = |f| retry_after(f, 60, 3600, 5).map(|d| d.as_secs());
        assert_eq!(s(1), Some(60));
        assert_eq!(s(2), Some(120));
        assert_eq!(s(3), Some(240));
        assert_eq!(s(4), Some(480));
        assert_eq!(s(5), None, "five failed tries: given up");
        assert_eq!(retry_after(40, 60, 3600, 100).unwrap().as_secs(), 3600);
        assert_eq!(retry_after(0, 60, 3600, 5).unwrap().as_secs(), 60);
    }

    #[test]
    fn errors_are_kept_short_on_one_line() {
        assert_eq!(error_text("a\r\n  b"), "a b");
        assert_eq!(error_text(&"x".repeat(900)).len(), 500);
    }
}

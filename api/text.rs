//! Text helpers below every area: numbers as Vietnamese print writes them, and the ASCII
//! slugs of Vietnamese names that file names are made of (reports, the evidence archive).

use unicode_normalization::UnicodeNormalization;

/// A Vietnamese name as a file name every system keeps: lowercase ASCII words joined by `-`
/// ("Kiểm tra năm 2026" → "kiem-tra-nam-2026"), at most `max` characters, cut at a word.
pub fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            // Combining marks (the tones and hats NFD split off) vanish.
            c if !c.is_ascii() && unicode_normalization::char::is_combining_mark(c) => continue,
            _ => {
                dash = !out.is_empty();
                continue;
            }
        };
        if dash {
            out.push('-');
            dash = false;
        }
        out.push(c);
    }
    if out.len() > max {
        let cut = out[..=max].rfind('-').unwrap_or(max);
        out.truncate(cut);
    }
    out
}

/// A score as Vietnamese print writes it: decimal comma, at most two decimals.
pub fn score(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// A share as a percentage with one decimal, decimal comma.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0).replace('.', ",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_use_the_decimal_comma() {
        assert_eq!(super::score(86.5), "86,5");
        assert_eq!(super::score(90.0), "90");
        assert_eq!(super::score(56.67), "56,67");
        assert_eq!(super::percent(0.375), "37,5%");
    }

    #[test]
    fn slugs_drop_the_marks_and_keep_the_words() {
        assert_eq!(
            super::slug("Kiểm tra công tác dân vận chính quyền năm 2026", 80),
            "kiem-tra-cong-tac-dan-van-chinh-quyen-nam-2026"
        );
        assert_eq!(super::slug("Phường Vinh Hưng 1", 80), "phuong-vinh-hung-1");
        assert_eq!(
            super::slug("ĐOÀN số 2 / Sở Nội vụ", 80),
            "doan-so-2-so-noi-vu"
        );
        assert_eq!(super::slug("Xã Nghĩa Đàn", 12), "xa-nghia-dan");
        assert_eq!(super::slug("Xã Nghĩa Đàn", 10), "xa-nghia");
        assert_eq!(super::slug("  ", 10), "");
    }
}

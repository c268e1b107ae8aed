//! Vietnamese alphabetical order for the lists people read (report sections, unit lists):
//! a ă â b c d đ e ê … with tones second, and numbers by value ("Phường 3" before
//! "Phường 11"). Byte order put "Đô Lương" after "Yên Thành" and "Ân" after every plain letter.
//!
//! ICU4X's collator with its compiled CLDR data carries the Vietnamese tailoring; writing the
//! alphabet by hand would miss the secondary (tone) and tertiary (case) levels it gets right.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::preferences::CollationNumericOrdering;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use icu_locale_core::locale;

static VI: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    let mut prefs = CollatorPreferences::from(&locale!("vi"));
    prefs.numeric_ordering = Some(CollationNumericOrdering::True);
    match Collator::try_new(prefs, CollatorOptions::default()) {
        Ok(c) => Some(c),
        Err(e) => {
            // The data is compiled in, so this is a build defect; byte order still sorts.
            tracing::error!(error = %e, "Vietnamese collation unavailable; using byte order");
            None
        }
    }
});

/// Compares two texts as a Vietnamese reader orders them; equal under collation falls back
/// to byte order so the order is total and stable across runs.
pub fn cmp(a: &str, b: &str) -> Ordering {
    match VI.as_ref() {
        Some(c) => c.compare(a, b).then_with(|| a.cmp(b)),
        None => a.cmp(b),
    }
}

/// Sorts by a text key in Vietnamese order.
pub fn sort_by_text<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|x, y| cmp(key(x), key(y)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        sort_by_text(&mut v, |s| s);
        v
    }

    #[test]
    fn the_vietnamese_alphabet() {
        assert_eq!(
            sorted(vec![
                "Yên Thành",
                "Đô Lương",
                "Diễn Châu",
                "Anh Sơn",
                "Ân Phú",
                "Ăn"
            ]),
            vec![
                "Anh Sơn",
                "Ăn",
                "Ân Phú",
                "Diễn Châu",
                "Đô Lương",
                "Yên Thành"
            ]
        );
        assert_eq!(sorted(vec!["Ơn", "Ôn", "On"]), vec!["On", "Ôn", "Ơn"]);
        assert_eq!(sorted(vec!["Ưng", "Uy"]), vec!["Uy", "Ưng"]);
    }

    #[test]
    fn tones_come_after_letters() {
        // Letters decide first: "Lạc" < "Lam" although ạ carries a tone.
        assert_eq!(sorted(vec!["Lam", "Lạc"]), vec!["Lạc", "Lam"]);
        assert_eq!(sorted(vec!["Má", "Ma"]), vec!["Ma", "Má"]);
    }

    #[test]
    fn numbers_by_value() {
        assert_eq!(
            sorted(vec!["Phường 11", "Phường 3", "Phường 2"]),
            vec!["Phường 2", "Phường 3", "Phường 11"]
        );
    }

    #[test]
    fn precomposed_and_decomposed_agree_yet_stay_total() {
        let nfc = "Ngh\u{1ec7} An";
        let nfd = "Nghe\u{302}\u{323} An";
        assert_ne!(cmp(nfc, nfd), Ordering::Equal);
        assert_eq!(
            VI.as_ref().map(|c| c.compare(nfc, nfd)),
            Some(Ordering::Equal)
        );
    }
}

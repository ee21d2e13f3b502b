//! Dates in the Japanese calendar (和暦): `令和4年7月1日`.
//!
//! Eras change on the day the new era begins: 大正 1912-07-30, 昭和 1926-12-25,
//! 平成 1989-01-08, 令和 2019-05-01. The first year of an era is written 元年.

use crate::civil::ymd;
use jiff::civil::Date;

/// `(era name, first day)`, newest first.
const ERAS: [(&str, (i16, i8, i8)); 5] = [
    ("令和", (2019, 5, 1)),
    ("平成", (1989, 1, 8)),
    ("昭和", (1926, 12, 25)),
    ("大正", (1912, 7, 30)),
    ("明治", (1868, 1, 25)),
];

/// The era and the year within it (1 = 元年), or `None` before 明治.
pub fn era_year(d: Date) -> Option<(&'static str, i16)> {
    ERAS.iter()
        .find_map(|&(name, (y, m, day))| (d >= ymd(y, m, day)).then(|| (name, d.year() - y + 1)))
}

/// `d` in 和暦, e.g. `令和4年7月1日`, `令和元年5月1日`. Dates before 明治 fall back
/// to the Gregorian `2022年7月1日` form.
pub fn format_wareki(d: Date) -> String {
    Wareki(d).to_string()
}

/// A date that displays in 和暦 without allocating (for messages built with `write!`).
#[derive(Clone, Copy, Debug)]
pub struct Wareki(pub Date);

impl std::fmt::Display for Wareki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        match era_year(d) {
            Some((era, 1)) => write!(f, "{era}元年{}月{}日", d.month(), d.day()),
            Some((era, y)) => write!(f, "{era}{y}年{}月{}日", d.month(), d.day()),
            None => write!(f, "{}年{}月{}日", d.year(), d.month(), d.day()),
        }
    }
}

/// `d` as `2022-07-01（令和4年7月1日）`.
pub fn format_iso_and_wareki(d: Date) -> String {
    format!("{d}（{}）", format_wareki(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn era_boundaries() {
        assert_eq!(format_wareki(date(2022, 7, 1)), "令和4年7月1日");
        assert_eq!(format_wareki(date(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(format_wareki(date(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(format_wareki(date(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(format_wareki(date(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(format_wareki(date(1926, 12, 25)), "昭和元年12月25日");
        assert_eq!(format_wareki(date(1926, 12, 24)), "大正15年12月24日");
        assert_eq!(format_wareki(date(1912, 7, 29)), "明治45年7月29日");
        assert_eq!(
            format_iso_and_wareki(date(2023, 1, 31)),
            "2023-01-31（令和5年1月31日）"
        );
    }
}

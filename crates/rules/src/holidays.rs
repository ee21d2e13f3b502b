//! The days a labour bureau is closed (行政機関の休日に関する法律 1条・2条).
//!
//! A bureau is closed on Saturdays, Sundays, national holidays (国民の祝日に関する
//! 法律, including 振替休日 and 国民の休日) and from 12-29 to 01-03. A filing
//! deadline that falls on a closed day moves to the next open day (同法 2条).
//!
//! The national holidays are computed from the law, not looked up: fixed days,
//! the Happy Monday days (2000 and 2003 amendments), the equinox days (from the
//! standard approximation of the 国立天文台 announcement, valid 1900–2099), 振替休日
//! (3条2項; "the next Monday" from 1973-04-12, "the next non-holiday" from 2007),
//! 国民の休日 (3条3項, from 1985-12-27) and the special years: the 2019 accession
//! (即位の日, 即位礼正殿の儀) and the Olympic moves of 2020 and 2021. Holidays before
//! the law took effect (1948-07-20) are not modelled.

use crate::civil::{next_day, previous_day, ymd};
use jiff::civil::{Date, Weekday};

/// The name of the national holiday on `d` (国民の祝日 or 休日), if it is one.
pub fn national_holiday(d: Date) -> Option<&'static str> {
    if let Some(name) = statutory_holiday(d) {
        return Some(name);
    }
    if is_substitute_holiday(d) {
        return Some("休日（振替休日）");
    }
    if is_citizens_holiday(d) {
        return Some("休日（国民の休日）");
    }
    None
}

/// Why a labour bureau is closed on `d`, or `None` when it is open.
pub fn closure_reason(d: Date) -> Option<&'static str> {
    match d.weekday() {
        Weekday::Saturday => return Some("土曜日"),
        Weekday::Sunday => return Some("日曜日"),
        _ => {}
    }
    if let Some(name) = national_holiday(d) {
        return Some(name);
    }
    let (m, day) = (d.month(), d.day());
    if (m == 12 && day >= 29) || (m == 1 && day <= 3) {
        return Some("年末年始（12月29日〜1月3日）");
    }
    None
}

/// Whether a labour bureau is closed on `d` (行政機関の休日).
pub fn is_administrative_holiday(d: Date) -> bool {
    closure_reason(d).is_some()
}

/// The first day on or after `d` on which a labour bureau is open.
///
/// Terminates: at most 10 consecutive closed days occur in any year.
pub fn next_open_day(d: Date) -> Date {
    let mut day = d;
    while is_administrative_holiday(day) {
        day = next_day(day);
    }
    day
}

/// A day named as a 国民の祝日 in the law (art. 2), or a special holiday law.
fn statutory_holiday(d: Date) -> Option<&'static str> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if d < ymd(1948, 7, 20) {
        return None;
    }
    let is = |nth: i8, wd: Weekday| nth_weekday(y, m, nth, wd) == day;
    let name = match (m, day) {
        (1, 1) => "元日",
        (1, _) if y >= 2000 && is(2, Weekday::Monday) => "成人の日",
        (1, 15) if y < 2000 => "成人の日",
        (2, 11) if y >= 1967 => "建国記念の日",
        (2, 23) if y >= 2020 => "天皇誕生日",
        (2, 24) if y == 1989 => "昭和天皇の大喪の礼",
        (3, _) if day == vernal_equinox_day(y) => "春分の日",
        (4, 10) if y == 1959 => "皇太子明仁親王の結婚の儀",
        (4, 29) if y >= 2007 => "昭和の日",
        (4, 29) if y >= 1989 => "みどりの日",
        (4, 29) => "天皇誕生日",
        (5, 1) if y == 2019 => "天皇の即位の日",
        (5, 3) => "憲法記念日",
        (5, 4) if y >= 2007 => "みどりの日",
        (5, 5) => "こどもの日",
        (6, 9) if y == 1993 => "皇太子徳仁親王の結婚の儀",
        (7, 20) if (1996..=2002).contains(&y) => "海の日",
        (7, 23) if y == 2020 => "海の日",
        (7, 22) if y == 2021 => "海の日",
        (7, _) if y >= 2003 && y != 2020 && y != 2021 && is(3, Weekday::Monday) => "海の日",
        (7, 24) if y == 2020 => "スポーツの日",
        (7, 23) if y == 2021 => "スポーツの日",
        (8, 10) if y == 2020 => "山の日",
        (8, 8) if y == 2021 => "山の日",
        (8, 11) if y >= 2016 && y != 2020 && y != 2021 => "山の日",
        (9, 15) if (1966..=2002).contains(&y) => "敬老の日",
        (9, _) if y >= 2003 && is(3, Weekday::Monday) => "敬老の日",
        (9, _) if day == autumnal_equinox_day(y) => "秋分の日",
        (10, 10) if (1966..=1999).contains(&y) => "体育の日",
        (10, _) if (2000..=2019).contains(&y) && is(2, Weekday::Monday) => "体育の日",
        (10, _) if y >= 2022 && is(2, Weekday::Monday) => "スポーツの日",
        (10, 22) if y == 2019 => "即位礼正殿の儀",
        (11, 3) => "文化の日",
        (11, 12) if y == 1990 => "即位礼正殿の儀",
        (11, 23) => "勤労感謝の日",
        (12, 23) if (1989..=2018).contains(&y) => "天皇誕生日",
        _ => return None,
    };
    Some(name)
}

/// 振替休日 (art. 3(2)): from 2007, the first non-holiday after a holiday that
/// falls on a Sunday; from 1973-04-12 to 2006, the Monday after a Sunday holiday.
fn is_substitute_holiday(d: Date) -> bool {
    if d < ymd(1973, 4, 12) || statutory_holiday(d).is_some() {
        return false;
    }
    if d.year() < 2007 {
        let sunday = previous_day(d);
        return d.weekday() == Weekday::Monday && statutory_holiday(sunday).is_some();
    }
    // Walk back over the run of holidays that ends yesterday.
    let mut day = previous_day(d);
    while statutory_holiday(day).is_some() {
        if day.weekday() == Weekday::Sunday {
            return true;
        }
        day = previous_day(day);
    }
    false
}

/// 国民の休日 (art. 3(3), from 1985-12-27): a day that is not itself a 国民の祝日
/// but lies between two. Before 2007 a Sunday or a 振替休日 did not qualify.
fn is_citizens_holiday(d: Date) -> bool {
    if d < ymd(1985, 12, 27) || statutory_holiday(d).is_some() {
        return false;
    }
    if d.year() < 2007 && (d.weekday() == Weekday::Sunday || is_substitute_holiday(d)) {
        return false;
    }
    statutory_holiday(previous_day(d)).is_some() && statutory_holiday(next_day(d)).is_some()
}

/// The day of the month of the `nth` `weekday` of month `m` of year `y`.
fn nth_weekday(y: i16, m: i8, nth: i8, weekday: Weekday) -> i8 {
    let first = ymd(y, m, 1).weekday();
    let offset = (weekday.to_monday_zero_offset() - first.to_monday_zero_offset()).rem_euclid(7);
    1 + offset + 7 * (nth - 1)
}

/// 春分日 (day of March).
///
/// The standard approximation `floor(C + 0.242194 (Y − 1980) − floor((Y − Y0) / 4))`
/// in exact integer arithmetic, with the constants for 1900–1979, 1980–2099 and
/// 2100–2150. It matches every day the 国立天文台 has announced.
pub fn vernal_equinox_day(year: i16) -> i8 {
    equinox_day(year, [20_835_700, 20_843_100, 21_851_000])
}

/// 秋分日 (day of September); see [`vernal_equinox_day`].
pub fn autumnal_equinox_day(year: i16) -> i8 {
    equinox_day(year, [23_258_800, 23_248_800, 24_248_800])
}

fn equinox_day(year: i16, constants_micro: [i64; 3]) -> i8 {
    let y = i64::from(year);
    let (c, leap_base) = match y {
        ..=1979 => (constants_micro[0], 1983),
        1980..=2099 => (constants_micro[1], 1980),
        _ => (constants_micro[2], 1980),
    };
    let value = (c + 242_194 * (y - 1980)).div_euclid(1_000_000);
    (value - (y - leap_base).div_euclid(4)) as i8
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn equinoxes_as_announced() {
        let vernal = [
            (2019, 21),
            (2020, 20),
            (2021, 20),
            (2022, 21),
            (2023, 21),
            (2024, 20),
            (2025, 20),
            (2026, 20),
            (2027, 21),
            (2030, 20),
        ];
        for (y, d) in vernal {
            assert_eq!(vernal_equinox_day(y), d, "春分 {y}");
        }
        let autumnal = [
            (2019, 23),
            (2020, 22),
            (2021, 23),
            (2022, 23),
            (2023, 23),
            (2024, 22),
            (2025, 23),
            (2026, 23),
            (2027, 23),
            (2030, 23),
        ];
        for (y, d) in autumnal {
            assert_eq!(autumnal_equinox_day(y), d, "秋分 {y}");
        }
    }

    #[test]
    fn deadline_moves() {
        // Saturday 2023-09-30 -> Monday 2023-10-02.
        assert_eq!(next_open_day(date(2023, 9, 30)), date(2023, 10, 2));
        // New-year closure and 成人の日: 2022-12-31 -> 2023-01-04 (Wed).
        assert_eq!(next_open_day(date(2022, 12, 31)), date(2023, 1, 4));
        // Golden week 2023: 5/3–5/5 holidays, 5/6–7 weekend.
        assert_eq!(next_open_day(date(2023, 5, 3)), date(2023, 5, 8));
        // An open day stays.
        assert_eq!(next_open_day(date(2023, 1, 31)), date(2023, 1, 31));
    }
}

//! Civil-date arithmetic as the Civil Code counts it (民法 140–143).
//!
//! Every period in the seeds is written "X から起算して N か月": the day X itself
//! is day 1 of the period. [`period_end`] is the one function that turns such a
//! sentence into a last day; everything else in the engine builds on it.
//!
//! All functions here are pure and total for dates whose year lies in
//! [`MIN_YEAR`]..=[`MAX_YEAR`]; the case parser refuses dates outside that range,
//! so the engine never reaches jiff's limits.

use jiff::civil::Date;
use serde::Serialize;

/// The earliest year a case may mention.
pub const MIN_YEAR: i16 = 1900;
/// The latest year a case may mention.
pub const MAX_YEAR: i16 = 2099;

/// A closed range of civil dates, `from ..= to`.
///
/// Invariant: `from <= to`. Both ends belong to the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    from: Date,
    to: Date,
}

impl Period {
    /// A period from `from` to `to`, both included. `None` when `to < from`.
    pub fn new(from: Date, to: Date) -> Option<Period> {
        (from <= to).then_some(Period { from, to })
    }

    /// The period that starts on `start` and lasts `months` months (民法 143条).
    ///
    /// `months` must be at least 1.
    pub fn of_months(start: Date, months: u32) -> Period {
        Period {
            from: start,
            to: period_end(start, months),
        }
    }

    /// The first day.
    pub fn from(&self) -> Date {
        self.from
    }

    /// The last day.
    pub fn to(&self) -> Date {
        self.to
    }

    /// Whether `d` lies in the period (both ends included).
    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }

    /// Whether `other` lies wholly inside this period.
    pub fn covers(&self, other: &Period) -> bool {
        self.from <= other.from && other.to <= self.to
    }

    /// The number of days in the period, both ends counted (always ≥ 1).
    pub fn days(&self) -> u32 {
        (day_number(self.to) - day_number(self.from) + 1) as u32
    }
}

/// Last day of the period of `months` months that starts on `start` (民法 143条).
///
/// Take the month `months` after `start`'s month. If it has `start`'s day of the
/// month (the 応当日), the period ends the day before it (143条2項 本文); if it has
/// no such day, the period ends on that month's last day (143条2項 ただし書).
///
/// ```
/// use jiff::civil::date;
/// use josei_rules::civil::period_end;
/// assert_eq!(period_end(date(2022, 8, 1), 3), date(2022, 10, 31));
/// assert_eq!(period_end(date(2022, 8, 31), 6), date(2023, 2, 28)); // not Feb 27
/// assert_eq!(period_end(date(2022, 11, 28), 3), date(2023, 2, 27));
/// assert_eq!(period_end(date(2023, 11, 30), 3), date(2024, 2, 29));
/// ```
///
/// `months` must be at least 1 (a period of 0 months has no last day).
pub fn period_end(start: Date, months: u32) -> Date {
    debug_assert!(months >= 1, "a period lasts at least one month");
    let (year, month) = add_months(start.year(), start.month(), months);
    let last = days_in_month(year, month);
    if start.day() <= last {
        // The 応当日 exists: the period ends the day before it.
        ymd(year, month, start.day()).yesterday().unwrap_or(start)
    } else {
        ymd(year, month, last)
    }
}

/// The start of a window of `months` months that ends the day before `d`: the
/// day in the month `months` before `d`'s month with `d`'s day number, or that
/// month's last day when it has no such day (regimes.md §3, R7 measures window
/// `[M, S−1]`: 2025-05-31 → 2025-02-28).
///
/// ```
/// use jiff::civil::date;
/// use josei_rules::civil::months_before_clamped;
/// assert_eq!(months_before_clamped(date(2025, 7, 1), 3), date(2025, 4, 1));
/// assert_eq!(months_before_clamped(date(2025, 5, 31), 3), date(2025, 2, 28));
/// ```
pub fn months_before_clamped(d: Date, months: u32) -> Date {
    let total = i64::from(d.year()) * 12 + i64::from(d.month()) - 1 - i64::from(months);
    let (year, month) = (
        total.div_euclid(12) as i16,
        (total.rem_euclid(12) + 1) as i8,
    );
    ymd(year, month, d.day().min(days_in_month(year, month)))
}

/// The day after `d`.
pub fn next_day(d: Date) -> Date {
    d.tomorrow().unwrap_or(d)
}

/// The day before `d`.
pub fn previous_day(d: Date) -> Date {
    d.yesterday().unwrap_or(d)
}

/// The first day of `d`'s month.
pub fn first_of_month(d: Date) -> Date {
    d.first_of_month()
}

/// The first day of the month `months` after `d`'s month (negative: before).
pub fn first_of_month_offset(d: Date, months: i32) -> Date {
    let total = i32::from(d.year()) * 12 + i32::from(d.month()) - 1 + months;
    let year = total.div_euclid(12) as i16;
    let month = (total.rem_euclid(12) + 1) as i8;
    ymd(year, month, 1)
}

/// A day number: days since 1970-01-01 (negative before). Consecutive dates
/// have consecutive numbers, so differences are day counts.
pub fn day_number(d: Date) -> i32 {
    // Howard Hinnant's days_from_civil, in integers only.
    let y = i32::from(d.year()) - i32::from(d.month() <= 2);
    let m = i32::from(d.month());
    let day = i32::from(d.day());
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The number of days in `month` of `year` (Gregorian).
pub fn days_in_month(year: i16, month: i8) -> i8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap_year(year) => 29,
        _ => 28,
    }
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i16) -> bool {
    let y = i32::from(year);
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Parses `YYYY-MM-DD` strictly: four-digit year, two-digit month and day, a
/// real calendar date, year within [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn parse_iso_date(s: &str) -> Result<Date, DateError> {
    let b = s.as_bytes();
    let well_formed = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !well_formed {
        return Err(DateError::Format);
    }
    let num = |r: std::ops::Range<usize>| -> i16 {
        b[r].iter()
            .fold(0i16, |acc, c| acc * 10 + i16::from(c - b'0'))
    };
    let (year, month, day) = (num(0..4), num(5..7) as i8, num(8..10) as i8);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(DateError::NoSuchDay);
    }
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DateError::OutOfRange);
    }
    Ok(ymd(year, month, day))
}

/// Why a string is not a date the engine accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    Format,
    /// Well formed, but no such day (`2023-02-29`, `2022-13-01`).
    NoSuchDay,
    /// A real day, but outside the years the engine supports.
    OutOfRange,
}

/// `(year, month)` plus `months` months.
fn add_months(year: i16, month: i8, months: u32) -> (i16, i8) {
    let total = i64::from(year) * 12 + i64::from(month) - 1 + i64::from(months);
    ((total / 12) as i16, (total % 12 + 1) as i8)
}

/// A date from parts already known to be valid.
///
/// Every caller passes a month in 1..=12 and a day within the month, and years
/// stay far inside jiff's range (−9999..=9999) because case dates are limited to
/// [`MIN_YEAR`]..=[`MAX_YEAR`]; the fallback is never reached.
pub(crate) fn ymd(year: i16, month: i8, day: i8) -> Date {
    Date::new(year, month, day).unwrap_or(Date::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn spec_examples() {
        assert_eq!(period_end(date(2022, 8, 1), 3), date(2022, 10, 31));
        assert_eq!(period_end(date(2022, 8, 31), 6), date(2023, 2, 28));
        assert_eq!(period_end(date(2022, 11, 28), 3), date(2023, 2, 27));
        assert_eq!(period_end(date(2023, 11, 30), 3), date(2024, 2, 29));
    }

    #[test]
    fn seed_schedule_of_case_01() {
        // 計画認定日 2022-07-01: window of 6 months, deadline of 7 months.
        assert_eq!(period_end(date(2022, 7, 1), 6), date(2022, 12, 31));
        assert_eq!(period_end(date(2022, 7, 1), 7), date(2023, 1, 31));
        // 12 months from the first day of evaluation period 1.
        assert_eq!(period_end(date(2022, 8, 1), 12), date(2023, 7, 31));
    }

    #[test]
    fn month_end_starts() {
        // Jan 31 + 1 month: February has no 31st.
        assert_eq!(period_end(date(2023, 1, 31), 1), date(2023, 2, 28));
        assert_eq!(period_end(date(2024, 1, 31), 1), date(2024, 2, 29));
        assert_eq!(period_end(date(2024, 1, 30), 1), date(2024, 2, 29));
        assert_eq!(period_end(date(2024, 1, 29), 1), date(2024, 2, 28));
        // Feb 29 + 12 months: 2025 has no Feb 29.
        assert_eq!(period_end(date(2024, 2, 29), 12), date(2025, 2, 28));
        // Feb 28 + 1: March 28 exists.
        assert_eq!(period_end(date(2023, 2, 28), 1), date(2023, 3, 27));
        // Across a year end.
        assert_eq!(period_end(date(2022, 12, 31), 3), date(2023, 3, 30));
        assert_eq!(period_end(date(2022, 11, 30), 3), date(2023, 2, 28));
        assert_eq!(period_end(date(2022, 10, 31), 4), date(2023, 2, 28));
        // 31st into a 30-day month.
        assert_eq!(period_end(date(2022, 5, 31), 1), date(2022, 6, 30));
        assert_eq!(period_end(date(2022, 3, 31), 6), date(2022, 9, 30));
    }

    #[test]
    fn first_of_month_offsets() {
        assert_eq!(
            first_of_month_offset(date(2022, 6, 15), -12),
            date(2021, 6, 1)
        );
        assert_eq!(
            first_of_month_offset(date(2022, 1, 15), -1),
            date(2021, 12, 1)
        );
        assert_eq!(
            first_of_month_offset(date(2022, 12, 31), 1),
            date(2023, 1, 1)
        );
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(1970, 1, 2)), 1);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
        assert_eq!(
            day_number(date(2000, 3, 1)) - day_number(date(2000, 2, 28)),
            2
        );
        let p = Period::new(date(2022, 8, 1), date(2022, 10, 31)).unwrap();
        assert_eq!(p.days(), 92);
    }

    #[test]
    fn iso_parsing() {
        assert_eq!(parse_iso_date("2024-02-29"), Ok(date(2024, 2, 29)));
        assert_eq!(parse_iso_date("2023-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(parse_iso_date("2023-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(parse_iso_date("2023-00-10"), Err(DateError::NoSuchDay));
        assert_eq!(parse_iso_date("2023-1-10"), Err(DateError::Format));
        assert_eq!(parse_iso_date("2023/01/10"), Err(DateError::Format));
        assert_eq!(parse_iso_date("２０２３-01-10"), Err(DateError::Format));
        assert_eq!(parse_iso_date("1899-12-31"), Err(DateError::OutOfRange));
        assert_eq!(parse_iso_date("2100-01-01"), Err(DateError::OutOfRange));
    }
}

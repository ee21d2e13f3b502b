//! The holiday calendar against the published national holidays (内閣府
//! 「国民の祝日について」) for 2019–2027, and period arithmetic against an
//! independent oracle.

use jiff::civil::{date, Date};
use jiff::ToSpan;
use josei_rules::civil::{day_number, next_day, parse_iso_date, period_end, Period};
use josei_rules::holidays::{is_administrative_holiday, national_holiday, next_open_day};
use proptest::prelude::*;

/// Every national holiday (祝日, 振替休日, 国民の休日) as published.
const PUBLISHED: &[(i16, &[&str])] = &[
    (
        2019,
        &[
            "01-01", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03",
            "05-04", "05-05", "05-06", "07-15", "08-11", "08-12", "09-16", "09-23", "10-14",
            "10-22", "11-03", "11-04", "11-23",
        ],
    ),
    (
        2020,
        &[
            "01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04",
            "05-05", "05-06", "07-23", "07-24", "08-10", "09-21", "09-22", "11-03", "11-23",
        ],
    ),
    (
        2021,
        &[
            "01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05",
            "07-22", "07-23", "08-08", "08-09", "09-20", "09-23", "11-03", "11-23",
        ],
    ),
    (
        2022,
        &[
            "01-01", "01-10", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05",
            "07-18", "08-11", "09-19", "09-23", "10-10", "11-03", "11-23",
        ],
    ),
    (
        2023,
        &[
            "01-01", "01-02", "01-09", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04",
            "05-05", "07-17", "08-11", "09-18", "09-23", "10-09", "11-03", "11-23",
        ],
    ),
    (
        2024,
        &[
            "01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "05-03", "05-04",
            "05-05", "05-06", "07-15", "08-11", "08-12", "09-16", "09-22", "09-23", "10-14",
            "11-03", "11-04", "11-23",
        ],
    ),
    (
        2025,
        &[
            "01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04",
            "05-05", "05-06", "07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23",
            "11-24",
        ],
    ),
    (
        2026,
        &[
            "01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05",
            "05-06", "07-20", "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23",
        ],
    ),
    (
        2027,
        &[
            "01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04",
            "05-05", "07-19", "08-11", "09-20", "09-23", "10-11", "11-03", "11-23",
        ],
    ),
];

#[test]
fn national_holidays_match_the_published_calendar() {
    for (year, days) in PUBLISHED {
        let mut computed = Vec::new();
        let mut d = date(*year, 1, 1);
        while d.year() == *year {
            if national_holiday(d).is_some() {
                computed.push(format!("{:02}-{:02}", d.month(), d.day()));
            }
            d = next_day(d);
        }
        assert_eq!(computed, *days, "national holidays of {year}");
    }
}

#[test]
fn holiday_names() {
    assert_eq!(national_holiday(date(2019, 5, 1)), Some("天皇の即位の日"));
    assert_eq!(
        national_holiday(date(2019, 4, 30)),
        Some("休日（国民の休日）")
    );
    assert_eq!(
        national_holiday(date(2026, 9, 22)),
        Some("休日（国民の休日）")
    );
    assert_eq!(
        national_holiday(date(2024, 9, 23)),
        Some("休日（振替休日）")
    );
    assert_eq!(national_holiday(date(2021, 7, 23)), Some("スポーツの日"));
    assert_eq!(national_holiday(date(2018, 12, 23)), Some("天皇誕生日"));
    assert_eq!(national_holiday(date(2019, 12, 23)), None);
    assert_eq!(
        national_holiday(date(2021, 10, 11)),
        None,
        "スポーツの日 moved to July in 2021"
    );
}

#[test]
fn administrative_closures() {
    for d in [
        "2022-12-29",
        "2022-12-30",
        "2022-12-31",
        "2023-01-01",
        "2023-01-02",
        "2023-01-03",
    ] {
        assert!(is_administrative_holiday(parse_iso_date(d).unwrap()), "{d}");
    }
    assert!(!is_administrative_holiday(date(2022, 12, 28)));
    assert!(!is_administrative_holiday(date(2023, 1, 4)));
    assert!(is_administrative_holiday(date(2023, 1, 7)), "Saturday");
}

/// Independent oracle: jiff's month arithmetic clamps to the month's last day;
/// the Civil Code then ends the period the day before the 応当日, or on the
/// clamped last day when there is no 応当日.
fn oracle_period_end(start: Date, months: i32) -> Date {
    let same_day = start.checked_add(months.months()).unwrap();
    if same_day.day() == start.day() {
        same_day.yesterday().unwrap()
    } else {
        same_day
    }
}

#[test]
fn every_month_end_combination() {
    // Every start day from 2019 to 2030, every length the rules use and more.
    let mut d = date(2019, 1, 1);
    while d.year() <= 2030 {
        for months in 1..=25 {
            assert_eq!(
                period_end(d, months),
                oracle_period_end(d, months as i32),
                "{d} + {months}"
            );
        }
        d = next_day(d);
    }
}

fn any_date() -> impl Strategy<Value = Date> {
    (1900i16..=2090, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
        let last = date(y, m, 1).days_in_month();
        date(y, m, d.min(last))
    })
}

proptest! {
    #[test]
    fn period_end_matches_oracle(start in any_date(), months in 1u32..=60) {
        prop_assert_eq!(period_end(start, months), oracle_period_end(start, months as i32));
    }

    #[test]
    fn period_end_is_monotone(start in any_date(), months in 1u32..=59) {
        let a = period_end(start, months);
        let b = period_end(start, months + 1);
        prop_assert!(start <= a && a < b);
        // One more month adds 28 to 31 days.
        let extra = day_number(b) - day_number(a);
        prop_assert!((28..=31).contains(&extra), "{} -> {}: {}", a, b, extra);
    }

    /// Periods laid end to end, each starting the day after the last ended,
    /// cover every day of their span exactly once.
    #[test]
    fn consecutive_periods_tile(start in any_date(), lengths in proptest::collection::vec(1u32..=12, 1..6)) {
        let mut periods = Vec::new();
        let mut from = start;
        for months in lengths {
            let p = Period::of_months(from, months);
            from = next_day(p.to());
            periods.push(p);
        }
        let span_days = (day_number(periods.last().unwrap().to()) - day_number(start) + 1) as u32;
        prop_assert_eq!(periods.iter().map(|p| p.days()).sum::<u32>(), span_days);
        for pair in periods.windows(2) {
            prop_assert_eq!(next_day(pair[0].to()), pair[1].from());
        }
        let mut d = start;
        while d <= periods.last().unwrap().to() {
            prop_assert_eq!(periods.iter().filter(|p| p.contains(d)).count(), 1);
            d = next_day(d);
        }
    }

    #[test]
    fn next_open_day_is_the_first_open_day(d in any_date()) {
        let open = next_open_day(d);
        prop_assert!(open >= d && !is_administrative_holiday(open));
        prop_assert!(day_number(open) - day_number(d) <= 10);
        let mut x = d;
        while x < open {
            prop_assert!(is_administrative_holiday(x));
            x = next_day(x);
        }
    }
}

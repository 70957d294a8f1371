//! Calendar dates and day-count durations: the `date` and `duration` values of the language.
//!
//! Dates are proleptic Gregorian days since 1970-01-01, so arithmetic is integer arithmetic.

use std::fmt;

/// A calendar date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// Smallest year a date may have (keeps arithmetic far from overflow).
const MIN_YEAR: i64 = -9999;
/// Largest year a date may have.
const MAX_YEAR: i64 = 9999;

impl Date {
    /// The date `days` after 1970-01-01, if within years -9999..=9999.
    pub fn from_days(days: i64) -> Option<Date> {
        let date = Date(i32::try_from(days).ok()?);
        (MIN_YEAR..=MAX_YEAR)
            .contains(&date.ymd().0)
            .then_some(date)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        i64::from(self.0)
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible months and days.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Date::from_days(days_from_civil(year, month, day))
    }

    /// The date of the system clock, in UTC.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64);
        Date::from_days(seconds.div_euclid(86_400)).unwrap_or(Date(0))
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(i64::from(self.0))
    }

    /// This date moved by `days` (negative moves back), if still in range.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days(i64::from(self.0).checked_add(days)?)
    }
}

impl Date {
    /// Appends the date as `Display` writes it (`YYYY-MM-DD`), without the formatting
    /// machinery for the years 0–9999.
    pub fn write_iso(self, out: &mut String) {
        let (year, month, day) = self.ymd();
        if !(0..=9999).contains(&year) {
            use std::fmt::Write;
            let _ = write!(out, "{self}");
            return;
        }
        let digit = |value: i64, unit: i64| b'0' + (value / unit % 10) as u8;
        let iso = [
            digit(year, 1000),
            digit(year, 100),
            digit(year, 10),
            digit(year, 1),
            b'-',
            digit(month, 10),
            digit(month, 1),
            b'-',
            digit(day, 10),
            digit(day, 1),
        ];
        // Digits and dashes only: always UTF-8.
        out.push_str(std::str::from_utf8(&iso).unwrap_or_default());
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date of a day count (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_round_trip() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2026-11-10",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(Date::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn write_iso_writes_what_display_does_in_every_year() {
        let first = Date::from_days(-4_371_587).expect("in range");
        let last = Date::from_days(2_932_896).expect("in range");
        assert_eq!(first.ymd(), (-9999, 1, 1));
        assert_eq!(last.ymd(), (9999, 12, 31));
        for days in (first.days()..=last.days()).step_by(97) {
            let date = Date::from_days(days).expect("in range");
            let mut text = String::from("at ");
            date.write_iso(&mut text);
            assert_eq!(text, format!("at {date}"));
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        for text in [
            "2026-13-01",
            "2026-02-29",
            "2026-04-31",
            "2026-00-10",
            "2026-1-10",
            "20261110xx",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }

    #[test]
    fn counts_days_between_dates() {
        let a = Date::parse("2026-09-30").unwrap();
        let b = Date::parse("2026-11-10").unwrap();
        assert_eq!(b.days() - a.days(), 41);
        assert_eq!(a.add_days(41), Some(b));
    }
}

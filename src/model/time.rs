//! Timestamps: milliseconds since the Unix epoch, written as ISO 8601 UTC with milliseconds and
//! `Z` (`2026-11-25T02:09:16.873Z`, what JS `Date.prototype.toISOString` prints), and parsed back;
//! HTTP dates (`retry-after`) read with the `httpdate` crate.

use std::time::UNIX_EPOCH;

use crate::error::InputError;

/// A point in time, whole milliseconds since 1970-01-01T00:00:00Z, within years 0000–9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(i64);

/// Length of a formatted timestamp.
pub const TIMESTAMP_LEN: usize = 24;

const MS_PER_DAY: i64 = 86_400_000;

/// "00" to "99", two bytes each.
const TWO_DIGITS: [u8; 200] = {
    let mut table = [0u8; 200];
    let mut n = 0;
    while n < 100 {
        table[2 * n] = b'0' + (n / 10) as u8;
        table[2 * n + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    table
};
/// 0000-01-01T00:00:00.000Z
const MIN_MS: i64 = -62_167_219_200_000;
/// 9999-12-31T23:59:59.999Z
const MAX_MS: i64 = 253_402_300_799_999;

impl Timestamp {
    /// A timestamp from milliseconds since the epoch (fractions are dropped).
    pub fn from_millis(ms: f64) -> Result<Self, InputError> {
        if !ms.is_finite() || ms < MIN_MS as f64 || ms > MAX_MS as f64 {
            return Err(InputError::BadTime);
        }
        Ok(Timestamp(ms.floor() as i64))
    }

    /// Milliseconds since the epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// The later of two timestamps (used to keep an end from preceding its start).
    pub fn at_least(self, other: Timestamp) -> Timestamp {
        self.max(other)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS.sssZ`, the form `to_iso` writes.
    pub fn parse_iso(text: &str) -> Result<Self, InputError> {
        let b = text.as_bytes();
        let shape_ok = b.len() == TIMESTAMP_LEN
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && b[19] == b'.'
            && b[23] == b'Z';
        if !shape_ok {
            return Err(InputError::BadTime);
        }
        let num = |from: usize, to: usize| digits(&b[from..to]);
        let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
        let (hour, minute, second, milli) =
            (num(11, 13)?, num(14, 16)?, num(17, 19)?, num(20, 23)?);
        civil_to_millis(year, month, day, hour, minute, second, milli)
    }

    /// Parses an HTTP date (RFC 9110, section 5.6.7) in any of the three forms a recipient must
    /// accept: IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37
    /// GMT` and asctime `Sun Nov  6 08:49:37 1994`, with the `httpdate` crate. Years 1970–9999;
    /// a weekday that does not match the date is refused; an RFC 850 two-digit year below 70 is
    /// 20yy, else 19yy.
    pub fn parse_http_date(text: &str) -> Result<Self, InputError> {
        let date = httpdate::parse_http_date(text).map_err(|_| InputError::BadTime)?;
        // Counted from the epoch, never from the clock: `SystemTime::now()` panics on
        // wasm32-unknown-unknown. HTTP dates are whole seconds.
        let since_epoch = date
            .duration_since(UNIX_EPOCH)
            .map_err(|_| InputError::BadTime)?;
        Timestamp::from_millis(since_epoch.as_secs() as f64 * 1000.0)
    }

    /// Writes the timestamp as `YYYY-MM-DDTHH:MM:SS.sssZ`.
    pub fn to_iso(self) -> [u8; TIMESTAMP_LEN] {
        let days = self.0.div_euclid(MS_PER_DAY);
        let ms_of_day = self.0.rem_euclid(MS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let mut out = *b"0000-00-00T00:00:00.000Z";
        let mut pair = |at: usize, value: i64| {
            let digits = &TWO_DIGITS[2 * value as usize..2 * value as usize + 2];
            out[at..at + 2].copy_from_slice(digits);
        };
        pair(0, year / 100);
        pair(2, year % 100);
        pair(5, month);
        pair(8, day);
        pair(11, ms_of_day / 3_600_000);
        pair(14, ms_of_day / 60_000 % 60);
        pair(17, ms_of_day / 1000 % 60);
        let millis = ms_of_day % 1000;
        pair(21, millis % 100);
        out[20] = b'0' + (millis / 100) as u8;
        out
    }
}

/// The value of ASCII digits.
fn digits(bytes: &[u8]) -> Result<i64, InputError> {
    bytes.iter().try_fold(0i64, |acc, &c| {
        if c.is_ascii_digit() {
            Ok(acc * 10 + i64::from(c - b'0'))
        } else {
            Err(InputError::BadTime)
        }
    })
}

/// A checked civil date and time to a timestamp.
fn civil_to_millis(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
) -> Result<Timestamp, InputError> {
    let valid = (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && hour < 24
        && minute < 60
        && second < 60;
    if !valid {
        return Err(InputError::BadTime);
    }
    let days = days_from_civil(year, month, day);
    Ok(Timestamp(
        days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + milli,
    ))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 to (year, month, day); Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) to days since 1970-01-01; Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(ms: f64) -> String {
        String::from_utf8(Timestamp::from_millis(ms).unwrap().to_iso().to_vec()).unwrap()
    }

    #[test]
    fn formats_like_to_iso_string() {
        assert_eq!(iso(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(1_795_918_156_873.0), "2026-11-29T02:09:16.873Z");
        assert_eq!(iso(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso(-1.0), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso(1.9), "1970-01-01T00:00:00.001Z");
        assert_eq!(iso(MAX_MS as f64), "9999-12-31T23:59:59.999Z");
        assert_eq!(iso(MIN_MS as f64), "0000-01-01T00:00:00.000Z");
    }

    #[test]
    fn rejects_times_js_cannot_print_in_this_form() {
        for bad in [
            f64::NAN,
            f64::INFINITY,
            (MAX_MS + 1) as f64,
            (MIN_MS - 1) as f64,
        ] {
            assert_eq!(Timestamp::from_millis(bad), Err(InputError::BadTime));
        }
    }

    #[test]
    fn parse_round_trips_every_day_of_a_leap_cycle() {
        let mut ms = 946_684_800_123.0; // 2000-01-01T00:00:00.123Z
        for _ in 0..(366 * 4) {
            let text = iso(ms);
            let back = Timestamp::parse_iso(&text).unwrap();
            assert_eq!(back.millis() as f64, ms, "{text}");
            ms += 86_400_000.0 + 3_723_001.0;
        }
    }

    #[test]
    fn parse_rejects_malformed_text() {
        for bad in [
            "2026-02-30T00:00:00.000Z",
            "2026-11-25T24:00:00.000Z",
            "2026-11-25T02:09:16Z",
            "2026-11-25T02:09:16.873+00:00",
            "2026-13-01T00:00:00.000Z",
            "2026-1a-01T00:00:00.000Z",
            "",
        ] {
            assert_eq!(Timestamp::parse_iso(bad), Err(InputError::BadTime), "{bad}");
        }
    }

    #[test]
    fn parses_http_dates_in_the_three_forms_of_rfc_9110() {
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            let date = Timestamp::parse_http_date(form).unwrap();
            assert_eq!(date.millis(), 784_111_777_000, "{form}");
        }
        let two_digit_year = |text| Timestamp::parse_http_date(text).unwrap().millis();
        assert_eq!(
            two_digit_year("Wednesday, 25-Nov-26 02:09:16 GMT"),
            two_digit_year("Wed, 25 Nov 2026 02:09:16 GMT")
        );
        assert_eq!(
            two_digit_year("Tuesday, 01-Jan-69 00:00:00 GMT"),
            3_124_224_000_000
        );
        assert_eq!(two_digit_year("Thursday, 01-Jan-70 00:00:00 GMT"), 0);
        let last = Timestamp::parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT").unwrap();
        assert_eq!(last.millis(), MAX_MS - 999);
    }

    #[test]
    fn refuses_what_is_not_an_http_date() {
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "1994-11-06T08:49:37Z",
            "2026-11-25T02:09:16.873Z",
            "Sun, 06 Nov 1994 08:49:37 GMT\u{e9}",
            "whenever",
            "",
        ] {
            assert_eq!(
                Timestamp::parse_http_date(bad),
                Err(InputError::BadTime),
                "{bad}"
            );
        }
    }

    #[test]
    fn at_least_keeps_order() {
        let start = Timestamp::from_millis(10.0).unwrap();
        let early_end = Timestamp::from_millis(5.0).unwrap();
        assert_eq!(early_end.at_least(start), start);
    }
}

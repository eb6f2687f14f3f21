//! Due times: wall-clock times in an IANA zone, stored with the UTC instant they stand for.
//!
//! - A local time in a spring-forward gap is read with the offset in force before the gap, so
//!   it lands after the gap by the same distance (02:30 on a day that skips 02:00–03:00 is 03:30).
//! - An ambiguous local time (the hour repeated in autumn) takes the earlier instant.
//! - Moving by days (reschedule by N days, recurrence) adds days to the wall-clock time, then
//!   resolves again: 09:30 stays 09:30 across a DST change.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

use crate::error::{Error, FieldError, Result};

/// Wall-clock format of `due_local`.
pub(crate) const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Years a due date may have: beyond them nothing sensible is planned, and day arithmetic stays
/// far from chrono's limits.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The zone named `name` (IANA), or the system zone when `None` or empty.
pub(crate) fn zone(name: Option<&str>, field: &str) -> Result<Tz> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(system_zone()),
        Some(n) => {
            n.parse::<Tz>().map_err(|_| Error::Validation(vec![FieldError::new(field, "invalid").with_value(n)]))
        }
    }
}

/// The system's zone: `$TZ` when it names an IANA zone, else the OS setting, else UTC.
pub fn system_zone() -> Tz {
    if let Ok(tz) = std::env::var("TZ")
        && let Ok(z) = tz.trim_start_matches(':').parse::<Tz>()
    {
        return z;
    }
    iana_time_zone::get_timezone().ok().and_then(|n| n.parse::<Tz>().ok()).unwrap_or(Tz::UTC)
}

/// A due as typed: `2026-12-01` (all day) or `2026-12-01T09:30` (also with a space, or with
/// seconds, which are dropped). Returns the wall-clock time and whether it is all day.
pub(crate) fn parse_local(s: &str, field: &str) -> Result<(NaiveDateTime, bool)> {
    let t = s.trim();
    let bad = || Error::Validation(vec![FieldError::new(field, "invalid").with_value(t)]);
    let parsed = if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        (d.and_time(NaiveTime::MIN), true)
    } else {
        let dt = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
            .ok_or_else(bad)?;
        (dt.with_second(0).and_then(|d| d.with_nanosecond(0)).ok_or_else(bad)?, false)
    };
    if !YEARS.contains(&parsed.0.year()) {
        return Err(bad());
    }
    Ok(parsed)
}

/// The instant a wall-clock time in `tz` stands for (gap: after it; ambiguous: the earlier).
pub fn resolve(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
        LocalResult::None => {
            // The offset in force before the gap: the nearest earlier wall-clock time that exists.
            let before = (1..=48)
                .find_map(|h| match tz.from_local_datetime(&(local - Duration::hours(h))) {
                    LocalResult::Single(t) => Some(t.offset().fix()),
                    LocalResult::Ambiguous(a, _) => Some(a.offset().fix()),
                    LocalResult::None => None,
                })
                .unwrap_or_else(|| Utc.fix());
            DateTime::<Utc>::from_naive_utc_and_offset(
                local - Duration::seconds(i64::from(before.local_minus_utc())),
                Utc,
            )
        }
    }
}

/// The instant local midnight of `day` in `tz` stands for.
pub(crate) fn day_start(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    resolve(tz, day.and_time(NaiveTime::MIN))
}

/// `due_local` text of a wall-clock time.
pub(crate) fn local_text(t: NaiveDateTime) -> String {
    t.format(LOCAL_FORMAT).to_string()
}

/// Read back a stored `due_local`.
pub(crate) fn parse_stored(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, LOCAL_FORMAT).ok()
}

/// A relative reschedule: `+3`, `+3d`, `-1d` (days), else None.
pub(crate) fn parse_shift(s: &str) -> Option<i64> {
    let t = s.trim();
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits = rest.strip_suffix('d').or_else(|| rest.strip_suffix('D')).unwrap_or(rest);
    let n: i64 = digits.trim().parse().ok()?;
    (n <= 36_500).then_some(sign * n)
}

/// Add whole days to a wall-clock time (the time of day stays).
pub(crate) fn add_days(local: NaiveDateTime, days: i64, field: &str) -> Result<NaiveDateTime> {
    let moved = local.checked_add_signed(Duration::days(days)).filter(|t| YEARS.contains(&t.year()));
    moved.ok_or_else(|| Error::Validation(vec![FieldError::new(field, "invalid").with_value(days.to_string())]))
}

/// Boundaries of the Care view's groups, seen at `now` from zone `tz`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Buckets {
    pub now: DateTime<Utc>,
    /// Local midnight today.
    pub today: DateTime<Utc>,
    /// Local midnight tomorrow.
    pub tomorrow: DateTime<Utc>,
    /// Local midnight of next Monday (the end of this week).
    pub week_end: DateTime<Utc>,
}

impl Buckets {
    pub fn at(now: DateTime<Utc>, tz: Tz) -> Buckets {
        let today = now.with_timezone(&tz).date_naive();
        let tomorrow = today.succ_opt().unwrap_or(today);
        let to_monday = 7 - i64::from(today.weekday().num_days_from_monday());
        let monday = today.checked_add_signed(Duration::days(to_monday)).unwrap_or(tomorrow);
        Buckets { now, today: day_start(tz, today), tomorrow: day_start(tz, tomorrow), week_end: day_start(tz, monday) }
    }

    /// Planned and past due: before now, or for an all-day activity, before today.
    pub fn overdue(&self, due_at: DateTime<Utc>, all_day: bool) -> bool {
        due_at < if all_day { self.today } else { self.now }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, LOCAL_FORMAT).expect("test time")
    }

    #[test]
    fn gaps_move_forward_and_repeats_take_the_earlier() {
        let ny: Tz = "America/New_York".parse().expect("zone");
        // 2026-03-08: 02:00 EST → 03:00 EDT. 02:30 does not exist: read at -05:00, it is 03:30 EDT.
        assert_eq!(resolve(ny, at("2026-03-08T02:30")).to_rfc3339(), "2026-03-08T07:30:00+00:00");
        assert_eq!(resolve(ny, at("2026-03-08T09:30")).to_rfc3339(), "2026-03-08T13:30:00+00:00");
        // 2026-11-01: 01:30 happens twice; the first (EDT, -04:00) is taken.
        assert_eq!(resolve(ny, at("2026-11-01T01:30")).to_rfc3339(), "2026-11-01T05:30:00+00:00");
        let london: Tz = "Europe/London".parse().expect("zone");
        // 2026-03-29: 01:00 GMT → 02:00 BST.
        assert_eq!(resolve(london, at("2026-03-29T01:15")).to_rfc3339(), "2026-03-29T01:15:00+00:00");
        assert_eq!(resolve(london, at("2026-10-25T01:15")).to_rfc3339(), "2026-10-25T00:15:00+00:00");
    }

    #[test]
    fn due_text() {
        assert_eq!(parse_local("2026-12-01", "due").expect("date"), (at("2026-12-01T00:00"), true));
        assert_eq!(parse_local(" 2026-12-01 09:30:59 ", "due").expect("time"), (at("2026-12-01T09:30"), false));
        assert!(parse_local("2026-13-01", "due").is_err());
        assert!(parse_local("tomorrow", "due").is_err());
        assert!(parse_local("9999-01-01", "due").is_err());
        assert_eq!(parse_shift("+3d"), Some(3));
        assert_eq!(parse_shift("-1"), Some(-1));
        assert_eq!(parse_shift("2026-01-01"), None);
    }

    #[test]
    fn week_ends_on_sunday() {
        let hcm: Tz = "Asia/Ho_Chi_Minh".parse().expect("zone");
        // Wednesday 2026-12-02 10:00 in Ho Chi Minh City.
        let now = resolve(hcm, at("2026-12-02T10:00"));
        let b = Buckets::at(now, hcm);
        assert_eq!(b.today, resolve(hcm, at("2026-12-02T00:00")));
        assert_eq!(b.tomorrow, resolve(hcm, at("2026-12-03T00:00")));
        assert_eq!(b.week_end, resolve(hcm, at("2026-12-07T00:00")));
        assert!(b.overdue(resolve(hcm, at("2026-12-01T00:00")), true));
        assert!(!b.overdue(resolve(hcm, at("2026-12-02T00:00")), true));
        assert!(b.overdue(resolve(hcm, at("2026-12-02T09:59")), false));
    }
}

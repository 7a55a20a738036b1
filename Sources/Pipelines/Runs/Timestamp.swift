/// A wall-clock instant in whole milliseconds since the Unix epoch (UTC).
///
/// Runs, stages and events are stamped with it, the scheduler orders deadlines by it, and the
/// server reuses its civil breakdown for the HTTP `Date` header — one time type for the whole
/// service, without Foundation. The domain never reads the clock itself: callers pass `now`
/// (the server reads it from the loop), which is what lets tests drive a manual clock.
package struct Timestamp: Sendable, Hashable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00Z; negative values are before the epoch.
    package var milliseconds: Int64

    /// Wraps a millisecond count; tests use it as a manual clock.
    package init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// This instant moved by `milliseconds` (deadlines are `started.adding(timeout * 1000)`).
    package func adding(milliseconds delta: Int64) -> Timestamp {
        Timestamp(milliseconds: milliseconds &+ delta)
    }

    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}

extension Timestamp {
    /// A proleptic-Gregorian UTC breakdown of a `Timestamp`, for formatting without Foundation.
    package struct Civil: Sendable, Hashable {
        /// Full year, e.g. 2026.
        package var year: Int
        /// Month of the year, 1 (January) through 12.
        package var month: Int
        /// Day of the month, 1 through 31.
        package var day: Int
        /// Hour of the day, 0 through 23.
        package var hour: Int
        /// Minute of the hour, 0 through 59.
        package var minute: Int
        /// Second of the minute, 0 through 59 (no leap seconds: Unix time has none).
        package var second: Int
        /// Millisecond of the second, 0 through 999.
        package var millisecond: Int
        /// Day of the week, 0 = Sunday through 6 = Saturday.
        package var weekday: Int
    }

    /// The UTC calendar breakdown, used by `rfc3339` and by the server's `Date` header.
    package var civil: Civil {
        let msPerDay: Int64 = 86_400_000
        let days = floorDiv(milliseconds, msPerDay)
        let msOfDay = Int(milliseconds - days * msPerDay)
        let (year, month, day) = Self.civilFromDays(days)
        // 1970-01-01 was a Thursday (4).
        let weekday = Int(floorMod(days + 4, 7))
        return Civil(
            year: year, month: month, day: day,
            hour: msOfDay / 3_600_000, minute: msOfDay / 60_000 % 60, second: msOfDay / 1000 % 60,
            millisecond: msOfDay % 1000, weekday: weekday)
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-29T10:00:00.000Z` — the API's only time format.
    package var rfc3339: String {
        let c = civil
        guard (0...9999).contains(c.year) else { return rfc3339Text(c) }
        // The usual case, written as bytes: it runs for every timestamp of every run and event.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int, then separator: UInt8?) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            if let separator { bytes.append(separator) }
        }
        digits(c.year, 4, then: UInt8(ascii: "-"))
        digits(c.month, 2, then: UInt8(ascii: "-"))
        digits(c.day, 2, then: UInt8(ascii: "T"))
        digits(c.hour, 2, then: UInt8(ascii: ":"))
        digits(c.minute, 2, then: UInt8(ascii: ":"))
        digits(c.second, 2, then: UInt8(ascii: "."))
        digits(c.millisecond, 3, then: UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Years outside 0–9999 (never produced by the clock; kept correct for completeness).
    private func rfc3339Text(_ c: Civil) -> String {
        var text = c.year >= 0 && c.year <= 9999 ? pad(c.year, 4) : String(c.year)
        text += "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
        text += "T" + pad(c.hour, 2) + ":" + pad(c.minute, 2) + ":" + pad(c.second, 2)
        text += "." + pad(c.millisecond, 3) + "Z"
        return text
    }

    /// Year, month, day for a count of days since 1970-01-01.
    ///
    /// Works in 400-year eras starting on March 1st so the leap day is the last day of a year;
    /// then each era is 146,097 days and the month lengths from March on follow `(153 m + 2) / 5`.
    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468  // days since 0000-03-01
        let era = floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097  // 0 ... 146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // from March 1st
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March ... 11 = February
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// Days since 1970-01-01 for a proleptic-Gregorian date; the inverse of `civilFromDays`.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The instant for a UTC calendar date and time; handy for tests and for parsing stored times.
    package init(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
        millisecond: Int = 0
    ) {
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let ms = Int64(((hour * 60 + minute) * 60 + second) * 1000 + millisecond)
        self.init(milliseconds: days * 86_400_000 + ms)
    }
}

private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

private func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
    a - floorDiv(a, b) * b
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

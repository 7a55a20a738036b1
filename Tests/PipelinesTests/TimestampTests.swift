import Testing

@testable import Pipelines

struct TimestampTests {
    @Test func epochFormatsAsRFC3339WithMilliseconds() {
        #expect(Timestamp(milliseconds: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(milliseconds: 1).rfc3339 == "1970-01-01T00:00:00.001Z")
    }

    @Test func knownInstantFormatsInUTC() {
        // 2026-11-29T10:00:00.000Z
        let stamp = Timestamp(milliseconds: 1_795_946_400_000)
        #expect(stamp.rfc3339 == "2026-11-29T10:00:00.000Z")
        #expect(stamp.civil.weekday == 0)  // a Sunday
    }

    @Test func civilBreakdownMatchesRFC9110Example() {
        // Sun, 06 Nov 1994 08:49:37 GMT
        let civil = Timestamp(milliseconds: 784_111_777_000).civil
        #expect(civil.year == 1994)
        #expect(civil.month == 11)
        #expect(civil.day == 6)
        #expect(civil.hour == 8)
        #expect(civil.minute == 49)
        #expect(civil.second == 37)
        #expect(civil.weekday == 0)
    }

    @Test func leapDayAndCenturyRulesHold() {
        #expect(Timestamp(year: 2000, month: 2, day: 29).rfc3339 == "2000-02-29T00:00:00.000Z")
        #expect(
            Timestamp(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59, millisecond: 999)
                .rfc3339 == "2024-02-29T23:59:59.999Z")
        // 2100 is not a leap year: the day after Feb 28 is Mar 1.
        let feb28 = Timestamp(year: 2100, month: 2, day: 28)
        #expect(feb28.adding(milliseconds: 86_400_000).rfc3339 == "2100-03-01T00:00:00.000Z")
    }

    @Test func instantsBeforeTheEpochRoundDown() {
        let stamp = Timestamp(milliseconds: -1)
        #expect(stamp.rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(stamp.civil.weekday == 3)  // Wednesday
    }

    @Test func civilRoundTripsEveryDayOverFourCenturies() {
        var days: Int64 = Timestamp.daysFromCivil(year: 1900, month: 1, day: 1)
        let end = Timestamp.daysFromCivil(year: 2300, month: 1, day: 1)
        var weekday = Timestamp(milliseconds: days * 86_400_000).civil.weekday
        while days < end {
            let civil = Timestamp(milliseconds: days * 86_400_000).civil
            #expect(Timestamp.daysFromCivil(year: civil.year, month: civil.month, day: civil.day) == days)
            #expect(civil.weekday == weekday)
            weekday = (weekday + 1) % 7
            days += 1
        }
    }

    @Test func orderingFollowsMilliseconds() {
        #expect(Timestamp(milliseconds: 5) < Timestamp(milliseconds: 6))
        #expect(!(Timestamp(milliseconds: 6) < Timestamp(milliseconds: 6)))
    }
}

import Foundation
import Testing

@testable import Daemon

/// The body of a denied `slot-booking` / `booking-moving`: 400, the configured
/// `error_code` in its JSON type, and no code at all when none is configured.
@Suite struct BlockingDenialTests {
    func body(_ code: String?) throws -> [String: Any] {
        let response = BlockingAnswerer.denial(code: code, reason: "the time is taken in the clinic calendar")
        #expect(response.status == 400)
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func aNumericCodeIsSentAsANumber() throws {
        let answer = try body("17")
        #expect(answer["error_code"] as? Int == 17)
        #expect((answer["error_code"] as? String) == nil)
        #expect(answer["reason"] as? String == "the time is taken in the clinic calendar")
    }

    @Test func otherCodesAreStringsAndNoneIsSentUnconfigured() throws {
        #expect(try body("slot-taken")["error_code"] as? String == "slot-taken")
        let bare = try body(nil)
        #expect(bare["error_code"] == nil)
        #expect(bare.keys.sorted() == ["reason"])
    }
}

/// A URL with credentials shown in a log line or `check-config`.
@Suite struct URLCredentialsTests {
    @Test func credentialsBeforeTheHostAreHidden() {
        #expect(
            URLCredentials.hidden("https://clinic:s3cret@partner.example/hook?x=a@b")
                == "https://<credentials>@partner.example/hook?x=a@b")
        #expect(URLCredentials.hidden("https://partner.example/a@b") == "https://partner.example/a@b")
        #expect(URLCredentials.hidden("not a url") == "not a url")
    }
}

/// Refused requests logged a few per interval, the rest counted.
@Suite struct LogThrottleTests {
    @Test func aFloodIsHeldBackAndCounted() {
        let throttle = LogThrottle(burst: 2, interval: 10)
        #expect(throttle.admit("refused", now: 0) == (true, 0))
        #expect(throttle.admit("refused", now: 1) == (true, 0))
        for second in 2..<9 { #expect(throttle.admit("refused", now: Double(second)).log == false) }
        // Another key has its own budget.
        #expect(throttle.admit("forbidden", now: 5).log)
        // The next window's first line says how many were held back.
        #expect(throttle.admit("refused", now: 10) == (true, 7))
        #expect(throttle.admit("refused", now: 11) == (true, 0))
    }
}

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

import DocplannerAPI
import Foundation
import TestSupport
import Testing

/// Each class of answer maps to its error case and disposition, with Docplanner's message.
@Suite struct ClientErrorTests {
    static let resetText = "2030-01-01T00:01:00+00:00"

    static let rules: [ScriptedRule] = [
        api("GET", "/facilities/400", problem(400, #"{"errors":[],"message":"Invalid date given."}"#)),
        api(
            "GET", "/facilities/403",
            problem(403, #"{"errors":[],"message":"You are not authorized to see this facility"}"#)),
        api("GET", "/facilities/404", problem(404, #"{"errors":[],"message":"Object not found"}"#)),
        api("GET", "/facilities/409", problem(409, #"{"errors":[],"message":"Calendar already enabled"}"#)),
        api(
            "GET", "/facilities/422",
            problem(
                422,
                #"{"errors":{"slots[1].end":["End date should be less than or equal to 15.05.2021, 11:45."]},"message":"Invalid arguments"}"#
            )),
        api("GET", "/facilities/418", ScriptedResponse(status: 418, body: "teapot")),
        api("GET", "/facilities/500", problem(500, #"{"message":"Internal error"}"#)),
        api("GET", "/facilities/503", ScriptedResponse(status: 503, body: "<html>down</html>")),
        api("GET", "/facilities/429a", ScriptedResponse(status: 429, headers: ["Retry-After": "30"])),
        api(
            "GET", "/facilities/429b",
            ScriptedResponse(status: 429, headers: ["X-RateLimit-Reset": resetText, "X-RateLimit-Remaining": "0"])),
        api("GET", "/facilities/bad", .json(200, "[1,2")),
    ]

    static func error(_ id: String, _ client: DocplannerClient) -> DocplannerError? {
        do {
            _ = try client.getFacility(facilityID: id)
            return nil
        } catch {
            return error
        }
    }

    @Test func errorClasses() throws {
        let server = try scriptedDocplanner(Self.rules)
        defer { server.stop() }
        // Time of the 429b answer: 30 s before its reset.
        let clock = TestClock(start: try #require(DocplannerDateTime.parse(Self.resetText)).timeIntervalSince1970 - 30)
        let client = client(of: server, clock: clock)

        let bad = try #require(Self.error("400", client))
        guard case .badRequest(let request, let body) = bad else { throw bad }
        #expect(request == "GET /facilities/400")
        #expect(body.message == "Invalid date given.")
        #expect(bad.disposition == .permanent && bad.status == 400)
        #expect(
            "\(bad)" == "GET /facilities/400: Docplanner rejected the request as invalid (400): Invalid date given.")

        let forbidden = try #require(Self.error("403", client))
        guard case .forbidden(_, let body403) = forbidden else { throw forbidden }
        #expect(body403.message == "You are not authorized to see this facility")
        #expect(forbidden.disposition == .permanent)

        let missing = try #require(Self.error("404", client))
        guard case .notFound = missing else { throw missing }
        #expect(missing.body?.message == "Object not found")

        let conflict = try #require(Self.error("409", client))
        guard case .conflict = conflict else { throw conflict }
        #expect("\(conflict)".hasSuffix("conflicts with Docplanner's state (409): Calendar already enabled"))

        let unprocessable = try #require(Self.error("422", client))
        guard case .unprocessable(_, let body422) = unprocessable else { throw unprocessable }
        #expect(body422.fieldErrors["slots[1].end"]?.first?.hasPrefix("End date should be") == true)
        #expect("\(unprocessable)".contains("Invalid arguments (slots[1].end: End date should be"))

        let teapot = try #require(Self.error("418", client))
        guard case .rejected(_, 418, let body418) = teapot else { throw teapot }
        #expect(body418.message == "teapot")
        #expect(teapot.disposition == .permanent)

        let server500 = try #require(Self.error("500", client))
        guard case .serverError(_, 500, let body500) = server500 else { throw server500 }
        #expect(body500?.message == "Internal error")
        #expect(server500.disposition == .retry && server500.isRetryable)

        let server503 = try #require(Self.error("503", client))
        guard case .serverError(_, 503, _) = server503 else { throw server503 }

        let limited = try #require(Self.error("429a", client))
        #expect(limited == .rateLimited(request: "GET /facilities/429a", retryAfter: 30))
        #expect(limited.disposition == .retryAfter(30))
        #expect("\(limited)" == "GET /facilities/429a: Docplanner rate limit reached (429); retry in 30 s")
        // A 429 without X-RateLimit-Remaining: 0 does not hold other requests.
        #expect(client.limiter.acquire(.read, deadline: clock.now()))

        let reset = try #require(Self.error("429b", client))
        #expect(reset == .rateLimited(request: "GET /facilities/429b", retryAfter: 30))
        // Docplanner said the budget is spent: reads wait for the reset, writes do not.
        #expect(!client.limiter.acquire(.read, deadline: clock.now()))
        #expect(client.limiter.acquire(.write, deadline: clock.now()))
        clock.advance(by: 30)
        #expect(client.limiter.acquire(.read, deadline: clock.now()))

        let undecodable = try #require(Self.error("bad", client))
        guard case .undecodable = undecodable else { throw undecodable }

        // Every description is one line.
        for error in [
            bad, forbidden, missing, conflict, unprocessable, teapot, server500, server503, limited, undecodable,
        ] {
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test func maxRateLimitWaitFailsInsteadOfWaiting() throws {
        let server = try scriptedDocplanner([api("PUT", "/", prefix: true, ScriptedResponse(status: 204))])
        defer { server.stop() }
        let clock = TestClock(autoAdvance: true)
        let policy = RateLimitPolicy(writes: .init(limit: 1, period: 60))
        let client = client(of: server, clock: clock, rateLimits: policy, maxRateLimitWait: 10)
        try client.confirmBooking(facilityID: "1", doctorID: "2", addressID: "3", bookingID: "4")
        #expect(
            throws: DocplannerError.rateLimited(
                request: "PUT /facilities/1/doctors/2/addresses/3/bookings/5/confirm", retryAfter: nil)
        ) {
            try client.confirmBooking(facilityID: "1", doctorID: "2", addressID: "3", bookingID: "5")
        }
        #expect(try server.requests().api.count == 1)
    }
}

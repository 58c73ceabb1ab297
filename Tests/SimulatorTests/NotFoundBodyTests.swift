import Curl
import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// Every 404 carries the document's error body for its case, so that a client can tell an
/// empty answer from a wrong URL; a URL matching no operation gets a different, generic one.
@Suite struct NotFoundBodyTests {
    @Test func documentedNotFoundBodies() throws {
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock, mode: .pull, rateLimits: nil)
        defer { simulator.stop() }
        _ = try RawHTTP.admin(simulator, "calendar", #"{"address_id":"112","status":"missing"}"#)
        let address = "/facilities/1/doctors/123/addresses/111"
        let range = "start=\(queryValue(text(day(20))))&end=\(queryValue(text(day(21))))"
        let cases: [(String, String)] = [
            ("/notifications", "No notifications found"),
            ("/notifications/multiple?limit=5", "No notifications found"),
            (address + "/slots?" + range, "No slots found on given address"),
            ("/facilities/1/doctors/999", "Object not found"),
            ("/facilities/1/doctors/123/addresses/999", "Object not found"),
            (address + "/bookings/123456", "Object not found"),
            (address + "/services/999", "Object not found"),
            ("/insurance-providers/77/plans", "Object not found"),
            (address + "/breaks/999", "Invalid break ID"),
            ("/facilities/1/doctors/123/addresses/112/calendar", "Calendar does not exist"),
            ("/facilities/1/doctors/123/addresses/112/breaks/500001", "Calendar not found for this address"),
        ]
        for (path, message) in cases {
            let answer = try RawHTTP.api(simulator, .get, path)
            #expect(answer.status == 404, "\(path)")
            #expect(answer.error?.message == message, "\(path)")
            #expect(answer.response.text.contains(#""errors":[]"#), "\(path)")
        }
        let book = try RawHTTP.api(
            simulator, .post, "/facilities/1/doctors/234/addresses/221/slots/2027-01-16T12%3A00%3A00%2B01%3A00/book",
            json: #"{"address_service_id":"201","duration":45,"patient":{"name":"Ewa","phone":"+48500100200"}}"#)
        #expect(book.status == 422)
        let notBookable = try RawHTTP.api(
            simulator, .post, "/facilities/1/doctors/123/addresses/112/slots/2027-01-16T14%3A00%3A00%2B01%3A00/book",
            json: #"{"address_service_id":"121","duration":20,"patient":{"name":"Ewa","phone":"+48500100200"}}"#)
        #expect(notBookable.status == 404 && notBookable.error?.message == "Unable to book a visit for this address")
    }

    @Test func unknownRoutesAnswerAGenericNotFound() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let unknown = try RawHTTP.send(.get, fixture.simulator.apiBaseURL + "/facilities/1/nurses")
        #expect(unknown.status == 404)
        #expect(unknown.headers["Content-Type"] == "application/vnd.error+docplanner+json")
        let body = try #require(APIErrorBody.parse(unknown.body))
        #expect(body.message == #"No route found for "GET /api/v3/integration/facilities/1/nurses""#)
        #expect(try RawHTTP.send(.delete, fixture.simulator.apiBaseURL + "/notification").status == 404)

        // A known path under another method: 405 with Allow.
        let wrongMethod = try RawHTTP.send(
            .put, fixture.simulator.apiBaseURL + "/facilities/1/doctors/123/addresses/111/calendar")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["Allow"] == "GET")
        let slots = try RawHTTP.send(
            .post, fixture.simulator.apiBaseURL + "/facilities/1/doctors/123/addresses/111/slots")
        #expect(slots.status == 405 && slots.headers["Allow"] == "GET, PUT")
        // Neither needs a token nor spends the budget.
        #expect(fixture.simulator.snapshot().rateLimits.isEmpty)
        #expect(fixture.simulator.snapshot().requests.map(\.status) == [404, 404, 405, 405])
    }
}

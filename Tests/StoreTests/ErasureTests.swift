import Foundation
import TestSupport
import Testing

@testable import Store

/// Erasing one patient on request (GDPR art. 17): found by phone (however written) or
/// e-mail, taken out of the stored events (which stay appliable), their quarantined
/// bodies deleted, and nothing of them left in the files.
@Suite struct ErasureTests {
    /// A `slot-booked` as Docplanner sends it (its documented example, shortened).
    static func slotBooked(
        booking: String, phone: String, email: String, name: String = "Abraham",
        comment: String = "knee hurts since May"
    ) -> String {
        """
        {"name":"slot-booked","data":{"facility":{"id":"1"},"doctor":{"id":"123","name":"Sample"},\
        "address":{"id":"111"},"visit_booking":{"id":"\(booking)","status":"booked",\
        "start_at":"2027-01-20T16:00:00+01:00","end_at":"2027-01-20T16:30:00+01:00","duration":30,\
        "address_service":{"id":"243665","price":50,"is_price_from":false},\
        "patient":{"name":"\(name)","surname":"Lincoln","email":"\(email)","phone":"\(phone)",\
        "birth_date":"1985-01-01","nin":"894237492"},"comment":"\(comment)"}},\
        "created_at":"2027-01-15T10:18:34+01:00"}
        """
    }

    func matcher(phones: [String] = [], emails: [String] = []) throws -> PatientMatcher {
        try PatientMatcher(phones: phones, emails: emails)
    }

    @Test func phonesMatchByTheirDigitsWithOrWithoutTheCountryCode() throws {
        let patient = try matcher(phones: ["+48 500-100-200"])
        for written in [
            "+48500100200", "+48 (500) 100 200", "0048 500 100 200", "48500100200", "500 100 200", "500.100.200",
        ] {
            #expect(patient.occurs(in: #"{"phone":"\#(written)"}"#), "\(written)")
        }
        for other in ["+48500100201", "+49 500 100 200 1", "1500100200", "x500100200", "50010020"] {
            #expect(!patient.occurs(in: #"{"phone":"\#(other)"}"#), "\(other)")
        }
        // National with a trunk 0 against the international form.
        #expect(try matcher(phones: ["07700 900123"]).occurs(in: "call +44 7700 900123 today"))
        // Two numbers that end alike but both carry a country code are different people.
        #expect(try !matcher(phones: ["+1 500 100 200"]).occurs(in: "+48 500 100 200"))
        #expect(
            patient.masked(Array("tel. 500 100 200, or +48500100200.".utf8))
                == Array("tel. [erased], or [erased].".utf8))
    }

    @Test func emailsMatchInAnyCaseButNotInsideAnotherAddress() throws {
        let patient = try matcher(emails: ["Jan.Kowalski@Example.com"])
        #expect(patient.occurs(in: #"{"email":"jan.kowalski@example.COM"}"#))
        #expect(patient.occurs(in: "write to jan.kowalski@example.com."))
        #expect(!patient.occurs(in: "anna.jan.kowalski@example.com"))
        #expect(!patient.occurs(in: "jan.kowalski@example.com.pl"))
        #expect(!patient.occurs(in: "jan.kowalski@example.company"))
    }

    @Test func identifiersThatCouldMatchAnyoneAreRefused() {
        #expect(throws: PatientMatcher.Invalid.self) { try PatientMatcher(phones: ["12 34"], emails: []) }
        #expect(throws: PatientMatcher.Invalid.self) { try PatientMatcher(phones: ["call me"], emails: []) }
        #expect(throws: PatientMatcher.Invalid.self) { try PatientMatcher(phones: [], emails: ["nobody"]) }
        #expect(throws: PatientMatcher.Invalid.self) { try PatientMatcher(phones: [], emails: []) }
    }

    /// The event stays an event: the booking is still there to apply, only the patient
    /// (and the comment beside them) is gone.
    @Test func aRedactedEventKeepsEverythingButThePatient() throws {
        let payload = Array(Self.slotBooked(booking: "6263715", phone: "+48123123123", email: "abe@example.com").utf8)
        let redacted = try #require(PayloadRedactor.redact(payload, try matcher(phones: ["+48 123 123 123"])))
        let text = String(decoding: redacted, as: UTF8.self)
        for gone in ["Abraham", "Lincoln", "abe@example.com", "123123123", "894237492", "1985-01-01", "knee"] {
            #expect(!text.contains(gone), "\(gone) in \(text)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(redacted)) as? [String: Any])
        let booking = try #require((object["data"] as? [String: Any])?["visit_booking"] as? [String: Any])
        #expect(booking["id"] as? String == "6263715")
        #expect(booking["start_at"] as? String == "2027-01-20T16:00:00+01:00")
        #expect(booking["patient"] == nil)
        #expect(object["created_at"] as? String == "2027-01-15T10:18:34+01:00")
        #expect(text.contains(#""is_price_from":false"#) && text.contains(#""price":50"#), "\(text)")
        #expect(PayloadRedactor.redact(payload, try matcher(emails: ["someone@else.org"])) == nil)
        // Not JSON: each occurrence is masked.
        #expect(
            PayloadRedactor.redact(Array("name=Abe&phone=+48123123123".utf8), try matcher(phones: ["+48123123123"]))
                == Array("name=Abe&phone=[erased]".utf8))
    }

    @Test func eraseRedactsJobsInEveryStateButInFlightAndDeletesQuarantinedBodies() throws {
        let t = try TestStore()
        let ours = Self.slotBooked(booking: "1", phone: "+48500100200", email: "abe@example.com")
        let theirs = Self.slotBooked(
            booking: "2", phone: "+48600700800", email: "mary@example.com", name: "Mary", comment: "a follow-up")
        for (key, body) in [("done", ours), ("dead", ours), ("held", ours), ("other", theirs), ("waiting", ours)] {
            _ = try t.store.inbox.enqueueAndWait(event(key, body: body))
        }
        let claimed = Dictionary(
            uniqueKeysWithValues: try t.store.inbox.claim(limit: 4, workerID: "w").map { ($0.dedupKey, $0) })
        try t.store.inbox.complete(try #require(claimed["done"]))
        try t.store.inbox.failPermanently(
            try #require(claimed["dead"]), reason: "Docplanner said: phone +48500100200 is odd")
        try t.store.inbox.complete(try #require(claimed["other"]))
        try t.store.quarantine.addAndWait(
            body: Array("phone=500100200&x".utf8), reason: "not JSON", sourceAddress: "10.0.0.1")
        try t.store.quarantine.addAndWait(
            body: Array("unrelated junk".utf8), reason: "not JSON", sourceAddress: "10.0.0.1")
        let patient = try matcher(phones: ["500 100 200"], emails: ["ABE@example.com"])

        // A dry run counts and changes nothing.
        var expected = PatientErasure()
        expected.inboxJobs = 3
        expected.quarantined = 1
        expected.inFlight = 1
        #expect(try t.store.erasePatient(patient, apply: false) == expected)
        #expect(try t.store.quarantine.count() == 2)
        #expect(try t.filesContain("Abraham") != false)

        #expect(try t.store.erasePatient(patient, apply: true) == expected)
        let jobs = Dictionary(
            uniqueKeysWithValues: try t.store.inbox.jobs(in: Set(JobState.allCases), limit: 10).map {
                ($0.dedupKey, $0)
            })
        #expect(jobs.count == 5, "every job stays, so a re-sent event is still recognised")
        for key in ["done", "dead", "waiting"] {
            let payload = String(decoding: try #require(jobs[key]).payload, as: UTF8.self)
            #expect(!payload.contains("Abraham") && !payload.contains("500100200"), "\(key): \(payload)")
            #expect(payload.contains(#""visit_booking""#))
        }
        #expect(jobs["done"]?.state == .done && jobs["dead"]?.state == .dead && jobs["waiting"]?.state == .pending)
        #expect(jobs["dead"]?.lastError == "Docplanner said: phone [erased] is odd")
        #expect(String(decoding: try #require(jobs["held"]).payload, as: UTF8.self) == ours, "a worker holds it")
        #expect(String(decoding: try #require(jobs["other"]).payload, as: UTF8.self) == theirs)
        #expect(try t.store.quarantine.list().map { String(decoding: $0.body, as: UTF8.self) } == ["unrelated junk"])

        // Once the worker let go, erasing again finds the rest; then nothing is left.
        try t.store.inbox.complete(try #require(claimed["held"]))
        expected = PatientErasure()
        expected.inboxJobs = 1
        #expect(try t.store.erasePatient(patient, apply: true) == expected)
        #expect(try t.store.erasePatient(patient, apply: true) == PatientErasure())
        if TestStore.backend == .sqlite {
            let files = try storeFiles(t.store.path)
            #expect(!files.contains("Abraham") && !files.contains("abe@example.com") && !files.contains("knee hurts"))
            #expect(files.contains("Mary"), "another patient is untouched")
        }
    }
}

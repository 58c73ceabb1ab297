import Curl
import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// Every request body the simulator accepts is read as a validator of the document's
/// request schema would: undeclared members, wrong types (ids are strings) and `null` where
/// the schema does not say `nullable: true` are a 400 "Invalid arguments" naming the field.
@Suite struct StrictBodyTests {
    struct Case: CustomStringConvertible {
        var method: CurlMethod
        var path: String
        var json: String
        /// The field errors expected (empty: accepted).
        var errors: [String: [String]]

        var description: String { "\(method) \(path) \(json)" }
    }

    static let address = "/facilities/1/doctors/123/addresses/111"
    static let unexpected = ["This field was not expected."]
    static let notAString = ["This value should be of type string."]
    static let notNull = ["This value should not be null."]
    static let book = address + "/slots/2027-01-16T12%3A00%3A00%2B01%3A00/book"
    static let patient = #""patient":{"name":"Ewa","phone":"+48500100200"}"#

    static let cases: [Case] = [
        // AddAddressServiceRequest
        Case(
            method: .post, path: address + "/services", json: #"{"service_id":3,"extra":1}"#,
            errors: ["service_id": notAString, "extra": unexpected]),
        Case(
            method: .post, path: address + "/services", json: #"{"service_id":"3","is_visible":null}"#,
            errors: ["is_visible": notNull]),
        Case(
            method: .post, path: address + "/services",
            json: #"{"service_id":"3","allowed_patients":{"minimum_age":null,"maximum":3}}"#,
            errors: ["allowed_patients.maximum": unexpected]),
        // UpdateAddressServiceRequest: default_duration is not nullable there.
        Case(
            method: .patch, path: address + "/services/101", json: #"{"default_duration":null}"#,
            errors: ["default_duration": notNull]),
        Case(
            method: .patch, path: address + "/services/101", json: #"{"service_id":"1"}"#,
            errors: ["service_id": unexpected]),
        // UpdateAddressRequest
        Case(
            method: .patch, path: address, json: #"{"insurance_support":"private","name":"X"}"#,
            errors: ["name": unexpected]),
        // AddCalendarBreakRequest / MoveCalendarBreakRequest
        Case(
            method: .post, path: address + "/breaks",
            json: #"{"since":"2027-01-19T12:00:00+01:00","till":"2027-01-19T13:00:00+01:00","description":null}"#,
            errors: ["description": notNull]),
        Case(
            method: .post, path: address + "/breaks",
            json: #"{"since":"2027-01-19T12:00:00+01:00","till":"2027-01-19T13:00:00+01:00","reason":"Lunch"}"#,
            errors: ["reason": unexpected]),
        Case(
            method: .patch, path: address + "/breaks/500001",
            json: #"{"since":"2027-01-17T12:00:00+01:00","till":"2027-01-17T13:00:00+01:00","description":"Lunch"}"#,
            errors: ["description": unexpected]),
        // BookSlotRequest and its Patient (which declares neither insurance_number nor is_returning).
        Case(
            method: .post, path: book, json: #"{"address_service_id":101,"duration":30,\#(patient)}"#,
            errors: ["address_service_id": notAString]),
        Case(
            method: .post, path: book,
            json:
                #"{"address_service_id":"101","duration":30,"insurance_provider_if":"14","patient":{"name":"Ewa","phone":48500100200,"insurance_number":"X1"}}"#,
            errors: [
                "insurance_provider_if": unexpected, "patient.phone": notAString,
                "patient.insurance_number": unexpected,
            ]),
        Case(
            method: .post, path: book,
            json: #"{"address_service_id":"101","duration":30,"is_returning":null,\#(patient)}"#,
            errors: ["is_returning": notNull]),
        // CancelBookingRequest (send_notifications is deprecated and no longer declared).
        Case(
            method: .delete, path: address + "/bookings/700002", json: #"{"send_notifications":true}"#,
            errors: ["send_notifications": unexpected]),
        // MoveBookingRequest
        Case(
            method: .post, path: address + "/bookings/700002/move",
            json: #"{"address_service_id":"101","start":"2027-01-17T12:00:00+01:00","address_id":111}"#,
            errors: ["address_id": notAString]),
        // ConfirmBookingRequest
        Case(
            method: .put, path: address + "/bookings/700002/confirm", json: #"{"confirmed_by":"user","note":"x"}"#,
            errors: ["note": unexpected]),
        // OpinionRequest
        Case(
            method: .put, path: "/facilities/1/doctors/123/opinion-request", json: #"{"phone":600100200}"#,
            errors: ["phone": notAString]),
        // AddAddressInsuranceProviderRequest / UpdateOrCreateAddressInsuranceProviderRequest
        Case(
            method: .post, path: address + "/insurance-providers", json: #"{"insurance_provider_id":2}"#,
            errors: ["insurance_provider_id": notAString]),
        Case(
            method: .post, path: address + "/insurance-providers",
            json: #"{"insurance_provider_id":"2","insurance_plans":[{"insurance_plan_id":"1","name":"Plan"}]}"#,
            errors: ["insurance_plans[0].name": unexpected]),
        Case(
            method: .put, path: address + "/insurance-providers",
            json: #"{"insurance_provider_id":"1","insurance_plans":[{"insurance_plan_id":999}]}"#,
            errors: ["insurance_plans[0].insurance_plan_id": notAString]),
    ]

    @Test func undeclaredMembersWrongTypesAndNullsAreRefused() throws {
        let fixture = try APIFixture(rateLimits: nil)
        defer { fixture.stop() }
        for item in Self.cases {
            let answer = try RawHTTP.api(fixture.simulator, item.method, item.path, json: item.json)
            #expect(answer.status == 400, "\(item)")
            #expect(answer.error?.message == "Invalid arguments", "\(item)")
            #expect(answer.error?.fieldErrors == item.errors, "\(item)")
        }
        // Nothing changed.
        #expect(fixture.simulator.snapshot().booking("700002")?.status == "booked")
    }

    /// Where the schema says `nullable: true`, null is accepted, and in an update it clears.
    @Test func nullableMembersAcceptNullAndClear() throws {
        let fixture = try APIFixture(rateLimits: nil)
        defer { fixture.stop() }
        let added = try RawHTTP.api(
            fixture.simulator, .post, Self.address + "/services",
            json:
                #"{"service_id":"3","price":null,"description":null,"default_duration":null,"allowed_patients":null,"custom_name":null}"#
        )
        #expect(added.status == 201)

        let named = try RawHTTP.api(
            fixture.simulator, .patch, Self.address + "/services/101",
            json: #"{"custom_name":"USG (adults)","price":120.5}"#)
        #expect(named.status == 200)
        #expect(fixture.client.addressService("101")?.name == "USG (adults)")
        let cleared = try RawHTTP.api(
            fixture.simulator, .patch, Self.address + "/services/101",
            json: #"{"price":null,"custom_name":null,"description":null,"allowed_patients":null}"#)
        #expect(cleared.status == 200)
        let service = try #require(fixture.client.addressService("101"))
        #expect(
            service.price == nil && service.name == "USG" && service.description == nil
                && service.allowedPatients == nil)

        let booked = try RawHTTP.api(
            fixture.simulator, .post, Self.book,
            json:
                #"{"address_service_id":"101","duration":30,"comment":null,"label":null,"insurance_provider_id":null,"insurance_plan_id":null,"patient":{"name":"Ewa","phone":"+48500100200","email":null,"gender":null,"birth_date":null,"nin":null}}"#
        )
        #expect(booked.status == 200)
    }

    /// `--lenient` reads the same bodies permissively: integer ids, unknown members, null as absent.
    @Test func lenientTakesWhatStrictRefuses() throws {
        let fixture = try APIFixture(rateLimits: nil, lenient: true)
        defer { fixture.stop() }
        let booked = try RawHTTP.api(
            fixture.simulator, .post, Self.book,
            json:
                #"{"address_service_id":101,"duration":30,"is_returning":null,"insurance_provider_if":"14","patient":{"name":"Ewa","phone":48500100200,"insurance_number":"X1"}}"#
        )
        #expect(booked.status == 200)
        let moved = try RawHTTP.api(
            fixture.simulator, .post, Self.address + "/bookings/700002/move",
            json: #"{"address_service_id":"101","start":"2027-01-17T12:00:00+01:00","address_id":111,"reason":"x"}"#)
        #expect(moved.status == 201)
        let opinion = try RawHTTP.api(
            fixture.simulator, .put, "/facilities/1/doctors/123/opinion-request", json: #"{"phone":600100200}"#)
        #expect(opinion.status == 200)
    }
}

extension DocplannerClient {
    /// Address service `id` of address 111, or nil.
    func addressService(_ id: String) -> AddressService? {
        try? getAddressService(facilityID: "1", doctorID: "123", addressID: "111", addressServiceID: id)
    }
}

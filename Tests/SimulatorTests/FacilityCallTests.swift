import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// Facilities, doctors and addresses through the client.
@Suite struct FacilityCallTests {
    @Test func facilitiesDoctorsAndAddressesWithScopes() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        #expect(try client.getFacilities().map(\.name) == ["Sample hospital", "Another sample hospital"])

        let facility = try client.getFacility(facilityID: "1", with: [.facilityDoctors])
        #expect(facility.doctors?.items.map(\.id) == ["123", "234"])
        #expect(try client.getFacility(facilityID: "1").doctors == nil)

        let doctors = try client.getDoctors(
            facilityID: "1", with: [.doctorProfileURL, .doctorSpecializations, .doctorLicenseNumbers])
        #expect(doctors.map(\.surname) == ["Doctor 123", "Doctor 234"])
        #expect(doctors[0].profileURL?.hasPrefix("https://") == true)
        #expect(doctors[0].specializations?.items.first?.id == "12")
        #expect(doctors[0].licenseNumbers?.items.first?.licenseNumber == "PWZ 1234567")

        let doctor = try client.getDoctor(
            facilityID: "1", doctorID: "123", with: [.doctorAddresses, .addressCommercialType, .addressOnlineOnly])
        #expect(doctor.addresses?.items.map(\.id) == ["111", "112"])
        #expect(doctor.addresses?.items.map(\.commercialType) == ["premium", "premium"])
        #expect(doctor.addresses?.items.map(\.isOnlineOnly) == [false, true])

        let addresses = try client.getAddresses(facilityID: "1", doctorID: "234", with: [.addressCommercialType])
        #expect(addresses.map(\.commercialType) == ["basic"])

        let address = try client.getAddress(
            facilityID: "1", doctorID: "123", addressID: "111", with: [.addressInsuranceSupport, .addressVisitPayment])
        #expect(address.name == "Example hospital")
        #expect(address.insuranceSupport == "private_and_insurance")
        #expect(address.visitPayment == true)
        #expect(address.bookingExtraFields?.nin == false)
    }

    @Test func missingOrForeignResourcesAre403Or404() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        #expect {
            try client.getFacility(facilityID: "99")
        } throws: { error in
            guard case .forbidden(_, let body) = error as? DocplannerError else { return false }
            return body.message == "You are not authorized to see this facility"
        }
        #expect {
            try client.getDoctor(facilityID: "1", doctorID: "999")
        } throws: { error in
            guard let error = error as? DocplannerError, case .notFound(_, let body) = error else { return false }
            return body.message == "Object not found" && error.disposition == .permanent
        }
        #expect {
            try client.getAddress(facilityID: "1", doctorID: "234", addressID: "111")
        } throws: { error in
            guard case .forbidden(_, let body) = error as? DocplannerError else { return false }
            return body.message == "This address does not belong to this doctor"
        }
    }

    @Test func updateAddressAndRemoveIntegration() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        let updated = try client.updateAddress(
            facilityID: "1", doctorID: "123", addressID: "111", UpdateAddressRequest(insuranceSupport: "insurance"))
        #expect(updated?.insuranceSupport == "insurance")
        #expect {
            try client.updateAddress(
                facilityID: "1", doctorID: "123", addressID: "111", UpdateAddressRequest(insuranceSupport: "all"))
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Invalid arguments" && body.fieldErrors["insurance_support"] != nil
        }

        try client.removeAddressIntegration(facilityID: "1", doctorID: "123", addressID: "112")
        #expect(fixture.statuses.last == 202)
        #expect(throws: DocplannerError.self) {
            try client.getAddress(facilityID: "1", doctorID: "123", addressID: "112")
        }
        #expect(try client.getAddresses(facilityID: "1", doctorID: "123").map(\.id) == ["111"])
    }

    @Test func requestOpinionOncePerPhone() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        try client.requestOpinion(facilityID: "1", doctorID: "123", phone: "+48 600 100 200")
        #expect {
            try client.requestOpinion(facilityID: "1", doctorID: "123", phone: "+48600100200")
        } throws: { error in
            guard case .conflict(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Opinion already exists"
        }
        #expect {
            try client.requestOpinion(facilityID: "1", doctorID: "123", phone: "call me")
        } throws: { error in
            guard case .badRequest = error as? DocplannerError else { return false }
            return true
        }
    }
}

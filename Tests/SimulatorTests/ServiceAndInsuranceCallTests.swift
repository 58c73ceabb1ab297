import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// The service dictionary, address services, and insurance through the client.
@Suite struct ServiceAndInsuranceCallTests {
    static let place = (facilityID: "1", doctorID: "123", addressID: "111")

    @Test func serviceDictionaryAndAddressServices() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        #expect(try client.getServices().map(\.name) == ["USG", "EKG", "EEG", "Online consultation"])
        #expect(try client.getServices(specializationID: "13").map(\.id) == ["2", "3", "4"])

        let services = try client.getAddressServices(facilityID: "1", doctorID: "123", addressID: "111")
        #expect(services.map(\.id) == ["101", "102"])
        #expect(services[0].price == 100 && services[0].allowedPatients?.minimumAge == 18)
        // Services of the slot starting at 12:45 the next day: only the 15-minute EKG fits before 13:00.
        let late = try client.getAddressServices(
            facilityID: "1", doctorID: "123", addressID: "111", start: day(1, 12, 45))
        #expect(late.map(\.id) == ["102"])

        let added = try client.addAddressService(
            facilityID: "1", doctorID: "123", addressID: "111",
            AddAddressServiceRequest(
                serviceID: "3", price: 169.99, description: "EEG at the hospital", defaultDuration: 40,
                customName: "EEG (adults)"))
        let id = try #require(added.id)
        #expect(added.serviceID == "3" && added.price == 169 && added.customName == "EEG (adults)")
        #expect {
            try client.addAddressService(
                facilityID: "1", doctorID: "123", addressID: "111", AddAddressServiceRequest(serviceID: "3"))
        } throws: { error in
            guard case .conflict(_, let body) = error as? DocplannerError else { return false }
            return body.message == "The address service you are trying to add already exists in the system"
        }
        #expect {
            try client.addAddressService(
                facilityID: "1", doctorID: "123", addressID: "111", AddAddressServiceRequest(serviceID: "1", price: -5))
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.fieldErrors["price"] != nil
        }

        let fetched = try client.getAddressService(
            facilityID: "1", doctorID: "123", addressID: "111", addressServiceID: id, with: [.addressServiceCustomName])
        #expect(fetched.description == "EEG at the hospital")
        let updated = try client.updateAddressService(
            facilityID: "1", doctorID: "123", addressID: "111", addressServiceID: id,
            UpdateAddressServiceRequest(price: .set(200), isVisible: false))
        #expect(updated?.price == 200 && updated?.isVisible == false)

        try client.deleteAddressService(facilityID: "1", doctorID: "123", addressID: "111", addressServiceID: id)
        #expect(throws: DocplannerError.self) {
            try client.getAddressService(facilityID: "1", doctorID: "123", addressID: "111", addressServiceID: id)
        }
        #expect {
            try client.getAddressService(facilityID: "1", doctorID: "123", addressID: "111", addressServiceID: "121")
        } throws: { error in
            guard case .forbidden(_, let body) = error as? DocplannerError else { return false }
            return body.message == "This service does not belong to this address"
        }
    }

    @Test func insuranceProvidersPlansAndAddressInsurance() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = fixture.client
        #expect(try client.getInsuranceProviders().map(\.insuranceProviderID) == ["1", "2", "52"])
        #expect(try client.getInsurancePlans(insuranceProviderID: "1").map(\.insurancePlanID) == ["999", "1000"])
        #expect(throws: DocplannerError.self) { try client.getInsurancePlans(insuranceProviderID: "77") }

        var accepted = try client.getAddressInsuranceProviders(facilityID: "1", doctorID: "123", addressID: "111")
        #expect(accepted.map(\.insuranceProviderID) == ["1", "52"])
        #expect(accepted[0].insurancePlans?.items.map(\.insurancePlanID) == ["999"])

        try client.addAddressInsuranceProvider(
            facilityID: "1", doctorID: "123", addressID: "111",
            AddressInsuranceProviderRequest(insuranceProviderID: "2"))
        #expect {
            try client.addAddressInsuranceProvider(
                facilityID: "1", doctorID: "123", addressID: "111",
                AddressInsuranceProviderRequest(insuranceProviderID: "2"))
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.message?.contains("already assigned") == true
        }
        #expect {
            try client.addAddressInsuranceProvider(
                facilityID: "1", doctorID: "123", addressID: "111",
                AddressInsuranceProviderRequest(insuranceProviderID: "404"))
        } throws: { error in
            guard case .notFound(_, let body) = error as? DocplannerError else { return false }
            return body.message == "Provided insurance provider ID not found in dictionary"
        }
        try client.updateOrCreateAddressInsuranceProvider(
            facilityID: "1", doctorID: "123", addressID: "111",
            AddressInsuranceProviderRequest(insuranceProviderID: "1", insurancePlanIDs: ["999", "1000"]))
        accepted = try client.getAddressInsuranceProviders(facilityID: "1", doctorID: "123", addressID: "111")
        #expect(accepted.map(\.insuranceProviderID) == ["1", "52", "2"])
        #expect(accepted[0].insurancePlans?.items.count == 2)

        try client.deleteAddressInsuranceProvider(
            facilityID: "1", doctorID: "123", addressID: "111", insuranceProviderID: "2")
        #expect {
            try client.deleteAddressInsuranceProvider(
                facilityID: "1", doctorID: "123", addressID: "111", insuranceProviderID: "2")
        } throws: { error in
            guard case .badRequest(_, let body) = error as? DocplannerError else { return false }
            return body.message?.contains("not assigned") == true
        }
    }
}

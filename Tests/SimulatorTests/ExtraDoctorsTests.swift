import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// `extraDoctors` (`dpbridge simulate --extra-doctors N`): more calendars for benchmarks,
/// the fixed dataset unchanged.
@Suite struct ExtraDoctorsTests {
    @Test func extraDoctorsHaveTwoAddressesEachAndTakeSlots() throws {
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock, rateLimits: nil, extraDoctors: 25)
        defer { simulator.stop() }
        let client = makeClient(of: simulator, clock: clock)

        let doctors = try client.getDoctors(facilityID: "1").compactMap(\.id)
        #expect(doctors == ["123", "234"] + (1001...1025).map(String.init))
        // The fixed dataset is unchanged.
        #expect(try client.getAddresses(facilityID: "1", doctorID: "123").map(\.id) == ["111", "112"])
        #expect(try client.getAddresses(facilityID: "1", doctorID: "234").map(\.id) == ["221"])
        var addresses: [String] = []
        for doctor in doctors.dropFirst(2) {
            let ids = try client.getAddresses(facilityID: "1", doctorID: doctor).compactMap(\.id)
            #expect(ids == [doctor + "1", doctor + "2"])
            addresses += ids
        }
        #expect(Set(addresses).count == 50)
        #expect(
            try client.getAddressServices(facilityID: "1", doctorID: "1025", addressID: "10252").map(\.id)
                == ["102521", "102522"])

        // Their calendars take slots of their own services, and start empty.
        #expect(
            try client.getSlots(facilityID: "1", doctorID: "1007", addressID: "10071", start: day(1), end: day(8))
                .isEmpty)
        try client.replaceSlots(
            facilityID: "1", doctorID: "1007", addressID: "10071",
            ReplaceSlotsRequest(slots: [
                .init(
                    start: DocplannerDateTime(day(3, 8), timeZone: testTimeZone),
                    end: DocplannerDateTime(day(3, 9), timeZone: testTimeZone),
                    addressServices: [.init(addressServiceID: "100711", duration: 30)])
            ]))
        let slots = try client.getSlots(
            facilityID: "1", doctorID: "1007", addressID: "10071", start: day(3), end: day(4))
        #expect(slots.map(\.start?.text) == [text(day(3, 8)), text(day(3, 8, 30))])
        // Another doctor's address is not theirs.
        #expect(throws: DocplannerError.self) {
            try client.getAddress(facilityID: "1", doctorID: "1007", addressID: "10081")
        }
    }

    @Test func noExtraDoctorsByDefault() throws {
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock)
        defer { simulator.stop() }
        let client = makeClient(of: simulator, clock: clock)
        #expect(try client.getDoctors(facilityID: "1").map(\.id) == ["123", "234"])
    }
}

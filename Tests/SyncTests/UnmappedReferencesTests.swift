import DocplannerAPI
import Foundation
import Logging
import Partner
import Store
import Sync
import Synchronization
import TestSupport
import Testing

/// `UnmappedReferences`: an unmapped id is counted on every event that names it; a mapped
/// one is not asked about again for a minute, an unmapped one for seconds.
@Suite struct UnmappedReferencesTests {
    @Test func unmappedIdsCountEachTimeAndMappedOnesAreRememberedForAMinute() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-unmapped")
        defer { directory.remove() }
        let store = try Store(path: directory.file("store.sqlite"))
        defer { store.close() }
        try store.mappings.recordDiscovery(
            [
                DocplannerResource(kind: .facility, id: "1", name: "Clinic"),
                DocplannerResource(kind: .doctor, id: "123", name: "Doctor", facilityID: "1"),
                DocplannerResource(kind: .address, id: "111", name: "Main", facilityID: "1", doctorID: "123"),
            ], scope: .everything)
        try store.mappings.set(.facility, "1", to: "C-1", source: .manual)
        try store.mappings.set(.doctor, "123", to: "D-1", source: .manual)
        let counted = Mutex<[ResourceKind]>([])
        let references = UnmappedReferences(
            mappings: store.mappings, logger: Logger(label: "test"),
            onUnmapped: { kind in counted.withLock { $0.append(kind) } })
        let event = try DocplannerNotification.decode(
            Array(
                #"{"name":"break-created","data":{"facility":{"id":"1"},"doctor":{"id":"123"},"address":{"id":"111"}}}"#
                    .utf8))
        references.check(event)
        references.check(event)
        #expect(counted.withLock { $0 } == [.address, .address], "the unmapped address, on each event")
        // The doctor's mapping goes; within the minute it is still taken as mapped.
        try store.mappings.unset(.doctor, "123")
        references.check(event)
        #expect(counted.withLock { $0 } == [.address, .address, .address])
        // A checker that never saw it mapped asks the store.
        let fresh = UnmappedReferences(
            mappings: store.mappings, logger: Logger(label: "test"),
            onUnmapped: { kind in counted.withLock { $0.append(kind) } })
        fresh.check(event)
        #expect(counted.withLock { $0 }.suffix(2).sorted { $0.rawValue < $1.rawValue } == [.address, .doctor])
        // The address gets a mapping: for a few seconds the first checker still counts it
        // (it is not asked about on every event); a checker that asks the store does not.
        try store.mappings.set(.address, "111", to: "A-1", source: .manual)
        let before = counted.withLock { $0.count }
        references.check(event)
        #expect(counted.withLock { Array($0.dropFirst(before)) } == [.address])
        let third = UnmappedReferences(
            mappings: store.mappings, logger: Logger(label: "test"),
            onUnmapped: { kind in counted.withLock { $0.append(kind) } })
        third.check(event)
        #expect(counted.withLock { Array($0.dropFirst(before + 1)) } == [.doctor])
    }

    @Test func theServiceOfAnEventComesFromTheTranslationGiven() throws {
        let directory = try TemporaryDirectory(prefix: "dpbridge-unmapped")
        defer { directory.remove() }
        let store = try Store(path: directory.file("store.sqlite"))
        defer { store.close() }
        try store.mappings.recordDiscovery(
            [DocplannerResource(kind: .service, id: "77", name: "Consultation")], scope: .everything)
        let counted = Mutex<[ResourceKind]>([])
        let references = UnmappedReferences(
            mappings: store.mappings, logger: Logger(label: "test"),
            onUnmapped: { kind in counted.withLock { $0.append(kind) } })
        // The event names no service; the worker's translation of it (given) does.
        let event = try DocplannerNotification.decode(
            Array(#"{"name":"slot-booked","data":{"visit_booking":{"id":"5"}}}"#.utf8))
        references.check(event)
        #expect(counted.withLock { $0 }.isEmpty)
        let calendar = CalendarRef(facilityID: "", doctorID: "", addressID: "")
        references.check(
            event, changes: [.booked(PartnerBooking(docplannerID: "5", calendar: calendar, serviceID: "77"))])
        #expect(counted.withLock { $0 } == [.service])
    }
}

import Foundation

/// A stretch of one day in which the doctor takes visits of the listed address services
/// (each with its visit length in minutes): one slot as `replaceSlots` sends it.
package struct AvailabilityWindow: Sendable, Equatable {
    package struct Service: Sendable, Equatable, Comparable {
        package var addressServiceID: String
        package var duration: Int

        package init(addressServiceID: String, duration: Int) {
            self.addressServiceID = addressServiceID
            self.duration = duration
        }

        package static func < (a: Self, b: Self) -> Bool {
            (a.addressServiceID, a.duration) < (b.addressServiceID, b.duration)
        }
    }

    package var start: Date
    package var end: Date
    package var services: [Service]

    package init(start: Date, end: Date, services: [Service]) {
        self.start = start
        self.end = end
        self.services = services
    }
}

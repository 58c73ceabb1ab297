import Foundation

/// A stretch of one day in which the doctor takes visits of the listed address services
/// (each with its visit length in minutes): one slot as `replaceSlots` sends it.
public struct AvailabilityWindow: Sendable, Equatable {
    public struct Service: Sendable, Equatable, Comparable {
        public var addressServiceID: String
        public var duration: Int

        public init(addressServiceID: String, duration: Int) {
            self.addressServiceID = addressServiceID
            self.duration = duration
        }

        public static func < (a: Self, b: Self) -> Bool {
            (a.addressServiceID, a.duration) < (b.addressServiceID, b.duration)
        }
    }

    public var start: Date
    public var end: Date
    public var services: [Service]

    public init(start: Date, end: Date, services: [Service]) {
        self.start = start
        self.end = end
        self.services = services
    }
}

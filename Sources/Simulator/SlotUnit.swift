import Foundation

/// One bookable unit of a calendar: a visit of one address service, of its duration, that
/// can start at `start`. `replaceSlots` sends ranges; each address service of a range yields
/// a unit every `duration` minutes from the range's start while the visit fits before the
/// range's end (ReplaceSlotsRequest, integrations-api.yml `components.schemas.ReplaceSlotsRequest`:
/// `address_services[].duration`). `getSlots` lists the starts of free units and, with
/// `slot.services`, the address services bookable there; `bookSlot` books one unit.
struct SlotUnit: Sendable, Equatable {
    var start: Date
    var addressServiceID: String
    /// Minutes.
    var duration: Int
    /// `insurance_accepted` of the range (`with-and-without-insurance` when not sent).
    var insuranceAccepted: String
    var insuranceProviders: [Int]

    var end: Date { start.addingTimeInterval(Double(duration) * 60) }

    /// An address service offered by a range, and the length of its visits.
    struct Offer: Sendable, Equatable {
        var addressServiceID: String
        /// Minutes, at least 1.
        var duration: Int
    }

    /// The units of the range `start ..< end`: for each offer, a start every `duration`
    /// minutes while the visit ends by `end`. A range stays within one day and a duration is
    /// at least a minute, so an offer yields at most 1440 units.
    static func units(
        from start: Date, to end: Date, offers: [Offer], insuranceAccepted: String, insuranceProviders: [Int]
    ) -> [SlotUnit] {
        var units: [SlotUnit] = []
        for offer in offers where offer.duration >= 1 {
            let step = Double(offer.duration) * 60
            var next = start
            while next.addingTimeInterval(step) <= end {
                units.append(
                    SlotUnit(
                        start: next, addressServiceID: offer.addressServiceID, duration: offer.duration,
                        insuranceAccepted: insuranceAccepted, insuranceProviders: insuranceProviders))
                next = next.addingTimeInterval(step)
            }
        }
        return units
    }
}

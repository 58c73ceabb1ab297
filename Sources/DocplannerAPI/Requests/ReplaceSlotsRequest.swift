/// Body of `replaceSlots` (PUT …/addresses/{address_id}/slots): overrides all slots of the
/// days the given slots fall on. Slots at most 12 weeks ahead, each within one day, ≥ 1 min.
package struct ReplaceSlotsRequest: Codable, Sendable, Equatable {
    package struct SlotService: Codable, Sendable, Equatable {
        package var addressServiceID: String
        /// Minutes.
        package var duration: Int

        package init(addressServiceID: String, duration: Int) {
            self.addressServiceID = addressServiceID
            self.duration = duration
        }

        enum CodingKeys: String, CodingKey {
            case addressServiceID = "address_service_id"
            case duration
        }
    }

    package struct Slot: Codable, Sendable, Equatable {
        package var start: DocplannerDateTime
        package var end: DocplannerDateTime
        package var addressServices: [SlotService]?
        /// `with-and-without-insurance` (default), `without-insurance-only`, `with-insurance-only`.
        package var insuranceAccepted: String?
        /// Insurance provider ids — integers here, although ids are strings elsewhere.
        package var insuranceProviders: [Int]?

        package init(
            start: DocplannerDateTime, end: DocplannerDateTime, addressServices: [SlotService]? = nil,
            insuranceAccepted: String? = nil, insuranceProviders: [Int]? = nil
        ) {
            self.start = start
            self.end = end
            self.addressServices = addressServices
            self.insuranceAccepted = insuranceAccepted
            self.insuranceProviders = insuranceProviders
        }

        enum CodingKeys: String, CodingKey {
            case start, end
            case addressServices = "address_services"
            case insuranceAccepted = "insurance_accepted"
            case insuranceProviders = "insurance_providers"
        }
    }

    package var slots: [Slot]

    package init(slots: [Slot]) { self.slots = slots }
}

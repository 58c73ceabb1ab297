/// Body of `replaceSlots` (PUT …/addresses/{address_id}/slots): overrides all slots of the
/// days the given slots fall on. Slots at most 12 weeks ahead, each within one day, ≥ 1 min.
public struct ReplaceSlotsRequest: Codable, Sendable, Equatable {
    public struct SlotService: Codable, Sendable, Equatable {
        public var addressServiceID: String
        /// Minutes.
        public var duration: Int

        public init(addressServiceID: String, duration: Int) {
            self.addressServiceID = addressServiceID
            self.duration = duration
        }

        enum CodingKeys: String, CodingKey {
            case addressServiceID = "address_service_id"
            case duration
        }
    }

    public struct Slot: Codable, Sendable, Equatable {
        public var start: DocplannerDateTime
        public var end: DocplannerDateTime
        public var addressServices: [SlotService]?
        /// `with-and-without-insurance` (default), `without-insurance-only`, `with-insurance-only`.
        public var insuranceAccepted: String?
        /// Insurance provider ids — integers here, although ids are strings elsewhere.
        public var insuranceProviders: [Int]?

        public init(
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

    public var slots: [Slot]

    public init(slots: [Slot]) { self.slots = slots }
}

/// Body of `bookSlot` (POST …/slots/{start}/book).
public struct BookSlotRequest: Codable, Sendable, Equatable {
    public var addressServiceID: String
    /// Minutes.
    public var duration: Int
    /// Needs at least `name` and `phone`.
    public var patient: Patient
    public var isReturning: Bool?
    public var comment: String?
    public var label: String?
    public var insuranceProviderID: String?
    public var insurancePlanID: String?
    public var isRecurring: Bool?

    public init(
        addressServiceID: String, duration: Int, patient: Patient, isReturning: Bool? = nil,
        comment: String? = nil, label: String? = nil, insuranceProviderID: String? = nil,
        insurancePlanID: String? = nil, isRecurring: Bool? = nil
    ) {
        self.addressServiceID = addressServiceID
        self.duration = duration
        self.patient = patient
        self.isReturning = isReturning
        self.comment = comment
        self.label = label
        self.insuranceProviderID = insuranceProviderID
        self.insurancePlanID = insurancePlanID
        self.isRecurring = isRecurring
    }

    enum CodingKeys: String, CodingKey {
        case addressServiceID = "address_service_id"
        case duration, patient
        case isReturning = "is_returning"
        case comment, label
        case insuranceProviderID = "insurance_provider_id"
        case insurancePlanID = "insurance_plan_id"
        case isRecurring = "is_recurring"
    }
}

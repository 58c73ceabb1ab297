/// Body of `bookSlot` (POST …/slots/{start}/book).
package struct BookSlotRequest: Codable, Sendable, Equatable {
    package var addressServiceID: String
    /// Minutes.
    package var duration: Int
    /// Needs at least `name` and `phone`.
    package var patient: Patient
    package var isReturning: Bool?
    package var comment: String?
    package var label: String?
    package var insuranceProviderID: String?
    package var insurancePlanID: String?
    package var isRecurring: Bool?

    package init(
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

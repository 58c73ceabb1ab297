/// Body of `requestOpinion` (PUT …/doctors/{doctor_id}/opinion-request).
public struct OpinionRequest: Codable, Sendable, Equatable {
    /// The patient's phone number.
    public var phone: String

    public init(phone: String) { self.phone = phone }
}

/// Body of `requestOpinion` (PUT …/doctors/{doctor_id}/opinion-request).
package struct OpinionRequest: Codable, Sendable, Equatable {
    /// The patient's phone number.
    package var phone: String

    package init(phone: String) { self.phone = phone }
}

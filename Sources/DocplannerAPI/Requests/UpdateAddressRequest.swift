/// Body of `updateAddress` (PATCH …/addresses/{address_id}).
public struct UpdateAddressRequest: Codable, Sendable, Equatable {
    /// `private`, `insurance` or `private_and_insurance`.
    public var insuranceSupport: String?

    public init(insuranceSupport: String? = nil) { self.insuranceSupport = insuranceSupport }

    enum CodingKeys: String, CodingKey {
        case insuranceSupport = "insurance_support"
    }
}

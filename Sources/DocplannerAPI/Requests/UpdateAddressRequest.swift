/// Body of `updateAddress` (PATCH …/addresses/{address_id}).
package struct UpdateAddressRequest: Codable, Sendable, Equatable {
    /// `private`, `insurance` or `private_and_insurance`.
    package var insuranceSupport: String?

    package init(insuranceSupport: String? = nil) { self.insuranceSupport = insuranceSupport }

    enum CodingKeys: String, CodingKey {
        case insuranceSupport = "insurance_support"
    }
}

import Foundation

/// Insurance providers and plans, and those accepted at an address.
extension DocplannerClient {
    /// `getInsuranceProviders`: GET /insurance-providers (the dictionary)
    package func getInsuranceProviders(priority: RequestPriority = .low) throws(DocplannerError) -> [InsuranceProvider]
    {
        try call(
            "getInsuranceProviders", ItemList<InsuranceProvider>.self, .get, ["insurance-providers"], priority: priority
        ).items
    }

    /// `getInsurancePlans`: GET /insurance-providers/{insurance_provider_id}/plans
    package func getInsurancePlans(
        insuranceProviderID: String, priority: RequestPriority = .low
    ) throws(DocplannerError) -> [InsurancePlan] {
        try call(
            "getInsurancePlans", ItemList<InsurancePlan>.self, .get,
            ["insurance-providers", insuranceProviderID, "plans"],
            priority: priority
        ).items
    }

    /// `getAddressInsuranceProviders`: GET …/addresses/{address_id}/insurance-providers
    package func getAddressInsuranceProviders(
        facilityID: String, doctorID: String, addressID: String, priority: RequestPriority = .normal
    ) throws(DocplannerError) -> [AddressInsuranceProvider] {
        try call(
            "getAddressInsuranceProviders", ItemList<AddressInsuranceProvider>.self, .get,
            addressPath(facilityID, doctorID, addressID, "insurance-providers"), priority: priority
        ).items
    }

    /// `addAddressInsuranceProvider`: POST …/insurance-providers (204; 400 if already assigned)
    package func addAddressInsuranceProvider(
        facilityID: String, doctorID: String, addressID: String, _ request: AddressInsuranceProviderRequest,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "addAddressInsuranceProvider", .post, addressPath(facilityID, doctorID, addressID, "insurance-providers"),
            body: encode(request),
            priority: priority)
    }

    /// `updateOrCreateAddressInsuranceProvider`: PUT …/insurance-providers (204)
    package func updateOrCreateAddressInsuranceProvider(
        facilityID: String, doctorID: String, addressID: String, _ request: AddressInsuranceProviderRequest,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "updateOrCreateAddressInsuranceProvider", .put,
            addressPath(facilityID, doctorID, addressID, "insurance-providers"), body: encode(request),
            priority: priority)
    }

    /// `deleteAddressInsuranceProvider`: DELETE …/insurance-providers/{insurance_provider_id} (204)
    package func deleteAddressInsuranceProvider(
        facilityID: String, doctorID: String, addressID: String, insuranceProviderID: String,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "deleteAddressInsuranceProvider", .delete,
            addressPath(facilityID, doctorID, addressID, "insurance-providers", insuranceProviderID),
            priority: priority)
    }
}

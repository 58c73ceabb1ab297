import DocplannerAPI
import Foundation
import HTTP1

/// Insurance providers and plans, and those accepted at an address.
enum InsuranceRoutes {
    static let address = "/facilities/:facility/doctors/:doctor/addresses/:address"

    static func register(_ gateway: APIGateway, on router: inout Router) {
        gateway.add(&router, "GET", "/insurance-providers", state: providers)
        gateway.add(&router, "GET", "/insurance-providers/:provider/plans", state: plans)
        gateway.add(&router, "GET", address + "/insurance-providers", state: list)
        gateway.add(&router, "POST", address + "/insurance-providers", state: add)
        gateway.add(&router, "PUT", address + "/insurance-providers", state: updateOrCreate)
        gateway.add(&router, "DELETE", address + "/insurance-providers/:provider", state: delete)
    }

    /// getInsuranceProviders
    static func providers(_ request: APIRequest, _ state: inout SimulatorState) -> HTTPResponse {
        APIReply.json(
            ItemList(state.insuranceProviders.map { InsuranceProvider(insuranceProviderID: $0.id, name: $0.name) }))
    }

    /// getInsurancePlans
    static func plans(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        guard let provider = state.provider(request[parameter: "provider"]) else {
            throw HTTPResponseError(APIReply.problem(404, APIReply.objectNotFound))
        }
        return APIReply.json(ItemList(provider.plans.map { InsurancePlan(insurancePlanID: $0.id, name: $0.name) }))
    }

    /// getAddressInsuranceProviders
    static func list(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let addressID = state.addresses[try state.resolveAddress(request)].id
        let accepted = state.addressInsurance.filter { $0.addressID == addressID }.compactMap {
            entry -> AddressInsuranceProvider? in
            guard let provider = state.provider(entry.providerID) else { return nil }
            let plans = provider.plans.filter { entry.planIDs.contains($0.id) }
                .map { InsurancePlan(insurancePlanID: $0.id, name: $0.name) }
            return AddressInsuranceProvider(
                insuranceProviderID: provider.id, name: provider.name, insurancePlans: ItemList(plans))
        }
        return APIReply.json(ItemList(accepted))
    }

    /// addAddressInsuranceProvider (204; 400 when already assigned).
    static func add(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let (addressID, providerID, plans) = try read(request, &state)
        guard !state.addressInsurance.contains(where: { $0.addressID == addressID && $0.providerID == providerID })
        else {
            throw HTTPResponseError(
                APIReply.problem(400, "Insurance provider with given ID is already assigned to this address."))
        }
        state.addressInsurance.append(.init(addressID: addressID, providerID: providerID, planIDs: plans ?? []))
        return APIReply.empty(204)
    }

    /// updateOrCreateAddressInsuranceProvider (204).
    static func updateOrCreate(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError)
        -> HTTPResponse
    {
        let (addressID, providerID, plans) = try read(request, &state)
        if let index = state.addressInsurance.firstIndex(where: {
            $0.addressID == addressID && $0.providerID == providerID
        }) {
            if let plans { state.addressInsurance[index].planIDs = plans }
        } else {
            state.addressInsurance.append(.init(addressID: addressID, providerID: providerID, planIDs: plans ?? []))
        }
        return APIReply.empty(204)
    }

    /// deleteAddressInsuranceProvider (204; 400 when not assigned).
    static func delete(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let addressID = state.addresses[try state.resolveAddress(request)].id
        let providerID = request[parameter: "provider"]
        guard state.provider(providerID) != nil else {
            throw HTTPResponseError(APIReply.problem(404, "Provided insurance provider ID not found in dictionary"))
        }
        guard
            let index = state.addressInsurance.firstIndex(where: {
                $0.addressID == addressID && $0.providerID == providerID
            })
        else {
            throw HTTPResponseError(
                APIReply.problem(400, "Insurance provider with given ID is not assigned to this address."))
        }
        state.addressInsurance.remove(at: index)
        return APIReply.empty(204)
    }

    /// The address, provider and plan ids of an AddAddressInsuranceProviderRequest or
    /// UpdateOrCreateAddressInsuranceProviderRequest (`insurance_provider_id`, a string, and
    /// `insurance_plans[].insurance_plan_id`, strings; changelog 1.7.1), checked against the
    /// dictionary.
    private static func read(
        _ request: APIRequest, _ state: inout SimulatorState
    ) throws(HTTPResponseError) -> (String, String, [String]?) {
        let addressID = state.addresses[try state.resolveAddress(request)].id
        let fields = try request.fields()
        fields.only(["insurance_provider_id", "insurance_plans"])
        let providerID = fields.id("insurance_provider_id", required: true)
        var plans: [String]? = nil
        if let elements = fields.array("insurance_plans") {
            plans = []
            for (index, element) in elements.enumerated() {
                guard let item = fields.element(element, of: "insurance_plans", at: index) else { continue }
                item.only(["insurance_plan_id"])
                if let plan = item.id("insurance_plan_id", required: true) { plans?.append(plan) }
            }
        }
        try fields.validation.check()
        guard let provider = state.provider(providerID!) else {
            throw HTTPResponseError(APIReply.problem(404, "Provided insurance provider ID not found in dictionary"))
        }
        if let unknown = plans?.first(where: { plan in !provider.plans.contains { $0.id == plan } }) {
            throw HTTPResponseError(
                APIReply.problem(400, "Insurance plan \(unknown) does not belong to insurance provider \(provider.id).")
            )
        }
        return (addressID, provider.id, plans)
    }
}

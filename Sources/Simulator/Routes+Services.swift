import DocplannerAPI
import Foundation
import HTTP1

/// The service dictionary and address services.
enum ServiceRoutes {
    static let address = "/facilities/:facility/doctors/:doctor/addresses/:address"

    static func register(_ gateway: APIGateway, on router: inout Router) {
        gateway.add(&router, "GET", "/services", state: dictionary)
        gateway.add(&router, "GET", address + "/services", state: list)
        gateway.add(&router, "POST", address + "/services", state: add)
        gateway.add(&router, "GET", address + "/services/:service", state: get)
        gateway.add(&router, "PATCH", address + "/services/:service", state: update)
        gateway.add(&router, "DELETE", address + "/services/:service", state: delete)
    }

    /// getServices, optionally for one `specialization_id`.
    static func dictionary(_ request: APIRequest, _ state: inout SimulatorState) -> HTTPResponse {
        var services = state.services
        if let specialization = request.query("specialization_id") {
            services = services.filter { $0.specializationIDs.contains(specialization) }
        }
        return APIReply.json(ItemList(services.map { Service(id: $0.id, name: $0.name) }))
    }

    /// getAddressServices; `start` keeps the services of the slot starting then.
    static func list(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        let addressID = state.addresses[index].id
        var services = state.addressServices.filter { $0.addressID == addressID }
        if let text = request.query("start") {
            guard let start = DocplannerDateTime.parse(text) else {
                throw HTTPResponseError(APIReply.problem(400, "Invalid date given."))
            }
            let offered = state.availableSlots(address: addressID, from: start, to: start.addingTimeInterval(1))
                .filter { $0.start == start }.flatMap { $0.services.map(\.addressServiceID) }
            services = services.filter { offered.contains($0.id) }
        }
        return APIReply.json(ItemList(services.map { state.render($0, scopes: request.scopes) }))
    }

    /// addAddressService → 201 with the address service and its `Location` (409 when the
    /// dictionary service is already offered at the address).
    static func add(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        let addressID = state.addresses[index].id
        let validation = BodyValidation()
        let fields = BodyFields(try request.jsonObject().get(), validation: validation)
        let serviceID = fields.id("service_id", required: true)
        let details = readDetails(fields, durationKey: "default_duration")
        try validation.check()
        guard let service = state.services.first(where: { $0.id == serviceID }) else {
            throw HTTPResponseError(APIReply.problem(400, "Service does not exist"))
        }
        guard !state.addressServices.contains(where: { $0.addressID == addressID && $0.serviceID == service.id }) else {
            throw HTTPResponseError(
                APIReply.problem(409, "The address service you are trying to add already exists in the system"))
        }
        var record = SimulatorState.AddressServiceRecord(
            id: state.makeID(), addressID: addressID, serviceID: service.id, name: service.name, price: nil,
            isPriceFrom: false, description: nil, isVisible: true, defaultDuration: 30, allowedPatients: nil,
            customName: nil, isDefault: false)
        details.apply(to: &record)
        state.addressServices.append(record)
        let location = request.path + "/\(record.id)"
        return APIReply.json(201, state.render(record, scopes: ["address_service.custom_name"]), headers: [("Location", location)])
    }

    /// getAddressService
    static func get(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddressService(request)
        return APIReply.json(state.render(state.addressServices[index], scopes: request.scopes))
    }

    /// updateAddressService (200 with the address service).
    static func update(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddressService(request)
        let validation = BodyValidation()
        let fields = BodyFields(try request.jsonObject().get(), validation: validation)
        let details = readDetails(fields, durationKey: "default_duration")
        try validation.check()
        details.apply(to: &state.addressServices[index])
        return APIReply.json(state.render(state.addressServices[index], scopes: ["address_service.custom_name"]))
    }

    /// deleteAddressService (204); slots stop offering it.
    static func delete(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddressService(request)
        let removed = state.addressServices.remove(at: index)
        state.removeOffers(of: removed.id, at: removed.addressID)
        return APIReply.empty(204)
    }

    /// The optional fields of Add/UpdateAddressServiceRequest, checked.
    struct Details {
        var price: Double??
        var isPriceFrom: Bool?
        var description: String??
        var isVisible: Bool?
        var defaultDuration: Int?
        var allowedPatients: AllowedPatients??
        var customName: String?

        func apply(to record: inout SimulatorState.AddressServiceRecord) {
            if let price { record.price = price }
            if let isPriceFrom { record.isPriceFrom = isPriceFrom }
            if let description { record.description = description }
            if let isVisible { record.isVisible = isVisible }
            if let defaultDuration { record.defaultDuration = defaultDuration }
            if let allowedPatients { record.allowedPatients = allowedPatients }
            if let customName { record.customName = customName }
        }
    }

    static func readDetails(_ fields: BodyFields, durationKey: String) -> Details {
        var details = Details()
        if fields.members.keys.contains("price") {
            if let price = fields.number("price") {
                let cents = price * 100
                if price < 0 || !price.isFinite {
                    fields.validation.add(
                        "price", "Invalid price value for service. Price should be either null or a number greater or equal 0.")
                }
                details.price = .some((cents.rounded(.towardZero)) / 100)
            } else if fields.members["price"] == .null {
                details.price = .some(nil)
            }
        }
        details.isPriceFrom = fields.bool("is_price_from")
        if fields.members.keys.contains("description") {
            details.description = .some(fields.string("description"))
        }
        details.isVisible = fields.bool("is_visible")
        details.defaultDuration = fields.int(durationKey, minimum: 1)
        if let patients = fields.object("allowed_patients") {
            let minimum = patients.int("minimum_age", minimum: 0)
            let maximum = patients.int("maximum_age", minimum: 0)
            if let minimum, let maximum, maximum < minimum {
                fields.validation.add("allowed_patients.maximum_age", "Maximum age cannot be lower than minimum age.")
            }
            details.allowedPatients = .some(AllowedPatients(minimumAge: minimum, maximumAge: maximum))
        } else if fields.members["allowed_patients"] == .null {
            details.allowedPatients = .some(nil)
        }
        if let name = fields.string("custom_name") {
            if name.isEmpty { fields.validation.add("custom_name", "Custom name cannot be an empty string.") }
            details.customName = name
        }
        return details
    }
}

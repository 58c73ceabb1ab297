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

    /// getAddressServices; `start` keeps those "linked to slots that start on that date"
    /// (`startForAddressServices`): the services of the free units starting then.
    static func list(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        let addressID = state.addresses[index].id
        var services = state.addressServices.filter { $0.addressID == addressID }
        if let text = request.query("start") {
            guard let start = DocplannerDateTime.parse(text) else {
                throw HTTPResponseError(APIReply.problem(400, "Invalid date given."))
            }
            let offered = state.availableSlots(address: addressID, from: start, to: start.addingTimeInterval(1))
                .filter { $0.start == start }.flatMap { $0.units.map(\.addressServiceID) }
            services = services.filter { offered.contains($0.id) }
        }
        return APIReply.json(ItemList(services.map { state.render($0, scopes: request.scopes) }))
    }

    /// addAddressService → 201 with the address service and its `Location` (409 when the
    /// dictionary service is already offered at the address).
    static func add(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddress(request)
        let addressID = state.addresses[index].id
        let fields = try request.fields()
        fields.only(addMembers)
        let serviceID = fields.id("service_id", required: true)
        let details = readDetails(fields, durationNullable: true)
        try fields.validation.check()
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
        return APIReply.json(
            201, state.render(record, scopes: ["address_service.custom_name"]), headers: [("Location", location)])
    }

    /// getAddressService
    static func get(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddressService(request)
        return APIReply.json(state.render(state.addressServices[index], scopes: request.scopes))
    }

    /// updateAddressService (200 with the address service). UpdateAddressServiceRequest:
    /// every member optional; `price`, `description`, `allowed_patients` and `custom_name` are
    /// nullable, and `null` clears them ("Send null to clear"; changelog 1.9.1).
    static func update(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddressService(request)
        let fields = try request.fields()
        fields.only(updateMembers)
        let details = readDetails(fields, durationNullable: false)
        try fields.validation.check()
        details.apply(to: &state.addressServices[index])
        return APIReply.json(state.render(state.addressServices[index], scopes: ["address_service.custom_name"]))
    }

    /// deleteAddressService (204); slots stop offering it.
    static func delete(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let index = try state.resolveAddressService(request)
        let removed = state.addressServices.remove(at: index)
        state.removeUnits(of: removed.id, at: removed.addressID)
        return APIReply.empty(204)
    }

    /// The members of AddAddressServiceRequest and UpdateAddressServiceRequest
    /// (integrations-api.yml `components.schemas`), and of AllowedPatientsData.
    static let updateMembers: Set<String> = [
        "is_price_from", "price", "description", "is_visible", "default_duration", "allowed_patients", "custom_name",
    ]
    static let addMembers: Set<String> = updateMembers.union(["service_id"])
    static let allowedPatientsMembers: Set<String> = ["minimum_age", "maximum_age"]

    /// The optional fields of Add/UpdateAddressServiceRequest, checked. A double optional is
    /// nil when the member was not sent and `.some(nil)` when it was sent as `null` (cleared).
    struct Details {
        var price: Double??
        var isPriceFrom: Bool?
        var description: String??
        var isVisible: Bool?
        var defaultDuration: Int?
        var allowedPatients: AllowedPatients??
        var customName: String??

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

    /// `price` is a number with at most 2 decimals kept (1.12.0: "additional decimals are
    /// truncated"); `default_duration` is nullable in the Add request only; `custom_name`
    /// "Cannot be an empty string" (`minLength: 1`).
    static func readDetails(_ fields: BodyFields, durationNullable: Bool) -> Details {
        var details = Details()
        if fields.isNull("price") {
            details.price = .some(nil)
        } else if let price = fields.number("price", nullable: true) {
            if price < 0 || !price.isFinite {
                fields.validation.add(
                    "price",
                    "Invalid price value for service. Price should be either null or a number greater or equal 0.")
            }
            details.price = .some((price * 100).rounded(.towardZero) / 100)
        }
        details.isPriceFrom = fields.bool("is_price_from")
        if fields.isNull("description") {
            details.description = .some(nil)
        } else if let description = fields.string("description", nullable: true) {
            details.description = .some(description)
        }
        details.isVisible = fields.bool("is_visible")
        details.defaultDuration = fields.int("default_duration", nullable: durationNullable, minimum: 1)
        if fields.isNull("allowed_patients") {
            details.allowedPatients = .some(nil)
        } else if let patients = fields.object("allowed_patients", nullable: true) {
            patients.only(allowedPatientsMembers)
            let minimum = patients.int("minimum_age", nullable: true, minimum: 0)
            let maximum = patients.int("maximum_age", nullable: true, minimum: 0)
            if let minimum, let maximum, maximum < minimum {
                fields.validation.add("allowed_patients.maximum_age", "Maximum age cannot be lower than minimum age.")
            }
            details.allowedPatients = .some(AllowedPatients(minimumAge: minimum, maximumAge: maximum))
        }
        if fields.isNull("custom_name") {
            details.customName = .some(nil)
        } else if let name = fields.string("custom_name", nullable: true) {
            if name.isEmpty { fields.validation.add("custom_name", "Custom name cannot be an empty string.") }
            details.customName = .some(name)
        }
        return details
    }
}

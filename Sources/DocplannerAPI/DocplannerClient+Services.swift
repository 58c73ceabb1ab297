import Foundation

/// The service dictionary and address services.
extension DocplannerClient {
    /// `getServices`: GET /services (the dictionary), optionally for one specialization.
    package func getServices(
        specializationID: String? = nil, with scopes: [Scope] = [], priority: RequestPriority = .low
    ) throws(DocplannerError) -> [Service] {
        var query = scopeQuery(scopes)
        if let specializationID { query.append(("specialization_id", specializationID)) }
        return try call(
            "getServices", ItemList<Service>.self, .get, ["services"], query: query, priority: priority
        ).items
    }

    /// `getAddressServices`: GET …/addresses/{address_id}/services; `start` limits the answer
    /// to services of slots starting then.
    package func getAddressServices(
        facilityID: String, doctorID: String, addressID: String, start: Date? = nil,
        with scopes: [Scope] = [], priority: RequestPriority = .normal
    ) throws(DocplannerError) -> [AddressService] {
        var query = scopeQuery(scopes)
        if let start { query.append(("start", dateTime(start).text)) }
        return try call(
            "getAddressServices", ItemList<AddressService>.self, .get,
            addressPath(facilityID, doctorID, addressID, "services"),
            query: query, priority: priority
        ).items
    }

    /// `addAddressService`: POST …/services → 201 with the new address service (409 if it exists).
    package func addAddressService(
        facilityID: String, doctorID: String, addressID: String, _ request: AddAddressServiceRequest,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) -> AddressService {
        try call(
            "addAddressService", AddressService.self, .post, addressPath(facilityID, doctorID, addressID, "services"),
            body: encode(request), priority: priority)
    }

    /// `getAddressService`: GET …/services/{address_service_id}
    package func getAddressService(
        facilityID: String, doctorID: String, addressID: String, addressServiceID: String,
        with scopes: [Scope] = [], priority: RequestPriority = .normal
    ) throws(DocplannerError) -> AddressService {
        try call(
            "getAddressService", AddressService.self, .get,
            addressPath(facilityID, doctorID, addressID, "services", addressServiceID),
            query: scopeQuery(scopes), priority: priority)
    }

    /// `updateAddressService`: PATCH …/services/{address_service_id}. Returns the service when
    /// Docplanner sends it back.
    @discardableResult
    package func updateAddressService(
        facilityID: String, doctorID: String, addressID: String, addressServiceID: String,
        _ request: UpdateAddressServiceRequest, priority: RequestPriority = .normal
    ) throws(DocplannerError) -> AddressService? {
        let response = try send(
            "updateAddressService", .patch, addressPath(facilityID, doctorID, addressID, "services", addressServiceID),
            body: encode(request), priority: priority)
        return response.body.isEmpty
            ? nil : try decode(AddressService.self, from: response.body, what: "updated address service")
    }

    /// `deleteAddressService`: DELETE …/services/{address_service_id} (204)
    package func deleteAddressService(
        facilityID: String, doctorID: String, addressID: String, addressServiceID: String,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "deleteAddressService", .delete,
            addressPath(facilityID, doctorID, addressID, "services", addressServiceID), priority: priority
        )
    }
}

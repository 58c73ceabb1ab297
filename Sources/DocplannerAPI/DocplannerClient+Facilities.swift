import Foundation

/// Facilities, doctors and addresses.
extension DocplannerClient {
    /// `getFacilities`: GET /facilities
    package func getFacilities(priority: RequestPriority = .normal) throws(DocplannerError) -> [Facility] {
        try call("getFacilities", ItemList<Facility>.self, .get, ["facilities"], priority: priority).items
    }

    /// `getFacility`: GET /facilities/{facility_id} (`with: [.facilityDoctors]`)
    package func getFacility(
        facilityID: String, with scopes: [Scope] = [], priority: RequestPriority = .normal
    ) throws(DocplannerError) -> Facility {
        try call(
            "getFacility", Facility.self, .get, ["facilities", facilityID], query: scopeQuery(scopes),
            priority: priority
        )
    }

    /// `getDoctors`: GET /facilities/{facility_id}/doctors
    package func getDoctors(
        facilityID: String, with scopes: [Scope] = [], priority: RequestPriority = .normal
    ) throws(DocplannerError) -> [Doctor] {
        try call(
            "getDoctors", ItemList<Doctor>.self, .get, ["facilities", facilityID, "doctors"], query: scopeQuery(scopes),
            priority: priority
        ).items
    }

    /// `getDoctor`: GET /facilities/{facility_id}/doctors/{doctor_id}
    package func getDoctor(
        facilityID: String, doctorID: String, with scopes: [Scope] = [], priority: RequestPriority = .normal
    ) throws(DocplannerError) -> Doctor {
        try call(
            "getDoctor", Doctor.self, .get, ["facilities", facilityID, "doctors", doctorID], query: scopeQuery(scopes),
            priority: priority)
    }

    /// `getAddresses`: GET …/doctors/{doctor_id}/addresses
    package func getAddresses(
        facilityID: String, doctorID: String, with scopes: [Scope] = [], priority: RequestPriority = .normal
    ) throws(DocplannerError) -> [Address] {
        try call(
            "getAddresses", ItemList<Address>.self, .get, ["facilities", facilityID, "doctors", doctorID, "addresses"],
            query: scopeQuery(scopes), priority: priority
        ).items
    }

    /// `getAddress`: GET …/addresses/{address_id}
    package func getAddress(
        facilityID: String, doctorID: String, addressID: String, with scopes: [Scope] = [],
        priority: RequestPriority = .normal
    ) throws(DocplannerError) -> Address {
        try call(
            "getAddress", Address.self, .get, addressPath(facilityID, doctorID, addressID), query: scopeQuery(scopes),
            priority: priority)
    }

    /// `updateAddress`: PATCH …/addresses/{address_id}. Returns the address when Docplanner
    /// sends it back.
    @discardableResult
    package func updateAddress(
        facilityID: String, doctorID: String, addressID: String, _ request: UpdateAddressRequest,
        priority: RequestPriority = .normal
    ) throws(DocplannerError) -> Address? {
        let response = try send(
            "updateAddress", .patch, addressPath(facilityID, doctorID, addressID), body: encode(request),
            priority: priority)
        return response.body.isEmpty ? nil : try decode(Address.self, from: response.body, what: "updated address")
    }

    /// `removeAddressIntegration`: DELETE …/addresses/{address_id}/integration (202;
    /// DocplannerPMS clients only).
    package func removeAddressIntegration(
        facilityID: String, doctorID: String, addressID: String, priority: RequestPriority = .normal
    ) throws(DocplannerError) {
        _ = try send(
            "removeAddressIntegration", .delete, addressPath(facilityID, doctorID, addressID, "integration"),
            priority: priority
        )
    }

    /// `requestOpinion`: PUT /facilities/{facility_id}/doctors/{doctor_id}/opinion-request
    package func requestOpinion(
        facilityID: String, doctorID: String, phone: String, priority: RequestPriority = .low
    ) throws(DocplannerError) {
        _ = try send(
            "requestOpinion", .put, ["facilities", facilityID, "doctors", doctorID, "opinion-request"],
            body: encode(OpinionRequest(phone: phone)), priority: priority)
    }
}

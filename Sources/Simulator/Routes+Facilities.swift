import DocplannerAPI
import Foundation
import HTTP1

/// Facilities, doctors and addresses.
enum FacilityRoutes {
    static func register(_ gateway: APIGateway, on router: inout Router) {
        gateway.add(&router, "GET", "/facilities", state: list)
        gateway.add(&router, "GET", "/facilities/:facility", state: facility)
        gateway.add(&router, "GET", "/facilities/:facility/doctors", state: doctors)
        gateway.add(&router, "GET", "/facilities/:facility/doctors/:doctor", state: doctor)
        gateway.add(&router, "GET", "/facilities/:facility/doctors/:doctor/addresses", state: addresses)
        gateway.add(&router, "GET", "/facilities/:facility/doctors/:doctor/addresses/:address", state: address)
        gateway.add(&router, "PATCH", "/facilities/:facility/doctors/:doctor/addresses/:address", state: updateAddress)
        gateway.add(
            &router, "DELETE", "/facilities/:facility/doctors/:doctor/addresses/:address/integration",
            state: removeIntegration)
        gateway.add(&router, "PUT", "/facilities/:facility/doctors/:doctor/opinion-request", state: requestOpinion)
    }

    /// getFacilities
    static func list(_ request: APIRequest, _ state: inout SimulatorState) -> HTTPResponse {
        APIReply.json(ItemList(state.facilities.map { state.render($0) }))
    }

    /// getFacility (`facility.doctors`)
    static func facility(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        let facility = try state.resolveFacility(request[parameter: "facility"])
        return APIReply.json(state.render(facility, scopes: request.scopes))
    }

    /// getDoctors
    static func doctors(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        let facility = try state.resolveFacility(request[parameter: "facility"])
        let doctors = state.doctors.filter { $0.facilityID == facility.id }
        return APIReply.json(ItemList(doctors.map { state.render($0, scopes: request.scopes) }))
    }

    /// getDoctor (`doctor.addresses`, `address.*`)
    static func doctor(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse {
        let doctor = try state.resolveDoctor(request[parameter: "facility"], request[parameter: "doctor"])
        return APIReply.json(state.render(doctor, scopes: request.scopes))
    }

    /// getAddresses
    static func addresses(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError)
        -> HTTPResponse
    {
        let doctor = try state.resolveDoctor(request[parameter: "facility"], request[parameter: "doctor"])
        return APIReply.json(ItemList(state.addressesOf(doctor).map { state.render($0, scopes: request.scopes) }))
    }

    /// getAddress
    static func address(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError) -> HTTPResponse
    {
        let index = try state.resolveAddress(request)
        return APIReply.json(state.render(state.addresses[index], scopes: request.scopes))
    }

    /// updateAddress (200 with the address). UpdateAddressRequest declares one optional
    /// member, `insurance_support` (`private`, `insurance`, `private_and_insurance`).
    static func updateAddress(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError)
        -> HTTPResponse
    {
        let index = try state.resolveAddress(request)
        let fields = try request.fields()
        fields.only(["insurance_support"])
        let support = fields.choice("insurance_support", ["private", "insurance", "private_and_insurance"])
        try fields.validation.check()
        if let support { state.addresses[index].insuranceSupport = support }
        return APIReply.json(state.render(state.addresses[index], scopes: ["address.insurance_support"]))
    }

    /// removeAddressIntegration (202): the address leaves the integration.
    static func removeIntegration(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError)
        -> HTTPResponse
    {
        let index = try state.resolveAddress(request)
        state.addresses[index].integrationRemoved = true
        return APIReply.empty(202)
    }

    /// requestOpinion: OpinionRequest, a patient `phone` (a string; 200; 409 when already asked,
    /// `OpinionAlreadyExist`; 400 `OpinionRequestValidationError` "Phone number is invalid.").
    static func requestOpinion(_ request: APIRequest, _ state: inout SimulatorState) throws(HTTPResponseError)
        -> HTTPResponse
    {
        _ = try state.resolveDoctor(request[parameter: "facility"], request[parameter: "doctor"])
        let fields = try request.fields()
        fields.only(["phone"])
        let phone = fields.string("phone", required: true, allowInteger: true)
        try fields.validation.check()
        let digits = phone!.filter(\.isNumber)
        guard digits.count >= 9, digits.count <= 15, phone!.allSatisfy({ $0.isNumber || " +-()".contains($0) }) else {
            throw HTTPResponseError(APIReply.problem(400, "Phone number is invalid."))
        }
        let key = "\(request[parameter: "doctor"])|\(digits)"
        guard !state.opinionRequests.contains(key) else {
            throw HTTPResponseError(APIReply.problem(409, "Opinion already exists"))
        }
        state.opinionRequests.append(key)
        return APIReply.empty(200)
    }
}

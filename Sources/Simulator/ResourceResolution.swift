/// Finds the resources named in a path, answering as Docplanner does when one is missing
/// (404) or belongs elsewhere (403).
extension SimulatorState {
    func resolveFacility(_ id: String) throws(HTTPResponseError) -> FacilityRecord {
        guard let facility = facility(id) else {
            throw HTTPResponseError(APIReply.problem(403, "You are not authorized to see this facility"))
        }
        return facility
    }

    func resolveDoctor(_ facilityID: String, _ doctorID: String) throws(HTTPResponseError) -> DoctorRecord {
        _ = try resolveFacility(facilityID)
        guard let doctor = doctor(doctorID) else {
            throw HTTPResponseError(APIReply.problem(404, APIReply.objectNotFound))
        }
        guard doctor.facilityID == facilityID else {
            throw HTTPResponseError(APIReply.problem(403, "Doctor is not related with facility"))
        }
        return doctor
    }

    /// The address's index in `addresses`.
    func resolveAddress(_ facilityID: String, _ doctorID: String, _ addressID: String) throws(HTTPResponseError) -> Int
    {
        _ = try resolveDoctor(facilityID, doctorID)
        guard let index = addressIndex(addressID), !addresses[index].integrationRemoved else {
            throw HTTPResponseError(APIReply.problem(404, APIReply.objectNotFound))
        }
        let address = addresses[index]
        guard address.facilityID == facilityID else {
            throw HTTPResponseError(APIReply.problem(403, "This address does not belong to this facility"))
        }
        guard address.doctorID == doctorID else {
            throw HTTPResponseError(APIReply.problem(403, "This address does not belong to this doctor"))
        }
        return index
    }

    /// The address of a request under `/facilities/:facility/doctors/:doctor/addresses/:address`.
    func resolveAddress(_ request: APIRequest) throws(HTTPResponseError) -> Int {
        try resolveAddress(request[parameter: "facility"], request[parameter: "doctor"], request[parameter: "address"])
    }

    /// The booking's index, checked to belong to the request's address.
    func resolveBooking(_ request: APIRequest) throws(HTTPResponseError) -> Int {
        let address = try resolveAddress(request)
        guard let index = bookingIndex(request[parameter: "booking"]) else {
            throw HTTPResponseError(APIReply.problem(404, APIReply.objectNotFound))
        }
        guard bookings[index].addressID == addresses[address].id else {
            throw HTTPResponseError(APIReply.problem(403, "This booking does not belong to this address"))
        }
        return index
    }

    /// The address service's index, checked to belong to the request's address.
    func resolveAddressService(_ request: APIRequest) throws(HTTPResponseError) -> Int {
        let address = try resolveAddress(request)
        guard let index = addressServices.firstIndex(where: { $0.id == request[parameter: "service"] }) else {
            throw HTTPResponseError(APIReply.problem(404, APIReply.objectNotFound))
        }
        guard addressServices[index].addressID == addresses[address].id else {
            throw HTTPResponseError(APIReply.problem(403, "This service does not belong to this address"))
        }
        return index
    }

    /// The break's index, checked to belong to the request's address (and its calendar to exist).
    func resolveBreak(_ request: APIRequest) throws(HTTPResponseError) -> Int {
        let address = try resolveAddress(request)
        guard let index = breaks.firstIndex(where: { $0.id == request[parameter: "break"] }),
            breaks[index].addressID == addresses[address].id
        else {
            throw HTTPResponseError(APIReply.problem(404, "Invalid break ID"))
        }
        return index
    }

    /// 422 unless the address is commercial (calendar operations need it).
    func requireCommercial(_ index: Int) throws(HTTPResponseError) {
        let address = addresses[index]
        guard address.isCommercial else {
            throw HTTPResponseError(
                APIReply.problem(
                    422, "Cannot activate calendar on address \(address.id), profile/address is not commercial"))
        }
    }
}

/// One doctor's calendar at one address, named by Docplanner's ids (facility, doctor,
/// address). The embedded partner calendar keys its rows by these ids.
public struct CalendarRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public var facilityID: String
    public var doctorID: String
    public var addressID: String

    public init(facilityID: String, doctorID: String, addressID: String) {
        self.facilityID = facilityID
        self.doctorID = doctorID
        self.addressID = addressID
    }

    public var description: String { "\(facilityID)/\(doctorID)/\(addressID)" }
}

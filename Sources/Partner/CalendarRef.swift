/// One doctor's calendar at one address, named by Docplanner's ids (facility, doctor,
/// address). The embedded partner calendar keys its rows by these ids.
package struct CalendarRef: Sendable, Hashable, Codable, CustomStringConvertible {
    package var facilityID: String
    package var doctorID: String
    package var addressID: String

    package init(facilityID: String, doctorID: String, addressID: String) {
        self.facilityID = facilityID
        self.doctorID = doctorID
        self.addressID = addressID
    }

    package var description: String { "\(facilityID)/\(doctorID)/\(addressID)" }
}

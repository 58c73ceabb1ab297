import DocplannerAPI
import Foundation

/// Decides what a request on the callback URL is: Docplanner's ping, an event to store,
/// or a body that cannot be parsed (quarantined). Pure: no I/O.
enum CallbackClassification: Equatable {
    /// GET/HEAD, an empty POST, or a JSON object without an event `name`.
    case ping
    /// An event. `dedupKey` identifies it across re-sends and across PUSH and PULL
    /// (`DocplannerNotification.identityKey`); `orderingKey` groups the events that must
    /// apply in order (one booking, or one doctor-address calendar). `notification` is the
    /// decoded body, handed on to the inbound worker so that it is decoded once.
    case event(
        name: String, dedupKey: String, orderingKey: String, fields: EventFields, notification: DocplannerNotification)
    /// `slot-booking` or `booking-moving`: a question answered synchronously (approve or
    /// deny), not an event to store.
    case question(DocplannerNotification)
    /// Not JSON, or not a JSON object.
    case unparseable(reason: String)

    /// Identifiers worth logging with the event.
    struct EventFields: Equatable {
        var bookingID: String?
        var doctorID: String?
        var addressID: String?
        var facilityID: String?
    }
}

enum CallbackClassifier {
    /// GET/HEAD, or a POST without a body (blank at most): a ping, whatever else it says.
    /// (A JSON object without an event `name` is one too; `classify` finds that.)
    static func isPing(method: String, body: [UInt8]) -> Bool {
        method == "GET" || method == "HEAD" || body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    static func classify(method: String, body: [UInt8]) -> CallbackClassification {
        if isPing(method: method, body: body) { return .ping }
        let value: JSONValue
        do {
            value = try JSONReader.read(body)
        } catch {
            return .unparseable(reason: "the body is not valid JSON: \(error)")
        }
        guard case .object = value, let notification = try? DocplannerNotification.decode(value) else {
            return .unparseable(reason: "the body is not a JSON object")
        }
        guard !notification.name.isEmpty else { return .ping }
        switch notification.event {
        case .slotBooking, .bookingMoving: return .question(notification)
        default: break
        }
        let place = notification.event.place
        let fields = CallbackClassification.EventFields(
            bookingID: notification.event.bookingID, doctorID: place.doctor?.id, addressID: place.address?.id,
            facilityID: place.facility?.id)
        return .event(
            name: notification.name, dedupKey: notification.identityKey, orderingKey: notification.orderingKey,
            fields: fields, notification: notification)
    }
}

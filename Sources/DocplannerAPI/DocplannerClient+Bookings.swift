import Foundation

/// Bookings: listing, reading, cancelling, moving, confirming, and patient presence.
extension DocplannerClient {
    /// What `moveBooking` returns: the new booking (moving creates a new booking id) and the
    /// `Location` of it.
    package struct MovedBooking: Sendable, Equatable {
        package var booking: Booking
        package var location: String?
    }

    /// `getBookings`: GET …/bookings?start=…&end=…[&page=…&limit=…]. Paginated when `page` is
    /// given (default limit 100).
    package func getBookings(
        facilityID: String, doctorID: String, addressID: String, start: Date, end: Date,
        page: Int? = nil, limit: Int? = nil, with scopes: [Scope] = [], priority: RequestPriority = .normal
    ) throws(DocplannerError) -> BookingPage {
        var query = [("start", dateTime(start).text), ("end", dateTime(end).text)]
        if let page { query.append(("page", String(page))) }
        if let limit { query.append(("limit", String(limit))) }
        query += scopeQuery(scopes)
        return try call(
            "getBookings", BookingPage.self, .get, addressPath(facilityID, doctorID, addressID, "bookings"),
            query: query,
            priority: priority)
    }

    /// Every booking in the range, page by page (at most `maxPages` pages).
    package func getAllBookings(
        facilityID: String, doctorID: String, addressID: String, start: Date, end: Date,
        pageSize: Int = 100, maxPages: Int = 1000, with scopes: [Scope] = [], priority: RequestPriority = .normal
    ) throws(DocplannerError) -> [Booking] {
        var bookings: [Booking] = []
        var page = 1
        while page <= maxPages {
            let answer = try getBookings(
                facilityID: facilityID, doctorID: doctorID, addressID: addressID, start: start, end: end,
                page: page, limit: pageSize, with: scopes, priority: priority)
            bookings += answer.items
            guard answer.hasNextPage, !answer.items.isEmpty else { break }
            page += 1
        }
        return bookings
    }

    /// `getBooking`: GET …/bookings/{booking_id} (`with: [.bookingMoving]`)
    package func getBooking(
        facilityID: String, doctorID: String, addressID: String, bookingID: String,
        with scopes: [Scope] = [], priority: RequestPriority = .high
    ) throws(DocplannerError) -> Booking {
        try call(
            "getBooking", Booking.self, .get, addressPath(facilityID, doctorID, addressID, "bookings", bookingID),
            query: scopeQuery(scopes), priority: priority)
    }

    /// `cancelBooking`: DELETE …/bookings/{booking_id} (204), with a reason if given.
    package func cancelBooking(
        facilityID: String, doctorID: String, addressID: String, bookingID: String, reason: String? = nil,
        priority: RequestPriority = .high
    ) throws(DocplannerError) {
        let body = try reason.map { reason throws(DocplannerError) in try encode(CancelBookingRequest(reason: reason)) }
        _ = try send(
            "cancelBooking", .delete, addressPath(facilityID, doctorID, addressID, "bookings", bookingID), body: body,
            priority: priority)
    }

    /// Cancels a booking unless Docplanner no longer holds it as booked: true when this call
    /// canceled it, false when it was canceled (or gone) already. Docplanner answers 400
    /// ("Visit … cannot be canceled because it is not booked") for a booking canceled
    /// before, 404 "Object not found" for one it does not know and 409 for one moved or
    /// deleted; a 400 counts as done only when the booking then reads as canceled (a 400 may
    /// be a bad request), a 404 only with that body.
    package func cancelBookingIfBooked(
        facilityID: String, doctorID: String, addressID: String, bookingID: String, reason: String? = nil,
        priority: RequestPriority = .high
    ) throws(DocplannerError) -> Bool {
        do {
            try cancelBooking(
                facilityID: facilityID, doctorID: doctorID, addressID: addressID, bookingID: bookingID, reason: reason,
                priority: priority)
            return true
        } catch .notFound(let request, let body) {
            // Only Docplanner's "Object not found" says the booking is gone; any other 404 (a
            // wrong base URL, a proxy's page) is an error, not a cancel done.
            guard body.message?.lowercased().contains("object not found") == true else {
                throw .notFound(request: request, body: body)
            }
            return false
        } catch .conflict {
            return false
        } catch .badRequest(let request, let body) {
            let current = try getBooking(
                facilityID: facilityID, doctorID: doctorID, addressID: addressID, bookingID: bookingID,
                priority: priority)
            guard current.status == "canceled" else { throw .badRequest(request: request, body: body) }
            return false
        }
    }

    /// `moveBooking`: POST …/bookings/{booking_id}/move → 201 with a new booking (new id).
    /// 409: already moved or deleted; 422: the booking holds money across payment accounts.
    package func moveBooking(
        facilityID: String, doctorID: String, addressID: String, bookingID: String, _ request: MoveBookingRequest,
        with scopes: [Scope] = [], priority: RequestPriority = .high
    ) throws(DocplannerError) -> MovedBooking {
        let response = try send(
            "moveBooking", .post, addressPath(facilityID, doctorID, addressID, "bookings", bookingID, "move"),
            query: scopeQuery(scopes), body: encode(request), priority: priority)
        let booking = try decode(Booking.self, from: response.body, what: "moved booking")
        return MovedBooking(booking: booking, location: response.headers["Location"])
    }

    /// `confirmBooking`: PUT …/bookings/{booking_id}/confirm (204; 409 if already confirmed,
    /// canceled, deleted or past).
    package func confirmBooking(
        facilityID: String, doctorID: String, addressID: String, bookingID: String,
        confirmedBy: String = "user", priority: RequestPriority = .high
    ) throws(DocplannerError) {
        _ = try send(
            "confirmBooking", .put, addressPath(facilityID, doctorID, addressID, "bookings", bookingID, "confirm"),
            body: encode(ConfirmBookingRequest(confirmedBy: confirmedBy)), priority: priority)
    }

    /// `markPatientPresence`: POST …/bookings/{booking_id}/presence/patient (204)
    package func markPatientPresence(
        facilityID: String, doctorID: String, addressID: String, bookingID: String,
        priority: RequestPriority = .high
    ) throws(DocplannerError) {
        _ = try send(
            "markPatientPresence", .post,
            addressPath(facilityID, doctorID, addressID, "bookings", bookingID, "presence", "patient"),
            priority: priority)
    }

    /// `markPatientAbsence`: DELETE …/bookings/{booking_id}/presence/patient (204)
    package func markPatientAbsence(
        facilityID: String, doctorID: String, addressID: String, bookingID: String,
        priority: RequestPriority = .high
    ) throws(DocplannerError) {
        _ = try send(
            "markPatientAbsence", .delete,
            addressPath(facilityID, doctorID, addressID, "bookings", bookingID, "presence", "patient"),
            priority: priority)
    }
}

import Foundation

/// Available slots: reading, replacing, deleting, and booking one.
extension DocplannerClient {
    /// `getSlots`: GET …/slots?start=…&end=… (range ≤ 180 days; `with: [.slotServices]`).
    /// Docplanner answers 404 "No slots found on given address" when there are none: that
    /// is returned as an empty list; any other 404 is thrown.
    package func getSlots(
        facilityID: String, doctorID: String, addressID: String, start: Date, end: Date,
        with scopes: [Scope] = [], priority: RequestPriority = .low
    ) throws(DocplannerError) -> [Slot] {
        do {
            return try call(
                "getSlots", ItemList<Slot>.self, .get, addressPath(facilityID, doctorID, addressID, "slots"),
                query: [("start", dateTime(start).text), ("end", dateTime(end).text)] + scopeQuery(scopes),
                priority: priority
            ).items
        } catch .notFound(let request, let body) {
            if body.message?.lowercased().contains("no slots") == true { return [] }
            throw .notFound(request: request, body: body)
        }
    }

    /// `replaceSlots`: PUT …/slots (201). Overrides every slot on the days the given slots
    /// cover. The same payload again answers 429 while the first is processing.
    package func replaceSlots(
        facilityID: String, doctorID: String, addressID: String, _ request: ReplaceSlotsRequest,
        priority: RequestPriority = .low
    ) throws(DocplannerError) {
        _ = try send(
            "replaceSlots", .put, addressPath(facilityID, doctorID, addressID, "slots"), body: encode(request),
            priority: priority
        )
    }

    /// `deleteSlots`: DELETE …/slots/{date} (204) for the day `day` (`YYYY-MM-DD`).
    package func deleteSlots(
        facilityID: String, doctorID: String, addressID: String, day: String, priority: RequestPriority = .low
    ) throws(DocplannerError) {
        let valid =
            day.utf8.count == 10
            && day.enumerated().allSatisfy { index, character in
                index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
            }
        guard valid else { throw .invalidArgument("deleteSlots needs a day as YYYY-MM-DD, not \"\(day)\"") }
        _ = try send(
            "deleteSlots", .delete, addressPath(facilityID, doctorID, addressID, "slots", day), priority: priority
        )
    }

    /// `bookSlot`: POST …/slots/{start}/book → the booking. A missing slot or an unsupported
    /// service answers 404.
    package func bookSlot(
        facilityID: String, doctorID: String, addressID: String, start: Date, _ request: BookSlotRequest,
        priority: RequestPriority = .high
    ) throws(DocplannerError) -> Booking {
        try call(
            "bookSlot", Booking.self, .post,
            addressPath(facilityID, doctorID, addressID, "slots", dateTime(start).text, "book"),
            body: encode(request), priority: priority)
    }
}

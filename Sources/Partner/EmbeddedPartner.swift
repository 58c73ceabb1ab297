import Foundation
import SQLite

/// The default partner system: the clinic's calendar in a SQLite file (schema in
/// `EmbeddedSchema`, documented in docs/clinic-calendar.md) that clinic software reads and writes.
///
/// One connection, used under a lock; each `apply` is one transaction that records the
/// event's key in `applied_events`, so a change and its "applied" mark commit together.
/// The connection may be closed between uses (`OpenConnections`: idle, or beyond the
/// process's budget of open connections); the next use opens it again.
package final class EmbeddedPartner: PartnerSystem, ReopenableConnection, @unchecked Sendable {
    // @unchecked: `database` is used only while `lock` is held.
    private var database: (any SQLConnection)?
    private let lock = NSLock()
    private let connections: OpenConnections
    /// Where the calendar is, opened again after a close.
    package let location: CalendarLocation

    /// Opens (creating and migrating) the calendar file at `path`. `connections`: the
    /// registry that may close it between uses.
    package convenience init(path: String, connections: OpenConnections = .shared) throws(PartnerError) {
        try self.init(location: .sqlite(path: path), connections: connections)
    }

    /// Opens (creating and migrating) the calendar at `location`: a SQLite file, or a
    /// PostgreSQL schema that several instances share.
    package init(location: CalendarLocation, connections: OpenConnections = .shared) throws(PartnerError) {
        self.location = location
        self.connections = connections
        database = try Self.open(location, migrating: true)
        connections.opened(self)
    }

    /// Which SQL the calendar's database speaks.
    package var dialect: SQLDialect { location.dialect }

    private static func open(_ location: CalendarLocation, migrating: Bool = false) throws(PartnerError)
        -> any SQLConnection
    {
        do {
            return try location.open(migrating)
        } catch {
            throw .unavailable("cannot open the partner calendar \(location.description): \(error)")
        }
    }

    package func closeUnlessBusy() -> Bool {
        guard lock.try() else { return false }
        defer { lock.unlock() }
        guard database != nil else { return false }
        database = nil
        connections.closed(self)
        return true
    }

    /// Whether the connection is open now (for tests).
    package var isOpen: Bool {
        lock.withLock { database != nil }
    }

    deinit { connections.closed(self) }

    package func apply(_ changes: [PartnerChange], eventKey: String, eventTime: Date) throws(PartnerError) -> Bool {
        let version = eventTime.timeIntervalSince1970
        return try withDatabase { database throws(SQLiteError) in
            try database.transaction { () throws(SQLiteError) in
                try database.prepare("INSERT INTO applied_events (event_key) VALUES (?) ON CONFLICT DO NOTHING").run([
                    .text(eventKey)
                ])
                guard database.changes == 1 else { return false }
                try database.prepare("UPDATE dpbridge_session SET applying = 1").run()
                for change in changes { try Self.write(change, version: version, in: database) }
                try database.prepare("UPDATE dpbridge_session SET applying = 0").run()
                return true
            }
        }
    }

    /// Applies the events in one transaction (one commit for the batch). An event that fails
    /// is rolled back alone and reported, the others commit: the batch is first applied
    /// whole, and only when an event fails is it applied again with each event inside a
    /// savepoint (a savepoint copies every page it changes to a statement journal first,
    /// which a batch that applies whole does not need).
    package func apply(batch events: [PartnerEvent]) -> [Result<Bool, PartnerError>] {
        guard events.count > 1 else {
            return events.map { event in
                Result { () throws(PartnerError) in
                    try apply(event.changes, eventKey: event.eventKey, eventTime: event.eventTime)
                }
            }
        }
        if let applied = try? applyWhole(events) { return applied.map { .success($0) } }
        return applyEachInSavepoint(events)
    }

    /// The events in one transaction that any failure rolls back whole.
    private func applyWhole(_ events: [PartnerEvent]) throws(PartnerError) -> [Bool] {
        try withDatabase { database throws(SQLiteError) in
            try database.transaction { () throws(SQLiteError) -> [Bool] in
                try database.prepare("UPDATE dpbridge_session SET applying = 1").run()
                var applied: [Bool] = []
                applied.reserveCapacity(events.count)
                for event in events { applied.append(try Self.record(event, in: database)) }
                try database.prepare("UPDATE dpbridge_session SET applying = 0").run()
                return applied
            }
        }
    }

    /// The events in one transaction, each inside a savepoint that its failure rolls back.
    private func applyEachInSavepoint(_ events: [PartnerEvent]) -> [Result<Bool, PartnerError>] {
        do {
            return try withDatabase { database throws(SQLiteError) in
                try database.transaction { () throws(SQLiteError) -> [Result<Bool, PartnerError>] in
                    try database.prepare("UPDATE dpbridge_session SET applying = 1").run()
                    var results: [Result<Bool, PartnerError>] = []
                    results.reserveCapacity(events.count)
                    for event in events {
                        try database.prepare("SAVEPOINT event").run()
                        do {
                            results.append(.success(try Self.record(event, in: database)))
                            try database.prepare("RELEASE event").run()
                        } catch {
                            try database.prepare("ROLLBACK TO event").run()
                            try database.prepare("RELEASE event").run()
                            results.append(.failure(.unavailable("\(error)")))
                        }
                    }
                    try database.prepare("UPDATE dpbridge_session SET applying = 0").run()
                    return results
                }
            }
        } catch {
            return events.map { _ in .failure(error) }
        }
    }

    /// Records `event` in `applied_events` and writes its changes; false (and nothing
    /// written) when it was applied before.
    private static func record(_ event: PartnerEvent, in database: any SQLConnection) throws(SQLiteError) -> Bool {
        try database.prepare("INSERT INTO applied_events (event_key) VALUES (?) ON CONFLICT DO NOTHING")
            .run([.text(event.eventKey)])
        guard database.changes == 1 else { return false }
        let version = event.eventTime.timeIntervalSince1970
        for change in event.changes { try write(change, version: version, in: database) }
        return true
    }

    /// Whether the event `eventKey` was applied (recorded in `applied_events`).
    package func hasApplied(eventKey: String) throws(PartnerError) -> Bool {
        try withDatabase { database throws(SQLiteError) in
            try database.scalar("SELECT count(*) FROM applied_events WHERE event_key = ?", .text(eventKey)) > 0
        }
    }

    /// Booked bookings of calendar (?1 doctor, ?2 address) overlapping [?4, ?3), but the one
    /// Docplanner calls ?5. Overlapping means starting before the end and ending after the
    /// start; such a row starts after the start less the calendar's longest booking, which
    /// bounds the index range read (the expressions are the indexes' own, migration 6).
    package static let overlappingBookings = """
        SELECT count(*) FROM bookings WHERE doctor_id = ?1 AND address_id = ?2 AND status = 'booked'
        AND coalesce(start_ts, unixepoch(start_at)) < ?3
        AND coalesce(start_ts, unixepoch(start_at)) >= ?4 - coalesce((
            SELECT max(coalesce(end_ts, unixepoch(end_at)) - coalesce(start_ts, unixepoch(start_at)))
            FROM bookings WHERE doctor_id = ?1 AND address_id = ?2), 0)
        AND coalesce(end_ts, unixepoch(end_at)) > ?4
        AND (docplanner_booking_id IS NULL OR docplanner_booking_id IS DISTINCT FROM ?5)
        """

    /// Breaks of calendar (?1 doctor, ?2 address) overlapping [?4, ?3), as `overlappingBookings`.
    package static let overlappingBreaks = """
        SELECT count(*) FROM breaks WHERE doctor_id = ?1 AND address_id = ?2 AND deleted = 0
        AND coalesce(since_ts, unixepoch(since)) < ?3
        AND coalesce(since_ts, unixepoch(since)) >= ?4 - coalesce((
            SELECT max(coalesce(till_ts, unixepoch(till)) - coalesce(since_ts, unixepoch(since)))
            FROM breaks WHERE doctor_id = ?1 AND address_id = ?2), 0)
        AND coalesce(till_ts, unixepoch(till)) > ?4
        """

    package func isFree(_ calendar: CalendarRef, start: Date, end: Date, ignoring: String?) throws(PartnerError) -> Bool
    {
        let from = start.timeIntervalSince1970
        let to = end.timeIntervalSince1970
        return try withDatabase { database throws(SQLiteError) in
            let bookings = try database.scalar(
                Self.overlappingBookings, .text(calendar.doctorID), .text(calendar.addressID), .real(to), .real(from),
                ignoring.map { .text($0) } ?? .null)
            let breaks = try database.scalar(
                Self.overlappingBreaks,
                .text(calendar.doctorID), .text(calendar.addressID), .real(to), .real(from))
            return bookings == 0 && breaks == 0
        }
    }

    package func booking(docplannerID: String) throws(PartnerError) -> PartnerBooking? {
        try withDatabase { database throws(SQLiteError) in
            let statement = try database.prepare(
                """
                SELECT docplanner_booking_id, facility_id, doctor_id, address_id, start_at, end_at, start_ts, end_ts,
                service_id, service_name, patient_name, patient_surname, patient_email, patient_phone, comment,
                status, confirmed, presence, payment_status, moved_from, moved_to, booked_by, canceled_by
                FROM bookings WHERE docplanner_booking_id = ?
                """)
            try statement.bind([.text(docplannerID)])
            defer { statement.reset() }  // ends the read transaction
            guard try statement.step() else { return nil }
            let s = statement
            let patient = PartnerPatient(name: s.text(10), surname: s.text(11), email: s.text(12), phone: s.text(13))
            return PartnerBooking(
                docplannerID: s.text(0) ?? docplannerID,
                calendar: CalendarRef(
                    facilityID: s.text(1) ?? "", doctorID: s.text(2) ?? "", addressID: s.text(3) ?? ""),
                startAt: s.text(4), endAt: s.text(5),
                start: s.isNull(6) ? nil : Date(timeIntervalSince1970: s.double(6)),
                end: s.isNull(7) ? nil : Date(timeIntervalSince1970: s.double(7)),
                serviceID: s.text(8), serviceName: s.text(9),
                patient: patient == PartnerPatient() ? nil : patient, comment: s.text(14),
                status: PartnerBooking.Status(rawValue: s.text(15) ?? "") ?? .booked, confirmed: s.int(16) != 0,
                presence: s.text(17), paymentStatus: s.text(18), movedFrom: s.text(19), movedTo: s.text(20),
                bookedBy: s.text(21), canceledBy: s.text(22))
        }
    }

    /// Runs `body` on the connection, mapping SQLite errors: a busy or locked database
    /// (clinic software holding a write lock) is `unavailable`, anything else too, since
    /// no SQLite error says the change itself is wrong.
    func withDatabase<T>(_ body: (any SQLConnection) throws(SQLiteError) -> T) throws(PartnerError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let opened: any SQLConnection
        if let database {
            opened = database
            connections.used(self)
        } else {
            opened = try Self.open(location)
            database = opened
            connections.opened(self)
        }
        do {
            return try body(opened)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    // MARK: - Writing one change

    private static func write(_ change: PartnerChange, version: Double, in database: any SQLConnection)
        throws(SQLiteError)
    {
        try apply(change, version: version, in: database)
        try recordSynced(change, in: database)
    }

    /// What Docplanner told us is what it holds: outbound sync compares against it, so
    /// a change that came from Docplanner is never sent back.
    private static func recordSynced(_ change: PartnerChange, in database: any SQLConnection) throws(SQLiteError) {
        let bookingSQL =
            "UPDATE bookings SET synced_status = status, synced_start_ts = start_ts WHERE docplanner_booking_id = ?"
        let breakSQL = """
            UPDATE breaks SET synced_since_ts = since_ts, synced_till_ts = till_ts, synced_deleted = deleted
            WHERE docplanner_break_id = ?
            """
        switch change {
        case .booked(let booking), .canceled(let booking):
            try database.prepare(bookingSQL).run([.text(booking.docplannerID)])
        case .moved(let old, let new):
            try database.prepare(bookingSQL).run([.text(old.docplannerID)])
            try database.prepare(bookingSQL).run([.text(new.docplannerID)])
        case .confirmed(let booking):
            try database.prepare(bookingSQL).run([.text(booking.docplannerID)])
            try database.prepare("UPDATE bookings SET synced_confirmed = confirmed WHERE docplanner_booking_id = ?")
                .run([.text(booking.docplannerID)])
        case .presence(let id, _, _):
            try database.prepare("UPDATE bookings SET synced_presence = presence WHERE docplanner_booking_id = ?")
                .run([.text(id)])
        case .breakSet(let item), .breakRemoved(let item):
            try database.prepare(breakSQL).run([.text(item.docplannerID)])
        case .paymentStatus, .addressServiceSet, .addressServiceDeleted, .address:
            break
        }
    }

    private static func apply(_ change: PartnerChange, version: Double, in database: any SQLConnection)
        throws(SQLiteError)
    {
        switch change {
        case .booked(let booking):
            try upsert(booking, status: .booked, version: version, in: database)
        case .canceled(let booking):
            try upsert(booking, status: .canceled, version: version, in: database)
        case .confirmed(let booking):
            try upsert(booking, status: .booked, version: version, in: database)
            try database.prepare("UPDATE bookings SET confirmed = 1 WHERE docplanner_booking_id = ?")
                .run([.text(booking.docplannerID)])
        case .moved(let old, let new):
            var old = old
            old.movedTo = new.docplannerID
            var new = new
            new.movedFrom = old.docplannerID
            try upsert(old, status: .moved, version: version, in: database)
            try upsert(new, status: .booked, version: version, in: database)
        case .presence(let id, let calendar, let presence):
            try ensureBooking(id, calendar, in: database)
            try database.prepare(
                """
                UPDATE bookings SET presence = ?, presence_version = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                WHERE docplanner_booking_id = ? AND presence_version <= ?
                """
            ).run([.text(presence), .real(version), .text(id), .real(version)])
        case .paymentStatus(let id, let calendar, let status):
            try ensureBooking(id, calendar, in: database)
            try database.prepare(
                """
                UPDATE bookings SET payment_status = ?, payment_version = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                WHERE docplanner_booking_id = ? AND payment_version <= ?
                """
            ).run([.text(status), .real(version), .text(id), .real(version)])
        case .breakSet(let item):
            try upsert(item, deleted: false, version: version, in: database)
        case .breakRemoved(let item):
            try upsert(item, deleted: true, version: version, in: database)
        case .addressServiceSet(let service):
            try upsert(service, deleted: false, version: version, in: database)
        case .addressServiceDeleted(let service):
            try upsert(service, deleted: true, version: version, in: database)
        case .address(let calendar, let assigned, let commercialType):
            try database.prepare(
                """
                INSERT INTO addresses (address_id, facility_id, doctor_id, assigned, commercial_type, version)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (address_id) DO UPDATE SET
                    assigned = CASE WHEN excluded.version >= addresses.version THEN coalesce(excluded.assigned, addresses.assigned) ELSE addresses.assigned END,
                    commercial_type = CASE WHEN excluded.version >= addresses.version
                        THEN coalesce(excluded.commercial_type, addresses.commercial_type) ELSE addresses.commercial_type END,
                    version = max(addresses.version, excluded.version)
                """
            ).run([
                .text(calendar.addressID), .text(calendar.facilityID), .text(calendar.doctorID),
                assigned.map { .integer($0 ? 1 : 0) } ?? .null, commercialType.map { .text($0) } ?? .null,
                .real(version),
            ])
        }
    }

    /// Inserts or refreshes a booking. Details fill in whatever is known; the status
    /// changes only when this event is newer than the one that set it (at the same
    /// time, an end — canceled or moved — wins over booked).
    private static func upsert(
        _ booking: PartnerBooking, status: PartnerBooking.Status, version: Double, in database: any SQLConnection
    ) throws(SQLiteError) {
        func text(_ value: String?) -> StatementValue { value.map { .text($0) } ?? .null }
        func time(_ value: Date?) -> StatementValue { value.map { .real($0.timeIntervalSince1970) } ?? .null }
        try database.prepare(
            """
            INSERT INTO bookings (docplanner_booking_id, facility_id, doctor_id, address_id, start_at, end_at,
                start_ts, end_ts, service_id, service_name, patient_name, patient_surname, patient_email,
                patient_phone, comment, status, moved_from, moved_to, booked_by, canceled_by, origin, status_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'docplanner', ?)
            ON CONFLICT (docplanner_booking_id) DO UPDATE SET
                start_at = coalesce(excluded.start_at, bookings.start_at), end_at = coalesce(excluded.end_at, bookings.end_at),
                start_ts = coalesce(excluded.start_ts, bookings.start_ts), end_ts = coalesce(excluded.end_ts, bookings.end_ts),
                service_id = coalesce(excluded.service_id, bookings.service_id),
                service_name = coalesce(excluded.service_name, bookings.service_name),
                patient_name = coalesce(excluded.patient_name, bookings.patient_name),
                patient_surname = coalesce(excluded.patient_surname, bookings.patient_surname),
                patient_email = coalesce(excluded.patient_email, bookings.patient_email),
                patient_phone = coalesce(excluded.patient_phone, bookings.patient_phone),
                comment = coalesce(excluded.comment, bookings.comment),
                moved_from = coalesce(excluded.moved_from, bookings.moved_from),
                moved_to = coalesce(excluded.moved_to, bookings.moved_to),
                booked_by = coalesce(excluded.booked_by, bookings.booked_by),
                canceled_by = coalesce(excluded.canceled_by, bookings.canceled_by),
                status = CASE
                    WHEN excluded.status_version > bookings.status_version THEN excluded.status
                    WHEN excluded.status_version = bookings.status_version AND bookings.status = 'booked' THEN excluded.status
                    ELSE bookings.status END,
                status_version = max(bookings.status_version, excluded.status_version),
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            """
        ).run([
            .text(booking.docplannerID), .text(booking.calendar.facilityID), .text(booking.calendar.doctorID),
            .text(booking.calendar.addressID), text(booking.startAt), text(booking.endAt), time(booking.start),
            time(booking.end), text(booking.serviceID), text(booking.serviceName), text(booking.patient?.name),
            text(booking.patient?.surname), text(booking.patient?.email), text(booking.patient?.phone),
            text(booking.comment), .text(status.rawValue), text(booking.movedFrom), text(booking.movedTo),
            text(booking.bookedBy), text(booking.canceledBy), .real(version),
        ])
    }

    /// A booking row to hang presence or payment on when that event comes first; its
    /// status version 0 lets the booking's own event fill it in.
    private static func ensureBooking(_ id: String, _ calendar: CalendarRef, in database: any SQLConnection)
        throws(SQLiteError)
    {
        try database.prepare(
            """
            INSERT INTO bookings (docplanner_booking_id, facility_id, doctor_id, address_id, origin)
            VALUES (?, ?, ?, ?, 'docplanner') ON CONFLICT DO NOTHING
            """
        ).run([.text(id), .text(calendar.facilityID), .text(calendar.doctorID), .text(calendar.addressID)])
    }

    private static func upsert(_ item: PartnerBreak, deleted: Bool, version: Double, in database: any SQLConnection)
        throws(SQLiteError)
    {
        try database.prepare(
            """
            INSERT INTO breaks (docplanner_break_id, facility_id, doctor_id, address_id, since, till, since_ts,
                till_ts, description, deleted, origin, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'docplanner', ?)
            ON CONFLICT (docplanner_break_id) DO UPDATE SET
                since = CASE WHEN excluded.version >= breaks.version THEN coalesce(excluded.since, breaks.since) ELSE breaks.since END,
                till = CASE WHEN excluded.version >= breaks.version THEN coalesce(excluded.till, breaks.till) ELSE breaks.till END,
                since_ts = CASE WHEN excluded.version >= breaks.version THEN coalesce(excluded.since_ts, breaks.since_ts) ELSE breaks.since_ts END,
                till_ts = CASE WHEN excluded.version >= breaks.version THEN coalesce(excluded.till_ts, breaks.till_ts) ELSE breaks.till_ts END,
                description = coalesce(excluded.description, breaks.description),
                deleted = CASE
                    WHEN excluded.version > breaks.version THEN excluded.deleted
                    WHEN excluded.version = breaks.version THEN max(breaks.deleted, excluded.deleted)
                    ELSE breaks.deleted END,
                version = max(breaks.version, excluded.version),
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            """
        ).run([
            .text(item.docplannerID), .text(item.calendar.facilityID), .text(item.calendar.doctorID),
            .text(item.calendar.addressID), item.since.map { .text($0) } ?? .null, item.till.map { .text($0) } ?? .null,
            item.sinceDate.map { .real($0.timeIntervalSince1970) } ?? .null,
            item.tillDate.map { .real($0.timeIntervalSince1970) } ?? .null,
            item.description.map { .text($0) } ?? .null, .integer(deleted ? 1 : 0), .real(version),
        ])
    }

    private static func upsert(
        _ service: PartnerAddressService, deleted: Bool, version: Double, in database: any SQLConnection
    ) throws(SQLiteError) {
        func text(_ value: String?) -> StatementValue { value.map { .text($0) } ?? .null }
        func int(_ value: Int?) -> StatementValue { value.map { .integer(Int64($0)) } ?? .null }
        try database.prepare(
            """
            INSERT INTO address_services (docplanner_address_service_id, facility_id, doctor_id, address_id,
                service_id, name, price, is_price_from, duration, deleted, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (docplanner_address_service_id) DO UPDATE SET
                service_id = coalesce(excluded.service_id, address_services.service_id),
                name = CASE WHEN excluded.version >= address_services.version THEN coalesce(excluded.name, address_services.name) ELSE address_services.name END,
                price = CASE WHEN excluded.version >= address_services.version THEN coalesce(excluded.price, address_services.price) ELSE address_services.price END,
                is_price_from = CASE WHEN excluded.version >= address_services.version
                    THEN coalesce(excluded.is_price_from, address_services.is_price_from) ELSE address_services.is_price_from END,
                duration = CASE WHEN excluded.version >= address_services.version THEN coalesce(excluded.duration, address_services.duration) ELSE address_services.duration END,
                deleted = CASE
                    WHEN excluded.version > address_services.version THEN excluded.deleted
                    WHEN excluded.version = address_services.version THEN max(address_services.deleted, excluded.deleted)
                    ELSE address_services.deleted END,
                version = max(address_services.version, excluded.version)
            """
        ).run([
            .text(service.docplannerID), .text(service.calendar.facilityID), .text(service.calendar.doctorID),
            .text(service.calendar.addressID), text(service.serviceID), text(service.name), int(service.price),
            service.isPriceFrom.map { .integer($0 ? 1 : 0) } ?? .null, int(service.duration),
            .integer(deleted ? 1 : 0), .real(version),
        ])
    }
}

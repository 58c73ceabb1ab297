/// The embedded partner calendar's tables. Clinic software reads and writes them
/// directly (the README documents them); dpbridge migrates them by `PRAGMA user_version`.
///
/// Rows are keyed by Docplanner's ids (`facility_id`, `doctor_id`, `address_id`).
/// `*_version` columns hold the time (Unix seconds) of the Docplanner event that last
/// set the value, so that an older event arriving late does not undo a newer one.
/// Clinic-side writes (any connection but dpbridge's applying one) are captured by
/// triggers into `change_log`, which the outbound workers read.
enum EmbeddedSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE bookings (
            id INTEGER PRIMARY KEY,
            docplanner_booking_id TEXT UNIQUE,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            start_at TEXT,
            end_at TEXT,
            start_ts REAL,
            end_ts REAL,
            service_id TEXT,
            service_name TEXT,
            patient_name TEXT,
            patient_surname TEXT,
            patient_email TEXT,
            patient_phone TEXT,
            comment TEXT,
            status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'canceled', 'moved')),
            confirmed INTEGER NOT NULL DEFAULT 0,
            presence TEXT,
            payment_status TEXT,
            moved_from TEXT,
            moved_to TEXT,
            booked_by TEXT,
            canceled_by TEXT,
            origin TEXT NOT NULL DEFAULT 'clinic' CHECK (origin IN ('docplanner', 'clinic')),
            status_version REAL NOT NULL DEFAULT 0,
            presence_version REAL NOT NULL DEFAULT 0,
            payment_version REAL NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX bookings_by_calendar ON bookings (doctor_id, address_id, start_ts);

        CREATE TABLE breaks (
            id INTEGER PRIMARY KEY,
            docplanner_break_id TEXT UNIQUE,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            since TEXT,
            till TEXT,
            since_ts REAL,
            till_ts REAL,
            description TEXT,
            deleted INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL DEFAULT 'clinic' CHECK (origin IN ('docplanner', 'clinic')),
            version REAL NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX breaks_by_calendar ON breaks (doctor_id, address_id, since_ts);

        CREATE TABLE address_services (
            docplanner_address_service_id TEXT PRIMARY KEY,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            service_id TEXT,
            name TEXT,
            price INTEGER,
            is_price_from INTEGER,
            duration INTEGER,
            deleted INTEGER NOT NULL DEFAULT 0,
            version REAL NOT NULL DEFAULT 0
        );

        CREATE TABLE addresses (
            address_id TEXT PRIMARY KEY,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            assigned INTEGER,
            commercial_type TEXT,
            version REAL NOT NULL DEFAULT 0
        );

        -- Docplanner events already applied: a redelivered event changes nothing.
        CREATE TABLE applied_events (
            event_key TEXT PRIMARY KEY,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );

        -- dpbridge sets `applying` to 1 inside its own transactions only, so the triggers
        -- below record clinic-side changes and not the ones Docplanner caused.
        CREATE TABLE dpbridge_session (applying INTEGER NOT NULL);
        INSERT INTO dpbridge_session VALUES (0);

        CREATE TABLE change_log (
            id INTEGER PRIMARY KEY,
            table_name TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            operation TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
            doctor_id TEXT,
            address_id TEXT,
            changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TRIGGER bookings_insert_log AFTER INSERT ON bookings
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, doctor_id, address_id)
                VALUES ('bookings', NEW.id, 'insert', NEW.doctor_id, NEW.address_id); END;
        CREATE TRIGGER bookings_update_log AFTER UPDATE ON bookings
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, doctor_id, address_id)
                VALUES ('bookings', NEW.id, 'update', NEW.doctor_id, NEW.address_id); END;
        CREATE TRIGGER bookings_delete_log AFTER DELETE ON bookings
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, doctor_id, address_id)
                VALUES ('bookings', OLD.id, 'delete', OLD.doctor_id, OLD.address_id); END;
        CREATE TRIGGER breaks_insert_log AFTER INSERT ON breaks
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, doctor_id, address_id)
                VALUES ('breaks', NEW.id, 'insert', NEW.doctor_id, NEW.address_id); END;
        CREATE TRIGGER breaks_update_log AFTER UPDATE ON breaks
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, doctor_id, address_id)
                VALUES ('breaks', NEW.id, 'update', NEW.doctor_id, NEW.address_id); END;
        CREATE TRIGGER breaks_delete_log AFTER DELETE ON breaks
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, doctor_id, address_id)
                VALUES ('breaks', OLD.id, 'delete', OLD.doctor_id, OLD.address_id); END;
        """,
    ]
}

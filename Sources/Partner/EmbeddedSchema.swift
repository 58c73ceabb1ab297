import SQLite

/// The embedded partner calendar's tables. Clinic software reads and writes them
/// directly (docs/clinic-calendar.md documents them); dpbridge migrates them by `PRAGMA user_version`.
///
/// Rows are keyed by Docplanner's ids (`facility_id`, `doctor_id`, `address_id`).
/// `*_version` columns hold the time (Unix seconds) of the Docplanner event that last
/// set the value, so that an older event arriving late does not undo a newer one.
/// Clinic-side writes (any connection but dpbridge's applying one) are captured by
/// triggers into `change_log`, which the outbound workers read.
enum EmbeddedSchema {
    /// The calendar's migrations, applied in order.
    static let migrator = Migrator(migrations: migrations)

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
        """
        -- 2: the clinic's availability (working hours and explicit day slots), what
        -- Docplanner last acknowledged of each booking and break (synced_*), and the
        -- slots last fed per day, so that outbound sync sends only what changed.
        ALTER TABLE bookings ADD COLUMN address_service_id TEXT;
        ALTER TABLE bookings ADD COLUMN synced_status TEXT;
        ALTER TABLE bookings ADD COLUMN synced_start_ts REAL;
        ALTER TABLE bookings ADD COLUMN synced_confirmed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE bookings ADD COLUMN synced_presence TEXT;
        ALTER TABLE breaks ADD COLUMN synced_since_ts REAL;
        ALTER TABLE breaks ADD COLUMN synced_till_ts REAL;
        ALTER TABLE breaks ADD COLUMN synced_deleted INTEGER NOT NULL DEFAULT 0;
        UPDATE bookings SET synced_status = status, synced_start_ts = start_ts, synced_confirmed = confirmed,
            synced_presence = presence WHERE docplanner_booking_id IS NOT NULL;
        UPDATE breaks SET synced_since_ts = since_ts, synced_till_ts = till_ts, synced_deleted = deleted
            WHERE docplanner_break_id IS NOT NULL;

        -- Weekly working hours: on each `weekday` (1 = Monday … 7 = Sunday) from `start_time`
        -- to `end_time` (HH:MM, the clinic's time zone) the doctor takes visits of the address
        -- service, `duration` minutes each. Rows with the same hours share one slot.
        CREATE TABLE working_hours (
            id INTEGER PRIMARY KEY,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
            start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
            end_time TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]' AND end_time > start_time),
            address_service_id TEXT NOT NULL,
            duration INTEGER NOT NULL CHECK (duration > 0),
            valid_from TEXT,
            valid_until TEXT
        );
        CREATE INDEX working_hours_by_calendar ON working_hours (doctor_id, address_id);

        -- Explicit availability for one date (YYYY-MM-DD): when a date has any row here,
        -- these replace that day's working hours. A row with an empty address_service_id
        -- closes the day.
        CREATE TABLE day_slots (
            id INTEGER PRIMARY KEY,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            start_time TEXT NOT NULL DEFAULT '00:00',
            end_time TEXT NOT NULL DEFAULT '00:00',
            address_service_id TEXT NOT NULL DEFAULT '',
            duration INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX day_slots_by_calendar ON day_slots (doctor_id, address_id, day);

        -- What dpbridge last fed Docplanner for each day (its own bookkeeping).
        CREATE TABLE dpbridge_slot_days (
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            day TEXT NOT NULL,
            signature TEXT NOT NULL,
            PRIMARY KEY (doctor_id, address_id, day)
        ) WITHOUT ROWID;

        -- The change log gains the facility and Docplanner's id of a deleted row, and its
        -- ids are never reused (AUTOINCREMENT): dpbridge names outbox jobs after them.
        DROP TRIGGER bookings_insert_log;
        DROP TRIGGER bookings_update_log;
        DROP TRIGGER bookings_delete_log;
        DROP TRIGGER breaks_insert_log;
        DROP TRIGGER breaks_update_log;
        DROP TRIGGER breaks_delete_log;
        CREATE TABLE change_log_v2 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            table_name TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            operation TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
            facility_id TEXT,
            doctor_id TEXT,
            address_id TEXT,
            docplanner_id TEXT,
            changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        INSERT INTO change_log_v2 (id, table_name, row_id, operation, doctor_id, address_id, changed_at)
            SELECT id, table_name, row_id, operation, doctor_id, address_id, changed_at FROM change_log;
        DROP TABLE change_log;
        ALTER TABLE change_log_v2 RENAME TO change_log;
        CREATE TRIGGER bookings_insert_log AFTER INSERT ON bookings
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('bookings', NEW.id, 'insert', NEW.facility_id, NEW.doctor_id, NEW.address_id, NEW.docplanner_booking_id); END;
        CREATE TRIGGER bookings_update_log AFTER UPDATE ON bookings
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('bookings', NEW.id, 'update', NEW.facility_id, NEW.doctor_id, NEW.address_id, NEW.docplanner_booking_id); END;
        CREATE TRIGGER bookings_delete_log AFTER DELETE ON bookings
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('bookings', OLD.id, 'delete', OLD.facility_id, OLD.doctor_id, OLD.address_id, OLD.docplanner_booking_id); END;
        CREATE TRIGGER breaks_insert_log AFTER INSERT ON breaks
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('breaks', NEW.id, 'insert', NEW.facility_id, NEW.doctor_id, NEW.address_id, NEW.docplanner_break_id); END;
        CREATE TRIGGER breaks_update_log AFTER UPDATE ON breaks
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('breaks', NEW.id, 'update', NEW.facility_id, NEW.doctor_id, NEW.address_id, NEW.docplanner_break_id); END;
        CREATE TRIGGER breaks_delete_log AFTER DELETE ON breaks
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('breaks', OLD.id, 'delete', OLD.facility_id, OLD.doctor_id, OLD.address_id, OLD.docplanner_break_id); END;
        CREATE TRIGGER working_hours_insert_log AFTER INSERT ON working_hours
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('working_hours', NEW.id, 'insert', NEW.facility_id, NEW.doctor_id, NEW.address_id, NULL); END;
        CREATE TRIGGER working_hours_update_log AFTER UPDATE ON working_hours
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('working_hours', NEW.id, 'update', NEW.facility_id, NEW.doctor_id, NEW.address_id, NULL); END;
        CREATE TRIGGER working_hours_update_old_log AFTER UPDATE ON working_hours
            WHEN (SELECT applying FROM dpbridge_session) = 0
                AND (OLD.doctor_id IS NOT NEW.doctor_id OR OLD.address_id IS NOT NEW.address_id)
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id)
                VALUES ('working_hours', OLD.id, 'update', OLD.facility_id, OLD.doctor_id, OLD.address_id); END;
        CREATE TRIGGER working_hours_delete_log AFTER DELETE ON working_hours
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('working_hours', OLD.id, 'delete', OLD.facility_id, OLD.doctor_id, OLD.address_id, NULL); END;
        CREATE TRIGGER day_slots_insert_log AFTER INSERT ON day_slots
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('day_slots', NEW.id, 'insert', NEW.facility_id, NEW.doctor_id, NEW.address_id, NULL); END;
        CREATE TRIGGER day_slots_update_log AFTER UPDATE ON day_slots
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('day_slots', NEW.id, 'update', NEW.facility_id, NEW.doctor_id, NEW.address_id, NULL); END;
        CREATE TRIGGER day_slots_update_old_log AFTER UPDATE ON day_slots
            WHEN (SELECT applying FROM dpbridge_session) = 0
                AND (OLD.doctor_id IS NOT NEW.doctor_id OR OLD.address_id IS NOT NEW.address_id)
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id)
                VALUES ('day_slots', OLD.id, 'update', OLD.facility_id, OLD.doctor_id, OLD.address_id); END;
        CREATE TRIGGER day_slots_delete_log AFTER DELETE ON day_slots
            WHEN (SELECT applying FROM dpbridge_session) = 0
            BEGIN INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
                VALUES ('day_slots', OLD.id, 'delete', OLD.facility_id, OLD.doctor_id, OLD.address_id, NULL); END;

        -- A time changed in one spelling only (start_at or start_ts, …) updates the other.
        CREATE TRIGGER bookings_start_at_sets_start_ts AFTER UPDATE OF start_at ON bookings
            WHEN NEW.start_at IS NOT NULL AND NEW.start_ts IS OLD.start_ts AND unixepoch(NEW.start_at) IS NOT NEW.start_ts
            BEGIN UPDATE bookings SET start_ts = unixepoch(NEW.start_at) WHERE id = NEW.id; END;
        CREATE TRIGGER bookings_start_ts_sets_start_at AFTER UPDATE OF start_ts ON bookings
            WHEN NEW.start_ts IS NOT NULL AND NEW.start_at IS OLD.start_at
                AND (NEW.start_at IS NULL OR unixepoch(NEW.start_at) IS NOT NEW.start_ts)
            BEGIN UPDATE bookings SET start_at = strftime('%Y-%m-%dT%H:%M:%SZ', NEW.start_ts, 'unixepoch') WHERE id = NEW.id; END;
        CREATE TRIGGER bookings_end_at_sets_end_ts AFTER UPDATE OF end_at ON bookings
            WHEN NEW.end_at IS NOT NULL AND NEW.end_ts IS OLD.end_ts AND unixepoch(NEW.end_at) IS NOT NEW.end_ts
            BEGIN UPDATE bookings SET end_ts = unixepoch(NEW.end_at) WHERE id = NEW.id; END;
        CREATE TRIGGER bookings_end_ts_sets_end_at AFTER UPDATE OF end_ts ON bookings
            WHEN NEW.end_ts IS NOT NULL AND NEW.end_at IS OLD.end_at
                AND (NEW.end_at IS NULL OR unixepoch(NEW.end_at) IS NOT NEW.end_ts)
            BEGIN UPDATE bookings SET end_at = strftime('%Y-%m-%dT%H:%M:%SZ', NEW.end_ts, 'unixepoch') WHERE id = NEW.id; END;
        CREATE TRIGGER breaks_since_sets_since_ts AFTER UPDATE OF since ON breaks
            WHEN NEW.since IS NOT NULL AND NEW.since_ts IS OLD.since_ts AND unixepoch(NEW.since) IS NOT NEW.since_ts
            BEGIN UPDATE breaks SET since_ts = unixepoch(NEW.since) WHERE id = NEW.id; END;
        CREATE TRIGGER breaks_since_ts_sets_since AFTER UPDATE OF since_ts ON breaks
            WHEN NEW.since_ts IS NOT NULL AND NEW.since IS OLD.since
                AND (NEW.since IS NULL OR unixepoch(NEW.since) IS NOT NEW.since_ts)
            BEGIN UPDATE breaks SET since = strftime('%Y-%m-%dT%H:%M:%SZ', NEW.since_ts, 'unixepoch') WHERE id = NEW.id; END;
        CREATE TRIGGER breaks_till_sets_till_ts AFTER UPDATE OF till ON breaks
            WHEN NEW.till IS NOT NULL AND NEW.till_ts IS OLD.till_ts AND unixepoch(NEW.till) IS NOT NEW.till_ts
            BEGIN UPDATE breaks SET till_ts = unixepoch(NEW.till) WHERE id = NEW.id; END;
        CREATE TRIGGER breaks_till_ts_sets_till AFTER UPDATE OF till_ts ON breaks
            WHEN NEW.till_ts IS NOT NULL AND NEW.till IS OLD.till
                AND (NEW.till IS NULL OR unixepoch(NEW.till) IS NOT NEW.till_ts)
            BEGIN UPDATE breaks SET till = strftime('%Y-%m-%dT%H:%M:%SZ', NEW.till_ts, 'unixepoch') WHERE id = NEW.id; END;
        """,
        """
        -- 3: the clinic's own resources, which Docplanner's are mapped to (`dpbridge map`),
        -- and what each doctor offers where, which profile feeding turns into address
        -- services and address insurance providers on Docplanner. dpbridge only reads
        -- these; it writes its mappings into dpbridge_mappings for the clinic to read.
        CREATE TABLE clinic_facilities (id TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE clinic_doctors (id TEXT PRIMARY KEY, name TEXT NOT NULL, license_number TEXT);
        CREATE TABLE clinic_locations (id TEXT PRIMARY KEY, name TEXT NOT NULL, street TEXT, city TEXT);
        CREATE TABLE clinic_services (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            -- Docplanner's dictionary service; when NULL it is found by name.
            docplanner_service_id TEXT
        );
        CREATE TABLE clinic_insurances (id TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE clinic_offers (
            doctor_id TEXT NOT NULL,
            location_id TEXT NOT NULL,
            service_id TEXT NOT NULL,
            price INTEGER,
            is_price_from INTEGER NOT NULL DEFAULT 0,
            duration INTEGER NOT NULL DEFAULT 30 CHECK (duration > 0),
            description TEXT,
            PRIMARY KEY (doctor_id, location_id, service_id)
        );
        CREATE TABLE clinic_location_insurances (
            location_id TEXT NOT NULL,
            insurance_id TEXT NOT NULL,
            PRIMARY KEY (location_id, insurance_id)
        );
        CREATE TABLE dpbridge_mappings (
            kind TEXT NOT NULL,
            docplanner_id TEXT NOT NULL,
            partner_id TEXT NOT NULL,
            PRIMARY KEY (kind, docplanner_id)
        );
        CREATE INDEX dpbridge_mappings_by_partner ON dpbridge_mappings (kind, partner_id);
        """,
        """
        -- 4: a row inserted with a time in one spelling only (start_at or start_ts, since or
        -- since_ts, …) gets the other at once, as updates already did, so that every query
        -- deciding availability reads one value; rows written before are filled in here.
        -- Filling in is not a clinic change of its own: `applying` is raised meanwhile, so
        -- the change-log triggers (which fire at 0) leave it out.
        UPDATE dpbridge_session SET applying = 1;
        UPDATE bookings SET start_ts = unixepoch(start_at) WHERE start_ts IS NULL AND start_at IS NOT NULL;
        UPDATE bookings SET end_ts = unixepoch(end_at) WHERE end_ts IS NULL AND end_at IS NOT NULL;
        UPDATE breaks SET since_ts = unixepoch(since) WHERE since_ts IS NULL AND since IS NOT NULL;
        UPDATE breaks SET till_ts = unixepoch(till) WHERE till_ts IS NULL AND till IS NOT NULL;
        UPDATE dpbridge_session SET applying = 0;
        CREATE TRIGGER bookings_insert_times AFTER INSERT ON bookings
            WHEN (NEW.start_ts IS NULL AND NEW.start_at IS NOT NULL) OR (NEW.start_at IS NULL AND NEW.start_ts IS NOT NULL)
                OR (NEW.end_ts IS NULL AND NEW.end_at IS NOT NULL) OR (NEW.end_at IS NULL AND NEW.end_ts IS NOT NULL)
            BEGIN
                UPDATE dpbridge_session SET applying = applying + 2;
                UPDATE bookings SET
                start_ts = coalesce(NEW.start_ts, unixepoch(NEW.start_at)),
                start_at = coalesce(NEW.start_at, strftime('%Y-%m-%dT%H:%M:%SZ', NEW.start_ts, 'unixepoch')),
                end_ts = coalesce(NEW.end_ts, unixepoch(NEW.end_at)),
                end_at = coalesce(NEW.end_at, strftime('%Y-%m-%dT%H:%M:%SZ', NEW.end_ts, 'unixepoch'))
            WHERE id = NEW.id;
                UPDATE dpbridge_session SET applying = applying - 2;
            END;
        CREATE TRIGGER breaks_insert_times AFTER INSERT ON breaks
            WHEN (NEW.since_ts IS NULL AND NEW.since IS NOT NULL) OR (NEW.since IS NULL AND NEW.since_ts IS NOT NULL)
                OR (NEW.till_ts IS NULL AND NEW.till IS NOT NULL) OR (NEW.till IS NULL AND NEW.till_ts IS NOT NULL)
            BEGIN
                UPDATE dpbridge_session SET applying = applying + 2;
                UPDATE breaks SET
                since_ts = coalesce(NEW.since_ts, unixepoch(NEW.since)),
                since = coalesce(NEW.since, strftime('%Y-%m-%dT%H:%M:%SZ', NEW.since_ts, 'unixepoch')),
                till_ts = coalesce(NEW.till_ts, unixepoch(NEW.till)),
                till = coalesce(NEW.till, strftime('%Y-%m-%dT%H:%M:%SZ', NEW.till_ts, 'unixepoch'))
            WHERE id = NEW.id;
                UPDATE dpbridge_session SET applying = applying - 2;
            END;

        -- The replaceSlots bodies sent lately, per day (their signature, a variant included),
        -- and when: Docplanner ignores a body equal to one it took in the last 3 minutes.
        CREATE TABLE dpbridge_slot_sends (
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            day TEXT NOT NULL,
            signature TEXT NOT NULL,
            sent_at REAL NOT NULL
        );
        CREATE INDEX dpbridge_slot_sends_by_calendar ON dpbridge_slot_sends (doctor_id, address_id, sent_at);
        """,
        """
        -- 5: insurance plans. Each clinic plan belongs to one of the clinic's insurances and
        -- is what a Docplanner plan is mapped to (kind `plan` of dpbridge_mappings); plan ids
        -- are unique across insurances, as every mapped id is one string. A location accepts
        -- a plan when it is listed here and the plan's insurance is accepted there
        -- (clinic_location_insurances); profile feeding sends the accepted plans with the
        -- location's address insurance providers. dpbridge only reads these.
        CREATE TABLE clinic_insurance_plans (
            id TEXT PRIMARY KEY,
            insurance_id TEXT NOT NULL,
            name TEXT NOT NULL
        );
        CREATE INDEX clinic_insurance_plans_by_insurance ON clinic_insurance_plans (insurance_id);
        CREATE TABLE clinic_location_insurance_plans (
            location_id TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            PRIMARY KEY (location_id, plan_id)
        );
        """,
        """
        -- 6: whether a time is free (a blocking slot-booking question) reads only the bookings
        -- and breaks that can overlap it: those starting no earlier than the question's start
        -- less the calendar's longest booking (or break), found at the end of an index on the
        -- length. Before, it read every booking of the calendar that started before the
        -- question's end: the calendar's whole history, on every question.
        CREATE INDEX bookings_by_start ON bookings
            (doctor_id, address_id, coalesce(start_ts, unixepoch(start_at)));
        CREATE INDEX bookings_by_length ON bookings
            (doctor_id, address_id, coalesce(end_ts, unixepoch(end_at)) - coalesce(start_ts, unixepoch(start_at)));
        CREATE INDEX breaks_by_since ON breaks
            (doctor_id, address_id, coalesce(since_ts, unixepoch(since)));
        CREATE INDEX breaks_by_length ON breaks
            (doctor_id, address_id, coalesce(till_ts, unixepoch(till)) - coalesce(since_ts, unixepoch(since)));
        """,
        """
        -- 7: the three-value CHECKs of bookings.status and change_log.operation spelled as
        -- comparisons. SQLite evaluates a list of three or more values through a temporary
        -- table that it builds on every run of a statement, and the status CHECK runs on every
        -- booking written: ~2.5 µs of the ~16 µs an applied booking costs. Only the
        -- constraint's text changes, and every row satisfies both spellings, so the text is
        -- edited in place as SQLite's documentation allows for CHECK constraints, rather than
        -- the clinic's tables rebuilt (their own triggers and indexes would go with them). A
        -- table whose text differs (the clinic changed it) is left as it is. RESET reads the
        -- edited schema back into this connection; creating and dropping a table moves the
        -- schema version, so that the clinic's own connections read it again too.
        PRAGMA writable_schema = ON;
        UPDATE sqlite_schema SET sql = replace(sql,
                'CHECK (status IN (''booked'', ''canceled'', ''moved''))',
                'CHECK (status = ''booked'' OR status = ''canceled'' OR status = ''moved'')')
            WHERE type = 'table' AND name = 'bookings';
        UPDATE sqlite_schema SET sql = replace(sql,
                'CHECK (operation IN (''insert'', ''update'', ''delete''))',
                'CHECK (operation = ''insert'' OR operation = ''update'' OR operation = ''delete'')')
            WHERE type = 'table' AND name = 'change_log';
        PRAGMA writable_schema = RESET;
        CREATE TABLE dpbridge_schema_edited (x);
        DROP TABLE dpbridge_schema_edited;
        """,
        """
        -- 8: applied_events without a rowid. A row is its key and a time, found and written by
        -- the key only; the rowid table beside the key's index made two B-tree inserts of each
        -- event applied where one does (~1.2 µs an event, and 40% fewer pages).
        CREATE TABLE applied_events_by_key (
            event_key TEXT PRIMARY KEY,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ) WITHOUT ROWID;
        INSERT INTO applied_events_by_key (event_key, applied_at) SELECT event_key, applied_at FROM applied_events;
        DROP TABLE applied_events;
        ALTER TABLE applied_events_by_key RENAME TO applied_events;
        """,
    ]
}

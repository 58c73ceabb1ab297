import Partner
import Postgres
import SQLite
import Store

/// The embedded clinic calendar on PostgreSQL (issue 18): the tables of `EmbeddedSchema`
/// as its six SQLite migrations leave them, in a schema of their own
/// (`dpbridge_<tenant>_calendar`) that clinic software and every dpbridge instance reach.
/// The same SQL runs on it as on the file: SQLite's `unixepoch`, `strftime` and two-argument
/// `max` exist here as functions, and `dpbridge_session.applying` (the mark of dpbridge's own
/// writes, which the change log leaves out) is a setting local to the transaction that sets
/// it, behind a view, so that instances writing at once never see each other's mark.
/// Triggers are PL/pgSQL: the change log (one function for the four tables) and the two
/// spellings of each time (`start_at`/`start_ts`, …) kept equal before a row is written.
package enum PostgresCalendarSchema {
    package static let migrations: [String] = [
        #"""
        -- 1: the calendar as SQLite's migrations 1 to 6 leave it.
        CREATE FUNCTION unixepoch(value text) RETURNS double precision
            LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            IF value IS NULL THEN RETURN NULL; END IF;
            -- As SQLite: a time without an offset is UTC; text that is no time gives NULL.
            IF value ~ '(Z|z|[+-][0-9][0-9](:?[0-9][0-9])?)$' THEN
                RETURN floor(extract(epoch FROM value::timestamptz));
            END IF;
            RETURN floor(extract(epoch FROM (value::timestamp AT TIME ZONE 'UTC')));
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END $$;
        CREATE FUNCTION dpbridge_utc_text(seconds double precision) RETURNS text
            LANGUAGE sql IMMUTABLE AS $$
            SELECT to_char(to_timestamp(seconds) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;
        -- strftime(format, 'now') and strftime(format, seconds, 'unixepoch'), the two uses.
        CREATE FUNCTION strftime(format text, value text) RETURNS text
            LANGUAGE sql VOLATILE AS $$
            SELECT CASE WHEN value = 'now' THEN
                to_char(clock_timestamp() AT TIME ZONE 'UTC',
                    CASE WHEN format LIKE '%\%f%' THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
                         ELSE 'YYYY-MM-DD"T"HH24:MI:SS"Z"' END)
            END $$;
        CREATE FUNCTION strftime(format text, value double precision, modifier text) RETURNS text
            LANGUAGE sql IMMUTABLE AS $$ SELECT dpbridge_utc_text(value) $$;
        CREATE FUNCTION max(a double precision, b double precision) RETURNS double precision
            LANGUAGE sql IMMUTABLE AS $$ SELECT greatest(a, b) $$;
        CREATE FUNCTION max(a integer, b integer) RETURNS integer
            LANGUAGE sql IMMUTABLE AS $$ SELECT greatest(a, b) $$;

        CREATE TABLE bookings (
            id BIGSERIAL PRIMARY KEY,
            docplanner_booking_id TEXT UNIQUE,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            start_at TEXT,
            end_at TEXT,
            start_ts DOUBLE PRECISION,
            end_ts DOUBLE PRECISION,
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
            status_version DOUBLE PRECISION NOT NULL DEFAULT 0,
            presence_version DOUBLE PRECISION NOT NULL DEFAULT 0,
            payment_version DOUBLE PRECISION NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL DEFAULT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
            address_service_id TEXT,
            synced_status TEXT,
            synced_start_ts DOUBLE PRECISION,
            synced_confirmed INTEGER NOT NULL DEFAULT 0,
            synced_presence TEXT
        );
        CREATE INDEX bookings_by_calendar ON bookings (doctor_id, address_id, start_ts);
        CREATE INDEX bookings_by_start ON bookings
            (doctor_id, address_id, coalesce(start_ts, unixepoch(start_at)));
        CREATE INDEX bookings_by_length ON bookings
            (doctor_id, address_id, (coalesce(end_ts, unixepoch(end_at)) - coalesce(start_ts, unixepoch(start_at))));

        CREATE TABLE breaks (
            id BIGSERIAL PRIMARY KEY,
            docplanner_break_id TEXT UNIQUE,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            since TEXT,
            till TEXT,
            since_ts DOUBLE PRECISION,
            till_ts DOUBLE PRECISION,
            description TEXT,
            deleted INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL DEFAULT 'clinic' CHECK (origin IN ('docplanner', 'clinic')),
            version DOUBLE PRECISION NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL DEFAULT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
            synced_since_ts DOUBLE PRECISION,
            synced_till_ts DOUBLE PRECISION,
            synced_deleted INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX breaks_by_calendar ON breaks (doctor_id, address_id, since_ts);
        CREATE INDEX breaks_by_since ON breaks
            (doctor_id, address_id, coalesce(since_ts, unixepoch(since)));
        CREATE INDEX breaks_by_length ON breaks
            (doctor_id, address_id, (coalesce(till_ts, unixepoch(till)) - coalesce(since_ts, unixepoch(since))));

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
            version DOUBLE PRECISION NOT NULL DEFAULT 0
        );
        CREATE TABLE addresses (
            address_id TEXT PRIMARY KEY,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            assigned INTEGER,
            commercial_type TEXT,
            version DOUBLE PRECISION NOT NULL DEFAULT 0
        );
        CREATE TABLE applied_events (
            event_key TEXT PRIMARY KEY,
            applied_at TEXT NOT NULL DEFAULT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        );
        CREATE TABLE change_log (
            id BIGSERIAL PRIMARY KEY,
            table_name TEXT NOT NULL,
            row_id BIGINT NOT NULL,
            operation TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
            facility_id TEXT,
            doctor_id TEXT,
            address_id TEXT,
            docplanner_id TEXT,
            changed_at TEXT NOT NULL DEFAULT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        );
        CREATE TABLE working_hours (
            id BIGSERIAL PRIMARY KEY,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
            start_time TEXT NOT NULL CHECK (start_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
            end_time TEXT NOT NULL CHECK (end_time ~ '^[0-2][0-9]:[0-5][0-9]$' AND end_time > start_time),
            address_service_id TEXT NOT NULL,
            duration INTEGER NOT NULL CHECK (duration > 0),
            valid_from TEXT,
            valid_until TEXT
        );
        CREATE INDEX working_hours_by_calendar ON working_hours (doctor_id, address_id);
        CREATE TABLE day_slots (
            id BIGSERIAL PRIMARY KEY,
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            day TEXT NOT NULL CHECK (day ~ '^[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]$'),
            start_time TEXT NOT NULL DEFAULT '00:00',
            end_time TEXT NOT NULL DEFAULT '00:00',
            address_service_id TEXT NOT NULL DEFAULT '',
            duration INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX day_slots_by_calendar ON day_slots (doctor_id, address_id, day);
        CREATE TABLE dpbridge_slot_days (
            facility_id TEXT NOT NULL,
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            day TEXT NOT NULL,
            signature TEXT NOT NULL,
            PRIMARY KEY (doctor_id, address_id, day)
        );
        CREATE TABLE dpbridge_slot_sends (
            doctor_id TEXT NOT NULL,
            address_id TEXT NOT NULL,
            day TEXT NOT NULL,
            signature TEXT NOT NULL,
            sent_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX dpbridge_slot_sends_by_calendar ON dpbridge_slot_sends (doctor_id, address_id, sent_at);
        CREATE TABLE clinic_facilities (id TEXT PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE clinic_doctors (id TEXT PRIMARY KEY, name TEXT NOT NULL, license_number TEXT);
        CREATE TABLE clinic_locations (id TEXT PRIMARY KEY, name TEXT NOT NULL, street TEXT, city TEXT);
        CREATE TABLE clinic_services (id TEXT PRIMARY KEY, name TEXT NOT NULL, docplanner_service_id TEXT);
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
        CREATE TABLE clinic_insurance_plans (id TEXT PRIMARY KEY, insurance_id TEXT NOT NULL, name TEXT NOT NULL);
        CREATE INDEX clinic_insurance_plans_by_insurance ON clinic_insurance_plans (insurance_id);
        CREATE TABLE clinic_location_insurance_plans (
            location_id TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            PRIMARY KEY (location_id, plan_id)
        );

        -- dpbridge's mark on its own writes: local to the transaction that sets it.
        CREATE VIEW dpbridge_session AS
            SELECT coalesce(nullif(current_setting('dpbridge.applying', true), ''), '0')::integer AS applying;
        CREATE FUNCTION dpbridge_session_set() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM set_config('dpbridge.applying', NEW.applying::text, true);
            RETURN NEW;
        END $$;
        CREATE TRIGGER dpbridge_session_update INSTEAD OF UPDATE ON dpbridge_session
            FOR EACH ROW EXECUTE FUNCTION dpbridge_session_set();

        -- Clinic-side writes (not dpbridge's) into the change log. The argument names the
        -- row's Docplanner id column, if the table has one.
        CREATE FUNCTION dpbridge_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            this jsonb;
        BEGIN
            IF (SELECT applying FROM dpbridge_session) <> 0 THEN RETURN NULL; END IF;
            this := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
            INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id, docplanner_id)
            VALUES (TG_TABLE_NAME, (this ->> 'id')::bigint, lower(TG_OP), this ->> 'facility_id',
                this ->> 'doctor_id', this ->> 'address_id',
                CASE WHEN TG_NARGS > 0 THEN this ->> TG_ARGV[0] END);
            -- Hours moved to another calendar change the old one too.
            IF TG_OP = 'UPDATE' AND TG_NARGS = 0
                AND (OLD.doctor_id IS DISTINCT FROM NEW.doctor_id OR OLD.address_id IS DISTINCT FROM NEW.address_id) THEN
                INSERT INTO change_log (table_name, row_id, operation, facility_id, doctor_id, address_id)
                VALUES (TG_TABLE_NAME, OLD.id, 'update', OLD.facility_id, OLD.doctor_id, OLD.address_id);
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER bookings_log AFTER INSERT OR UPDATE OR DELETE ON bookings
            FOR EACH ROW EXECUTE FUNCTION dpbridge_log_change('docplanner_booking_id');
        CREATE TRIGGER breaks_log AFTER INSERT OR UPDATE OR DELETE ON breaks
            FOR EACH ROW EXECUTE FUNCTION dpbridge_log_change('docplanner_break_id');
        CREATE TRIGGER working_hours_log AFTER INSERT OR UPDATE OR DELETE ON working_hours
            FOR EACH ROW EXECUTE FUNCTION dpbridge_log_change();
        CREATE TRIGGER day_slots_log AFTER INSERT OR UPDATE OR DELETE ON day_slots
            FOR EACH ROW EXECUTE FUNCTION dpbridge_log_change();

        -- A time written in one spelling only gets the other before the row is stored.
        \#(timesTrigger(table: "bookings", function: "dpbridge_booking_times", times: [("start_at", "start_ts"), ("end_at", "end_ts")]))
        \#(timesTrigger(table: "breaks", function: "dpbridge_break_times", times: [("since", "since_ts"), ("till", "till_ts")]))
        """#
    ]

    /// A `BEFORE INSERT OR UPDATE` trigger on `table` keeping each pair of `times` (ISO 8601
    /// text, Unix seconds) in step: an insert fills the missing one; an update that moves
    /// one spelling only moves the other (SQLite's triggers of migrations 2 and 4).
    private static func timesTrigger(table: String, function: String, times: [(text: String, seconds: String)])
        -> String
    {
        let inserted = times.map { pair in
            """
                    NEW.\(pair.seconds) := coalesce(NEW.\(pair.seconds), unixepoch(NEW.\(pair.text)));
                    NEW.\(pair.text) := coalesce(NEW.\(pair.text), dpbridge_utc_text(NEW.\(pair.seconds)));
            """
        }.joined(separator: "\n")
        let updated = times.map { pair in
            let (text, seconds) = pair
            return """
                        IF NEW.\(text) IS NOT NULL AND NEW.\(text) IS DISTINCT FROM OLD.\(text)
                            AND NEW.\(seconds) IS NOT DISTINCT FROM OLD.\(seconds) THEN
                            NEW.\(seconds) := coalesce(unixepoch(NEW.\(text)), NEW.\(seconds));
                        ELSIF NEW.\(seconds) IS NOT NULL AND NEW.\(seconds) IS DISTINCT FROM OLD.\(seconds)
                            AND NEW.\(text) IS NOT DISTINCT FROM OLD.\(text)
                            AND (NEW.\(text) IS NULL OR unixepoch(NEW.\(text)) IS DISTINCT FROM NEW.\(seconds)) THEN
                            NEW.\(text) := dpbridge_utc_text(NEW.\(seconds));
                        END IF;
                """
        }.joined(separator: "\n")
        return """
            CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
            \(inserted)
                    RETURN NEW;
                END IF;
            \(updated)
                RETURN NEW;
            END $$;
            CREATE TRIGGER \(table)_times BEFORE INSERT OR UPDATE ON \(table)
                FOR EACH ROW EXECUTE FUNCTION \(function)();
            """
    }

    /// The schema of tenant `tenant`'s calendar: its store's schema and `_calendar`.
    package static func schema(forTenant tenant: String) -> String {
        PostgresEndpoint.schema(forTenant: tenant) + "_calendar"
    }
}

extension CalendarLocation {
    /// The clinic calendar in `endpoint`'s schema, made and migrated when opened for the
    /// first time (`PostgresCalendarSchema`).
    package static func postgres(_ endpoint: PostgresEndpoint) -> CalendarLocation {
        CalendarLocation(description: endpoint.description, dialect: .postgres) { migrating throws(SQLiteError) in
            if migrating {
                do {
                    try PostgresSchema.migrate(
                        try endpoint.connect(), schema: endpoint.schema, migrations: PostgresCalendarSchema.migrations)
                } catch let error as PostgresError {
                    throw error.sqlError
                } catch {
                    throw SQLiteError.postgres(sqlState: "XX000", message: "\(error)")
                }
            }
            return try PostgresSQLConnection { () throws(PostgresError) in try endpoint.connect() }
        }
    }
}

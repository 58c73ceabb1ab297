"""The flows the contract test drives, each one check: it acts through the simulator's admin
API, the daemon's CLI, its /v1 partner API or its SQLite clinic calendar, waits (bounded)
for the effect on the other side and for the Docplanner operations it must have caused.

A flow returns a short detail (ids and counts only, never patient data) or raises
FlowFailed saying what did not happen.
"""

from __future__ import annotations

import json

from harness import Run, wait_until, warsaw, warsaw_day


class FlowFailed(Exception):
    pass


def require(condition, message: str) -> None:
    if not condition:
        raise FlowFailed(message)


def calls(run: Run, operations: list, since: int, attempts: int = 300) -> str:
    missing = run.wait_for_calls(operations, since, attempts)
    require(not missing, f"dpbridge never called (with a 2xx answer): {', '.join(missing)}; "
                         f"seen: {sorted({op for op, _ in run.dpbridge_calls(since)})}")
    return ", ".join(operations)


def cli_json(run: Run, *arguments: str):
    result = run.cli(*arguments)
    try:
        report = json.loads(result.stdout) if result.stdout.strip() else None
    except ValueError:
        report = None
    return result, report


def booking(run: Run, docplanner_id: str, column: str):
    return run.value(f"SELECT {column} FROM bookings WHERE docplanner_booking_id = ?", docplanner_id)


def acted(run: Run, action: str, body: dict, outcome: str) -> dict:
    answer = run.act(action, body)
    require(answer.get("outcome") == outcome,
            f"/_sim/{action} answered {answer.get('status')} {answer.get('outcome') or answer.get('error')}")
    return answer


# MARK: - The seeded clinic (facility 3): catalog, mapping, activation

# The clinic's catalog for the simulator's facility 3 (--clinic-doctors 2). Doctor D-1 at the
# main location differs from Docplanner on purpose: USG costs 110 (updateAddressService),
# EEG is not offered (deleteAddressService of 300113), Online consultation is offered but its
# address service 300114 was deleted on Docplanner before discovery (getServices finds it in
# the dictionary by name, addAddressService adds it); AXA is accepted at the main location
# (addAddressInsuranceProvider). Every address has working hours (getCalendar,
# enableCalendar, replaceSlots).
CATALOG_SQL = """
BEGIN;
INSERT INTO clinic_facilities VALUES ('C-1', 'Seeded Clinic');
INSERT INTO clinic_doctors VALUES ('D-1', 'lek. med. ANNA DOCTOR3001', 'PWZ-3001'), ('D-2', 'dr Piotr Doctor3002', NULL);
INSERT INTO clinic_locations VALUES ('L-MAIN', 'Main Clinic', 'Long street 1', 'Some city'),
    ('L-BRANCH', 'Branch Clinic', 'Short street 2', 'Some city');
INSERT INTO clinic_services VALUES ('S-USG', 'USG', NULL), ('S-EKG', 'EKG', NULL), ('S-EEG', 'EEG', NULL),
    ('S-ONLINE', 'Online consultation', NULL), ('S-CONS', 'Consultation', '5');
INSERT INTO clinic_insurances VALUES ('I-AXA', 'AXA');
INSERT INTO clinic_location_insurances VALUES ('L-MAIN', 'I-AXA');
INSERT INTO clinic_offers VALUES
    ('D-1', 'L-MAIN', 'S-USG', 110, 0, 30, NULL), ('D-1', 'L-MAIN', 'S-EKG', 80, 0, 15, NULL),
    ('D-1', 'L-MAIN', 'S-ONLINE', 120, 0, 20, NULL), ('D-1', 'L-MAIN', 'S-CONS', 200, 0, 30, NULL),
    ('D-1', 'L-BRANCH', 'S-USG', 100, 0, 30, NULL), ('D-1', 'L-BRANCH', 'S-EKG', 80, 0, 15, NULL),
    ('D-1', 'L-BRANCH', 'S-EEG', 150, 0, 45, NULL), ('D-1', 'L-BRANCH', 'S-ONLINE', 120, 0, 20, NULL),
    ('D-1', 'L-BRANCH', 'S-CONS', 200, 0, 30, NULL),
    ('D-2', 'L-MAIN', 'S-USG', 100, 0, 30, NULL), ('D-2', 'L-MAIN', 'S-EKG', 80, 0, 15, NULL),
    ('D-2', 'L-MAIN', 'S-EEG', 150, 0, 45, NULL), ('D-2', 'L-MAIN', 'S-ONLINE', 120, 0, 20, NULL),
    ('D-2', 'L-MAIN', 'S-CONS', 200, 0, 30, NULL),
    ('D-2', 'L-BRANCH', 'S-USG', 100, 0, 30, NULL), ('D-2', 'L-BRANCH', 'S-EKG', 80, 0, 15, NULL),
    ('D-2', 'L-BRANCH', 'S-EEG', 150, 0, 45, NULL), ('D-2', 'L-BRANCH', 'S-ONLINE', 120, 0, 20, NULL),
    ('D-2', 'L-BRANCH', 'S-CONS', 200, 0, 30, NULL);
""" + "".join(
    f"INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time, "
    f"address_service_id, duration) VALUES ('3', '{doctor}', '{doctor}{suffix}', {weekday}, '08:00', '12:00', "
    f"'{doctor}{suffix}1', 30);\n"
    for doctor in ("3001", "3002") for suffix in ("1", "2") for weekday in range(1, 6)) + "COMMIT;"


def discovery(run: Run) -> str:
    since = run.mark()
    # Before discovery, Docplanner loses address service 300114 (Online consultation at 30011).
    acted(run, "address-services", {"action": "delete", "address_service_id": "300114"}, "address-service-deleted")
    everything, report = cli_json(run, "map", "discover", "--json")
    require(everything.returncode == 0, f"map discover exited {everything.returncode}: {everything.stderr[-300:]}")
    one, _ = cli_json(run, "map", "discover", "--facility", "3", "--json")
    require(one.returncode == 0, f"map discover --facility 3 exited {one.returncode}: {one.stderr[-300:]}")
    done = calls(run, ["getFacilities", "getFacility", "getDoctors", "getAddresses", "getAddressServices",
                       "getInsuranceProviders"], since)
    return f"{json.dumps((report or {}).get('resources'))}; {done}"


def mapping(run: Run) -> str:
    run.sql(CATALOG_SQL)
    result, report = cli_json(run, "map", "auto", "--facility", "3", "--apply", "--json")
    require(result.returncode == 0 and report, f"map auto --apply exited {result.returncode}: {result.stderr[-300:]}")
    applied = report.get("applied", 0)
    require(applied > 0, "map auto --apply recorded nothing")
    manual = run.cli("map", "set", "doctor", "3002", "D-2")
    require(manual.returncode == 0, f"map set exited {manual.returncode}: {manual.stderr[-300:]}")
    mapped = run.value("SELECT count(*) FROM dpbridge_mappings")
    return f"{applied} mappings applied, map set doctor 3002 D-2; {mapped} in dpbridge_mappings"


def activation(run: Run) -> str:
    since = run.mark()
    # A clinic break (fed by step 5), and a clinic visit that Docplanner does not list
    # (reconciliation asks getBooking about it), written as dpbridge's own import would be.
    run.sql(f"""
        INSERT INTO breaks (facility_id, doctor_id, address_id, since, till, description)
        VALUES ('3', '3001', '30011', '{warsaw(9, 12, 30)}', '{warsaw(9, 13)}', 'Team meeting');
        BEGIN; UPDATE dpbridge_session SET applying = 1;
        INSERT INTO bookings (docplanner_booking_id, facility_id, doctor_id, address_id, start_at, end_at,
            start_ts, end_ts, address_service_id, patient_name, origin, synced_status)
        VALUES ('799999', '3', '3001', '30011', '{warsaw(3, 9)}', '{warsaw(3, 9, 30)}',
            unixepoch('{warsaw(3, 9)}'), unixepoch('{warsaw(3, 9, 30)}'), '300111', 'Imported', 'docplanner', 'booked');
        UPDATE dpbridge_session SET applying = 0; COMMIT;
        """)
    # Docplanner's ping must have reached the daemon (step 1).
    require(wait_until(lambda: any(e["method"] == "GET" and e.get("status") == 200 for e in run.recorded("callback"))),
            "no ping reached the daemon")
    result, report = cli_json(run, "activate", "--facility", "3", "--json")
    steps = [(s.get("number"), s.get("ok")) for s in (report or {}).get("steps", [])]
    problems = [p.get("problem") or p.get("message") or json.dumps(p)[:120]
                for s in (report or {}).get("steps", []) for p in s.get("problems", [])]
    require(result.returncode == 0, f"activate exited {result.returncode}; steps {steps}; problems {problems[:4]}")
    done = calls(run, ["getAddressServices", "updateAddressService", "getServices", "addAddressService",
                       "deleteAddressService", "getAddressInsuranceProviders", "addAddressInsuranceProvider",
                       "getCalendar", "enableCalendar", "replaceSlots", "getBookings", "getCalendarBreaks",
                       "addCalendarBreak"], since)
    missing = run.wait_for_calls(["getBooking"], since, 1, success=False)
    require(not missing, "reconciliation never asked getBooking about the unlisted visit 799999")
    return f"5 steps {steps}; {done}, getBooking"


def activation_plan(run: Run) -> str:
    """The clinic now accepts AXA's basic plan (Docplanner's plan 11 of provider 52) at the
    main location: the provider, already there without plans, is updated with it."""
    since = run.mark()
    run.sql("""
        INSERT INTO clinic_insurance_plans VALUES ('P-AXA-BASIC', 'I-AXA', 'Axa Basic');
        INSERT INTO clinic_location_insurance_plans VALUES ('L-MAIN', 'P-AXA-BASIC');
        """)
    mapped = run.cli("map", "set", "plan", "11", "P-AXA-BASIC", "--force")
    require(mapped.returncode == 0, f"map set plan exited {mapped.returncode}: {mapped.stderr[-300:]}")
    result, report = cli_json(run, "activate", "--facility", "3", "--json")
    require(result.returncode == 0, f"activate exited {result.returncode}: {result.stdout[-300:]}")
    return calls(run, ["updateOrCreateAddressInsuranceProvider"], since) + f"; {report.get('write_calls')} write calls"


def activation_again(run: Run) -> str:
    since = run.mark()
    run.sql("""
        DELETE FROM clinic_location_insurance_plans WHERE location_id = 'L-MAIN';
        DELETE FROM clinic_location_insurances WHERE location_id = 'L-MAIN';
        """)
    result, report = cli_json(run, "activate", "--facility", "3", "--json")
    require(result.returncode == 0, f"activate exited {result.returncode}: {result.stdout[-300:]}")
    return calls(run, ["deleteAddressInsuranceProvider"], since) + f"; {report.get('write_calls')} write calls"


# MARK: - Inbound: Docplanner's side acts, events reach the clinic calendar (facility 1, address 111)

class Inbound:
    """State shared by the inbound flows of one run."""
    booked = None
    moved = None


def patient_books(run: Run) -> str:
    answer = acted(run, "book", {"address_id": "111", "start": warsaw(6, 10)}, "booked")
    require(answer.get("events") == ["slot-booking", "slot-booked"], f"events {answer.get('events')}")
    Inbound.booked = answer["booking"]["id"]
    require(wait_until(lambda: booking(run, Inbound.booked, "status") == "booked"),
            f"booking {Inbound.booked} did not reach the clinic calendar")
    return f"booking {Inbound.booked}: slot-booking approved ({answer.get('partner_status')}), slot-booked applied"


def blocking_denied(run: Run) -> str:
    # A walk-in the clinic took that Docplanner does not know of.
    run.sql(f"""
        BEGIN; UPDATE dpbridge_session SET applying = 1;
        INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, start_ts, end_ts, patient_name)
        VALUES ('1', '123', '111', '{warsaw(6, 12)}', '{warsaw(6, 12, 30)}', unixepoch('{warsaw(6, 12)}'),
            unixepoch('{warsaw(6, 12, 30)}'), 'Walk-in');
        UPDATE dpbridge_session SET applying = 0; COMMIT;
        """)
    book = acted(run, "book", {"address_id": "111", "start": warsaw(6, 12)}, "denied")
    move = acted(run, "move", {"booking_id": Inbound.booked, "start": warsaw(6, 12, 15)}, "denied")
    return (f"slot-booking denied {book.get('partner_status')} {book.get('error_code')}, "
            f"booking-moving denied {move.get('partner_status')} {move.get('error_code')}")


def patient_confirms_and_pays(run: Run) -> str:
    acted(run, "confirm", {"booking_id": Inbound.booked}, "confirmed")
    require(wait_until(lambda: booking(run, Inbound.booked, "confirmed") == 1), "confirmation not applied")
    acted(run, "payment", {"booking_id": Inbound.booked, "status": "paid"}, "payment-changed")
    require(wait_until(lambda: booking(run, Inbound.booked, "payment_status") == "paid"), "payment not applied")
    return "booking-confirmed, booking-payment-status-changed applied"


def presence_marked(run: Run) -> str:
    acted(run, "presence", {"booking_id": "700001", "presence": "PRESENT"}, "presence-marked")
    require(wait_until(lambda: (booking(run, "700001", "lower(presence)") or "") == "present"),
            "presence of 700001 not applied")
    return "presence-marked applied to 700001"


def patient_moves_and_cancels(run: Run) -> str:
    answer = acted(run, "move", {"booking_id": Inbound.booked, "start": warsaw(6, 9, 30)}, "moved")
    require(answer.get("events") == ["booking-moving", "booking-moved"], f"events {answer.get('events')}")
    Inbound.moved = answer["booking"]["id"]
    require(wait_until(lambda: booking(run, Inbound.booked, "status") == "moved"
                       and booking(run, Inbound.moved, "status") == "booked"), "the move was not applied")
    acted(run, "cancel", {"booking_id": Inbound.moved}, "canceled")
    require(wait_until(lambda: booking(run, Inbound.moved, "status") == "canceled"), "the cancel was not applied")
    return f"{Inbound.booked} moved to {Inbound.moved} (booking-moving approved), then canceled"


def doctor_books_and_cancels(run: Run) -> str:
    answer = acted(run, "book", {"address_id": "111", "start": warsaw(6, 11), "booked_by": "doctor"}, "booked")
    require(answer.get("events") == ["slot-booked"], f"events {answer.get('events')}")
    made = answer["booking"]["id"]
    require(wait_until(lambda: booking(run, made, "status") == "booked"), f"booking {made} not applied")
    acted(run, "cancel", {"booking_id": made, "canceled_by": "doctor"}, "canceled")
    require(wait_until(lambda: booking(run, made, "status") == "canceled"), "the doctor's cancel was not applied")
    return f"booking {made} by the doctor, canceled by the doctor"


def doctor_breaks(run: Run) -> str:
    created = acted(run, "breaks", {"action": "create", "address_id": "111", "since": warsaw(8, 12),
                                    "till": warsaw(8, 13), "description": "Lunch"}, "break-created")
    made = created["break_id"]

    def row(column):
        return run.value(f"SELECT {column} FROM breaks WHERE docplanner_break_id = ?", made)
    require(wait_until(lambda: row("deleted") == 0), "break-created not applied")
    acted(run, "breaks", {"action": "move", "break_id": made, "since": warsaw(8, 14), "till": warsaw(8, 15)},
          "break-moved")
    require(wait_until(lambda: row("since") == warsaw(8, 14)), "break-moved not applied")
    acted(run, "breaks", {"action": "remove", "break_id": made}, "break-removed")
    require(wait_until(lambda: row("deleted") == 1), "break-removed not applied")
    return f"break {made} created, moved, removed"


def doctor_services(run: Run) -> str:
    created = acted(run, "address-services", {"action": "create", "address_id": "111", "service_id": "3",
                                              "price": 150}, "address-service-created")
    made = created["address_service_id"]

    def row(column):
        return run.value(f"SELECT {column} FROM address_services WHERE docplanner_address_service_id = ?", made)
    require(wait_until(lambda: row("deleted") == 0), "address-service-created not applied")
    acted(run, "address-services", {"action": "change", "address_service_id": made, "price": 180},
          "address-service-changed")
    require(wait_until(lambda: row("price") == 180), "address-service-changed not applied")
    acted(run, "address-services", {"action": "delete", "address_service_id": made}, "address-service-deleted")
    require(wait_until(lambda: row("deleted") == 1), "address-service-deleted not applied")
    return f"address service {made} created, changed, deleted"


def commercial_type(run: Run) -> str:
    acted(run, "commercial-type", {"address_id": "112", "commercial_type": "basic"}, "commercial-type-changed")
    require(wait_until(lambda: run.value("SELECT commercial_type FROM addresses WHERE address_id = '112'") == "basic"),
            "address-commercial-type-changed not applied")
    return "address 112 is basic in the clinic calendar"


# MARK: - Outbound: the clinic writes, Docplanner follows (facility 1, doctor 123, address 111)

class Outbound:
    row = None
    api_booking = None


def working_hours(run: Run) -> str:
    since = run.mark()
    hours = [{"weekday": d, "start_time": "08:00", "end_time": "12:00", "address_service_id": "101", "duration": 30}
             for d in range(1, 8)]
    status, answer = run.v1("PUT", "/v1/working-hours/1/123/111", {"hours": hours})
    require(status == 200, f"PUT /v1/working-hours answered {status} {answer}")
    return calls(run, ["replaceSlots"], since)


def day_slots(run: Run) -> str:
    since = run.mark()
    closed, custom = warsaw_day(10), warsaw_day(11)
    status, answer = run.v1("PUT", f"/v1/day-slots/1/123/111/{closed}", {"slots": []})
    require(status == 200, f"closing {closed} answered {status} {answer}")
    status, answer = run.v1("PUT", f"/v1/day-slots/1/123/111/{custom}", {"slots": [
        {"start_time": "14:00", "end_time": "15:00", "address_service_id": "102", "duration": 15}]})
    require(status == 200, f"day slots of {custom} answered {status} {answer}")
    done = calls(run, ["replaceSlots"], since)
    # A closed day is cleared with deleteSlots, or (one day per replaceSlots) with a
    # replaceSlots whose ranges have no address services: either way it has no slots left.
    window = f"start={warsaw(10, 0)}&end={warsaw(10, 23, 59)}".replace(":", "%3A").replace("+", "%2B")

    def closed_on_docplanner():
        status, answer = run.probe("GET", "/facilities/1/doctors/123/addresses/111/slots", query=window)
        return status == 404 or (status == 200 and not (answer or {}).get("_items"))
    require(wait_until(closed_on_docplanner, 100), f"{closed} still has slots on Docplanner")
    how = "deleteSlots" if any(op == "deleteSlots" for op, _ in run.dpbridge_calls(since)) else "replaceSlots"
    return f"{done}; {closed} closed on Docplanner (by {how})"


def clinic_books(run: Run) -> str:
    since = run.mark()
    run.sql(f"""INSERT INTO bookings (facility_id, doctor_id, address_id, start_at, end_at, address_service_id,
                    patient_name, patient_surname, patient_phone)
                VALUES ('1', '123', '111', '{warsaw(4, 10)}', '{warsaw(4, 10, 30)}', '101', 'Anna', 'Nowak',
                    '+48500100200')""")
    Outbound.row = run.value("SELECT id FROM bookings WHERE start_at = ? AND origin = 'clinic'", warsaw(4, 10))
    require(wait_until(lambda: run.value("SELECT docplanner_booking_id FROM bookings WHERE id = ?", Outbound.row)),
            f"clinic row {Outbound.row} got no Docplanner id")
    status, answer = run.v1("POST", "/v1/bookings", {
        "facility_id": "1", "doctor_id": "123", "address_id": "111", "start": warsaw(4, 11), "end": warsaw(4, 11, 30),
        "address_service_id": "101", "patient": {"name": "Ewa", "surname": "Lis", "phone": "+48500100300"}})
    require(status == 201, f"POST /v1/bookings answered {status} {answer}")
    Outbound.api_booking = answer["id"]
    require(wait_until(lambda: run.v1("GET", f"/v1/bookings/{Outbound.api_booking}")[1].get("docplanner_booking_id")),
            f"/v1 booking {Outbound.api_booking} got no Docplanner id")
    return calls(run, ["bookSlot"], since) + f" (SQL row {Outbound.row}, /v1 booking {Outbound.api_booking})"


def clinic_confirms_moves_cancels(run: Run) -> str:
    since = run.mark()

    def docplanner_id():
        return run.value("SELECT docplanner_booking_id FROM bookings WHERE id = ?", Outbound.row)
    first = docplanner_id()
    run.sql(f"UPDATE bookings SET confirmed = 1 WHERE id = {Outbound.row}")
    calls(run, ["confirmBooking"], since)
    run.sql(f"UPDATE bookings SET start_at = '{warsaw(4, 10, 30)}', end_at = '{warsaw(4, 11)}' WHERE id = {Outbound.row}")
    require(wait_until(lambda: docplanner_id() != first), "the move gave the row no new Docplanner id")
    run.sql(f"UPDATE bookings SET status = 'canceled' WHERE id = {Outbound.row}")
    status, _ = run.v1("DELETE", f"/v1/bookings/{Outbound.api_booking}")
    require(status == 204, f"DELETE /v1/bookings answered {status}")
    return calls(run, ["confirmBooking", "moveBooking", "cancelBooking"], since)


def clinic_marks_presence(run: Run) -> str:
    since = run.mark()
    if run.value("SELECT id FROM bookings WHERE docplanner_booking_id = '700001'") is None:
        run.sql(f"""INSERT INTO bookings (docplanner_booking_id, facility_id, doctor_id, address_id, start_at, end_at,
                        address_service_id, patient_name)
                    VALUES ('700001', '1', '123', '111', '{warsaw(-1, 10)}', '{warsaw(-1, 10, 30)}', '101', 'Imported')""")
    run.sql("UPDATE bookings SET presence = 'absent' WHERE docplanner_booking_id = '700001'")
    calls(run, ["markPatientAbsence"], since)
    run.sql("UPDATE bookings SET presence = 'present' WHERE docplanner_booking_id = '700001'")
    return calls(run, ["markPatientAbsence", "markPatientPresence"], since)


def clinic_breaks(run: Run) -> str:
    since = run.mark()
    run.sql(f"""INSERT INTO breaks (facility_id, doctor_id, address_id, since, till, description)
                VALUES ('1', '123', '111', '{warsaw(5, 12)}', '{warsaw(5, 13)}', 'Training')""")
    row = run.value("SELECT id FROM breaks WHERE since = ? AND address_id = '111'", warsaw(5, 12))
    require(wait_until(lambda: run.value("SELECT docplanner_break_id FROM breaks WHERE id = ?", row)),
            "the clinic break got no Docplanner id")
    run.sql(f"UPDATE breaks SET till = '{warsaw(5, 14)}' WHERE id = {row}")
    calls(run, ["addCalendarBreak", "moveCalendarBreak"], since)
    run.sql(f"DELETE FROM breaks WHERE id = {row}")
    return calls(run, ["addCalendarBreak", "moveCalendarBreak", "deleteCalendarBreak"], since)


# MARK: - PULL mode

def pulled_events(run: Run) -> str:
    since = run.mark()
    answer = acted(run, "book", {"address_id": "111", "start": warsaw(5, 9)}, "booked")
    made = answer["booking"]["id"]
    require(wait_until(lambda: booking(run, made, "status") == "booked"), f"pulled booking {made} not applied")
    moved = acted(run, "move", {"booking_id": made, "start": warsaw(5, 10)}, "moved")["booking"]["id"]
    require(wait_until(lambda: booking(run, made, "status") == "moved" and booking(run, moved, "status") == "booked"),
            "pulled move not applied")
    acted(run, "cancel", {"booking_id": moved}, "canceled")
    require(wait_until(lambda: booking(run, moved, "status") == "canceled"), "pulled cancel not applied")
    done = calls(run, ["Pull Multiple Notification"], since)
    empty = wait_until(lambda: ("Pull Multiple Notification", 404) in run.dpbridge_calls(since))
    require(empty, "dpbridge never met an empty queue (404)")
    return f"booking {made} booked, moved to {moved}, canceled, through {done}; the empty queue answered 404"


# The self-test through the proxy: a wrong replaceSlots (an id as a number, an unknown field)
# sent through the recording proxy must come out of the recording as violations.
PROXY_SELF_TEST = ("PUT", "/facilities/1/doctors/123/addresses/111/slots",
                   {"slots": [{"start": warsaw(20, 9), "end": warsaw(20, 10), "colour": "blue",
                               "address_services": [{"address_service_id": 101, "duration": 30}]}]})
PROXY_SELF_TEST_PATHS = ("$.slots[0].address_services[0].address_service_id", "$.slots[0].colour")


def proxy_self_test(run: Run) -> str:
    method, path, body = PROXY_SELF_TEST
    status, _ = run.probe(method, path, body, marker="self-test")
    require(status is not None, "the wrong replaceSlots got no answer")
    return f"a wrong replaceSlots sent through the proxy (answered {status}); the validator's verdict follows below"


# MARK: - Probes: operations no dpbridge flow calls, so that the simulator's answers get checked

def probes(run: Run) -> str:
    f, a = "/facilities/1/doctors/123", "/facilities/1/doctors/123/addresses/111"
    day = f"start={warsaw(1, 0)}&end={warsaw(2, 0)}".replace(":", "%3A").replace("+", "%2B")
    asked = [
        ("GET", f, None, "with=doctor.addresses"),
        ("GET", a, None, "with=address.online_only,address.commercial_type"),
        ("PATCH", a, {"insurance_support": "private_and_insurance"}, ""),
        ("GET", a + "/services/101", None, ""),
        ("GET", "/insurance-providers/1/plans", None, ""),
        ("PUT", a + "/insurance-providers", {"insurance_provider_id": "1", "insurance_plans": [{"insurance_plan_id": "999"}]}, ""),
        ("GET", a + "/breaks/500001", None, ""),
        ("GET", a + "/slots", None, day + "&with=slot.services"),
        ("GET", a + "/bookings/700002", None, "with=booking.moving"),
        ("PUT", f + "/opinion-request", {"phone": "+48500100200"}, ""),
        ("POST", "/facilities/3/doctors/3002/addresses/30022/calendar/disable", None, ""),
        ("DELETE", a + f"/slots/{warsaw_day(30)}", None, ""),
        ("DELETE", "/facilities/1/doctors/234/addresses/221/integration", None, ""),
    ]
    answers = []
    for method, path, body, query in asked:
        status, _ = run.probe(method, path, body, query)
        answers.append(status)
    require(all(status is not None for status in answers), "a probe got no answer")
    return f"{len(asked)} probes answered {answers}"


def pull_probe(run: Run) -> str:
    status, _ = run.probe("GET", "/notifications")
    require(status is not None, "GET /notifications got no answer")
    return f"GET /notifications answered {status}"


PUSH_FLOWS = [
    ("discovery: map discover (all, --facility 3)", discovery),
    ("mapping: catalog, map auto --apply, map set", mapping),
    ("activation: activate --facility 3 (profiles, calendars, slots, bookings, breaks)", activation),
    ("activation again: a plan accepted with its provider", activation_plan),
    ("activation again: an insurance no longer accepted", activation_again),
    ("inbound: a patient books (slot-booking, slot-booked)", patient_books),
    ("inbound: slot-booking and booking-moving denied by the clinic calendar", blocking_denied),
    ("inbound: booking-confirmed, booking-payment-status-changed", patient_confirms_and_pays),
    ("inbound: presence-marked", presence_marked),
    ("inbound: booking-moving, booking-moved, booking-canceled", patient_moves_and_cancels),
    ("inbound: the doctor books and cancels", doctor_books_and_cancels),
    ("inbound: break-created, break-moved, break-removed", doctor_breaks),
    ("inbound: address-service-created, -changed, -deleted", doctor_services),
    ("inbound: address-commercial-type-changed", commercial_type),
    ("outbound: working hours (PUT /v1/working-hours) → replaceSlots", working_hours),
    ("outbound: day slots (PUT /v1/day-slots) → replaceSlots (a closed day: deleteSlots or replaceSlots)", day_slots),
    ("outbound: clinic bookings (SQL, POST /v1/bookings) → bookSlot", clinic_books),
    ("outbound: confirm, move, cancel → confirmBooking, moveBooking, cancelBooking", clinic_confirms_moves_cancels),
    ("outbound: presence → markPatientAbsence, markPatientPresence", clinic_marks_presence),
    ("outbound: clinic breaks → addCalendarBreak, moveCalendarBreak, deleteCalendarBreak", clinic_breaks),
    ("probes: operations no dpbridge flow calls", probes),
    ("self-test through the proxy: send a wrong replaceSlots", proxy_self_test),
]

PULL_FLOWS = [
    ("pull: events through GET /notifications/multiple", pulled_events),
    ("probes: GET /notifications", pull_probe),
]

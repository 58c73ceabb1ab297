"""The validator's self-test: deliberately wrong exchanges must each be reported as a
violation (at the expected place), and right ones must pass, so that a contract run
with zero violations means something.
"""

from __future__ import annotations

import json

from openapi_contract import Contract

BASE = "/api/v3/integration"
ADDRESS = BASE + "/facilities/1/doctors/123/addresses/111"
DOCPLANNER_JSON = "application/vnd.docplanner+json; charset=UTF-8"
ERROR_JSON = "application/vnd.error+docplanner+json"


def api(method, path, body=None, status=200, response=None, query="", content_type=DOCPLANNER_JSON):
    return {
        "method": method, "path": path, "query": query,
        "request_headers": {"Authorization": "Bearer <redacted>", "Content-Type": "application/json"},
        "request_body": json.dumps(body) if body is not None else "",
        "status": status, "response_headers": {"Content-Type": content_type} if response is not None else {},
        "response_body": json.dumps(response) if response is not None else "", "error": None,
    }


def replace_slots_body(service_id="101", **extra):
    slot = {"start": "2026-03-02T09:00:00+01:00", "end": "2026-03-02T13:00:00+01:00",
            "address_services": [{"address_service_id": service_id, "duration": 30}]}
    slot.update(extra)
    return {"slots": [slot]}


def book_slot_body(**changes):
    body = {"address_service_id": "101", "duration": 30, "patient": {"name": "Jan", "phone": "+48500100200"}}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


BOOKING = {"id": "700001", "status": "booked", "start_at": "2026-03-02T09:00:00+01:00",
           "end_at": "2026-03-02T09:30:00+01:00", "duration": 30}

# (name, exchange, kind, the JSON path or field the violation must name); kind: api, callback.
WRONG = [
    ("replaceSlots: address_service_id as a number",
     api("PUT", ADDRESS + "/slots", replace_slots_body(service_id=101), 201),
     "api", "$.slots[0].address_services[0].address_service_id"),
    ("replaceSlots: an unknown field in a slot",
     api("PUT", ADDRESS + "/slots", replace_slots_body(colour="blue"), 201), "api", "$.slots[0].colour"),
    ("replaceSlots: a slot without its required end",
     api("PUT", ADDRESS + "/slots", {"slots": [{"start": "2026-03-02T09:00:00+01:00"}]}, 201), "api", "$.slots[0]"),
    ("bookSlot: the required patient missing",
     api("POST", ADDRESS + "/slots/2026-03-02T09%3A00%3A00%2B01%3A00/book", book_slot_body(patient=None), 200, BOOKING),
     "api", "$"),
    ("addCalendarBreak: since not ISO 8601",
     api("POST", ADDRESS + "/breaks", {"since": "2026-03-02 12:00", "till": "2026-03-02T13:00:00+01:00"}, 201,
         {"id": "1", "since": "2026-03-02T12:00:00+01:00", "till": "2026-03-02T13:00:00+01:00"}),
     "api", "$.since"),
    ("getFacilities: a response with an id as a number",
     api("GET", BASE + "/facilities", status=200, response={"_items": [{"id": 1, "name": "Sample hospital"}]}),
     "api", "$._items[0].id"),
    ("getBooking: a response with a wrong type and a bad date",
     api("GET", ADDRESS + "/bookings/700001", status=200, response=dict(BOOKING, duration="30", start_at="yesterday")),
     "api", "$.duration"),
    ("replaceSlots: a status the operation does not declare",
     api("PUT", ADDRESS + "/slots", replace_slots_body(), 200), "api", "status"),
    ("getFacilities: an undeclared response content type",
     api("GET", BASE + "/facilities", status=200, response={"_items": []}, content_type="text/html"),
     "api", "Content-Type"),
    ("a path no operation has", api("GET", BASE + "/facilities/1/nurses", status=200, response={}), "api",
     "GET " + BASE + "/facilities/1/nurses"),
    ("getSlots: an undeclared query parameter and a + left unencoded",
     api("GET", ADDRESS + "/slots", status=200, response={"_items": []},
         query="start=2026-03-02T00%3A00%3A00+01%3A00&end=2026-03-03T00%3A00%3A00%2B01%3A00&colour=blue"),
     "api", "query start"),
    ("getDoctors: a with scope the operation does not offer",
     api("GET", BASE + "/facilities/1/doctors", status=200, response={"_items": []}, query="with=doctor.addresses"),
     "api", "query with"),
    ("confirmBooking: the required body missing",
     api("PUT", ADDRESS + "/bookings/700001/confirm", None, 204), "api", "body"),
    ("callback slot-booked: visit_booking.id as a number",
     {"method": "POST", "path": "/callbacks/x", "request_headers": {"Content-Type": "application/json"},
      "request_body": json.dumps({"name": "slot-booked", "data": {"visit_booking": {"id": 4412}},
                                  "created_at": "2026-03-02T09:12:44+01:00"}), "status": 200, "response_body": ""},
     "callback", "$.data.visit_booking.id"),
    ("callback: an event the document does not have",
     {"method": "POST", "path": "/callbacks/x", "request_headers": {"Content-Type": "application/json"},
      "request_body": json.dumps({"name": "booking-teleported", "data": {}}), "status": 200, "response_body": ""},
     "callback", "$.name"),
]

RIGHT = [
    ("replaceSlots: a valid feed", api("PUT", ADDRESS + "/slots", replace_slots_body(), 201), "api"),
    ("bookSlot: a valid booking",
     api("POST", ADDRESS + "/slots/2026-03-02T09%3A00%3A00%2B01%3A00/book", book_slot_body(), 200, BOOKING), "api"),
    ("getSlots: valid parameters",
     api("GET", ADDRESS + "/slots", status=404, response={"message": "No slots found on given address"},
         query="start=2026-03-02T00%3A00%3A00%2B01%3A00&end=2026-03-03T00%3A00%3A00%2B01%3A00&with=slot.services",
         content_type=ERROR_JSON), "api"),
]


def run(contract: Contract, examples: dict) -> list:
    """[(name, ok, detail)]: one check per wrong exchange, one for the right ones."""
    results = []
    for name, exchange, kind, where in WRONG:
        outcome = contract.check_api(exchange) if kind == "api" else contract.check_callback(exchange)
        places = [v.path for v in outcome.violations]
        ok = any(p == where or p.startswith((where + " ", where + ".", where + "[")) for p in places) if where != "$" \
            else "$" in places
        detail = "; ".join(v.line() for v in outcome.violations)[:300] or "no violation reported"
        results.append((f"self-test: {name}", ok, detail if ok else f"expected one at {where}; got: {detail}"))
    wrongly = []
    for name, exchange, kind in RIGHT:
        outcome = contract.check_api(exchange) if kind == "api" else contract.check_callback(exchange)
        wrongly += [f"{name}: {v.line()}" for v in outcome.violations]
    # The document's own callback examples, as Docplanner would push them. One of them is
    # broken in the document itself ("canceled_at": "null," in the payment example): it must
    # be reported, the others must pass.
    reported_broken = False
    for key, body in examples.items():
        if "name" not in body:
            continue
        exchange = {"method": "POST", "path": "/callbacks/x", "request_headers": {"Content-Type": "application/json"},
                    "request_body": json.dumps(body), "status": 200, "response_body": ""}
        outcome = contract.check_callback(exchange)
        if key == "BookingPaymentStatusChangedNotification":
            reported_broken = any(v.path == "$.data.visit_booking.canceled_at" for v in outcome.violations)
            continue
        wrongly += [f"example {key}: {v.line()}" for v in outcome.violations]
    count = len(RIGHT) + len([k for k, v in examples.items() if "name" in v]) - 1
    results.append(("self-test: valid exchanges and the document's callback examples pass", not wrongly,
                    f"{count} passed clean" if not wrongly else "; ".join(wrongly)[:400]))
    results.append(("self-test: the document's broken payment example is reported", reported_broken,
                    "'canceled_at': 'null,' reported" if reported_broken else "not reported"))
    return results

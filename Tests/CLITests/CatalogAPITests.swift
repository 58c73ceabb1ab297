import Foundation
import TestSupport
import Testing

/// `PUT /v1/catalog` and `GET /v1/catalog` through a live daemon: clinic software that
/// cannot write the calendar file (the HTTP adapter's partners) hands dpbridge its whole
/// catalog, insurance plans included; `dpbridge map` then matches against it. A body with
/// any problem is refused with the field named, and the catalog stays as it was.
@Suite struct CatalogAPITests {
    static let token = "catalog-api-token-0123456789"

    /// `curl` against the admin listener's /v1 API; returns (status, JSON body).
    func call(_ daemon: RunningDaemon, _ method: String, body: String? = nil) throws -> (Int, [String: Any]) {
        var arguments = ["-w", "\n%{http_code}", "-X", method, "-H", "Authorization: Bearer \(Self.token)"]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try curl(arguments + ["http://127.0.0.1:\(daemon.adminPort)/v1/catalog"])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let json =
            (try? JSONSerialization.jsonObject(with: Data(lines.dropLast().joined(separator: "\n").utf8)))
            as? [String: Any]
        return (Int(lines.last ?? "") ?? 0, json ?? [:])
    }

    static let catalog = """
        {
          "facilities": [{"id": "F-1", "name": "Przychodnia Centrum"}],
          "doctors": [
            {"id": "D-1", "name": "Anna Nowak", "license_number": "1234567"},
            {"id": "D-2", "name": "Jan Kowalski"}
          ],
          "locations": [{"id": "L-1", "name": "Centrum", "street": "Marszałkowska 1", "city": "Warszawa"}],
          "services": [
            {"id": "S-1", "name": "Konsultacja", "docplanner_service_id": "75"},
            {"id": "S-2", "name": "USG"}
          ],
          "insurances": [{"id": "I-1", "name": "Luxmed"}, {"id": "I-2", "name": "Medicover"}],
          "insurance_plans": [
            {"id": "P-1", "insurance_id": "I-1", "name": "Standard"},
            {"id": "P-2", "insurance_id": "I-1", "name": "Premium"},
            {"id": "P-3", "insurance_id": "I-2", "name": "Basic"}
          ],
          "offers": [
            {"doctor_id": "D-1", "location_id": "L-1", "service_id": "S-1", "price": 150, "duration": 20},
            {"doctor_id": "D-2", "location_id": "L-1", "service_id": "S-2", "price": 200, "is_price_from": true,
             "duration": 30, "description": "z opisem"}
          ],
          "location_insurances": [{"location_id": "L-1", "insurance_id": "I-1"}],
          "location_insurance_plans": [{"location_id": "L-1", "plan_id": "P-2"}, {"location_id": "L-1", "plan_id": "P-1"}]
        }
        """

    @Test func theWholeCatalogIsReplacedAndReadBackAndMapSeesIt() throws {
        let daemon = try RunningDaemon(extraEnvironment: ["DPBRIDGE_LISTEN_ADMIN_TOKEN": Self.token])
        defer { daemon.stopAndReadLog() }

        // Empty at first, and `map set` refuses an id the clinic does not have.
        let (emptyStatus, empty) = try call(daemon, "GET")
        #expect(emptyStatus == 200)
        #expect((empty["doctors"] as? [Any])?.isEmpty == true, "\(empty)")
        let refused = try daemon.cli(["map", "set", "doctor", "123", "D-1"])
        #expect(
            refused.status != 0 && refused.output.contains("not in the clinic's clinic_doctors table"),
            "\(refused.output)")

        let (status, counts) = try call(daemon, "PUT", body: Self.catalog)
        #expect(status == 200, "\(counts)")
        #expect(
            counts["doctors"] as? Int == 2 && counts["offers"] as? Int == 2
                && counts["location_insurances"] as? Int == 1)
        #expect(counts["insurance_plans"] as? Int == 3 && counts["location_insurance_plans"] as? Int == 2, "\(counts)")

        let (_, read) = try call(daemon, "GET")
        let doctors = try #require(read["doctors"] as? [[String: Any]])
        #expect(doctors.map { $0["id"] as? String } == ["D-1", "D-2"])
        #expect(doctors[0]["license_number"] as? String == "1234567")
        #expect(doctors[1]["license_number"] is NSNull)
        let services = try #require(read["services"] as? [[String: Any]])
        #expect(services.first?["docplanner_service_id"] as? String == "75")
        let offers = try #require(read["offers"] as? [[String: Any]])
        #expect(offers.count == 2)
        #expect(offers[1]["is_price_from"] as? Bool == true && offers[1]["description"] as? String == "z opisem")
        #expect(offers[0]["price"] as? Int == 150 && offers[0]["duration"] as? Int == 20)
        #expect((read["location_insurances"] as? [[String: Any]])?.first?["insurance_id"] as? String == "I-1")
        let plans = try #require(read["insurance_plans"] as? [[String: Any]])
        #expect(
            plans.map { "\($0["id"] ?? "")/\($0["insurance_id"] ?? "")/\($0["name"] ?? "")" } == [
                "P-1/I-1/Standard", "P-2/I-1/Premium", "P-3/I-2/Basic",
            ])
        let acceptedPlans = try #require(read["location_insurance_plans"] as? [[String: Any]])
        #expect(acceptedPlans.compactMap { $0["plan_id"] as? String } == ["P-1", "P-2"])
        #expect(acceptedPlans.allSatisfy { $0["location_id"] as? String == "L-1" })
        #expect(
            try sqlite(
                daemon.calendarPath,
                "SELECT group_concat(plan_id) FROM (SELECT plan_id FROM clinic_location_insurance_plans ORDER BY plan_id)"
            )
                == "P-1,P-2")
        #expect(
            try sqlite(daemon.calendarPath, "SELECT street || ', ' || city FROM clinic_locations")
                == "Marszałkowska 1, Warszawa")

        // `dpbridge map` reads the same tables: D-1 passes the catalog check now (and the
        // command goes on to want Docplanner's doctor discovered, which this daemon without
        // a simulator has not done).
        let checked = try daemon.cli(["map", "set", "doctor", "123", "D-1"])
        #expect(!checked.output.contains("not in the clinic's"), "\(checked.output)")
        #expect(checked.output.contains("no doctor 123 was discovered"), "\(checked.output)")

        // A PUT replaces everything: what it does not list is gone.
        let smaller = #"{"doctors": [{"id": "D-3", "name": "Ewa Zielińska"}]}"#
        #expect(try call(daemon, "PUT", body: smaller).0 == 200)
        #expect(try sqlite(daemon.calendarPath, "SELECT group_concat(id) FROM clinic_doctors") == "D-3")
        #expect(try sqlite(daemon.calendarPath, "SELECT count(*) FROM clinic_offers") == "0")
        #expect(try sqlite(daemon.calendarPath, "SELECT count(*) FROM clinic_insurance_plans") == "0")
        #expect(try sqlite(daemon.calendarPath, "SELECT count(*) FROM clinic_location_insurance_plans") == "0")
    }

    @Test func aBodyWithAnyProblemIsRefusedByFieldAndChangesNothing() throws {
        let daemon = try RunningDaemon(extraEnvironment: ["DPBRIDGE_LISTEN_ADMIN_TOKEN": Self.token])
        defer { daemon.stopAndReadLog() }
        #expect(try call(daemon, "PUT", body: Self.catalog).0 == 200)
        let (_, before) = try call(daemon, "GET")

        let bad: [(body: String, field: String, problem: String)] = [
            (
                #"{"doctors": [{"id": "D-1", "name": "A"}, {"id": "D-1", "name": "B"}]}"#, "doctors[1].id",
                "listed twice"
            ),
            (
                #"{"offers": [{"doctor_id": "D-9", "location_id": "L-1", "service_id": "S-1", "duration": 20}]}"#,
                "offers[0].doctor_id", "is not in doctors"
            ),
            (
                #"{"doctors": [{"id": "D-1", "name": "A"}], "locations": [{"id": "L-1", "name": "C"}], "#
                    + #""services": [{"id": "S-1", "name": "K"}], "#
                    + #""offers": [{"doctor_id": "D-1", "location_id": "L-1", "service_id": "S-1", "duration": 0}]}"#,
                "offers[0].duration", "must be an integer from 1 to 1440"
            ),
            (
                #"{"location_insurances": [{"location_id": "L-1", "insurance_id": "I-1"}]}"#,
                "location_insurances[0].location_id", "is not in locations"
            ),
            (#"{"doctors": [{"id": "D-1", "name": "A", "licence": "x"}]}"#, "doctors[0].licence", "unknown field"),
            (#"{"clinics": []}"#, "clinics", "unknown field"),
            (#"{"doctors": [{"id": "D-1"}]}"#, "doctors[0].name", "is required"),
            (#"{"doctors": {"id": "D-1"}}"#, "doctors", "must be an array"),
            (
                #"{"insurance_plans": [{"id": "P-1", "name": "Standard"}]}"#, "insurance_plans[0].insurance_id",
                "is required"
            ),
            (
                #"{"insurances": [{"id": "I-1", "name": "L"}], "insurance_plans": [{"id": "P-1", "insurance_id": "I-1", "name": "A"}, "#
                    + #"{"id": "P-2", "insurance_id": "I-9", "name": "B"}]}"#,
                "insurance_plans[1].insurance_id", "I-9 is not in insurances"
            ),
            (
                #"{"insurances": [{"id": "I-1", "name": "L"}], "#
                    + #""insurance_plans": [{"id": "P-1", "insurance_id": "I-1", "name": "A"}, {"id": "P-1", "insurance_id": "I-1", "name": "B"}]}"#,
                "insurance_plans[1].id", "listed twice"
            ),
            (
                #"{"locations": [{"id": "L-1", "name": "C"}], "location_insurance_plans": [{"location_id": "L-1", "plan_id": "P-1"}]}"#,
                "location_insurance_plans[0].plan_id", "P-1 is not in insurance_plans"
            ),
            (
                #"{"locations": [{"id": "L-1", "name": "C"}], "insurances": [{"id": "I-1", "name": "L"}], "#
                    + #""insurance_plans": [{"id": "P-1", "insurance_id": "I-1", "name": "A"}], "#
                    + #""location_insurance_plans": [{"location_id": "L-1", "plan_id": "P-1"}]}"#,
                "location_insurance_plans[0].plan_id", "its insurance I-1 is not accepted at L-1"
            ),
            (
                #"{"locations": [{"id": "L-1", "name": "C"}], "location_insurance_plans": [{"location_id": "L-1", "plan": "P-1"}]}"#,
                "location_insurance_plans[0].plan", "unknown field"
            ),
        ]
        for (body, field, problem) in bad {
            let (status, answer) = try call(daemon, "PUT", body: body)
            #expect(status == 400, "\(body) → \(answer)")
            #expect(answer["field"] as? String == field, "\(body) → \(answer)")
            #expect((answer["error"] as? String)?.contains(problem) == true, "\(body) → \(answer)")
        }
        let (notJSON, answer) = try call(daemon, "PUT", body: "[1, 2")
        #expect(notJSON == 400 && (answer["error"] as? String)?.contains("JSON object") == true, "\(answer)")

        let (_, after) = try call(daemon, "GET")
        #expect(NSDictionary(dictionary: after).isEqual(to: before), "nothing was changed by a refused body")
    }
}

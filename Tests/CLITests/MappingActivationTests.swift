import Foundation
import TestSupport
import Testing

/// `dpbridge map …` and `dpbridge activate` against the simulator's seeded clinic
/// (facility 3: 20 doctors × 2 addresses × 5 address services) and a running daemon.
@Suite(.serialized) struct MappingActivationTests {
    static let doctors = 20

    /// The clinic's own catalog, named a little differently from Docplanner (titles,
    /// capitals), half the doctors with license numbers; every doctor offers the five
    /// services at both locations at Docplanner's prices; AXA is accepted at the main one,
    /// with its basic plan (Docplanner's plan 11 of provider 52).
    static var catalogSQL: String {
        let first = ["Anna", "Piotr", "Maria", "Jan", "Ewa", "Tomasz", "Zofia", "Adam", "Hanna", "Marek"]
        var sql = "BEGIN; INSERT INTO clinic_facilities VALUES ('C-1', 'Seeded Clinic');"
        for k in 1...doctors {
            let doctor = 3000 + k
            let name =
                k % 2 == 0
                ? "dr \(first[(k - 1) % 10]) Doctor\(doctor)"
                : "lek. med. \(first[(k - 1) % 10].uppercased()) DOCTOR\(doctor)"
            sql +=
                "INSERT INTO clinic_doctors VALUES ('D-\(k)', '\(name)', \(k % 2 == 1 ? "'PWZ-\(doctor)'" : "NULL"));"
            for location in ["L-MAIN", "L-BRANCH"] {
                for (service, duration, price) in [
                    ("S-USG", 30, 100), ("S-EKG", 15, 80), ("S-EEG", 45, 150), ("S-ONLINE", 20, 120),
                    ("S-CONS", 30, 200),
                ] {
                    sql +=
                        "INSERT INTO clinic_offers VALUES ('D-\(k)', '\(location)', '\(service)', \(price), 0, \(duration), NULL);"
                }
            }
            for suffix in ["1", "2"] {
                let address = "\(doctor)\(suffix)"
                for weekday in 1...5 {
                    sql += """
                        INSERT INTO working_hours (facility_id, doctor_id, address_id, weekday, start_time, end_time,
                            address_service_id, duration) VALUES ('3', '\(doctor)', '\(address)', \(weekday), '08:00', '12:00', '\(address)1', 30);
                        """
                }
            }
        }
        sql += """
            INSERT INTO clinic_locations VALUES ('L-MAIN', 'Main Clinic', 'Long street 1', 'Some city'),
                ('L-BRANCH', 'Branch Clinic', 'Short street 2', 'Some city');
            INSERT INTO clinic_services VALUES ('S-USG', 'USG', NULL), ('S-EKG', 'EKG', NULL), ('S-EEG', 'EEG', NULL),
                ('S-ONLINE', 'Online consultation', NULL), ('S-CONS', 'Consultation', '5');
            INSERT INTO clinic_insurances VALUES ('I-AXA', 'AXA');
            INSERT INTO clinic_location_insurances VALUES ('L-MAIN', 'I-AXA');
            INSERT INTO clinic_insurance_plans (id, insurance_id, name) VALUES ('P-AXA-BASIC', 'I-AXA', 'AXA basic');
            INSERT INTO clinic_location_insurance_plans (location_id, plan_id) VALUES ('L-MAIN', 'P-AXA-BASIC');
            COMMIT;
            """
        return sql
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object, "not a JSON object: \(result.output)")
    }

    static func steps(_ report: [String: Any]) -> [[String: Any]] { report["steps"] as? [[String: Any]] ?? [] }

    @Test func mapsAndActivatesASeededFacilityOfTwentyDoctors() throws {
        try withDaemonAndSimulator(
            simulatorArguments: ["--clinic-doctors", "\(Self.doctors)", "--ping-interval", "1", "--no-rate-limits"],
            extraEnvironment: ["DPBRIDGE_DOCPLANNER_WRITE_LIMIT_PER_MINUTE": "1000"]
        ) { daemon, simulator in
            // Discover: 1 facility, 20 doctors, 40 addresses, 200 address services (+ the
            // dictionary: 3 insurance providers, 3 plans, read with one GET per provider).
            let discovered = try daemon.cli(["map", "discover", "--facility", "3", "--json"])
            #expect(discovered.status == 0, "\(discovered.output)")
            let counts = try Self.json(discovered)["resources"] as? [String: Int]
            #expect(counts == ["facility": 1, "doctor": 20, "address": 40, "service": 200, "insurance": 3, "plan": 3])
            let planReads = ((try simulator.state()["requests"] as? [[String: Any]]) ?? [])
                .compactMap { $0["path"] as? String }.filter { $0.hasSuffix("/plans") }
            #expect(planReads.count == 3 && Set(planReads).count == 3, "\(planReads)")
            #expect(discovered.stderr.contains("discover: 20/20"), "plain progress lines off a terminal")

            // Activation before any mapping: step 2 is red and names the fix.
            let early = try daemon.cli(["activate", "--facility", "3", "--json"])
            #expect(early.status == 1)
            let earlySteps = Self.steps(try Self.json(early))
            #expect(earlySteps.count == 5)
            let earlyProblems = earlySteps.count == 5 ? earlySteps[1]["problems"] as? [[String: Any]] ?? [] : []
            #expect(earlyProblems.contains { ($0["fix"] as? String)?.contains("dpbridge map set doctor 3001") == true })

            // Auto-mapping by license number and by name.
            _ = try sqlite(daemon.calendarPath, Self.catalogSQL)
            let proposed = try Self.json(try daemon.cli(["map", "auto", "--facility", "3", "--json"]))
            #expect(proposed["applied"] as? Int == 0, "nothing recorded without --apply")
            let applied = try daemon.cli(["map", "auto", "--facility", "3", "--apply", "--json"])
            #expect(try Self.json(applied)["applied"] as? Int == 1 + 20 + 40 + 200 + 1 + 1)
            let proposals = try Self.json(applied)["proposals"] as? [[String: Any]] ?? []
            #expect(
                proposals.contains {
                    $0["docplannerID"] as? String == "3001" && $0["partnerID"] as? String == "D-1"
                        && $0["reason"] as? String == "license number"
                })
            #expect(
                proposals.contains {
                    $0["docplannerID"] as? String == "30012" && $0["partnerID"] as? String == "L-BRANCH"
                })
            #expect(
                proposals.contains {
                    $0["kind"] as? String == "plan" && $0["docplannerID"] as? String == "11"
                        && $0["partnerID"] as? String == "P-AXA-BASIC"
                }, "Axa's plan, matched among AXA's plans in the same run as its provider")
            let unmapped = try daemon.cli(["map", "list", "--facility", "3", "--unmapped", "--json"])
            let open = (try JSONSerialization.jsonObject(with: Data(unmapped.stdout.utf8)) as? [[String: Any]]) ?? []
            #expect(
                open.map { "\($0["kind"] ?? "")/\($0["docplannerID"] ?? "")" }.sorted()
                    == ["insurance/1", "insurance/2", "plan/1000", "plan/999"],
                "only providers the clinic lacks, and their plans, stay unmapped")
            #expect(open.first { $0["kind"] as? String == "plan" }?["insuranceProviderID"] as? String == "1")
            // Clinic software reads the mappings from its own file.
            #expect(
                try sqlite(
                    daemon.calendarPath,
                    "SELECT partner_id FROM dpbridge_mappings WHERE kind = 'doctor' AND docplanner_id = '3002'")
                    == "D-2")
            #expect(
                try sqlite(
                    daemon.calendarPath,
                    "SELECT partner_id FROM dpbridge_mappings WHERE kind = 'plan' AND docplanner_id = '11'")
                    == "P-AXA-BASIC")

            // Docplanner pings the callback URL every second here.
            #expect(
                eventually {
                    let status = try? JSONSerialization.jsonObject(
                        with: Data(((try? daemon.admin("/status"))?.stdout ?? "").utf8))
                    return ((status as? [String: Any])?["lastPingAgeSeconds"] as? Int) != nil
                })

            // One address has no calendar on Docplanner at all ("Calendar does not exist"):
            // activation makes one (a break creates it) and enables it.
            let missing = try simulator.act("calendar", ["address_id": "30011", "status": "missing"])
            #expect(missing["error"] == nil, "\(missing)")

            // All five steps green.
            let first = try daemon.cli(["activate", "--facility", "3", "--json"])
            #expect(first.status == 0, "\(first.output)")
            let report = try Self.json(first)
            #expect(report["ready"] as? Bool == true)
            #expect(Self.steps(report).map { $0["ok"] as? Bool } == [true, true, true, true, true], "\(first.stdout)")
            let profileWrites = Self.steps(report).count == 5 ? Self.steps(report)[1]["writes"] as? [String] ?? [] : []
            #expect(profileWrites == Array(repeating: "addAddressInsuranceProvider", count: 20))
            let state = try simulator.state()
            let calendars = state["calendars"] as? [String: String] ?? [:]
            let windows = state["slot_units"] as? [String: Int] ?? [:]
            for k in 1...Self.doctors {
                for suffix in ["1", "2"] {
                    let address = "\(3000 + k)\(suffix)"
                    #expect(calendars[address] == "enabled", "calendar \(address)")
                    #expect((windows[address] ?? 0) > 0, "slots of \(address)")
                }
            }
            let insurers =
                try simulator.api("/facilities/3/doctors/3007/addresses/30071/insurance-providers") as? [String: Any]
            let items = insurers?["_items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["insurance_provider_id"] as? String } == ["52"])
            let fedPlans = (items.first?["insurance_plans"] as? [String: Any])?["_items"] as? [[String: Any]]
            #expect(
                fedPlans?.compactMap { $0["insurance_plan_id"] as? String } == ["11"], "AXA fed with its accepted plan")
            let branchInsurers =
                try simulator.api("/facilities/3/doctors/3007/addresses/30072/insurance-providers") as? [String: Any]
            #expect((branchInsurers?["_items"] as? [Any])?.isEmpty == true, "nothing accepted at the branch")

            // Once the daemon is idle too, running activation again writes nothing.
            #expect(try eventually(attempts: 400) { try quiet(daemon, simulator) })
            let before = try simulator.state()["requests_total"] as? Int ?? 0
            let again = try daemon.cli(["activate", "--facility", "3", "--json"])
            #expect(again.status == 0, "\(again.output)")
            #expect(try Self.json(again)["write_calls"] as? Int == 0)
            #expect(try clinicWrites(simulator, since: before) == [], "no write reached Docplanner")

            // One unmapped address service turns exactly step 2 red, with its fix, and writes nothing.
            #expect(try daemon.cli(["map", "unset", "service", "300113"]).status == 0)
            let broken = try daemon.cli(["activate", "--facility", "3", "--json"])
            #expect(broken.status == 1)
            let brokenSteps = Self.steps(try Self.json(broken))
            #expect(brokenSteps.map { $0["ok"] as? Bool } == [true, false, true, true, true], "\(broken.stdout)")
            let problems = brokenSteps.count == 5 ? brokenSteps[1]["problems"] as? [[String: Any]] ?? [] : []
            #expect(problems.count == 1)
            #expect((problems.first?["fix"] as? String)?.contains("dpbridge map set service 300113") == true)
            #expect(try clinicWrites(simulator, since: before) == [], "no twin service added for the unmapped one")
            let text = try daemon.cli(["activate", "--facility", "3"])
            #expect(text.stdout.contains("✗ 2. doctor profiles"))
            #expect(text.stdout.contains("✓ 3. calendars fed"))

            // Fixed by hand: green again.
            #expect(try daemon.cli(["map", "set", "service", "300113", "S-EEG"]).status == 0)
            #expect(try daemon.cli(["activate", "--facility", "3"]).status == 0)
        }
    }

    /// Write requests about facilities (not the daemon's own hourly release of
    /// notifications) the simulator answered after its `requests_total` was `since`.
    private func clinicWrites(_ simulator: SimulatorProcess, since: Int) throws -> [String] {
        let state = try simulator.state()
        let total = state["requests_total"] as? Int ?? 0
        let latest = ((state["requests"] as? [[String: Any]]) ?? []).suffix(total - since)
        return latest.filter {
            $0["method"] as? String != "GET" && ($0["path"] as? String ?? "").contains("/facilities/")
        }
        .map { "\($0["method"] ?? "") \($0["path"] ?? "")" }
    }

    /// The daemon's outbox is empty and the simulator saw no write for a second.
    private func quiet(_ daemon: RunningDaemon, _ simulator: SimulatorProcess) throws -> Bool {
        let status =
            try JSONSerialization.jsonObject(
                with: Data(try daemon.admin("/status").stdout.utf8)) as? [String: Any]
        let outbox = status?["outbox"] as? [String: Any]
        guard (outbox?["pending"] as? Int) == 0, (outbox?["inFlight"] as? Int ?? 0) == 0 else { return false }
        let writes = try simulator.state()["writes_total"] as? Int
        usleep(1_000_000)
        return try simulator.state()["writes_total"] as? Int == writes
    }

    @Test func exportsAndImportsMappingsAsCSV() throws {
        try withDaemonAndSimulator(simulatorArguments: ["--clinic-doctors", "2"]) { daemon, _ in
            #expect(try daemon.cli(["map", "discover"]).status == 0)
            #expect(try daemon.cli(["map", "set", "doctor", "3001", "D-1", "--force"]).status == 0)
            let refused = try daemon.cli(["map", "set", "doctor", "3002", "D-404"])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("not in the clinic's clinic_doctors table"))

            // A plan goes only to a clinic plan of the insurance its provider is mapped to.
            _ = try sqlite(
                daemon.calendarPath,
                """
                INSERT INTO clinic_insurances VALUES ('I-AXA', 'AXA'), ('I-LUX', 'Luxmed');
                INSERT INTO clinic_insurance_plans (id, insurance_id, name) VALUES ('P-AXA', 'I-AXA', 'Basic'), ('P-LUX', 'I-LUX', 'Basic');
                """)
            #expect(try daemon.cli(["map", "set", "insurance", "52", "I-AXA"]).status == 0)
            let otherInsurance = try daemon.cli(["map", "set", "plan", "11", "P-LUX"])
            #expect(otherInsurance.status == 1)
            #expect(otherInsurance.stderr.contains("clinic plan P-LUX is a plan of I-LUX"), "\(otherInsurance.output)")
            #expect(try daemon.cli(["map", "set", "plan", "11", "P-AXA"]).status == 0)

            let exported = try daemon.cli(["map", "export", "--facility", "3"])
            #expect(exported.status == 0)
            var lines = exported.stdout.split(separator: "\n").map(String.init)
            #expect(
                lines.first
                    == "kind,docplanner_id,name,facility_id,doctor_id,address_id,insurance_provider_id,partner_id,source,confidence"
            )
            #expect(lines.contains { $0.hasPrefix("doctor,3001,Anna Doctor3001,3,3001,,,D-1,manual,") })
            #expect(lines.contains("plan,11,Axa Basic,,,,52,P-AXA,manual,"), "\(lines.filter { $0.hasPrefix("plan") })")
            #expect(lines.contains("plan,999,Insurance plan 999,,,,1,,,"))
            // Bind 3002 and an address, unbind 3001, in a spreadsheet.
            lines = lines.map { line in
                if line.hasPrefix("doctor,3001,") { return "doctor,3001,Anna Doctor3001,3,3001,,,,," }
                if line.hasPrefix("doctor,3002,") { return "doctor,3002,\"Doctor, Piotr\",3,3002,,,D-2,," }
                if line.hasPrefix("address,30021,") { return "address,30021,Main clinic,3,3002,30021,,L-MAIN,," }
                if line.hasPrefix("plan,11,") { return "plan,11,Axa Basic,,,,52,,," }
                return line
            }
            let file = daemon.directory.file("mappings.csv")
            try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let imported = try daemon.cli(["map", "import", file, "--json"])
            #expect(imported.status == 0, "\(imported.output)")
            #expect(try Self.json(imported)["set"] as? Int == 2)
            #expect(try Self.json(imported)["unset"] as? Int == 2)
            #expect(
                try sqlite(daemon.calendarPath, "SELECT count(*) FROM dpbridge_mappings WHERE kind = 'plan'") == "0")
            let listed = try daemon.cli(["map", "list", "--kind", "doctor", "--json"])
            let rows = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
            #expect(rows.first { $0["docplannerID"] as? String == "3001" }?["partnerID"] == nil)
            #expect(rows.first { $0["docplannerID"] as? String == "3002" }?["partnerID"] as? String == "D-2")

            // A bad file changes nothing and names each bad line.
            try "kind,docplanner_id,partner_id\ndoctor,3001,D-1\nrobot,1,X\naddress,99999,L-MAIN\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let bad = try daemon.cli(["map", "import", file])
            #expect(bad.status == 1)
            #expect(bad.stderr.contains("line 3: kind 'robot'"))
            let unknown = try daemon.cli(["map", "import", file.replacingOccurrences(of: ".csv", with: "-2.csv")])
            #expect(unknown.status == 1)
            try "kind,docplanner_id,partner_id\ndoctor,3001,D-1\naddress,99999,L-MAIN\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let missing = try daemon.cli(["map", "import", file])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("line 3: no address 99999 was discovered"))
            let after = try daemon.cli(["map", "list", "--kind", "doctor", "--json"])
            let doctors = (try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]]) ?? []
            #expect(doctors.first { $0["docplannerID"] as? String == "3001" }?["partnerID"] == nil, "nothing imported")
        }
    }

    /// `map list --unmapped` in text: with nothing discovered it says to run discover; with
    /// every discovered resource mapped it says so, not that nothing was discovered.
    @Test func listingTheUnmappedTellsNothingDiscoveredFromEverythingMapped() throws {
        try withDaemonAndSimulator(simulatorArguments: ["--clinic-doctors", "2"]) { daemon, _ in
            let before = try daemon.cli(["map", "list", "--unmapped"])
            #expect(before.status == 0, "\(before.output)")
            #expect(
                before.stdout.contains("no resources discovered yet: run dpbridge map discover"), "\(before.output)")

            #expect(try daemon.cli(["map", "discover"]).status == 0)
            let open = try daemon.cli(["map", "list", "--unmapped"])
            #expect(open.status == 0, "\(open.output)")
            #expect(!open.stdout.contains("no resources discovered yet"), "\(open.output)")
            #expect(open.stdout.contains(" unmapped"), "a table of what is left: \(open.output)")

            // Map every discovered resource (its partner id: its kind and Docplanner id).
            let listed = try daemon.cli(["map", "list", "--json"])
            let rows = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
            let live = rows.filter { $0["vanished"] as? Bool == false }
            #expect(live.count >= 4, "\(listed.output)")
            var csv = ["kind,docplanner_id,partner_id"]
            for row in live {
                let kind = row["kind"] as? String ?? "?"
                let id = row["docplannerID"] as? String ?? "?"
                csv.append("\(kind),\(id),X-\(kind)-\(id)")
            }
            let file = daemon.directory.file("everything.csv")
            try csv.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let imported = try daemon.cli(["map", "import", file])
            #expect(imported.status == 0, "\(imported.output)")

            let mapped = try daemon.cli(["map", "list", "--unmapped"])
            #expect(mapped.status == 0, "\(mapped.output)")
            #expect(
                mapped.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    == "every one of the \(rows.count) discovered resources is mapped", "\(mapped.output)")
            #expect(!mapped.stdout.contains("no resources discovered yet"))
            // The same within one kind.
            let doctors = try daemon.cli(["map", "list", "--unmapped", "--kind", "doctor"])
            #expect(
                doctors.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    == "every one of the \(rows.filter { $0["kind"] as? String == "doctor" }.count) discovered resources is mapped",
                "\(doctors.output)")
        }
    }
}

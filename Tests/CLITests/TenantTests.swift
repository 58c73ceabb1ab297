import Foundation
import TestSupport
import Testing

/// Two clinics in one daemon, each with its own Docplanner client (a simulator each),
/// callback URL, store, calendar, mappings and rate limiter.
@Suite(.serialized) struct TenantTests {
    @Test func twoTenantsKeepEventsMappingsAndRateLimitsApart() throws {
        let other = try TemporaryDirectory(prefix: "dpbridge-tenant-b")
        defer { other.remove() }
        let portB = freeLoopbackPort()
        let secretB = "tenant-b-callback-secret-0042"
        let calendarB = other.file("b/partner.sqlite")
        let tenantYAML = """
            tenants:
              clinic-b:
                callback: {secret: \(secretB)}
                docplanner: {client_id: tenant-b, client_secret: tenant-b-secret-value, base_url: "http://127.0.0.1:\(portB)", write_limit_per_minute: 2}
                store: {path: \(other.file("b/dpbridge.sqlite"))}
                partner: {embedded: {path: \(calendarB)}}
                listen: {admin: {token: tenant-b-admin-token-0123456789}}
            """
        try withDaemonAndSimulator(extraYAML: tenantYAML) { daemon, simulatorA in
            let callbackB = "http://127.0.0.1:\(daemon.publicPort)/callbacks/\(secretB)"
            let simulatorB = try SimulatorProcess(
                directory: other, callbackURL: callbackB, port: portB,
                arguments: ["--client-id", "tenant-b", "--client-secret", "tenant-b-secret-value"])
            defer { simulatorB.stop() }

            // Events: each simulator's bookings land in its own clinic's calendar only.
            let a = try simulatorA.act("book", ["address_id": "111", "start": warsawTime(days: 1, hour: 11)])
            #expect(a["outcome"] as? String == "booked", "\(a)")
            let b1 = try simulatorB.act("book", ["address_id": "111", "start": warsawTime(days: 4, hour: 11)])
            let b2 = try simulatorB.act("book", ["address_id": "111", "start": warsawTime(days: 6, hour: 11)])
            #expect(b1["outcome"] as? String == "booked", "\(b1)")
            #expect(b2["outcome"] as? String == "booked", "\(b2)")
            let idA = (a["booking"] as? [String: Any])?["id"] as? String ?? "?"
            let idB1 = (b1["booking"] as? [String: Any])?["id"] as? String ?? "?"
            #expect(
                try eventually {
                    try sqlite(
                        daemon.calendarPath, "SELECT count(*) FROM bookings WHERE docplanner_booking_id = '\(idA)'")
                        == "1"
                        && sqlite(calendarB, "SELECT count(*) FROM bookings WHERE docplanner_booking_id = '\(idB1)'")
                            == "1"
                }, "\(daemon.log)")
            let dayTwoInA = try sqlite(
                daemon.calendarPath,
                "SELECT count(*) FROM bookings WHERE start_ts = unixepoch('\(warsawTime(days: 4, hour: 11))')")
            let dayOneInB = try sqlite(
                calendarB,
                "SELECT count(*) FROM bookings WHERE start_ts = unixepoch('\(warsawTime(days: 1, hour: 11))')")
            #expect(dayTwoInA == "0", "clinic B's booking is not in clinic A's calendar")
            #expect(dayOneInB == "0", "clinic A's booking is not in clinic B's calendar")

            // The admin API and the operator commands address one tenant at a time.
            let statusB = try daemon.cli(["status", "--tenant", "clinic-b", "--json"])
            #expect(statusB.status == 0, "\(statusB.output)")
            let reportB = try JSONSerialization.jsonObject(with: Data(statusB.stdout.utf8)) as? [String: Any]
            #expect(reportB?["tenant"] as? String == "clinic-b")
            #expect((reportB?["store"] as? String)?.hasPrefix(other.path) == true)
            // Each clinic's routes open with its own token only.
            func statusCode(_ tenant: String, token: String) throws -> String {
                try curl([
                    "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                    "http://127.0.0.1:\(daemon.adminPort)/status?tenant=\(tenant)",
                ]).stdout
            }
            #expect(try statusCode("clinic-b", token: "tenant-b-admin-token-0123456789") == "200")
            #expect(try statusCode("clinic-b", token: daemon.adminToken) == "401", "clinic A's token on clinic B")
            #expect(try statusCode("default", token: "tenant-b-admin-token-0123456789") == "401", "and the other way")
            #expect(try statusCode("default", token: daemon.adminToken) == "200")
            // Pings find each clinic by the secret in the path, trailing slashes as given;
            // a secret of neither is refused.
            func ping(_ path: String) throws -> String {
                try curl(["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(daemon.publicPort)\(path)"])
                    .stdout
            }
            #expect(try ping("/callbacks/\(secretB)") == "200")
            #expect(try ping("/callbacks/\(secretB)//") == "200")
            #expect(try ping("/callbacks/\(String(secretB.dropLast()))x") == "404")
            #expect(try ping("/callbacks/\(secretB)x") == "404")
            #expect(try ping("/callbacks///") == "404")
            let unknown = try daemon.cli(["status", "--tenant", "nope"])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("clinic-b"))

            // Mappings: discovered and bound per tenant.
            #expect(try daemon.cli(["map", "discover"]).status == 0)
            #expect(try daemon.cli(["map", "discover", "--tenant", "clinic-b"]).status == 0)
            #expect(
                try daemon.cli(["map", "set", "doctor", "123", "B-123", "--force", "--tenant", "clinic-b"]).status == 0)
            func doctor123(_ tenant: [String]) throws -> Any? {
                let listed = try daemon.cli(["map", "list", "--kind", "doctor", "--json"] + tenant)
                let rows = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
                return rows.first { $0["docplannerID"] as? String == "123" }?["partnerID"]
            }
            #expect(try doctor123(["--tenant", "clinic-b"]) as? String == "B-123")
            #expect(try doctor123([]) == nil, "clinic A's doctor 123 stays unmapped")
            #expect(
                try sqlite(calendarB, "SELECT partner_id FROM dpbridge_mappings WHERE docplanner_id = '123'") == "B-123"
            )
            #expect(try sqlite(daemon.calendarPath, "SELECT count(*) FROM dpbridge_mappings") == "0")

            // Rate limits: clinic B may write twice a minute; four breaks there wait,
            // while three in clinic A all go out at once.
            func addBreaks(_ path: String, count: Int, day: Int) throws {
                for hour in 0..<count {
                    _ = try sqlite(
                        path,
                        """
                        INSERT INTO breaks (facility_id, doctor_id, address_id, since, till) VALUES ('1', '123', '111',
                            '\(warsawTime(days: day, hour: 14 + hour))', '\(warsawTime(days: day, hour: 14 + hour, minute: 30))');
                        """)
                }
            }
            func breakPosts(_ simulator: SimulatorProcess) throws -> Int {
                try simulator.requestCount("POST", containing: "/addresses/111/breaks")
            }
            try addBreaks(calendarB, count: 4, day: 5)
            try addBreaks(daemon.calendarPath, count: 3, day: 5)
            #expect(try eventually { try breakPosts(simulatorA) == 3 }, "\(daemon.log)")
            // Clinic B's budget of two writes this minute (its start-up release of
            // notifications took one) is spent: the rest of its breaks wait.
            #expect(try eventually { try breakPosts(simulatorB) >= 1 })
            usleep(1_000_000)
            #expect(try simulatorB.state()["writes_total"] as? Int ?? 99 <= 2)
            #expect(try breakPosts(simulatorB) < 4, "clinic B's later writes wait for the next minute")
            let headroom = { (tenant: [String]) throws -> Int? in
                let status = try daemon.cli(["status", "--json"] + tenant)
                let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
                return (object?["rateLimits"] as? [String: Any])?["writesLeft"] as? Int
            }
            #expect(try headroom(["--tenant", "clinic-b"]) == 0)
            #expect((try headroom([]) ?? 0) >= 30, "clinic A's budget is its own")

            // /metrics carries both tenants.
            let metrics = try curl(["http://127.0.0.1:\(daemon.adminPort)/metrics"]).stdout
            #expect(metrics.contains("tenant=\"clinic-b\""))
            #expect(metrics.contains("tenant=\"default\""))
        }
    }

    /// A tenant's admin token may come only from its credential file `<tenant>_admin_token`
    /// in `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`), never written in the YAML:
    /// it opens that tenant's routes and no other's, and the other tenant's token does not
    /// open them.
    @Test func aTenantsTokenFromItsCredentialFileOpensOnlyItsRoutes() throws {
        let other = try TemporaryDirectory(prefix: "dpbridge-tenant-cred")
        defer { other.remove() }
        let credentials = other.file("credentials")
        try FileManager.default.createDirectory(
            atPath: credentials, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let tokenB = "tenant-b-credential-token-9876543210"
        _ = FileManager.default.createFile(
            atPath: credentials + "/clinic-b_admin_token", contents: Data(tokenB.utf8),
            attributes: [.posixPermissions: 0o600])
        let tenantYAML = """
            tenants:
              clinic-b:
                callback: {secret: tenant-b-callback-secret-0043}
                docplanner: {client_id: tenant-b, client_secret: tenant-b-secret-value}
                store: {path: \(other.file("b/dpbridge.sqlite"))}
                partner: {embedded: {path: \(other.file("b/partner.sqlite"))}}
            """
        let daemon = try RunningDaemon(extraEnvironment: ["CREDENTIALS_DIRECTORY": credentials], extraYAML: tenantYAML)
        defer { daemon.stopAndReadLog() }
        #expect(!(try String(contentsOfFile: daemon.configPath, encoding: .utf8)).contains(tokenB))

        func statusCode(_ path: String, token: String) throws -> String {
            try curl([
                "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                "http://127.0.0.1:\(daemon.adminPort)\(path)",
            ]).stdout
        }
        for path in ["/status?tenant=clinic-b", "/jobs?tenant=clinic-b"] {
            #expect(try statusCode(path, token: tokenB) == "200", "\(path) with the credential's token: \(daemon.log)")
            #expect(try statusCode(path, token: daemon.adminToken) == "401", "\(path) with the default tenant's token")
            #expect(
                try statusCode(path, token: "tenant-b-credential-token-987654321X") == "401",
                "\(path) with a wrong token")
        }
        #expect(
            try statusCode("/status?tenant=default", token: tokenB) == "401", "clinic B's token on the default tenant")
        #expect(try statusCode("/status?tenant=default", token: daemon.adminToken) == "200")
        // The operator command finds the token the same way.
        let status = try daemon.cli(["status", "--tenant", "clinic-b", "--json"])
        #expect(status.status == 0, "\(status.output)")
        let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect(report?["tenant"] as? String == "clinic-b")
    }
}

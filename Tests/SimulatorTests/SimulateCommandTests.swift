import Curl
import DocplannerAPI
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `dpbridge simulate`: its help, and a run as its own process.
@Suite struct SimulateCommandTests {
    static var binary: String { buildProductsDirectory() + "/dpbridge" }

    @Test func helpDocumentsStandalonePushAndFaults() throws {
        let result = try runProcess(Self.binary, ["simulate", "--help"])
        #expect(result.status == 0)
        for text in [
            "dpbridge simulate --port 9090", "--callback-url", "--ping-interval", "--mode", "--fault-5xx",
            "--fault-429", "--fault-drop", "--fault-token-expiry", "--fault-latency-ms", "--fault-seed", "/_sim/book",
            "/_sim/faults", "/notifications/release", "--extra-doctors", "--lenient", "/_sim/calendar",
        ] {
            #expect(result.stdout.contains(text), "help lacks \(text)")
        }
        let bad = try runProcess(Self.binary, ["simulate", "--fault-5xx", "2"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--fault-5xx must be a share between 0 and 1"))
        let tooMany = try runProcess(Self.binary, ["simulate", "--extra-doctors", "1001"])
        #expect(tooMany.status != 0)
        #expect(tooMany.stderr.contains("--extra-doctors must be 0...1000"))
    }

    @Test func runsUntilSIGTERM() throws {
        let port = Int(freeLoopbackPort())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "simulate", "--port", "\(port)", "--client-id", "cli", "--client-secret", "cli-secret", "--log-level",
            "warning",
            "--write-limit", "7",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let http = CurlClient(configuration: .init(connectTimeout: .seconds(1), timeout: .seconds(5)))
        let token = CurlRequest(
            method: .post, url: "http://127.0.0.1:\(port)/oauth/v2/token",
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: Data("grant_type=client_credentials&scope=integration".utf8), basicAuth: ("cli", "cli-secret"))
        var answer: CurlResponse? = nil
        for _ in 0..<100 where answer == nil {
            answer = try? http.perform(token)
            if answer == nil { usleep(50_000) }
        }
        let response = try #require(answer)
        #expect(response.status == 200)
        #expect(response.text.contains(#""expires_in":3600"#))
        // --write-limit is announced on writes; strict by default: an id sent as a number is refused.
        let bearer = try #require(
            try JSONDecoder().decode([String: JSONValue].self, from: response.body)["access_token"]?.stringValue)
        let write = try http.perform(
            CurlRequest(
                method: .post,
                url: "http://127.0.0.1:\(port)/api/v3/integration/facilities/1/doctors/123/addresses/111/services",
                headers: ["Authorization": "Bearer \(bearer)", "Content-Type": "application/json"],
                body: Data(#"{"service_id":3}"#.utf8)))
        #expect(write.status == 400)
        #expect(write.headers["X-RateLimit-Limit"] == "7")
        #expect(write.text.contains("This value should be of type string."))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

import Curl
import Foundation
import Simulator
import Testing

/// Docplanner's published list of callback sources, as the simulator serves it.
@Suite struct PublicIPTests {
    @Test func theListIsPublishedWithDocplannersTrailingComma() throws {
        let simulator = DocplannerSimulator(
            configuration: SimulatorConfiguration(publicIPs: ["127.0.0.1", "10.0.0.0/8"]))
        try simulator.start()
        defer { simulator.stop() }
        let client = CurlClient()
        let json = try client.perform(CurlRequest(url: simulator.baseURL + "/public/docs/public-ips.json"))
        #expect(json.status == 200)
        #expect(json.headers["Content-Type"] == "application/json")
        #expect(json.text == "{\n  \"API\": [\n    \"127.0.0.1\",\n    \"10.0.0.0/8\",\n  ]\n}\n")
        let text = try client.perform(CurlRequest(url: simulator.baseURL + "/public/docs/public-ips.txt"))
        #expect(text.text == "127.0.0.1\n10.0.0.0/8\n")
        // No token needed, and not an API request.
        #expect(simulator.snapshot().requests.isEmpty)
    }

    @Test func loopbackIsPublishedByDefault() throws {
        let simulator = DocplannerSimulator()
        try simulator.start()
        defer { simulator.stop() }
        let json = try CurlClient().perform(CurlRequest(url: simulator.baseURL + "/public/docs/public-ips.json"))
        #expect(json.text.contains("\"127.0.0.1\","))
    }
}

import Foundation
import Logging
import TestSupport
import Testing

@testable import Daemon

@Suite struct DocplannerIPsRefresherTests {
    static let path = "/public/docs/public-ips.json"
    static let published = ScriptedResponse.json(
        200, "{\n  \"API\": [\n    \"203.0.113.5\",\n    \"198.51.100.0/24\",\n  ]\n}", contentType: "application/json")
    let logger = Logger(label: "test")

    func refresher(
        _ server: ScriptedHTTPServer, _ directory: TemporaryDirectory, addresses: DocplannerAddresses,
        refreshInterval: Double = 86_400, retryInterval: Double = 3600, missingRetryInterval: Double = 60
    ) -> DocplannerIPsRefresher {
        DocplannerIPsRefresher(
            url: server.baseURL + Self.path, addresses: addresses,
            file: DocplannerIPsFile(besideStore: directory.file("dpbridge.sqlite")), logger: logger,
            refreshInterval: refreshInterval, retryInterval: retryInterval, missingRetryInterval: missingRetryInterval)
    }

    @Test func aFetchedListIsUsedAndKeptForTheNextStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try ScriptedHTTPServer(rules: [ScriptedRule("GET", Self.path, [Self.published])])
        defer { server.stop() }
        let addresses = DocplannerAddresses()
        let first = refresher(server, directory, addresses: addresses)
        #expect(first.refresh())
        #expect(addresses.snapshot?.blocks.map(\.description) == ["203.0.113.5/32", "198.51.100.0/24"])
        let kept = try DocplannerIPsFile(path: directory.file("docplanner-ips.json")).load()
        #expect(kept?.blocks == addresses.snapshot?.blocks)
        #expect(kept?.source == first.url)

        // A restart while Docplanner cannot be reached: the kept copy is in force.
        server.stop()
        let restarted = DocplannerAddresses()
        let second = DocplannerIPsRefresher(
            url: first.url, addresses: restarted,
            file: DocplannerIPsFile(besideStore: directory.file("dpbridge.sqlite")),
            logger: logger)
        second.loadKeptCopy()
        #expect(restarted.snapshot?.blocks == kept?.blocks)
        #expect(!second.refresh())
        #expect(restarted.snapshot?.blocks == kept?.blocks)
    }

    @Test func aFailedOrUnusableFetchKeepsTheLastGoodList() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule(
                "GET", Self.path,
                [Self.published, .init(status: 500), .json(200, #"{"API": []}"#), .init(status: 200, body: "<html>")])
        ])
        defer { server.stop() }
        let addresses = DocplannerAddresses()
        let refresher = refresher(server, directory, addresses: addresses)
        #expect(refresher.refresh())
        let good = addresses.snapshot
        #expect(!refresher.refresh())
        #expect(!refresher.refresh())
        #expect(!refresher.refresh())
        #expect(addresses.snapshot == good)
        #expect(try server.requests().count == 4)
    }

    @Test func withoutAnyListTheThreadRetriesSoonAndStopsPromptly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("GET", Self.path, [.init(status: 502), .init(status: 502), Self.published])
        ])
        defer { server.stop() }
        let addresses = DocplannerAddresses()
        let refresher = refresher(server, directory, addresses: addresses, missingRetryInterval: 0.05)
        refresher.start()
        var loaded = false
        for _ in 0..<200 where !loaded {
            loaded = addresses.snapshot != nil
            usleep(20_000)
        }
        let stopping = Date()
        refresher.stop()
        #expect(loaded)
        #expect(Date().timeIntervalSince(stopping) < 5)
        #expect(try server.requests().count == 3)
    }

    @Test func withAListHeldTheThreadRetriesAtTheSlowerPace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("GET", Self.path, [Self.published, .init(status: 502), .init(status: 502), Self.published])
        ])
        defer { server.stop() }
        let addresses = DocplannerAddresses()
        let refresher = refresher(
            server, directory, addresses: addresses, refreshInterval: 0.05, retryInterval: 3600,
            missingRetryInterval: 0.05)
        refresher.start()
        // Refreshed, then one failure; the next attempt is an hour away.
        #expect(eventually { (try? server.requests().count) == 2 })
        usleep(300_000)
        refresher.stop()
        #expect(try server.requests().count == 2)
        #expect(addresses.snapshot != nil)
    }

    @Test func aKeptCopyFromAnotherURLIsNotUsed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = DocplannerIPsFile(besideStore: directory.file("dpbridge.sqlite"))
        try file.save(
            .init(blocks: [try CIDRBlock("203.0.113.5")], fetchedAt: Date(), source: "https://www.jameda.de/x"))
        let addresses = DocplannerAddresses()
        DocplannerIPsRefresher(
            url: "https://www.znanylekarz.pl/public/docs/public-ips.json", addresses: addresses, file: file,
            logger: logger
        ).loadKeptCopy()
        #expect(addresses.snapshot == nil)
    }

    @Test func theKeptCopyIsReadableJSON() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = DocplannerIPsFile(path: directory.file("docplanner-ips.json"))
        let fetched = Date(timeIntervalSince1970: 1_800_000_000)
        try file.save(
            .init(
                blocks: [try CIDRBlock("203.0.113.5"), try CIDRBlock("2001:db8::/32")], fetchedAt: fetched, source: "u")
        )
        let object =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file.path))) as? [String: Any]
        #expect(object?["API"] as? [String] == ["203.0.113.5/32", "2001:db8::/32"])
        #expect(object?["fetched_at"] as? String == "2027-01-15T08:00:00Z")
        #expect(try file.load()?.fetchedAt == fetched)
    }
}

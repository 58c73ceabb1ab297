import Daemon
import Foundation
import TestSupport
import Testing

@Suite struct ProductionConfigurationTests {
    /// etc/dpbridge.yaml (what `make install` and the package install) is init's own file
    /// with its placeholders, so init recognises it and the two cannot drift.
    @Test func installedTemplateIsInitsConfigurationWithPlaceholders() throws {
        let file = try String(contentsOfFile: repositoryRoot() + "/etc/dpbridge.yaml", encoding: .utf8)
        #expect(
            file == ProductionConfiguration.template, "etc/dpbridge.yaml differs from ProductionConfiguration.template")
    }

    @Test func filledInItLoadsAsAProductionConfiguration() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(
            "dpbridge.yaml", ProductionConfiguration.render(domain: "doctoralia.es", clientID: "client \"quoted\""))
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        try credentials.write("callback_secret", try RandomSecret.generate())
        try credentials.write("client_secret", "a-real-client-secret")
        try credentials.write("admin_token", try RandomSecret.generate())
        let configuration = try await ConfigurationLoader.load(
            path: path, environment: ["CREDENTIALS_DIRECTORY": credentials.path]
        ).configuration
        #expect(configuration.docplanner.baseURL == "https://www.doctoralia.es")
        #expect(configuration.docplanner.clientID == "client \"quoted\"")
        #expect(configuration.admin.address == "127.0.0.1")
        #expect(configuration.admin.token != nil)
        #expect(configuration.publicListener.address == "127.0.0.1")
        #expect(configuration.callback.useDocplannerIPs)
        #expect(configuration.storePath.hasPrefix("/var/lib/dpbridge/"))
    }

    @Test func randomSecretsAreLongURLSafeAndFresh() throws {
        var seen = Set<String>()
        for _ in 0..<50 {
            let secret = try RandomSecret.generate()
            #expect(secret.count == 43)
            #expect(
                secret.utf8.allSatisfy { byte in
                    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                        || byte == 0x2D || byte == 0x5F
                })
            seen.insert(secret)
        }
        #expect(seen.count == 50)
    }

    @Test func loopbackAddresses() {
        for text in ["127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1"] {
            #expect(IPAddress(text)?.isLoopback == true, "\(text)")
        }
        for text in ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "::2", "2001:db8::1"] {
            #expect(IPAddress(text)?.isLoopback == false, "\(text)")
        }
    }
}

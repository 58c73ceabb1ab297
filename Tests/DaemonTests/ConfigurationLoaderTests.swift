import Daemon
import Foundation
import TestSupport
import Testing

/// A minimal valid configuration; tests append or replace lines.
let minimalYAML = """
    callback:
      secret: test-callback-secret-0001
    docplanner:
      domain: znanylekarz.pl
      client_id: clinic-client
      client_secret: file-client-secret
    store:
      path: /tmp/dpbridge-test.sqlite
    """

@Suite struct ConfigurationLoaderTests {
    func load(_ yaml: String, environment: [String: String] = [:]) async throws(ConfigurationError)
        -> LoadedConfiguration
    {
        let directory = try! TemporaryDirectory()
        defer { directory.remove() }
        let path = try! directory.write("dpbridge.yaml", yaml)
        return try await ConfigurationLoader.load(path: path, environment: environment)
    }

    func problems(_ yaml: String, environment: [String: String] = [:]) async -> [ConfigurationProblem] {
        do {
            _ = try await load(yaml, environment: environment)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func demoConfigurationIsValid() async throws {
        let loaded = try await ConfigurationLoader.load(
            path: repositoryRoot() + "/etc/dpbridge-demo.yaml", environment: [:])
        #expect(loaded.configuration.docplanner.domain == "znanylekarz.pl")
        #expect(loaded.configuration.publicListener.port == 8080)
        #expect(loaded.configuration.partner == .embedded(path: "/var/lib/dpbridge/partner.sqlite"))
    }

    @Test func defaultsFillWhatTheFileLeavesOut() async throws {
        let configuration = try await load(minimalYAML).configuration
        #expect(configuration.publicListener.address == "0.0.0.0")
        #expect(configuration.admin.port == 8081)
        #expect(configuration.docplanner.baseURL == "https://www.znanylekarz.pl")
        #expect(configuration.docplanner.mode == .push)
        #expect(configuration.docplanner.writeLimitPerMinute == 40)
        #expect(configuration.http.maxBodyBytes == 1_048_576)
        #expect(configuration.http.maxHeaderFields == 100)
        #expect(configuration.callback.secret.value == "test-callback-secret-0001")
    }

    @Test func wrongTypeNamesTheKey() async {
        let found = await problems(minimalYAML + "\nlisten:\n  public:\n    port: eighty\n")
        #expect(found.count == 1)
        #expect(found.first?.subject == "listen.public.port")
        #expect(found.first?.message.contains("expected an integer") == true)
    }

    @Test func everyKindOfValueIsReadFromTheFileAtTopLevelAndPerTenant() async throws {
        let yaml = """
            callback:
              secret: test-callback-secret-0001
              allowlist: [10.0.0.0/8, "192.168.1.1"]
              use_docplanner_ips: yes
              ping_alert_minutes: 0x1e
            docplanner:
              domain: znanylekarz.pl
              client_id: clinic-client
              client_secret: file-client-secret
              horizon_weeks: 8
            store:
              path: /tmp/dpbridge-test.sqlite
            tenants:
              clinic-b:
                callback: {secret: tenant-b-callback-secret-1, blocking_deadline_ms: 900}
                docplanner: {client_id: "0042", client_secret: b-secret, horizon_weeks: 3}
                store: {path: /tmp/dpbridge-b.sqlite}
                partner: {embedded: {path: /tmp/dpbridge-b-partner.sqlite}}
            """
        let configuration = try await load(yaml).configuration
        #expect(configuration.callback.allowlist.count == 2)
        #expect(configuration.callback.useDocplannerIPs)  // YAML 1.1's yes
        #expect(configuration.callback.pingAlertMinutes == 30)  // hexadecimal
        #expect(configuration.docplanner.horizonWeeks == 8)
        let tenant = try #require(configuration.tenant(named: "clinic-b"))
        #expect(tenant.docplanner.horizonWeeks == 3)
        #expect(tenant.callback.blockingDeadlineMilliseconds == 900)
        #expect(tenant.docplanner.clientID == "0042")  // quoted: a string, not the number 42
        #expect(tenant.callback.useDocplannerIPs)  // daemon-wide, from the top level
    }

    @Test func aListHoldingAMappingIsNotAValidFile() async {
        let found = await problems(
            minimalYAML.replacingOccurrences(of: "callback:\n", with: "callback:\n  allowlist: [{a: 1}]\n"))
        #expect(found.count == 1)
        #expect(found.first?.message.contains("not a valid configuration file") == true, "\(found)")
        #expect(found.first?.message.contains("callback.allowlist") == true, "\(found)")
    }

    @Test func mappingWhereAScalarBelongsIsATypeError() async {
        let found = await problems(minimalYAML + "\nlog:\n  level:\n    nested: true\n")
        #expect(found.map(\.subject) == ["log.level"])
    }

    @Test func unknownKeyIsReportedWithItsLine() async {
        let found = await problems(minimalYAML + "\nlisten:\n  public:\n    prot: 80\n")
        #expect(found.map(\.subject) == ["listen.public.prot"])
        #expect(found.first?.message.contains("unknown key") == true)
        #expect(found.first?.message.contains("line 11") == true)
        #expect(found.first?.message.contains("did you mean 'listen.public.port'") == true)
    }

    @Test func unknownSectionIsReported() async {
        let found = await problems(minimalYAML + "\ndatabase:\n  path: x\n")
        #expect(found.map(\.subject) == ["database"])
    }

    @Test func missingRequiredKeyNamesTheKeyAndWhereToSetIt() async {
        let yaml = minimalYAML.replacingOccurrences(of: "  client_id: clinic-client\n", with: "")
        let found = await problems(yaml)
        #expect(found.map(\.subject) == ["docplanner.client_id"])
        #expect(found.first?.message.contains("DPBRIDGE_DOCPLANNER_CLIENT_ID") == true)
    }

    @Test func everyMissingRequiredKeyIsListed() async {
        let found = await problems("")
        #expect(
            Set(found.map(\.subject)) == [
                "callback.secret", "docplanner.domain", "docplanner.client_id", "docplanner.client_secret",
            ])
    }

    @Test func missingFileIsReportedByPath() async {
        do {
            _ = try await ConfigurationLoader.load(path: "/nonexistent/dpbridge.yaml", environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.subject) == ["/nonexistent/dpbridge.yaml"])
            #expect(error.problems.first?.message.contains("no such file") == true)
        }
    }

    @Test func directoryIsNotAConfigurationFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            _ = try await ConfigurationLoader.load(path: directory.path, environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.subject) == [directory.path])
            #expect(error.problems.first?.message.contains("directory") == true)
        }
    }

    @Test func invalidYAMLIsReported() async {
        let found = await problems("callback: [unclosed\n")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("invalid YAML") == true)
    }

    @Test func outOfRangeAndUnknownEnumValuesAreReported() async {
        let found = await problems(minimalYAML + "\nworkers:\n  inbound: 0\nlog:\n  level: loud\n")
        #expect(Set(found.map(\.subject)) == ["workers.inbound", "log.level"])
    }

    @Test func environmentOverridesTheFile() async throws {
        let configuration = try await load(
            minimalYAML + "\nlisten:\n  public:\n    port: 8080\n",
            environment: ["DPBRIDGE_LISTEN_PUBLIC_PORT": "9443", "DPBRIDGE_DOCPLANNER_CLIENT_ID": "env-client"]
        ).configuration
        #expect(configuration.publicListener.port == 9443)
        #expect(configuration.docplanner.clientID == "env-client")
    }

    @Test func environmentValueOfWrongTypeNamesTheKey() async {
        let found = await problems(minimalYAML, environment: ["DPBRIDGE_WORKERS_OUTBOUND": "many"])
        #expect(found.map(\.subject) == ["workers.outbound"])
        #expect(found.first?.message.contains("DPBRIDGE_WORKERS_OUTBOUND") == true)
    }

    @Test func unknownEnvironmentVariableIsReported() async {
        let found = await problems(minimalYAML, environment: ["DPBRIDGE_LISTEN_PORT": "1"])
        #expect(found.map(\.subject) == ["DPBRIDGE_LISTEN_PORT"])
    }

    @Test func credentialOverridesEnvironmentAndFile() async throws {
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        try credentials.write("client_secret", "credential-client-secret\n")
        try credentials.write("callback_secret", "credential-callback-secret-42")
        let loaded = try await load(
            minimalYAML,
            environment: [
                "CREDENTIALS_DIRECTORY": credentials.path,
                "DPBRIDGE_DOCPLANNER_CLIENT_SECRET": "environment-client-secret",
            ])
        #expect(loaded.configuration.docplanner.clientSecret.value == "credential-client-secret")
        #expect(loaded.configuration.callback.secret.value == "credential-callback-secret-42")
        #expect(loaded.sources["docplanner.client_secret"] == .credential("client_secret"))
    }

    @Test func environmentSecretIsUsedWithoutCredentials() async throws {
        let loaded = try await load(
            minimalYAML, environment: ["DPBRIDGE_DOCPLANNER_CLIENT_SECRET": "environment-client-secret"])
        #expect(loaded.configuration.docplanner.clientSecret.value == "environment-client-secret")
    }

    @Test func reportNeverShowsSecrets() async throws {
        let loaded = try await load(
            minimalYAML,
            environment: [
                "DPBRIDGE_CALLBACK_API_KEY_HEADER": "X-Api-Key", "DPBRIDGE_CALLBACK_API_KEY": "very-secret-api-key",
            ])
        let report = loaded.report()
        for secret in ["test-callback-secret-0001", "file-client-secret", "very-secret-api-key"] {
            #expect(!report.contains(secret))
        }
        #expect(report.contains("docplanner.client_secret = <secret>"))
        #expect(report.contains("docplanner.client_id = clinic-client"))
        #expect("\(loaded.configuration)".contains("file-client-secret") == false)
    }

    @Test func timeZoneAndDenialCodesAreChecked() async throws {
        let configuration = try await load(
            minimalYAML, environment: ["DPBRIDGE_DOCPLANNER_TIME_ZONE": "Europe/Warsaw"]
        ).configuration
        #expect(configuration.docplanner.timeZone.identifier == "Europe/Warsaw")
        // No error_code is invented: Docplanner's dictionary is the operator's to configure.
        let codes = configuration.callback.errorCodes
        #expect(codes.slotTaken == nil && codes.notBookable == nil && codes.unavailable == nil)
        #expect(
            configuration.docplanner.clientConfiguration.apiBaseURL == "https://www.znanylekarz.pl/api/v3/integration")
        #expect(configuration.docplanner.clientConfiguration.rateLimits.writes.limit == 40)
        let found = await problems(
            minimalYAML,
            environment: [
                "DPBRIDGE_DOCPLANNER_TIME_ZONE": "Mars/Olympus",
                "DPBRIDGE_CALLBACK_ERROR_CODES_SLOT_TAKEN": "taken slot",
            ])
        #expect(Set(found.map(\.subject)) == ["docplanner.time_zone", "callback.error_codes.slot_taken"])
    }

    @Test func httpAdapterNeedsURLAndSecret() async {
        let found = await problems(minimalYAML + "\npartner:\n  adapter: http\n")
        #expect(Set(found.map(\.subject)) == ["partner.http.url", "partner.http.secret"])
    }

    @Test func badAddressesAndCIDRsAreReported() async {
        let found = await problems(
            minimalYAML + "\nlisten:\n  admin:\n    address: localhost\n",
            environment: ["DPBRIDGE_CALLBACK_ALLOWLIST": "10.0.0.0/33,203.0.113.0/24"])
        #expect(Set(found.map(\.subject)) == ["listen.admin.address", "callback.allowlist"])
    }

    @Test func credentialsBesideTheConfigurationAreReadWithoutCredentialsDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("dpbridge.yaml", minimalYAML)
        try FileManager.default.createDirectory(
            atPath: directory.file("credentials"), withIntermediateDirectories: false)
        try directory.write("credentials/callback_secret", "beside-callback-secret-0001\n")
        let beside = try await ConfigurationLoader.load(path: path, environment: [:])
        #expect(beside.configuration.callback.secret.value == "beside-callback-secret-0001")
        #expect(beside.sources["callback.secret"] == .credential("callback_secret"))
        // $CREDENTIALS_DIRECTORY (systemd) wins: the files beside are not read then.
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let systemd = try await ConfigurationLoader.load(path: path, environment: ["CREDENTIALS_DIRECTORY": other.path])
        #expect(systemd.configuration.callback.secret.value == "test-callback-secret-0001")
    }

    @Test func shortCallbackSecretIsRejectedWithoutEchoingIt() async {
        let yaml = minimalYAML.replacingOccurrences(of: "test-callback-secret-0001", with: "short")
        let found = await problems(yaml)
        #expect(found.map(\.subject) == ["callback.secret"])
        #expect(found.first?.description.contains("short") == false)
    }
}

import Foundation
import TestSupport
import Testing

/// Runs the built `dpbridge` binary as an operator would.
func dpbridge(_ arguments: [String], environment: [String: String?] = [:]) throws -> ProcessResult {
    var cleaned: [String: String?] = [:]
    // Keep the developer's own DPBRIDGE_ variables and credentials out of the tests.
    for key in ProcessInfo.processInfo.environment.keys
    where key.hasPrefix("DPBRIDGE_") || key == "CREDENTIALS_DIRECTORY" || key == "NOTIFY_SOCKET" {
        cleaned[key] = .some(nil)
    }
    cleaned.merge(environment) { $1 }
    return try runProcess(buildProductsDirectory() + "/dpbridge", arguments, environment: cleaned)
}

/// Signs of a crash or an uncaught error instead of a one-line message.
func looksLikeStackTrace(_ text: String) -> Bool {
    ["Fatal error", "Stack dump", "Current stack trace", "Backtrace", "💣", "Error Domain="].contains {
        text.contains($0)
    }
}

let validYAML = """
    callback:
      secret: cli-test-callback-secret
    docplanner:
      domain: doctoralia.es
      client_id: cli-client
      client_secret: cli-file-secret-value
    """

@Suite struct CheckConfigCommandTests {
    @Test func demoConfigurationPasses() throws {
        let result = try dpbridge(["check-config", "--config", repositoryRoot() + "/etc/dpbridge-demo.yaml"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("is valid"))
        #expect(result.stdout.contains("docplanner.domain = znanylekarz.pl  (file"))
    }

    /// The installed configuration is a template: refused, one line per value still to give.
    @Test func productionTemplateIsRefusedUntilFilledIn() throws {
        let result = try dpbridge(["check-config", "--config", repositoryRoot() + "/etc/dpbridge.yaml"])
        #expect(result.status == 1)
        let subjects = result.stderr.split(separator: "\n").map {
            $0.dropFirst("dpbridge: configuration: ".count).prefix { $0 != ":" }
        }
        #expect(
            Set(subjects) == [
                "docplanner.domain", "docplanner.client_id", "callback.secret", "docplanner.client_secret",
            ], "\(result.stderr)")
        #expect(result.stderr.contains("docplanner.domain: still the template's CHANGE-ME: run `dpbridge init`"))
        #expect(!looksLikeStackTrace(result.output))
    }

    @discardableResult
    func expectOneLineError(
        _ yaml: String?, path: String? = nil, naming subject: String, environment: [String: String?] = [:]
    ) throws -> ProcessResult {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configPath = try path ?? directory.write("dpbridge.yaml", yaml!)
        let result = try dpbridge(["check-config", "--config", configPath], environment: environment)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(result.stderr)")
        #expect(lines.first?.hasPrefix("dpbridge: configuration: \(subject): ") == true, "\(result.stderr)")
        #expect(!looksLikeStackTrace(result.output))
        #expect(result.stdout.isEmpty)
        return result
    }

    /// A published example secret guards nothing: refused unless dpbridge talks to the
    /// simulator on loopback (the demo).
    @Test func publishedSecretsAreRefusedOutsideTheSimulator() throws {
        let demoSecret = validYAML.replacingOccurrences(
            of: "cli-test-callback-secret", with: "demo-callback-secret-0123456789")
        try expectOneLineError(demoSecret, naming: "callback.secret")
        try expectOneLineError(
            validYAML.replacingOccurrences(of: "cli-file-secret-value", with: "demo-client-secret"),
            naming: "docplanner.client_secret")
        try expectOneLineError(
            demoSecret, naming: "callback.secret",
            environment: ["DPBRIDGE_DOCPLANNER_BASE_URL": "https://staging.example.org"])
        try expectValid(demoSecret, environment: ["DPBRIDGE_DOCPLANNER_BASE_URL": "http://127.0.0.1:9090"])
        try expectValid(demoSecret, environment: ["DPBRIDGE_DOCPLANNER_BASE_URL": "http://[::1]:9090"])
    }

    @Test func openAdminListenerNeedsAToken() throws {
        let open = validYAML + "\nlisten:\n  admin:\n    address: 0.0.0.0\n"
        try expectOneLineError(open, naming: "listen.admin.address")
        try expectValid(open, environment: ["DPBRIDGE_LISTEN_ADMIN_TOKEN": "cli-admin-token-0123456789"])
        try expectValid(validYAML + "\nlisten:\n  admin:\n    address: ::1\n")
    }

    @Test func partnerDataIsNeverSentInClear() throws {
        func partner(_ url: String) -> String {
            validYAML + "\npartner:\n  adapter: http\n  http:\n    url: \(url)\n    secret: cli-partner-hmac-key\n"
        }
        try expectOneLineError(partner("http://partner.example.org/events"), naming: "partner.http.url")
        try expectOneLineError(partner("HTTP://10.1.2.3:8000/events"), naming: "partner.http.url")
        try expectValid(partner("https://partner.example.org/events"))
        try expectValid(partner("http://127.0.0.1:8000/events"))
        try expectValid(partner("http://localhost:8000/events"))
    }

    @Test func partnerTimeoutMustFitInTheInboundLease() throws {
        let yaml =
            validYAML + "\npartner:\n  adapter: http\n  http:\n    url: https://partner.example.org/e\n    secret: k\n"
        let result = try expectOneLineError(yaml + "    timeout_seconds: 25\n", naming: "partner.http.timeout_seconds")
        #expect(result.stderr.contains("30 s lease") && result.stderr.contains("at most 20"), "\(result.stderr)")
        try expectValid(yaml + "    timeout_seconds: 20\n")
    }

    /// `isLetter` took "ż"; a URL path carries it percent-encoded, so it could never match.
    @Test func callbackSecretMustBeASCII() throws {
        try expectOneLineError(
            validYAML.replacingOccurrences(of: "cli-test-callback-secret", with: "sekret-zażółć-gęślą-jaźń"),
            naming: "callback.secret")
        try expectOneLineError(
            validYAML.replacingOccurrences(of: "cli-test-callback-secret", with: "cli-test-callback-secret-٣"),
            naming: "callback.secret")
    }

    func expectValid(_ yaml: String, environment: [String: String?] = [:]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try dpbridge(
            ["check-config", "--config", directory.write("dpbridge.yaml", yaml)], environment: environment)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func wrongTypeGivesOneLineNamingTheKey() throws {
        try expectOneLineError(validYAML + "\nworkers:\n  inbound: lots\n", naming: "workers.inbound")
    }

    @Test func unknownKeyGivesOneLineNamingTheKey() throws {
        try expectOneLineError(validYAML + "\nstore:\n  pth: /tmp/x\n", naming: "store.pth")
    }

    @Test func missingRequiredKeyGivesOneLineNamingTheKey() throws {
        try expectOneLineError(
            validYAML.replacingOccurrences(of: "  client_id: cli-client\n", with: ""), naming: "docplanner.client_id")
    }

    @Test func unreadableFileGivesOneLineNamingThePath() throws {
        try expectOneLineError(nil, path: "/nonexistent/dpbridge.yaml", naming: "/nonexistent/dpbridge.yaml")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try expectOneLineError(nil, path: directory.path, naming: directory.path)
    }

    @Test func environmentOverridesFileAndCredentialOverridesBoth() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("dpbridge.yaml", validYAML + "\nlisten:\n  public:\n    port: 8080\n")
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        try credentials.write("client_secret", "cli-credential-secret-value")
        let result = try dpbridge(
            ["check-config", "--config", path],
            environment: [
                "DPBRIDGE_LISTEN_PUBLIC_PORT": "9001",
                "DPBRIDGE_DOCPLANNER_CLIENT_SECRET": "cli-env-secret-value",
                "CREDENTIALS_DIRECTORY": credentials.path,
            ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("listen.public.port = 9001  (environment DPBRIDGE_LISTEN_PUBLIC_PORT)"))
        #expect(result.stdout.contains("docplanner.client_secret = <secret>  (credential client_secret)"))
    }

    @Test func noSecretAppearsInAnyOutput() throws {
        let secrets = [
            "cli-test-callback-secret", "cli-file-secret-value", "cli-env-apikey-value", "cli-credential-secret-value",
        ]
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let good = try directory.write("good.yaml", validYAML)
        let bad = try directory.write("bad.yaml", validYAML + "\nworkers:\n  inbound: -1\nlog:\n  level: loud\n")
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        try credentials.write("partner_secret", "cli-credential-secret-value")
        let environment: [String: String?] = [
            "DPBRIDGE_CALLBACK_API_KEY_HEADER": "X-Api-Key",
            "DPBRIDGE_CALLBACK_API_KEY": "cli-env-apikey-value",
            "CREDENTIALS_DIRECTORY": credentials.path,
        ]
        let invocations: [[String]] = [
            ["--help"], ["--version"], ["version"], ["run", "--help"], ["check-config", "--help"],
            ["check-config", "--config", good], ["check-config", "--config", bad],
            ["run", "--config", bad], ["check-config", "--config", good, "--bogus-flag"],
        ]
        for arguments in invocations {
            let result = try dpbridge(arguments, environment: environment)
            for secret in secrets {
                #expect(!result.output.contains(secret), "\(arguments) printed a secret")
            }
            #expect(!looksLikeStackTrace(result.output), "\(arguments): \(result.output)")
        }
    }
}

@Suite struct HelpAndVersionTests {
    @Test func everyCommandHasHelp() throws {
        for command in [[], ["run"], ["check-config"], ["version"]] {
            let result = try dpbridge(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE: dpbridge"), "\(command): \(result.stdout)")
        }
    }

    @Test func versionNamesTheAPIVersion() throws {
        let result = try dpbridge(["version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("dpbridge "))
        #expect(result.stdout.contains("1.14.0"))
    }

    @Test func unknownCommandFailsCleanly() throws {
        let result = try dpbridge(["frobnicate"])
        #expect(result.status != 0)
        #expect(!looksLikeStackTrace(result.output))
    }
}

@Suite struct ConfigurationReferenceTests {
    /// docs/configuration.md carries the schema's own table, so the two cannot drift.
    @Test func configurationDocCarriesTheCurrentReference() throws {
        let result = try dpbridge(["check-config", "--reference"])
        #expect(result.status == 0)
        let reference = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(reference.hasPrefix("| key | type | default | environment | meaning |"))
        let document = try String(contentsOfFile: repositoryRoot() + "/docs/configuration.md", encoding: .utf8)
        #expect(
            document.contains(reference),
            "docs/configuration.md is out of date: paste `dpbridge check-config --reference` into it")
    }
}

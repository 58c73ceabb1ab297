import Foundation
import TestSupport
import Testing

/// `dpbridge init` in a temporary configuration directory, as an operator runs it.
@Suite struct InitCommandTests {
    static let flags = [
        "--domain", "doctoralia.es", "--client-id", "init-test-client", "--client-secret",
        "init-test-client-secret-value",
        "--public-url", "https://bridge.clinic.example",
    ]

    /// Runs `dpbridge init --config-dir <directory> <arguments>` under `umask` (as permissive
    /// as it gets by default: the modes must not come from it).
    func initCommand(_ directory: TemporaryDirectory, _ arguments: [String], umask: String = "000") throws
        -> ProcessResult
    {
        var environment: [String: String?] = [:]
        for key in ProcessInfo.processInfo.environment.keys
        where key.hasPrefix("DPBRIDGE_") || key == "CREDENTIALS_DIRECTORY" {
            environment[key] = .some(nil)
        }
        return try runProcess(
            "/bin/sh",
            [
                "-c", "umask \(umask) && exec \"$0\" \"$@\"", buildProductsDirectory() + "/dpbridge", "init",
                "--config-dir", directory.path,
            ] + arguments,
            environment: environment)
    }

    func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// Every file init made, with its text, to compare runs.
    func snapshot(_ directory: TemporaryDirectory) -> [String: String] {
        var files: [String: String] = [:]
        for name in [
            "dpbridge.yaml", "credentials/callback_secret", "credentials/admin_token", "credentials/client_secret",
        ] {
            files[name] = read(directory.file(name))
        }
        return files
    }

    @Test func firstRunWritesPrivateSecretsAProductionConfigurationAndTheCallbackURL() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try initCommand(directory, Self.flags)
        #expect(result.status == 0, "\(result.output)")

        #expect(mode(directory.file("credentials")) == 0o700)
        for name in ["callback_secret", "admin_token", "client_secret"] {
            #expect(mode(directory.file("credentials/\(name)")) == 0o600, "\(name)")
        }
        #expect(mode(directory.file("dpbridge.yaml")) == 0o644)

        let secret = try #require(read(directory.file("credentials/callback_secret")))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let token = try #require(read(directory.file("credentials/admin_token")))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for generated in [secret, token] {
            #expect(generated.count >= 32)
            #expect(
                generated.unicodeScalars.allSatisfy {
                    $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_".unicodeScalars.contains($0))
                })
        }
        #expect(secret != token)
        #expect(read(directory.file("credentials/client_secret")) == "init-test-client-secret-value\n")

        let yaml = try #require(read(directory.file("dpbridge.yaml")))
        #expect(yaml.contains("domain: \"doctoralia.es\""))
        #expect(yaml.contains("client_id: \"init-test-client\""))
        #expect(!yaml.contains("base_url"))
        for secretValue in [secret, token, "init-test-client-secret-value"] {
            #expect(!yaml.contains(secretValue), "a secret in the configuration file")
        }

        #expect(result.stdout.contains("https://bridge.clinic.example/callbacks/\(secret)\n"), "\(result.stdout)")
        #expect(result.stdout.contains("TLS proxy terminates HTTPS there"))
        #expect(result.stdout.contains("is valid"))
        #expect(result.stdout.contains("dpbridge map discover"))
        #expect(result.stdout.contains("dpbridge activate"))
        #expect(result.stderr.isEmpty, "\(result.stderr)")

        // check-config, run from a shell (no $CREDENTIALS_DIRECTORY), finds the secrets
        // beside the configuration; the daemon's settings are production ones.
        let check = try dpbridge(["check-config", "--config", directory.file("dpbridge.yaml")])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.stdout.contains("callback.secret = <secret>  (credential callback_secret)"))
        #expect(check.stdout.contains("listen.admin.token = <secret>  (credential admin_token)"))
        #expect(check.stdout.contains("docplanner.client_secret = <secret>  (credential client_secret)"))
        #expect(check.stdout.contains("docplanner.base_url = \"\"  (default)"))
        #expect(check.stdout.contains("listen.admin.address = 127.0.0.1"))
        #expect(check.stdout.contains("listen.public.address = 127.0.0.1"))
        #expect(check.stdout.contains("store.path = /var/lib/dpbridge/dpbridge.sqlite"))
        #expect(!check.output.contains(secret))
    }

    @Test func secondRunChangesNothingAndSaysSo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try initCommand(directory, Self.flags).status == 0)
        let before = snapshot(directory)
        let secret = try #require(before["credentials/callback_secret"]).trimmingCharacters(in: .newlines)

        for arguments in [Self.flags, []] {  // the same flags, or none: nothing is needed any more
            let again = try initCommand(directory, arguments)
            #expect(again.status == 0, "\(again.output)")
            #expect(again.stdout.contains("nothing changed"), "\(again.stdout)")
            #expect(!again.stdout.contains("created") && !again.stdout.contains("replaced"), "\(again.stdout)")
            #expect(again.stdout.contains("/callbacks/\(secret)\n"))
            #expect(snapshot(directory) == before)
        }
    }

    @Test func rotateMakesNewSecretsAndKeepsTheClientSecret() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try initCommand(directory, Self.flags).status == 0)
        let before = snapshot(directory)

        let rotated = try initCommand(directory, ["--rotate"])
        #expect(rotated.status == 0, "\(rotated.output)")
        let after = snapshot(directory)
        #expect(after["credentials/callback_secret"] != before["credentials/callback_secret"])
        #expect(after["credentials/admin_token"] != before["credentials/admin_token"])
        #expect(after["credentials/client_secret"] == before["credentials/client_secret"])
        #expect(after["dpbridge.yaml"] == before["dpbridge.yaml"])
        let secret = try #require(after["credentials/callback_secret"]).trimmingCharacters(in: .newlines)
        #expect(rotated.stdout.contains("/callbacks/\(secret)\n"))
        #expect(rotated.stdout.contains("restart the daemon"))
        #expect(mode(directory.file("credentials/callback_secret")) == 0o600)
    }

    @Test func anotherClientSecretIsRefusedWithoutRotate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try initCommand(directory, Self.flags).status == 0)
        let before = snapshot(directory)

        let refused = try initCommand(directory, ["--client-secret", "another-client-secret-value"])
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("--rotate"))
        #expect(!refused.output.contains("another-client-secret-value"))
        #expect(snapshot(directory) == before)

        let replaced = try initCommand(directory, ["--client-secret", "another-client-secret-value", "--rotate"])
        #expect(replaced.status == 0, "\(replaced.output)")
        #expect(read(directory.file("credentials/client_secret")) == "another-client-secret-value\n")
    }

    @Test func withoutATerminalMissingAnswersAreOneClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try initCommand(directory, [])  // standard input is /dev/null
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("dpbridge: init: standard input is not a terminal") == true)
        for flag in ["--domain", "--client-id", "--client-secret"] {
            #expect(result.stderr.contains(flag))
        }
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "nothing written")
    }

    @Test func badAnswersAreRefusedBeforeAnythingIsWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var cases: [[String]] = []
        var domain = Self.flags
        domain[1] = "https://www.doctoralia.es"
        cases.append(domain)
        var demoSecret = Self.flags
        demoSecret[5] = "demo-client-secret"
        cases.append(demoSecret)
        cases.append(Array(Self.flags.dropLast(2)) + ["--public-url", "http://bridge.clinic.example"])
        for arguments in cases {
            let result = try initCommand(directory, arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "\(arguments)")
        }
    }

    @Test func theInstalledTemplateIsReplacedAnOperatorsOwnFileIsKept() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let template = try String(contentsOfFile: repositoryRoot() + "/etc/dpbridge.yaml", encoding: .utf8)
        try directory.write("dpbridge.yaml", template)
        let filled = try initCommand(directory, Self.flags)
        #expect(filled.status == 0, "\(filled.output)")
        #expect(filled.stdout.contains("dpbridge.yaml (0644): replaced"), "\(filled.stdout)")
        #expect(read(directory.file("dpbridge.yaml"))?.contains("domain: \"doctoralia.es\"") == true)

        let own = try TemporaryDirectory()
        defer { own.remove() }
        let mine = (read(directory.file("dpbridge.yaml")) ?? "") + "# my own edit\n"
        try own.write("dpbridge.yaml", mine)
        let kept = try initCommand(own, Self.flags)
        #expect(kept.status == 0, "\(kept.output)")
        #expect(kept.stdout.contains("kept (not the template"), "\(kept.stdout)")
        #expect(read(own.file("dpbridge.yaml")) == mine)
    }

    @Test func refusesToFinishWhenTheConfigurationDoesNotPassCheckConfig() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "dpbridge.yaml", "docplanner: {domain: doctoralia.es, client_id: x}\nlisten: {admin: {address: 0.0.0.0}}\n")
        // The admin token is a credential init writes, so an open admin listener passes …
        #expect(try initCommand(directory, Self.flags).status == 0)
        // … but a partner endpoint in clear does not.
        try directory.write(
            "dpbridge.yaml",
            "docplanner: {domain: doctoralia.es, client_id: x}\npartner: {adapter: http, http: {url: 'http://partner.example/events', secret: partner-hmac-key-1}}\n"
        )
        let result = try initCommand(directory, [])
        #expect(result.status == 1)
        #expect(result.stderr.contains("dpbridge: configuration: partner.http.url: "), "\(result.stderr)")
        #expect(result.stderr.contains("does not pass check-config"))
    }

    /// On a terminal init asks, and the client secret is not echoed.
    @Test func asksOnATerminal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A pseudo-terminal (Python's pty): each answer is typed once its question shows.
        let feeder = """
            import os, pty, select, sys, time
            binary, directory = sys.argv[1], sys.argv[2]
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(binary, [binary, "init", "--config-dir", directory])
            seen = b""
            def read_until(marker):
                global seen
                deadline = time.monotonic() + 20
                while marker not in seen and time.monotonic() < deadline:
                    ready, _, _ = select.select([fd], [], [], 0.2)
                    if ready:
                        try: chunk = os.read(fd, 4096)
                        except OSError: break
                        if not chunk: break
                        seen += chunk
            for marker, answer in [(b"domain", b"znanylekarz.pl"), (b"client id", b"terminal-client"),
                                   (b"not shown", b"terminal-client-secret-42")]:
                read_until(marker)
                os.write(fd, answer + b"\\n")
            read_until(b"dpbridge activate")
            _, status = os.waitpid(pid, 0)
            sys.stdout.write(seen.decode(errors="replace"))
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        let result = try runProcess(
            "/usr/bin/python3", ["-c", feeder, buildProductsDirectory() + "/dpbridge", directory.path],
            environment: ["CREDENTIALS_DIRECTORY": nil])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("marketplace domain"))
        #expect(read(directory.file("credentials/client_secret")) == "terminal-client-secret-42\n")
        #expect(read(directory.file("dpbridge.yaml"))?.contains("client_id: \"terminal-client\"") == true)
        #expect(result.stdout.contains("terminal-client"), "the client id is echoed as typed")
        #expect(!result.stdout.contains("terminal-client-secret-42"), "the secret was echoed: \(result.stdout)")
    }
}

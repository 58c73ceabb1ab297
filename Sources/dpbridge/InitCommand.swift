import ArgumentParser
import Daemon
import Foundation
import Glibc

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Set up a new server: fresh secrets, a production configuration, the callback URL.",
        discussion: """
            Creates <config-dir>/credentials/ (0700) with a new callback secret and admin token \
            (from the kernel's random source) and the Docplanner client secret (0600 each), and \
            writes <config-dir>/dpbridge.yaml (0644, no secret in it) for Docplanner's real API, \
            with both listeners on loopback behind the local TLS proxy. Asks for the marketplace \
            domain, client id and client secret on a terminal; elsewhere give them as options. \
            Then runs the checks of check-config and prints the callback URL to give Docplanner. \
            Running it again changes nothing: an existing secret is replaced only with --rotate, \
            and a configuration file other than the untouched template is never overwritten.
            """)

    @Option(help: ArgumentHelp("Where the configuration and credentials/ live.", valueName: "path"))
    var configDir = "/etc/dpbridge"

    @Option(help: ArgumentHelp("The marketplace domain, e.g. znanylekarz.pl, doctoralia.es.", valueName: "domain"))
    var domain: String?

    @Option(help: ArgumentHelp("The OAuth client id Docplanner gave you.", valueName: "id"))
    var clientID: String?

    @Option(
        help: ArgumentHelp(
            "The OAuth client secret (visible to other users in ps: prefer --client-secret-file).", valueName: "secret")
    )
    var clientSecret: String?

    @Option(help: ArgumentHelp("A file holding the OAuth client secret.", valueName: "path"))
    var clientSecretFile: String?

    @Option(
        help: ArgumentHelp(
            "The public HTTPS address of this server, where the TLS proxy terminates (https://bridge.clinic.example).",
            valueName: "url"))
    var publicURL: String?

    @Flag(help: "Replace the callback secret and admin token with new ones (and the client secret with the one given).")
    var rotate = false

    func validate() throws {
        if clientSecret != nil, clientSecretFile != nil {
            throw ValidationError("give --client-secret or --client-secret-file, not both")
        }
    }

    func run() throws {
        umask(0o077)
        let setup = FirstRunSetup(configDirectory: configDir)
        let publicBase: String?
        let answers: FirstRunSetup.Answers
        let report: FirstRunSetup.Report
        do throws(SetupError) {
            publicBase = try publicURL.map { url throws(SetupError) in try Self.publicBase(url) }
            answers = try gatherAnswers(needs: try setup.needs())
            report = try setup.apply(answers, rotate: rotate)
        } catch {
            printError("dpbridge: init: \(error)")
            throw ExitCode(1)
        }

        print("dpbridge init: \(setup.configDirectory)")
        for item in report.items {
            let action: String
            switch item.action {
            case .created: action = "created"
            case .replaced: action = "replaced"
            case .unchanged: action = "unchanged"
            case .tightened: action = "tightened to \(item.mode)"
            case .kept(let why): action = "kept (\(why))"
            }
            print("  \(item.path) (\(item.mode)): \(action)")
        }
        if !report.changedAnything { print("nothing changed: everything was already in place") }

        var environment = ProcessInfo.processInfo.environment
        environment["CREDENTIALS_DIRECTORY"] = setup.credentialsDirectory
        let loaded: LoadedConfiguration
        switch ConfigurationLoader.loadWaiting(path: setup.configPath, environment: environment) {
        case .success(let value):
            loaded = value
            print("configuration \(setup.configPath) is valid (the checks of dpbridge check-config)")
        case .failure(let error):
            for problem in error.problems { printError("dpbridge: configuration: \(problem)") }
            printError(
                "dpbridge: init: \(setup.configPath) does not pass check-config; fix the lines above and run init again"
            )
            throw ExitCode(1)
        }

        let configuration = loaded.configuration
        let listener = "\(configuration.publicListener.address):\(configuration.publicListener.port)"
        print("")
        print(
            "The callback URL to give Docplanner (your TLS proxy terminates HTTPS there and forwards to \(listener)):")
        print("  \(publicBase ?? "https://<public host>")/callbacks/\(report.callbackSecret)")
        if publicBase == nil { print("  (give --public-url https://<public host> to print it whole)") }
        if configuration.docplanner.baseURL != "https://www.\(configuration.docplanner.domain)" {
            print(
                "Note: docplanner.base_url sends dpbridge's API calls to \(configuration.docplanner.baseURL), not Docplanner."
            )
        }
        if report.rotated {
            print("")
            print(
                "Secrets were replaced: restart the daemon (systemctl restart dpbridge) and give Docplanner the new URL."
            )
        }
        print("")
        print("Next steps:")
        print("  1. The TLS proxy: HTTPS for the public host, proxying /callbacks/ to \(listener) with X-Forwarded-For")
        print("     (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;)")
        print("  2. systemctl enable --now dpbridge.socket dpbridge.service")
        print("  3. dpbridge map discover, then dpbridge map auto --facility ID (docs/mapping-and-activation.md)")
        print("  4. dpbridge activate --facility ID")
    }

    /// The flags, or answers from the terminal for what the files do not give yet.
    private func gatherAnswers(needs: FirstRunSetup.Needs) throws(SetupError) -> FirstRunSetup.Answers {
        var answers = FirstRunSetup.Answers(domain: domain, clientID: clientID, clientSecret: clientSecret)
        if let clientSecretFile {
            guard let data = FileManager.default.contents(atPath: clientSecretFile) else {
                throw .file(path: clientSecretFile, reason: "cannot be read")
            }
            answers.clientSecret = String(decoding: data, as: UTF8.self)
        }
        var missing: [String] = []
        if needs.domain, answers.domain == nil { missing.append("--domain") }
        if needs.clientID, answers.clientID == nil { missing.append("--client-id") }
        if needs.clientSecret, answers.clientSecret == nil { missing.append("--client-secret or --client-secret-file") }
        guard !missing.isEmpty else { return answers }
        guard TerminalPrompt.isAvailable else {
            throw .invalid(
                what: "standard input is not a terminal",
                reason: "give \(missing.joined(separator: ", ")) (nothing was written)")
        }
        if needs.domain, answers.domain == nil {
            answers.domain = TerminalPrompt.ask("Docplanner marketplace domain (e.g. znanylekarz.pl, doctoralia.es)")
        }
        if needs.clientID, answers.clientID == nil {
            answers.clientID = TerminalPrompt.ask("OAuth client id (from Docplanner)")
        }
        if needs.clientSecret, answers.clientSecret == nil {
            answers.clientSecret = TerminalPrompt.ask("OAuth client secret (not shown)", hidden: true)
        }
        if (needs.domain && answers.domain == nil) || (needs.clientID && answers.clientID == nil)
            || (needs.clientSecret && answers.clientSecret == nil)
        {
            throw .invalid(what: "init", reason: "input ended before every answer was given (nothing was written)")
        }
        return answers
    }

    /// `https://host[:port][/prefix]` without a trailing slash; a bare host means https.
    static func publicBase(_ text: String) throws(SetupError) -> String {
        var base = text.trimmingCharacters(in: .whitespaces)
        if !base.contains("://") { base = "https://" + base }
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), url.scheme?.lowercased() == "https", let host = url.host, !host.isEmpty,
            url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw .invalid(
                what: "--public-url",
                reason:
                    "must be the https:// address Docplanner reaches (the TLS proxy), e.g. https://bridge.clinic.example"
            )
        }
        return base
    }
}

import Foundation

/// `dpbridge init`: brings a configuration directory (`/etc/dpbridge`) to a production
/// state — `credentials/` (0700) holding a fresh callback secret and admin token and the
/// Docplanner client secret (0600 each), and `dpbridge.yaml` (0644, no secret in it)
/// from `ProductionConfiguration`. Idempotent: what is in place is left alone, an
/// existing secret is replaced only when rotating, and an operator's own configuration
/// file (anything but the untouched template) is never overwritten.
package struct FirstRunSetup: Sendable {
    package let configDirectory: String

    /// The values init may be told; nil where not given.
    package struct Answers: Sendable, Equatable {
        package var domain: String?
        package var clientID: String?
        package var clientSecret: String?

        package init(domain: String? = nil, clientID: String? = nil, clientSecret: String? = nil) {
            self.domain = domain
            self.clientID = clientID
            self.clientSecret = clientSecret
        }
    }

    /// Which answers the files on disk do not already give.
    package struct Needs: Sendable, Equatable {
        package var domain: Bool
        package var clientID: Bool
        package var clientSecret: Bool
    }

    /// What init did to one file or directory.
    package struct Item: Sendable, Equatable {
        package enum Action: Sendable, Equatable {
            case created, replaced, unchanged, tightened
            /// Left as it is although it differs from what the answers would write.
            case kept(String)
        }

        package let path: String
        package let mode: String
        package let action: Action
    }

    /// Everything init did, and the callback secret in force (for the callback URL).
    package struct Report: Sendable {
        package let items: [Item]
        package let callbackSecret: String
        /// True when a secret was replaced (the daemon must restart; Docplanner needs the new URL).
        package let rotated: Bool

        /// True when some file or directory was created or changed.
        package var changedAnything: Bool {
            items.contains { $0.action != .unchanged && !isKept($0.action) }
        }

        private func isKept(_ action: Item.Action) -> Bool {
            if case .kept = action { return true }
            return false
        }
    }

    static let secretMode: mode_t = 0o600
    static let credentialsMode: mode_t = 0o700
    static let configMode: mode_t = 0o644

    package init(configDirectory: String) {
        self.configDirectory = configDirectory
    }

    package var configPath: String { (configDirectory as NSString).appendingPathComponent("dpbridge.yaml") }
    package var credentialsDirectory: String {
        ConfigurationLoader.credentialsDirectory(besideConfiguration: configPath)
    }

    func credentialPath(_ name: String) -> String {
        (credentialsDirectory as NSString).appendingPathComponent(name)
    }

    /// What must still be asked for (or given as flags).
    package func needs() throws(SetupError) -> Needs {
        let writesConfiguration = try configurationIsReplaceable()
        return Needs(
            domain: writesConfiguration, clientID: writesConfiguration,
            clientSecret: try credential("client_secret") == nil)
    }

    /// Checks every answer and conflict first, then writes; nothing is written when a
    /// check fails.
    package func apply(_ answers: Answers, rotate: Bool) throws(SetupError) -> Report {
        let domain = try answers.domain.map { answer throws(SetupError) in try Self.checkedDomain(answer) }
        let clientID = try answers.clientID.map { answer throws(SetupError) in try Self.checkedClientID(answer) }
        let clientSecret = try answers.clientSecret.map { answer throws(SetupError) in
            try Self.checkedClientSecret(answer)
        }
        let existingClientSecret = try credential("client_secret")
        if let existingClientSecret, let clientSecret, existingClientSecret != clientSecret, !rotate {
            throw .wouldReplaceSecret(path: credentialPath("client_secret"))
        }
        let existingConfiguration = try SetupFiles.read(configPath)
        let replaceable = try configurationIsReplaceable()
        if replaceable {
            if domain == nil { throw .invalid(what: "--domain", reason: "needed to write \(configPath)") }
            if clientID == nil { throw .invalid(what: "--client-id", reason: "needed to write \(configPath)") }
        }
        if existingClientSecret == nil, clientSecret == nil {
            throw .invalid(what: "--client-secret", reason: "needed: \(credentialPath("client_secret")) does not exist")
        }

        var items: [Item] = []
        _ = try SetupFiles.makeDirectory(configDirectory, mode: 0o755, tighten: false)
        let directory = try SetupFiles.makeDirectory(credentialsDirectory, mode: Self.credentialsMode, tighten: true)
        items.append(
            Item(
                path: credentialsDirectory + "/", mode: "0700",
                action: directory == .created ? .created : directory == .tightened ? .tightened : .unchanged))

        var rotated = false
        var callbackSecret = ""
        for name in ["callback_secret", "admin_token"] {
            let path = credentialPath(name)
            let existing = try credential(name)
            if let existing, !rotate {
                items.append(Item(path: path, mode: "0600", action: try tightenedOrUnchanged(path)))
                if name == "callback_secret" { callbackSecret = existing }
                continue
            }
            let fresh = try RandomSecret.generate()
            try SetupFiles.write(fresh + "\n", to: path, mode: Self.secretMode)
            items.append(Item(path: path, mode: "0600", action: existing == nil ? .created : .replaced))
            rotated = rotated || existing != nil
            if name == "callback_secret" { callbackSecret = fresh }
        }

        let clientSecretPath = credentialPath("client_secret")
        if let clientSecret, clientSecret != existingClientSecret {
            try SetupFiles.write(clientSecret + "\n", to: clientSecretPath, mode: Self.secretMode)
            items.append(
                Item(path: clientSecretPath, mode: "0600", action: existingClientSecret == nil ? .created : .replaced))
            rotated = rotated || existingClientSecret != nil
        } else {
            items.append(Item(path: clientSecretPath, mode: "0600", action: try tightenedOrUnchanged(clientSecretPath)))
        }

        if replaceable, let domain, let clientID {
            try SetupFiles.write(
                ProductionConfiguration.render(domain: domain, clientID: clientID), to: configPath,
                mode: Self.configMode)
            items.append(
                Item(path: configPath, mode: "0644", action: existingConfiguration == nil ? .created : .replaced))
        } else if let existingConfiguration {
            let wanted = domain.flatMap { domain in
                clientID.map { ProductionConfiguration.render(domain: domain, clientID: $0) }
            }
            let action: Item.Action =
                wanted == nil || wanted == existingConfiguration
                ? .unchanged
                : .kept("not the template: it is yours, and --domain/--client-id were not written into it")
            items.append(Item(path: configPath, mode: modeText(configPath), action: action))
        }
        return Report(items: items, callbackSecret: callbackSecret, rotated: rotated)
    }

    /// True when `dpbridge.yaml` is missing or still the untouched template.
    func configurationIsReplaceable() throws(SetupError) -> Bool {
        guard let text = try SetupFiles.read(configPath) else { return true }
        return text == ProductionConfiguration.template
    }

    /// A credential file's value (trimmed, as the loader reads it); nil when missing or empty.
    func credential(_ name: String) throws(SetupError) -> String? {
        let text = try SetupFiles.read(credentialPath(name))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return text?.isEmpty == false ? text : nil
    }

    private func tightenedOrUnchanged(_ path: String) throws(SetupError) -> Item.Action {
        try SetupFiles.tighten(path, to: Self.secretMode) ? .tightened : .unchanged
    }

    private func modeText(_ path: String) -> String {
        SetupFiles.mode(of: path).map { "0" + String($0, radix: 8) } ?? "?"
    }

    // MARK: - Answers

    /// A bare marketplace domain such as `znanylekarz.pl`, lower-cased.
    static func checkedDomain(_ answer: String) throws(SetupError) -> String {
        let domain = answer.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = domain.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "-"
        }
        guard allowed, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
            !PublishedExamples.isPlaceholder(domain)
        else {
            throw .invalid(
                what: "--domain", reason: "must be a bare marketplace domain such as znanylekarz.pl or doctoralia.es")
        }
        return domain
    }

    /// Docplanner's OAuth client id: printable ASCII without spaces.
    static func checkedClientID(_ answer: String) throws(SetupError) -> String {
        let id = answer.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            !PublishedExamples.isPlaceholder(id)
        else {
            throw .invalid(what: "--client-id", reason: "must be the client id Docplanner gave you (no spaces)")
        }
        return id
    }

    /// Docplanner's OAuth client secret: one line, not a published example.
    static func checkedClientSecret(_ answer: String) throws(SetupError) -> String {
        let secret = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty, !secret.contains(where: \.isNewline) else {
            throw .invalid(what: "--client-secret", reason: "must be the one-line client secret Docplanner gave you")
        }
        guard !PublishedExamples.secrets.contains(secret), !PublishedExamples.isPlaceholder(secret) else {
            throw .invalid(
                what: "--client-secret", reason: "is an example value published with dpbridge, not a real secret")
        }
        return secret
    }
}

import Configuration
import Foundation

/// Turns resolved setting values into a `DaemonConfiguration`, checking what single
/// settings cannot check alone: required keys, addresses, URLs, CIDRs and combinations.
struct ConfigurationBuilder {
    let values: [String: ConfigContent]
    let filePath: String
    private var problems: [ConfigurationProblem] = []
    /// Keys still holding the production template's placeholder: reported once each, and
    /// otherwise treated as not set.
    private let placeholders: Set<String>

    init(values: [String: ConfigContent], filePath: String) {
        var kept = values
        var placeholders = Set<String>()
        for (key, value) in values {
            if case .string(let text) = value, PublishedExamples.isPlaceholder(text) {
                placeholders.insert(key)
                kept[key] = .string("")
            }
        }
        self.values = kept
        self.filePath = filePath
        self.placeholders = placeholders
        for key in placeholders.sorted() {
            problems.append(
                .init(key, "still the template's \(PublishedExamples.placeholder): run `dpbridge init`" + hint(key)))
        }
    }

    func build() throws(ConfigurationError) -> DaemonConfiguration {
        var builder = self
        let configuration = builder.assemble()
        builder.problems += UnsafeSettings.problems(in: configuration)
        if !builder.problems.isEmpty { throw ConfigurationError(builder.problems) }
        return configuration
    }

    private mutating func assemble() -> DaemonConfiguration {
        let domain = string("docplanner.domain")
        let baseURLOverride = string("docplanner.base_url")
        if !baseURLOverride.isEmpty, !isHTTPURL(baseURLOverride) {
            problems.append(.init("docplanner.base_url", "must be an http:// or https:// URL"))
        }
        if domain.isEmpty {
            if baseURLOverride.isEmpty { missing("docplanner.domain") }
        } else if domain.contains("/") || domain.contains(":") || !domain.contains(".") {
            problems.append(.init("docplanner.domain", "must be a bare domain such as znanylekarz.pl"))
        }
        let baseURL = baseURLOverride.isEmpty ? "https://www.\(domain)" : baseURLOverride

        let adapter: DaemonConfiguration.PartnerAdapter
        if string("partner.adapter") == "http" {
            let url = string("partner.http.url")
            if url.isEmpty {
                problems.append(.init("partner.http.url", "required when partner.adapter is http"))
            } else if !isHTTPURL(url) {
                problems.append(.init("partner.http.url", "must be an http:// or https:// URL"))
            }
            let secret = optionalSecret("partner.http.secret")
            if secret == nil {
                problems.append(
                    .init("partner.http.secret", "required when partner.adapter is http" + hint("partner.http.secret")))
            }
            adapter = .http(url: url, secret: secret ?? Secret(""), timeoutSeconds: int("partner.http.timeout_seconds"))
        } else {
            adapter = .embedded(path: nonEmptyPath("partner.embedded.path"))
        }

        let apiKeyHeader = string("callback.api_key_header")
        let apiKey = optionalSecret("callback.api_key")
        if !apiKeyHeader.isEmpty, apiKey == nil {
            problems.append(
                .init("callback.api_key", "required when callback.api_key_header is set" + hint("callback.api_key")))
        }
        if apiKeyHeader.isEmpty, apiKey != nil {
            problems.append(.init("callback.api_key_header", "required when callback.api_key is set"))
        }
        let callbackSecret = requiredSecret("callback.secret")
        if let value = callbackSecret?.value, !Self.isCallbackSecret(value) {
            problems.append(
                .init(
                    "callback.secret",
                    "must be at least 16 ASCII letters, digits, '-' or '_' (it is a URL path segment)"))
        }

        let configuration = DaemonConfiguration(
            publicListener: .init(address: address("listen.public.address"), port: int("listen.public.port")),
            admin: .init(
                address: address("listen.admin.address"), port: int("listen.admin.port"),
                socketPath: string("listen.admin.socket"), token: optionalSecret("listen.admin.token")),
            callback: .init(
                secret: callbackSecret ?? Secret(""), apiKeyHeader: apiKeyHeader, apiKey: apiKey,
                allowlist: cidrs("callback.allowlist"), useDocplannerIPs: bool("callback.use_docplanner_ips"),
                trustedProxies: cidrs("callback.trusted_proxies"),
                pingAlertMinutes: int("callback.ping_alert_minutes"),
                blockingDeadlineMilliseconds: int("callback.blocking_deadline_ms"),
                errorCodes: .init(
                    slotTaken: errorCode("callback.error_codes.slot_taken"),
                    notBookable: errorCode("callback.error_codes.not_bookable"),
                    unavailable: errorCode("callback.error_codes.unavailable"))),
            docplanner: .init(
                domain: domain, baseURL: baseURL, clientID: requiredString("docplanner.client_id"),
                clientSecret: requiredSecret("docplanner.client_secret") ?? Secret(""),
                mode: DaemonConfiguration.Mode(rawValue: string("docplanner.mode")) ?? .push,
                writeLimitPerMinute: int("docplanner.write_limit_per_minute"),
                readLimitPerHour: int("docplanner.read_limit_per_hour"),
                timeoutSeconds: int("docplanner.timeout_seconds"), timeZone: timeZone("docplanner.time_zone"),
                pullMaxIdleSeconds: int("docplanner.pull_max_idle_seconds"),
                horizonWeeks: int("docplanner.horizon_weeks"), reconcileMinutes: int("docplanner.reconcile_minutes")),
            storePath: nonEmptyPath("store.path"),
            storeBackend: storeBackend(),
            storeCommitDelayMilliseconds: int("store.commit_delay_ms"),
            partner: adapter,
            calendarOnPostgres: calendarOnPostgres(),
            workers: .init(
                inbound: int("workers.inbound"), outbound: int("workers.outbound"),
                inboundGatherMilliseconds: int("workers.inbound_gather_ms"),
                coalesceMilliseconds: int("workers.coalesce_ms")),
            retry: .init(
                maxAttempts: int("retry.max_attempts"), initialDelaySeconds: int("retry.initial_delay_seconds"),
                maxDelaySeconds: int("retry.max_delay_seconds")),
            http: .init(
                maxConnections: int("http.max_connections"), maxBodyBytes: int("http.max_body_bytes"),
                maxRequestLineBytes: int("http.max_request_line_bytes"),
                maxHeaderBytes: int("http.max_header_bytes"), maxHeaderFields: int("http.max_header_fields"),
                headerTimeoutMilliseconds: int("http.header_timeout_ms"),
                bodyTimeoutMilliseconds: int("http.body_timeout_ms"),
                keepAliveTimeoutMilliseconds: int("http.keepalive_timeout_ms"),
                writeTimeoutMilliseconds: int("http.write_timeout_ms")),
            log: .init(level: string("log.level"), format: string("log.format")),
            mapping: .init(discoverHours: int("mapping.discover_hours")),
            retention: .init(days: int("retention.days"), quarantineDays: int("retention.quarantine_days")))
        if configuration.retry.initialDelaySeconds > configuration.retry.maxDelaySeconds {
            problems.append(.init("retry.initial_delay_seconds", "must not exceed retry.max_delay_seconds"))
        }
        return configuration
    }

    // MARK: - Typed access

    private func string(_ key: String) -> String {
        if case .string(let text)? = values[key] { return text }
        return ""
    }

    private func int(_ key: String) -> Int {
        if case .int(let number)? = values[key] { return number }
        return 0
    }

    private func bool(_ key: String) -> Bool {
        if case .bool(let flag)? = values[key] { return flag }
        return false
    }

    private func list(_ key: String) -> [String] {
        if case .stringArray(let items)? = values[key] {
            return items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return []
    }

    /// An IANA zone name; empty means the system's zone.
    private mutating func timeZone(_ key: String) -> TimeZone {
        let name = string(key)
        if name.isEmpty { return .current }
        guard let zone = TimeZone(identifier: name) else {
            problems.append(.init(key, "\"\(name)\" is not an IANA time zone such as Europe/Warsaw"))
            return .current
        }
        return zone
    }

    /// A non-empty code of letters, digits, '_', '-' or '.' (it is sent as JSON to Docplanner).
    /// An `error_code` from Docplanner's dictionary, or nil when none is configured.
    private mutating func errorCode(_ key: String) -> String? {
        let code = string(key)
        if code.isEmpty { return nil }
        if code.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0))) }) {
            problems.append(
                .init(
                    key, "must be a code of ASCII letters, digits, '_', '-' or '.' (a number is sent as a JSON number)")
            )
        }
        return code
    }

    private mutating func requiredString(_ key: String) -> String {
        let text = string(key)
        if text.isEmpty { missing(key) }
        return text
    }

    /// `partner.backend`: postgres only beside a store on PostgreSQL (its server).
    private mutating func calendarOnPostgres() -> Bool {
        guard string("partner.backend") == "postgres" else { return false }
        if string("store.backend") != "postgres" {
            problems.append(
                .init("partner.backend", "postgres needs store.backend postgres (the calendar is on its server)"))
        }
        return true
    }

    /// `store.backend`, with `store.url` for PostgreSQL.
    private mutating func storeBackend() -> DaemonConfiguration.StoreBackend {
        guard string("store.backend") == "postgres" else { return .sqlite }
        guard let url = optionalSecret("store.url") else {
            problems.append(.init("store.url", "required when store.backend is postgres" + hint("store.url")))
            return .sqlite
        }
        if !(url.value.hasPrefix("postgresql://") || url.value.hasPrefix("postgres://")) {
            problems.append(.init("store.url", "must be a postgresql:// URL"))
        }
        return .postgres(url: url)
    }

    private func optionalSecret(_ key: String) -> Secret? {
        let text = string(key)
        return text.isEmpty ? nil : Secret(text)
    }

    private mutating func requiredSecret(_ key: String) -> Secret? {
        let secret = optionalSecret(key)
        if secret == nil { missing(key) }
        return secret
    }

    private mutating func nonEmptyPath(_ key: String) -> String {
        let path = string(key)
        if path.isEmpty { problems.append(.init(key, "must not be empty")) }
        return path
    }

    private mutating func address(_ key: String) -> String {
        let text = string(key)
        if IPAddress(text) == nil {
            problems.append(.init(key, "'\(text)' is not an IPv4 or IPv6 address"))
        }
        return text
    }

    private mutating func cidrs(_ key: String) -> [CIDRBlock] {
        var blocks: [CIDRBlock] = []
        for item in list(key) {
            do {
                blocks.append(try CIDRBlock(item))
            } catch {
                problems.append(.init(key, error.description))
            }
        }
        return blocks
    }

    private mutating func missing(_ key: String) {
        guard !placeholders.contains(key) else { return }
        problems.append(.init(key, "required, not set" + hint(key)))
    }

    /// At least 16 of `A-Z a-z 0-9 - _`: the characters a URL path segment carries as they
    /// are, so the secret Docplanner sends back is byte for byte the one configured.
    static func isCallbackSecret(_ value: String) -> Bool {
        value.utf8.count >= 16
            && value.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F
            }
    }

    private func hint(_ key: String) -> String {
        guard let spec = ConfigurationSchema.setting(key) else { return "" }
        var places = ["in \(filePath)", spec.environmentVariable]
        if let credential = spec.credentialName {
            let written = ["callback_secret", "admin_token", "client_secret"].contains(credential)
            places.append("credential '\(credential)'" + (written ? " (dpbridge init writes it)" : ""))
        }
        return " (set it \(places.joined(separator: ", or ")))"
    }

    private func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil else {
            return false
        }
        return scheme == "http" || scheme == "https"
    }
}

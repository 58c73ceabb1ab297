import Sync

/// Every setting dpbridge understands: its key, type, default, whether it is a secret,
/// and a one-line description. This table drives loading, validation (unknown keys,
/// types, ranges), `check-config` output and the configuration reference in docs/configuration.md.
package struct SettingSpec: Sendable {
    /// The value type a setting holds.
    package enum Kind: String, Sendable {
        case string, int, bool
        case stringList = "list of strings"
    }

    /// Dotted key, as in the YAML file (`docplanner.client_id`).
    package let key: String
    package let kind: Kind
    /// The default, rendered as text; nil when the setting has none.
    package let defaultValue: String?
    /// Secrets are never printed or logged.
    package let isSecret: Bool
    /// A setting that must be given (unless `requiredUnless` names a key that is given).
    package let isRequired: Bool
    /// The file name under `$CREDENTIALS_DIRECTORY` that supplies this setting, if any.
    package let credentialName: String?
    /// Accepted values for an enumerated string setting.
    package let allowedValues: [String]?
    /// Accepted range for an integer setting.
    package let range: ClosedRange<Int>?
    package let summary: String

    init(
        _ key: String, _ kind: Kind, default defaultValue: String? = nil, secret: Bool = false,
        required: Bool = false, credential: String? = nil, allowed: [String]? = nil,
        range: ClosedRange<Int>? = nil, _ summary: String
    ) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.isSecret = secret
        self.isRequired = required
        self.credentialName = credential
        self.allowedValues = allowed
        self.range = range
        self.summary = summary
    }

    /// The environment variable that overrides this setting (`DPBRIDGE_DOCPLANNER_CLIENT_ID`).
    package var environmentVariable: String {
        "DPBRIDGE_" + key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }
}

/// The table of settings.
package enum ConfigurationSchema {
    /// Where `run` and `check-config` look when `--config` is not given.
    package static let defaultPath = "/etc/dpbridge/dpbridge.yaml"

    package static let settings: [SettingSpec] = [
        // Listeners.
        .init(
            "listen.public.address", .string, default: "0.0.0.0",
            "Address of the public listener Docplanner calls (IPv4 or IPv6; put a TLS proxy in front)."),
        .init(
            "listen.public.port", .int, default: "8080", range: 1...65535,
            "Port of the public listener."),
        .init(
            "listen.admin.address", .string, default: "127.0.0.1",
            "Address of the admin listener (status, metrics, partner API); keep it on loopback (elsewhere listen.admin.token is required)."
        ),
        .init(
            "listen.admin.port", .int, default: "8081", range: 1...65535,
            "Port of the admin listener."),
        .init(
            "listen.admin.socket", .string, default: "",
            "Unix socket path for the admin listener; when set it replaces address and port."),
        .init(
            "listen.admin.token", .string, secret: true, credential: "admin_token",
            "Bearer token of the admin listener's tenant routes: /status, jobs and dead letters (dpbridge status, queue, deadletters), the /v1 partner API; without it they are closed. Each tenant sets its own (credential <tenant>_admin_token); /health and /metrics need it only from other hosts."
        ),

        // Callbacks from Docplanner.
        .init(
            "callback.secret", .string, secret: true, required: true, credential: "callback_secret",
            "Secret path segment: Docplanner posts to https://HOST/callbacks/<secret>. At least 16 of A-Z a-z 0-9 - _ (dpbridge init generates one)."
        ),
        .init(
            "callback.api_key_header", .string, default: "",
            "Request header carrying Docplanner's API key, when one is configured on Docplanner's side."),
        .init(
            "callback.api_key", .string, secret: true, credential: "callback_api_key",
            "Expected value of that header; requests without it are refused."),
        .init(
            "callback.allowlist", .stringList, default: "",
            "Addresses or CIDR blocks (IPv4, IPv6) allowed to post callbacks; others get 403 (empty, without use_docplanner_ips: any source)."
        ),
        .init(
            "callback.use_docplanner_ips", .bool, default: "false",
            "Also allow the addresses Docplanner publishes at /public/docs/public-ips.json under docplanner.base_url (fetched at start, then daily; kept beside the store); while none was ever loaded, sources outside allowlist get 503."
        ),
        .init(
            "callback.trusted_proxies", .stringList, default: "",
            "Proxies (CIDRs) whose X-Forwarded-For names the client: its right-most entry that is not a trusted proxy."),
        .init(
            "callback.ping_alert_minutes", .int, default: "15", range: 1...1440,
            "Warn when no ping from Docplanner arrived for this long."),
        .init(
            "callback.blocking_deadline_ms", .int, default: "2000", range: 50...30000,
            "Deadline for answering slot-booking and booking-moving; past it the answer is a denial."),
        .init(
            "callback.error_codes.slot_taken", .string, default: "",
            "error_code of a denial because the time is taken in the clinic calendar: a code from the dictionary Docplanner support gives you (a number is sent as a JSON number); empty: none sent."
        ),
        .init(
            "callback.error_codes.not_bookable", .string, default: "",
            "error_code of a denial because the doctor, address or time cannot be booked; empty: none sent."),
        .init(
            "callback.error_codes.unavailable", .string, default: "",
            "error_code of a denial because the clinic calendar could not be asked in time; empty: none sent."),

        // Docplanner API.
        .init(
            "docplanner.domain", .string, required: true,
            "Marketplace domain, e.g. znanylekarz.pl, doctoralia.es, jameda.de."),
        .init(
            "docplanner.base_url", .string, default: "",
            "Overrides https://www.<domain> (the simulator, a proxy)."),
        .init(
            "docplanner.client_id", .string, required: true,
            "OAuth2 client id from Docplanner."),
        .init(
            "docplanner.client_secret", .string, secret: true, required: true, credential: "client_secret",
            "OAuth2 client secret from Docplanner."),
        .init(
            "docplanner.mode", .string, default: "push", allowed: ["push", "pull", "both"],
            "How events arrive: pushed to the callback URL, pulled from /notifications, or both."),
        .init(
            "docplanner.write_limit_per_minute", .int, default: "40", range: 1...10000,
            "Write calls (PUT/POST/PATCH/DELETE) per minute allowed by Docplanner."),
        .init(
            "docplanner.read_limit_per_hour", .int, default: "8000", range: 1...1_000_000,
            "GET calls per hour allowed by Docplanner."),
        .init(
            "docplanner.timeout_seconds", .int, default: "30", range: 1...600,
            "Total timeout of one Docplanner API call."),
        .init(
            "docplanner.time_zone", .string, default: "",
            "IANA time zone of the clinic's calendar (e.g. Europe/Warsaw); empty: the system's."),
        .init(
            "docplanner.pull_max_idle_seconds", .int, default: "10", range: 1...600,
            "PULL mode: longest pause between polls while the queue stays empty."),
        .init(
            "docplanner.horizon_weeks", .int, default: "12", range: 1...12,
            "How far ahead slots are fed and bookings reconciled."),
        .init(
            "docplanner.reconcile_minutes", .int, default: "60", range: 1...10080,
            "How often bookings over the horizon are compared with Docplanner's."),

        // Mappings.
        .init(
            "mapping.discover_hours", .int, default: "24", range: 0...8760,
            "How often Docplanner's resources are discovered again to spot drift, once `dpbridge map discover` ran; 0: never."
        ),

        // Store.
        .init(
            "store.path", .string, default: "/var/lib/dpbridge/dpbridge.sqlite",
            "SQLite database holding the inbox, outbox, dead letters and mappings (backend sqlite); with backend postgres, its directory still holds the tenant's local files (the Docplanner address list, the HTTP adapter's mirror)."
        ),
        .init(
            "store.backend", .string, default: "sqlite", allowed: ["sqlite", "postgres"],
            "sqlite: the store in store.path, for one instance. postgres: in the PostgreSQL database at store.url (schema dpbridge_<tenant>), shared by every instance behind one callback URL; see README, Deployment."
        ),
        .init(
            "store.url", .string, secret: true, credential: "store_url",
            "PostgreSQL connection URL (postgresql://user:password@host:port/database?sslmode=…), required with backend postgres."
        ),
        .init(
            "store.commit_delay_ms", .int, default: "10", range: 0...50,
            "While callbacks keep coming, how long those that follow a commit wait for others, so that more share one transaction and one flush to disk: adds up to this much to their acknowledgement; a callback to an idle store, and the decision of a blocking question (slot-booking, booking-moving), are committed at once. 0: none."
        ),

        // Retention of patients' data.
        .init(
            "retention.days", .int, default: "30", range: 1...3650,
            "Done jobs (with their payloads: patients' names, phones, e-mails) and blocking decisions are deleted this many days after they finished; dead letters are kept until replayed or purged."
        ),
        .init(
            "retention.quarantine_days", .int, default: "7", range: 1...3650,
            "Quarantined callback bodies (see dpbridge quarantine) are deleted this many days after they arrived."),

        // Partner system.
        .init(
            "partner.adapter", .string, default: "embedded", allowed: ["embedded", "http"],
            "Where the clinic calendar lives: an SQLite database (embedded) or a partner REST endpoint (http)."),
        .init(
            "partner.embedded.path", .string, default: "/var/lib/dpbridge/partner.sqlite",
            "SQLite database of the embedded partner calendar (backend sqlite)."),
        .init(
            "partner.backend", .string, default: "sqlite", allowed: ["sqlite", "postgres"],
            "Where the embedded calendar (or the HTTP adapter's mirror) is kept: sqlite, its file; postgres, the schema dpbridge_<tenant>_calendar on the store's server (needs store.backend postgres), which every instance behind one callback URL and the clinic software reach."
        ),
        .init(
            "partner.http.url", .string, default: "",
            "Partner endpoint receiving events as signed JSON (required with adapter http): https://, or http:// to a loopback address."
        ),
        .init(
            "partner.http.secret", .string, secret: true, credential: "partner_secret",
            "HMAC-SHA256 key signing requests to the partner endpoint (required with adapter http)."),
        .init(
            "partner.http.timeout_seconds", .int, default: "10", range: 1...600,
            "Total timeout of one call to the partner endpoint; at most \(UnsafeSettings.longestPartnerTimeout), to fit in the \(JobLease.inboundSeconds) s lease of an inbound job."
        ),

        // Workers and retries.
        .init(
            "workers.inbound", .int, default: "2", range: 1...64,
            "Threads applying Docplanner events to the partner system."),
        .init(
            "workers.outbound", .int, default: "2", range: 1...64,
            "Threads sending partner changes to Docplanner."),
        .init(
            "workers.inbound_gather_ms", .int, default: "20", range: 0...1000,
            "How long a Docplanner event waits for others before the inbound workers apply them together (one calendar transaction, one flush to disk for all): adds up to this much to the time an event takes to apply; 0 applies each at once."
        ),
        .init(
            "workers.coalesce_ms", .int, default: "500", range: 0...60000,
            "How long a burst of clinic changes settles before it is sent: edits of one calendar within it become one slot feed."
        ),
        .init(
            "retry.max_attempts", .int, default: "12", range: 1...1000,
            "Attempts before a job becomes a dead letter."),
        .init(
            "retry.initial_delay_seconds", .int, default: "2", range: 1...3600,
            "First retry delay; it doubles (with jitter) on each attempt."),
        .init(
            "retry.max_delay_seconds", .int, default: "900", range: 1...86400,
            "Upper bound of the retry delay."),

        // HTTP server limits.
        .init(
            "http.max_connections", .int, default: "1024", range: 1...1_000_000,
            "Open connections at most, per listener."),
        .init(
            "http.max_body_bytes", .int, default: "1048576", range: 1...1_073_741_824,
            "Largest request body (413 beyond)."),
        .init(
            "http.max_request_line_bytes", .int, default: "8192", range: 64...1_048_576,
            "Longest request line (414 beyond)."),
        .init(
            "http.max_header_bytes", .int, default: "32768", range: 256...1_048_576,
            "Largest header section (431 beyond)."),
        .init(
            "http.max_header_fields", .int, default: "100", range: 1...10000,
            "Most header fields in one request (431 beyond)."),
        .init(
            "http.header_timeout_ms", .int, default: "10000", range: 10...600_000,
            "Time allowed to receive a request's header section (408 beyond)."),
        .init(
            "http.body_timeout_ms", .int, default: "10000", range: 10...600_000,
            "Longest pause while receiving a body."),
        .init(
            "http.keepalive_timeout_ms", .int, default: "60000", range: 10...3_600_000,
            "Idle keep-alive connections are closed after this."),
        .init(
            "http.write_timeout_ms", .int, default: "10000", range: 10...600_000,
            "A client that does not read its response for this long is disconnected."),

        // Logging.
        .init(
            "log.level", .string, default: "info",
            allowed: ["trace", "debug", "info", "notice", "warning", "error", "critical"],
            "Lowest level logged."),
        .init(
            "log.format", .string, default: "auto", allowed: ["auto", "text", "journald"],
            "text: key=value lines on stderr; journald: structured journal entries; auto: journald when stderr is the journal."
        ),
    ]

    /// The setting with this key, if dpbridge knows it.
    /// Settings a tenant (`tenants.<name>.<key>`) may set for itself; the rest (listeners,
    /// limits, workers, logs) belong to the daemon. Unset ones are inherited from the top level.
    package static func isTenantSetting(_ key: String) -> Bool {
        key.hasPrefix("docplanner.") || key.hasPrefix("store.") || key.hasPrefix("partner.")
            || key.hasPrefix("mapping.") || key.hasPrefix("retention.") || key.hasPrefix("callback.error_codes.")
            || ["callback.secret", "callback.api_key_header", "callback.api_key", "callback.blocking_deadline_ms"]
                .contains(key)
            || tenantUninherited.contains(key)
    }

    /// Tenant settings that a tenant never takes from the top level: one clinic's admin
    /// token must not open another clinic's routes.
    static let tenantUninherited = ["listen.admin.token"]

    /// Settings each additional tenant must give itself: sharing them would mix clinics.
    static let tenantOwnSettings = [
        "callback.secret", "docplanner.client_id", "docplanner.client_secret", "store.path",
    ]

    /// Names allowed for tenants: lower-case letters, digits and dashes.
    static func isValidTenantName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && name != "default"
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    package static func setting(_ key: String) -> SettingSpec? {
        settingsByKey[key]
    }

    static let settingsByKey: [String: SettingSpec] = Dictionary(
        uniqueKeysWithValues: settings.map { ($0.key, $0) })

    /// Every key prefix that is a section (`listen`, `listen.public`, …).
    static let sections: Set<String> = {
        var result = Set<String>()
        for setting in settings {
            var parts = setting.key.split(separator: ".").map(String.init)
            parts.removeLast()
            while !parts.isEmpty {
                result.insert(parts.joined(separator: "."))
                parts.removeLast()
            }
        }
        return result
    }()
}

extension ConfigurationSchema {
    /// The settings as a Markdown table (the reference in docs/configuration.md).
    package static func markdownReference() -> String {
        var lines = [
            "| key | type | default | environment | meaning |",
            "|---|---|---|---|---|",
        ]
        for spec in settings {
            var defaultText = spec.defaultValue.map { $0.isEmpty ? "`\"\"`" : "`\($0)`" } ?? "—"
            if spec.isRequired { defaultText = "**required**" }
            var meaning = spec.summary
            if let allowed = spec.allowedValues { meaning += " One of: \(allowed.joined(separator: ", "))." }
            if spec.isSecret {
                meaning += " Secret" + (spec.credentialName.map { "; credential `\($0)`." } ?? ".")
            }
            lines.append(
                "| `\(spec.key)` | \(spec.kind.rawValue) | \(defaultText) | `\(spec.environmentVariable)` | \(meaning) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}

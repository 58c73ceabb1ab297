import ArgumentParser
import Daemon
import DocplannerAPI
import Foundation
import Glibc
import Simulator

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a local Docplanner stand-in: OAuth, the Integrations API, callbacks, pings and faults.",
        discussion: """
            Serves http://HOST:PORT/oauth/v2/token (client credentials, HTTP Basic) and the Integrations \
            API under /api/v3/integration, with in-memory state seeded from a small dataset (facility 1; \
            doctors 123 and 234; addresses 111, 112, 221; a week of slots; bookings 700001-700005), \
            Docplanner's rate limits (X-RateLimit-* headers, 429 + Retry-After), its validation and error \
            bodies. --extra-doctors N adds N doctors to facility 1 with two addresses each (for \
            benchmarks: 25 give 50 more calendars). Runs until SIGINT or SIGTERM.

            Standalone:
              dpbridge simulate --port 9090
              curl -u demo-client:demo-client-secret -d grant_type=client_credentials \\
                   -d scope=integration http://127.0.0.1:9090/oauth/v2/token

            Pushing to the daemon (its callback URL is /callbacks/<callback.secret>):
              dpbridge simulate \\
                  --callback-url http://127.0.0.1:8080/callbacks/<callback.secret>
            Events are POSTed there as Docplanner sends them; slot-booking and booking-moving are \
            blocking (2xx approves, anything else denies; a JSON 4xx may carry {"error_code": ...}). \
            The URL is pinged (GET) every --ping-interval seconds; 3 failed pings in a row raise an alert \
            (logged, and shown by GET /_sim/state). --mode pull queues events for GET /notifications \
            instead; both does both. A push answered other than 2xx is re-sent after 1, 5 and 15 \
            minutes; POST /notifications/release re-sends those still failed, once per hour.

            Strict by default, as Docplanner's document says: replaceSlots replaces the bookable units \
            starting inside the ranges sent and takes one day per request; request bodies are checked \
            as a schema validator would (unknown fields, types, null only where nullable). --lenient \
            brings back the permissive reading for demos.

            Acting as a patient or doctor (JSON bodies, answered once the callbacks were delivered):
              POST /_sim/book     {"address_id":"111","start":"2027-01-16T11:00:00+01:00"}
              POST /_sim/cancel   {"booking_id":"700003","canceled_by":"doctor"}
              POST /_sim/move     {"booking_id":"700003","start":"...","moved_by":"user"}
              POST /_sim/confirm  {"booking_id":"700003"}
              POST /_sim/presence {"booking_id":"700001","presence":"PRESENT"}
              POST /_sim/payment  {"booking_id":"700004","status":"refunded"}
              POST /_sim/breaks   {"action":"create","address_id":"111","since":"...",...}
              POST /_sim/address-services {"action":"create","address_id":"111",...}
              POST /_sim/commercial-type {"address_id":"111","commercial_type":"basic"}
              POST /_sim/calendar {"address_id":"111","status":"missing"}
              POST /_sim/ping, GET /_sim/state, GET|POST /_sim/faults

            Docplanner's published callback sources: GET /public/docs/public-ips.json (with the \
            trailing comma of Docplanner's example) and /public/docs/public-ips.txt list 127.0.0.1, \
            or each --public-ip given; a daemon with callback.use_docplanner_ips and base_url pointing \
            here fetches them.

            Fault injection: --fault-5xx, --fault-429, --fault-drop and --fault-token-expiry are shares \
            (0-1) of API requests answered 5xx, answered 429, dropped without an answer, or refused as \
            holding an expired token; --fault-latency-ms delays every answer. Shares are drawn from \
            --fault-seed, so a run repeats. POST /_sim/faults changes them while running, e.g. \
            {"next":[{"status":503},{"drop":true}],"expire_tokens":true}.
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case push, pull, both
    }

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(
        help: ArgumentHelp("Port to listen on (the example configuration's base_url uses 9090).", valueName: "port"))
    var port = 9090

    @Option(
        name: .customLong("client-id"),
        help: ArgumentHelp(
            "The OAuth client id accepted; one ending in * accepts every id that starts with the rest (bench-* for many tenants).",
            valueName: "id"))
    var clientID = "demo-client"

    @Option(
        name: .customLong("client-secret"), help: ArgumentHelp("The OAuth client secret accepted.", valueName: "secret")
    )
    var clientSecret = "demo-client-secret"

    @Option(help: ArgumentHelp("Seconds an access token stays valid (expires_in).", valueName: "seconds"))
    var tokenLifetime = 3600

    @Option(
        name: .customLong("callback-url"),
        help: ArgumentHelp("Where to push events and pings (PUSH mode); none by default.", valueName: "url"))
    var callbackURL: String?

    @Option(
        name: .customLong("callback-header"),
        help: ArgumentHelp("An extra header for callbacks and pings, 'Name: value' (repeatable).", valueName: "header"))
    var callbackHeaders: [String] = []

    @Option(help: "How events reach the integration: push, pull or both.")
    var mode: Mode = .push

    @Option(help: ArgumentHelp("Seconds between pings of the callback URL; 0 disables them.", valueName: "seconds"))
    var pingInterval: Double = 300

    @Flag(help: "Do not send the blocking slot-booking and booking-moving callbacks (book and move at once).")
    var noRealTime = false

    @Option(
        help: ArgumentHelp("Seconds a blocking callback may take before it counts as a denial.", valueName: "seconds"))
    var blockingTimeout: Double = 10

    @Option(help: ArgumentHelp("Write requests (PUT/POST/PATCH/DELETE) allowed per minute.", valueName: "count"))
    var writeLimit = 40

    @Option(help: ArgumentHelp("GET requests allowed per hour.", valueName: "count"))
    var readLimit = 8000

    @Flag(help: "Disable the rate limits (and their headers).")
    var noRateLimits = false

    @Option(
        help: ArgumentHelp(
            "How many of the latest API requests GET /_sim/state lists (benchmarks counting a burst's calls need more).",
            valueName: "count"))
    var requestLog = 1000

    @Option(help: ArgumentHelp("Minimum seconds between two notification releases.", valueName: "seconds"))
    var releaseInterval: Double = 3600

    @Option(help: ArgumentHelp("Time zone of the simulated calendars.", valueName: "identifier"))
    var timeZone = "Europe/Warsaw"

    @Option(
        name: .customLong("public-ip"),
        help: ArgumentHelp(
            "An address or CIDR block published in public-ips.json (repeatable; default 127.0.0.1).",
            valueName: "address"))
    var publicIPs: [String] = []

    @Option(
        help: ArgumentHelp(
            "Add this many doctors (1001, 1002, ...) to facility 1, each with 2 addresses (<doctor>1, <doctor>2) "
                + "offering services <address>1 and <address>2 (at most 1000).",
            valueName: "count"))
    var extraDoctors = 0

    @Option(
        help: ArgumentHelp(
            "Seed facility 3 (\"Seeded clinic\") with this many doctors (3001, ...), each with addresses <doctor>1 "
                + "(Main clinic) and <doctor>2 (Branch clinic) offering five services <address>1...<address>5, "
                + "calendars disabled, no slots: for mapping and activation (at most 500).",
            valueName: "count"))
    var clinicDoctors = 0

    @Option(
        name: .customLong("fault-5xx"),
        help: ArgumentHelp("Share of API requests answered 500/502/503.", valueName: "share"))
    var serverErrorShare: Double = 0

    @Option(
        name: .customLong("fault-429"), help: ArgumentHelp("Share of API requests answered 429.", valueName: "share"))
    var rateLimitShare: Double = 0

    @Option(
        name: .customLong("fault-drop"),
        help: ArgumentHelp("Share of API requests whose connection is closed without an answer.", valueName: "share"))
    var dropShare: Double = 0

    @Option(
        name: .customLong("fault-token-expiry"),
        help: ArgumentHelp("Share of API requests refused (401) as holding an expired token.", valueName: "share"))
    var tokenExpiryShare: Double = 0

    @Option(
        name: .customLong("fault-latency-ms"),
        help: ArgumentHelp("Milliseconds added to every API answer.", valueName: "ms"))
    var latency = 0

    @Option(name: .customLong("fault-seed"), help: ArgumentHelp("Seed of the fault draws.", valueName: "number"))
    var seed: UInt64 = 1

    @Flag(
        help: """
            Permissive reading of the contract, for demos only: replaceSlots may mix days and clears \
            whole days, request bodies may carry unknown fields, ids as numbers and null anywhere. \
            Without it the simulator is Docplanner as documented.
            """)
    var lenient = false

    @Option(help: "Lowest level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard (1...1_000_000).contains(requestLog) else {
            throw ValidationError("--request-log must be between 1 and 1000000 requests, not \(requestLog)")
        }
        for (name, share) in [
            ("--fault-5xx", serverErrorShare), ("--fault-429", rateLimitShare), ("--fault-drop", dropShare),
            ("--fault-token-expiry", tokenExpiryShare),
        ] where !(0...1).contains(share) {
            throw ValidationError("\(name) must be a share between 0 and 1, not \(share)")
        }
        guard serverErrorShare + rateLimitShare + dropShare + tokenExpiryShare <= 1 else {
            throw ValidationError("the fault shares add up to more than 1")
        }
        if let callbackURL, !(callbackURL.hasPrefix("http://") || callbackURL.hasPrefix("https://")) {
            throw ValidationError("--callback-url must be an http:// or https:// URL")
        }
        for address in publicIPs where address.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--public-ip must not be empty")
        }
        for header in callbackHeaders where !header.contains(":") {
            throw ValidationError("--callback-header must be 'Name: value', not '\(header)'")
        }
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("unknown time zone \(timeZone)") }
        guard (1...65535).contains(port) || port == 0 else { throw ValidationError("--port must be 0...65535") }
        guard (0...1000).contains(extraDoctors) else { throw ValidationError("--extra-doctors must be 0...1000") }
        guard (0...500).contains(clinicDoctors) else { throw ValidationError("--clinic-doctors must be 0...500") }
        guard tokenLifetime > 0, writeLimit > 0, readLimit > 0, blockingTimeout > 0, pingInterval >= 0, latency >= 0
        else {
            throw ValidationError("lifetimes, limits, intervals and timeouts must be positive")
        }
    }

    func run() throws {
        // Before any thread starts: only this thread takes SIGINT and SIGTERM.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        signal(SIGPIPE, SIG_IGN)
        LoggingSetup.bootstrap(format: "text", level: logLevel)

        let headers = callbackHeaders.map { header in
            let colon = header.firstIndex(of: ":")!
            return (
                name: header[..<colon].trimmingCharacters(in: .whitespaces),
                value: header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            )
        }
        let configuration = SimulatorConfiguration(
            clientID: clientID, clientSecret: clientSecret, tokenLifetime: tokenLifetime,
            rateLimits: noRateLimits
                ? nil
                : RateLimitPolicy(
                    reads: .init(limit: readLimit, period: 3600), writes: .init(limit: writeLimit, period: 60)),
            callbackURL: callbackURL, callbackHeaders: headers,
            mode: SimulatorConfiguration.NotificationMode(rawValue: mode.rawValue)!,
            pingInterval: pingInterval > 0 ? pingInterval : nil, realTimeBooking: !noRealTime,
            blockingTimeout: .milliseconds(Int(blockingTimeout * 1000)), releaseInterval: releaseInterval,
            timeZone: TimeZone(identifier: timeZone)!, publicIPs: publicIPs.isEmpty ? ["127.0.0.1"] : publicIPs,
            faults: SimulatorFaults(
                serverErrorShare: serverErrorShare, rateLimitShare: rateLimitShare, dropShare: dropShare,
                tokenExpiryShare: tokenExpiryShare, latencyMilliseconds: latency, seed: seed),
            extraDoctors: extraDoctors, clinicDoctors: clinicDoctors, lenient: lenient, requestLogCapacity: requestLog)
        let simulator = DocplannerSimulator(configuration: configuration)
        let actual: Int
        do {
            actual = try simulator.start(host: host, port: port)
        } catch {
            printError("dpbridge: cannot start the simulator on \(host):\(port): \(error)")
            throw ExitCode(1)
        }
        let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(actual)"
        // Unbuffered, so that a script reading the output sees it at once.
        FileHandle.standardOutput.write(
            Data(
                """
                Docplanner simulator: API \(base)/api/v3/integration, token \(base)/oauth/v2/token, admin \(base)/_sim/state
                client \(clientID); mode \(mode.rawValue); callbacks \(callbackURL ?? "none"); \(lenient ? "lenient" : "strict"); Ctrl-C stops

                """.utf8))

        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        simulator.stop()
    }
}

import DocplannerAPI
import Foundation

/// How a `DocplannerSimulator` behaves: whom it accepts, where it pushes, its limits and faults.
package struct SimulatorConfiguration: Sendable {
    /// How Docplanner hands events to the integration.
    package enum NotificationMode: String, Sendable, CaseIterable {
        /// POSTed to `callbackURL`; `/notifications/release` re-sends the failed ones.
        case push
        /// Queued for `GET /notifications` (release answers 403).
        case pull
        /// Both at once, as Docplanner allows for redundancy.
        case both

        var pushes: Bool { self != .pull }
        var queues: Bool { self != .push }
    }

    /// The OAuth client the simulator accepts (HTTP Basic on `/oauth/v2/token`).
    package var clientID: String
    package var clientSecret: String
    /// Seconds an issued access token stays valid (`expires_in`).
    package var tokenLifetime: Int
    /// Docplanner's per-client limits; nil disables them (and their headers).
    package var rateLimits: RateLimitPolicy?
    /// Where events are POSTed (e.g. `http://127.0.0.1:8080/callbacks/<secret>`); nil: nowhere.
    package var callbackURL: String?
    /// Extra header fields sent with every callback and ping (an agreed API key, say).
    package var callbackHeaders: [(name: String, value: String)]
    package var mode: NotificationMode
    /// Seconds between pings of the callback URL (Docplanner: 5 minutes); nil: no pings.
    package var pingInterval: Double?
    /// Consecutive failed pings that raise the alert (Docplanner: 3).
    package var pingAlertThreshold: Int
    /// Send the blocking `slot-booking` / `booking-moving` callbacks and honour the answer.
    package var realTimeBooking: Bool
    /// How long a blocking callback may take before it counts as a denial.
    package var blockingTimeout: Duration
    /// Timeout of other callbacks and pings.
    package var callbackTimeout: Duration
    /// Minimum seconds between two `/notifications/release` calls (Docplanner: one hour).
    package var releaseInterval: Double
    /// Seconds a `replaceSlots` is "processing": the same payload again within it is a 429.
    package var replaceSlotsProcessingTime: Double
    /// The time zone the simulated calendars live in (offsets of every date written).
    package var timeZone: TimeZone
    /// The addresses published at `/public/docs/public-ips.json` (Docplanner's callback sources).
    package var publicIPs: [String]
    package var faults: SimulatorFaults
    /// Doctors added to facility 1 beyond the fixed dataset (for benchmarks), each with two
    /// addresses and two address services per address; see `SimulatorDataset.extraDoctors`.
    package var extraDoctors: Int
    /// Doctors of the seeded clinic (facility 3) for mapping and activation; see
    /// `SimulatorDataset.addClinicFacility`.
    package var clinicDoctors: Int
    /// Brings back the permissive reading of the contract, for demos only: `replaceSlots`
    /// may mix days and clears whole days, request bodies may carry unknown members, ids as
    /// numbers and `null` anywhere. False (the default): Docplanner as its document says.
    package var lenient: Bool
    /// How many of the latest API requests the request log (`GET /_sim/state`) keeps.
    package var requestLogCapacity: Int

    package init(
        clientID: String = "demo-client", clientSecret: String = "demo-client-secret",
        tokenLifetime: Int = 3600, rateLimits: RateLimitPolicy? = .docplanner, callbackURL: String? = nil,
        callbackHeaders: [(name: String, value: String)] = [], mode: NotificationMode = .push,
        pingInterval: Double? = 300, pingAlertThreshold: Int = 3, realTimeBooking: Bool = true,
        blockingTimeout: Duration = .seconds(10), callbackTimeout: Duration = .seconds(10),
        releaseInterval: Double = 3600, replaceSlotsProcessingTime: Double = 0,
        timeZone: TimeZone = TimeZone(identifier: "Europe/Warsaw") ?? TimeZone(secondsFromGMT: 3600)!,
        publicIPs: [String] = ["127.0.0.1"], faults: SimulatorFaults = SimulatorFaults(), extraDoctors: Int = 0,
        clinicDoctors: Int = 0, lenient: Bool = false, requestLogCapacity: Int = 1000
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tokenLifetime = tokenLifetime
        self.rateLimits = rateLimits
        self.callbackURL = callbackURL
        self.callbackHeaders = callbackHeaders
        self.mode = mode
        self.pingInterval = pingInterval
        self.pingAlertThreshold = pingAlertThreshold
        self.realTimeBooking = realTimeBooking
        self.blockingTimeout = blockingTimeout
        self.callbackTimeout = callbackTimeout
        self.releaseInterval = releaseInterval
        self.replaceSlotsProcessingTime = replaceSlotsProcessingTime
        self.timeZone = timeZone
        self.publicIPs = publicIPs
        self.faults = faults
        self.extraDoctors = extraDoctors
        self.clinicDoctors = clinicDoctors
        self.lenient = lenient
        self.requestLogCapacity = max(1, requestLogCapacity)
    }
}

import DocplannerAPI

/// What the simulator holds and has done, for tests and `GET /_sim/state`.
public struct SimulatorSnapshot: Sendable, Codable {
    /// A booking as the simulator holds it.
    public struct BookingState: Sendable, Codable, Equatable {
        public var id: String
        public var facilityID: String
        public var doctorID: String
        public var addressID: String
        /// `booked` or `canceled`.
        public var status: String
        public var startAt: String
        public var duration: Int
        public var bookedBy: String
        public var canceledBy: String
        public var addressServiceID: String?
        public var confirmed: Bool
        public var presence: String?
        public var visitPaymentStatus: String?
        /// Set once moved: the new booking.
        public var newestID: String?

        enum CodingKeys: String, CodingKey {
            case id, status, duration, confirmed, presence
            case facilityID = "facility_id"
            case doctorID = "doctor_id"
            case addressID = "address_id"
            case startAt = "start_at"
            case bookedBy = "booked_by"
            case canceledBy = "canceled_by"
            case addressServiceID = "address_service_id"
            case visitPaymentStatus = "visit_payment_status"
            case newestID = "newest_id"
        }
    }

    /// One callback POST (or re-send after a release).
    public struct Delivery: Sendable, Codable, Equatable {
        public var name: String
        /// The partner's status; nil when no answer came.
        public var status: Int?
        public var error: String?
        public var blocking: Bool
        public var redelivery: Bool
        /// `error_code` of a refusal (a 4xx with `Content-Type: application/json`), as the JSON
        /// value it was: Docplanner's dictionary codes are numbers.
        public var errorCode: JSONValue?
        public var at: String

        enum CodingKeys: String, CodingKey {
            case name, status, error, blocking, redelivery, at
            case errorCode = "error_code"
        }
    }

    /// A failed push waiting for its next automatic re-send (after 1, 5 and 15 minutes).
    public struct Redelivery: Sendable, Codable, Equatable {
        public var name: String
        /// Re-sends made so far (0 to 2).
        public var resent: Int
        /// When the next re-send is due.
        public var dueAt: String

        public init(name: String, resent: Int, dueAt: String) {
            self.name = name
            self.resent = resent
            self.dueAt = dueAt
        }

        enum CodingKeys: String, CodingKey {
            case name, resent
            case dueAt = "due_at"
        }
    }

    /// Docplanner's monitoring of the callback URL.
    public struct Pings: Sendable, Codable, Equatable {
        public var sent: Int
        public var failed: Int
        public var consecutiveFailures: Int
        /// True after `threshold` failures in a row, until a ping succeeds.
        public var alert: Bool
        /// How many alerts were raised.
        public var alerts: Int
        public var lastStatus: Int?
        public var lastError: String?

        enum CodingKeys: String, CodingKey {
            case sent, failed, alert, alerts
            case consecutiveFailures = "consecutive_failures"
            case lastStatus = "last_status"
            case lastError = "last_error"
        }
    }

    /// One API request answered.
    public struct Request: Sendable, Codable, Equatable {
        public var method: String
        public var path: String
        /// 0 for a dropped connection.
        public var status: Int
        /// Seconds since 1970 on the simulator's clock.
        public var at: Double
        public var fault: String?
    }

    /// One rate-limit budget.
    public struct Budget: Sendable, Codable, Equatable {
        public var client: String
        /// `read` or `write`.
        public var kind: String
        public var used: Int
        public var limit: Int
        public var resetsAt: String

        enum CodingKeys: String, CodingKey {
            case client, kind, used, limit
            case resetsAt = "resets_at"
        }
    }

    public var now: String
    public var mode: String
    public var callbackURL: String?
    public var bookings: [BookingState]
    /// Calendar status per address id (`enabled`, `disabled` or `missing`).
    public var calendars: [String: String]
    /// Bookable units (free or not) per address id.
    public var slotUnits: [String: Int]
    public var breaks: Int
    public var addressServices: Int
    public var tokensIssued: Int
    public var pings: Pings?
    public var deliveries: [Delivery]
    public var pullQueue: Int
    /// Pushes not delivered yet: waiting for a re-send or for a release.
    public var failedPushes: Int
    /// Pushes waiting for their next automatic re-send.
    public var redeliveries: [Redelivery]
    public var releases: Int
    public var requestsTotal: Int
    /// API requests other than GET and HEAD since the start.
    public var writesTotal: Int
    /// The latest API requests, oldest first.
    public var requests: [Request]
    public var rateLimits: [Budget]
    public var faults: SimulatorFaults
    public var faultsInjected: Int

    enum CodingKeys: String, CodingKey {
        case now, mode, bookings, calendars, breaks, pings, deliveries, releases, requests, faults
        case callbackURL = "callback_url"
        case slotUnits = "slot_units"
        case addressServices = "address_services"
        case tokensIssued = "tokens_issued"
        case pullQueue = "pull_queue"
        case failedPushes = "failed_pushes"
        case redeliveries
        case requestsTotal = "requests_total"
        case writesTotal = "writes_total"
        case rateLimits = "rate_limits"
        case faultsInjected = "faults_injected"
    }

    /// The booking with `id`.
    public func booking(_ id: String) -> BookingState? { bookings.first { $0.id == id } }
}

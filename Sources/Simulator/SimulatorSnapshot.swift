import DocplannerAPI

/// What the simulator holds and has done, for tests and `GET /_sim/state`.
package struct SimulatorSnapshot: Sendable, Codable {
    /// A booking as the simulator holds it.
    package struct BookingState: Sendable, Codable, Equatable {
        package var id: String
        package var facilityID: String
        package var doctorID: String
        package var addressID: String
        /// `booked` or `canceled`.
        package var status: String
        package var startAt: String
        package var duration: Int
        package var bookedBy: String
        package var canceledBy: String
        package var addressServiceID: String?
        package var confirmed: Bool
        package var presence: String?
        package var visitPaymentStatus: String?
        /// Set once moved: the new booking.
        package var newestID: String?

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
    package struct Delivery: Sendable, Codable, Equatable {
        package var name: String
        /// The partner's status; nil when no answer came.
        package var status: Int?
        package var error: String?
        package var blocking: Bool
        package var redelivery: Bool
        /// `error_code` of a refusal (a 4xx with `Content-Type: application/json`), as the JSON
        /// value it was: Docplanner's dictionary codes are numbers.
        package var errorCode: JSONValue?
        package var at: String

        enum CodingKeys: String, CodingKey {
            case name, status, error, blocking, redelivery, at
            case errorCode = "error_code"
        }
    }

    /// A failed push waiting for its next automatic re-send (after 1, 5 and 15 minutes).
    package struct Redelivery: Sendable, Codable, Equatable {
        package var name: String
        /// Re-sends made so far (0 to 2).
        package var resent: Int
        /// When the next re-send is due.
        package var dueAt: String

        package init(name: String, resent: Int, dueAt: String) {
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
    package struct Pings: Sendable, Codable, Equatable {
        package var sent: Int
        package var failed: Int
        package var consecutiveFailures: Int
        /// The longest run of failed pings in a row since the start.
        package var mostConsecutiveFailures: Int
        /// True after `threshold` failures in a row, until a ping succeeds.
        package var alert: Bool
        /// How many alerts were raised.
        package var alerts: Int
        package var lastStatus: Int?
        package var lastError: String?

        enum CodingKeys: String, CodingKey {
            case sent, failed, alert, alerts
            case consecutiveFailures = "consecutive_failures"
            case mostConsecutiveFailures = "most_consecutive_failures"
            case lastStatus = "last_status"
            case lastError = "last_error"
        }
    }

    /// One API request answered.
    package struct Request: Sendable, Codable, Equatable {
        package var method: String
        package var path: String
        /// 0 for a dropped connection.
        package var status: Int
        /// Seconds since 1970 on the simulator's clock.
        package var at: Double
        package var fault: String?
    }

    /// One rate-limit budget.
    package struct Budget: Sendable, Codable, Equatable {
        package var client: String
        /// `read` or `write`.
        package var kind: String
        package var used: Int
        package var limit: Int
        package var resetsAt: String

        enum CodingKeys: String, CodingKey {
            case client, kind, used, limit
            case resetsAt = "resets_at"
        }
    }

    package var now: String
    package var mode: String
    package var callbackURL: String?
    package var bookings: [BookingState]
    /// Calendar status per address id (`enabled`, `disabled` or `missing`).
    package var calendars: [String: String]
    /// Bookable units (free or not) per address id.
    package var slotUnits: [String: Int]
    package var breaks: Int
    package var addressServices: Int
    package var tokensIssued: Int
    package var pings: Pings?
    package var deliveries: [Delivery]
    package var pullQueue: Int
    /// Pushes not delivered yet: waiting for a re-send or for a release.
    package var failedPushes: Int
    /// Pushes waiting for their next automatic re-send.
    package var redeliveries: [Redelivery]
    package var releases: Int
    package var requestsTotal: Int
    /// API requests other than GET and HEAD since the start.
    package var writesTotal: Int
    /// The latest API requests, oldest first.
    package var requests: [Request]
    package var rateLimits: [Budget]
    /// API requests refused with 429 because their client's budget was spent (not the
    /// 429s a fault plan injects): a client that keeps Docplanner's budget has none.
    package var rateLimited: Int
    package var faults: SimulatorFaults
    package var faultsInjected: Int

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
        case rateLimited = "rate_limited"
        case faultsInjected = "faults_injected"
    }

    /// The booking with `id`.
    package func booking(_ id: String) -> BookingState? { bookings.first { $0.id == id } }
}

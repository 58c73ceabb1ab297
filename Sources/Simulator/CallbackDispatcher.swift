import Curl
import DocplannerAPI
import Foundation
import Logging
import Synchronization

/// Sends to the integration's callback URL with libcurl: notifications (POST, JSON) and
/// pings (GET). Keeps a log of the latest deliveries.
final class CallbackDispatcher: Sendable {
    /// What came of one POST or ping.
    struct Outcome: Sendable {
        var status: Int?
        var body: Data
        var error: String?
        /// The answer's `Content-Type`.
        var contentType: String? = nil

        /// 2xx: only that approves a blocking event or delivers a push ("anything except 2xx
        /// HTTP Status Codes will not allow booking", integrations-api.yml `slot-booking`).
        var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
        /// Docplanner's liveness rule: any answer but 5xx.
        var alive: Bool { status.map { $0 < 500 } ?? false }

        /// `error_code` of a refusal, as the JSON value it was. The guide's custom error
        /// messages: "a 4xx answer with `Content-Type: application/json` and a body carrying an
        /// `error_code` from Docplanner's dictionary" (API-DIGEST.md, a number there); any
        /// other answer carries none.
        var errorCode: JSONValue? {
            guard let status, (400..<500).contains(status), let contentType,
                contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
                    == "application/json",
                let object = try? JSONDecoder().decode([String: JSONValue].self, from: body)
            else { return nil }
            return object["error_code"]
        }
    }

    /// One entry of the delivery log.
    struct Record: Sendable {
        var name: String
        var status: Int?
        var error: String?
        var blocking: Bool
        var redelivery: Bool
        var at: Double
        var errorCode: JSONValue?
    }

    let url: String
    private let headers: [(name: String, value: String)]
    private let http: CurlClient
    private let logger: Logger
    private let log = Mutex<[Record]>([])

    init(url: String, headers: [(name: String, value: String)], timeout: Duration, logger: Logger) {
        self.url = url
        self.headers = headers
        self.logger = logger
        http = CurlClient(
            configuration: .init(
                connectTimeout: .seconds(5), timeout: timeout, maxIdleHandles: 4, userAgent: "Docplanner-Simulator"))
    }

    /// POSTs `body` (a notification) and logs the outcome. Blocks the calling thread.
    func post(
        _ body: Data, name: String, blocking: Bool, redelivery: Bool = false, timeout: Duration? = nil, now: Double
    ) -> Outcome {
        var requestHeaders: CurlHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
        for header in headers { requestHeaders.add(header.name, header.value) }
        let outcome = perform(
            CurlRequest(method: .post, url: url, headers: requestHeaders, body: body, timeout: timeout))
        let record = Record(
            name: name, status: outcome.status, error: outcome.error, blocking: blocking, redelivery: redelivery,
            at: now,
            errorCode: outcome.errorCode)
        log.withLock {
            $0.append(record)
            if $0.count > 500 { $0.removeFirst($0.count - 500) }
        }
        var metadata: Logger.Metadata = ["event": "\(name)", "url": "\(url)", "blocking": "\(blocking)"]
        if let status = outcome.status { metadata["status"] = "\(status)" }
        if let error = outcome.error { metadata["error"] = "\(error)" }
        if outcome.succeeded {
            logger.info("callback delivered", metadata: metadata)
        } else {
            logger.warning("callback not accepted", metadata: metadata)
        }
        return outcome
    }

    /// Pings the callback URL (GET, no body).
    func ping() -> Outcome {
        var requestHeaders: CurlHeaders = [:]
        for header in headers { requestHeaders.add(header.name, header.value) }
        return perform(CurlRequest(method: .get, url: url, headers: requestHeaders))
    }

    /// The latest deliveries, oldest first.
    var records: [Record] { log.withLock { $0 } }

    private func perform(_ request: CurlRequest) -> Outcome {
        do {
            let response = try http.perform(request)
            return Outcome(
                status: response.status, body: response.body, error: nil, contentType: response.headers["Content-Type"])
        } catch {
            return Outcome(status: nil, body: Data(), error: "\(error)")
        }
    }
}

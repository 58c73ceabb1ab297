import Curl
import Foundation

/// Sends each Docplanner event to the partner's endpoint as a signed JSON POST and maps
/// the answer: 2xx is applied; 409 is "already applied", also a success; 408, 429, 5xx
/// and transport failures (refused, timed out, broken) are `unavailable` (retried with
/// backoff); any other status is `rejected` with the partner's message (a dead letter).
package struct PartnerForwarder: Sendable {
    package let url: String
    let signer: WebhookSigner
    let timeout: Duration
    let client: CurlClient
    let now: @Sendable () -> Date
    let observer: (@Sendable (Attempt) -> Void)?

    /// One POST to the partner endpoint, as the observer sees it (for metrics).
    package struct Attempt: Sendable, Equatable {
        /// The partner's HTTP status; nil when no answer arrived (refused, timed out, broken).
        package var status: Int?
        package var duration: Duration
    }

    /// `observer` hears of every POST sent, on the calling thread.
    package init(
        url: String, secret: String, timeoutSeconds: Int, client: CurlClient = CurlClient(),
        now: @escaping @Sendable () -> Date = { Date() }, observer: (@Sendable (Attempt) -> Void)? = nil
    ) {
        self.url = url
        signer = WebhookSigner(secret: secret)
        timeout = .seconds(timeoutSeconds)
        self.client = client
        self.now = now
        self.observer = observer
    }

    package func forward(_ event: PartnerEvent) throws(PartnerError) {
        let body = event.jsonBody()
        var headers: CurlHeaders = ["Content-Type": "application/json"]
        for (name, value) in signer.headers(id: event.eventKey, timestamp: Int(now().timeIntervalSince1970), body: body)
        {
            headers.add(name, value)
        }
        let response: CurlResponse
        let started = ContinuousClock.now
        do {
            response = try client.perform(
                CurlRequest(
                    method: .post, url: url, headers: headers, body: body,
                    connectTimeout: min(timeout, .seconds(10)), timeout: timeout))
        } catch {
            observer?(Attempt(status: nil, duration: ContinuousClock.now - started))
            throw .unavailable("partner endpoint: \(error)")
        }
        observer?(Attempt(status: response.status, duration: ContinuousClock.now - started))
        if let failure = Self.outcome(status: response.status, body: response.body) { throw failure }
    }

    /// nil when the partner took the event (2xx, or 409: it had it already); else the error.
    package static func outcome(status: Int, body: Data) -> PartnerError? {
        switch status {
        case 200..<300, 409:
            return nil
        case 408, 429, 500..<600:
            return .unavailable("partner endpoint answered \(status)\(message(body).map { ": \($0)" } ?? "")")
        case 400..<500:
            return .rejected("partner endpoint refused the event (\(status))\(message(body).map { ": \($0)" } ?? "")")
        default:
            // 1xx/3xx: a misconfigured URL or proxy; retrying keeps the event until it is fixed.
            return .unavailable("partner endpoint answered \(status)")
        }
    }

    /// The partner's explanation: `error` or `message` of a JSON object, else the body's
    /// text, cut to 300 characters; nil when empty.
    static func message(_ body: Data) -> String? {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            for key in ["error", "message", "detail", "title"] {
                if let text = object[key] as? String, !text.isEmpty { return String(text.prefix(300)) }
            }
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : String(text.prefix(300))
    }
}

import Curl
import Foundation

/// Reads when a rate-limited request may be tried again.
enum RetryAfter {
    /// Seconds to wait according to `Retry-After` (seconds or an HTTP date) or, failing that,
    /// `X-RateLimit-Reset` (ISO 8601); nil when neither says.
    static func seconds(in headers: CurlHeaders, now: Double) -> Double? {
        if let value = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(value), seconds >= 0 { return seconds }
            if let date = httpDate(value) { return max(0, date.timeIntervalSince1970 - now) }
        }
        if let reset = resetTime(in: headers) { return max(0, reset - now) }
        return nil
    }

    /// `X-RateLimit-Reset` as seconds since 1970.
    static func resetTime(in headers: CurlHeaders) -> Double? {
        guard let value = headers["X-RateLimit-Reset"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let date = DocplannerDateTime.parse(value) { return date.timeIntervalSince1970 }
        return nil
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// The HTTP request methods the client sends.
package enum CurlMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"

    /// Whether the method changes state on the server (PUT/POST/PATCH/DELETE).
    package var isWrite: Bool {
        switch self {
        case .get, .head: false
        case .post, .put, .patch, .delete: true
        }
    }
}

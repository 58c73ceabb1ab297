/// The HTTP request methods the client sends.
public enum CurlMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"

    /// Whether the method changes state on the server (PUT/POST/PATCH/DELETE).
    public var isWrite: Bool {
        switch self {
        case .get, .head: false
        case .post, .put, .patch, .delete: true
        }
    }
}

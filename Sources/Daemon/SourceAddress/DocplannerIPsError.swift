import Curl

/// Why Docplanner's address list could not be fetched, read or kept.
enum DocplannerIPsError: Error, Sendable, CustomStringConvertible {
    case transport(CurlError)
    /// Docplanner answered, but not 200.
    case status(Int, url: String)
    case list(DocplannerIPListError)
    /// The copy beside the store could not be read or written.
    case file(path: String, reason: String)

    var description: String {
        switch self {
        case .transport(let error): "\(error)"
        case .status(let status, let url): "\(url) answered \(status)"
        case .list(let error): "unusable address list: \(error)"
        case .file(let path, let reason): "\(path): \(reason)"
        }
    }
}

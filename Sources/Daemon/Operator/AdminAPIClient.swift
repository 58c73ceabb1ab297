import Curl
import Foundation

/// The operator commands' client of a running daemon's admin listener (TCP or Unix
/// socket), through libcurl. Every request names the tenant and carries the admin
/// token when one is configured; the daemon's refusals come back as their one line.
final class AdminAPIClient: Sendable {
    private let target: OperatorTarget
    private let http = CurlClient(
        configuration: .init(
            connectTimeout: .seconds(2), timeout: .seconds(60), maxIdleHandles: 1, userAgent: "dpbridge-cli"))

    init(target: OperatorTarget) {
        self.target = target
    }

    /// Nil when the admin listener answers (any HTTP status), else why not.
    func probe() -> String? {
        do {
            _ = try http.perform(request(.get, "/health", [], body: nil, timeout: .seconds(3)))
            return nil
        } catch {
            return Self.reason(error)
        }
    }

    func get<T: Decodable>(_ type: T.Type, _ path: String, _ parameters: [(String, String)] = [])
        throws(OperatorError) -> T
    {
        try send(type, request(.get, path, parameters, body: nil))
    }

    func post<T: Decodable>(
        _ type: T.Type, _ path: String, _ parameters: [(String, String)] = [], body: (some Encodable)?
    )
        throws(OperatorError) -> T
    {
        try send(type, request(.post, path, parameters, body: body.map { OperatorJSON.encode($0) }))
    }

    private func request(
        _ method: CurlMethod, _ path: String, _ parameters: [(String, String)], body: Data?, timeout: Duration? = nil
    ) -> CurlRequest {
        let query = QueryParameters.encode([("tenant", target.tenant)] + parameters)
        var headers: CurlHeaders = ["Accept": "application/json"]
        if let token = target.adminToken { headers.add("Authorization", "Bearer \(token)") }
        if body != nil { headers.add("Content-Type", "application/json") }
        var socket: String?
        if case .unixSocket(let path) = target.admin { socket = path }
        return CurlRequest(
            method: method, url: target.admin.baseURL + path + "?" + query, headers: headers, body: body,
            timeout: timeout, unixSocketPath: socket, bypassProxy: true)
    }

    private func send<T: Decodable>(_ type: T.Type, _ request: CurlRequest) throws(OperatorError) -> T {
        let response: CurlResponse
        do {
            response = try http.perform(request)
        } catch {
            throw .daemonUnreachable(lockPath: target.lockPath, admin: "\(target.admin)", reason: Self.reason(error))
        }
        let path =
            request.url.split(separator: "?").first.map { String($0.dropFirst(target.admin.baseURL.count)) } ?? ""
        guard (200..<300).contains(response.status) else {
            let message =
                (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["error"] as? String
            switch (response.status, message) {
            case (401, _):
                throw .daemonRefused(
                    status: 401,
                    message: "the admin listener refused the token: give the daemon's listen.admin.token "
                        + "(in the configuration file or DPBRIDGE_LISTEN_ADMIN_TOKEN)")
            case (_, let message?):
                throw .daemonRefused(status: response.status, message: message)
            default:
                throw .daemonRefused(
                    status: response.status,
                    message:
                        "the admin listener answered HTTP \(response.status) to \(path) (is the daemon an older dpbridge?)"
                )
            }
        }
        do {
            return try OperatorJSON.decode(type, from: response.body)
        } catch {
            throw .daemonRefused(
                status: response.status, message: "the admin listener's answer to \(path) could not be read: \(error)")
        }
    }

    private static func reason(_ error: CurlError) -> String {
        switch error {
        case .couldNotConnect(_, let message), .timedOut(_, let message), .connectionLost(_, let message),
            .couldNotResolve(_, let message):
            message
        default:
            "\(error)"
        }
    }
}

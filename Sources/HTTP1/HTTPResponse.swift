/// A response for a handler to send. `Content-Length`, `Date` and `Connection` are set
/// by the server.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders {
        get { parts.headers }
        set { parts = Parts(headers: newValue, body: parts.body) }
    }
    package var body: [UInt8] {
        get { parts.body }
        set { parts = Parts(headers: parts.headers, headerLines: parts.headerLines, body: newValue) }
    }
    /// `headers` as they go on the wire, with the empty line after them, encoded when
    /// they are set: a response made once and sent many times (a ping's answer) is not
    /// encoded again for each request.
    var headerLines: [UInt8] { parts.headerLines }

    /// The fields, their encoding and the body, in one object that copies of a response
    /// share: the event loop moves each answer into its connection's queue and out to the
    /// socket, and a response of three arrays cost three retains and releases at each
    /// step, on every request. Immutable: a change makes new parts.
    private final class Parts: Sendable {
        let headers: HTTPHeaders
        let headerLines: [UInt8]
        let body: [UInt8]

        init(headers: HTTPHeaders, headerLines: [UInt8]? = nil, body: [UInt8]) {
            self.headers = headers
            self.headerLines = headerLines ?? ResponseWriter.headerLines(headers)
            self.body = body
        }
    }

    private var parts: Parts

    package init(status: Int, headers: HTTPHeaders = [], body: [UInt8] = []) {
        self.status = status
        parts = Parts(headers: headers, body: body)
    }

    /// A `text/plain` response.
    package init(status: Int, text: String) {
        self.init(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    /// Standard reason phrases for the status codes dpbridge sends.
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}

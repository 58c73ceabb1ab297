/// A response for a handler to send. `Content-Length`, `Date` and `Connection` are set
/// by the server.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders {
        didSet { headerLines = ResponseWriter.headerLines(headers) }
    }
    package var body: [UInt8]
    /// `headers` as they go on the wire, with the empty line after them, encoded when
    /// they are set: a response made once and sent many times (a ping's answer) is not
    /// encoded again for each request.
    private(set) var headerLines: [UInt8]

    package init(status: Int, headers: HTTPHeaders = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        headerLines = ResponseWriter.headerLines(headers)
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

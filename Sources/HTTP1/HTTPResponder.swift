/// Sends the response to one request, exactly once, from any thread. Responses on a
/// connection go out in request order whatever order handlers answer in.
///
/// A small value (copies answer the same request): the event loop keeps, per request,
/// whether it was answered, so no object is allocated for each request.
package struct HTTPResponder: Sendable {
    private let loop: EventLoop
    private let connectionID: UInt64
    private let sequence: Int

    init(loop: EventLoop, connectionID: UInt64, sequence: Int) {
        self.loop = loop
        self.connectionID = connectionID
        self.sequence = sequence
    }

    /// Sends `response`. Later calls (through any copy) are ignored. If the client has
    /// gone, nothing is sent.
    package func respond(_ response: HTTPResponse) {
        loop.deliver(connectionID: connectionID, sequence: sequence, response: response)
    }

    /// Closes the connection without answering (responses to earlier pipelined requests
    /// not yet written are lost too), as a peer that crashed would. Ignored after an
    /// answer; `respond` afterwards is ignored. For simulating broken servers in tests.
    package func abort() {
        loop.deliver(connectionID: connectionID, sequence: sequence, response: nil)
    }
}

import Synchronization

/// Sends the response to one request, exactly once, from any thread. Responses on a
/// connection go out in request order whatever order handlers answer in.
public final class HTTPResponder: Sendable {
    // Strong: a responder kept by a slow handler keeps its loop object alive (not its
    // connection); weak references cost an atomic side-table access per response.
    private let loop: EventLoop
    private let connectionID: UInt64
    private let sequence: Int
    private let answered = Atomic<Bool>(false)

    init(loop: EventLoop, connectionID: UInt64, sequence: Int) {
        self.loop = loop
        self.connectionID = connectionID
        self.sequence = sequence
    }

    /// Sends `response`. Later calls are ignored. If the client has gone, nothing is sent.
    public func respond(_ response: HTTPResponse) {
        guard answered.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        loop.deliver(connectionID: connectionID, sequence: sequence, response: response)
    }

    /// Closes the connection without answering (responses to earlier pipelined requests
    /// not yet written are lost too), as a peer that crashed would. Later calls, and
    /// `respond` afterwards, are ignored. For simulating broken servers in tests.
    public func abort() {
        guard answered.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return
        }
        loop.deliver(connectionID: connectionID, sequence: sequence, response: nil)
    }

    /// True once `respond` or `abort` has been called.
    public var hasResponded: Bool { answered.load(ordering: .acquiring) }
}

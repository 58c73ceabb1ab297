import Glibc

/// One client connection's state. Owned and touched only by its event loop's thread.
final class Connection {
    let id: UInt64
    let fd: Int32
    let remoteAddress: String
    var parser: RequestParser

    /// Sequence number of the next request handed to a handler.
    var nextSequence = 0
    /// Sequence number of the next response to write (responses go out in request order).
    var nextToWrite = 0
    /// One slot per request handed out and not yet written, oldest first
    /// (index 0 is sequence `nextToWrite`); filled when its response arrives.
    var slots: [Slot] = []
    /// True while the loop is parsing this connection's input (responses then wait
    /// for the end of the batch and go out in one write).
    var isParsing = false

    struct Slot {
        var keepAlive: Bool
        var isHead: Bool
        var version: (major: Int, minor: Int)
        var response: HTTPResponse?
        /// Set by the first answer (or abort), so later ones are ignored.
        var answered = false
    }
    /// Bytes of answers waiting in `slots` for an earlier one.
    var queuedBytes = 0
    /// Bytes to send, and how many were sent.
    var output: [UInt8] = []
    var outputOffset = 0
    /// Stop reading and close once the response with this sequence is written.
    var closeAfterSequence: Int?
    /// Reading stopped (a parse error, `Connection: close`, or draining).
    var readingStopped = false
    /// The epoll interest registered for this socket.
    var wantsRead = true
    var wantsWrite = false
    /// The client closed its side (EOF read): nothing more will arrive.
    var peerClosed = false
    /// When our side was shut down to close gracefully (lingering), in ms.
    var lingeringSince: Int64?
    /// Bytes read and thrown away since reading stopped.
    var discardedBytes = 0
    /// Set when the loop closed the socket; the object may still be referenced briefly.
    var isClosed = false

    /// When the current request head began (or the connection became idle), in ms.
    var phaseStartedAt: Int64
    var lastReadAt: Int64
    /// When the body now arriving began (its head was parsed), for the body deadline.
    var bodyStartedAt: Int64?
    var lastWriteProgressAt: Int64

    init(id: UInt64, fd: Int32, remoteAddress: String, limits: RequestParser.Limits, now: Int64) {
        self.id = id
        self.fd = fd
        self.remoteAddress = remoteAddress
        parser = RequestParser(limits: limits)
        phaseStartedAt = now
        lastReadAt = now
        lastWriteProgressAt = now
    }

    /// Requests handed to handlers whose responses are not yet written.
    var inFlight: Int { nextSequence - nextToWrite }
    var hasOutput: Bool { outputOffset < output.count }
    /// Answers not yet sent: unwritten bytes and answers waiting for an earlier one.
    var unsentBytes: Int { output.count - outputOffset + queuedBytes }
    var isIdle: Bool { inFlight == 0 && !hasOutput && !parser.hasPartialRequest }
}

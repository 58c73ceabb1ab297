/// One client connection as the event loop holds it: the socket, and the state machine
/// that decides what to do with it. Owned and touched only by its event loop's thread.
final class Connection {
    let id: UInt64
    let fd: Int32
    let remoteAddress: String
    var machine: ConnectionStateMachine
    /// When the machine wants its next `tick` (ms, monotonic); nil: no timer.
    var timer: Int64?
    /// True while the loop performs this connection's actions: an answer given meanwhile
    /// on the loop's thread is picked up by that run rather than starting another.
    var isRunning = false
    /// Set when the loop closed the socket; the object may still be referenced briefly.
    var isClosed = false

    init(id: UInt64, fd: Int32, remoteAddress: String, machine: ConnectionStateMachine) {
        self.id = id
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.machine = machine
    }
}

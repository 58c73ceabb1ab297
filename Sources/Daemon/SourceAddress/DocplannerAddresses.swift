import Foundation
import Synchronization

/// The last good list of the addresses Docplanner calls from: written by the
/// `DocplannerIPsRefresher`, read by the callback endpoint on every request.
final class DocplannerAddresses: Sendable {
    struct Snapshot: Sendable, Equatable {
        var blocks: [CIDRBlock]
        /// When Docplanner published it to us.
        var fetchedAt: Date
    }

    private let current = Mutex<Snapshot?>(nil)

    init() {}

    /// The list, or nil while none could be loaded.
    var snapshot: Snapshot? { current.withLock { $0 } }

    func replace(with snapshot: Snapshot) { current.withLock { $0 = snapshot } }
}

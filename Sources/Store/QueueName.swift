/// The two queues of a store.
package enum QueueName: String, Sendable, Hashable, Codable, CaseIterable {
    /// Events from Docplanner, to apply to the partner system.
    case inbox
    /// Changes from the partner system, to send to Docplanner.
    case outbox
}

/// The answer of `GET /notifications/multiple`: some notifications and how many remain.
package struct NotificationBatch: Codable, Sendable, Equatable, JSONObjectDecodable {
    package var notifications: [DocplannerNotification]
    package var remaining: Int?

    package init(notifications: [DocplannerNotification] = [], remaining: Int? = nil) {
        self.notifications = notifications
        self.remaining = remaining
    }

    enum CodingKeys: String, CodingKey {
        case notifications, remaining
    }

    package init(from decoder: any Decoder) throws { try self.init(decoding: decoder) }

    init(fields container: JSONFields<CodingKeys>) {
        notifications = container.lenientArray(.notifications) ?? []
        remaining = container.lenientInt(.remaining)
    }
}

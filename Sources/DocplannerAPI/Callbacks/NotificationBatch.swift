/// The answer of `GET /notifications/multiple`: some notifications and how many remain.
public struct NotificationBatch: Codable, Sendable, Equatable {
    public var notifications: [DocplannerNotification]
    public var remaining: Int?

    public init(notifications: [DocplannerNotification] = [], remaining: Int? = nil) {
        self.notifications = notifications
        self.remaining = remaining
    }

    enum CodingKeys: String, CodingKey {
        case notifications, remaining
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        notifications = container.lenientArray(.notifications) ?? []
        remaining = container.lenientInt(.remaining)
    }
}

import Logging

/// What the log handlers share: the metadata of one event, and how values print.
enum LogFields {
    /// The handler's metadata, then the provider's, then the event's own (later wins).
    static func merged(
        _ handler: Logger.Metadata, _ provider: Logger.MetadataProvider?, _ event: Logger.Metadata?
    ) -> Logger.Metadata {
        var fields = handler
        if let provided = provider?.get() { fields.merge(provided) { $1 } }
        if let event { fields.merge(event) { $1 } }
        return fields
    }

    /// A metadata value as text: lists as `[a,b]`, dictionaries as `{k:v}` with sorted keys.
    static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let item): item.description
        case .array(let items): "[" + items.map(render).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.keys.sorted().map { "\($0):\(render(entries[$0]!))" }.joined(separator: ",") + "}"
        }
    }
}

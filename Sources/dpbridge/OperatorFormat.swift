import Foundation

/// How the operator commands write times, durations and tables for people.
enum OperatorFormat {
    /// `2026-03-02 09:12:44` in the local time zone.
    static func time(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// `45s`, `4m 10s`, `2h 03m`, `3d 4h`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        let (days, hours, minutes, rest) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(String(format: "%02d", minutes))m" }
        if minutes > 0 { return "\(minutes)m \(String(format: "%02d", rest))s" }
        return "\(rest)s"
    }

    /// Rows padded into aligned columns (two spaces apart; the last column as it is).
    static func table(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() where index < row.count - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index < row.count - 1 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// `text` cut to `limit` characters on one line.
    static func short(_ text: String?, _ limit: Int = 70) -> String {
        guard let text, !text.isEmpty else { return "-" }
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }

    /// A JSON payload indented, anything else as it is.
    static func payload(_ text: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return text }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// What `--all` without `--yes` would take: `pending, retrying and dead, in both queues`.
    static func scope(_ queue: String?, _ states: [String]) -> String {
        let which = states.isEmpty ? "pending, retrying and dead" : states.joined(separator: ", ")
        return "\(which), in \(queue.map { "the \($0)" } ?? "both queues")"
    }
}

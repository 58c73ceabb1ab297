import Foundation

/// The copy of Docplanner's address list kept next to the store, so that a restart while
/// Docplanner cannot be reached still has it: the published shape plus where and when it
/// was fetched, `{"API": […], "fetched_at": "…", "source": "<url>"}`.
struct DocplannerIPsFile: Sendable {
    struct Contents: Sendable, Equatable {
        var blocks: [CIDRBlock]
        var fetchedAt: Date
        /// The URL it came from; a copy from another marketplace is not used.
        var source: String
    }

    let path: String

    /// `docplanner-ips.json` in the directory of the store at `storePath`.
    init(besideStore storePath: String) {
        let directory = (storePath as NSString).deletingLastPathComponent
        path = (directory.isEmpty ? "." : directory) + "/docplanner-ips.json"
    }

    init(path: String) { self.path = path }

    /// The kept copy; nil when there is none.
    func load() throws(DocplannerIPsError) -> Contents? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let object = try DocplannerIPList.jsonObject(try Data(contentsOf: URL(fileURLWithPath: path)))
            let list = try DocplannerIPList(object: object)
            let fetchedAt = (object["fetched_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) }
            return Contents(
                blocks: list.blocks, fetchedAt: fetchedAt ?? .distantPast, source: object["source"] as? String ?? "")
        } catch {
            throw .file(path: path, reason: "\(error)")
        }
    }

    /// Replaces the kept copy (written to a temporary file, then renamed over it).
    func save(_ contents: Contents) throws(DocplannerIPsError) {
        let object: [String: Any] = [
            "API": contents.blocks.map(\.description),
            "fetched_at": contents.fetchedAt.formatted(.iso8601),
            "source": contents.source,
        ]
        do {
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .file(path: path, reason: "\(error)")
        }
    }
}

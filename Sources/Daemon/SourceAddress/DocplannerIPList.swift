import Foundation

/// The addresses Docplanner calls from, as published at
/// `https://www.<domain>/public/docs/public-ips.json`: `{"API": ["10.0.1.2", …]}`. Read
/// leniently, since the document's own example ends the list with a comma.
struct DocplannerIPList: Sendable, Equatable {
    var blocks: [CIDRBlock]
    /// Entries that are neither an address nor a block, left out.
    var skipped: [String]

    /// Reads the published document (or the copy dpbridge keeps of it).
    init(json data: Data) throws(DocplannerIPListError) {
        try self.init(object: Self.jsonObject(data))
    }

    /// Reads the `API` list of an already parsed document (the key matched in any case).
    init(object: [String: Any]) throws(DocplannerIPListError) {
        let value = object["API"] ?? object.first { $0.key.uppercased() == "API" }?.value
        guard let entries = value as? [Any] else { throw .noList }
        var blocks: [CIDRBlock] = []
        var skipped: [String] = []
        for entry in entries {
            if let text = entry as? String, let block = try? CIDRBlock(text) {
                blocks.append(block)
            } else {
                skipped.append(String("\(entry)".prefix(64)))
            }
        }
        guard !blocks.isEmpty else { throw .noUsableAddress(skipped: skipped) }
        self.blocks = blocks
        self.skipped = skipped
    }

    /// `data` as a JSON object, after dropping trailing commas.
    static func jsonObject(_ data: Data) throws(DocplannerIPListError) -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(removingTrailingCommas(data)))
        } catch {
            throw .notJSON(String(String(decoding: data.prefix(80), as: UTF8.self)))
        }
        guard let object = value as? [String: Any] else {
            throw .notJSON(String(decoding: data.prefix(80), as: UTF8.self))
        }
        return object
    }

    /// The JSON text without any comma that, outside a string, is followed (after
    /// whitespace) by `]` or `}`.
    static func removingTrailingCommas(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        var pendingComma: Int?  // index in `output` of a comma that may be trailing
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                output.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let comma = pendingComma { output.remove(at: comma) }
                pendingComma = nil
            case UInt8(ascii: ","):
                pendingComma = output.count
            default:
                pendingComma = nil
                if byte == UInt8(ascii: "\"") { inString = true }
            }
            output.append(byte)
        }
        return output
    }
}

/// Why a list of Docplanner's addresses could not be read.
enum DocplannerIPListError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a JSON object (its beginning is kept).
    case notJSON(String)
    /// The object has no `API` list.
    case noList
    /// The list holds no address dpbridge can use.
    case noUsableAddress(skipped: [String])

    var description: String {
        switch self {
        case .notJSON(let start): "not a JSON object: \(start.debugDescription)"
        case .noList: "no \"API\" list in the JSON object"
        case .noUsableAddress(let skipped):
            skipped.isEmpty
                ? "the \"API\" list is empty"
                : "the \"API\" list holds no address: \(skipped.prefix(5).joined(separator: ", "))"
        }
    }
}

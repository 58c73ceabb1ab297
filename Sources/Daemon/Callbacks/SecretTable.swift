import HTTP1

/// Finds the value whose secret a request presents, reading the presented bytes in place.
/// A few secrets are each compared in constant time, all of them whichever matches
/// (cheaper than hashing); more are looked up by a hash of the presented bytes first
/// (Swift's hashing is seeded per process, so the lookup's time says nothing of how much
/// of a guess matched) and confirmed with a constant-time compare. The first value given
/// for a secret keeps it.
struct SecretTable<Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let secret: [UInt8]
        let value: Value
    }

    /// Up to this many secrets are compared one by one.
    static var fewSecrets: Int { 4 }

    /// Every entry when there are few, compared one by one; else empty, and `byHash` holds them.
    private let few: [Entry]
    private let byHash: [Int: [Entry]]

    init(_ pairs: [(secret: String, value: Value)]) {
        var entries: [Entry] = []
        var table: [Int: [Entry]] = [:]
        for (secret, value) in pairs {
            let bytes = Array(secret.utf8)
            let hash = bytes.withUnsafeBufferPointer { Self.hash($0) }
            if table[hash]?.contains(where: { $0.secret == bytes }) == true { continue }
            let entry = Entry(secret: bytes, value: value)
            table[hash, default: []].append(entry)
            entries.append(entry)
        }
        few = entries.count <= Self.fewSecrets ? entries : []
        byHash = few.isEmpty ? table : [:]
    }

    /// The value whose secret is exactly `presented`, or nil.
    func value(for presented: UnsafeBufferPointer<UInt8>) -> Value? {
        // Entries read in place (`few[index]`): a copied entry is a retain and a release
        // of its secret and its value, for each secret, on every request.
        if !few.isEmpty {
            var found: Int?
            for index in few.indices
            where few[index].secret.withUnsafeBufferPointer({ ConstantTime.equal($0, presented) }) {
                found = index
            }
            return found.map { few[$0].value }
        }
        guard let candidates = byHash[Self.hash(presented)] else { return nil }
        for entry in candidates where entry.secret.withUnsafeBufferPointer({ ConstantTime.equal($0, presented) }) {
            return entry.value
        }
        return nil
    }

    /// The same, for a string (tests and callers that have one).
    func value(for presented: String) -> Value? {
        var presented = presented
        return presented.withUTF8 { value(for: $0) }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return hasher.finalize()
    }
}

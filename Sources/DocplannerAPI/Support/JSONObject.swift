/// The members of a JSON object, kept in the order they were read and looked up by
/// comparing names one after another. A callback's objects have a few to a few dozen
/// members, read once or twice each: comparing short names costs less than hashing every
/// name into a dictionary (the dictionaries were ~6% of the daemon's CPU at 1,000
/// callbacks a second).
///
/// A name may occur more than once in text; as in `JSONSerialization`, the last one counts:
/// lookups search from the end, and iteration, `count`, equality and encoding see each name
/// once, with its last value.
package struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    package typealias Element = (key: String, value: JSONValue)

    /// As read or set, duplicates of a name included until `unique` drops them.
    private var members: [Element]
    /// Whether `members` may hold a name twice (only text read with one does).
    private var mayRepeat: Bool

    package init() {
        members = []
        mayRepeat = false
    }

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }

    /// The members of `dictionary`, in its (unspecified) order.
    package init(_ dictionary: [String: JSONValue]) {
        members = dictionary.map { (key: $0.key, value: $0.value) }
        mayRepeat = false
    }

    /// An object of members read from text in this order, names possibly repeated: no
    /// search while reading (a hostile text's thousands of members cost no more than their
    /// reading).
    init(read: [Element]) {
        members = read
        mayRepeat = read.count > 1
    }

    /// The value of the member `key`, nil when there is none. Setting nil removes it.
    package subscript(key: String) -> JSONValue? {
        get {
            // Names of another length are passed over without comparing their text.
            let length = key.utf8.count
            var index = members.endIndex
            while index > members.startIndex {
                index -= 1
                let name = members[index].key
                if name.utf8.count == length && name == key { return members[index].value }
            }
            return nil
        }
        set {
            if mayRepeat { members = unique }
            mayRepeat = false
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key: key, value: newValue))
            }
        }
    }

    /// Each name once, with its last value, in the order of the names' last occurrences.
    private var unique: [Element] {
        guard mayRepeat else { return members }
        var seen = Set<String>()
        var kept: [Element] = []
        for member in members.reversed() where seen.insert(member.key).inserted { kept.append(member) }
        return kept.reversed()
    }

    package var count: Int { unique.count }
    package var isEmpty: Bool { members.isEmpty }
    package var keys: [String] { unique.map(\.key) }

    package func makeIterator() -> IndexingIterator<[Element]> { unique.makeIterator() }

    /// The members as a dictionary.
    package var dictionary: [String: JSONValue] {
        Dictionary(members, uniquingKeysWith: { _, last in last })
    }

    /// Equal when they have the same names with equal values, in whatever order.
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.dictionary == rhs.dictionary }

    package func hash(into hasher: inout Hasher) { hasher.combine(dictionary) }
}

extension JSONObject: Codable {
    package init(from decoder: any Decoder) throws {
        self.init(try [String: JSONValue](from: decoder))
    }

    package func encode(to encoder: any Encoder) throws { try dictionary.encode(to: encoder) }
}

extension JSONObject: CustomStringConvertible {
    package var description: String { dictionary.description }
}

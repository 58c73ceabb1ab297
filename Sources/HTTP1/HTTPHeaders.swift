/// Header fields in the order received, with case-insensitive lookup by name.
package struct HTTPHeaders: Sendable, Sequence, ExpressibleByArrayLiteral {
    package private(set) var fields: [(name: String, value: String)]

    package init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }
    init(reservingCapacity capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    package init(arrayLiteral elements: (String, String)...) { fields = elements.map { (name: $0.0, value: $0.1) } }

    /// The first value of `name` (case-insensitive), if present.
    package subscript(name: String) -> String? {
        for field in fields where Self.equalsIgnoringCase(field.name, name) { return field.value }
        return nil
    }

    /// Every value of `name`, in order.
    package func values(_ name: String) -> [String] {
        fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    package mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    package mutating func remove(_ name: String) { fields.removeAll { Self.equalsIgnoringCase($0.name, name) } }

    package var count: Int { fields.count }

    package func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    /// ASCII case-insensitive equality of two field names. Read through the UTF-8 views,
    /// not copies of the strings: a copy to read in place costs a retain and a release of
    /// each, and framing compares a few names on every request. The parser spells most
    /// names as they are usually sent, so equal names are mostly equal strings.
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8
        let y = b.utf8
        guard x.count == y.count else { return false }
        if a == b { return true }
        var i = x.startIndex
        var j = y.startIndex
        while i != x.endIndex {
            let p = x[i]
            let q = y[j]
            if p != q {
                let lower = p | 0x20
                guard lower == q | 0x20, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { return false }
            }
            i = x.index(after: i)
            j = y.index(after: j)
        }
        return true
    }
}

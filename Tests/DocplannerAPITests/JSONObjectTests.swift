import DocplannerAPI
import Foundation
import Testing

@Suite struct JSONObjectTests {
    func object(_ text: String) throws -> JSONObject {
        guard case .object(let members) = try JSONReader.read(Array(text.utf8)) else {
            Issue.record("not an object: \(text)")
            return [:]
        }
        return members
    }

    @Test func membersKeepTheOrderTheyWereReadIn() throws {
        let read = try object(#"{"z":1,"a":2,"m":{"y":true,"b":null}}"#)
        #expect(read.keys == ["z", "a", "m"])
        #expect(read.map(\.key) == ["z", "a", "m"])
        #expect(read["m"]?["y"] == .bool(true))
        #expect(read["m"]?["b"] == .null)
        #expect(read["missing"] == nil)
        #expect(read.count == 3)
    }

    @Test func theLastOfRepeatedNamesCountsEverywhere() throws {
        let read = try object(#"{"a":1,"b":2,"a":3}"#)
        #expect(read["a"] == .int(3))
        #expect(read.count == 2)
        #expect(read.keys == ["b", "a"])
        #expect(read == ["a": .int(3), "b": .int(2)])
        #expect(read.dictionary == ["a": .int(3), "b": .int(2)])
        #expect(String(decoding: try JSONEncoder().encode(read), as: UTF8.self).contains(#""a":3"#))
        var changed = read
        changed["a"] = .int(4)
        #expect(changed.count == 2 && changed["a"] == .int(4))
        changed["a"] = nil
        #expect(changed == ["b": .int(2)])
    }

    @Test func equalityAndHashIgnoreOrder() throws {
        let one = try object(#"{"a":1,"b":[1,2]}"#)
        let other = try object(#"{"b":[1,2],"a":1}"#)
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        #expect(one != (try object(#"{"a":1,"b":[2,1]}"#)))
        #expect(one != (try object(#"{"a":1}"#)))
        #expect(Set([JSONValue.object(one), .object(other)]).count == 1)
    }

    @Test func anObjectOfManyMembersReadsAndLooksUpWithoutSearchingWhileReading() throws {
        // 100,000 members, each name twice: reading appends; each lookup is one search.
        var text = "{"
        for index in 0..<50_000 { text += #""k\#(index)":\#(index),"# }
        for index in 0..<50_000 { text += #""k\#(index)":"again","# }
        text += #""last":true}"#
        let read = try object(text)
        #expect(read["k0"] == .string("again"))
        #expect(read["k49999"] == .string("again"))
        #expect(read["last"] == .bool(true))
        #expect(read.count == 50_001)
    }

    @Test func codableRoundTrip() throws {
        let value: JSONValue = .object([
            "name": .string("Jan"), "ids": .array([.int(1), .int(2)]), "nested": .object([:]),
        ])
        let text = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: text) == value)
        #expect(try JSONReader.read(Array(text)) == value)
        #expect(value.jsonText == #"{"ids":[1,2],"name":"Jan","nested":{}}"#)
    }
}

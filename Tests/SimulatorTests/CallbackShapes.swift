import DocplannerAPI
import Foundation
import Testing

/// The document's callback examples (Fixtures/callback-examples.json), and a check that a
/// pushed notification has their shape: no member the examples never use, and every
/// member all examples of that event have (patient details, insurance, comments and
/// signatures aside, which vary from booking to booking).
enum CallbackShapes {
    static let examples: [String: JSONValue] = {
        guard
            let url = Bundle.module.url(
                forResource: "callback-examples", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url),
            let all = try? JSONDecoder().decode([String: JSONValue].self, from: data)
        else { fatalError("Fixtures/callback-examples.json is missing or not JSON") }
        return all.filter { !$0.key.hasPrefix("Pulling") }
    }()

    /// Member paths of a JSON value (`data.visit_booking.id`), with the booking containers of
    /// the different events named alike (`data.booking.id`).
    static func paths(_ value: JSONValue, _ prefix: String = "") -> Set<String> {
        guard case .object(let members) = value else { return [] }
        var result: Set<String> = []
        for (key, member) in members {
            let name =
                ["visit_booking", "old_visit_booking", "new_visit_booking", "canceling_booking"].contains(key)
                    && prefix == "data" ? "booking" : key
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            result.insert(path)
            result.formUnion(paths(member, path))
        }
        return result
    }

    static let everyKnownPath: Set<String> = examples.values.reduce(into: []) { $0.formUnion(paths($1)) }

    /// Paths every example of event `name` has, minus those that vary per booking.
    static func requiredPaths(_ name: String) -> Set<String> {
        let variants = examples.values.filter { $0["name"]?.stringValue == name }.map { paths($0) }
        guard var common = variants.first else { return [] }
        for variant in variants.dropFirst() { common.formIntersection(variant) }
        let varying = ["patient", "insurance", "comment", "signature", "canceled_at"]
        return common.filter { path in !varying.contains { path.contains($0) } }
    }

    /// Records an issue for every member `body` invents or misses.
    static func check(_ body: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(body)),
            let name = value["name"]?.stringValue
        else {
            Issue.record("not a notification: \(String(decoding: body, as: UTF8.self))", sourceLocation: sourceLocation)
            return
        }
        let actual = paths(value)
        let required = requiredPaths(name)
        #expect(!required.isEmpty, "no example for \(name)", sourceLocation: sourceLocation)
        #expect(
            actual.subtracting(everyKnownPath).sorted() == [], "\(name) has members no example has",
            sourceLocation: sourceLocation)
        #expect(required.subtracting(actual).sorted() == [], "\(name) misses members", sourceLocation: sourceLocation)
    }
}

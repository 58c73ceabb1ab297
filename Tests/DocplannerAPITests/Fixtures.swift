import DocplannerAPI
import Foundation

/// The document's example payloads (`components.examples`), copied into Fixtures/.
enum Fixtures {
    /// Every example in callback-examples.json, by name, as JSON bytes.
    static let callbackExamples: [String: Data] = {
        guard
            let url = Bundle.module.url(
                forResource: "callback-examples", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url),
            let all = try? JSONDecoder().decode([String: JSONValue].self, from: data)
        else { fatalError("Fixtures/callback-examples.json is missing or not JSON") }
        let encoder = JSONEncoder()
        return all.mapValues { (try? encoder.encode($0)) ?? Data() }
    }()

    static func notification(_ name: String) throws -> DocplannerNotification {
        guard let data = callbackExamples[name] else { fatalError("no example \(name)") }
        return try DocplannerNotification.decode(data)
    }

    /// The 22 callback examples (all but the two pull examples).
    static var callbackNames: [String] {
        callbackExamples.keys.filter { !$0.hasPrefix("Pulling") }.sorted()
    }
}

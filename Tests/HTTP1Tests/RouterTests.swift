import Synchronization
import Testing

@testable import HTTP1

/// Which handler a request reaches; the handlers record their names.
@Suite struct RouterTests {
    final class Calls: Sendable {
        let names = Mutex<[String]>([])
    }

    func router(_ calls: Calls) -> Router {
        var router = Router()
        func handler(_ name: String) -> HTTPHandler {
            { request, _ in calls.names.withLock { $0.append("\(name) \(request.pathParameters)") } }
        }
        router.add("GET", "/callbacks/secret", handler("exact-get"))
        router.add("POST", "/callbacks/secret", handler("exact-post"))
        router.add("GET", "/callbacks/secret", handler("exact-get-again"))
        router.add("GET", "/callbacks/:secret", handler("other-secret"))
        router.add("PUT", "/things/:id", handler("put-thing"))
        router.add("GET", "/files/*", handler("files"))
        router.addPrefix("POST", "/hooks/", handler("hooks"))
        router.addPrefix("GET", "/hooks/", handler("hooks-get"))
        return router
    }

    /// The handler reached (by name), or the status answered.
    func resolve(_ method: String, _ target: String) -> String {
        let calls = Calls()
        var parser = RequestParser(limits: testLimits)
        parser.append(Array("\(method) \(target) HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        guard case .request(var request) = parser.next() else { return "parse error" }
        switch router(calls).resolve(&request) {
        case .handler(let handler):
            handler(request, HTTPResponder(loop: Self.loop, connectionID: 0, sequence: 0))
            return calls.names.withLock { $0.joined() }
        case .response(let response):
            let allow = response.headers["Allow"].map { " Allow: \($0)" } ?? ""
            return "\(response.status)\(allow)"
        }
    }

    static let loop = try! EventLoop(
        configuration: ServerConfiguration(), router: Router(), listeners: [], counter: ConnectionCounter())

    @Test func exactPathsByMethodFirstRegistrationWins() {
        #expect(resolve("GET", "/callbacks/secret") == "exact-get [:]")
        #expect(resolve("POST", "/callbacks/secret") == "exact-post [:]")
        #expect(resolve("GET", "/callbacks/secret?x=1") == "exact-get [:]")
        #expect(resolve("GET", "/callbacks/secret/") == "exact-get [:]")
        #expect(resolve("GET", "//callbacks//secret") == "exact-get [:]")
    }

    @Test func headFallsBackToGet() {
        #expect(resolve("HEAD", "/callbacks/secret") == "exact-get [:]")
        #expect(resolve("HEAD", "/callbacks/other") == "other-secret [\"secret\": \"other\"]")
    }

    @Test func parametersWildcardsAndErrors() {
        #expect(resolve("GET", "/callbacks/other") == "other-secret [\"secret\": \"other\"]")
        #expect(resolve("PUT", "/things/7?q") == "put-thing [\"id\": \"7\"]")
        #expect(resolve("GET", "/files/a/b") == "files [:]")
        #expect(resolve("DELETE", "/callbacks/secret") == "405 Allow: GET, POST")
        #expect(resolve("GET", "/things/7") == "405 Allow: PUT")
        #expect(resolve("GET", "/callbacks/secret/more") == "404")
        #expect(resolve("GET", "/CALLBACKS/secret") == "404")
    }

    @Test func prefixRoutesTakeLongerPathsUnderTheirPrefix() {
        #expect(resolve("POST", "/hooks/abc?x=1") == "hooks [:]")
        #expect(resolve("POST", "/hooks/a/b") == "hooks [:]")
        #expect(resolve("HEAD", "/hooks/abc") == "hooks-get [:]")
        #expect(resolve("POST", "/hooks/") == "404")
        #expect(resolve("PUT", "/hooks/abc") == "404")
        // Exact routes still come first.
        #expect(resolve("GET", "/callbacks/secret") == "exact-get [:]")
    }
}

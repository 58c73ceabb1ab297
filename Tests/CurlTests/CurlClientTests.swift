import Curl
import Foundation
import Synchronization
import TestSupport
import Testing

/// Real libcurl against a real HTTP/1.1 peer on 127.0.0.1 (Python's http.server).
@Suite struct CurlClientTests {
    @Test func getReturnsStatusHeadersAndBody() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule(
                "GET", "/hello",
                [
                    ScriptedResponse(
                        status: 200, headers: ["X-Answer": "42", "Content-Type": "text/plain"], body: "hello, world")
                ])
        ])
        defer { server.stop() }
        let client = CurlClient()
        let response = try client.perform(
            CurlRequest(url: server.baseURL + "/hello?x=1", headers: ["X-Custom": "abc", "Accept": "text/plain"]))
        #expect(response.status == 200)
        #expect(response.text == "hello, world")
        #expect(response.headers["x-answer"] == "42")
        #expect(response.headers["Content-Type"] == "text/plain")
        #expect(response.newConnections == 1)

        let seen = try server.requests()
        #expect(seen.count == 1)
        #expect(seen.first?.method == "GET")
        #expect(seen.first?.target == "/hello?x=1")
        #expect(seen.first?.header("X-Custom") == "abc")
        #expect(seen.first?.header("Accept") == "text/plain")
        #expect(seen.first?.header("Expect") == nil)
    }

    @Test func bodiesAndMethodsReachTheServer() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule(nil, "/things", prefix: true, [ScriptedResponse(status: 201, body: "{}")])
        ])
        defer { server.stop() }
        let client = CurlClient()
        let json = Data(#"{"name":"Zażółć"}"#.utf8)
        let big = Data(repeating: UInt8(ascii: "a"), count: 200_000)
        let requests: [CurlRequest] = [
            CurlRequest(
                method: .post, url: server.baseURL + "/things", headers: ["Content-Type": "application/json"],
                body: json),
            CurlRequest(
                method: .put, url: server.baseURL + "/things/1", headers: ["Content-Type": "application/json"],
                body: big),
            CurlRequest(method: .patch, url: server.baseURL + "/things/1", body: Data("p".utf8)),
            CurlRequest(method: .put, url: server.baseURL + "/things/1/confirm"),
            CurlRequest(method: .delete, url: server.baseURL + "/things/1"),
            CurlRequest(method: .delete, url: server.baseURL + "/things/2", body: Data(#"{"reason":"x"}"#.utf8)),
        ]
        for request in requests {
            #expect(try client.perform(request).status == 201)
        }
        let seen = try server.requests()
        #expect(seen.map(\.method) == ["POST", "PUT", "PATCH", "PUT", "DELETE", "DELETE"])
        #expect(seen[0].body == #"{"name":"Zażółć"}"#)
        #expect(seen[0].header("Content-Type") == "application/json")
        #expect(seen[1].body.count == 200_000)
        #expect(seen[2].body == "p")
        #expect(seen[3].header("Content-Length") == "0")
        #expect(seen[4].header("Content-Length") == nil)
        #expect(seen[5].body == #"{"reason":"x"}"#)
    }

    @Test func errorStatusesAreResponsesNotErrors() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("GET", "/boom", [ScriptedResponse(status: 503, body: "down")])
        ])
        defer { server.stop() }
        let response = try CurlClient().perform(CurlRequest(url: server.baseURL + "/boom"))
        #expect(response.status == 503)
        #expect(response.text == "down")
    }

    @Test func basicAuthIsSent() throws {
        let server = try ScriptedHTTPServer(rules: [ScriptedRule(nil, "/", prefix: true, [ScriptedResponse()])])
        defer { server.stop() }
        _ = try CurlClient().perform(
            CurlRequest(
                method: .post, url: server.baseURL + "/token", body: Data("a=b".utf8), basicAuth: ("id", "s3cret")))
        let seen = try server.requests()
        let expected = "Basic " + Data("id:s3cret".utf8).base64EncodedString()
        #expect(seen.first?.header("Authorization") == expected)
        #expect(seen.first?.header("Content-Type") == "application/x-www-form-urlencoded")
    }

    @Test func keptAliveConnectionIsReused() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("GET", "/", prefix: true, [ScriptedResponse(body: "ok")])
        ])
        defer { server.stop() }
        let client = CurlClient()
        let first = try client.perform(CurlRequest(url: server.baseURL + "/one"))
        let second = try client.perform(CurlRequest(url: server.baseURL + "/two"))
        #expect(first.newConnections == 1)
        #expect(second.newConnections == 0)
        #expect(first.localPort == second.localPort)
        #expect(client.idleHandles == 1)
        let seen = try server.requests()
        #expect(seen.count == 2)
        #expect(seen[0].clientPort == seen[1].clientPort)
    }

    @Test func closedConnectionIsReplaced() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("GET", "/", prefix: true, [ScriptedResponse(body: "bye", close: true)])
        ])
        defer { server.stop() }
        let client = CurlClient()
        let first = try client.perform(CurlRequest(url: server.baseURL + "/a"))
        let second = try client.perform(CurlRequest(url: server.baseURL + "/b"))
        #expect(first.text == "bye" && second.text == "bye")
        #expect(second.newConnections == 1)
    }

    @Test func totalTimeoutIsEnforced() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("GET", "/slow", [ScriptedResponse(body: "late", delay: 3)])
        ])
        defer { server.stop() }
        let client = CurlClient()
        #expect {
            try client.perform(CurlRequest(url: server.baseURL + "/slow", timeout: .milliseconds(300)))
        } throws: { error in
            guard case .timedOut = error as? CurlError else { return false }
            return (error as? CurlError)?.isRetryable == true
        }
    }

    @Test func connectionRefusedIsATypedError() throws {
        let port = freeLoopbackPort()
        let url = "http://127.0.0.1:\(port)/nothing"
        #expect {
            try CurlClient().perform(CurlRequest(url: url))
        } throws: { error in
            guard case .couldNotConnect(let failedURL, _) = error as? CurlError else { return false }
            return failedURL == url && "\(error)".hasPrefix("cannot connect to \(url)")
        }
    }

    @Test func malformedURLIsNotRetryable() throws {
        #expect {
            try CurlClient().perform(CurlRequest(url: "http://[::1"))
        } throws: { error in
            guard case .invalidRequest = error as? CurlError else { return false }
            return (error as? CurlError)?.isRetryable == false
        }
    }

    @Test func oversizedResponseIsAborted() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("GET", "/big", [ScriptedResponse(body: String(repeating: "x", count: 5000))])
        ])
        defer { server.stop() }
        let client = CurlClient(configuration: .init(maxResponseBytes: 1000))
        #expect(throws: CurlError.responseTooLarge(url: server.baseURL + "/big", limit: 1000)) {
            try client.perform(CurlRequest(url: server.baseURL + "/big"))
        }
    }

    @Test func concurrentThreadsUseSeparateHandles() throws {
        let server = try ScriptedHTTPServer(rules: [
            ScriptedRule("GET", "/", prefix: true, [ScriptedResponse(body: "ok", delay: 0.05)])
        ])
        defer { server.stop() }
        let client = CurlClient()
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            let ok = (try? client.perform(CurlRequest(url: server.baseURL + "/\(index)")))?.text == "ok"
            results.record(ok)
        }
        #expect(results.values == [true, true, true, true])
        #expect(client.idleHandles >= 1 && client.idleHandles <= 4)
    }
}

/// Collects results from several threads.
final class ResultBox: Sendable {
    private let storage = Mutex<[Bool]>([])
    func record(_ value: Bool) { storage.withLock { $0.append(value) } }
    var values: [Bool] { storage.withLock { $0 } }
}

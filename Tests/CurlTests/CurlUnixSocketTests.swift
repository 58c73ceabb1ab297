import Curl
import Foundation
import HTTP1
import TestSupport
import Testing

/// A request sent over a Unix-domain socket (how `dpbridge status` reaches an admin
/// listener bound to `listen.admin.socket`) to dpbridge's own HTTP/1.1 server.
@Suite struct CurlUnixSocketTests {
    @Test func requestGoesThroughTheSocketWithPathQueryAndBody() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("admin.sock")
        var router = Router()
        router.add("POST", "/things/:id") { request, responder in
            let text =
                "\(request.pathParameters["id"] ?? "?") \(request.query ?? "") \(request.remoteAddress) "
                + String(decoding: request.body, as: UTF8.self)
            responder.respond(HTTPResponse(status: 201, text: text))
        }
        let server = HTTPServer(configuration: ServerConfiguration(), router: router)
        try server.bind(unixSocketPath: path)
        try server.start()
        defer { server.shutdown(deadline: .milliseconds(200)) }

        let client = CurlClient()
        let response = try client.perform(
            CurlRequest(
                method: .post, url: "http://localhost/things/7?tenant=default", body: Data("hello".utf8),
                unixSocketPath: path))
        #expect(response.status == 201)
        #expect(response.text == "7 tenant=default unix hello")
    }

    @Test func aMissingSocketIsCouldNotConnect() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let client = CurlClient()
        #expect {
            _ = try client.perform(
                CurlRequest(url: "http://localhost/status", unixSocketPath: directory.file("absent.sock")))
        } throws: { error in
            guard case .couldNotConnect = error as? CurlError else { return false }
            return true
        }
    }
}

import Curl
import DocplannerAPI
import Foundation
import TestSupport
import Testing

@Suite struct OAuthTests {
    static let facilities = ScriptedResponse.json(200, #"{"_items":[{"id":"1","name":"Sample hospital"}]}"#)

    @Test func tokenIsFetchedWithClientCredentialsAndCached() throws {
        let server = try scriptedDocplanner(
            tokens: [token("t1"), token("t2")], [api("GET", "/facilities", Self.facilities)])
        defer { server.stop() }
        let clock = TestClock()
        let client = client(of: server, clock: clock)
        #expect(client.tokens.tokenExpiresAt == nil)

        #expect(try client.getFacilities().map(\.id) == ["1"])
        #expect(try client.getFacilities().count == 1)
        var seen = try server.requests()
        #expect(seen.tokenRequests.count == 1)
        let tokenRequest = try #require(seen.tokenRequests.first)
        #expect(tokenRequest.method == "POST")
        #expect(tokenRequest.body == "grant_type=client_credentials&scope=integration")
        #expect(tokenRequest.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(
            tokenRequest.header("Authorization") == "Basic "
                + Data("client-id:client-secret".utf8).base64EncodedString())
        #expect(seen.api.map { $0.header("Authorization") } == ["Bearer t1", "Bearer t1"])
        #expect(client.tokens.fetches == 1)
        #expect(client.tokens.tokenExpiresAt == Date(timeIntervalSince1970: clock.now() + 3600))

        // Shortly before expires_in runs out, a new token is fetched.
        clock.advance(by: 3600 - 30)
        _ = try client.getFacilities()
        seen = try server.requests()
        #expect(seen.tokenRequests.count == 2)
        #expect(seen.api.last?.header("Authorization") == "Bearer t2")
    }

    @Test func a401RefreshesTheTokenOnceAndRetries() throws {
        let server = try scriptedDocplanner(
            tokens: [token("old"), token("new")],
            [api("GET", "/facilities", problem(401, #"{"message":"expired"}"#), Self.facilities)])
        defer { server.stop() }
        let client = client(of: server)
        #expect(try client.getFacilities().count == 1)
        let seen = try server.requests()
        #expect(seen.tokenRequests.count == 2)
        #expect(seen.api.map { $0.header("Authorization") } == ["Bearer old", "Bearer new"])
    }

    @Test func repeated401IsUnauthorized() throws {
        let server = try scriptedDocplanner(
            tokens: [token("a"), token("b"), token("c")],
            [api("GET", "/facilities", problem(401, #"{"message":"Invalid token"}"#))])
        defer { server.stop() }
        let client = client(of: server)
        #expect {
            try client.getFacilities()
        } throws: { error in
            guard let error = error as? DocplannerError, case .unauthorized = error else { return false }
            return error.disposition == .reauthenticate && "\(error)".contains("Invalid token")
        }
        // One retry only.
        #expect(try server.requests().api.count == 2)
    }

    @Test func refusedCredentialsAreAnAuthenticationFailure() throws {
        let server = try scriptedDocplanner(
            tokens: [
                .json(400, #"{"error":"invalid_client","error_description":"The client credentials are invalid"}"#)
            ],
            [api("GET", "/facilities", Self.facilities)])
        defer { server.stop() }
        #expect {
            try client(of: server).getFacilities()
        } throws: { error in
            guard let error = error as? DocplannerError, case .authenticationFailed(400, _) = error else {
                return false
            }
            return "\(error)".contains("The client credentials are invalid") && !error.isRetryable
        }
        #expect(try server.requests().api.isEmpty)
    }

    @Test func unreachableTokenEndpointIsATransportError() throws {
        let port = freeLoopbackPort()
        let configuration = DocplannerConfiguration(
            apiBaseURL: "http://127.0.0.1:\(port)/api/v3/integration",
            tokenURL: "http://127.0.0.1:\(port)/oauth/v2/token",
            clientID: "a", clientSecret: "b")
        let client = DocplannerClient(configuration: configuration, clock: TestClock())
        #expect {
            try client.getFacilities()
        } throws: { error in
            guard let error = error as? DocplannerError, case .transport(let request, .couldNotConnect) = error else {
                return false
            }
            return request == "POST /oauth/v2/token" && error.disposition == .retry
        }
    }
}

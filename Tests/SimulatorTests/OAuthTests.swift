import Curl
import DocplannerAPI
import Foundation
import Simulator
import TestSupport
import Testing

/// The token endpoint, token lifetimes, and the client's refresh against the simulator.
@Suite struct OAuthTests {
    @Test func wrongCredentialsAreRefused() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let client = makeClient(of: fixture.simulator, clock: fixture.clock, secret: "not-the-secret")
        #expect {
            try client.getFacilities()
        } throws: { error in
            guard case .authenticationFailed(let status, let body) = error as? DocplannerError else { return false }
            return status == 400 && body?.message == "The client credentials are invalid"
        }
        #expect(fixture.simulator.snapshot().tokensIssued == 0)
    }

    @Test func aClientIDPatternAcceptsEveryIDWithItsPrefixAndNoOther() throws {
        let configuration = SimulatorConfiguration(clientID: "bench-*", clientSecret: "test-client-secret")
        let simulator = DocplannerSimulator(configuration: configuration, clock: TestClock())
        try simulator.start()
        defer { simulator.stop() }
        func status(_ id: String) throws -> Int {
            try RawHTTP.http.perform(
                CurlRequest(
                    method: .post, url: simulator.tokenURL,
                    headers: ["Content-Type": "application/x-www-form-urlencoded"],
                    body: Data("grant_type=client_credentials".utf8), basicAuth: (id, "test-client-secret"))
            ).status
        }
        #expect(try status("bench-1") == 200)
        #expect(try status("bench-clinic-999") == 200)
        #expect(try status("bench-") == 400)
        #expect(try status("other-1") == 400)
    }

    @Test func tokenRequestNeedsClientCredentialsGrant() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let response = try RawHTTP.http.perform(
            CurlRequest(
                method: .post, url: fixture.simulator.tokenURL,
                headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data("grant_type=password".utf8),
                basicAuth: ("test-client", "test-client-secret")))
        #expect(response.status == 400)
        #expect(response.text.contains("unsupported_grant_type"))

        let token = try RawHTTP.token(fixture.simulator)
        #expect(token.count == 40)
    }

    @Test func apiRefusesMissingAndUnknownTokens() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        let missing = try RawHTTP.send(.get, fixture.simulator.apiBaseURL + "/facilities")
        #expect(missing.status == 401)
        #expect(APIErrorBody.parse(missing.body)?.message == "OAuth2 authentication required")
        let unknown = try RawHTTP.send(
            .get, fixture.simulator.apiBaseURL + "/facilities", headers: ["Authorization": "Bearer nope"])
        #expect(unknown.status == 401)
        #expect(unknown.text.contains("invalid"))
    }

    @Test func expiredTokenIsRefreshedBeforeUse() throws {
        let clock = TestClock()
        let simulator = try startSimulator(clock: clock, tokenLifetime: 600)
        defer { simulator.stop() }
        let client = makeClient(of: simulator, clock: clock)
        _ = try client.getFacilities()
        let raw = try RawHTTP.token(simulator)
        clock.advance(by: 601)
        // The token the simulator issued has expired on its side …
        let refused = try RawHTTP.send(
            .get, simulator.apiBaseURL + "/facilities", headers: ["Authorization": "Bearer \(raw)"])
        #expect(refused.status == 401)
        #expect(APIErrorBody.parse(refused.body)?.message == "The access token provided has expired.")
        // … and the client fetched a new one before its next request.
        _ = try client.getFacilities()
        #expect(client.tokens.fetches == 2)
        #expect(simulator.snapshot().requests.map(\.status) == [200, 401, 200])
    }

    @Test func tokenRevokedEarlyIsRefreshedOnceAfter401() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        _ = try fixture.client.getFacilities()
        let (status, _) = try RawHTTP.admin(fixture.simulator, "faults", #"{"expire_tokens": true}"#)
        #expect(status == 200)
        let facilities = try fixture.client.getFacilities()
        #expect(facilities.map(\.id) == ["1", "2"])
        #expect(fixture.client.tokens.fetches == 2)
        #expect(fixture.statuses == [200, 401, 200])
    }

    @Test func tokenRefusedEvenWhenFreshIsUnauthorized() throws {
        let fixture = try APIFixture()
        defer { fixture.stop() }
        fixture.simulator.setFaults(SimulatorFaults(tokenExpiryShare: 1))
        #expect {
            try fixture.client.getFacilities()
        } throws: { error in
            guard let error = error as? DocplannerError, case .unauthorized = error else { return false }
            return error.disposition == .reauthenticate && error.status == 401
        }
        #expect(fixture.client.tokens.fetches == 2)
        #expect(fixture.statuses == [401, 401])
    }
}

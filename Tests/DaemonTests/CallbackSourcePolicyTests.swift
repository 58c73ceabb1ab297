import Foundation
import Testing

@testable import Daemon

@Suite struct CallbackSourcePolicyTests {
    func known(_ text: String) -> ClientAddress { .known(IPAddress(text)!) }

    @Test func withNoListEverySourceIsAllowed() {
        let policy = CallbackSourcePolicy()
        #expect(!policy.isEnforced)
        #expect(policy.decide(known("198.51.100.7")) == .allowed)
        #expect(policy.decide(.unreadable("")) == .allowed)
    }

    @Test func theConfiguredAllowlistDecides() throws {
        let policy = CallbackSourcePolicy(allowlist: [try CIDRBlock("10.0.0.0/8"), try CIDRBlock("2001:db8::/32")])
        #expect(policy.decide(known("10.1.2.3")) == .allowed)
        #expect(policy.decide(known("::ffff:10.1.2.3")) == .allowed)
        #expect(policy.decide(known("2001:db8::1")) == .allowed)
        #expect(policy.decide(known("127.0.0.1")) == .forbidden)
        #expect(policy.decide(.unreadable("unknown")) == .forbidden)
    }

    @Test func docplannersListAddsToTheAllowlist() throws {
        let addresses = DocplannerAddresses()
        let policy = CallbackSourcePolicy(allowlist: [try CIDRBlock("10.0.0.0/8")], docplanner: addresses)
        #expect(policy.isEnforced)
        addresses.replace(with: .init(blocks: [try CIDRBlock("203.0.113.5")], fetchedAt: Date()))
        #expect(policy.decide(known("203.0.113.5")) == .allowed)
        #expect(policy.decide(known("10.1.2.3")) == .allowed)
        #expect(policy.decide(known("203.0.113.6")) == .forbidden)
    }

    @Test func withoutDocplannersListOnlyTheAllowlistIsSure() throws {
        let policy = CallbackSourcePolicy(allowlist: [try CIDRBlock("10.0.0.0/8")], docplanner: DocplannerAddresses())
        #expect(policy.decide(known("10.1.2.3")) == .allowed)
        #expect(policy.decide(known("203.0.113.5")) == .unverifiable)
        #expect(policy.decide(.unreadable("garbage")) == .forbidden)
        let onlyDocplanner = CallbackSourcePolicy(docplanner: DocplannerAddresses())
        #expect(onlyDocplanner.isEnforced)
        #expect(onlyDocplanner.decide(known("10.1.2.3")) == .unverifiable)
    }

    @Test func theSummarySaysWhatIsInForce() throws {
        #expect(CallbackSourcePolicy().summary == "any")
        #expect(
            CallbackSourcePolicy(trustedProxies: [try CIDRBlock("127.0.0.1")]).summary
                == "any; 1 trusted proxy block(s)")
        #expect(
            CallbackSourcePolicy(allowlist: [try CIDRBlock("10.0.0.0/8")], docplanner: DocplannerAddresses()).summary
                == "1 block(s) + Docplanner's list")
    }
}

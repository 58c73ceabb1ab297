import Testing

@testable import Daemon

@Suite struct ClientAddressResolverTests {
    let resolver = ClientAddressResolver(trustedProxies: [try! CIDRBlock("127.0.0.1"), try! CIDRBlock("10.9.0.0/16")])

    func resolve(_ peer: String, _ forwardedFor: String...) -> String {
        "\(resolver.resolve(peer: peer, forwardedFor: forwardedFor))"
    }

    @Test func anUntrustedPeerIsTheClientWhateverItForwards() {
        #expect(resolve("198.51.100.7") == "198.51.100.7")
        #expect(resolve("198.51.100.7", "10.1.2.3") == "198.51.100.7")
        #expect(resolve("2001:db8::7", "10.1.2.3") == "2001:db8::7")
    }

    @Test func aTrustedProxyNamesTheClient() {
        #expect(resolve("127.0.0.1", "10.1.2.3") == "10.1.2.3")
        #expect(resolve("::ffff:127.0.0.1", "10.1.2.3") == "10.1.2.3")
        #expect(resolve("127.0.0.1", " 2001:db8::5 ") == "2001:db8::5")
    }

    @Test func aTrustedProxyWithoutTheHeaderIsItselfTheClient() {
        #expect(resolve("127.0.0.1") == "127.0.0.1")
        #expect(resolve("127.0.0.1", "") == "127.0.0.1")
    }

    @Test func severalHopsAreWalkedFromTheRightPastTrustedProxies() {
        // client → 10.9.1.1 (proxy) → 10.9.2.2 (proxy) → 127.0.0.1 (proxy) → dpbridge
        #expect(resolve("127.0.0.1", "203.0.113.4, 10.9.1.1, 10.9.2.2") == "203.0.113.4")
        // The same, the header split over two fields.
        #expect(resolve("127.0.0.1", "203.0.113.4, 10.9.1.1", "10.9.2.2") == "203.0.113.4")
        // Every hop trusted: the left-most sent it.
        #expect(resolve("127.0.0.1", "10.9.1.1, 10.9.2.2") == "10.9.1.1")
    }

    @Test func entriesForgedByTheClientAreNotBelieved() {
        // The client sent "X-Forwarded-For: 10.1.2.3, 10.9.9.9"; the proxy appended its real address.
        #expect(resolve("127.0.0.1", "10.1.2.3, 10.9.9.9, 198.51.100.7") == "198.51.100.7")
        // A forged entry that names a trusted proxy does not hide the client either.
        #expect(resolve("127.0.0.1", "10.1.2.3, 198.51.100.7, 10.9.2.2") == "198.51.100.7")
    }

    @Test func portsAndBracketsAreRead() {
        #expect(resolve("127.0.0.1", "203.0.113.4:51234") == "203.0.113.4")
        #expect(resolve("127.0.0.1", "[2001:db8::9]:443") == "2001:db8::9")
        #expect(resolve("127.0.0.1", "[2001:db8::9]") == "2001:db8::9")
    }

    @Test func unreadableEntriesLeaveTheClientUnknown() {
        #expect(resolve("127.0.0.1", "unknown") == "unreadable:unknown")
        #expect(resolve("127.0.0.1", "203.0.113.4, garbage") == "unreadable:garbage")
        #expect(resolve("127.0.0.1", "[2001:db8::9]x") == "unreadable:[2001:db8::9]x")
        #expect(resolve("") == "unreadable:")
        #expect(resolver.resolve(peer: "127.0.0.1", forwardedFor: ["nope"]).address == nil)
        // A readable entry right of the unreadable one is the client.
        #expect(resolve("127.0.0.1", "garbage, 203.0.113.4") == "203.0.113.4")
    }

    @Test func noTrustedProxiesMeansThePeer() {
        let plain = ClientAddressResolver(trustedProxies: [])
        #expect(plain.resolve(peer: "127.0.0.1", forwardedFor: ["10.1.2.3"]) == .known(IPAddress("127.0.0.1")!))
    }
}

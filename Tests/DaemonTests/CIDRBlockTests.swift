import Testing

@testable import Daemon

@Suite struct CIDRBlockTests {
    func address(_ text: String) -> IPAddress {
        guard let address = IPAddress(text) else {
            Issue.record("\(text) did not parse")
            return IPAddress(value: 0)
        }
        return address
    }

    @Test func ipv4BlocksHoldTheirAddressesOnly() throws {
        let block = try CIDRBlock("10.0.0.0/8")
        #expect(block.contains(address("10.0.0.0")))
        #expect(block.contains(address("10.255.255.255")))
        #expect(!block.contains(address("11.0.0.0")))
        #expect(!block.contains(address("9.255.255.255")))
        let narrow = try CIDRBlock("192.168.1.64/26")
        #expect(narrow.contains(address("192.168.1.127")))
        #expect(!narrow.contains(address("192.168.1.128")))
        #expect(try CIDRBlock("0.0.0.0/0").contains(address("203.0.113.9")))
        #expect(!(try CIDRBlock("0.0.0.0/0")).contains(address("2001:db8::1")))
    }

    @Test func aSingleAddressIsAFullLengthBlock() throws {
        let v4 = try CIDRBlock("203.0.113.7")
        #expect(v4.prefixLength == 32)
        #expect(v4.contains(address("203.0.113.7")))
        #expect(!v4.contains(address("203.0.113.8")))
        let v6 = try CIDRBlock(" 2001:db8::1 ")
        #expect(v6.prefixLength == 128)
        #expect(v6.contains(address("2001:0db8:0:0:0:0:0:1")))
        #expect(!v6.contains(address("2001:db8::2")))
    }

    @Test func ipv6BlocksHoldTheirAddresses() throws {
        let block = try CIDRBlock("2001:db8::/32")
        #expect(block.contains(address("2001:db8:ffff::1")))
        #expect(!block.contains(address("2001:db9::1")))
        #expect(!block.contains(address("10.1.2.3")))
        #expect(try CIDRBlock("::1").contains(address("::1")))
        #expect(!(try CIDRBlock("::1")).contains(address("127.0.0.1")))
    }

    @Test func ipv4MappedAddressesAreIPv4() throws {
        let block = try CIDRBlock("10.0.0.0/8")
        #expect(block.contains(address("::ffff:10.1.2.3")))
        #expect(block.contains(address("::FFFF:a01:203")))
        #expect(!block.contains(address("::ffff:11.1.2.3")))
        #expect(address("::ffff:10.1.2.3") == address("10.1.2.3"))
        #expect(address("::ffff:10.1.2.3").description == "10.1.2.3")
        // A block written in mapped form is the IPv4 block it maps.
        #expect(try CIDRBlock("::ffff:10.0.0.0/104") == CIDRBlock("10.0.0.0/8"))
        #expect(try CIDRBlock("::ffff:0:0/96").contains(address("198.51.100.1")))
    }

    @Test func hostBitsAreIgnoredAndTheBlockPrintsNormalised() throws {
        #expect(try CIDRBlock("10.1.2.3/8").description == "10.0.0.0/8")
        #expect(try CIDRBlock("2001:db8:1:2::5/32").description == "2001:db8::/32")
        #expect(try CIDRBlock("203.0.113.7").description == "203.0.113.7/32")
        #expect(try CIDRBlock("::ffff:10.0.0.0/104").description == "10.0.0.0/8")
    }

    @Test func badInputGetsAClearError() {
        #expect(throws: CIDRError.badPrefix("10.0.0.0/33", maximum: 32)) { try CIDRBlock("10.0.0.0/33") }
        #expect(throws: CIDRError.badPrefix("2001:db8::/129", maximum: 128)) { try CIDRBlock("2001:db8::/129") }
        #expect(throws: CIDRError.badPrefix("10.0.0.0/", maximum: 32)) { try CIDRBlock("10.0.0.0/") }
        #expect(throws: CIDRError.badPrefix("10.0.0.0/+8", maximum: 32)) { try CIDRBlock("10.0.0.0/+8") }
        #expect(throws: CIDRError.badPrefix("10.0.0.0/8/9", maximum: 32)) { try CIDRBlock("10.0.0.0/8/9") }
        #expect(throws: CIDRError.notAnAddress("10.0.0/8")) { try CIDRBlock("10.0.0/8") }
        #expect(throws: CIDRError.notAnAddress("localhost")) { try CIDRBlock("localhost") }
        #expect(throws: CIDRError.notAnAddress("[::1]")) { try CIDRBlock("[::1]") }
        #expect(throws: CIDRError.notAnAddress("256.1.1.1")) { try CIDRBlock("256.1.1.1") }
        #expect(throws: CIDRError.empty) { try CIDRBlock("  ") }
        #expect(CIDRError.badPrefix("10.0.0.0/33", maximum: 32).description.contains("0 to 32"))
        #expect(CIDRError.notAnAddress("x").description.contains("'x' is not an IPv4 or IPv6 address"))
    }

    @Test func addressesPrintAsWritten() {
        #expect(address("2001:0db8:0000::0001").description == "2001:db8::1")
        #expect(address("127.0.0.1").description == "127.0.0.1")
        #expect(address("::1").description == "::1")
        #expect(IPAddress("fe80::1%eth0") == nil)
        #expect(IPAddress("") == nil)
    }
}

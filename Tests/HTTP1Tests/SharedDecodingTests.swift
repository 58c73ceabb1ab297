import HTTP1
import Testing

/// The secret compare and the query decoder every server of dpbridge uses.
@Suite struct SharedDecodingTests {
    @Test func secretsCompareExactly() {
        #expect(ConstantTime.equal("Bearer abc", "Bearer abc"))
        #expect(!ConstantTime.equal("Bearer abd", "Bearer abc"))
        #expect(!ConstantTime.equal("Bearer ab", "Bearer abc"))
        #expect(!ConstantTime.equal("", "Bearer abc"))
        #expect(ConstantTime.equal("", ""))
    }

    @Test func queriesDecodeInOrderWithPlusAsSpace() {
        let pairs = PercentDecoding.query("tenant=clinic-b&state=dead%2Cpending&q=a+b&flag&%ZZ=x&v=%E2%9C%93")
        #expect(pairs.map(\.0) == ["tenant", "state", "q", "flag", "v"])
        #expect(pairs.map(\.1) == ["clinic-b", "dead,pending", "a b", "", "✓"])
        #expect(PercentDecoding.query(nil).isEmpty)
        #expect(PercentDecoding.decode("a%2Fb") == "a/b")
        #expect(PercentDecoding.decode("a+b") == "a+b", "a + is a space in queries only")
        #expect(PercentDecoding.decode("%C3") == nil, "not UTF-8")
    }
}

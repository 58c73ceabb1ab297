/// Comparison of secrets whose time depends only on their lengths, never on how many
/// leading bytes match: the one compare every secret check uses (the daemon's callback
/// URL, API key, admin and partner-API tokens; the simulator's client secret).
package enum ConstantTime {
    package static func equal(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in equal(x, y) } }
    }

    /// The same compare over bytes (a secret read in place from a request). It reads the
    /// shorter length of both, every byte, without a branch the compiler could turn into
    /// an early exit.
    package static func equal(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<min(x.count, y.count) {
            difference |= x[index] ^ y[index]
        }
        return difference == 0
    }
}

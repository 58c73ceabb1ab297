/// Comparison of secrets whose time depends only on their lengths, never on how many
/// leading bytes match: the one compare every secret check of the daemon uses (callback
/// URL, API key, admin and partner-API tokens).
enum ConstantTime {
    static func equal(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                var difference = UInt8(x.count == y.count ? 0 : 1)
                for index in 0..<max(x.count, y.count) {
                    difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
                }
                return difference == 0
            }
        }
    }
}

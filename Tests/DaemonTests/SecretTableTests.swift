import Testing

@testable import Daemon

/// The callback secret lookup: with a few secrets (compared one by one) and with many
/// (hashed first), an exact match only, the first value of a repeated secret.
@Suite struct SecretTableTests {
    func table(_ count: Int) -> SecretTable<Int> {
        SecretTable((0..<count).map { (secret: "tenant-\($0)-callback-secret-0123456789", value: $0) })
    }

    @Test(arguments: [1, 2, SecretTable<Int>.fewSecrets, SecretTable<Int>.fewSecrets + 1, 1000])
    func findsEachSecretAndNothingElse(count: Int) {
        let secrets = table(count)
        for index in [0, count / 2, count - 1] {
            #expect(secrets.value(for: "tenant-\(index)-callback-secret-0123456789") == index)
            #expect(secrets.value(for: "tenant-\(index)-callback-secret-012345678") == nil, "a prefix")
            #expect(secrets.value(for: "tenant-\(index)-callback-secret-01234567890") == nil, "longer")
            #expect(secrets.value(for: "tenant-\(index)-callback-secret-0123456788") == nil, "last byte")
            #expect(secrets.value(for: "Tenant-\(index)-callback-secret-0123456789") == nil, "first byte")
        }
        #expect(secrets.value(for: "") == nil)
    }

    @Test func theFirstValueOfARepeatedSecretKeepsIt() {
        let few = SecretTable([(secret: "same-secret", value: 1), (secret: "same-secret", value: 2)])
        #expect(few.value(for: "same-secret") == 1)
        let many = SecretTable(
            (0..<10).map { (secret: "s\($0)", value: $0) } + [(secret: "s3", value: 99)])
        #expect(many.value(for: "s3") == 3)
    }

    @Test func theCallbackPrefixLengthIsThePrefixs() {
        #expect(CallbackRouting.prefixBytes == CallbackRouting.prefix.utf8.count)
    }
}

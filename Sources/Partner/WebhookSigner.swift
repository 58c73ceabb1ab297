import Crypto
import Foundation

/// Signs requests to the partner endpoint the way Standard Webhooks does
/// (https://www.standardwebhooks.com): `webhook-signature: v1,<base64 HMAC-SHA256>` over
/// `"<webhook-id>.<webhook-timestamp>.<body>"`.
///
/// The key is the secret's UTF-8 bytes; a secret written the Standard Webhooks way,
/// `whsec_<base64>`, is base64-decoded first, so the partner can verify with a Standard
/// Webhooks library as well as with a few lines of its own.
package struct WebhookSigner: Sendable {
    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per signature).
    private let key: [UInt8]

    package init(secret: String) {
        if secret.hasPrefix("whsec_"), let decoded = Data(base64Encoded: String(secret.dropFirst("whsec_".count))) {
            key = [UInt8](decoded)
        } else {
            key = Array(secret.utf8)
        }
    }

    /// `v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>`
    package func signature(id: String, timestamp: Int, body: Data) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers of a signed request.
    package func headers(id: String, timestamp: Int, body: Data) -> [(name: String, value: String)] {
        [
            ("webhook-id", id), ("webhook-timestamp", "\(timestamp)"),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body)),
        ]
    }
}

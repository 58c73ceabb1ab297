internal import CLinux
import Foundation

/// Fresh secrets from the kernel's CSPRNG (`getrandom(2)`), written in the URL-safe
/// base64 alphabet (`A-Z a-z 0-9 - _`, no padding): fit for a URL path segment, a bearer
/// token or a credential file.
package enum RandomSecret {
    /// `byteCount` random bytes as text: 32 bytes (256 bits) give 43 characters.
    package static func generate(byteCount: Int = 32) throws(SetupError) -> String {
        var bytes = [UInt8](repeating: 0, count: byteCount)
        var filled = 0
        while filled < byteCount {
            let count = bytes.withUnsafeMutableBytes { buffer in
                dpb_getrandom(buffer.baseAddress! + filled, UInt(byteCount - filled))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .random(String(cString: strerror(errno)))
            }
            filled += count
        }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

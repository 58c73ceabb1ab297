import Foundation

/// A fresh directory under the system temporary directory, removed by `remove()`.
package struct TemporaryDirectory: Sendable {
    package let path: String

    package init(prefix: String = "dpbridge-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        let template = "\(base)/\(prefix)-XXXXXX"
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: bytes.map { UInt8(bitPattern: $0) })
    }

    /// The path of `name` inside this directory.
    package func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `contents` to `name` inside this directory and returns its path.
    @discardableResult
    package func write(_ name: String, _ contents: String) throws -> String {
        let target = file(name)
        try contents.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    package func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

import Foundation

/// The outcome of running a program to completion.
package struct ProcessResult: Sendable {
    package let status: Int32
    package let stdout: String
    package let stderr: String
    /// Everything the program printed, stdout then stderr.
    package var output: String { stdout + stderr }
}

/// Runs `executable` with `arguments` to completion and captures what it prints.
/// `environment` entries are added to (or replace) the current environment;
/// entries whose value is nil are removed.
package func runProcess(
    _ executable: String, _ arguments: [String],
    environment: [String: String?] = [:], workingDirectory: String? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so that neither fills up and blocks the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// The directory holding the package's build products (where `dpbridge` is built),
/// found from the running test bundle.
package func buildProductsDirectory() -> String {
    let bundle = Bundle.main.bundleURL
    // On Linux the test runner is `<products>/dpbridgePackageTests.xctest`.
    var url = bundle
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("dpbridge").path) {
            return url.path
        }
        url = url.deletingLastPathComponent()
    }
    return bundle.deletingLastPathComponent().path
}

/// The repository root (the directory holding Package.swift), found from this file's path.
package func repositoryRoot(file: StaticString = #filePath) -> String {
    var url = URL(fileURLWithPath: "\(file)")
    while url.path != "/" {
        url = url.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            return url.path
        }
    }
    return FileManager.default.currentDirectoryPath
}

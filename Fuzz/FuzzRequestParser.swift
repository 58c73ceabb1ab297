// libFuzzer target for HTTP1's RequestParser, built by scripts/fuzz-http.sh with
// `swiftc -sanitize=fuzzer` (not part of the package build).
//
// Property checked on every input: parsing it in one piece and parsing it split into
// pieces (piece size taken from the first byte) deliver the same requests and both
// reject or both accept the rest (the status of a rejection may depend on what was
// seen first: a too-long line before a bare LF, say); every delivered request respects
// the limits. Any difference traps, which libFuzzer reports.

let limits = RequestParser.Limits(maxRequestLineBytes: 256, maxHeaderBytes: 1024, maxHeaderFields: 16, maxBodyBytes: 4096)

func events(of bytes: [UInt8], pieceSize: Int) -> [String] {
    var parser = RequestParser(limits: limits)
    var result: [String] = []
    var offset = 0
    repeat {
        let end = min(bytes.count, offset + max(pieceSize, 1))
        parser.append(Array(bytes[offset..<end]))
        offset = end
        var steps = 0
        loop: while steps < 10_000 {
            steps += 1
            switch parser.next() {
            case .needMore: break loop
            case .continueNeeded: continue  // Depends on how the body arrives; not compared.
            case .error(let error):
                precondition([400, 413, 414, 417, 431, 501, 505].contains(error.status), "unexpected status")
                result.append("error")
                return result
            case .request(let request):
                precondition(request.body.count <= limits.maxBodyBytes, "body over the limit")
                precondition(request.headers.count <= limits.maxHeaderFields, "too many fields")
                result.append("\(request.method) \(request.target) \(request.headers.count) \(request.body) \(request.keepAlive)")
            }
        }
        precondition(steps < 10_000, "parser did not make progress")
    } while offset < bytes.count
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let piece = Int(data[0] % 32) + 1
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let whole = events(of: bytes, pieceSize: bytes.count)
    let split = events(of: bytes, pieceSize: piece)
    precondition(whole == split, "split parsing differs: \(whole) vs \(split)")
    return 0
}

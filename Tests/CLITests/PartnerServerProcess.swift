import Foundation
import TestSupport

/// A partner's endpoint for the HTTP adapter: a small Python server on loopback that
/// records every forwarded event (its `webhook-*` headers, whether the signature verifies
/// with `secret`, the body, and the status it answered) and answers with the status
/// `setStatus` last set (200 at first).
final class PartnerServerProcess {
    let process = Process()
    let port = freeLoopbackPort()
    let directory: TemporaryDirectory
    let secret: String

    struct Delivery {
        var id: String
        var signatureValid: Bool
        var status: Int
        var body: [String: Any]
    }

    private static let script = #"""
        import base64, hashlib, hmac, http.server, json, os, sys
        port, secret, folder = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def do_GET(self):
                self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                wid, ts = self.headers.get("webhook-id", ""), self.headers.get("webhook-timestamp", "")
                mac = hmac.new(secret, wid.encode() + b"." + ts.encode() + b"." + body, hashlib.sha256).digest()
                valid = hmac.compare_digest("v1," + base64.b64encode(mac).decode(), self.headers.get("webhook-signature", ""))
                try:
                    status = int(open(os.path.join(folder, "status")).read().strip())
                except Exception:
                    status = 200
                with open(os.path.join(folder, "deliveries.jsonl"), "a") as log:
                    log.write(json.dumps({"id": wid, "valid": valid, "status": status, "body": body.decode()}) + "\n")
                answer = b'{"error":"partner down"}' if status >= 400 else b"{}"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#

    init(secret: String) throws {
        self.secret = secret
        directory = try TemporaryDirectory(prefix: "dpbridge-partner-server")
        let scriptPath = try directory.write("partner.py", Self.script)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, "\(port)", secret, directory.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if let result = try? curl(["-fsS", "-o", "/dev/null", url]), result.status == 0 { return }
            usleep(50_000)
        }
        stop()
        throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: "partner server did not start"])
    }

    var url: String { "http://127.0.0.1:\(port)/events" }

    func setStatus(_ status: Int) throws {
        _ = try directory.write("status", "\(status)")
    }

    func deliveries() -> [Delivery] {
        let text = (try? String(contentsOfFile: directory.file("deliveries.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let body = (object["body"] as? String).flatMap({
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                })
            else { return nil }
            return Delivery(
                id: object["id"] as? String ?? "", signatureValid: object["valid"] as? Bool ?? false,
                status: object["status"] as? Int ?? 0, body: body)
        }
    }

    /// Accepted deliveries that name Docplanner booking `id` in a change.
    func accepted(booking id: String) -> [Delivery] {
        deliveries().filter { delivery in
            delivery.status < 300
                && ((delivery.body["changes"] as? [[String: Any]]) ?? []).contains {
                    ($0["booking"] as? [String: Any])?["docplanner_booking_id"] as? String == id
                }
        }
    }

    /// SIGKILL: Python's server does not always end on SIGTERM under the test runner.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        directory.remove()
    }
}

import Foundation

/// One canned answer of a `ScriptedHTTPServer` rule.
package struct ScriptedResponse: Codable, Sendable {
    package var status: Int
    package var headers: [String: String]
    package var body: String
    /// Seconds to wait before answering (to provoke client timeouts).
    package var delay: Double
    /// Close the connection after answering (no keep-alive).
    package var close: Bool

    package init(
        status: Int = 200, headers: [String: String] = [:], body: String = "",
        delay: Double = 0, close: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.close = close
    }

    /// A JSON answer with `Content-Type: application/vnd.docplanner+json; charset=UTF-8`
    /// (or `contentType`).
    package static func json(
        _ status: Int = 200, _ body: String, headers: [String: String] = [:],
        contentType: String = "application/vnd.docplanner+json; charset=UTF-8"
    ) -> ScriptedResponse {
        var all = headers
        all["Content-Type"] = contentType
        return ScriptedResponse(status: status, headers: all, body: body)
    }
}

/// A rule: requests with `method` (nil: any) whose path (without the query) equals `path`,
/// or starts with it when `prefix` is true, get `responses` in turn; the last one repeats.
/// Rules are tried in order; a request no rule matches gets a 404.
package struct ScriptedRule: Codable, Sendable {
    package var method: String?
    package var path: String
    package var prefix: Bool
    package var responses: [ScriptedResponse]

    package init(_ method: String? = nil, _ path: String, prefix: Bool = false, _ responses: [ScriptedResponse]) {
        self.method = method
        self.path = path
        self.prefix = prefix
        self.responses = responses
    }
}

/// A request the scripted server received, as it saw it.
package struct RecordedRequest: Decodable, Sendable {
    package var method: String
    /// The request target exactly as sent (path and query, still percent-encoded).
    package var target: String
    package var headers: [[String]]
    package var body: String
    /// The client's TCP port (tells connections apart).
    package var clientPort: Int

    enum CodingKeys: String, CodingKey {
        case method, target, headers, body
        case clientPort = "client_port"
    }

    /// The first value of header `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        headers.first { $0.count == 2 && $0[0].lowercased() == name.lowercased() }?[1]
    }
}

/// A scripted HTTP/1.1 peer for client tests: Python's `http.server` in a child process on
/// an ephemeral loopback port, answering from a list of rules and logging every request.
/// It keeps connections alive, and exits when this object is stopped or the test process
/// goes away (it watches its stdin).
package final class ScriptedHTTPServer: @unchecked Sendable {
    // @unchecked Sendable: the stored properties are constants except `process`'s own
    // state, which Foundation's Process guards internally; stop() is idempotent.
    package let port: Int
    private let process: Process
    private let stdin: Pipe
    private let directory: TemporaryDirectory

    /// `http://127.0.0.1:<port>`
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    package init(rules: [ScriptedRule]) throws {
        directory = try TemporaryDirectory(prefix: "dpbridge-scripted")
        let script = try directory.write("server.py", scriptedServerSource)
        let rulesData = try JSONEncoder().encode(rules)
        try rulesData.write(to: URL(fileURLWithPath: directory.file("rules.json")))
        _ = FileManager.default.createFile(atPath: directory.file("requests.jsonl"), contents: nil)

        process = Process()
        let python = "/usr/bin/python3"
        if FileManager.default.isExecutableFile(atPath: python) {
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script, directory.file("rules.json"), directory.file("requests.jsonl")]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, directory.file("rules.json"), directory.file("requests.jsonl")]
        }
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()

        // The server prints its port on the first line once it listens.
        var line = Data()
        let reader = stdout.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(text) else {
            process.terminate()
            directory.remove()
            throw CocoaError(
                .fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "scripted server did not start: \(text)"])
        }
        self.port = port
    }

    deinit { stop() }

    /// The requests received so far, in arrival order.
    package func requests() throws -> [RecordedRequest] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("requests.jsonl")))
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try decoder.decode(RecordedRequest.self, from: Data($0))
        }
    }

    /// Stops the server and removes its files.
    package func stop() {
        if process.isRunning {
            try? stdin.fileHandleForWriting.close()
            process.terminate()
            process.waitUntilExit()
        }
        directory.remove()
    }
}

private let scriptedServerSource = #"""
    import json, os, sys, threading, time
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

    rules = json.load(open(sys.argv[1]))
    log_path = sys.argv[2]
    lock = threading.Lock()
    counters = [0] * len(rules)

    def pick(method, path):
        for index, rule in enumerate(rules):
            if rule.get("method") not in (None, method):
                continue
            if rule["prefix"]:
                if not path.startswith(rule["path"]):
                    continue
            elif path != rule["path"]:
                continue
            with lock:
                turn = counters[index]
                counters[index] += 1
            responses = rule["responses"]
            return responses[min(turn, len(responses) - 1)]
        return {"status": 404, "headers": {"Content-Type": "application/json"},
                "body": '{"message":"no scripted rule"}', "delay": 0, "close": False}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            entry = {"method": self.command, "target": self.path,
                     "headers": [[k, v] for k, v in self.headers.items()],
                     "body": body.decode("utf-8", "replace"),
                     "client_port": self.client_address[1]}
            with lock:
                with open(log_path, "a") as log:
                    log.write(json.dumps(entry) + "\n")
            answer = pick(self.command, self.path.split("?", 1)[0])
            if answer.get("delay"):
                time.sleep(answer["delay"])
            payload = answer.get("body", "").encode()
            self.send_response(answer["status"])
            for name, value in answer.get("headers", {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            if answer.get("close"):
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any

    def watch_parent():
        sys.stdin.read()
        os._exit(0)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=watch_parent, daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#

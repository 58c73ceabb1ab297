import Glibc

/// Shows the progress of a long walk on stderr: a bar redrawn in place on a terminal,
/// one plain line per step otherwise (journal, CI logs, pipes).
struct ProgressReporter {
    let label: String
    let isTerminal = isatty(2) == 1

    func update(done: Int, total: Int, detail: String) {
        if isTerminal {
            let width = 30
            let filled = total > 0 ? min(width, done * width / total) : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            printError("\u{1B}[2K\r\(label) [\(bar)] \(done)/\(total) \(detail)", newline: false)
        } else {
            printError("\(label): \(done)/\(total) \(detail)")
        }
    }

    func finish() {
        if isTerminal { printError("") }
    }
}

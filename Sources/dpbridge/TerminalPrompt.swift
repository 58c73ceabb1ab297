import Foundation
import Glibc

/// Questions asked on the terminal (standard input), prompts on standard error.
enum TerminalPrompt {
    /// True when standard input is a terminal: only then may a command ask.
    static var isAvailable: Bool { isatty(0) == 1 }

    /// Asks until a non-empty line is given; nil at end of input. A `hidden` answer is
    /// typed with the terminal's echo off (turned off before the question shows).
    static func ask(_ question: String, hidden: Bool = false) -> String? {
        var saved = termios()
        let silenced = hidden && tcgetattr(0, &saved) == 0
        if silenced {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSANOW, &silent)
        }
        defer {
            if silenced {
                tcsetattr(0, TCSANOW, &saved)
            }
        }
        while true {
            printError("\(question): ", newline: false)
            let answer = readLine(strippingNewline: true)
            if silenced { printError("") }
            guard let answer else { return nil }
            let trimmed = answer.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { return trimmed }
        }
    }
}

/// Text put into the status page's HTML: every character that could end a text node or an
/// attribute value (`&`, `<`, `>`, `"`, `'`) becomes a character reference, so a name or a
/// reason from Docplanner, the clinic or a callback can never become markup. Every value
/// the page did not write itself goes through `escape`.
enum HTMLText {
    static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\0": result += "\u{FFFD}"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}

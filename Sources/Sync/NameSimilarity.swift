import Foundation

/// How alike two names are, 0…1, for `map auto`: case, diacritics, punctuation and
/// titles (dr, prof, lek., med., …) are ignored; 1 means the same words, otherwise the
/// Dice coefficient of the word sets.
enum NameSimilarity {
    /// Words that say nothing about who or what is named.
    static let ignoredWords: Set<String> = [
        "dr", "doctor", "prof", "lek", "med", "dent", "mgr", "hab", "n", "the", "mr", "mrs", "ms", "md", "phd",
    ]

    static func score(_ a: String, _ b: String) -> Double {
        let x = words(a)
        let y = words(b)
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        if x == y { return 1 }
        return 2 * Double(x.intersection(y).count) / Double(x.count + y.count)
    }

    /// The meaningful words of `text`, lower-cased and without diacritics.
    static func words(_ text: String) -> Set<String> {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: "ł", with: "l")
        let parts = folded.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        let meaningful = parts.filter { !ignoredWords.contains($0) }
        return Set(meaningful.isEmpty ? parts : meaningful)
    }

    /// A license number without spaces, dashes and its prefix letters' case.
    static func normalizedLicense(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }
}

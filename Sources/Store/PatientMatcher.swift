/// One patient's phone numbers and e-mail addresses, found in stored text for erasure on
/// request (GDPR art. 17).
///
/// A phone matches whatever the spaces, dashes, dots, slashes and brackets: `+48 500-100-200`
/// is `+48500100200` is `0048500100200`. A number written without a country code also
/// matches one written with it (1 to 3 digits) followed by the same number, a leading
/// trunk `0` aside: `500 100 200` matches `+48500100200`, `07700 900123` matches
/// `+44 7700 900123`. E-mail addresses match whatever their case.
package struct PatientMatcher: Sendable, Equatable {
    /// Why an identifier cannot be used to find a patient.
    package struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
    }

    let phones: [PhoneNumber]
    /// Lower-cased.
    let emails: [[UInt8]]

    /// Fewer digits than this could belong to anyone: refused.
    static let minimumPhoneDigits = 6

    /// At least one phone or e-mail address. Throws `Invalid` for a phone with fewer than
    /// 6 digits or characters other than digits, `+` and separators, or an address
    /// without `@`.
    package init(phones: [String], emails: [String]) throws(Invalid) {
        var parsedPhones: [PhoneNumber] = []
        for text in phones {
            let trimmed = text.trimmingWhitespace
            guard
                trimmed.utf8.allSatisfy({
                    PhoneNumber.isDigit($0) || PhoneNumber.isSeparator($0) || $0 == UInt8(ascii: "+")
                }),
                let phone = PhoneNumber(trimmed.utf8), phone.digits.count >= Self.minimumPhoneDigits
            else {
                throw Invalid(
                    description: "\"\(text)\" is not a phone number (at least \(Self.minimumPhoneDigits) digits)")
            }
            parsedPhones.append(phone)
        }
        var parsedEmails: [[UInt8]] = []
        for text in emails {
            let trimmed = text.trimmingWhitespace
            let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !trimmed.contains(" ") else {
                throw Invalid(description: "\"\(text)\" is not an e-mail address")
            }
            parsedEmails.append(Array(trimmed.utf8).map(Self.lowercased))
        }
        guard !parsedPhones.isEmpty || !parsedEmails.isEmpty else {
            throw Invalid(description: "say whose data: give a phone number or an e-mail address")
        }
        self.phones = parsedPhones
        self.emails = parsedEmails
    }

    /// Whether one of the patient's phones or addresses occurs anywhere in `text`.
    package func occurs(in text: some Collection<UInt8>) -> Bool {
        !ranges(in: Array(text)).isEmpty
    }

    /// Whether one of the patient's phones or addresses occurs anywhere in `text`.
    package func occurs(in text: String) -> Bool {
        occurs(in: text.utf8)
    }

    /// `text` with each occurrence replaced by `[erased]`.
    package func masked(_ text: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var position = 0
        for range in ranges(in: text) {
            result += text[position..<range.lowerBound]
            result += Array("[erased]".utf8)
            position = range.upperBound
        }
        result += text[position...]
        return result
    }

    /// Where the patient's phones and addresses occur in `text`, in order, not overlapping.
    func ranges(in text: [UInt8]) -> [Range<Int>] {
        var found = phoneRanges(in: text) + emailRanges(in: text)
        found.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in found {
            if let last = merged.last, range.lowerBound < last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Runs that look like a phone number (a `+` or digit not preceded by a letter or digit,
    /// then digits and single separators) whose number is one of the patient's.
    private func phoneRanges(in text: [UInt8]) -> [Range<Int>] {
        guard !phones.isEmpty else { return [] }
        var ranges: [Range<Int>] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            let startsRun =
                (PhoneNumber.isDigit(byte) || byte == UInt8(ascii: "+"))
                && (index == 0 || !Self.isWordByte(text[index - 1]))
            guard startsRun else {
                index += 1
                continue
            }
            var end = index + 1
            var lastDigit = PhoneNumber.isDigit(byte) ? index : -1
            var separators = 0
            while end < text.count {
                let next = text[end]
                if PhoneNumber.isDigit(next) {
                    lastDigit = end
                    separators = 0
                } else if PhoneNumber.isSeparator(next) && separators < 2 {
                    separators += 1
                } else {
                    break
                }
                end += 1
            }
            if lastDigit >= index, let number = PhoneNumber(text[index...lastDigit]),
                phones.contains(where: { $0.matches(number) })
            {
                ranges.append(index..<(lastDigit + 1))
            }
            index = max(end, index + 1)
        }
        return ranges
    }

    /// Occurrences of the patient's addresses, in any case, not inside a longer address.
    private func emailRanges(in text: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for email in emails where email.count <= text.count {
            var index = 0
            while index + email.count <= text.count {
                var equal = true
                for offset in 0..<email.count where Self.lowercased(text[index + offset]) != email[offset] {
                    equal = false
                    break
                }
                let end = index + email.count
                if equal, index == 0 || !Self.isEmailByte(text[index - 1]),
                    end == text.count || !Self.continuesDomain(text, end)
                {
                    ranges.append(index..<end)
                    index = end
                } else {
                    index += 1
                }
            }
        }
        return ranges
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        PhoneNumber.isDigit(byte) || (lowercased(byte) >= UInt8(ascii: "a") && lowercased(byte) <= UInt8(ascii: "z"))
            || byte >= 0x80
    }

    /// A byte that may be part of an address's local part.
    private static func isEmailByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || "._%+-".utf8.contains(byte)
    }

    /// Whether the domain goes on at `index` (a letter, digit or dash, or a dot followed by one).
    private static func continuesDomain(_ text: [UInt8], _ index: Int) -> Bool {
        let byte = text[index]
        if isWordByte(byte) || byte == UInt8(ascii: "-") { return true }
        return byte == UInt8(ascii: ".") && index + 1 < text.count && isWordByte(text[index + 1])
    }
}

/// A phone number reduced to its digits, and whether it was written with a country code.
struct PhoneNumber: Sendable, Equatable {
    /// The digits after `+` or `00` when written with a country code; all of them otherwise.
    let digits: [UInt8]
    let international: Bool

    /// Nil when `text` holds no digit.
    init?(_ text: some Collection<UInt8>) {
        var digits = text.filter(Self.isDigit)
        var international = text.first == UInt8(ascii: "+")
        if !international, digits.starts(with: [UInt8(ascii: "0"), UInt8(ascii: "0")]),
            text.first.map(Self.isDigit) == true
        {
            digits.removeFirst(2)
            international = true
        }
        guard !digits.isEmpty else { return nil }
        self.digits = digits
        self.international = international
    }

    /// The same digits; or a number without a country code (a trunk `0` aside, at least 6
    /// digits) that ends one with a country code of 1 to 3 digits.
    func matches(_ other: PhoneNumber) -> Bool {
        if digits == other.digits { return true }
        guard international != other.international else { return false }
        let (full, national) = international ? (self, other) : (other, self)
        var local = national.digits[...]
        if local.first == UInt8(ascii: "0") { local = local.dropFirst() }
        let extra = full.digits.count - local.count
        return local.count >= PatientMatcher.minimumPhoneDigits && (1...3).contains(extra)
            && full.digits.suffix(local.count).elementsEqual(local)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Characters people write inside phone numbers.
    static func isSeparator(_ byte: UInt8) -> Bool { " -./()".utf8.contains(byte) }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

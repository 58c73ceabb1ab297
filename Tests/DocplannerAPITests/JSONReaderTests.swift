import DocplannerAPI
import Foundation
import Simulator
import Testing

/// `JSONReader` and `JSONValueDecoder` against Foundation's `JSONSerialization` and
/// `JSONDecoder` on the same texts: the callback path must read what Foundation reads,
/// refuse what it refuses, and decode the models to the same values.
@Suite struct JSONReaderTests {
    private func foundationValue(_ text: [UInt8]) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text))
    }

    @Test func everyDocumentExampleReadsAsFoundationReadsIt() throws {
        #expect(Fixtures.callbackExamples.count >= 20)
        for (name, data) in Fixtures.callbackExamples {
            let bytes = [UInt8](data)
            #expect(try JSONReader.read(bytes) == foundationValue(bytes), "\(name)")
            let ours = try DocplannerNotification.decode(bytes)
            let foundation = try JSONDecoder().decode(DocplannerNotification.self, from: data)
            #expect(ours == foundation, "\(name)")
            #expect(ours.identityKey == foundation.identityKey, "\(name)")
        }
    }

    @Test func documentExamplesAsTheDocumentPrintsThem() throws {
        // The fixture file itself: indented, with escapes and non-ASCII text, as published.
        let url = try #require(
            Bundle.module.url(forResource: "callback-examples", withExtension: "json", subdirectory: "Fixtures"))
        let bytes = try [UInt8](Data(contentsOf: url))
        #expect(try JSONReader.read(bytes) == foundationValue(bytes))
    }

    @Test func oddButValidTexts() throws {
        let texts = [
            #"  {"a" : [ 1 , -2 , 3.5 , -0.25e2 , 1E+2 , 0 , -0 ] , "b" : { } , "c" : [ ] }  "#,
            #"{"s":"quote \" backslash \\ slash \/ \b\f\n\r\t end"}"#,
            #"{"u":"\u0041\u00e9\u4e2d\ud83d\ude00 é 中 😀"}"#,
            #"{"big":9223372036854775807,"small":-9223372036854775808,"bigger":9223372036854775808}"#,
            #"{"nested":[[[{"x":[null,true,false]}]]]}"#,
            #"["top-level array", 1]"#,
            #"{"trailing": [1, 2, ], "comma": {"a": 1, }, }"#,
            #""a string alone""#,
            "12",
            "null",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            #expect(try JSONReader.read(bytes) == foundationValue(bytes), "\(text)")
        }
        #expect(
            try JSONReader.read(#"{"big":9223372036854775808}"#) == .object(["big": .double(9_223_372_036_854_775_808)])
        )
        #expect(
            try JSONReader.read(#"{"i":-12,"d":1.0,"e":1e2,"f":0.5}"#)
                == .object(["i": .int(-12), "d": .int(1), "e": .int(100), "f": .double(0.5)]))
    }

    @Test func theLastOfDuplicateNamesWins() throws {
        #expect(try JSONReader.read(#"{"a":1,"a":2}"#) == .object(["a": .int(2)]))
    }

    @Test func aLoneSurrogateReadsAsReplacementCharacter() throws {
        #expect(try JSONReader.read(#"["\ud83d x"]"#) == .array([.string("\u{FFFD} x")]))
        #expect(try JSONReader.read(#"["\ude00"]"#) == .array([.string("\u{FFFD}")]))
    }

    @Test func invalidTextsAreRefusedWithWhere() {
        let texts: [(text: [UInt8], reason: String, offset: Int)] = [
            (Array("".utf8), "unexpected end of the text", 0),
            (Array("   ".utf8), "unexpected end of the text", 3),
            (Array("{".utf8), "unexpected end of the text", 1),
            (Array(#"{"a":1,,}"#.utf8), "expected a member name", 7),
            (Array(#"{,}"#.utf8), "expected a member name", 1),
            (Array("[1,,]".utf8), "unexpected character", 3),
            (Array("[,]".utf8), "unexpected character", 1),
            (Array("[1 2]".utf8), "expected ',' or ']'", 3),
            (Array(#"{"a" 1}"#.utf8), "expected ':'", 5),
            (Array(#"{"a":1 "b":2}"#.utf8), "expected ',' or '}'", 7),
            (Array("[01]".utf8), "invalid number (leading zero)", 1),
            (Array("[1.]".utf8), "invalid number", 1),
            (Array("[.5]".utf8), "unexpected character", 1),
            (Array("[-]".utf8), "invalid number", 1),
            (Array("[1e]".utf8), "invalid number", 1),
            (Array("[tru]".utf8), "unexpected character", 4),
            (Array("[nul".utf8), "unexpected end of the text", 1),
            (Array(#"["abc"#.utf8), "unterminated string", 1),
            (Array(#"["a\x"]"#.utf8), "invalid escape in a string", 3),
            (Array(#"["\u12G4"]"#.utf8), "invalid \\u escape", 6),
            (Array("[\"a\u{01}b\"]".utf8), "control character in a string", 3),
            ([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D], "invalid UTF-8 in a string", 2),
            ([0x5B, 0x22, 0x5C, 0x6E, 0xFF, 0x22, 0x5D], "invalid UTF-8 in a string", 2),
            (Array("{} x".utf8), "unexpected text after the value", 3),
            (Array("{}{}".utf8), "unexpected text after the value", 2),
            (Array("'a'".utf8), "unexpected character", 0),
        ]
        for (text, reason, offset) in texts {
            #expect(throws: JSONReader.Failure(reason: reason, offset: offset), "\(text)") {
                try JSONReader.read(text)
            }
            // Foundation refuses them too.
            #expect(
                (try? JSONSerialization.jsonObject(with: Data(text), options: [.fragmentsAllowed])) == nil, "\(text)")
        }
    }

    @Test func nestingPastTheLimitIsRefusedNotRecursedInto() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONReader.Failure(reason: "nesting deeper than 256", offset: 256)) {
            try JSONReader.read(deep)
        }
        let atLimit = Array(repeating: UInt8(ascii: "["), count: 256) + Array(repeating: UInt8(ascii: "]"), count: 256)
        #expect((try? JSONReader.read(atLimit)) != nil)
    }

    @Test func randomDocumentsRoundTripThroughFoundationsEncoder() throws {
        var generator = SplitMix64(seed: 17)
        let encoder = JSONEncoder()
        for _ in 0..<300 {
            let value = randomValue(depth: 0, using: &generator)
            let bytes = try [UInt8](encoder.encode(value))
            #expect(try JSONReader.read(bytes) == value)
        }
    }

    @Test func mutatedExamplesAreReadOrRefusedAsFoundationDoes() throws {
        // Each example with a few bytes replaced, inserted or deleted (JSON's own characters
        // among them): accepted exactly when JSONSerialization accepts it, and then to the
        // value Foundation's decoder reads.
        var generator = SplitMix64(seed: 23)
        let alphabet = Array(#"{}[]:,"\/ 0123456789.-+eEtrufalsn"#.utf8) + [0x01, 0xC3, 0xA9, 0xFF, 0x00]
        let examples = Fixtures.callbackExamples.keys.sorted().map { [UInt8](Fixtures.callbackExamples[$0]!) }
        var accepted = 0
        for round in 0..<3000 {
            var bytes = examples[round % examples.count]
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                let byte = alphabet.randomElement(using: &generator)!
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: bytes.remove(at: at)
                }
            }
            let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            let ours = try? JSONReader.read(bytes)
            #expect((ours != nil) == (foundation != nil), "\(String(decoding: bytes, as: UTF8.self))")
            if let ours {
                accepted += 1
                #expect(ours == (try? foundationValue(bytes)), "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(accepted > 100, "some mutations keep the text JSON")
    }

    private func randomValue(depth: Int, using generator: inout SplitMix64) -> JSONValue {
        let kinds = depth > 3 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &generator))
        case 3: return .double(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) + 0.5)
        case 4:
            let scalars = (0..<Int.random(in: 0..<12, using: &generator)).map { _ in
                Unicode.Scalar(UInt32.random(in: 1...0x2FFF, using: &generator)).map(Character.init) ?? "x"
            }
            return .string(String(scalars) + "\"\\/\n")
        case 5:
            return .array(
                (0..<Int.random(in: 0..<4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                })
        default:
            var members: JSONObject = [:]
            for index in 0..<Int.random(in: 0..<4, using: &generator) {
                members["k\(index)é"] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }
}

/// `JSONValueDecoder` converts as Foundation's `JSONDecoder` does, no more.
@Suite struct JSONValueDecoderTests {
    private struct Sample: Decodable, Equatable {
        var int: Int
        var double: Double
        var float: Float
        var text: String
        var flag: Bool
        var list: [UInt8]
        var optional: String?
        var nested: [String: [Int64]]
    }

    private let text = #"""
        {"int": 5.0, "double": 7, "float": 1.5, "text": "é", "flag": true, "list": [1, 2, 255],
         "optional": null, "nested": {"a": [-1, 2]}}
        """#

    @Test func decodesAsFoundationDoes() throws {
        let ours = try JSONValueDecoder().decode(Sample.self, from: Array(text.utf8))
        let foundation = try JSONDecoder().decode(Sample.self, from: Data(text.utf8))
        #expect(ours == foundation)
        #expect(ours.int == 5 && ours.double == 7 && ours.list == [1, 2, 255])
    }

    @Test func refusesWhatFoundationRefuses() {
        let texts = [
            text.replacingOccurrences(of: #""int": 5.0"#, with: #""int": 5.5"#),
            text.replacingOccurrences(of: #""int": 5.0"#, with: #""int": "5""#),
            text.replacingOccurrences(of: #""text": "é""#, with: #""text": 1"#),
            text.replacingOccurrences(of: #""flag": true"#, with: #""flag": 1"#),
            text.replacingOccurrences(of: "255", with: "256"),
            text.replacingOccurrences(of: #""int": 5.0,"#, with: ""),
            text.replacingOccurrences(of: #""text": "é""#, with: #""text": null"#),
            text.replacingOccurrences(of: #"{"a": [-1, 2]}"#, with: "[]"),
        ]
        for text in texts {
            #expect(throws: DecodingError.self, "\(text)") {
                try JSONValueDecoder().decode(Sample.self, from: Array(text.utf8))
            }
            #expect(throws: DecodingError.self, "\(text)") {
                try JSONDecoder().decode(Sample.self, from: Data(text.utf8))
            }
        }
    }

    @Test func errorsNameThePathAndTheKindFound() {
        let bad = text.replacingOccurrences(of: "[-1, 2]", with: #"[-1, "2"]"#)
        do {
            _ = try JSONValueDecoder().decode(Sample.self, from: Array(bad.utf8))
            Issue.record("decoded")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["nested", "a", "Index 1"])
            #expect(context.debugDescription == "the value is a string")
        } catch {
            Issue.record("\(error)")
        }
    }
}

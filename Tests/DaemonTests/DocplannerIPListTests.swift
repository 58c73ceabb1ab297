import Foundation
import Testing

@testable import Daemon

@Suite struct DocplannerIPListTests {
    @Test func theDocumentedExampleWithItsTrailingCommaIsRead() throws {
        let published = """
            {
              "API": [
                "10.0.1.12",
                "10.10.0.0/16",
                "2001:db8::5",
              ]
            }
            """
        let list = try DocplannerIPList(json: Data(published.utf8))
        #expect(list.blocks.map(\.description) == ["10.0.1.12/32", "10.10.0.0/16", "2001:db8::5/128"])
        #expect(list.skipped.isEmpty)
    }

    @Test func trailingCommasGoOnlyOutsideStrings() {
        let text = #"{"a": ["x,]", "y\",}",], "b": {"c": 1,},}"#
        let cleaned = String(decoding: DocplannerIPList.removingTrailingCommas(Array(text.utf8)), as: UTF8.self)
        #expect(cleaned == #"{"a": ["x,]", "y\",}"], "b": {"c": 1}}"#)
    }

    @Test func strictJSONAndOtherKeysAreFine() throws {
        let list = try DocplannerIPList(json: Data(#"{"WEB":["1.1.1.1"],"api":["203.0.113.1"]}"#.utf8))
        #expect(list.blocks == [try CIDRBlock("203.0.113.1")])
    }

    @Test func entriesThatAreNotAddressesAreSkipped() throws {
        let list = try DocplannerIPList(json: Data(#"{"API":["10.0.xxx.xx","203.0.113.1",7]}"#.utf8))
        #expect(list.blocks == [try CIDRBlock("203.0.113.1")])
        #expect(list.skipped == ["10.0.xxx.xx", "7"])
    }

    @Test func unusableDocumentsGetClearErrors() {
        #expect(throws: DocplannerIPListError.noUsableAddress(skipped: [])) {
            try DocplannerIPList(json: Data(#"{"API": [ ]}"#.utf8))
        }
        #expect(throws: DocplannerIPListError.noUsableAddress(skipped: ["10.0.xxx.xx"])) {
            try DocplannerIPList(json: Data(#"{"API": ["10.0.xxx.xx",]}"#.utf8))
        }
        #expect(throws: DocplannerIPListError.noList) { try DocplannerIPList(json: Data(#"{"ips": []}"#.utf8)) }
        #expect(throws: DocplannerIPListError.noList) { try DocplannerIPList(json: Data(#"{"API": "1.2.3.4"}"#.utf8)) }
        #expect(throws: DocplannerIPListError.notJSON("<html>")) { try DocplannerIPList(json: Data("<html>".utf8)) }
        #expect(throws: DocplannerIPListError.notJSON(#"["1.2.3.4"]"#)) {
            try DocplannerIPList(json: Data(#"["1.2.3.4"]"#.utf8))
        }
    }
}

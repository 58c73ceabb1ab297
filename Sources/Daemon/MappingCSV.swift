import Foundation
import Store
import SwiftCSV

/// `dpbridge map export` / `import`: every discovered resource as one CSV line, so
/// that a person can fill in partner ids in a spreadsheet and load them back.
/// Columns: kind, docplanner_id, name, facility_id, doctor_id, address_id,
/// insurance_provider_id (a plan's provider), partner_id, source, confidence. Import
/// reads kind, docplanner_id and partner_id (an empty partner_id unbinds); the other
/// columns are there for the reader.
package enum MappingCSV {
    static let header = [
        "kind", "docplanner_id", "name", "facility_id", "doctor_id", "address_id", "insurance_provider_id",
        "partner_id",
        "source", "confidence",
    ]

    /// The CSV text for `resources`.
    package static func export(_ resources: [MappedResource]) -> String {
        var lines = [line(header)]
        for entry in resources {
            let r = entry.resource
            lines.append(
                line([
                    r.kind.rawValue, r.id, r.name, r.facilityID ?? "", r.doctorID ?? "", r.addressID ?? "",
                    r.insuranceProviderID ?? "", entry.mapping?.partnerID ?? "", entry.mapping?.source.rawValue ?? "",
                    entry.mapping?.confidence.map { String(format: "%.2f", $0) } ?? "",
                ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A line of a file that cannot be imported.
    package struct ImportError: Error, Sendable, CustomStringConvertible {
        package var line: Int
        package var reason: String
        package var description: String { line > 0 ? "line \(line): \(reason)" : reason }
    }

    /// The changes `text` asks for. Every line is checked; all problems are returned
    /// together; apply nothing when there is any.
    /// `lines` holds the line number of each change.
    package static func parse(_ text: String) -> (changes: [Mappings.Change], lines: [Int], errors: [ImportError]) {
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            return ([], [], [ImportError(line: 0, reason: "not valid CSV: \(error)")])
        }
        let columns = csv.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let kindColumn = columns.firstIndex(of: "kind"), let idColumn = columns.firstIndex(of: "docplanner_id"),
            let partnerColumn = columns.firstIndex(of: "partner_id")
        else {
            return (
                [], [],
                [ImportError(line: 1, reason: "the header must name the columns kind, docplanner_id and partner_id")]
            )
        }
        var changes: [Mappings.Change] = []
        var lines: [Int] = []
        var errors: [ImportError] = []
        var seen: [String: Int] = [:]
        for (offset, row) in csv.rows.enumerated() {
            let number = offset + 2
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func field(_ column: Int) -> String {
                column < row.count ? row[column].trimmingCharacters(in: .whitespaces) : ""
            }
            guard let kind = ResourceKind(rawValue: field(kindColumn).lowercased()) else {
                let names = ResourceKind.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(.init(line: number, reason: "kind '\(field(kindColumn))' is not one of \(names)"))
                continue
            }
            let id = field(idColumn)
            guard !id.isEmpty else {
                errors.append(.init(line: number, reason: "docplanner_id is empty"))
                continue
            }
            let key = "\(kind.rawValue)/\(id)"
            if let first = seen[key] {
                errors.append(.init(line: number, reason: "\(kind.rawValue) \(id) is also on line \(first)"))
                continue
            }
            seen[key] = number
            let partner = field(partnerColumn)
            changes.append(.init(kind: kind, docplannerID: id, partnerID: partner.isEmpty ? nil : partner))
            lines.append(number)
        }
        return (changes, lines, errors)
    }

    static func line(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }
}

import Foundation
import Store

/// The last activation report of a facility and when it was checked, kept in the store
/// (`store_values`, one key per facility) each time activation runs, so the daemon's
/// status page can show the five steps as last checked.
package struct ActivationRecord: Sendable, Codable, Equatable {
    package var checkedAt: Date
    package var report: ActivationReport

    package init(checkedAt: Date, report: ActivationReport) {
        self.checkedAt = checkedAt
        self.report = report
    }

    enum CodingKeys: String, CodingKey {
        case checkedAt = "checked_at"
        case report
    }

    /// The `store_values` key of `facilityID`'s record.
    static func key(facilityID: String) -> String { keyPrefix + facilityID }
    static let keyPrefix = "activation_report:"

    /// Keeps `self` as its facility's last record (replacing the one before), durably.
    package func keep(in store: Store) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        try store.values.setAndWait(Self.key(facilityID: report.facilityID), String(decoding: data, as: UTF8.self))
    }

    /// Every facility's last record, by facility id; records that cannot be read are skipped.
    package static func all(in store: Store) throws(StoreError) -> [ActivationRecord] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try store.values.entries(prefix: keyPrefix).compactMap {
            try? decoder.decode(ActivationRecord.self, from: Data($0.entry.value.utf8))
        }
    }
}

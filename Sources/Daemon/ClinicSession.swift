import DocplannerAPI
import Foundation
import Partner
import Store
import Sync

/// What an operator command (`map`, `activate`) works with, opened from the
/// configuration: the store, the clinic calendar (the embedded file, or the HTTP
/// adapter's mirror with events forwarded to the partner) and a Docplanner client.
/// It may run beside the daemon: SQLite's WAL lets both use the files.
package final class ClinicSession: Sendable {
    package let configuration: DaemonConfiguration
    package let store: Store
    /// The calendar file (clinic_* catalog, dpbridge_mappings).
    package let calendarFile: EmbeddedPartner
    package let partner: any PartnerSystem & ClinicCalendar
    package let docplanner: DocplannerClient

    package init(configuration: DaemonConfiguration) throws(StartupError) {
        self.configuration = configuration
        do {
            store = try Store(location: configuration.storeLocation)
        } catch {
            throw .store(path: configuration.storeDescription, reason: "\(error)")
        }
        do {
            let opened = try Self.openPartner(configuration)
            (calendarFile, partner) = (opened.file, opened.partner)
        } catch {
            store.close()
            throw .partner(reason: "\(error)")
        }
        docplanner = DocplannerClient(configuration: configuration.docplanner.clientConfiguration)
    }

    /// The clinic calendar for `configuration.partner`: the embedded file, or the HTTP
    /// adapter's mirror beside the store with every event forwarded to the partner first.
    /// `forwardObserver` hears of every POST to the partner endpoint (metrics).
    static func openPartner(
        _ configuration: DaemonConfiguration, forwardObserver: (@Sendable (PartnerForwarder.Attempt) -> Void)? = nil
    ) throws -> (file: EmbeddedPartner, partner: any PartnerSystem & ClinicCalendar, adapter: String) {
        switch configuration.partner {
        case .embedded(let path):
            if !configuration.calendarOnPostgres { try DaemonRuntime.ensureParentDirectory(of: path) }
            let file = try EmbeddedPartner(location: configuration.calendarLocation)
            return (file, file, "embedded")
        case .http(let url, let secret, let timeoutSeconds):
            let path = DaemonRuntime.mirrorPath(storePath: configuration.storePath)
            if !configuration.calendarOnPostgres { try DaemonRuntime.ensureParentDirectory(of: path) }
            let file = try EmbeddedPartner(location: configuration.calendarLocation)
            let forwarder = PartnerForwarder(
                url: url, secret: secret.value, timeoutSeconds: timeoutSeconds, observer: forwardObserver)
            return (file, HTTPPartner(mirror: file, forwarder: forwarder), "http")
        }
    }

    /// Copies the store's mappings into the calendar's `dpbridge_mappings`, where clinic
    /// software reads them.
    package func publishMappings() throws {
        try calendarFile.publishMappings(try store.mappings.mappings().map(CalendarMapping.init))
    }

    package func close() { store.close() }
}

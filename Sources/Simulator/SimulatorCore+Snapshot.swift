import DocplannerAPI
import Foundation

extension SimulatorCore {
    /// Everything `GET /_sim/state` shows.
    func snapshot() -> SimulatorSnapshot {
        let now = clock.now()
        let (bookings, calendars, units, breaks, services) = store.withLock { state in
            (
                state.bookings.map { Self.state(of: $0, timeZone: timeZone) },
                Dictionary(uniqueKeysWithValues: state.addresses.map { ($0.id, $0.calendar.rawValue) }),
                state.slots.mapValues(\.count), state.breaks.count, state.addressServices.count
            )
        }
        let pingStatus = pings.map { monitor in
            let status = monitor.current
            return SimulatorSnapshot.Pings(
                sent: status.sent, failed: status.failed, consecutiveFailures: status.consecutiveFailures,
                mostConsecutiveFailures: status.mostConsecutiveFailures,
                alert: status.alertRaised, alerts: status.alerts, lastStatus: status.lastStatus,
                lastError: status.lastError)
        }
        let deliveries = (hub.dispatcher?.records ?? []).map { record in
            SimulatorSnapshot.Delivery(
                name: record.name, status: record.status, error: record.error, blocking: record.blocking,
                redelivery: record.redelivery, errorCode: record.errorCode, at: text(record.at).text)
        }
        let budgets = (limits?.usage(now: now) ?? []).map { usage in
            SimulatorSnapshot.Budget(
                client: usage.client, kind: usage.kind.rawValue, used: usage.used, limit: usage.limit,
                resetsAt: text(usage.resetsAt).text)
        }
        return SimulatorSnapshot(
            now: text(now).text, mode: configuration.mode.rawValue, callbackURL: configuration.callbackURL,
            bookings: bookings, calendars: calendars, slotUnits: units, breaks: breaks, addressServices: services,
            tokensIssued: tokens.issued, pings: pingStatus, deliveries: deliveries,
            pullQueue: hub.queue.count(now: now),
            failedPushes: hub.redelivery.pending,
            redeliveries: hub.redelivery.scheduled.map {
                SimulatorSnapshot.Redelivery(name: $0.name, resent: $0.resent, dueAt: text($0.dueAt ?? 0).text)
            },
            releases: hub.redelivery.releases, requestsTotal: requests.total,
            writesTotal: requests.writes,
            requests: requests.entries.map {
                SimulatorSnapshot.Request(
                    method: $0.method, path: $0.path, status: $0.status, at: $0.at, fault: $0.fault)
            },
            rateLimits: budgets, rateLimited: limits?.refused ?? 0, faults: faults.plan, faultsInjected: faults.injected
        )
    }
}

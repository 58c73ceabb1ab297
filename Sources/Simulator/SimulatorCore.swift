import Dispatch
import DocplannerAPI
import Foundation
import Logging

/// The parts of a running simulator, shared by its routes and threads.
final class SimulatorCore: Sendable {
    let configuration: SimulatorConfiguration
    let clock: any DocplannerClock
    let logger: Logger
    let store: SimulatorStore
    let tokens: TokenIssuer
    let limits: RateLimitWindows?
    let faults: FaultInjector
    let hub: NotificationHub
    let pings: PingMonitor?
    /// Re-sends failed pushes when due (PUSH modes with a callback URL).
    let redeliveries: RedeliveryLoop?
    let requests: RequestLog
    /// Admin actions run here one at a time, off the event loop: they wait for callbacks.
    let actions = DispatchQueue(label: "dpbridge.simulator.actions")

    init(configuration: SimulatorConfiguration, clock: any DocplannerClock, logger: Logger) {
        self.configuration = configuration
        requests = RequestLog(capacity: configuration.requestLogCapacity)
        self.clock = clock
        self.logger = logger
        store = SimulatorStore(
            SimulatorDataset.make(
                now: clock.now(), timeZone: configuration.timeZone, extraDoctors: configuration.extraDoctors,
                clinicDoctors: configuration.clinicDoctors))
        tokens = TokenIssuer(
            clientID: configuration.clientID, clientSecret: configuration.clientSecret,
            lifetime: configuration.tokenLifetime)
        limits = configuration.rateLimits.map { RateLimitWindows(policy: $0, timeZone: configuration.timeZone) }
        faults = FaultInjector(configuration.faults)
        let dispatcher = configuration.callbackURL.map {
            CallbackDispatcher(
                url: $0, headers: configuration.callbackHeaders, timeout: configuration.callbackTimeout, logger: logger)
        }
        hub = NotificationHub(configuration: configuration, dispatcher: dispatcher, logger: logger)
        redeliveries = dispatcher != nil && configuration.mode.pushes ? RedeliveryLoop(hub: hub, clock: clock) : nil
        pings = dispatcher.map {
            PingMonitor(
                dispatcher: $0, interval: configuration.pingInterval, threshold: configuration.pingAlertThreshold,
                clock: clock, logger: logger)
        }
    }

    var timeZone: TimeZone { configuration.timeZone }

    /// `date` as Docplanner writes it.
    func text(_ seconds: Double) -> DocplannerDateTime {
        DocplannerDateTime(Date(timeIntervalSince1970: seconds), timeZone: timeZone)
    }
}

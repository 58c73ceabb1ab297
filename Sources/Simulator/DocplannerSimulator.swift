import DocplannerAPI
import Foundation
import HTTP1
import Logging
import Synchronization

/// A local stand-in for Docplanner, served on the project's HTTP1 server: the OAuth token
/// endpoint, the Integrations API under `/api/v3/integration` with in-memory state seeded
/// from a small dataset, rate limits, injected faults, PUSH callbacks with pings of the
/// callback URL, the PULL queue, the published list of Docplanner's addresses, and an
/// admin API under `/_sim` to act as a patient or doctor. Time (token expiry, rate windows, pings, releases) follows `clock`.
package final class DocplannerSimulator: Sendable {
    package let configuration: SimulatorConfiguration
    let core: SimulatorCore
    private let server: HTTPServer
    private let boundPort = Mutex<Int?>(nil)

    package init(
        configuration: SimulatorConfiguration = SimulatorConfiguration(),
        clock: any DocplannerClock = DocplannerSystemClock(), logger: Logger = Logger(label: "dpbridge.simulator")
    ) {
        self.configuration = configuration
        let core = SimulatorCore(configuration: configuration, clock: clock, logger: logger)
        core.store.withLock { $0.replaceProcessingTime = configuration.replaceSlotsProcessingTime }
        self.core = core
        var router = Router()
        router.add("POST", "/oauth/v2/token") { request, responder in
            responder.respond(core.tokens.issue(request, now: core.clock.now()))
        }
        let gateway = APIGateway(core: core)
        FacilityRoutes.register(gateway, on: &router)
        ServiceRoutes.register(gateway, on: &router)
        InsuranceRoutes.register(gateway, on: &router)
        CalendarRoutes.register(gateway, on: &router)
        SlotRoutes.register(gateway, on: &router)
        BookingRoutes.register(gateway, on: &router)
        NotificationRoutes.register(gateway, on: &router)
        gateway.unknown.register(on: &router, requests: core.requests, clock: { core.clock.now() })
        AdminRoutes.register(core, on: &router)
        PublicIPRoutes.register(configuration.publicIPs, on: &router)
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.serverName = "docplanner-simulator"
        server = HTTPServer(configuration: serverConfiguration, router: router)
    }

    /// Listens on `host:port` (0 picks a free port), starts serving and pinging, and
    /// returns the port.
    @discardableResult
    package func start(host: String = "127.0.0.1", port: Int = 0) throws -> Int {
        let actual = try server.bind(host: host, port: port)
        try server.start()
        boundPort.withLock { $0 = actual }
        core.pings?.start()
        core.redeliveries?.start()
        core.logger.info(
            "Docplanner simulator listening",
            metadata: [
                "event": "simulator-started", "port": "\(actual)", "mode": "\(configuration.mode.rawValue)",
                "callback_url": "\(configuration.callbackURL ?? "none")",
            ])
        return actual
    }

    /// Stops pinging and serving.
    package func stop() {
        core.pings?.stop()
        core.redeliveries?.stop()
        server.shutdown(deadline: .seconds(2))
        core.actions.sync {}
    }

    /// The listening port, once started.
    package var port: Int? { boundPort.withLock { $0 } }

    /// `http://127.0.0.1:<port>` (the token URL is this plus `/oauth/v2/token`).
    package var baseURL: String { "http://127.0.0.1:\(port ?? 0)" }

    /// The API base URL for `DocplannerConfiguration.apiBaseURL`.
    package var apiBaseURL: String { baseURL + APIGateway.base }

    /// The token URL for `DocplannerConfiguration.tokenURL`.
    package var tokenURL: String { baseURL + "/oauth/v2/token" }

    /// The current state and history.
    package func snapshot() -> SimulatorSnapshot { core.snapshot() }

    /// Pings the callback URL now (as the periodic ping does); false when it failed or
    /// no callback URL is set.
    @discardableResult
    package func pingNow() -> Bool { core.pings?.ping() ?? false }

    /// Replaces the fault plan.
    package func setFaults(_ faults: SimulatorFaults) { core.faults.set(faults) }
}

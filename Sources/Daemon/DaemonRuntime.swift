import DocplannerAPI
import Foundation
import HTTP1
import Logging
import Partner
import Scheduling
import Store
import Sync
import Synchronization
import Systemd

/// The running daemon: opens the store, starts the listeners, reports to systemd, and
/// waits for control signals. Wiring only; the work happens in the modules.
package enum DaemonRuntime {
    /// Runs until SIGTERM or SIGINT, then drains gracefully. Throws when startup fails
    /// (store cannot be opened, a port cannot be bound), with a one-line description.
    package static func run(configuration: DaemonConfiguration, configPath: String, signals: DaemonSignals) throws {
        let logger = Logger(label: "dpbridge")
        let notifier = SystemdNotifier()
        // One pipeline per clinic; they share the listeners and the thread pools. The pools
        // are sized for the machine, not for the number of tenants.
        let pools = DaemonPools()
        let poolParts = PartList(pools.parts)
        poolParts.start()
        // Opened side by side on the work pool: opening is mostly waiting for the disk
        // (a new store or calendar is created in several fsync'd steps), and a thousand
        // clinics opened one after the other took most of a minute.
        let opening = Mutex<[Int: Result<TenantPipeline, StartupFailure>]>([:])
        let allOpened = DispatchGroup()
        for (index, tenant) in configuration.tenants.enumerated() {
            allOpened.enter()
            pools.work.submit {
                let result: Result<TenantPipeline, StartupFailure>
                do {
                    result = .success(try TenantPipeline(configuration: tenant, pools: pools))
                } catch {
                    result = .failure(StartupFailure(error: error))
                }
                opening.withLock { $0[index] = result }
                allOpened.leave()
            }
        }
        allOpened.wait()
        let results = opening.withLock { opened in configuration.tenants.indices.map { opened[$0] } }
        let opened = results.compactMap { try? $0?.get() }
        if opened.count < configuration.tenants.count {
            for pipeline in opened { pipeline.stop() }
            poolParts.stop()
            for result in results {
                if case .failure(let failure)? = result { throw failure.error }
            }
            throw StartupError.listener(reason: "the work pool stopped while the clinics were opened")
        }
        let tenants = opened
        let byName = Dictionary(uniqueKeysWithValues: tenants.map { ($0.name, $0) })
        let health = tenants[0].health
        @Sendable func statusLine() -> String {
            tenants.map { (tenants.count > 1 ? "\($0.name): " : "") + $0.health.statusLine(store: $0.store) }
                .joined(separator: "; ")
        }

        var publicRoutes = Router()
        CallbackRouting(tenants.map(\.callbackEndpoint)).register(on: &publicRoutes)
        let server = HTTPServer(configuration: serverConfiguration(configuration.http), router: publicRoutes)

        // Admin: /health and /metrics cover every tenant (open to this machine, else any
        // tenant's token); the rest goes to the tenant named by `?tenant=` (the default one
        // when absent), behind that tenant's token.
        var adminRoutes = Router()
        let tokens = tenants.map { AdminAuthorization(token: $0.configuration.admin.token?.value, tenant: $0.name) }
            .filter(\.isConfigured)
        @Sendable func remoteRefusal(_ request: HTTPRequest) -> HTTPResponse? {
            guard !AdminAuthorization.isLocal(request) else { return nil }
            if tokens.contains(where: { $0.refusal(request) == nil }) { return nil }
            var response = JSONResponses.error(status: 401, "from another host this route needs an admin token")
            response.headers.add("WWW-Authenticate", "Bearer")
            return response
        }
        adminRoutes.add("GET", "/health") { request, responder in
            if let refusal = remoteRefusal(request) { return responder.respond(refusal) }
            let ok = tenants.allSatisfy(\.health.canAcceptEvents)
            responder.respond(JSONResponses.object(status: ok ? 200 : 503, ["status": ok ? "ok" : "unavailable"]))
        }
        adminRoutes.add("GET", "/metrics") { request, responder in
            if let refusal = remoteRefusal(request) { return responder.respond(refusal) }
            for tenant in tenants { tenant.metricsEndpoint.refresh() }
            responder.respond(MetricsEndpoint.render(MetricsBackend.registry))
        }
        for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] {
            adminRoutes.add(method, "/*") { request, responder in
                let name = QueryParameters(request.query)["tenant"] ?? OperatorTarget.defaultTenant
                guard let tenant = byName[name] else {
                    responder.respond(
                        JSONResponses.error(
                            status: 404, OperatorError.unknownTenant(name, known: tenants.map(\.name)).description))
                    return
                }
                tenant.handleAdmin(request, responder)
            }
        }
        let adminServer = HTTPServer(configuration: serverConfiguration(configuration.http), router: adminRoutes)

        let activated = ListenedSockets.take()
        do {
            if activated.isEmpty {
                _ = try server.bind(host: configuration.publicListener.address, port: configuration.publicListener.port)
            } else {
                for descriptor in activated { try server.adopt(listeningDescriptor: descriptor) }
            }
            if configuration.admin.socketPath.isEmpty {
                _ = try adminServer.bind(host: configuration.admin.address, port: configuration.admin.port)
            } else {
                try ensureParentDirectory(of: configuration.admin.socketPath)
                try adminServer.bind(unixSocketPath: configuration.admin.socketPath)
            }
            try server.start()
            try adminServer.start()
        } catch {
            for tenant in tenants { tenant.stop() }
            poolParts.stop()
            throw StartupError.listener(reason: "\(error)")
        }
        for tenant in tenants { tenant.start() }
        let idleConnections = IdleConnections(scheduler: pools.work)
        idleConnections.start()

        for tenant in tenants {
            tenant.logger.info(
                "dpbridge started",
                metadata: [
                    "event": "started", "version": "\(DaemonVersion.current)",
                    "public": activated.isEmpty
                        ? "\(configuration.publicListener.address):\(configuration.publicListener.port)"
                        : "\(activated.count) socket(s) from systemd",
                    "admin": configuration.admin.socketPath.isEmpty
                        ? "\(configuration.admin.address):\(configuration.admin.port)"
                        : "\(configuration.admin.socketPath)",
                    "store": "\(tenant.configuration.storeDescription)",
                    "mode": "\(tenant.configuration.docplanner.mode.rawValue)",
                    "callback_sources": "\(tenant.sources.summary)",
                ])
        }
        notifier.ready(status: statusLine())
        let watchdog = WatchdogPinger(
            notifier: notifier, status: { statusLine() },
            progress: {
                [server.heartbeat, adminServer.heartbeat] + poolParts.heartbeats + tenants.flatMap(\.heartbeats)
            })
        watchdog.start()

        while true {
            switch signals.next() {
            case .reload:
                notifier.reloading()
                reload(configPath: configPath, logger: logger)
                notifier.ready(status: statusLine())
            case .terminate(let name):
                notifier.stopping()
                for tenant in tenants { tenant.health.beginShutdown() }
                logger.notice("stopping: draining connections", metadata: ["event": "stopping", "signal": "\(name)"])
                server.shutdown(deadline: .seconds(10))
                adminServer.shutdown(deadline: .seconds(2))
                idleConnections.stop()
                for tenant in tenants.reversed() { tenant.stop() }
                poolParts.stop()
                watchdog.stop()
                withExtendedLifetime(health) {}
                logger.notice("stopped", metadata: ["event": "stopped"])
                return
            }
        }
    }

    /// SIGHUP: re-reads the configuration; a valid one's log level applies at once
    /// (listeners, limits and secrets keep their values until a restart). An invalid one
    /// is reported and the running configuration stays.
    private static func reload(configPath: String, logger: Logger) {
        switch ConfigurationLoader.loadWaiting(path: configPath) {
        case .success(let loaded):
            LoggingSetup.setLevel(loaded.configuration.log.level)
            logger.notice(
                "configuration reloaded",
                metadata: ["event": "reload", "log_level": "\(loaded.configuration.log.level)"])
        case .failure(let error):
            logger.error(
                "configuration not reloaded: \(error.problems.map(\.description).joined(separator: "; "))",
                metadata: ["event": "reload-failed"])
        }
    }

    /// The HTTP adapter's mirror of the clinic calendar: `partner-mirror.sqlite` beside the store.
    static func mirrorPath(storePath: String) -> String {
        ((storePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("partner-mirror.sqlite")
    }

    static func serverConfiguration(_ limits: DaemonConfiguration.HTTPLimits) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.maxConnections = limits.maxConnections
        configuration.maxBodyBytes = limits.maxBodyBytes
        configuration.maxRequestLineBytes = limits.maxRequestLineBytes
        configuration.maxHeaderBytes = limits.maxHeaderBytes
        configuration.maxHeaderFields = limits.maxHeaderFields
        configuration.headerTimeout = .milliseconds(limits.headerTimeoutMilliseconds)
        configuration.bodyTimeout = .milliseconds(limits.bodyTimeoutMilliseconds)
        configuration.keepAliveTimeout = .milliseconds(limits.keepAliveTimeoutMilliseconds)
        configuration.writeTimeout = .milliseconds(limits.writeTimeoutMilliseconds)
        return configuration
    }

    /// Creates the directories above `path` that are missing (like `mkdir -p`).
    static func ensureParentDirectory(of path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty else { return }
        var built = parent.hasPrefix("/") ? "" : "."
        for component in parent.split(separator: "/") {
            built += "/\(component)"
            if mkdir(built, 0o750) != 0 && errno != EEXIST {
                throw DirectoryError(path: built, reason: String(cString: strerror(errno)))
            }
        }
    }

    struct DirectoryError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot create directory \(path): \(reason)" }
    }
}

/// Why the daemon could not start, in one line.
package enum StartupError: Error, CustomStringConvertible {
    case store(path: String, reason: String)
    case listener(reason: String)
    case partner(reason: String)

    package var description: String {
        switch self {
        case .store(let path, let reason): "cannot open the store at \(path): \(reason)"
        case .listener(let reason): "cannot start the listeners: \(reason)"
        case .partner(let reason): "cannot open the partner calendar: \(reason)"
        }
    }
}

/// A tenant's startup error, carried from the pool thread that opened it.
private struct StartupFailure: Error, @unchecked Sendable {
    // @unchecked: the error is only read after the thread that made it has finished.
    let error: any Error
}

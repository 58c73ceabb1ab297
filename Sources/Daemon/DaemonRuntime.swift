import DocplannerAPI
import Foundation
import HTTP1
import Logging
import Partner
import Store
import Sync
import Systemd

/// The running daemon: opens the store, starts the listeners, reports to systemd, and
/// waits for control signals. Wiring only; the work happens in the modules.
public enum DaemonRuntime {
    /// Runs until SIGTERM or SIGINT, then drains gracefully. Throws when startup fails
    /// (store cannot be opened, a port cannot be bound), with a one-line description.
    public static func run(configuration: DaemonConfiguration, configPath: String, signals: DaemonSignals) throws {
        let logger = Logger(label: "dpbridge")
        let notifier = SystemdNotifier()
        let metrics = DaemonMetrics(factory: MetricsBackend.factory)

        let store: Store
        let instanceLock: InstanceLock
        do {
            try ensureParentDirectory(of: configuration.storePath)
            instanceLock = try InstanceLock(storePath: configuration.storePath)
            let retry = configuration.retry
            store = try Store(
                path: configuration.storePath,
                retryPolicy: RetryPolicy(
                    maxAttempts: retry.maxAttempts, initialDelay: Double(retry.initialDelaySeconds),
                    maxDelay: Double(retry.maxDelaySeconds)),
                outcomeObserver: metrics.jobOutcomeObserver)
        } catch let error as StartupError {
            throw error
        } catch {
            throw StartupError.store(path: configuration.storePath, reason: "\(error)")
        }
        defer { withExtendedLifetime(instanceLock) {} }
        do {
            let reclaimed = try store.inbox.reclaimAbandoned() + store.outbox.reclaimAbandoned()
            if reclaimed > 0 {
                logger.notice(
                    "jobs interrupted by the previous stop are due again",
                    metadata: ["event": "jobs-reclaimed", "count": "\(reclaimed)"])
            }
        } catch {
            store.close()
            throw StartupError.store(path: configuration.storePath, reason: "\(error)")
        }

        let docplanner = DocplannerClient(
            configuration: configuration.docplanner.clientConfiguration, observer: metrics.docplannerObserver)
        // The clinic calendar: the embedded file itself, or (adapter http) a mirror of it
        // beside the store with every Docplanner event forwarded to the partner first.
        // Every call into it is counted (MeteredPartner).
        let calendarFile: EmbeddedPartner
        let partner: any PartnerSystem & ClinicCalendar
        do {
            let opened = try ClinicSession.openPartner(configuration, forwardObserver: metrics.partnerForwardObserver)
            calendarFile = opened.file
            partner = MeteredPartner(opened.partner, adapter: opened.adapter, metrics: metrics)
            if case .http(let url, _, _) = configuration.partner {
                logger.info(
                    "events are forwarded to the partner endpoint",
                    metadata: [
                        "event": "partner-http", "url": "\(url)",
                        "mirror": "\(mirrorPath(storePath: configuration.storePath))",
                    ])
                if configuration.admin.token == nil {
                    logger.warning(
                        "listen.admin.token is not set: the partner cannot report its changes through /v1",
                        metadata: ["event": "partner-api-off"])
                }
            }
        } catch {
            store.close()
            throw StartupError.partner(reason: "\(error)")
        }
        let mappingWatch = MappingWatch(
            docplanner: docplanner, mappings: store.mappings, calendarFile: calendarFile,
            discoverInterval: Double(configuration.mapping.discoverHours * 3600), logger: logger,
            onUnmapped: { metrics.unmappedReference(kind: $0) })
        let processor = InboundProcessor(
            queue: store.inbox, partner: partner, logger: logger, onApplied: { mappingWatch.observe($0) })
        let workers = QueueWorkers(
            role: "inbound",
            queue: store.inbox, processor: processor, count: configuration.workers.inbound, logger: logger)
        let codes = configuration.callback.errorCodes
        let answerer = BlockingAnswerer(
            decider: BookingDecider(
                partner: partner,
                codes: .init(slotTaken: codes.slotTaken, notBookable: codes.notBookable, unavailable: codes.unavailable)),
            deadline: .milliseconds(configuration.callback.blockingDeadlineMilliseconds),
            unavailableCode: codes.unavailable, store: store, logger: logger, metrics: metrics)
        let sender = QueueWorkers(
            role: "outbound", queue: store.outbox,
            processor: OutboundProcessor(
                queue: store.outbox, docplanner: docplanner, calendar: partner,
                horizonWeeks: configuration.docplanner.horizonWeeks,
                reconciler: Reconciler(
                    docplanner: docplanner, partner: partner, horizonWeeks: configuration.docplanner.horizonWeeks),
                logger: logger),
            count: configuration.workers.outbound, logger: logger, lease: 300)
        let collector = ChangeCollector(
            calendar: partner, outbox: store.outbox,
            coalesceWindow: Double(configuration.workers.coalesceMilliseconds) / 1000,
            reconcileInterval: Double(configuration.docplanner.reconcileMinutes * 60), logger: logger,
            onEnqueued: { sender.wake() })

        let mode = configuration.docplanner.mode
        let health = DaemonHealth(
            pingSilenceLimit: mode == .pull ? nil : Double(configuration.callback.pingAlertMinutes * 60),
            lastPingBeforeStart: try? store.values.date(StoreValues.lastPingKey))
        let puller =
            mode == .push
            ? nil
            : NotificationPuller(
                docplanner: docplanner, inbox: store.inbox, maxIdle: Double(configuration.docplanner.pullMaxIdleSeconds),
                logger: logger, onStored: { workers.wake() })
        let releaser = mode == .pull ? nil : NotificationReleaser(docplanner: docplanner, logger: logger)
        let pingWatch = PingWatch(health: health, logger: logger)
        let docplannerIPs = configuration.callback.useDocplannerIPs ? DocplannerAddresses() : nil
        let ipRefresher = docplannerIPs.map {
            DocplannerIPsRefresher(
                url: configuration.docplanner.publicIPsURL, addresses: $0,
                file: DocplannerIPsFile(besideStore: configuration.storePath), logger: logger)
        }
        let sources = CallbackSourcePolicy(
            allowlist: configuration.callback.allowlist, docplanner: docplannerIPs,
            trustedProxies: configuration.callback.trustedProxies)
        let endpoint = CallbackEndpoint(
            secret: configuration.callback.secret, apiKeyHeader: configuration.callback.apiKeyHeader,
            apiKey: configuration.callback.apiKey, store: store, health: health, logger: logger, sources: sources,
            answerer: answerer, metrics: metrics, onStored: { workers.wake() })
        var publicRoutes = Router()
        endpoint.register(on: &publicRoutes)
        let server = HTTPServer(configuration: serverConfiguration(configuration.http), router: publicRoutes)

        var adminRoutes = Router()
        AdminEndpoints(
            store: store, health: health, callbackSources: sources.summary, docplannerIPs: docplannerIPs,
            docplanner: docplanner
        ).register(on: &adminRoutes)
        OperatorEndpoints(store: store, token: configuration.admin.token?.value) { queue in
            queue == .inbox ? workers.wake() : sender.wake()
        }.register(on: &adminRoutes)
        MetricsEndpoint(registry: MetricsBackend.registry, metrics: metrics, store: store, limiter: docplanner.limiter)
            .register(on: &adminRoutes)
        PartnerAPIEndpoints(
            calendar: calendarFile, token: configuration.admin.token?.value,
            timeZone: configuration.docplanner.timeZone
        ).register(on: &adminRoutes)
        let adminServer = HTTPServer(configuration: serverConfiguration(configuration.http), router: adminRoutes)

        // Before the listeners accept: the list kept from an earlier run applies at once.
        ipRefresher?.loadKeptCopy()
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
            store.close()
            throw StartupError.listener(reason: "\(error)")
        }
        ipRefresher?.start()
        workers.start()
        sender.start()
        collector.start()
        puller?.start()
        releaser?.start()
        pingWatch.start()
        mappingWatch.start()

        logger.info(
            "dpbridge started",
            metadata: [
                "event": "started", "version": "\(DaemonVersion.current)",
                "public": activated.isEmpty
                    ? "\(configuration.publicListener.address):\(configuration.publicListener.port)"
                    : "\(activated.count) socket(s) from systemd",
                "admin": configuration.admin.socketPath.isEmpty
                    ? "\(configuration.admin.address):\(configuration.admin.port)" : "\(configuration.admin.socketPath)",
                "store": "\(configuration.storePath)", "mode": "\(mode.rawValue)",
                "callback_sources": "\(sources.summary)",
            ])
        notifier.ready(status: health.statusLine(store: store))
        let watchdog = WatchdogPinger(notifier: notifier, health: health, store: store) {
            [server.heartbeat, adminServer.heartbeat, workers.heartbeat, collector.heartbeat]
        }
        watchdog.start()

        while true {
            switch signals.next() {
            case .reload:
                notifier.reloading()
                reload(configPath: configPath, logger: logger)
                notifier.ready(status: health.statusLine(store: store))
            case .terminate(let name):
                notifier.stopping()
                health.beginShutdown()
                logger.notice("stopping: draining connections", metadata: ["event": "stopping", "signal": "\(name)"])
                server.shutdown(deadline: .seconds(10))
                adminServer.shutdown(deadline: .seconds(2))
                pingWatch.stop()
                mappingWatch.stop()
                releaser?.stop()
                puller?.stop()
                workers.stop()
                ipRefresher?.stop()
                collector.stop()
                sender.stop()
                watchdog.stop()
                store.close()
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
                "configuration reloaded", metadata: ["event": "reload", "log_level": "\(loaded.configuration.log.level)"])
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
public enum StartupError: Error, CustomStringConvertible {
    case store(path: String, reason: String)
    case listener(reason: String)
    case partner(reason: String)

    public var description: String {
        switch self {
        case .store(let path, let reason): "cannot open the store at \(path): \(reason)"
        case .listener(let reason): "cannot start the listeners: \(reason)"
        case .partner(let reason): "cannot open the partner calendar: \(reason)"
        }
    }
}

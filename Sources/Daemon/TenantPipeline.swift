import DocplannerAPI
import Foundation
import HTTP1
import Logging
import Partner
import Store
import Sync

/// Everything one clinic (tenant) runs in the daemon: its store (with its lock), clinic
/// calendar, Docplanner client and rate limiter, workers, collector, puller, releaser,
/// ping watch and callback endpoint. Tenants share only the listeners and the process;
/// their events, mappings and rate limits never meet.
final class TenantPipeline: Sendable {
    let name: String
    let configuration: DaemonConfiguration
    let logger: Logger
    let store: Store
    let health: DaemonHealth
    let sources: CallbackSourcePolicy
    private let instanceLock: InstanceLock
    private let endpoint: CallbackEndpoint
    private let adminRoutes: Router
    private let workers: QueueWorkers
    private let sender: QueueWorkers
    private let collector: ChangeCollector
    private let puller: NotificationPuller?
    private let releaser: NotificationReleaser?
    private let pingWatch: PingWatch
    private let storeWatch: StoreWatch
    private let ipRefresher: DocplannerIPsRefresher?
    private let limiter: RateLimiter
    private let mappingWatch: MappingWatch
    private let retention: RetentionSweeper
    let metricsEndpoint: MetricsEndpoint

    /// Opens the tenant's files and builds its parts; nothing runs before `start()`.
    init(configuration: DaemonConfiguration) throws {
        name = configuration.tenant
        self.configuration = configuration
        var logger = Logger(label: "dpbridge")
        if name != "default" { logger[metadataKey: "tenant"] = "\(name)" }
        self.logger = logger
        let metrics = DaemonMetrics(factory: MetricsBackend.factory, tenant: name)

        let store: Store
        do {
            try DaemonRuntime.ensureParentDirectory(of: configuration.storePath)
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
        self.store = store
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
        limiter = docplanner.limiter
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
                        "event": "partner-http", "url": "\(URLCredentials.hidden(url))",
                        "mirror": "\(DaemonRuntime.mirrorPath(storePath: configuration.storePath))",
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
        self.mappingWatch = mappingWatch
        let processor = InboundProcessor(
            queue: store.inbox, partner: partner, logger: logger, onApplied: { mappingWatch.observe($0) })
        let workers = QueueWorkers(
            role: "inbound",
            queue: store.inbox, processor: processor, count: configuration.workers.inbound, logger: logger,
            lease: Double(JobLease.inboundSeconds))
        self.workers = workers
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
            count: configuration.workers.outbound, logger: logger, lease: Double(JobLease.outboundSeconds))
        self.sender = sender
        collector = ChangeCollector(
            calendar: partner, outbox: store.outbox,
            coalesceWindow: Double(configuration.workers.coalesceMilliseconds) / 1000,
            reconcileInterval: Double(configuration.docplanner.reconcileMinutes * 60), logger: logger,
            onEnqueued: { sender.wake() })

        let mode = configuration.docplanner.mode
        let lastPingBeforeStart = try? store.values.date(StoreValues.lastPingKey)
        let health = DaemonHealth(
            pingSilenceLimit: mode == .pull ? nil : Double(configuration.callback.pingAlertMinutes * 60),
            lastPingBeforeStart: lastPingBeforeStart,
            pingHistory: PingHistory(
                encoded: (try? store.values.get(StoreValues.pingHistoryKey))?.value, lastPing: lastPingBeforeStart))
        self.health = health
        puller =
            mode == .push
            ? nil
            : NotificationPuller(
                docplanner: docplanner, inbox: store.inbox, maxIdle: Double(configuration.docplanner.pullMaxIdleSeconds),
                logger: logger,
                spillDirectory: (configuration.storePath as NSString).deletingLastPathComponent,
                onStored: { workers.wake() })
        releaser = mode == .pull ? nil : NotificationReleaser(docplanner: docplanner, logger: logger)
        pingWatch = PingWatch(health: health, logger: logger)
        // Room for two of the largest bodies and their log frames, plus a margin.
        storeWatch = StoreWatch(
            store: store, storePath: configuration.storePath,
            reserveBytes: UInt64(2 * configuration.http.maxBodyBytes + (1 << 20)), health: health, logger: logger)
        let docplannerIPs = configuration.callback.useDocplannerIPs ? DocplannerAddresses() : nil
        ipRefresher = docplannerIPs.map {
            DocplannerIPsRefresher(
                url: configuration.docplanner.publicIPsURL, addresses: $0,
                file: DocplannerIPsFile(besideStore: configuration.storePath), logger: logger)
        }
        let sources = CallbackSourcePolicy(
            allowlist: configuration.callback.allowlist, docplanner: docplannerIPs,
            trustedProxies: configuration.callback.trustedProxies)
        self.sources = sources
        endpoint = CallbackEndpoint(
            secret: configuration.callback.secret, apiKeyHeader: configuration.callback.apiKeyHeader,
            apiKey: configuration.callback.apiKey, store: store, health: health, logger: logger, sources: sources,
            answerer: answerer, metrics: metrics, onStored: { workers.wake() })

        var adminRoutes = Router()
        AdminEndpoints(
            store: store, health: health, callbackSources: sources.summary, docplannerIPs: docplannerIPs,
            docplanner: docplanner, tenant: name,
            authorization: AdminAuthorization(token: configuration.admin.token?.value, tenant: name),
            timeZone: configuration.docplanner.timeZone
        ).register(on: &adminRoutes)
        OperatorEndpoints(
            store: store, calendar: calendarFile, calendarPath: configuration.calendarPath,
            token: configuration.admin.token?.value, tenant: name, logger: logger
        ) { queue in
            queue == .inbox ? workers.wake() : sender.wake()
        }.register(on: &adminRoutes)
        PartnerAPIEndpoints(
            calendar: calendarFile, token: configuration.admin.token?.value,
            timeZone: configuration.docplanner.timeZone, tenant: name
        ).register(on: &adminRoutes)
        self.adminRoutes = adminRoutes
        metricsEndpoint = MetricsEndpoint(metrics: metrics, store: store, limiter: docplanner.limiter, health: health)
        retention = RetentionSweeper(
            store: store,
            policy: RetentionPolicy(
                days: configuration.retention.days, quarantineDays: configuration.retention.quarantineDays),
            logger: logger)
        // Before the listeners accept: the list kept from an earlier run applies at once.
        ipRefresher?.loadKeptCopy()
    }

    /// The tenant's callback URL on the public listener (routed by `CallbackRouting`).
    var callbackEndpoint: CallbackEndpoint { endpoint }

    /// Answers an admin request meant for this tenant.
    func handleAdmin(_ request: HTTPRequest, _ responder: HTTPResponder) { adminRoutes.handle(request, responder) }

    func start() {
        ipRefresher?.start()
        workers.start()
        sender.start()
        collector.start()
        puller?.start()
        releaser?.start()
        pingWatch.start()
        storeWatch.start()
        mappingWatch.start()
        retention.start()
    }

    /// What the watchdog checks turns for this tenant.
    var heartbeats: [UInt64] { [workers.heartbeat, collector.heartbeat] }

    /// After the listeners have drained: stops the threads and closes the store.
    func stop() {
        // Workers waiting for a rate-limit permit give up at once (their jobs stay queued).
        limiter.close()
        pingWatch.stop()
        storeWatch.stop()
        mappingWatch.stop()
        retention.stop()
        releaser?.stop()
        puller?.stop()
        workers.stop()
        ipRefresher?.stop()
        collector.stop()
        sender.stop()
        health.keepPing(in: store.values, force: true, wait: true)
        store.close()
        withExtendedLifetime(instanceLock) {}
    }
}

import DocplannerAPI
import Foundation
import HTTP1
import Logging
import Partner
import PostgresStore
import Scheduling
import Store
import Sync

/// Everything one clinic (tenant) runs in the daemon: its store (with its lock), clinic
/// calendar, Docplanner client and rate limiter, workers, collector, puller, releaser,
/// ping watch and callback endpoint. Tenants share the listeners, the process and the
/// daemon's thread pools (`DaemonPools`); their events, mappings and rate limits never
/// meet. Its background parts are one ordered `PartList`.
final class TenantPipeline: Sendable {
    let name: String
    let configuration: DaemonConfiguration
    let logger: Logger
    let store: Store
    let health: DaemonHealth
    let sources: CallbackSourcePolicy
    /// The SQLite store's lock (one daemon per file); nil on PostgreSQL, which instances share.
    private let instanceLock: InstanceLock?
    private let endpoint: CallbackEndpoint
    private let adminRoutes: Router
    private let ipRefresher: DocplannerIPsRefresher?
    private let limiter: RateLimiter
    /// The background parts, in the order they start (`parts` says why).
    private let parts: PartList
    let metricsEndpoint: MetricsEndpoint

    /// Opens the tenant's files and builds its parts; nothing runs before `start()`. The
    /// parts run on `pools`, which the caller starts before and stops after the tenant.
    init(configuration: DaemonConfiguration, pools: DaemonPools) throws {
        name = configuration.tenant
        self.configuration = configuration
        var logger = Logger(label: "dpbridge")
        if name != "default" { logger[metadataKey: "tenant"] = "\(name)" }
        self.logger = logger
        let metrics = DaemonMetrics(factory: MetricsBackend.factory, tenant: name)

        let store: Store
        do {
            try DaemonRuntime.ensureParentDirectory(of: configuration.storePath)
            instanceLock = configuration.storeIsShared ? nil : try InstanceLock(storePath: configuration.storePath)
            let retry = configuration.retry
            store = try Store(
                location: configuration.storeLocation,
                retryPolicy: RetryPolicy(
                    maxAttempts: retry.maxAttempts, initialDelay: Double(retry.initialDelaySeconds),
                    maxDelay: Double(retry.maxDelaySeconds)),
                commitDelay: Double(configuration.storeCommitDelayMilliseconds) / 1000,
                outcomeObserver: metrics.jobOutcomeObserver, commits: pools.commits)
        } catch let error as StartupError {
            throw error
        } catch {
            throw StartupError.store(path: configuration.storeDescription, reason: "\(error)")
        }
        self.store = store
        // Jobs this process left in flight (SQLite: no other process works on the file) are
        // due at once; on PostgreSQL another instance may be working on them, so their
        // leases run out instead (at most a lease's length: 60 s inbound, 10 min outbound).
        if !configuration.storeIsShared {
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
        }

        // On PostgreSQL every instance asks the tenant's shared budget before each call:
        // Docplanner's 40 writes a minute hold for the deployment, not for each instance.
        let clientConfiguration = configuration.docplanner.clientConfiguration
        let docplanner = DocplannerClient(
            configuration: clientConfiguration,
            limiter: configuration.postgresEndpoint.map {
                RateLimiter(
                    policy: clientConfiguration.rateLimits,
                    shared: SharedDocplannerBudget(
                        endpoint: $0, tenant: configuration.tenant, policy: clientConfiguration.rateLimits,
                        longestRequest: clientConfiguration.longestRequestSeconds))
            }, observer: metrics.docplannerObserver)
        limiter = docplanner.limiter
        // Parts that run on one instance at a time when several share the store: each a
        // lease on the instance's lease connection (`DaemonPools.singletons`).
        let tenant = name
        let singleton = { (part: SingletonPart) -> (any SingletonGate)? in
            pools.singletons(configuration)?.lease(part.leaseName(tenant: tenant))
        }
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
            scheduler: pools.work, singleton: singleton(.mappingWatch),
            onUnmapped: { metrics.unmappedReference(kind: $0) })
        let decoded = DecodedNotifications()
        let processor = InboundProcessor(
            queue: store.inbox, partner: partner, logger: logger, decoded: decoded,
            onApplied: { mappingWatch.observe($0, changes: $1) })
        // A run applies up to 64 due events in one calendar transaction and records them in
        // one store transaction; events gather for `workers.inbound_gather_ms` first.
        let workers = QueueWorkers(
            role: "inbound",
            queue: store.inbox, processor: processor, count: configuration.workers.inbound, logger: logger,
            lease: Double(JobLease.inboundSeconds), batchSize: 64,
            gather: Double(configuration.workers.inboundGatherMilliseconds) / 1000, scheduler: pools.work)
        let codes = configuration.callback.errorCodes
        let answerer = BlockingAnswerer(
            decider: BookingDecider(
                partner: partner,
                codes: .init(slotTaken: codes.slotTaken, notBookable: codes.notBookable, unavailable: codes.unavailable)
            ),
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
            count: configuration.workers.outbound, logger: logger, lease: Double(JobLease.outboundSeconds),
            // Out of the watchdog: a run may wait on the rate limit (40 writes a minute) or
            // make many calls, each up to the client's timeout.
            watched: false, scheduler: pools.sends)
        let collector = ChangeCollector(
            calendar: partner, outbox: store.outbox,
            coalesceWindow: Double(configuration.workers.coalesceMilliseconds) / 1000,
            // A calendar file wakes the collector when written; on PostgreSQL it looks every second.
            calendarFiles: configuration.calendarOnPostgres
                ? nil : (pools.files, [configuration.calendarPath, configuration.calendarPath + "-wal"]),
            reconcileInterval: Double(configuration.docplanner.reconcileMinutes * 60), logger: logger,
            scheduler: pools.work, singleton: singleton(.changeCollection), onEnqueued: { sender.wake() })

        let mode = configuration.docplanner.mode
        let lastPingBeforeStart = try? store.values.date(StoreValues.lastPingKey)
        let health = DaemonHealth(
            pingSilenceLimit: mode == .pull ? nil : Double(configuration.callback.pingAlertMinutes * 60),
            lastPingBeforeStart: lastPingBeforeStart,
            pingHistory: PingHistory(
                encoded: (try? store.values.get(StoreValues.pingHistoryKey))?.value, lastPing: lastPingBeforeStart))
        self.health = health
        let puller =
            mode == .push
            ? nil
            : NotificationPuller(
                docplanner: docplanner, inbox: store.inbox,
                maxIdle: Double(configuration.docplanner.pullMaxIdleSeconds),
                logger: logger,
                spillDirectory: (configuration.storePath as NSString).deletingLastPathComponent,
                onStored: { workers.wake() }, scheduler: pools.work, singleton: singleton(.pull))
        let releaser =
            mode == .pull
            ? nil
            : NotificationReleaser(
                docplanner: docplanner, logger: logger, scheduler: pools.work, singleton: singleton(.release))
        let pingWatch = PingWatch(
            health: health, logger: logger, sharedValues: configuration.storeIsShared ? store.values : nil,
            scheduler: pools.work)
        // Room for two of the largest bodies and their log frames, plus a margin.
        // On PostgreSQL the database is a server that can go away: a probe write every 5 s
        // when nothing else was committed, so `/health` turns 503 within seconds and the
        // load balancer sends Docplanner's pushes and pings to another instance.
        let storeWatch = StoreWatch(
            store: store, storePath: configuration.storePath,
            reserveBytes: UInt64(2 * configuration.http.maxBodyBytes + (1 << 20)), health: health, logger: logger,
            healthyInterval: configuration.storeIsShared ? 5 : 30, failingInterval: configuration.storeIsShared ? 1 : 2,
            probeInterval: configuration.storeIsShared ? 5 : 300, scheduler: pools.work)
        let docplannerIPs = configuration.callback.useDocplannerIPs ? DocplannerAddresses() : nil
        let ipRefresher = docplannerIPs.map {
            DocplannerIPsRefresher(
                url: configuration.docplanner.publicIPsURL, addresses: $0,
                file: DocplannerIPsFile(besideStore: configuration.storePath), logger: logger, scheduler: pools.work)
        }
        self.ipRefresher = ipRefresher
        let sources = CallbackSourcePolicy(
            allowlist: configuration.callback.allowlist, docplanner: docplannerIPs,
            trustedProxies: configuration.callback.trustedProxies)
        self.sources = sources
        endpoint = CallbackEndpoint(
            secret: configuration.callback.secret, apiKeyHeader: configuration.callback.apiKeyHeader,
            apiKey: configuration.callback.apiKey, store: store, health: health, logger: logger, sources: sources,
            answerer: answerer, metrics: metrics, decoded: decoded, onStored: { workers.wake() })

        var adminRoutes = Router()
        AdminEndpoints(
            store: store, health: health, callbackSources: sources.summary, docplannerIPs: docplannerIPs,
            docplanner: docplanner, tenant: name,
            authorization: AdminAuthorization(token: configuration.admin.token?.value, tenant: name),
            timeZone: configuration.docplanner.timeZone, singletonServer: configuration.postgresEndpoint?.url
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
        let retention = RetentionSweeper(
            store: store,
            policy: RetentionPolicy(
                days: configuration.retention.days, quarantineDays: configuration.retention.quarantineDays),
            logger: logger, scheduler: pools.work, singleton: singleton(.retention))
        // Started in this order, stopped in the reverse: the store is watched and the
        // address list fetched before events flow; the inbound workers start before what
        // feeds them (the puller) and stop after it; the outbound workers before the
        // collector that feeds them, and after it on the way down.
        parts = PartList([
            ipRefresher, storeWatch, workers, sender, collector, puller, releaser, pingWatch, mappingWatch, retention,
        ])
        // Before the listeners accept: the list kept from an earlier run applies at once.
        ipRefresher?.loadKeptCopy()
    }

    /// The tenant's callback URL on the public listener (routed by `CallbackRouting`).
    var callbackEndpoint: CallbackEndpoint { endpoint }

    /// Answers an admin request meant for this tenant.
    func handleAdmin(_ request: HTTPRequest, _ responder: HTTPResponder) { adminRoutes.handle(request, responder) }

    func start() {
        parts.start()
    }

    /// What the watchdog checks turns for this tenant: the parts' heartbeats.
    var heartbeats: [UInt64] { parts.heartbeats }

    /// After the listeners have drained: stops the parts and closes the store.
    func stop() {
        // Workers waiting for a rate-limit permit give up at once (their jobs stay queued).
        limiter.close()
        parts.stop()
        health.keepPing(in: store.values, force: true, wait: true)
        store.close()
        withExtendedLifetime(instanceLock) {}
    }
}

import Clocks
import Curl
import Foundation
import Logging
import Scheduling
import Sync

/// Keeps `DocplannerAddresses` current: `loadKeptCopy()` takes the copy kept beside the
/// store, then (`start()`) turns on the work pool fetch Docplanner's published list at once and every
/// `refreshInterval` seconds (a day), or `retryInterval` seconds (an hour) after a
/// failure — every `missingRetryInterval` seconds (a minute) while no list is held at all,
/// since callbacks from outside `callback.allowlist` are answered 503 until one is. A
/// failed fetch keeps the last good list; each good one replaces the copy.
final class DocplannerIPsRefresher: BackgroundPart {
    let url: String
    private let addresses: DocplannerAddresses
    private let file: DocplannerIPsFile
    private let client: CurlClient
    private let refreshInterval: Double
    private let retryInterval: Double
    private let missingRetryInterval: Double
    private let logger: Logger
    private let loop: BackgroundLoop

    init(
        url: String, addresses: DocplannerAddresses, file: DocplannerIPsFile, logger: Logger,
        client: CurlClient = CurlClient(
            configuration: .init(
                connectTimeout: .seconds(10), timeout: .seconds(20), maxIdleHandles: 1, maxResponseBytes: 1 << 20,
                userAgent: "dpbridge/\(DaemonVersion.current)")),
        refreshInterval: Double = 86_400, retryInterval: Double = 3_600, missingRetryInterval: Double = 60,
        scheduler: WorkScheduler = .shared, singleton: (any SingletonGate)? = nil
    ) {
        loop = BackgroundLoop(scheduler: scheduler, singleton: singleton)
        self.url = url
        self.addresses = addresses
        self.file = file
        self.client = client
        self.refreshInterval = refreshInterval
        self.retryInterval = retryInterval
        self.missingRetryInterval = missingRetryInterval
        self.logger = logger
    }

    /// Starts the thread that fetches.
    func start() {
        loop.start(name: "docplanner-ips") { [self] in
            refresh() ? refreshInterval : retryPause
        }
    }

    /// Stops the thread, after the fetch in flight (bounded by the client's timeout).
    func stop() {
        loop.stop()
    }

    /// Out of the watchdog: a fetch may take the client's whole timeout, and a stuck one
    /// only delays the list, which the kept copy covers.
    var heartbeat: UInt64? { nil }

    /// Uses the copy beside the store when it came from `url`.
    func loadKeptCopy() {
        do {
            guard let kept = try file.load() else { return }
            guard kept.source == url else {
                logger.notice(
                    "kept list of Docplanner's addresses is from another URL; not used",
                    metadata: ["event": "docplanner-ips-stale", "path": "\(file.path)", "source": "\(kept.source)"])
                return
            }
            addresses.replace(with: .init(blocks: kept.blocks, fetchedAt: kept.fetchedAt))
            logger.info(
                "Docplanner's addresses loaded from the kept copy",
                metadata: [
                    "event": "docplanner-ips-loaded", "count": "\(kept.blocks.count)", "path": "\(file.path)",
                    "fetched_at": "\(kept.fetchedAt.formatted(.iso8601))",
                ])
        } catch {
            logger.warning(
                "kept list of Docplanner's addresses is unreadable",
                metadata: ["event": "docplanner-ips-stale", "error": "\(error)"])
        }
    }

    /// Fetches the list once; true when a usable one arrived.
    @discardableResult
    func refresh() -> Bool {
        let list: DocplannerIPList
        do {
            list = try fetch()
        } catch {
            reportFailure(error)
            return false
        }
        let fetched = DocplannerIPsFile.Contents(blocks: list.blocks, fetchedAt: SteadyClock().date(), source: url)
        addresses.replace(with: .init(blocks: fetched.blocks, fetchedAt: fetched.fetchedAt))
        logger.info(
            "Docplanner's addresses refreshed",
            metadata: ["event": "docplanner-ips-refreshed", "count": "\(list.blocks.count)", "url": "\(url)"])
        if !list.skipped.isEmpty {
            logger.warning(
                "entries of Docplanner's address list that are not addresses were left out",
                metadata: ["event": "docplanner-ips-skipped", "entries": "\(list.skipped.joined(separator: ","))"])
        }
        do {
            try file.save(fetched)
        } catch {
            logger.error(
                "Docplanner's addresses could not be kept beside the store",
                metadata: ["event": "docplanner-ips-save-failed", "error": "\(error)"])
        }
        return true
    }

    private func fetch() throws(DocplannerIPsError) -> DocplannerIPList {
        let response: CurlResponse
        do {
            response = try client.perform(CurlRequest(url: url, headers: ["Accept": "application/json"]))
        } catch {
            throw .transport(error)
        }
        guard response.status == 200 else { throw .status(response.status, url: url) }
        do {
            return try DocplannerIPList(json: response.body)
        } catch {
            throw .list(error)
        }
    }

    /// Seconds until the next attempt after a failure.
    private var retryPause: Double { addresses.snapshot == nil ? missingRetryInterval : retryInterval }

    private func reportFailure(_ error: DocplannerIPsError) {
        var metadata: Logger.Metadata = [
            "event": "docplanner-ips-failed", "error": "\(error)", "retry_in_s": "\(Int(retryPause.rounded(.up)))",
        ]
        if let held = addresses.snapshot {
            metadata["kept_count"] = "\(held.blocks.count)"
            metadata["kept_age_h"] = "\(Int(SteadyClock().date().timeIntervalSince(held.fetchedAt) / 3600))"
            logger.warning(
                "Docplanner's addresses could not be refreshed; the last list stays in force", metadata: metadata)
        } else {
            logger.error(
                "Docplanner's addresses could not be fetched and none are kept: other sources than callback.allowlist get 503",
                metadata: metadata)
        }
    }
}

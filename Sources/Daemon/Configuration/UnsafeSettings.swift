import Foundation
import Sync

/// Settings that load but would expose a clinic's data: a published example secret, an
/// admin listener open to the network without a token, patient data sent in clear, a
/// partner timeout longer than the job that waits for it. The daemon refuses to start
/// with any of them, and `check-config` reports each as one line.
enum UnsafeSettings {
    /// Seconds of an inbound job's lease kept for what follows the partner call (the
    /// mirror's record, the job's outcome).
    static let partnerCallMargin = 10

    /// The longest `partner.http.timeout_seconds` that fits in an inbound job's lease.
    static var longestPartnerTimeout: Int { JobLease.inboundSeconds - partnerCallMargin }

    /// What one clinic's settings expose (checked for the top level and each tenant).
    static func problems(in configuration: DaemonConfiguration) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []

        // Published secrets guard nothing, except a daemon talking to the simulator.
        if !isLoopbackURL(configuration.docplanner.baseURL) {
            var secrets: [(String, Secret?)] = [
                ("callback.secret", configuration.callback.secret),
                ("callback.api_key", configuration.callback.apiKey),
                ("docplanner.client_secret", configuration.docplanner.clientSecret),
                ("listen.admin.token", configuration.admin.token),
            ]
            if case .http(_, let secret, _) = configuration.partner { secrets.append(("partner.http.secret", secret)) }
            for (key, secret) in secrets where secret.map({ PublishedExamples.secrets.contains($0.value) }) == true {
                problems.append(
                    .init(
                        key,
                        "is an example value published with dpbridge, allowed only while docplanner.base_url is a "
                            + "loopback URL (the simulator); generate real secrets with `dpbridge init`"))
            }
        }

        if case .http(let url, _, let timeoutSeconds) = configuration.partner {
            if url.lowercased().hasPrefix("http://"), !isLoopbackURL(url) {
                problems.append(
                    .init(
                        "partner.http.url",
                        "http:// to a host other than this one would send patient data in clear; use https:// "
                            + "(or a loopback address)"))
            }
            if timeoutSeconds > longestPartnerTimeout {
                problems.append(
                    .init(
                        "partner.http.timeout_seconds",
                        "\(timeoutSeconds) does not fit in the \(JobLease.inboundSeconds) s lease of an inbound job "
                            + "(the call and the record of its outcome must end within it, or the event is sent "
                            + "twice): at most \(longestPartnerTimeout)"))
            }
        }
        return problems
    }

    /// What the daemon's own settings (the listeners, shared by every clinic) expose:
    /// checked once, on the top level.
    static func daemonProblems(in configuration: DaemonConfiguration) -> [ConfigurationProblem] {
        let admin = configuration.admin
        guard admin.socketPath.isEmpty, admin.token == nil, IPAddress(admin.address)?.isLoopback != true else {
            return []
        }
        return [
            .init(
                "listen.admin.address",
                "\(admin.address) is not a loopback address and listen.admin.token is not set: an admin listener "
                    + "open to the network needs a token; set it (credential admin_token) or listen on 127.0.0.1")
        ]
    }

    /// An http(s) URL whose host is a loopback address or `localhost`.
    static func isLoopbackURL(_ text: String) -> Bool {
        guard let url = URL(string: text), var host = url.host?.lowercased() else { return false }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host == "localhost" || IPAddress(host)?.isLoopback == true
    }
}

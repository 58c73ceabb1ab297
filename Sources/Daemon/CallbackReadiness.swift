import Clocks
import Curl
import Foundation
import Sync

/// Activation step 1: in PUSH mode the callback URL must answer, and Docplanner must
/// have pinged it within `callback.ping_alert_minutes` (that shows the URL is configured
/// on Docplanner's side and reaches this daemon); PULL mode needs neither.
package struct CallbackReadiness: Sendable {
    /// Marks the check's own request, so it is not counted as Docplanner's ping.
    static let selfCheckHeader = "Dpbridge-Self-Check"

    let configuration: DaemonConfiguration
    let client = CurlClient(configuration: .init(connectTimeout: .seconds(3), timeout: .seconds(10)))

    package init(configuration: DaemonConfiguration) { self.configuration = configuration }

    /// `lastPing`: when Docplanner last pinged (the store keeps it across restarts).
    package func check(lastPing: Date?, now: Date = SteadyClock().date()) -> ActivationReport.Step {
        let title = "callback URL configured and answering"
        let secretPath = "/callbacks/<callback.secret>"
        func red(_ summary: String, _ reason: String, fix: String) -> ActivationReport.Step {
            .init(number: 1, title: title, ok: false, summary: summary, problems: [.init(reason, fix: fix)])
        }
        if configuration.docplanner.mode == .pull {
            return .init(
                number: 1, title: title, ok: true,
                summary: "PULL mode: dpbridge pulls events from /notifications; no callback URL needed")
        }
        let bare = OperatorTarget.connectableHost(configuration.publicListener.address)
        let host = bare.contains(":") ? "[\(bare)]" : bare
        let url = "http://\(host):\(configuration.publicListener.port)/callbacks/\(configuration.callback.secret.value)"
        var headers: CurlHeaders = [Self.selfCheckHeader: "1"]
        if let key = configuration.callback.apiKey, !configuration.callback.apiKeyHeader.isEmpty {
            headers.add(configuration.callback.apiKeyHeader, key.value)
        }
        let shown = "http://\(host):\(configuration.publicListener.port)\(secretPath)"
        let answer: CurlResponse
        do {
            answer = try client.perform(CurlRequest(url: url, headers: headers))
        } catch {
            return red(
                "no answer at \(shown)",
                "the daemon does not answer at \(shown): "
                    + "\(error)".replacingOccurrences(
                        of: configuration.callback.secret.value, with: "<callback.secret>"),
                fix: "start it (systemctl start dpbridge) and check listen.public in the configuration")
        }
        switch answer.status {
        case 200, 403:
            break  // 403: the allowlist refuses this host, as configured; the endpoint is up.
        case 503:
            return red(
                "the callback URL answers 503",
                "the daemon cannot accept events (store not writable, stopping, or Docplanner's address list not loaded)",
                fix: "see journalctl -u dpbridge and dpbridge status")
        default:
            return red(
                "the callback URL answers \(answer.status)",
                "\(shown) answered \(answer.status)",
                fix: "check that this configuration is the running daemon's (callback.secret, callback.api_key)")
        }
        let limit = Double(configuration.callback.pingAlertMinutes * 60)
        guard let lastPing else {
            return red(
                "answering, but Docplanner has never pinged it",
                "no ping from Docplanner was ever recorded (Docplanner pings every 5 minutes once the callback URL is set)",
                fix: "give Docplanner the callback URL https://<your host>\(secretPath), then wait 5 minutes")
        }
        let age = max(0, now.timeIntervalSince(lastPing))
        guard age <= limit else {
            return red(
                "answering, but Docplanner's pings stopped",
                "Docplanner's last ping was \(Int(age / 60)) minutes ago (it pings every 5 minutes)",
                fix: "check that https://<your host>\(secretPath) reaches this daemon through the proxy")
        }
        return .init(number: 1, title: title, ok: true, summary: "answering; Docplanner's last ping \(Int(age)) s ago")
    }
}

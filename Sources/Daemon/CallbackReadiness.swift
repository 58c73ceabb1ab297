import Curl
import Foundation
import Sync

/// Activation step 1: in PUSH mode the callback URL must answer, and Docplanner must
/// have pinged it (that shows the URL is configured on Docplanner's side); PULL mode
/// needs neither.
public struct CallbackReadiness: Sendable {
    /// Marks the check's own request, so it is not counted as Docplanner's ping.
    static let selfCheckHeader = "Dpbridge-Self-Check"

    let configuration: DaemonConfiguration
    let client = CurlClient(configuration: .init(connectTimeout: .seconds(3), timeout: .seconds(10)))

    public init(configuration: DaemonConfiguration) { self.configuration = configuration }

    public func check() -> ActivationReport.Step {
        let title = "callback URL configured and answering"
        let secretPath = "/callbacks/<callback.secret>"
        if configuration.docplanner.mode == .pull {
            return .init(
                number: 1, title: title, ok: true,
                summary: "PULL mode: dpbridge pulls events from /notifications; no callback URL needed")
        }
        let host = Self.loopback(for: configuration.publicListener.address)
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
            return .init(
                number: 1, title: title, ok: false, summary: "no answer at \(shown)",
                problems: [
                    .init(
                        "the daemon does not answer at \(shown): "
                            + "\(error)".replacingOccurrences(of: configuration.callback.secret.value, with: "<callback.secret>"),
                        fix: "start it (systemctl start dpbridge) and check listen.public in the configuration")
                ])
        }
        switch answer.status {
        case 200, 403:
            break  // 403: the allowlist refuses this host, as configured; the endpoint is up.
        case 503:
            return .init(
                number: 1, title: title, ok: false, summary: "the callback URL answers 503",
                problems: [
                    .init(
                        "the daemon cannot accept events (store not writable, stopping, or Docplanner's address list not loaded)",
                        fix: "see journalctl -u dpbridge and dpbridge status")
                ])
        default:
            return .init(
                number: 1, title: title, ok: false, summary: "the callback URL answers \(answer.status)",
                problems: [
                    .init(
                        "\(shown) answered \(answer.status)",
                        fix: "check that this configuration is the running daemon's (callback.secret, callback.api_key)")
                ])
        }
        switch lastPing() {
        case .seen(let age):
            return .init(
                number: 1, title: title, ok: true,
                summary: "answering; Docplanner's last ping \(Int(age)) s ago")
        case .never:
            return .init(
                number: 1, title: title, ok: false, summary: "answering, but Docplanner has not pinged it",
                problems: [
                    .init(
                        "no ping from Docplanner since the daemon started (Docplanner pings every 5 minutes once the callback URL is set)",
                        fix: "give Docplanner the callback URL https://<your host>\(secretPath), then wait 5 minutes")
                ])
        case .unknown(let reason):
            return .init(
                number: 1, title: title, ok: false, summary: "answering; last ping unknown",
                problems: [.init("cannot read the daemon's status: \(reason)", fix: "check listen.admin in the configuration")])
        }
    }

    /// Seconds since Docplanner's last ping (nil: none since the daemon started), from the
    /// admin listener's `/status`.
    private enum PingAge {
        case seen(Double)
        case never
        case unknown(String)
    }

    private func lastPing() -> PingAge {
        let admin = configuration.admin
        guard admin.socketPath.isEmpty else {
            return .unknown("the admin listener is a unix socket (\(admin.socketPath)); use dpbridge status")
        }
        let host = Self.loopback(for: admin.address)
        do {
            let answer = try client.perform(CurlRequest(url: "http://\(host):\(admin.port)/status"))
            guard answer.status == 200,
                let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
            else { return .unknown("status answered \(answer.status)") }
            guard let age = (object["lastPingAgeSeconds"] as? NSNumber)?.doubleValue else { return .never }
            return .seen(age)
        } catch {
            return .unknown("\(error)")
        }
    }

    /// Where to reach a listener bound to `address` from this machine.
    static func loopback(for address: String) -> String {
        switch address {
        case "0.0.0.0", "": "127.0.0.1"
        case "::", "[::]": "[::1]"
        default: address.contains(":") && !address.hasPrefix("[") ? "[\(address)]" : address
        }
    }
}

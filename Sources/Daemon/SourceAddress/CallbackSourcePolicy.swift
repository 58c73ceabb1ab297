import HTTP1

/// Which sources may post to the callback URL: the blocks of `callback.allowlist` and,
/// with `callback.use_docplanner_ips`, the addresses Docplanner publishes. With neither,
/// any source may. The source is found by `resolver` (through trusted proxies).
struct CallbackSourcePolicy: Sendable {
    enum Decision: Sendable, Equatable {
        case allowed
        /// Outside every list in force: answered 403.
        case forbidden
        /// Outside `callback.allowlist`, and Docplanner's list, which could hold it, was
        /// never loaded: answered 503, so that Docplanner's ping alert tells the clinic
        /// while its failed pushes wait to be re-sent, instead of being refused for good.
        case unverifiable
    }

    let allowlist: [CIDRBlock]
    /// Docplanner's addresses when `callback.use_docplanner_ips` is on; nil otherwise.
    let docplanner: DocplannerAddresses?
    let resolver: ClientAddressResolver

    init(allowlist: [CIDRBlock] = [], docplanner: DocplannerAddresses? = nil, trustedProxies: [CIDRBlock] = []) {
        self.allowlist = allowlist
        self.docplanner = docplanner
        self.resolver = ClientAddressResolver(trustedProxies: trustedProxies)
    }

    /// Whether any list restricts the sources.
    var isEnforced: Bool { !allowlist.isEmpty || docplanner != nil }

    /// One line for the start-up log: `any`, `2 block(s)`, `Docplanner's list`, or both,
    /// with the trusted proxies.
    var summary: String {
        var parts: [String] = []
        if !allowlist.isEmpty { parts.append("\(allowlist.count) block(s)") }
        if docplanner != nil { parts.append("Docplanner's list") }
        var text = parts.isEmpty ? "any" : parts.joined(separator: " + ")
        if !resolver.trustedProxies.isEmpty { text += "; \(resolver.trustedProxies.count) trusted proxy block(s)" }
        return text
    }

    /// The client behind a request from `peer` with `headers` (its peer, or what trusted
    /// proxies say). (The parts, not the request: a request captured by the lazy header
    /// lookup was copied whole, on every callback.)
    func source(peer: String, headers: HTTPHeaders) -> ClientAddress {
        resolver.resolve(peer: peer, forwardedFor: headers.values("X-Forwarded-For"))
    }

    func decide(_ source: ClientAddress) -> Decision {
        guard isEnforced else { return .allowed }
        guard let address = source.address else { return .forbidden }
        if allowlist.contains(address) { return .allowed }
        guard let docplanner else { return .forbidden }
        guard let known = docplanner.snapshot else { return .unverifiable }
        return known.blocks.contains(address) ? .allowed : .forbidden
    }
}

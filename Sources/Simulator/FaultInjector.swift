import Synchronization

/// Draws the fault (if any) for each API request from a `SimulatorFaults` plan: scripted
/// faults first, in order, then the random shares from a seeded generator.
final class FaultInjector: Sendable {
    enum Fault: Equatable, Sendable {
        case none
        /// Close the connection without answering.
        case drop
        /// Answer with this status instead of handling the request.
        case status(Int, retryAfter: Int?)
        /// Treat the request's token as expired (401) and revoke it.
        case expireToken
    }

    struct Decision: Sendable {
        var latencyMilliseconds: Int
        var fault: Fault
    }

    private struct State {
        var plan: SimulatorFaults
        var random: SplitMix64
        var injected = 0
    }

    private let state: Mutex<State>

    init(_ plan: SimulatorFaults) {
        state = Mutex(State(plan: plan, random: SplitMix64(seed: plan.seed)))
    }

    var plan: SimulatorFaults { state.withLock { $0.plan } }

    /// How many faults (not counting latency) were injected.
    var injected: Int { state.withLock { $0.injected } }

    /// Replaces the plan (and reseeds the generator).
    func set(_ plan: SimulatorFaults) {
        state.withLock { $0 = State(plan: plan, random: SplitMix64(seed: plan.seed), injected: $0.injected) }
    }

    func draw() -> Decision {
        state.withLock { state in
            var decision: Decision
            if !state.plan.next.isEmpty {
                let scripted = state.plan.next.removeFirst()
                let fault: Fault =
                    if scripted.drop == true { .drop } else if let status = scripted.status {
                        status == 401 ? .expireToken : .status(status, retryAfter: scripted.retryAfter)
                    } else { .none }
                decision = Decision(
                    latencyMilliseconds: scripted.latencyMilliseconds ?? state.plan.latencyMilliseconds, fault: fault)
            } else {
                decision = Decision(latencyMilliseconds: state.plan.latencyMilliseconds, fault: .none)
                // One roll against consecutive bands: drop, 5xx, 429, expired token.
                let plan = state.plan
                let roll = state.random.nextUnit()
                let dropEdge = plan.dropShare
                let serverErrorEdge = dropEdge + plan.serverErrorShare
                let rateLimitEdge = serverErrorEdge + plan.rateLimitShare
                let tokenEdge = rateLimitEdge + plan.tokenExpiryShare
                if roll < dropEdge {
                    decision.fault = .drop
                } else if roll < serverErrorEdge {
                    decision.fault = .status([500, 502, 503][Int(state.random.next() % 3)], retryAfter: nil)
                } else if roll < rateLimitEdge {
                    decision.fault = .status(429, retryAfter: 1 + Int(state.random.next() % 30))
                } else if roll < tokenEdge {
                    decision.fault = .expireToken
                }
            }
            if decision.fault != .none { state.injected += 1 }
            return decision
        }
    }
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same faults (and
/// the same random inputs in tests).
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    package mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

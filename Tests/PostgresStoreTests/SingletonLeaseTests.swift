import Foundation
import Postgres
import PostgresStore
import Scheduling
import Store
import TestSupport
import Testing

/// `SingletonLease`: one holder at a time; the server says who; a holder that goes away
/// (released, or its connection gone as when its process dies) lets the next try take it.
@Suite(.enabled(if: testServerURL != nil, "no server: run under scripts/with-postgres.sh"))
struct SingletonLeaseTests {
    @Test func oneInstanceHoldsASingletonAndAnotherTakesItWhenTheFirstGoes() throws {
        let url = testServerURL!
        let name = "test-\(UInt32.random(in: 0...UInt32.max))/release"
        var first: SingletonLease? = SingletonLease(url: url, name: name, instance: "first")
        let second = SingletonLease(url: url, name: name, instance: "second")
        let other = SingletonLease(url: url, name: name + "-other", instance: "second")
        #expect(try SingletonLease.holder(of: name, url: url) == nil)

        #expect(first?.tryAcquire() == true)
        #expect(second.tryAcquire() == false)
        #expect(other.tryAcquire() == true, "another singleton is another lock")
        #expect(first?.tryAcquire() == true, "still held")
        #expect(try SingletonLease.holder(of: name, url: url) == "first")

        // The holder's process dies: its connection ends, the server drops the lock.
        first = nil
        var taken = false
        for _ in 0..<50 where !taken {
            taken = second.tryAcquire()
            if !taken { usleep(100_000) }
        }
        #expect(taken && second.isHeld)
        #expect(try SingletonLease.holder(of: name, url: url) == "second")

        // Released at stop: free at once.
        second.release()
        #expect(!second.isHeld)
        #expect(try SingletonLease.holder(of: name, url: url) == nil)
        other.release()
    }

    @Test func aHolderProcessKilledLetsAnotherTakeIt() throws {
        // A real process (psql) holds the lock, as a dpbridge instance would, and is SIGKILLed.
        let url = testServerURL!
        let name = "test-\(UInt32.random(in: 0...UInt32.max))/reconcile"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        // psql reads its commands from a pipe kept open: after them its session is idle, as a
        // lease's connection is between tries, until the process is killed.
        holder.arguments = [url, "-q"]
        let commands = Pipe()
        holder.standardInput = commands
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        commands.fileHandleForWriting.write(
            Data(
                "SET application_name TO 'dpbridge killed';\nSELECT pg_advisory_lock(hashtextextended('\(SingletonLease.lockText(name))', 0));\n"
                    .utf8))
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        var seen: String?
        for _ in 0..<100 where seen == nil {
            seen = try SingletonLease.holder(of: name, url: url)
            if seen == nil { usleep(50_000) }
        }
        #expect(seen == "killed")
        let lease = SingletonLease(url: url, name: name, instance: "survivor")
        #expect(!lease.tryAcquire())
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        var taken = false
        for _ in 0..<100 where !taken {
            taken = lease.tryAcquire()
            if !taken { usleep(50_000) }
        }
        #expect(taken, "the server dropped the killed holder's lock")
        lease.release()
    }

    /// A started holder checks its leases every second: when the server ends its session (an
    /// outage, a restart), it takes them back as soon as it answers again, without waiting
    /// for the parts' own next turns; all of its leases cost two statements a tick.
    @Test func aStartedHolderTakesItsLeasesBackAfterLosingItsConnection() throws {
        let url = testServerURL!
        let scheduler = WorkScheduler(threads: 1, name: "lease-test")
        scheduler.start()
        defer { scheduler.stop() }
        let leases = SingletonLeases(url: url, instance: "refresher-\(UInt32.random(in: 0...UInt32.max))")
        let names = (0..<3).map { "test-\(UInt32.random(in: 0...UInt32.max))/part\($0)" }
        let held = names.map { leases.lease($0) }
        #expect(held.allSatisfy { $0.tryAcquire() })
        leases.start(on: scheduler)
        defer { leases.stop() }
        let admin = try PostgresConnection(url: url)
        try admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            [.text("dpbridge \(leases.instance)")])
        func holder(_ name: String) -> String {
            do { return try SingletonLease.holder(of: name, url: url) ?? "none" } catch { return "unknown" }
        }
        let takenBack = eventually(attempts: 100) { names.allSatisfy { holder($0) == leases.instance } }
        #expect(takenBack, "taken back by the ticks")
        #expect(held.allSatisfy { $0.isHeld })
        leases.stop()
        let freed = eventually { holder(names[0]) == "none" }
        #expect(freed, "stop lets them go")
    }

    @Test func anUnreachableDatabaseHoldsNothing() {
        let lease = SingletonLease(url: "postgresql://dpbridge@127.0.0.1:9/none?connect_timeout=2", name: "x/y")
        #expect(lease.tryAcquire() == false)
        #expect(!lease.isHeld)
    }
}

// swift-tools-version: 6.2
import PackageDescription

// Module layout: see README.md ("Architecture"). Arrows point one way, downward.
let package = Package(
    name: "dpbridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dpbridge", targets: ["dpbridge"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(
            url: "https://github.com/apple/swift-configuration", from: "1.4.0",
            traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // HMAC-SHA256 for the signatures of the HTTP partner adapter.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `dpbridge map import`: mapping files as CSV (RFC 4180 quoting).
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        // GET /metrics: the swift-metrics facade, exposed in Prometheus' text format.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, found by pkg-config.
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CSystemd", pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]),
        // libpq, PostgreSQL's own client: blocking calls that fit the daemon's threads (issue
        // 18; why in docs/ARCHITECTURE.md). The daemon links it (Debian's libpq5, a small
        // library); with the SQLite backend it is never called and no server is needed.
        .systemLibrary(
            name: "CPostgres", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        // Typed wrappers around libcurl's variadic setopt/getinfo.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        // epoll, eventfd and accept4, which Swift's Glibc module does not export.
        .target(name: "CLinux"),

        // Libraries.
        // The one clock (wall time that never jumps, and a manual one for tests).
        .target(name: "Clocks"),
        // One pool of threads and timers for the whole daemon, and the lifecycle of its parts.
        .target(name: "Scheduling", dependencies: ["Clocks", "CLinux"]),
        .target(
            name: "HTTP1", dependencies: ["CLinux"],
            // The event loop owns its state on one thread; dynamic exclusivity checks
            // cost ~3% of a request there (measured with perf).
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        .target(name: "Curl", dependencies: ["CCurl", "CCurlShim"]),
        // The SQLite wrapper (connections, cached statements, migrations) that the store and
        // the embedded clinic calendar share.
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "Store", dependencies: ["SQLite", "Clocks", "Scheduling"]),
        // The PostgreSQL client: connections, statements with parameters, transactions.
        .target(name: "Postgres", dependencies: ["CPostgres", "SQLite"]),
        // The store on PostgreSQL, for several instances behind one callback URL (issue 18):
        // connections, schema, singletons, the shared Docplanner budget.
        .target(name: "PostgresStore", dependencies: ["Postgres", "Store", "Partner", "Scheduling", "DocplannerAPI"]),
        .target(name: "DocplannerAPI", dependencies: ["Curl", "Clocks"]),
        .target(
            name: "Partner",
            dependencies: ["SQLite", "Curl", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Sync",
            dependencies: [
                "Store", "SQLite", "DocplannerAPI", "Partner", "Scheduling",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Systemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Simulator",
            dependencies: ["HTTP1", "Curl", "DocplannerAPI", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Daemon",
            dependencies: [
                "HTTP1", "Curl", "Store", "Systemd", "DocplannerAPI", "Partner", "Sync", "CLinux", "Clocks",
                "Scheduling", "SQLite", "PostgresStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .executableTarget(
            name: "dpbridge",
            dependencies: [
                "Daemon", "Simulator", "DocplannerAPI", "Store", "Partner", "Sync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["dpbridge.order"],
            // Resident memory of the installed daemon (issue 3: RSS <= 30 MB with 1,000
            // idle keep-alive connections). lld (shipped with the Swift toolchain) instead
            // of gold, and packed relative relocations (DT_RELR, glibc >= 2.36): gold's
            // 2.2 MB of RELA records, all read by ld.so at start, become 18 KB.
            // --no-export-dynamic undoes the toolchain's -export-dynamic: nothing looks
            // our symbols up at run time, and the 14,000 exported (BoringSSL's, the
            // packages') cost 1.2 MB of .dynsym/.dynstr/.gnu.hash that ld.so searches.
            // dpbridge.order (scripts/make-order-file.sh) lists the functions the daemon
            // runs: laid out together they take ~1 MB of pages instead of ~180 scattered
            // 64 KB windows the kernel maps around each first touch. (SwiftPM does not
            // relink when only the order file changes; the script removes the binary.)
            linkerSettings: [
                .unsafeFlags(
                    [
                        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                        "-Xlinker", "--no-export-dynamic",
                        "-Xlinker",
                        "--symbol-ordering-file=\(Context.packageDirectory)/Sources/dpbridge/dpbridge.order",
                        "-Xlinker", "--no-warn-symbol-ordering",
                    ],
                    .when(configuration: .release))
            ]),

        // Tools for scripts/crash-test.sh and scripts/bench-store.sh.
        .executableTarget(name: "store-crash-child", dependencies: ["Store"]),
        .executableTarget(name: "store-bench", dependencies: ["Store", "PostgresStore"]),

        // Shared helpers for tests: temporary directories, ephemeral ports, child processes.
        .target(
            name: "TestSupport",
            dependencies: ["DocplannerAPI", "Clocks", "Postgres", "PostgresStore", "Partner", "SQLite"],
            path: "Tests/TestSupport"),

        // Tests.
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "TestSupport"]),
        .testTarget(name: "CurlTests", dependencies: ["Curl", "HTTP1", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "SQLite", "PostgresStore", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "PostgresStore", "Postgres", "Store", "Scheduling", "DocplannerAPI", "Clocks", "TestSupport",
            ]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "TestSupport"]),
        .testTarget(
            name: "DocplannerAPITests", dependencies: ["DocplannerAPI", "Curl", "Simulator", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "PartnerTests", dependencies: ["Partner", "SQLite", "Store", "Curl", "TestSupport"]),
        .testTarget(
            name: "SyncTests",
            dependencies: [
                "Sync", "Partner", "SQLite", "Store", "DocplannerAPI", "Simulator", "Scheduling", "TestSupport",
            ]),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd", "TestSupport"]),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "DocplannerAPI", "Partner", "SQLite", "Store", "PostgresStore", "Sync", "TestSupport",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .testTarget(
            name: "SimulatorTests", dependencies: ["Simulator", "DocplannerAPI", "HTTP1", "Curl", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "CLITests", dependencies: ["dpbridge", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "qun",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "qun", targets: ["qun"]),
        .library(name: "QunStore", targets: ["QunStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // Already in the graph through hummingbird; named here because QunSync imports them.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Pure values and merge rules: no I/O, no SQLite, no printing.
        .target(name: "QunCore"),
        // The SQL migrations and wire-format documents under schema/, shipped as resources so
        // that the SQL has exactly one source.
        .target(
            name: "QunSchema",
            path: "schema",
            exclude: ["README.md", "bundle-format.md", "sync-api.json"],
            sources: ["Schema.swift"],
            resources: [.copy("migrations")]
        ),
        .target(
            name: "QunStore",
            dependencies: [
                "QunCore", "QunSchema",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "QunSync",
            dependencies: [
                "QunCore", "QunStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // libedit (BSD licence) for the REPL's line editing, history and completion.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]
        ),
        .target(
            name: "QunCommands",
            dependencies: [
                "QunCore", "QunStore", "QunSync", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "qun", dependencies: ["QunCommands"]),
        .executableTarget(
            name: "qun-bench",
            dependencies: [
                "QunCore", "QunStore", "QunSync", "QunSchema",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "bench/Sources/qun-bench"
        ),
        // Drives real `qun` processes through random edits, syncs, bundles and kill -9, then
        // checks convergence and that no acknowledged write was lost (see RELIABILITY.md).
        .executableTarget(
            name: "qun-stress",
            dependencies: ["QunTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "stress/Sources/qun-stress"
        ),
        // Shared by the test targets: the seeded PRNG behind every randomized test, polling with
        // a deadline, and the headless browser the HTML report is opened in.
        .target(name: "QunTestSupport", path: "Tests/QunTestSupport"),
        // Shared by the tests that open stores in their own process: the temporary-store base
        // class and the hand-moved clock. Apart from QunTestSupport because it needs XCTest and
        // QunStore, which neither the stress tool nor the core tests should link.
        .target(
            name: "QunStoreTestSupport",
            dependencies: ["QunCore", "QunStore", "QunTestSupport"],
            path: "Tests/QunStoreTestSupport"
        ),
        .testTarget(name: "QunCoreTests", dependencies: ["QunCore", "QunTestSupport"]),
        .testTarget(name: "QunStoreTests", dependencies: ["QunTestSupport", "QunStoreTestSupport", "QunCore", "QunStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "QunSyncTests",
            dependencies: [
                "QunCore", "QunStore", "QunSync", "QunTestSupport", "QunStoreTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "QunCommandsTests", dependencies: ["QunCommands", "QunStore", "QunCore", "QunTestSupport"]),
        .testTarget(name: "QunEndToEndTests", dependencies: ["QunTestSupport", "QunCore", "QunStore", "QunSync", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)

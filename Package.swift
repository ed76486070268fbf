// swift-tools-version:6.2
import PackageDescription

/// Every target opts into the same strictness: explicit `any`, and imports that must name what they use.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "FirstLine",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "firstline", targets: ["firstline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
    ],
    targets: [
        .target(name: "FirstLineCore", swiftSettings: strictSettings),
        .target(
            name: "FirstLineContent",
            dependencies: ["FirstLineCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FirstLineStore",
            dependencies: [
                "FirstLineCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FirstLineMessengers",
            dependencies: [
                "FirstLineCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        /// A fake platform API (Slack, Telegram, LINE, LINE WORKS) on 127.0.0.1 for the tests of
        /// the messengers and the server: records every call and fails on demand. Not shipped.
        .target(
            name: "FirstLineTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/FirstLineTestSupport",
            swiftSettings: strictSettings
        ),
        .target(
            name: "FirstLineServer",
            dependencies: [
                "FirstLineCore", "FirstLineContent", "FirstLineStore", "FirstLineMessengers",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Console/Templates"), .copy("Console/pages.css"), .copy("Console/live.js")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FirstLineCLI",
            dependencies: [
                "FirstLineCore", "FirstLineContent", "FirstLineStore", "FirstLineServer", "FirstLineMessengers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "firstline", dependencies: ["FirstLineCLI"], swiftSettings: strictSettings),
        .executableTarget(
            name: "firstline-bench",
            dependencies: ["FirstLineCore"],
            path: "Benchmarks/SearchBenchmark",
            swiftSettings: strictSettings
        ),
        /// The reliability harness's requests (Benchmarks/reliability): signed webhooks of the four platforms and
        /// a seeded mutator, shared by `firstline-loadgen` and the harness's process tests. Not shipped.
        .target(
            name: "FirstLineHarness",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/Harness",
            swiftSettings: strictSettings
        ),
        /// The webhook load benchmark's load process (Benchmarks/webhook-load.sh runs it against `firstline serve`).
        .executableTarget(
            name: "firstline-loadgen",
            dependencies: [
                "FirstLineHarness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/WebhookLoad",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "FirstLineCoreTests", dependencies: ["FirstLineCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "FirstLineContentTests",
            dependencies: ["FirstLineContent", "FirstLineCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FirstLineStoreTests",
            dependencies: [
                "FirstLineStore", "FirstLineCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FirstLineMessengersTests",
            dependencies: ["FirstLineMessengers", "FirstLineCore", "FirstLineTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FirstLineServerTests",
            dependencies: [
                "FirstLineServer", "FirstLineStore", "FirstLineCore", "FirstLineContent", "FirstLineMessengers",
                "FirstLineTestSupport", "FirstLineHarness",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FirstLineCLITests",
            dependencies: ["FirstLineCLI", "FirstLineCore", "FirstLineContent", "FirstLineServer", "FirstLineStore"],
            swiftSettings: strictSettings
        ),
    ]
)

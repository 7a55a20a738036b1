// swift-tools-version: 6.2
import PackageDescription

/// Modules, in the order a request meets them: bytes (UVLoop) → parser (HTTP1) → handlers (PipelineServer)
/// → registry and scheduler (Pipelines). Only UVLoop imports libuv (CLibUV), only SQLiteStore imports
/// SQLite (CSQLite).
let package = Package(
    name: "pipeline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pipeline-server", targets: ["pipeline-server"]),
        .executable(name: "pipeline", targets: ["pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibUV",
            pkgConfig: "libuv",
            providers: [.apt(["libuv1-dev"])]
        ),
        .target(name: "UVLoop", dependencies: ["CLibUV"], swiftSettings: [.strictMemorySafety(), hotPath]),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "SQLiteStore", dependencies: ["CSQLite", "Pipelines"], swiftSettings: [.strictMemorySafety()]),
        .target(name: "HTTP1", swiftSettings: [.strictMemorySafety(), hotPath]),
        .target(name: "Pipelines", swiftSettings: [.strictMemorySafety()]),
        .target(
            name: "PipelineServer",
            dependencies: [
                "UVLoop", "HTTP1", "Pipelines",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("openapi.json")],
            swiftSettings: [.strictMemorySafety(), hotPath]
        ),
        .executableTarget(
            name: "pipeline-server",
            dependencies: [
                "PipelineServer", "Pipelines", "SQLiteStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "PipelineClient"),
        .executableTarget(
            name: "pipeline",
            dependencies: [
                "PipelineClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        // Support for the tests that start processes, shared by their targets and used by no
        // product: a posix_spawn spawner, and the two glibc calls it needs that Swift's Glibc
        // module hides.
        .target(name: "CSpawn", path: "Tests/CSpawn"),
        .target(
            name: "TestSupport", dependencies: ["CSpawn"], path: "Tests/TestSupport",
            swiftSettings: [.strictMemorySafety()]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"]),
        .testTarget(name: "UVLoopTests", dependencies: ["UVLoop"]),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines"]),
        .testTarget(
            name: "PipelineServerTests",
            dependencies: [
                "PipelineServer", "HTTP1", "UVLoop", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "CLITests", dependencies: ["PipelineClient", "TestSupport"]),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore", "TestSupport"]),
        // The real pipeline-server binary, restarted and SIGKILLed on a data directory; the C
        // file is an LD_PRELOAD shim the crash test compiles itself.
        .testTarget(name: "DurabilityTests", dependencies: ["TestSupport"], exclude: ["Support/slow_fsync.c"]),
    ]
)

/// The modules every request runs through, built in release without run-time exclusivity checks.
/// Why it is sound: the checks only trap on overlapping accesses to class properties, which here
/// live on the one loop thread and are each touched by short mutations that call out to nothing.
/// Debug builds, which every test runs (the server and CLI binaries included), keep the checks,
/// so a violation still fails the suite. In release they cost about 2,500 instructions per
/// request: a thread-local lookup and an access-set insert for each of ~20 property accesses.
var hotPath: SwiftSetting { .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)) }

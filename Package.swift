// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "scimgit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scimgit", targets: ["scimgit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libgit2 1.5 from Debian's libgit2-dev.
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // Linux system calls Swift's Glibc module lacks (syncfs), and zlib for writing packs.
        .target(name: "CPlatform", linkerSettings: [.linkedLibrary("z")]),
        // The file primitives every module shares: folders reached without following links,
        // whole files replaced atomically, lock files, file stamps, the paths under .git/scimgit.
        .target(
            name: "Files",
            dependencies: ["CPlatform", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // A Swift face over libgit2: one commit per write, reads at revisions, diffs, tags. Knows no SCIM.
        .target(
            name: "GitStore",
            dependencies: [
                "CLibgit2", "CPlatform", "Files",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The SCIM 2.0 protocol as pure logic: JSON, schemas, validation, filters, PATCH. No I/O.
        .target(name: "SCIM"),
        // The contract between HTTP and the store: the ResourceService protocol and the values
        // it passes (records, search results, the caller, entity tags). Knows no storage.
        .target(name: "SCIMService", dependencies: ["SCIM"]),
        // SCIM resources stored as files in a GitStore: layout, indexes, the single writer, history.
        .target(
            name: "Directory",
            dependencies: [
                "GitStore", "SCIM", "SCIMService", "CPlatform", "Files",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // HTTP (Hummingbird 2): routes, auth, conditional requests, limits, TLS, logging.
        // Serves any ResourceService; knows no store (no libgit2, not even at link time).
        .target(
            name: "SCIMServer",
            dependencies: [
                "SCIMService", "SCIM", "Files",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "scimgit",
            dependencies: [
                "SCIMServer", "SCIMService", "Directory", "SCIM", "GitStore", "Files",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // `make bench-store`: one-file commits/s through GitStore (compared with Benchmarks/store/commit_loop.c).
        .executableTarget(name: "StoreBenchmark", dependencies: ["GitStore"], path: "Benchmarks/StoreBenchmark"),
        // Helpers the test targets share (temp folders, the git command line).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "FilesTests", dependencies: ["Files", "TestSupport"]),
        .testTarget(name: "GitStoreTests", dependencies: ["GitStore", "TestSupport"]),
        .testTarget(name: "SCIMTests", dependencies: ["SCIM"]),
        .testTarget(name: "DirectoryTests", dependencies: ["Directory", "SCIMService", "GitStore", "SCIM", "Files", "TestSupport"]),
        .testTarget(
            name: "SCIMServerTests",
            dependencies: [
                "SCIMServer", "SCIMService", "SCIM",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SCIM", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ]
)

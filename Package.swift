// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "prosper-rules",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "prosper-rules", targets: ["prosper-rules"]),
        .library(name: "ProsperRules", targets: ["ProsperRules"]),
        .library(name: "ProsperModel", targets: ["ProsperModel"]),
        .library(name: "ProsperData", targets: ["ProsperData"]),
        // The modules (churn, upsell, …) over a dataset and checked rules: what a program
        // that embeds the engine calls (see examples/embed).
        .library(name: "ProsperAnalytics", targets: ["ProsperAnalytics"]),
        // The report document and its formatters (docs/public-api.md).
        .library(name: "ProsperReport", targets: ["ProsperReport"]),
        // The invariants the fuzz targets of Fuzz/ assert (see docs/fuzzing.md).
        .library(name: "ProsperFuzzChecks", targets: ["ProsperFuzzChecks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `prosper-rules serve` (ProsperServe); no default traits (no swift-configuration).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
    ],
    targets: [
        // libyaml, the only YAML parser; only Sources/ProsperRules/YAML imports it.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // zlib, for `serve`'s gzip answers; only Sources/ProsperServe/Gzip.swift imports it.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // A few static inline C kernels: a 64-byte class mask for the CSV scanner (SSE2 on
        // x86-64) and glibc's allocator settings (include/CProsperKernels.h).
        .target(name: "CProsperKernels"),
        // Value types: days, money, the immutable columnar dataset. No I/O.
        .target(name: "ProsperModel"),
        // Source files, diagnostics, the libyaml wrapper, the expression language, rule files.
        .target(name: "ProsperRules", dependencies: ["CLibYAML", "ProsperModel"]),
        // Seeder, ingestion, mapping files, the project file.
        .target(name: "ProsperData", dependencies: ["CProsperKernels", "ProsperModel", "ProsperRules"]),
        // The six modules: pure functions of the dataset and the compiled rules.
        .target(name: "ProsperAnalytics", dependencies: ["ProsperModel", "ProsperRules"]),
        // `prosper-rules test`: rule tests in YAML run through the batch engines, with
        // coverage of the rule files and LCOV output (docs/testing-rules.md).
        .target(name: "ProsperRuleTesting", dependencies: ["ProsperModel", "ProsperRules", "ProsperAnalytics", "ProsperReport"]),
        // The SQL compiler: checked rule files and the six modules as PostgreSQL, Spark
        // SQL or DuckDB (docs/engines.md).
        .target(name: "ProsperSQL", dependencies: ["ProsperModel", "ProsperRules"]),
        // The report document and its formatters (one layer renders every result).
        .target(name: "ProsperReport", dependencies: ["ProsperModel", "ProsperRules", "ProsperAnalytics"]),
        // The engines beside the in-process one: PostgreSQL (through psql) and Spark
        // (through spark-submit), loading data and reading the report back (docs/engines.md).
        .target(
            name: "ProsperEngines",
            dependencies: ["ProsperSQL", "ProsperReport", "ProsperAnalytics", "ProsperData", "ProsperModel", "ProsperRules"]
        ),
        // `prosper-rules serve`: the dashboard and JSON API of a project over HTTP, following
        // edits of its files (docs/serve.md). Knows nothing of the project: the executable
        // hands it a `ServedProject`.
        .target(
            name: "ProsperServe",
            dependencies: [
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The thin command-line tool.
        .executableTarget(
            name: "prosper-rules",
            dependencies: [
                "CProsperKernels", "ProsperRules", "ProsperModel", "ProsperData", "ProsperAnalytics", "ProsperReport", "ProsperSQL", "ProsperEngines", "ProsperRuleTesting", "ProsperServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds link the Swift runtime and Foundation into the executable: no
            // dynamic loading and relocation of a dozen shared libraries at every start
            // (measured: `--version` 14 ms -> 8 ms, every command from the snapshot cache
            // about 6 ms faster; BENCHMARKS.md, "Issue 14, sixth pass").
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections"],
                                          .when(platforms: [.linux], configuration: .release))]
        ),
        // A program that evaluates rule files over its own in-memory customers, with only
        // the public library products: `swift run prosper-embed-example`.
        .executableTarget(
            name: "prosper-embed-example",
            dependencies: ["ProsperModel", "ProsperData", "ProsperRules", "ProsperAnalytics"],
            path: "examples/embed",
            // Built without package access, as another package would be: it sees only
            // `public` declarations, so it checks that the documented library surface
            // suffices (docs/public-api.md).
            packageAccess: false
        ),
        // Release-build benchmarks: `swift run -c release prosper-bench`.
        .executableTarget(
            name: "prosper-bench",
            dependencies: ["ProsperRules", "ProsperModel", "ProsperAnalytics", "ProsperReport"]
        ),
        // Invariants of every input kind, shared by the libFuzzer targets (Fuzz/) and the
        // regression replay tests: returns violations, never prints, never traps.
        .target(
            name: "ProsperFuzzChecks",
            dependencies: ["ProsperRules", "ProsperModel", "ProsperData", "ProsperReport"]
        ),
        .testTarget(name: "ProsperModelTests", dependencies: ["ProsperModel"]),
        .testTarget(
            name: "ProsperSQLTests",
            dependencies: ["ProsperSQL", "ProsperRules", "ProsperModel"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ProsperRulesTests",
            dependencies: ["ProsperRules", "ProsperModel"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ProsperReportTests",
            dependencies: ["ProsperReport", "ProsperAnalytics", "ProsperData", "ProsperModel", "ProsperRules"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ProsperRuleTestingTests",
            dependencies: ["ProsperRuleTesting", "ProsperRules", "ProsperModel"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ProsperDifferentialTests",
            dependencies: ["ProsperReport", "ProsperAnalytics", "ProsperData", "ProsperModel", "ProsperRules"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ProsperDataTests",
            dependencies: ["ProsperData", "ProsperModel", "ProsperRules"],
            resources: [.copy("Fixtures")]
        ),
        // The SQL engines against the in-process one (real PostgreSQL and Spark; skipped
        // with a message where they are not running, failed under CI=true).
        .testTarget(
            name: "ProsperEngineTests",
            dependencies: ["ProsperEngines", "ProsperSQL", "ProsperReport", "ProsperAnalytics", "ProsperData", "ProsperModel", "ProsperRules"],
            resources: [.copy("Fixtures")]
        ),
        // The documentation test of examples/embed (the example's own code, golden output).
        .testTarget(name: "EmbedExampleTests", dependencies: ["prosper-embed-example", "ProsperModel", "ProsperData", "ProsperRules", "ProsperAnalytics"],
                    resources: [.copy("Fixtures")]),
        // The server in-process over a real project folder (HTTP on a loopback port).
        .testTarget(
            name: "ProsperServeTests",
            dependencies: ["ProsperServe", "CZlib", "ProsperReport", "ProsperAnalytics", "ProsperData", "ProsperModel", "ProsperRules",
                           .product(name: "NIOCore", package: "swift-nio")],
            resources: [.copy("Fixtures")]
        ),
        // Replays every input the fuzzers ever found through the same invariant checks.
        .testTarget(
            name: "ProsperFuzzTests",
            dependencies: ["ProsperFuzzChecks"],
            resources: [.copy("Fixtures")]
        ),
    ]
)

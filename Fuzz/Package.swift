// swift-tools-version: 6.1
// libFuzzer targets for prosper-rules (docs/fuzzing.md). Kept out of the root package
// so `swift build` / `swift test` never need the fuzzer runtime. Build with
// `scripts/fuzz.sh build` (release, -sanitize=fuzzer,address).
import PackageDescription

/// One executable per input kind; the names match `FuzzTarget` of ProsperFuzzChecks.
let kinds = ["rules", "expression", "customers", "subscriptions", "jsonl", "mapping", "project"]

let package = Package(
    name: "prosper-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "prosper-rules", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver for the targets' main.swift.
        .target(name: "CFuzzDriver"),
        // Turns a fuzz input into a check and traps on any broken invariant.
        .target(
            name: "FuzzEntry",
            dependencies: [.product(name: "ProsperFuzzChecks", package: "prosper-rules")]
        ),
    ] + kinds.map { .executableTarget(name: "fuzz-\($0)", dependencies: ["FuzzEntry", "CFuzzDriver"]) }
)

import ProsperFuzzChecks

/// The body of every `LLVMFuzzerTestOneInput`: check one input, and trap — only here,
/// in the fuzz harness — when an invariant is broken, so libFuzzer saves it as a crash.
public enum FuzzEntry {
    public static func run(_ target: FuzzTarget, _ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        let violations = target.check(bytes)
        guard violations.isEmpty else {
            let text = violations.map { "invariant broken: \($0)" }.joined(separator: "\n")
            fatalError("fuzz-\(target.rawValue): \(violations.count) invariant(s) broken\n\(text)")
        }
        return 0
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperFuzzChecks

/// Inputs of defect classes already known and being fixed, skipped so that a run finds
/// new ones instead of the same one again (`PROSPER_FUZZ_ALL=1` checks everything).
/// Delete an entry when its fix lands; saved examples live in
/// Tests/ProsperFuzzTests/Fixtures/pending/.
enum KnownDefects {
    static let checkEverything = getenv("PROSPER_FUZZ_ALL").map { String(cString: $0) == "1" } ?? false

    static func skip(_ target: FuzzTarget, _ bytes: [UInt8]) -> Bool {
        guard !checkEverything else { return false }
        switch target {
        case .rules, .project:
            return hasYAMLOnlyLineBreak(bytes) || lacksFinalNewline(bytes)
        case .mapping:
            return hasYAMLOnlyLineBreak(bytes) || lacksFinalNewline(bytes) || mentions(bytes, "status")
        case .expression, .customers, .subscriptions, .jsonl:
            return false
        }
    }

    /// A mapping's `subscriptions.status` is checked through a pointer that escaped
    /// `withUnsafeBufferPointer` (heap-use-after-free, MappingFile.swift:245): found by
    /// fuzzing, pending/mapping/status-reads-freed-array.yaml.
    static func mentions(_ b: [UInt8], _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard b.count >= w.count else { return false }
        return (0...(b.count - w.count)).contains { i in b[i..<(i + w.count)].elementsEqual(w) }
    }

    /// A YAML syntax error at the end of a file without a final newline is placed on
    /// the line after the last (libyaml moves its end mark to a new line): found by
    /// fuzzing, pending/rules/yaml-error-at-end-without-final-newline.yaml.
    static func lacksFinalNewline(_ b: [UInt8]) -> Bool {
        !b.isEmpty && b.last != 0x0A
    }

    /// A lone CR, NEL (U+0085), U+2028 or U+2029: libyaml counts each as a line break,
    /// `SourceText` does not, so positions after one are off (and quoted scalars holding
    /// one crash ScalarSourceMap) — the known "lone CR/NEL/LS/PS" defect.
    static func hasYAMLOnlyLineBreak(_ b: [UInt8]) -> Bool {
        for i in b.indices {
            switch b[i] {
            case 0x0D where i + 1 >= b.count || b[i + 1] != 0x0A: return true
            case 0xC2 where i + 1 < b.count && b[i + 1] == 0x85: return true
            case 0xE2 where i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9): return true
            default: continue
            }
        }
        return false
    }
}

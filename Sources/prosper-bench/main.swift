// Release-build benchmarks of the rule engine (issue 2):
//   swift run -c release prosper-bench [--customers N] [--runs R] [--rules DIR] [--sweep]
// Compares the compiled rule sets of rules/ with the same logic hand-written as plain
// Swift loops over the same columns, in the same run, on one core; and decision tables
// with the same rows written as `when:` segments (TableBench.swift, issue 12).
import ProsperModel
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

var customers = 1_000_000
var runs = 9
var rulesDir = "rules"
var sweepOnly = false
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--customers": customers = args.popFirst().flatMap { Int($0) } ?? customers
    case "--runs": runs = args.popFirst().flatMap { Int($0) } ?? runs
    case "--rules": rulesDir = args.popFirst() ?? rulesDir
    case "--sweep": sweepOnly = true
    default:
        print("usage: prosper-bench [--customers N] [--runs R] [--rules DIR] [--sweep]")
        exit(2)
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Median wall time of `runs` calls, in seconds.
func measure(_ runs: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = now()
        body()
        times.append(now() - t0)
    }
    times.sort()
    return times[times.count / 2]
}

func fmt(_ x: Double, _ digits: Int = 2) -> String {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let v = (x * p).rounded() / p
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    }
    return s
}

// MARK: Rules: loading and checking

let loadTime = measure(max(runs, 21)) {
    let r = RuleSetChecker.check(paths: [rulesDir])
    if r.hasErrors { print("rules have errors"); exit(1) }
}
let check = RuleSetChecker.check(paths: [rulesDir])
guard case .churn(let churnRules)? = check.files.first(where: { $0.header.kind == .churn }),
      case .upsell(let upsellRules)? = check.files.first(where: { $0.header.kind == .upsell }),
      let segmentRules = churnRules.segments ?? upsellRules.segments else {
    print("rules/ needs churn.yaml, upsell.yaml and segments.yaml")
    exit(1)
}

// MARK: Data: a deterministic synthetic dataset, built like ingestion builds it

let t0 = now()
let data = SyntheticData.make(customers: customers)
let buildTime = now() - t0
let segments: SegmentAssignment
do { segments = try SegmentEngine.assign(segmentRules, to: data) } catch { print(DiagnosticRenderer.render(error, source: nil)); exit(1) }
let columns = BoundColumns(dataset: data, extra: ["segment": .string(segments.column)])

// MARK: Sweep (issue 13): `--sweep` runs only this part.

if sweepOnly {
    print("prosper-bench --sweep: \(customers) customers, one core")
    SweepBench.run(data, churnPath: FileBytes.join(rulesDir, "churn.yaml"), base: churnRules, runs: runs, measure: measure, fmt: fmt, now: now)
    exit(0)
}

// MARK: Churn

let churn: ChurnProgram
let upsell: UpsellProgram
do {
    churn = try ChurnProgram(rules: churnRules, columns: columns)
    upsell = try UpsellProgram(rules: upsellRules, columns: columns)
} catch {
    print(DiagnosticRenderer.render(error, source: nil))
    exit(1)
}

var engineChurn = churn.run()
let churnEngineTime = measure(runs) { engineChurn = churn.run() }
var handChurn = HandWritten.churn(data, churnRules)
let churnHandTime = measure(runs) { handChurn = HandWritten.churn(data, churnRules) }
guard engineChurn.score == handChurn.score, engineChurn.level == handChurn.level, engineChurn.signals == handChurn.signals else {
    print("MISMATCH: compiled churn rules and the hand-written loop disagree")
    exit(1)
}

// MARK: Upsell

var engineUpsell = upsell.run()
let upsellEngineTime = measure(runs) { engineUpsell = upsell.run() }
var handUpsell = HandWritten.upsell(data, segments.column)
let upsellHandTime = measure(runs) { handUpsell = HandWritten.upsell(data, segments.column) }
guard engineUpsell.offers == handUpsell else {
    print("MISMATCH: compiled upsell rules and the hand-written loop disagree")
    exit(1)
}

let alerts = engineChurn.level.filter { $0 >= 0 }.count
let offers = engineUpsell.offers.filter { $0 != 0 }.count
let millions = Double(customers) / 1e6
print("prosper-bench: \(customers) customers, median of \(runs) runs, one core")
print("  dataset build (synthetic, not timed against a target): \(fmt(buildTime * 1000, 1)) ms")
print("  load + check rules/ (\(check.paths.count) files): \(fmt(loadTime * 1000, 3)) ms (target <= 5 ms)")
print("  churn  compiled: \(fmt(churnEngineTime * 1000)) ms (\(fmt(millions / churnEngineTime, 1)) M customers/s), hand-written: \(fmt(churnHandTime * 1000)) ms, ratio \(fmt(churnEngineTime / churnHandTime)) (target <= 1.50, issue 14), \(alerts) alerts")
print("  upsell compiled: \(fmt(upsellEngineTime * 1000)) ms (\(fmt(millions / upsellEngineTime, 1)) M customers/s), hand-written: \(fmt(upsellHandTime * 1000)) ms, ratio \(fmt(upsellEngineTime / upsellHandTime)) (target <= 1.50, issue 14), \(offers) offers")

// MARK: Decision tables (issue 12)

let tables = TableBench.run(data, rows: TableBench.rows, groups: 5, runs: runs, measure: measure)
print("  segments, 20-row decision table (employees × industry × users): \(fmt(tables.table * 1000)) ms, the same 20 rows as when: segments: \(fmt(tables.when * 1000)) ms, ratio \(fmt(tables.table / tables.when)) (target <= 2.00)")
print("    the same 20 rows giving \(tables.segments) segments of 4 rows each (\(tables.andNot) 'and not (…)' terms): \(fmt(tables.grouped * 1000)) ms, \(fmt(tables.grouped / tables.table)) x the 20-segment table")
let cascade = TableBench.run(data, rows: TableBench.cascade, groups: 4, runs: runs, measure: measure)
print("  segments, 20 nested rows (employees >= 475 … >= 0): table \(fmt(cascade.table * 1000)) ms, when: \(fmt(cascade.when * 1000)) ms, ratio \(fmt(cascade.table / cascade.when))")
print("    the same 20 rows giving \(cascade.segments) segments of 5 rows each (\(cascade.andNot) 'and not (…)' terms): \(fmt(cascade.grouped * 1000)) ms, \(fmt(cascade.grouped / cascade.table)) x the 20-segment table")

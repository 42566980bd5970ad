#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel

/// The columns of product facts (`ProductFact`) over every customer of a dataset, each
/// computed on first use in one pass over the subscription rows and then shared by
/// every rule that reads it (a run binds many rules to the same `BoundColumns`).
package final class ProductFactColumns: @unchecked Sendable {
    private let dataset: Dataset
    private var cache: [ProductFact: Column] = [:]
    private var mutex = pthread_mutex_t()

    init(dataset: Dataset) {
        self.dataset = dataset
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    /// The column of `fact`.
    package func column(_ fact: ProductFact) -> Column {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if let c = cache[fact] { return c }
        let c = Self.compute(fact, dataset)
        cache[fact] = c
        return c
    }

    /// How many fact columns have been computed (each once, however many rules read it).
    package var computedCount: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return cache.count
    }

    /// Adds two prices; beyond the 64-bit range it stays at the largest value. Ingestion
    /// keeps prices non-negative and a customer's active total exact (DatasetBuilder), so
    /// a sum of some of its rows never gets there.
    static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (s, overflow) = a.addingReportingOverflow(b)
        if !overflow { return s }
        return b < 0 ? Int64.min + 1 : Int64.max
    }

    /// One pass over the subscription rows, grouped by customer.
    static func compute(_ fact: ProductFact, _ dataset: Dataset) -> Column {
        let table = dataset.subscriptions
        let n = dataset.count
        // The product's code in this data (nil: no customer has it).
        func code(_ p: String) -> UInt8? {
            guard let i = table.products.firstIndex(where: { ExactText.equal($0, p) }), i < 256 else { return nil }
            return UInt8(i)
        }
        func rows(_ c: Int) -> Range<Int> {
            guard c + 1 < table.offsets.count else { return 0..<0 }
            let lo = Int(table.offsets[c]), hi = Int(table.offsets[c + 1])
            return lo >= 0 && lo <= hi && hi <= table.count ? lo..<hi : 0..<0
        }
        switch fact {
        case .price(let p):
            var out = [Int64](repeating: NumberColumn.null, count: n)
            if let code = code(p) {
                for c in 0..<n {
                    var total: Int64 = 0, any = false
                    for k in rows(c) where table.product[k] == code && table.active[k] == 1 {
                        any = true
                        total = add(total, table.price[k])
                    }
                    if any { out[c] = total }
                }
            }
            return .number(NumberColumn(values: out, scale: 2))
        case .start(let p):
            var out = [Int32](repeating: DateColumn.null, count: n)
            if let code = code(p) {
                for c in 0..<n {
                    for k in rows(c) where table.product[k] == code && table.active[k] == 1 {
                        let d = table.startDate[k]
                        if out[c] == DateColumn.null || d < out[c] { out[c] = d }
                    }
                }
            }
            return .date(DateColumn(values: out))
        case .status(let p):
            var out = [Int32](repeating: StringColumn.null, count: n)
            if let code = code(p) {
                for c in 0..<n {
                    for k in rows(c) where table.product[k] == code {
                        if table.active[k] == 1 { out[c] = 0; break }
                        out[c] = 1
                    }
                }
            }
            return .string(StringColumn(codes: out, dictionary: ProductFact.statuses))
        case .cancelled:
            var out = [UInt64](repeating: 0, count: n)
            for c in 0..<n {
                var any: UInt64 = 0, active: UInt64 = 0
                for k in rows(c) {
                    let bit = UInt64(1) << UInt64(table.product[k] & 63)
                    any |= bit
                    if table.active[k] == 1 { active |= bit }
                }
                out[c] = any & ~active
            }
            return .productSet(ProductSetColumn(bits: out, universe: table.products))
        case .countOf(let ps):
            var mask: UInt64 = 0
            for p in ps { if let code = code(p) { mask |= UInt64(1) << UInt64(code & 63) } }
            var out = [Int64](repeating: 0, count: n)
            if case .productSet(let set)? = dataset.column("products"), set.bits.count == n {
                for c in 0..<n { out[c] = Int64((set.bits[c] & mask).nonzeroBitCount) }
            }
            return .number(NumberColumn(values: out, scale: 0))
        }
    }
}

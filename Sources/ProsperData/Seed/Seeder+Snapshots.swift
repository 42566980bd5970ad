import ProsperModel
import ProsperRules

/// What `seed --snapshots` generates: the same customers at two or more dates.
package struct SnapshotSeedOptions: Sendable {
    /// The random seed.
    package var seed: UInt64
    /// Customers of the first snapshot (exactly those of a plain `seed` for its date);
    /// later snapshots add the customers who signed up between the dates.
    package var customers: Int
    /// The snapshot dates, strictly increasing, at least two.
    package var dates: [Day]
    package var format: SeedFormat

    package init(seed: UInt64 = 1, customers: Int = 500, dates: [Day], format: SeedFormat = .csv) {
        self.seed = seed
        self.customers = customers
        self.dates = dates
        self.format = format
    }

    /// Customers who signed up between `dates[k - 1]` and `dates[k]` (k ≥ 1): 25 % a
    /// year of the first snapshot's count, at least one (none when it is empty).
    package func newCustomers(_ k: Int) -> Int {
        guard customers > 0, k >= 1, k < dates.count else { return 0 }
        let gap = Int(dates[k].number - dates[k - 1].number)
        let (product, overflow) = customers.multipliedReportingOverflow(by: max(gap, 0))
        return max(1, overflow ? SeedOptions.maxCustomers : product / SeedSnapshotModel.growthDays)
    }

    /// Customer indices of snapshot `k`: the first snapshot's and every new one up to k.
    package func indices(_ k: Int) -> Int {
        var n = customers
        for j in stride(from: 1, through: k, by: 1) { n = n.addingReportingOverflow(newCustomers(j)).partialValue }
        return n
    }
}

extension Seeder {
    /// Writes one data set per date into `directory/YYYY-MM-DD/`, each in the contract
    /// layout with its own `seed.yaml`, consistent across dates (docs/data.md, "Snapshots"):
    /// the customers drawn as churning in one snapshot have cancelled everything (or are
    /// missing) in the next, the others keep at least one product; customers who signed up
    /// between the dates appear from the later one on. Memory stays constant.
    package static func writeSnapshots(_ options: SnapshotSeedOptions, to directory: String,
                                      progress: ((Int, Int) -> Void)? = nil) throws(DataFileError) -> [SeedSummary] {
        guard options.customers >= 0 else { throw DataFileError(path: directory, message: "the number of customers must be >= 0") }
        guard options.dates.count >= 2 else { throw DataFileError(path: directory, message: "--snapshots needs two or more dates") }
        for k in 1..<options.dates.count where options.dates[k].number <= options.dates[k - 1].number {
            throw DataFileError(path: directory, message: "the snapshot dates must be strictly increasing: \(options.dates[k]) is not after \(options.dates[k - 1])")
        }
        let last = options.dates.count - 1
        let total = options.indices(last)
        guard options.customers <= SeedOptions.maxCustomers, total <= SeedOptions.maxCustomers else {
            throw DataFileError(path: directory, message: "the number of customers (with those added between the dates) must be at most \(SeedOptions.maxCustomers)")
        }
        try makeDirectory(directory)
        let root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        // One id width for every snapshot, so a customer's id is the same bytes in each.
        let width = max(7, String(total).count)
        // firstIndex[k]: the first customer index that appears in snapshot k.
        var firstIndex = [0]
        for k in 1...last { firstIndex.append(options.indices(k - 1)) }
        var summaries: [SeedSummary] = []
        for k in 0...last {
            let dir = root + "/" + options.dates[k].description
            try makeDirectory(dir)
            let rows = try writeRows(in: dir, format: options.format, indices: options.indices(k), width: width,
                                     progress: progress.map { p in { p(k, $0) } }) { i, customer in
                var first = 0
                while first < k, i >= firstIndex[first + 1] { first += 1 }
                if first == 0 {
                    customer.generate(seed: options.seed, index: i, asOf: options.dates[0])
                } else {
                    let gap = Int(options.dates[first].number - options.dates[first - 1].number)
                    customer.generate(seed: options.seed, index: i, asOf: options.dates[first], tenure: 0...(max(gap, 1) - 1),
                                      activeOnAsOf: i == firstIndex[first])
                }
                var step = first + 1
                while step <= k {
                    if !customer.advance(seed: options.seed, step: step, from: options.dates[step - 1], to: options.dates[step]) { return false }
                    step += 1
                }
                return true
            }
            try writeSnapshotManifest(options, k: k, customers: rows.customers, to: dir + "/seed.yaml")
            summaries.append(SeedSummary(customers: rows.customers, subscriptions: rows.subscriptions, files: rows.files + [dir + "/seed.yaml"]))
        }
        return summaries
    }

    static func writeSnapshotManifest(_ options: SnapshotSeedOptions, k: Int, customers: Int, to path: String) throws(DataFileError) {
        let text = """
            # Written by prosper-rules seed --snapshots: the same options write the same files.
            seed: \(options.seed)
            customers: \(customers)
            first_snapshot_customers: \(options.customers)
            as_of: \(options.dates[k])
            format: \(options.format.rawValue)
            snapshots: [\(options.dates.map(\.description).joined(separator: ", "))]

            """
        try FileOutput.write(Array(text.utf8), to: path)
    }
}

/// The `seed.yaml` a seeded folder holds: the as-of date it was generated for.
package enum SeedManifest {
    /// The `as_of:` of `seed.yaml` in `path` (a folder), or beside `path` (a file); nil
    /// when there is none or it holds no valid date.
    package static func asOf(near path: String) -> Day? {
        let folder: String
        if FileBytes.isDirectory(path) {
            folder = path.hasSuffix("/") ? String(path.dropLast()) : path
        } else {
            folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        }
        guard case .success(let bytes) = FileBytes.read(folder + "/seed.yaml", limit: 1 << 16) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("as_of:") {
            let value = line.dropFirst("as_of:".count).trimmingCharacters(in: " \t\r\"'")
            return Day(iso: value)
        }
        return nil
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = self[...]
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

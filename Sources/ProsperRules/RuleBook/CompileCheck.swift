import ProsperModel

/// The compile step of `report`, run by `check` too: every condition of a loaded rule
/// file is compiled to kernels by the very programs `report` builds (`SegmentEngine`,
/// `ChurnProgram`, `UpsellProgram`, `ConditionEngine`), bound to an empty dataset with
/// the same fields. So `check` accepts exactly the rule files `report` can run, and a
/// problem only the compiler sees is an error at its position, before any data is read.
package enum CompileCheck {
    /// The problems of compiling `file` against `dataset` (none when it compiles).
    package static func problems(_ file: RuleFile, dataset: Dataset) -> [Diagnostic] {
        do throws(Diagnostic) {
            try compile(file, dataset: dataset)
            return []
        } catch {
            return [error]
        }
    }

    /// The problems of compiling `file` against the fields of `schema`.
    package static func problems(_ file: RuleFile, schema: Schema) -> [Diagnostic] {
        problems(file, dataset: emptyDataset(schema))
    }

    /// Builds every program of `file` over `dataset`, as `report` does (without running).
    package static func compile(_ file: RuleFile, dataset: Dataset) throws(Diagnostic) {
        func columns(_ segments: SegmentRules?) throws(Diagnostic) -> BoundColumns {
            guard let segments else { return BoundColumns(dataset: dataset) }
            let a = try SegmentEngine.assign(segments, to: dataset)
            return BoundColumns(dataset: dataset, extra: ["segment": .string(a.column)])
        }
        switch file {
        case .segments(let s):
            _ = try SegmentEngine.assign(s, to: dataset)
        case .churn(let r):
            _ = try ChurnProgram(rules: r, columns: columns(r.segments))
        case .upsell(let r):
            _ = try UpsellProgram(rules: r, columns: columns(r.segments))
        case .analytics(let r):
            let c = try columns(r.segments)
            if let w = r.filter { _ = try ConditionEngine.mask(w, rule: r.header.name, columns: c) }
            _ = try ConditionEngine.firstMatch(r.tiers.map { ($0.name, $0.when) }, columns: c)
        }
    }

    /// A dataset with no customers and the fields of `schema`.
    static func emptyDataset(_ schema: Schema) -> Dataset {
        let columns: [Column] = schema.fields.map { f in
            switch f.kind {
            case .number(let s): .number(NumberColumn(values: [], scale: s))
            case .boolean: .boolean(BooleanColumn(values: []))
            case .string: .string(StringColumn(codes: [], dictionary: []))
            case .date: .date(DateColumn(values: []))
            case .productSet: .productSet(ProductSetColumn(bits: [], universe: RuleLoader.catalogue))
            }
        }
        let subscriptions = SubscriptionTable(products: RuleLoader.catalogue, offsets: [0], product: [], price: [], startDate: [], active: [])
        return Dataset(count: 0, asOf: Day(number: 0), fingerprint: "", schema: schema, columns: columns, subscriptions: subscriptions)
    }
}

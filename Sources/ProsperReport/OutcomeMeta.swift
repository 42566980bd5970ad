import ProsperAnalytics

/// The report meta that says which outcomes a backtest, sweep or comparison scored the
/// rules against: one `outcomes` record (source, where, customers with an outcome, churned).
package enum OutcomeMeta {
    package static func entries(_ o: ChurnOutcomes) -> [(key: String, value: Cell)] {
        var fields: [Cell.Field]
        switch o.source {
        case .label(let column):
            fields = [.init("source", .text("label")), .init("column", .text(column))]
        case .snapshot(let path, let asOf, let rule):
            fields = [.init("source", .text("snapshot")), .init("path", .text(path)), .init("as_of", .text(asOf.description)),
                      .init("churned_when", .text(rule.description))]
        }
        fields.append(.init("customers", .integer(Int64(o.known))))
        fields.append(.init("churned", .integer(Int64(o.churnedCount))))
        return [("outcomes", .records([fields]))]
    }
}

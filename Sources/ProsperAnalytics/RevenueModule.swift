import ProsperModel
import ProsperRules

/// B: revenue of active subscriptions by product (or a customer field) × a customer field.
public enum RevenueModule {
    public static func run(_ c: AnalyticsContext, by fields: [String], tiers: GroupLabels) -> RevenueResult {
        let rowField = fields.first ?? "product"
        // One `by` entry: a single "all" column, so the rows are the groups of that field.
        let columnField = fields.count > 1 ? fields[1] : "all"
        let subs = c.dataset.subscriptions
        // Rows: products, or a customer field; columns: a customer field.
        let rowLabels: GroupLabels? = rowField == "product" ? nil : GroupLabels.of(rowField, columns: c.columns, tiers: tiers)
        let colLabels = columnField == "product" ? nil
            : (columnField == "all" && fields.count < 2 ? GroupLabels(codes: [Int32](repeating: 0, count: c.dataset.count), labels: ["all"])
                : GroupLabels.of(columnField, columns: c.columns, tiers: tiers))
        let rowNames = rowLabels?.labels ?? subs.products
        let colNames = colLabels?.labels ?? subs.products
        var grid = [Int64](repeating: 0, count: max(rowNames.count * colNames.count, 1))
        // Active subscriptions per cell: a cell whose subscriptions all cost 0.00 is still a cell.
        var subscriptions = [Int32](repeating: 0, count: grid.count)
        for cust in 0..<c.dataset.count where c.included[cust] == 1 {
            for k in Int(subs.offsets[cust])..<Int(subs.offsets[cust + 1]) where subs.active[k] == 1 {
                let r = rowLabels.map { Int($0.codes[cust]) } ?? Int(subs.product[k])
                let col = colLabels.map { Int($0.codes[cust]) } ?? Int(subs.product[k])
                grid[r * colNames.count + col] += subs.price[k]
                subscriptions[r * colNames.count + col] += 1
            }
        }
        let keepRows = rowField == "segment" || rowField == "loyalty_tier"
        let keepCols = columnField == "segment" || columnField == "loyalty_tier"
        let rowOrder = (rowLabels?.order(keepGiven: keepRows) ?? Array(rowNames.indices))
        let colOrder = (colLabels?.order(keepGiven: keepCols) ?? Array(colNames.indices))
        return assemble(rowField: rowField, columnField: columnField, rowNames: rowOrder.map { rowNames[$0] }, columnNames: colOrder.map { colNames[$0] },
                        keepEmptyRows: rowLabels == nil) { r, col in
            let k = rowOrder[r] * colNames.count + colOrder[col]
            return (grid[k], Int(subscriptions[k]))
        }
    }

    /// The result from the labels in report order and each cell's revenue and active
    /// subscriptions (`cell(row, column)`, indices into the names). Rows without any
    /// subscription are left out unless `keepEmptyRows` (rows that are products).
    public static func assemble(rowField: String, columnField: String, rowNames: [String], columnNames: [String], keepEmptyRows: Bool,
                                cell: (Int, Int) -> (revenue: Int64, subscriptions: Int)) -> RevenueResult {
        var cells: [RevenueResult.Cell] = []
        var rowTotals: [Int64] = []
        var colTotals = [Int64](repeating: 0, count: columnNames.count)
        var usedRows: [Int] = []
        for r in rowNames.indices {
            let values = columnNames.indices.map { cell(r, $0) }
            let sum = values.reduce(Int64(0)) { $0 + $1.revenue }
            let anyRow = values.contains { $0.subscriptions != 0 }
            guard anyRow || keepEmptyRows else { continue }
            usedRows.append(r)
            rowTotals.append(sum)
            for (j, v) in values.enumerated() {
                colTotals[j] += v.revenue
                cells.append(.init(row: rowNames[r], column: columnNames[j], revenue: v.revenue, subscriptions: v.subscriptions))
            }
        }
        return RevenueResult(rowField: rowField, columnField: columnField, rows: usedRows.map { rowNames[$0] }, columns: columnNames,
                             cells: cells, rowTotals: rowTotals, columnTotals: colTotals, total: rowTotals.reduce(0, +))
    }
}

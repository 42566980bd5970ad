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
        var cells: [RevenueResult.Cell] = []
        var rowTotals: [Int64] = []
        var colTotals = [Int64](repeating: 0, count: colOrder.count)
        var usedRows: [Int] = []
        for r in rowOrder {
            let sum = colOrder.reduce(Int64(0)) { $0 + grid[r * colNames.count + $1] }
            let anyRow = colOrder.contains { subscriptions[r * colNames.count + $0] != 0 }
            guard anyRow || rowLabels == nil else { continue }
            usedRows.append(r)
            rowTotals.append(sum)
            for (j, col) in colOrder.enumerated() {
                let v = grid[r * colNames.count + col]
                colTotals[j] += v
                cells.append(.init(row: rowNames[r], column: colNames[col], revenue: v, subscriptions: Int(subscriptions[r * colNames.count + col])))
            }
        }
        return RevenueResult(rowField: rowField, columnField: columnField, rows: usedRows.map { rowNames[$0] }, columns: colOrder.map { colNames[$0] },
                             cells: cells, rowTotals: rowTotals, columnTotals: colTotals, total: rowTotals.reduce(0, +))
    }
}

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
        tally(c, rowCodes: rowLabels?.codes, columnCodes: colLabels?.codes, width: colNames.count, into: &grid, &subscriptions)
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

    /// Adds each included customer's active subscriptions into `grid` (price) and
    /// `subscriptions` (count) at cell `row × width + column`, where a nil code list means
    /// "the subscription's product". Plain loops over the column storage: this runs once
    /// per subscription (2.5 M at 1 M customers), where closures and per-element array
    /// checks cost more than the work. A cell outside the grid stops the process, as an
    /// array index would; the dataset builder keeps every total below 2^63, so the sums
    /// cannot overflow.
    static func tally(_ c: AnalyticsContext, rowCodes: [Int32]?, columnCodes: [Int32]?, width: Int,
                      into grid: inout [Int64], _ subscriptions: inout [Int32]) {
        let subs = c.dataset.subscriptions
        let offsets = subs.offsets.elements, active = subs.active.elements, product = subs.product.elements, price = subs.price.elements
        let n = min(c.dataset.count, c.included.count, offsets.count - 1, rowCodes?.count ?? .max, columnCodes?.count ?? .max)
        guard n > 0 else { return }
        let cells = grid.count
        c.included.withUnsafeBufferPointer { included in
            grid.withUnsafeMutableBufferPointer { g in
                subscriptions.withUnsafeMutableBufferPointer { s in
                    for cust in 0..<n where included[cust] == 1 {
                        let lo = Int(offsets[cust]), hi = Int(offsets[cust + 1])
                        guard lo < hi else { continue }
                        let fixedRow = rowCodes.map { Int($0[cust]) }, fixedColumn = columnCodes.map { Int($0[cust]) }
                        // Inactive rows add 0 instead of taking a branch per row, which
                        // mispredicts as often as statuses alternate.
                        for k in lo..<hi {
                            let cell = (fixedRow ?? Int(product[k])) &* width &+ (fixedColumn ?? Int(product[k]))
                            precondition(cell >= 0 && cell < cells, "revenue cell out of range")
                            let on: Int64 = active[k] == 1 ? 1 : 0
                            g[cell] &+= price[k] & (0 &- on)
                            s[cell] &+= Int32(truncatingIfNeeded: on)
                        }
                    }
                }
            }
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

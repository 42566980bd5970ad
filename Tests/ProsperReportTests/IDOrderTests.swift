import Foundation
import ProsperData
import ProsperModel
import ProsperReport
import Testing

/// Ranked lists break ties by customer id in byte order. When ingestion sees the ids
/// arrive sorted it marks the column `byteOrdered` and the modules compare rows instead of
/// texts; the ranking must be the same either way.
@Suite struct IDOrderTests {
    static let rules = ["analytics", "churn", "segments", "upsell"].map { TestPaths.root + "/rules/\($0).yaml" }

    /// A copy of examples/data with the customer rows (and the subscription rows) reversed.
    static func reversedCopy(into dir: Scratch) throws -> String {
        for name in ["customers.csv", "subscriptions.csv"] {
            let text = try String(contentsOfFile: TestPaths.root + "/examples/data/" + name, encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            let header = lines.removeFirst()
            dir.write(name, ([header] + lines.reversed()).joined(separator: "\n") + "\n")
        }
        return dir.path
    }

    static func idColumn(_ d: Dataset) -> StringColumn? {
        if case .string(let s)? = d.column("customer_id") { return s }
        return nil
    }

    @Test func sortedIDsAreMarkedAndReversedAreNot() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let sorted = Reports.examples
        let reversed = try Reports.dataset(try Self.reversedCopy(into: dir))
        #expect(Self.idColumn(sorted)?.byteOrdered == true)
        #expect(Self.idColumn(reversed)?.byteOrdered == false)
    }

    @Test func rankedListsDoNotDependOnRowOrder() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let reversed = try Reports.dataset(try Self.reversedCopy(into: dir))
        let a = try Reports.build(Reports.examples, rules: Self.rules, limit: 100_000)
        let b = try Reports.build(reversed, rules: Self.rules, limit: 100_000)
        for section in a.sections where section.id == "churn" || section.id == "upsell" {
            let other = try b.section(section.id)
            #expect(section.tables.count == other.tables.count)
            for (x, y) in zip(section.tables, other.tables) {
                #expect(x.rows.map { $0.map(\.plain) } == y.rows.map { $0.map(\.plain) }, "\(section.id).\(x.id)")
                #expect(x.rows.count > 1, "\(section.id).\(x.id) has rows to rank")
            }
        }
        #expect(a.sections.contains { $0.id == "churn" } && a.sections.contains { $0.id == "upsell" })
    }
}

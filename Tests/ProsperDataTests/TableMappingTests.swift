import Foundation
import ProsperRules
import Testing
@testable import ProsperData

/// Table mapping files (`--table-mapping`, docs/engines.md): a good file read field by
/// field, and one bad file per class of mistake, its rendered messages (file:line:column,
/// source line, caret) compared with `<name>.expected` beside it.
@Suite struct TableMappingTests {
    static let folder = TestFiles.fixtures.appendingPathComponent("table-mapping")
    static let bad = ["bad-columns", "bad-fields", "bad-version", "data-mapping", "empty", "missing", "no-version", "tab"]

    static func path(_ name: String) -> String { folder.appendingPathComponent(name + ".yaml").path }

    /// The rendered messages of a bad file, with the fixture folder taken out of paths.
    static func rendered(_ name: String) -> String? {
        do {
            _ = try TableMapping.load(path: path(name))
            return nil
        } catch {
            return error.rendered.replacingOccurrences(of: folder.path + "/", with: "") + "\n"
        }
    }

    @Test func goodFileNamesTablesColumnsAndAttributes() throws {
        let m = try TableMapping.load(path: Self.path("good"))
        let file = Self.path("good")
        #expect(m.schema == "crm")
        #expect(m.customers.name == "Accounts \"Main\"")
        #expect(m.customers.origin == "\(file):4:10")
        #expect(m.customers.columns.map { "\($0.name)=\($0.column)@\($0.origin)" } == [
            "customer_id=Account No@\(file):6:18", "company_name=Legal \"Name\"@\(file):7:19", "last_active_date=LastLogin@\(file):8:23",
        ])
        #expect(m.customers.attributes?.map { "\($0.name)=\($0.column)" } == ["plan=Plan Code", "discount_rate=discount_rate"])
        #expect(m.subscriptions.name == "contracts")
        #expect(m.subscriptions.columns.map { "\($0.name)=\($0.column)" } == ["customer_id=Account No", "product=SKU", "monthly_price=price month"])
        #expect(m.subscriptions.attributes == nil)
    }

    @Test func aMappingWithoutAttributesLeavesThemOpen() throws {
        let m = try TableMapping.load(path: Self.path("bad-version").replacingOccurrences(of: "bad-version", with: "good"))
        #expect(m.customers.attributes != nil)
        let open = TableMapping.parse(bytes: Array("table_mapping: 1\ncustomers:\n  table: accounts\n".utf8), path: "t.yaml")
        guard case .success(let o) = open else { Issue.record("refused: \(open)"); return }
        #expect(o.customers.attributes == nil && o.customers.columns.isEmpty && o.schema == nil)
        #expect(o.subscriptions.name == nil && o.subscriptions.origin == nil)
    }

    @Test(arguments: bad)
    func badFilesGetPositionedMessages(_ name: String) throws {
        let actual = try #require(Self.rendered(name), "\(name) was accepted")
        let expected = try String(contentsOf: Self.folder.appendingPathComponent(name + ".expected"), encoding: .utf8)
        #expect(actual == expected, "\(name):\n\(actual)")
    }

    /// Set PROSPER_RECORD=1 to rewrite the .expected files from the current output (then review the diff).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROSPER_RECORD"] != nil))
    func record() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/table-mapping")
        for name in Self.bad {
            try Data((Self.rendered(name) ?? "accepted\n").utf8).write(to: source.appendingPathComponent(name + ".expected"))
        }
    }
}

import Foundation
import ProsperModel
import ProsperRules
import Testing
@testable import ProsperData

/// The project's own catalogue: `products:` in prosper.yaml or a products.yaml beside it.
/// Every bad declaration `Fixtures/products/bad/NN-name.yaml` is compared verbatim with
/// `NN-name.expected` (re-record with `PROSPER_RECORD=1`).
@Suite struct ProductCatalogueTests {
    static var folder: String { TestFiles.fixtures.appendingPathComponent("products").path }
    static var sourceFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/products").path
    }
    static let badNames: [String] = {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: TestFiles.fixtures.appendingPathComponent("products/bad").path)) ?? []
        return all.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func declaredProductsAreRead() throws {
        let p = try ProjectFile.load(path: Self.folder + "/good/prosper.yaml")
        #expect(p.products == [CatalogueProduct(name: "Fiber Upgrade", listPrice: 2000), CatalogueProduct(name: "Extra Line", listPrice: 500, perSeat: 150)])
    }

    @Test func aProductsFileBesideTheProjectIsRead() throws {
        let p = try ProjectFile.load(path: Self.folder + "/beside/prosper.yaml")
        #expect(p.products == [CatalogueProduct(name: "Streaming TV", listPrice: 1000)])
        // No declaration anywhere: nil, the built-in catalogue applies.
        let none = try ProjectFile.load(path: TestFiles.fixtures.appendingPathComponent("project/prosper.yaml").path)
        #expect(none.products == nil)
    }

    @Test func declaredTwiceIsAnError() {
        do {
            _ = try ProjectFile.load(path: Self.folder + "/twice/prosper.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.diagnostics.map(\.code) == ["products-twice"])
            #expect(error.diagnostics.first?.range?.start.description == "1:1")
        }
    }

    @Test(arguments: badNames)
    func badDeclarationsMatchGolden(_ name: String) throws {
        let path = Self.folder + "/bad/" + name
        var actual = ""
        do {
            _ = try ProjectFile.load(path: path)
            actual = "accepted\n"
        } catch {
            actual = error.rendered.replacingOccurrences(of: Self.folder + "/bad/", with: "") + "\n"
        }
        let golden = String(name.dropLast(".yaml".count)) + ".expected"
        if ProcessInfo.processInfo.environment["PROSPER_RECORD"] == "1" {
            try actual.write(toFile: Self.sourceFolder + "/bad/" + golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: Self.folder + "/bad/" + golden, encoding: .utf8)
        #expect(actual == expected, "products/bad/\(name) differs from \(golden) (re-record with PROSPER_RECORD=1)")
        #expect(actual.contains("error:"))
    }

    /// Known products: the declared catalogue replaces the built-in one; the data's are added.
    @Test(arguments: [
        (nil, ["Phone"], RuleLoader.catalogue + ["Phone"]),
        ([CatalogueProduct(name: "Fiber", listPrice: 100)], ["Phone"], ["Fiber", "Phone"]),
        ([], [], []),
    ] as [([CatalogueProduct]?, [String], [String])])
    func knownNames(declared: [CatalogueProduct]?, data: [String], expected: [String]) {
        #expect(CatalogueProduct.knownNames(declared: declared, data: data) == expected.sorted())
    }
}

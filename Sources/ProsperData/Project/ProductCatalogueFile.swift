import ProsperModel
import ProsperRules

/// The project's product catalogue: `products:` in prosper.yaml, or the same key in a
/// `products.yaml` beside it.
///
/// ```yaml
/// products:
///   - name: Streaming TV
///     price: 10.00          # list price per month
///   - name: Seats
///     price: 5.00
///     per_seat: 2.50        # optional: per user per month
/// ```
package enum ProductCatalogueFile {
    /// The file name looked for beside the project file.
    package static let fileName = "products.yaml"
    /// Largest price (one million a month), as for `prices:` of upsell files.
    static let maxPrice: Int64 = 100_000_000

    static func path(besideProjectFile project: String) -> String {
        guard let slash = project.lastIndex(of: "/") else { return fileName }
        return String(project[...slash]) + fileName
    }

    /// Loads a products.yaml (a mapping with the one key `products:`).
    package static func load(path: String) throws(ConfigFileError) -> [CatalogueProduct] {
        let bytes = try ProjectFile.readConfig(path)
        let parsed = YAMLParser.parse(bytes: bytes, path: path)
        guard parsed.diagnostics.isEmpty else { throw ConfigFileError(diagnostics: parsed.diagnostics, source: parsed.source) }
        var r = YAMLReader(file: path)
        var products: [CatalogueProduct] = []
        if let root = parsed.root {
            for (_, _, value) in r.pairs(root, "the products file", allowed: ["products"]) { products = read(value, &r) }
        }
        if !r.diagnostics.isEmpty { throw ConfigFileError(diagnostics: r.diagnostics, source: parsed.source) }
        return products
    }

    /// The list under `products:`; every problem is reported at its place in `r`.
    static func read(_ node: YAMLNode, _ r: inout YAMLReader) -> [CatalogueProduct] {
        guard let items = node.items else {
            r.error(node, .catalogueShape(found: node.shapeDescription))
            return []
        }
        var out: [CatalogueProduct] = []
        var seen: [String: Int] = [:]
        for item in items {
            let before = r.diagnostics.count
            var name: String?, price: Int64?, perSeat: Int64?
            var nameNode: YAMLNode?
            for (key, _, value) in r.pairs(item, "a product", allowed: ["name", "price", "per_seat"]) {
                switch key {
                case "name":
                    guard let t = r.text(value, "name") else { continue }
                    if t.isEmpty { r.error(value, .catalogueEmptyName) } else { name = t }
                    nameNode = value
                case "price": price = money(value, "price", &r)
                default: perSeat = money(value, "per_seat", &r)
                }
            }
            guard let name, let nameNode else {
                if item.pairs != nil { r.error(item, .catalogueMissingName) }
                continue
            }
            if let line = seen[name] {
                r.error(nameNode, .catalogueDuplicate(name, firstLine: line))
                continue
            }
            seen[name] = nameNode.range.start.line
            guard let price else {
                // A misspelt key (`prize:`) was reported already: one message is enough.
                if r.diagnostics.count == before, item.pairs?.contains(where: { $0.key.scalar?.value == "price" }) != true {
                    r.error(nameNode, .catalogueMissingPrice(name))
                }
                continue
            }
            out.append(CatalogueProduct(name: name, listPrice: price, perSeat: perSeat))
        }
        return out
    }

    /// An amount in cents: a plain number from 0 to 1000000.00 with at most 2 decimals.
    static func money(_ node: YAMLNode, _ what: String, _ r: inout YAMLReader) -> Int64? {
        guard let t = r.text(node, what) else { return nil }
        if node.scalar?.style != .plain, Money.parseScaled(Array(t.utf8)[...], scale: 2) != nil {
            r.error(node, .cataloguePriceQuoted(what, found: t))
            return nil
        }
        guard let cents = Money.parseScaled(Array(t.utf8)[...], scale: 2), cents >= 0, cents <= maxPrice else {
            r.error(node, .cataloguePrice(what, found: t))
            return nil
        }
        return cents
    }
}

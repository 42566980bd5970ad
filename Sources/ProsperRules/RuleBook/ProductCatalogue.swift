/// A product of the project's own catalogue (`products:` in prosper.yaml or a
/// products.yaml beside it): its name and list price, and optionally a price per seat.
///
/// The catalogue says which products upsell rules may recommend without the "not a
/// product of the catalogue" warning, and prices the offers whose rule file has no
/// `prices:` entry for them. Without one, ``RuleLoader/catalogue`` (the SaaS products
/// of the built-in rules) is the default.
package struct CatalogueProduct: Sendable, Equatable {
    /// The product's name, as the data and the rules write it.
    package let name: String
    /// The list price per month in cents.
    package let listPrice: Int64
    /// The price per seat (user) per month in cents, when the product is sold per seat.
    package let perSeat: Int64?

    package init(name: String, listPrice: Int64, perSeat: Int64? = nil) {
        self.name = name
        self.listPrice = listPrice
        self.perSeat = perSeat
    }

    /// The product names rules may name without a warning: the declared catalogue (else
    /// the built-in one) and the products of the data.
    package static func knownNames(declared: [CatalogueProduct]?, data: [String]) -> [String] {
        let base = declared.map { $0.map(\.name) } ?? RuleLoader.catalogue
        return Array(Set(base).union(data)).sorted()
    }
}

import ProsperData
import ProsperSQL

extension SQLTables {
    /// Reads the tables through `mapping`: its schema (when it names one), table names,
    /// the user's columns of contract fields and the attributes it offers to rules.
    package mutating func apply(_ mapping: TableMapping) {
        if let s = mapping.schema { schema = s }
        if let t = mapping.customers.name { customers = t }
        if let t = mapping.subscriptions.name { subscriptions = t }
        customerColumns = Self.columns(mapping.customers, extra: mapping.customers.attributes ?? [])
        subscriptionColumns = Self.columns(mapping.subscriptions, extra: [])
        attributes = mapping.customers.attributes?.map(\.name)
        // The user's tables, read as they are: the data order is the customer ids' order.
        hasOrder = false
        mappingFile = mapping.path
    }

    private static func columns(_ table: TableMapping.Table, extra: [TableMapping.Entry]) -> SQLColumns {
        var c = SQLColumns(tableOrigin: table.origin)
        for e in table.columns + extra {
            c.renamed[e.name] = e.column
            c.origins[e.name] = e.origin
        }
        return c
    }
}

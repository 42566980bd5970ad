extension ReportDocument {
    /// The document `ReportBuilder.build` would make with `limit`, derived from a document
    /// built with a larger one (the same module run): every list cut by `--limit`
    /// (`Table.limited`: alerts, offers) keeps its first `limit` rows and counts the rest
    /// in `omitted`. Figures, the other tables and the notes do not depend on the limit and
    /// are kept as they are. `serve` builds the full report once and shows this on its page.
    public func limited(to limit: Int) -> ReportDocument {
        var doc = self
        for s in doc.sections.indices {
            for t in doc.sections[s].tables.indices where doc.sections[s].tables[t].limited {
                doc.sections[s].tables[t] = doc.sections[s].tables[t].prefix(limit)
            }
        }
        return doc
    }
}

extension Table {
    /// The first `count` rows (made on demand from this table's), the others added to
    /// `omitted`; the table itself when it has no more.
    package func prefix(_ count: Int) -> Table {
        let shown = max(count, 0)
        guard rowCount > shown else { return self }
        let source = self
        var cut = Table(id: id, title: title, columns: columns, count: shown) { i in source.row(i) }
        cut.omitted = omitted + (rowCount - shown)
        cut.limited = limited
        return cut
    }
}

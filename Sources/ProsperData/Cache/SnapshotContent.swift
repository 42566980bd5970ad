import ProsperModel

/// What a snapshot holds: the validated dataset and what the commands print after an
/// ingestion (rejected rows, warnings) and the mapping's constant fields, so a run from
/// the snapshot behaves exactly like one that read the files.
package struct SnapshotContent: Sendable {
    package let dataset: Dataset
    /// Rejected rows over all tables (the report commands print the count).
    package let rowsRejected: Int
    /// The ingest report's warnings, in order.
    package let warnings: [IngestWarning]
    /// The fields the mapping file (if any) fills with constants.
    package let mappingConstants: [MappingConstant]

    package init(dataset: Dataset, rowsRejected: Int, warnings: [IngestWarning], mappingConstants: [MappingConstant]) {
        self.dataset = dataset
        self.rowsRejected = rowsRejected
        self.warnings = warnings
        self.mappingConstants = mappingConstants
    }

    /// The content of a usable ingestion; nil when it built no dataset.
    package init?(_ result: IngestResult) {
        guard let d = result.dataset else { return nil }
        self.init(dataset: d, rowsRejected: result.report.rowsRejected, warnings: result.report.warnings, mappingConstants: result.mappingConstants)
    }
}

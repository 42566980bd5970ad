import ProsperModel

/// Ingestion of foreign layouts through a YAML mapping file.
public enum MappedIngest {
    /// Reads `path` (one CSV file in another layout), maps it with `mappingPath` and
    /// validates the mapped records like native ones.
    public static func ingest(path: String, mappingPath: String, options: IngestOptions) throws(DataFileError) -> IngestResult {
        throw DataFileError(path: mappingPath, message: "mapping files are not supported yet")
    }
}

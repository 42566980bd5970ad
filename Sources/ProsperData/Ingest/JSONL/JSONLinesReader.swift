import ProsperModel

extension Ingestor {
    static func ingestJSONLines(path: String, sourceName: String, options: IngestOptions) throws(DataFileError) -> IngestResult {
        throw DataFileError(path: path, message: "JSON Lines: not yet")
    }
}

import ProsperData
import ProsperModel
import ProsperRules

/// Mapping files (applied to a fixed foreign CSV) and the project file: a bad file is
/// an error with positioned diagnostics, never a crash, and the same outcome twice.
enum ConfigChecks {
    static func mapping(_ bytes: [UInt8]) -> [FuzzViolation] {
        guard let dir = ScratchFolder(), let mappingPath = dir.write("mapping.yaml", bytes),
              let sourcePath = dir.write("source.csv", FixedData.foreignCSV) else { return DataChecks.scratch }
        let files = ["source.csv": Array(FixedData.foreignCSV.utf8)]
        func run() -> (String, [FuzzViolation]) {
            do {
                let r = try MappedIngest.ingest(path: sourcePath, mappingPath: mappingPath, options: DataChecks.options)
                return (r.report.renderText() + String(decoding: r.rejectsCSV, as: UTF8.self), DataChecks.invariants(r, files: files))
            } catch let e as ConfigFileError {
                return (e.description, configError(e, file: mappingPath, bytes: bytes))
            } catch let e as DataFileError {
                return (e.description, DataChecks.fileError(e, files: files))
            } catch {
                return ("\(error)", [FuzzViolation("error-type", "unexpected error \(type(of: error)): \(error)")])
            }
        }
        let (a, out) = run()
        let (b, _) = run()
        return a == b ? out : out + [FuzzViolation("determinism", "the same mapping gave different results twice")]
    }

    static func project(_ bytes: [UInt8]) -> [FuzzViolation] {
        guard let dir = ScratchFolder(), let path = dir.write("prosper.yaml", bytes) else { return DataChecks.scratch }
        func run() -> (String, [FuzzViolation]) {
            do throws(ConfigFileError) {
                let p = try ProjectFile.load(path: path)
                return ("\(p)", [])
            } catch {
                return (error.description, configError(error, file: path, bytes: bytes))
            }
        }
        let (a, out) = run()
        let (b, _) = run()
        return a == b ? out : out + [FuzzViolation("determinism", "the same project file gave different results twice")]
    }

    /// A config error has at least one diagnostic, each positioned in the file.
    static func configError(_ e: ConfigFileError, file: String, bytes: [UInt8]) -> [FuzzViolation] {
        var out = Positions.check(e.diagnostics, file: file, source: e.source, bytes: bytes)
        if e.diagnostics.isEmpty { out.append(FuzzViolation("silent", "a config error without any diagnostic")) }
        _ = e.rendered
        return out
    }
}

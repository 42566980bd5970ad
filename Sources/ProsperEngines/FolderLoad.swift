import Foundation
import ProsperData
import ProsperModel
import ProsperSQL

/// `load --into DIR`: the validated data set as the CSV tables Spark reads
/// (customers.csv, subscriptions.csv, prosper_dataset.csv).
package enum FolderLoad {
    package struct Summary: Sendable {
        package let customers: Int
        package let subscriptions: Int
    }

    package static func load(_ d: Dataset, source: String, into dir: String, replace: Bool) throws(EngineError) -> Summary {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw EngineError("\(dir) is a file, not a folder") }
            if fm.fileExists(atPath: dir + "/prosper_dataset.csv"), !replace {
                throw EngineError("\(dir) already holds loaded data: add --replace to write over it")
            }
        } else {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw EngineError("cannot create \(dir): \(error.localizedDescription)")
            }
        }
        try LoadedTables.writeCSV(d, to: dir)
        var meta = "\"key\",\"value\"\n"
        for (k, v) in LoadedTables.metadata(d, source: source) { meta += LoadedTables.quote(k) + "," + LoadedTables.quote(v) + "\n" }
        // The one atomic writer of output files (AtomicOutputFile): its failure names the reason.
        do throws(DataFileError) { try FileOutput.write(Array(meta.utf8), to: dir + "/prosper_dataset.csv") } catch { throw EngineError(error.description) }
        return Summary(customers: d.count, subscriptions: Int(d.subscriptions.offsets[d.count]))
    }
}

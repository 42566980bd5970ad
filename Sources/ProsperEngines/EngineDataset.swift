import Foundation
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

/// What an engine's tables hold, read before the rules are checked: the as-of date and
/// fingerprint `load` recorded, the fields (custom attributes included) and the products.
package struct EngineDataset: Sendable {
    package let asOf: Day
    package let fingerprint: String
    package let schema: Schema
    package let products: [String]
    package let customers: Int
    /// Written by `load` (with `prosper_ord` and `prosper_dataset`); false for tables read
    /// as they are.
    package var loaded = true

    /// A folder written by `load --into DIR` (its `prosper_dataset.csv`), nil when `dir`
    /// holds no such file.
    package static func folder(_ dir: String) throws(EngineError) -> EngineDataset? {
        let path = dir + "/prosper_dataset.csv"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        switch FileBytes.read(path, limit: Int.max) {
        case .success(let bytes): text = String(decoding: bytes, as: UTF8.self)
        case .failure(let m): throw EngineError(m.text)
        }
        let rows = Array(try ResultSets.parse("@@@ meta\n" + text)["meta"].dropFirst())
        return try from(meta: rows, products: [], where: dir)
    }

    /// From the `prosper_dataset` rows and the distinct products.
    static func from(meta: [[String?]], products: [[String?]], where location: String) throws(EngineError) -> EngineDataset {
        var values: [String: String] = [:]
        var custom: [FieldInfo] = []
        var listed: [String] = []
        for row in meta where row.count >= 2 {
            guard let k = row[0], let v = row[1] else { continue }
            values[k] = v
            if k.hasPrefix("product:") { listed.append(String(k.dropFirst(8))) }
            if k.hasPrefix("attribute:"), let kind = LoadedTables.kind(v) {
                custom.append(FieldInfo(name: String(k.dropFirst(10)), kind: kind, nullable: true, origin: .custom))
            }
        }
        guard values["format"] == "prosper-dataset 1" else {
            throw EngineError("\(location) has no data loaded by prosper-rules (table prosper_dataset): run 'prosper-rules load --into …' first")
        }
        guard let asOfText = values["as_of"], let asOf = Day(iso: asOfText), let fingerprint = values["fingerprint"] else {
            throw EngineError("the prosper_dataset table at \(location) lacks the as-of date or the fingerprint: load the data again")
        }
        return EngineDataset(asOf: asOf, fingerprint: fingerprint, schema: Schema.contract.adding(custom: custom),
                             products: (products.isEmpty ? listed : products.compactMap { $0.first ?? nil }).sorted(by: ExactText.less),
                             customers: Int(values["customers"] ?? "") ?? 0)
    }
}

/// One report to compute in an engine.
package struct EngineJob: Sendable {
    package let files: [RuleFile]
    package let dataset: Dataset
    package let limit: Int
    /// Also fetch every customer's results (`r<i>:customers`, for differential tests).
    package let perCustomer: Bool

    package init(files: [RuleFile], dataset: Dataset, limit: Int, perCustomer: Bool = false) {
        self.files = files
        self.dataset = dataset
        self.limit = limit
        self.perCustomer = perCustomer
    }
}

/// A report computed by an engine, with the raw rows it came from.
package struct EngineRun: Sendable {
    package let document: ReportDocument
    package let results: ResultSets
}

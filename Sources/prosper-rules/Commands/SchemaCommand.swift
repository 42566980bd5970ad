import ArgumentParser
import Foundation
import ProsperData
import ProsperRules

/// `prosper-rules schema`: the JSON Schemas editors use to check rule files, the project
/// file and mapping files while they are typed (docs/editors.md).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print or write the JSON Schemas (draft-07) of rule files, prosper.yaml and mapping files, for editors.",
        discussion: "Examples: prosper-rules schema churn; prosper-rules schema --out schemas. Then point a file at its schema with a first line '# yaml-language-server: $schema=../schemas/churn.schema.json' (docs/editors.md).")

    @Argument(help: ArgumentHelp("The schema to print: segments, churn, upsell, analytics, project, mapping or tests. Without it and without --out, the list.", valueName: "name"))
    var name: String?

    @Option(help: "Write every schema to this folder (NAME.schema.json), replacing the files there.")
    var out: String?

    static var names: [String] { ConfigSchemas.all.map { String($0.file.dropLast(".schema.json".count)) } }

    func validate() throws {
        if let name, !Self.names.contains(name) {
            var message = "no schema named '\(name)'; the schemas are: \(Self.names.joined(separator: ", "))"
            if let g = DidYouMean.suggest(name, among: Self.names) { message = "no schema named '\(name)'; did you mean '\(g)'?" }
            throw ValidationError(message)
        }
        if name != nil, out != nil { throw ValidationError("give a schema name to print it, or --out DIR to write them all, not both") }
    }

    func run() throws {
        if let name, let s = ConfigSchemas.all.first(where: { $0.file == name + ".schema.json" }) {
            Terminal.out(s.schema.rendered())
            return
        }
        guard let out else {
            var text = "JSON Schemas (draft-07) for editors; print one with 'prosper-rules schema NAME', write all with --out DIR:\n"
            for s in ConfigSchemas.all {
                guard case .object(let pairs) = s.schema, case .string(let title)? = pairs.first(where: { $0.0 == "title" })?.1 else { continue }
                text += "  " + s.file.dropLast(".schema.json".count).padding(toLength: 14, withPad: " ", startingAt: 0) + " " + title + "\n"
            }
            Terminal.out(text)
            return
        }
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            // Say which part of the path is in the way rather than Foundation's error number.
            var part = out, why = "it cannot be created here (permissions?)"
            while !part.isEmpty, part != "/" {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: part, isDirectory: &isFolder) {
                    if !isFolder.boolValue { why = "\(part) is a file, not a folder" }
                    break
                }
                part = (part as NSString).deletingLastPathComponent
            }
            Terminal.err("error: cannot create the folder \(out): \(why)\n")
            throw ExitCode(1)
        }
        for s in ConfigSchemas.all {
            try ReportPipeline.writeFile(out + "/" + s.file) { file in
                file.write(s.schema.rendered())
            }
        }
        Terminal.err("wrote \(ConfigSchemas.all.count) schemas to \(out)\n")
    }
}

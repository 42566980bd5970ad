import Foundation
import ProsperRules
import Testing

/// The documentation points only at what the repository holds: every relative link of
/// README.md, BENCHMARKS.md and docs/*.md (`[text](path#anchor)`, images too) names a
/// file or folder of the repository, an anchor names a heading of its file, and no
/// document sends the reader to a path outside the repository (`../shared/…`).
@Suite struct DocLinkTests {
    static let documents: [String] = {
        let docs = ((try? FileManager.default.contentsOfDirectory(atPath: TestPaths.root + "/docs")) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        return ["README.md", "BENCHMARKS.md"] + docs.map { "docs/" + $0 }
    }()

    /// The lines of `text` outside fenced code blocks, with their numbers, inline code
    /// removed (or, with `keepCode`, only its backticks).
    static func prose(_ text: String, keepCode: Bool = false) -> [(number: Int, text: String)] {
        var out: [(Int, String)] = []
        var fenced = false
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                fenced.toggle()
                continue
            }
            guard !fenced else { continue }
            // Inline code (`…`) shows commands and paths; it links nothing.
            var kept = "", inCode = false
            for ch in line {
                if ch == "`" { inCode.toggle() } else if !inCode || keepCode { kept.append(ch) }
            }
            out.append((i + 1, kept))
        }
        return out
    }

    /// Link targets `](target)` of the prose.
    static func links(_ text: String) -> [(line: Int, target: String)] {
        var out: [(Int, String)] = []
        for (n, line) in prose(text) {
            var rest = Substring(line)
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                out.append((n, String(after[..<close]).trimmingCharacters(in: .whitespaces)))
                rest = after[close...]
            }
        }
        return out
    }

    /// GitHub's anchors of the headings: lower case, punctuation dropped, spaces to '-'.
    static func anchors(_ text: String) -> Set<String> {
        var out: Set<String> = []
        for (_, line) in prose(text, keepCode: true) where line.hasPrefix("#") {
            let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            let kept = title.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == " " }
            out.insert(kept.replacingOccurrences(of: " ", with: "-"))
        }
        return out
    }

    static func read(_ relative: String) -> String? { try? String(contentsOfFile: TestPaths.root + "/" + relative, encoding: .utf8) }

    /// `relative` (from the document's folder) as a path from the repository root, nil
    /// when it leaves the repository.
    static func resolve(_ relative: String, from document: String) -> String? {
        var parts = document.split(separator: "/").dropLast().map(String.init)
        for p in relative.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(String(p))
            }
        }
        return parts.joined(separator: "/")
    }

    @Test func thereAreDocuments() { #expect(Self.documents.count >= 10) }

    @Test(arguments: documents)
    func everyRelativeLinkResolves(_ document: String) throws {
        let text = try #require(Self.read(document))
        var headings: [String: Set<String>] = [:]
        for (line, target) in Self.links(text) where !target.contains("://") && !target.hasPrefix("mailto:") {
            let path = String(target.prefix { $0 != "#" })
            let fragment = target.contains("#") ? String(target.drop { $0 != "#" }.dropFirst()) : ""
            let file: String
            if path.isEmpty {
                file = document
            } else {
                guard let resolved = Self.resolve(path, from: document) else {
                    Issue.record("\(document):\(line): '\(target)' is outside the repository")
                    continue
                }
                file = resolved
                #expect(FileManager.default.fileExists(atPath: TestPaths.root + "/" + file), "\(document):\(line): '\(target)' does not exist")
            }
            if !fragment.isEmpty, file.hasSuffix(".md"), let linked = Self.read(file) {
                if headings[file] == nil { headings[file] = Self.anchors(linked) }
                #expect(headings[file]?.contains(fragment) == true, "\(document):\(line): '\(target)': no heading '#\(fragment)' in \(file)")
            }
        }
    }

    /// A path written out in prose or code (`../shared/bench/gen.py`) that climbs out of
    /// the repository: the reader cannot follow it.
    @Test(arguments: documents)
    func noPathLeavesTheRepository(_ document: String) throws {
        let text = try #require(Self.read(document))
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            while let r = rest.range(of: "../") {
                // The whole path: from the first '.' of a run of '../' to the next space or delimiter.
                let start = r.lowerBound
                let end = rest[start...].firstIndex { " \t)`'\",;:".contains($0) } ?? rest.endIndex
                let path = String(rest[start..<end])
                // A path written from another file of the repository (`$schema=../../schemas/…`
                // in an example of a rules/tests/ file) names a file that exists once its
                // leading `../` are taken off; one into ../shared does not.
                var inside = Substring(path)
                while inside.hasPrefix("../") { inside = inside.dropFirst(3) }
                let exists = !inside.isEmpty && FileManager.default.fileExists(atPath: TestPaths.root + "/" + inside)
                #expect(Self.resolve(path, from: document) != nil || exists, "\(document):\(n + 1): '\(path)' is outside the repository")
                rest = rest[end...]
            }
        }
    }

    @Test func theCheckerItselfSeesBrokenLinks() {
        let text = "See [a](docs/nowhere.md), [b](#no-such-heading) and `[c](ignored.md)`.\n```\n[d](ignored.md)\n```\n# A heading — with `code`\n"
        #expect(Self.links(text).map(\.target) == ["docs/nowhere.md", "#no-such-heading"])
        #expect(Self.anchors(text) == ["a-heading--with-code"])
        #expect(Self.resolve("../shared/x.md", from: "README.md") == nil)
        #expect(Self.resolve("../README.md", from: "docs/data.md") == "README.md")
    }

    /// The README's typo example prints what `check` really prints for it.
    @Test func readmeTypoExampleIsCurrent() throws {
        let readme = try #require(Self.read("README.md"))
        let after = try #require(readme.range(of: "Try a mistake:"))
        let open = try #require(readme.range(of: "```\n", range: after.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "```", range: open.upperBound..<readme.endIndex))
        let shown = String(readme[open.upperBound..<close.lowerBound])
        let dir = Scratch()
        defer { dir.remove() }
        for name in (try FileManager.default.contentsOfDirectory(atPath: TestPaths.root + "/rules")).sorted() where name.hasSuffix(".yaml") {
            var text = try String(contentsOfFile: TestPaths.root + "/rules/" + name, encoding: .utf8)
            if name == "churn.yaml" { text = text.replacingOccurrences(of: "when: days_inactive >= inactive_days", with: "when: days_inactiv >= inactive_days") }
            dir.write(name, text)
        }
        let result = RuleSetChecker.check(paths: [dir.path])
        var out = ""
        for d in result.diagnostics { out += DiagnosticRenderer.render(d, source: result.sources[d.file]) + "\n" }
        let errors = result.diagnostics.filter { $0.severity == .error }.count, warnings = result.diagnostics.count - errors
        out += "\(result.paths.count) rule files checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        #expect(out.replacingOccurrences(of: dir.path + "/", with: "rules/") == shown)
    }
}

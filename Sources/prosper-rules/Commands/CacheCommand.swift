import ArgumentParser
import Dispatch
import ProsperData
import ProsperModel
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the snapshot cache lives and what identifies this build (docs/cache.md).
enum DataCache {
    /// `.prosper/cache` in the folder of the project file, else in the working folder.
    static func folder(project: ProjectFile?) -> String {
        guard let path = project?.path, let slash = path.lastIndex(of: "/") else { return ".prosper/cache" }
        return String(path[...slash]) + ".prosper/cache"
    }

    /// The version and the executable's size and modification time, so a snapshot is
    /// never read by another build than the one that wrote it.
    static let toolVersion: String = {
        var version = "prosper-rules " + BuiltinRules.version
        var st = stat()
        #if os(Linux)
        if stat("/proc/self/exe", &st) == 0 {
            version += " build \(st.st_size)-\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        }
        #endif
        return version
    }()

    static let workingFolder: String = {
        guard let p = getcwd(nil, 0) else { return "." }
        defer { free(p) }
        return String(cString: p)
    }()

    /// The snapshot being written, if any.
    nonisolated(unsafe) private static var pendingSave: DispatchGroup?

    /// Runs `save` on another thread; `finishSaving()` waits for it.
    static func saveInBackground(_ save: @escaping @Sendable () -> Void) {
        let group = DispatchGroup()
        pendingSave = group
        DispatchQueue.global().async(group: group) { save() }
    }

    /// A snapshot is still being written.
    static var savePending: Bool { pendingSave.map { $0.wait(timeout: .now()) == .timedOut } ?? false }

    /// Waits until a snapshot being written is complete (called before the process exits).
    static func finishSaving() {
        pendingSave?.wait()
        pendingSave = nil
    }

    static func describe(_ outcome: Result<SnapshotContent, SnapshotProblem>) -> String {
        switch outcome {
        case .success: "hit"
        case .failure(let p): "miss: " + p.rawValue
        }
    }
}

/// `prosper-rules cache [list|clear]`: the project's snapshot cache.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List or clear the snapshot cache of the data (.prosper/cache/ of the project).",
        subcommands: [CacheList.self, CacheClear.self],
        defaultSubcommand: CacheList.self
    )
}

struct CacheOptions: ParsableArguments {
    @Option(help: "The project file (default: prosper.yaml in the working folder, when there is one).")
    var project: String?

    func store() throws -> SnapshotStore {
        SnapshotStore(folder: DataCache.folder(project: try ProjectContext.load(explicit: project).file))
    }
}

struct CacheList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the snapshots with their size and data.")

    @OptionGroup var options: CacheOptions

    func run() throws {
        let store = try options.store()
        let entries = store.entries()
        var out = ""
        for e in entries {
            out += "\(e.name)  \(Self.size(e.bytes))  \(Self.date(e.lastUsed))  \(VisibleText.of(e.description ?? "(unreadable)"))"
            if let v = e.toolVersion, v != DataCache.toolVersion { out += "  (another build: \(VisibleText.of(v)))" }
            out += "\n"
        }
        let total = entries.reduce(0) { $0 + $1.bytes }
        out += "\(entries.count) snapshot\(entries.count == 1 ? "" : "s"), \(Self.size(total)) in \(store.folder)\n"
        Terminal.out(out)
    }

    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return "\(((bytes * 10) >> 20) / 10).\(((bytes * 10) >> 20) % 10) MiB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) B"
    }

    static func date(_ seconds: Int) -> String {
        let day = Day(number: Int32(clamping: seconds / 86_400))
        let s = seconds % 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(day) \(two(s / 3600)):\(two(s / 60 % 60)) UTC"
    }
}

struct CacheClear: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Remove every snapshot of the project's cache.")

    @OptionGroup var options: CacheOptions

    func run() throws {
        let store = try options.store()
        let (count, bytes) = store.clear()
        Terminal.out("removed \(count) snapshot\(count == 1 ? "" : "s") (\(CacheList.size(bytes))) from \(store.folder)\n")
    }
}

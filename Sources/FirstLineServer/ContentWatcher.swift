import FirstLineCore
import Foundation
import Logging
import ServiceLifecycle

/// Picks up articles and intents changed on disk (an editor working in git, a deploy) within
/// seconds, without a restart: every `interval` it compares a cheap signature of the content
/// folders (names, sizes, modification times) and reloads the library when it changed.
///
/// Polling rather than inotify: it works the same on Linux and macOS, on network file systems
/// and in containers, and a stat of ~150 files every few seconds costs nothing.
public struct ContentWatcher: Service {
    let library: ContentLibrary
    let folders: [URL]
    let interval: Duration
    let logger: Logger

    public init(library: ContentLibrary, folders: [URL], interval: Duration = .seconds(3), logger: Logger) {
        self.library = library
        self.folders = folders
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var last = Self.signature(of: folders)
        while !Task.isCancelledOrShuttingDown {
            // Cut short by a graceful shutdown: a watcher parked for its interval must not hold up SIGTERM.
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            } catch {
                return
            }
            last = await check(previous: last)
        }
    }

    /// One look at the folders: reloads the library when their signature differs from `previous`,
    /// and returns the signature seen now (what the next look compares with).
    @discardableResult
    public func check(previous: [String]) async -> [String] {
        let current = Self.signature(of: folders)
        guard current != previous else { return current }
        do {
            let snapshot = try await library.reload()
            logger.info("content reloaded after a change on disk", metadata: [
                "articles": "\(snapshot.content.articles.count)", "intents": "\(snapshot.content.intents.count)",
            ])
        } catch {
            // The running snapshot stays; the editor sees the problem in `firstline kb check`.
            logger.error("changed content has errors; keeping the previous version", metadata: ["error": "\(error)"])
        }
        return current
    }

    /// Every file under the folders with its size and modification time, sorted.
    public static func signature(of folders: [URL]) -> [String] {
        var entries: [String] = []
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey, .isRegularFileKey]
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys) else { continue }
            for case let url as URL in walker {
                guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
                let stamp = values.contentModificationDate?.timeIntervalSince1970 ?? 0
                entries.append("\(url.path)|\(values.fileSize ?? -1)|\(stamp)")
            }
        }
        return entries.sorted()
    }
}

extension Task where Success == Never, Failure == Never {
    /// True once the task is cancelled or the service group began its graceful shutdown.
    static var isCancelledOrShuttingDown: Bool {
        Task.isCancelled || Task.isShuttingDownGracefully
    }
}

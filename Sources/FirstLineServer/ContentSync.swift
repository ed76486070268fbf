import FirstLineContent
import FirstLineCore
import FirstLineStore
import Foundation
import Logging
import ServiceLifecycle

/// Keeps this replica's content in step with the others' (issue 13, point 3): every `interval` it reads the
/// store's content version, one cheap query. Articles an editor published on another replica are written into
/// this replica's knowledge-base folder and the index is swapped; a learned phrasing or a verdict recorded by
/// any replica rebuilds the index, so every replica answers from the same learning.
///
/// Polling a version rather than LISTEN/NOTIFY: a notification sent while a replica was restarting or
/// its connection was down is lost, whereas a version is still there at the next look.
public struct ContentSync: Service {
    /// What a replica has applied so far.
    public struct Seen: Sendable, Equatable {
        public var lastPublished: Int64
        /// nil until the first look, which takes the learning as the loaded index has it.
        public var learning: String?

        public init(lastPublished: Int64 = 0, learning: String? = nil) {
            self.lastPublished = lastPublished
            self.learning = learning
        }
    }

    let store: any SharedContentStore
    let editor: KnowledgeBaseEditor
    let library: ContentLibrary
    let interval: Duration
    let logger: Logger

    public init(store: any SharedContentStore, editor: KnowledgeBaseEditor, library: ContentLibrary, interval: Duration,
                logger: Logger) {
        self.store = store
        self.editor = editor
        self.library = library
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var seen = Seen()
        while !Task.isCancelledOrShuttingDown {
            seen = await check(seen)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            } catch {
                return
            }
        }
    }

    /// One look: applies what changed since `seen` and returns what is seen now. A failed look changes nothing
    /// and the next one tries again.
    public func check(_ seen: Seen) async -> Seen {
        let version: SharedContentVersion
        do {
            version = try await store.sharedContentVersion()
        } catch {
            logger.error("cannot read the shared content version", metadata: ["error": "\(error)"])
            return seen
        }
        var next = seen
        if version.lastPublished > seen.lastPublished {
            do {
                let published = try await store.publishedArticles(after: seen.lastPublished)
                let applied = await editor.apply(published)
                if applied.written > 0 {
                    logger.info("articles published on another replica applied", metadata: ["articles": "\(applied.written)"])
                }
                if !applied.refused.isEmpty {
                    logger.error("articles published on another replica do not load here; keeping the previous version",
                                 metadata: ["problems": "\(applied.refused.map(\.description).prefix(5))"])
                }
                next.lastPublished = published.map(\.id).max() ?? version.lastPublished
            } catch {
                logger.error("cannot read published articles", metadata: ["error": "\(error)"])
                return seen
            }
        }
        if let learning = seen.learning, learning != version.learning, await library.isLoaded {
            do {
                try await library.reload()
            } catch {
                logger.error("cannot rebuild the index with the shared learning", metadata: ["error": "\(error)"])
                return next
            }
        }
        next.learning = version.learning
        return next
    }
}

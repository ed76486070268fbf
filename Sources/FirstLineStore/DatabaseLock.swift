import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on `<database>.lock`, next to a SQLite file: held by `firstline serve` for as long
/// as it runs (two servers' inbox workers on one file would race over the same rows) and by
/// `firstline restore` while it replaces the file.
///
/// It is a `flock(2)` on the open file, so the kernel drops it when the process ends in any way,
/// `kill -9` included: a lock file left on disk never blocks the next start. The file holds the
/// holder's process id and purpose, for the error the next one reports; it is not deleted on release
/// (deleting a lock file while another process opens it would let two processes lock two files).
public final class DatabaseLock: Sendable {
    /// Why a lock could not be taken.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Another process (or another open of this process) holds it; `holder` is what it wrote, if any.
        case held(lockFile: String, holder: String?)
        /// The lock file cannot be created or opened (a missing folder, permissions).
        case cannotOpen(lockFile: String, reason: String)

        public var description: String {
            switch self {
            case let .held(lockFile, holder):
                "the database is in use by another process (\(holder ?? "holder unknown"); lock \(lockFile))"
            case let .cannotOpen(lockFile, reason):
                "cannot open the lock file \(lockFile): \(reason)"
            }
        }
    }

    public let lockFile: String
    private let descriptor: LockedValue<Int32?>

    private init(lockFile: String, descriptor: Int32) {
        self.lockFile = lockFile
        self.descriptor = LockedValue(descriptor)
    }

    deinit { release() }

    /// The lock file of the database at `databasePath`.
    public static func lockFile(forDatabaseAt databasePath: String) -> String { databasePath + ".lock" }

    /// Takes the lock of the database at `databasePath` without waiting; throws `Failure.held` when
    /// another process has it. `purpose` (e.g. "firstline serve") is written in the file for that error.
    public static func acquire(databaseAt databasePath: String, purpose: String) throws -> DatabaseLock {
        let path = lockFile(forDatabaseAt: databasePath)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.cannotOpen(lockFile: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readHolder(fd)
            close(fd)
            if code == EWOULDBLOCK { throw Failure.held(lockFile: path, holder: holder) }
            throw Failure.cannotOpen(lockFile: path, reason: String(cString: strerror(code)))
        }
        let text = "process \(getpid()), \(purpose)\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return DatabaseLock(lockFile: path, descriptor: fd)
    }

    /// Releases the lock (closing the file); later calls do nothing.
    public func release() {
        descriptor.withLock { fd in
            guard let open = fd else { return }
            // Emptied first, so a later error does not name a process that is gone.
            _ = ftruncate(open, 0)
            close(open)
            fd = nil
        }
    }

    private static func readHolder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// A value behind a lock.
private final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// 64-bit fingerprints of terms and a small open-addressing table keyed by them.
///
/// The index looks up every term of every document and query. Swift's `String` hashing pays for
/// Unicode canonical equivalence and `Hasher` for SipHash; neither is needed for text that is
/// already normalised, and together they were most of the indexing time. A fingerprint is
/// FNV-1a over the term's UTF-8 bytes and kind, finished with a SplitMix64 mix. Two different
/// terms share a fingerprint with probability about 2⁻⁶⁴ per pair; at a million terms that is
/// below one in ten million per index, and its only effect would be to merge two postings lists.
public enum Fingerprint {
    @inlinable
    public static func of(_ bytes: UnsafeBufferPointer<UInt8>, kind: UInt8) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(kind)
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return mix(hash)
    }

    public static func of(_ text: String, kind: UInt8) -> UInt64 {
        var copy = text
        return copy.withUTF8 { of($0, kind: kind) }
    }

    @inlinable
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A map from fingerprints to small integers with linear probing; no per-lookup hashing cost
/// beyond one multiply, since fingerprints are already uniformly mixed.
public struct FingerprintTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt32]
    private var mask: Int
    public private(set) var count = 0

    /// Zero marks an empty slot; a real fingerprint of zero is stored as one instead.
    @inlinable
    static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    public init(minimumCapacity: Int = 16) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: 0, count: capacity)
        values = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    public func value(for key: UInt64) -> UInt32? {
        let key = Self.stored(key)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    public func contains(_ key: UInt64) -> Bool { value(for: key) != nil }

    /// The value stored for `key`, inserting `make()` first if there is none.
    public mutating func value(for key: UInt64, orInsert make: () -> UInt32) -> UInt32 {
        let key = Self.stored(key)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == 0 { break }
            slot = (slot + 1) & mask
        }
        let value = make()
        keys[slot] = key
        values[slot] = value
        count += 1
        if count * 2 > keys.count { grow() }
        return value
    }

    public mutating func insert(_ key: UInt64, value: UInt32) {
        _ = self.value(for: key) { value }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [UInt32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (index, key) in oldKeys.enumerated() where key != 0 {
            var slot = Int(truncatingIfNeeded: key) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = oldValues[index]
        }
    }
}

/// A set of short texts matched by fingerprint (stop words, suffixes).
struct FingerprintSet: Sendable {
    private var table = FingerprintTable()

    init(_ words: some Sequence<String>, kind: UInt8 = 0) {
        for word in words { table.insert(Fingerprint.of(word, kind: kind), value: 1) }
    }

    func contains(_ bytes: UnsafeBufferPointer<UInt8>, kind: UInt8 = 0) -> Bool {
        table.contains(Fingerprint.of(bytes, kind: kind))
    }
}

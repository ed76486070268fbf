import FirstLineCore
import Testing

@Suite("EditDistance: optimal string alignment")
struct EditDistanceTests {
    private func distance(_ a: String, _ b: String, limit: Int = 10) -> Int {
        EditDistance.damerauLevenshtein(Array(a.utf8), Array(b.utf8), limit: limit)
    }

    @Test("distances within the limit are exact", arguments: [
        ("password", "password", 0),
        ("password", "pasword", 1),     // deletion
        ("printr", "printer", 1),       // insertion
        ("vpn", "vpm", 1),              // substitution
        ("passwrod", "password", 1),    // neighbours swapped count once
        ("kitten", "sitting", 3),
        ("", "abc", 3),
        ("abc", "", 3),
        ("conecton", "connection", 2),
        ("ca", "abc", 3),               // optimal string alignment, not full Damerau: no edit after a swap
    ])
    func exact(_ a: String, _ b: String, _ expected: Int) {
        #expect(distance(a, b) == expected)
        #expect(distance(b, a) == expected, "distance is symmetric")
    }

    @Test("a distance over the limit is reported as limit + 1", arguments: [
        ("kitten", "sitting", 1),
        ("kitten", "sitting", 2),
        ("abcdef", "uvwxyz", 2),
        ("a", "abcdef", 3),             // length difference alone exceeds the limit
    ])
    func overLimit(_ a: String, _ b: String, _ limit: Int) {
        #expect(distance(a, b, limit: limit) == limit + 1)
    }

    @Test("a distance equal to the limit is still exact")
    func atLimit() {
        #expect(distance("kitten", "sitting", limit: 3) == 3)
        #expect(distance("conecton", "connection", limit: 2) == 2)
    }
}

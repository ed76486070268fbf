import FirstLineCLI
import FirstLineCore
import FirstLineStore
import Foundation
import Testing

/// `firstline config check` and `firstline users import` (design §6 exit codes: 0 ok, 1 failure, 2 usage).
@Suite("firstline config check, users import")
struct ConfigAndDirectoryCommandTests {
    typealias Run = AgentUsersCommandTests.Run

    @Test("config check accepts the shipped example and lists every problem of a broken file with its line")
    func configCheck() async throws {
        let example = Repository.root.appendingPathComponent("firstline.example.yml").path
        let good = await AgentUsersCommandTests.run(["config", "check", "--config", example])
        #expect(good.code == 0, "\(good.output)")
        #expect(good.output.last?.hasPrefix("ok: 4 calendars, 3 teams, 4 agents") == true, "\(good.output)")

        let folder = try TemporaryFolder("config")
        let broken = try folder.write("firstline.yml", """
            teams:
              - id: desk
                members: [ghost]
                calendar: nowhere
            routing: { reassign_after_minutes: -5 }
            """)
        let bad = await AgentUsersCommandTests.run(["config", "check", "--config", broken.path])
        #expect(bad.code == 1)
        #expect(bad.output.contains { $0.hasPrefix("\(broken.path):3:") && $0.contains("ghost") }, "\(bad.output)")
        #expect(bad.output.contains { $0.hasPrefix("\(broken.path):4:") && $0.contains("nowhere") })
        #expect(bad.output.contains { $0.hasPrefix("\(broken.path):5:") })
        #expect(bad.output.last == "3 problem(s)")

        #expect(await AgentUsersCommandTests.run(["config", "check", "--config", folder.missing]).code == 1)
        #expect(await AgentUsersCommandTests.run(["config", "check", "--nonsense"]).code == 2)
    }

    @Test("users import reads the directory with managers and messenger ids; a bad file names its line and imports nothing")
    func usersImport() async throws {
        let folder = try TemporaryFolder("directory")
        let db = folder.url.appendingPathComponent("firstline.sqlite").path
        let csv = try folder.write("directory.csv", """
            id,name,email,department,manager,slack,telegram,line,lineworks
            M1,이수진,sujin@example.com,IT,,U0SUJIN,,,
            E1,"Tanaka, Haruto",haruto@example.com,営業,M1,,12345,Uharuto,
            E2,Alex Kim,alex@example.com,Sales,M1,U0ALEX,,,alex@works
            """)
        let imported = await AgentUsersCommandTests.run(["users", "import", csv.path, "--db", db])
        #expect(imported.code == 0, "\(imported.errors)")
        #expect(imported.output == ["imported 3 people: 3 new, 0 updated, 5 messenger ids linked"])

        let database = try AppDatabase.open(path: db)
        let manager = try #require(try await database.employee(directoryID: "M1"))
        let haruto = try #require(try await database.employee(directoryID: "E1"))
        #expect(haruto.displayName == "Tanaka, Haruto")
        #expect(haruto.managerEmployeeID == manager.id)
        #expect(try await database.employee(platform: .telegram, platformUserID: "12345")?.id == haruto.id)
        #expect(try await database.employee(platform: .lineworks, platformUserID: "alex@works")?.directoryID == "E2")
        try database.close()

        let broken = try folder.write("broken.csv", """
            id,name,email,manager,fax
            X1,Someone,someone@example.com,,
            """)
        let refused = await AgentUsersCommandTests.run(["users", "import", broken.path, "--db", db])
        #expect(refused.code == 1)
        let unknownManager = try folder.write("orphans.csv", "id,name,manager\nX2,Nobody's report,ZZ\n")
        let orphan = await AgentUsersCommandTests.run(["users", "import", unknownManager.path, "--db", db])
        #expect(orphan.code == 1)
        let duplicate = try folder.write("dupes.csv", "id,name\nX3,One\nX3,Two\n")
        #expect(await AgentUsersCommandTests.run(["users", "import", duplicate.path, "--db", db]).code == 1)

        let reopened = try AppDatabase.open(path: db)
        defer { try? reopened.close() }
        #expect(try await reopened.employee(directoryID: "X1") == nil)
        #expect(try await reopened.employee(directoryID: "X2") == nil)
        #expect(try await reopened.employee(directoryID: "X3") == nil)
    }
}

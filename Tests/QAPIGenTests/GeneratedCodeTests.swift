import Foundation
import Testing

@testable import QAPIGenKit

/// The repository root, found from this file's path (Tests/QAPIGenTests/...).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

@Suite struct GeneratedCodeTests {
    @Test func committedGeneratedSourceIsFresh() throws {
        let files = try Generator.generate(schema: repositoryRoot + "/schema/qapi-schema.json", displayPath: "schema/qapi-schema.json")
        let directory = repositoryRoot + "/Sources/QAPI/Generated"
        for file in files {
            let committed = try? String(contentsOfFile: directory + "/" + file.name, encoding: .utf8)
            #expect(committed == file.contents, "\(file.name) is stale: run `make generate`")
        }
        let present = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(Generator.generatedSuffix) }
        #expect(Set(present) == Set(files.map(\.name)), "generated files no longer produced by the schema are still present")
    }

    @Test func generationIsDeterministic() throws {
        let a = try Generator.generate(schema: repositoryRoot + "/schema/qapi-schema.json")
        let b = try Generator.generate(schema: repositoryRoot + "/schema/qapi-schema.json")
        #expect(a.map(\.contents) == b.map(\.contents))
    }

    @Test func schemaEnumConstants() throws {
        let constants = try Generator.enumConstants(schema: repositoryRoot + "/schema/qapi-schema.json", enumName: "MultiFDCompression")
        #expect(constants?.first == "MULTIFD_COMPRESSION_NONE")
        #expect(constants?.contains("MULTIFD_COMPRESSION_ZSTD") == true)
        // QPL and UADK are only built with their libraries; the default build has neither.
        #expect(constants?.contains("MULTIFD_COMPRESSION_QPL") == false)
    }

    @Test func conditionsFollowDefines() throws {
        let withQPL = try Generator.enumConstants(
            schema: repositoryRoot + "/schema/qapi-schema.json", enumName: "MultiFDCompression",
            defines: Generator.defaultDefines.union(["CONFIG_QPL"]))
        #expect(withQPL?.contains("MULTIFD_COMPRESSION_QPL") == true)
    }
}

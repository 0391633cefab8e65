import Machine
import Monitor
import QAPI
import Testing

@Suite struct CommandRegistryTests {
    @Test func everySchemaCommandHasAHandler() {
        let backend = makeBackend()
        let missing = QAPISchema.commands.map(\.name).filter { !backend.dispatcher.hasHandler($0) }
        #expect(missing.isEmpty, "no handler for \(missing)")
        // Nothing is registered that the schema does not define.
        let names = Set(QAPISchema.commands.map(\.name))
        #expect(backend.dispatcher.registeredCommands.allSatisfy { names.contains($0) })
    }

    @Test func queryCommandsListsTheRegistry() throws {
        let backend = makeBackend()
        let listed = try #require(backend.result("query-commands")?.arrayValue).compactMap { $0["name"]?.stringValue }
        #expect(Set(listed) == Set(backend.dispatcher.registeredCommands))
        #expect(listed.contains("x-inject-fault") && listed.contains("migrate"))
    }

    @Test func queryQmpSchemaIsTheIntrospectionData() throws {
        let backend = makeBackend()
        let schema = try #require(backend.result("query-qmp-schema")?.arrayValue)
        #expect(schema.count == QAPISchema.introspection.arrayValue?.count)
        #expect(schema.contains { $0["name"]?.stringValue == "x-query-guest" })
    }
}

import ArgumentParser
import QAPIGenKit

#if canImport(Glibc)
import Glibc
#endif

@main
struct QAPIGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qapi-gen",
        abstract: "Turn QAPI schema files into Swift source, and check them.",
        subcommands: [Generate.self, Check.self, CamelToUpper.self, EnumConstants.self, CName.self])
}

struct DefineOptions: ParsableArguments {
    @Option(
        name: .customLong("define"),
        help:
            "A config symbol that 'if' conditions see as defined (repeatable). Default: \(Generator.defaultDefines.sorted().joined(separator: ", "))."
    )
    var defines: [String] = []

    var set: Set<String> { defines.isEmpty ? Generator.defaultDefines : Set(defines) }
}

func fail(_ error: SchemaError) -> Never {
    var stderr = StandardError()
    print(error.description, to: &stderr)
    exit(1)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the Swift source for a schema.")

    @Argument(help: "The top schema file (it includes the others).")
    var schema: String

    @Option(name: .shortAndLong, help: "Folder for the generated *+Generated.swift files.")
    var output: String

    @OptionGroup var defines: DefineOptions

    func run() throws {
        let files: [(name: String, contents: String)]
        do {
            files = try Generator.generate(schema: schema, defines: defines.set)
        } catch {
            fail(error)
        }
        let changed = try Generator.write(files, to: output)
        print(changed.isEmpty ? "\(files.count) files up to date in \(output)" : "wrote \(changed.joined(separator: ", "))")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check schema files; print each error as FILE:LINE: message.")

    @Argument(help: "Schema files to check.")
    var schemas: [String]

    @OptionGroup var defines: DefineOptions

    func run() throws {
        var failed = false
        for schema in schemas {
            do {
                _ = try Generator.model(schema: schema, defines: defines.set)
            } catch {
                var stderr = StandardError()
                print(error.description, to: &stderr)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct CamelToUpper: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print QEMU's UPPER_CASE form of each CamelCase name, one per line.")

    @Argument(help: "Names such as DisplayGLMode.")
    var names: [String]

    func run() {
        for name in names { print(Naming.camelToUpper(name)) }
    }
}

struct CName: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "c-name", abstract: "Print the C identifier of each schema name, one per line.")

    @Argument var names: [String]

    func run() {
        for name in names { print(Naming.cName(name)) }
    }
}

struct EnumConstants: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the C constants of an enum, one per line.")

    @Argument(help: "The schema file.")
    var schema: String

    @Argument(help: "The enum's name, e.g. MultiFDCompression.")
    var enumName: String

    @OptionGroup var defines: DefineOptions

    func run() throws {
        let constants: [String]?
        do {
            constants = try Generator.enumConstants(schema: schema, enumName: enumName, defines: defines.set)
        } catch {
            fail(error)
        }
        guard let constants else {
            var stderr = StandardError()
            print("\(schema): no enum named '\(enumName)'", to: &stderr)
            throw ExitCode(1)
        }
        for c in constants { print(c) }
    }
}

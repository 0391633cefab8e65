import Foundation

/// The whole pipeline — load, check, model, emit — and what the command line needs around it.
public enum Generator {
    /// Config symbols defined when evaluating `'if'` conditions: the model describes a Linux
    /// host with zstd built in, and without QPL, UADK or COLO replication.
    public static let defaultDefines: Set<String> = ["CONFIG_LINUX", "CONFIG_ZSTD"]

    /// Suffix of every generated file; anything else in the output folder is left alone.
    public static let generatedSuffix = "+Generated.swift"

    public static func model(schema path: String, defines: Set<String> = defaultDefines) throws(SchemaError) -> SchemaModel {
        try SchemaChecker(defined: defines).model(path: path)
    }

    /// Generated files for a schema, as (file name, contents).
    public static func generate(
        schema path: String, defines: Set<String> = defaultDefines, displayPath: String? = nil
    )
        throws(SchemaError) -> [(name: String, contents: String)]
    {
        let model = try model(schema: path, defines: defines)
        return SwiftEmitter(model: model, schemaPath: displayPath ?? path).files()
    }

    /// Writes the generated files into `directory`, removing generated files that are no longer produced.
    /// Returns the names of files whose contents changed.
    @discardableResult
    public static func write(_ files: [(name: String, contents: String)], to directory: String) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var changed: [String] = []
        let wanted = Set(files.map(\.name))
        for existing in (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        where existing.hasSuffix(generatedSuffix) && !wanted.contains(existing) {
            try fm.removeItem(atPath: directory + "/" + existing)
            changed.append(existing)
        }
        for file in files {
            let path = directory + "/" + file.name
            if (try? String(contentsOfFile: path, encoding: .utf8)) == file.contents { continue }
            try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            changed.append(file.name)
        }
        return changed
    }

    /// The C constants of one enum, in order.
    public static func enumConstants(
        schema path: String, enumName: String, defines: Set<String> = defaultDefines
    ) throws(SchemaError)
        -> [String]?
    {
        guard let e = try model(schema: path, defines: defines).enumeration(named: enumName) else { return nil }
        return e.values.map { Naming.enumConstant(typeName: e.info.name, value: $0.name, prefix: e.prefix) }
    }
}

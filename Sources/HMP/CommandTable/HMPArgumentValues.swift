import QAPI

/// The arguments of one command as a typed value: a struct whose fields the parser fills and
/// the handler reads. Its `signature` declares each flag and argument once, by key path, with
/// its kind, completion and help, so a renamed field is a compile error and a field of the
/// wrong type for its kind does not build either.
///
///     struct Values: HMPArgumentValues {
///         var detach = false
///         var uri = ""
///         var timeout: UInt64?
///         static let signature = HMPSignature<Values>(
///             .flag("d", "detach", \.detach, help: "return at once"),
///             .flag("t", "timeout", .duration, \.timeout, help: "give up after this long"),
///             .argument("uri", .string, \.uri, completion: .migrationURI, help: "where to send the VM"))
///     }
public protocol HMPArgumentValues: Sendable {
    init()
    static var signature: HMPSignature<Self> { get }
}

/// A command without arguments.
public struct NoArguments: HMPArgumentValues {
    public init() {}
    public static let signature = HMPSignature<NoArguments>()
}

/// How an argument's text is read, and the Swift type it gives.
public struct HMPKind<Value>: Sendable {
    public let kind: HMPArgumentKind
    let extract: @Sendable (HMPValue) -> Value?
}

extension HMPKind where Value == String {
    private static func text(_ kind: HMPArgumentKind) -> Self {
        Self(kind: kind) { if case .string(let s) = $0 { s } else { nil } }
    }
    public static var string: Self { text(.string) }
    public static var filename: Self { text(.filename) }
    public static var blockDevice: Self { text(.blockDevice) }
    public static var rest: Self { text(.rest) }
}

extension HMPKind where Value == Int64 {
    private static func integer(_ kind: HMPArgumentKind) -> Self {
        Self(kind: kind) { if case .integer(let i) = $0 { i } else { nil } }
    }
    public static var int32: Self { integer(.int32) }
    public static var int64: Self { integer(.int64) }
    public static var bytesPerSecond: Self { integer(.bytesPerSecond) }
}

extension HMPKind where Value == ParsedSize {
    public static func size(_ variant: SizeParser.Variant) -> Self {
        Self(kind: .size(variant)) { if case .size(let s) = $0 { s } else { nil } }
    }
}

extension HMPKind where Value == Double {
    public static var float: Self { Self(kind: .float) { if case .number(let d) = $0 { d } else { nil } } }
}

extension HMPKind where Value == Bool {
    public static var onOff: Self { Self(kind: .onOff) { if case .bool(let b) = $0 { b } else { nil } } }
}

extension HMPKind where Value == UInt64 {
    /// In nanoseconds.
    public static var duration: Self { Self(kind: .duration) { if case .duration(let ns) = $0 { ns } else { nil } } }
}

extension HMPKind where Value == DisplayFormat {
    /// The parser checked it; it hands on the text of the `/fmt` it read.
    public static var displayFormat: Self {
        Self(kind: .displayFormat) { value in
            guard case .string(let text) = value else { return nil }
            var scanner = HMPScanner(text)
            return try? DisplayFormat.parse(&scanner)
        }
    }
}

extension HMPKind where Value == JSONValue {
    public static var jsonObject: Self { Self(kind: .jsonObject) { if case .json(let v) = $0 { v } else { nil } } }
}

/// One flag or argument of a signature.
public struct HMPSignatureItem<Values>: Sendable {
    enum Item: Sendable {
        /// The setter gets the flag's value, nil for a flag without one.
        case flag(HMPFlag, @Sendable (inout Values, HMPValue?) -> Void)
        case argument(HMPArgument, @Sendable (inout Values, HMPValue) -> Void)
    }
    let item: Item

    /// `-x`, setting a Bool field.
    public static func flag(
        _ letter: Character, _ name: String, _ field: any WritableKeyPath<Values, Bool> & Sendable, help: String
    ) -> Self {
        Self(item: .flag(HMPFlag(letter, name, help: help), { values, _ in values[keyPath: field] = true }))
    }

    /// `-x VALUE` (also `--NAME VALUE`), setting an Optional field: nil when the flag was left out.
    /// The value is read by the same rules as an argument of that kind.
    public static func flag<T>(
        _ letter: Character, _ name: String, _ kind: HMPKind<T>, _ field: any WritableKeyPath<Values, T?> & Sendable,
        completion: HMPCompletion = .none, help: String
    ) -> Self {
        let extract = kind.extract
        return Self(
            item: .flag(
                HMPFlag(letter, name, value: kind.kind, completion: completion, help: help),
                { values, value in values[keyPath: field] = value.flatMap(extract) }))
    }

    /// A positional argument that must be given.
    public static func argument<T>(
        _ name: String, _ kind: HMPKind<T>, _ field: any WritableKeyPath<Values, T> & Sendable, completion: HMPCompletion = .none,
        help: String
    ) -> Self {
        let extract = kind.extract
        return Self(
            item: .argument(
                HMPArgument(name, kind.kind, completion: completion, help: help),
                { values, value in if let v = extract(value) { values[keyPath: field] = v } }))
    }

    /// An optional positional argument: its field is an Optional, nil when it was left out.
    public static func argument<T>(
        _ name: String, _ kind: HMPKind<T>, _ field: any WritableKeyPath<Values, T?> & Sendable, completion: HMPCompletion = .none,
        help: String
    ) -> Self {
        let extract = kind.extract
        return Self(
            item: .argument(
                HMPArgument(name, kind.kind, optional: true, completion: completion, help: help),
                { values, value in values[keyPath: field] = extract(value) }))
    }
}

extension HMPSignatureItem {
    /// An optional argument (QEMU's syntax) that the command nevertheless requires: its
    /// handler refuses to run without it, so help and the man page show it without brackets.
    public func requiredByCommand() -> Self {
        guard case .argument(var argument, let set) = item else { return self }
        argument.requiredByCommand = true
        return Self(item: .argument(argument, set))
    }
}

/// The flags and arguments of a command, in order, with how each fills the values.
public struct HMPSignature<Values: HMPArgumentValues>: Sendable {
    public let flags: [HMPFlag]
    public let arguments: [HMPArgument]
    private let setFlag: [@Sendable (inout Values, HMPValue?) -> Void]
    private let setArgument: [@Sendable (inout Values, HMPValue) -> Void]

    public init(_ items: HMPSignatureItem<Values>...) {
        var flags: [HMPFlag] = [], arguments: [HMPArgument] = []
        var setFlag: [@Sendable (inout Values, HMPValue?) -> Void] = [], setArgument: [@Sendable (inout Values, HMPValue) -> Void] = []
        for item in items {
            switch item.item {
            case .flag(let flag, let set):
                flags.append(flag)
                setFlag.append(set)
            case .argument(let argument, let set):
                arguments.append(argument)
                setArgument.append(set)
            }
        }
        self.flags = flags
        self.arguments = arguments
        self.setFlag = setFlag
        self.setArgument = setArgument
    }

    /// The values the parser read, by position.
    func values(_ parsed: HMPArguments) -> Values {
        var values = Values()
        var i = 0
        while i < setArgument.count {
            if i < parsed.positional.count, let value = parsed.positional[i] { setArgument[i](&values, value) }
            i += 1
        }
        i = 0
        while i < setFlag.count {
            if i < parsed.flagsGiven.count, parsed.flagsGiven[i] {
                setFlag[i](&values, i < parsed.flagValues.count ? parsed.flagValues[i] : nil)
            }
            i += 1
        }
        return values
    }
}

extension HMPCommand {
    /// A command whose handler receives its arguments as a typed value.
    public init<Values: HMPArgumentValues>(
        _ name: String, aliases: [String] = [], _ values: Values.Type, subTable: [HMPCommand]? = nil, help: String, qmp: String,
        details: String? = nil, handler: @escaping @Sendable (HMPInvocation, Values) throws(HMPError) -> HMPOutput
    ) {
        let signature = Values.signature
        self.init(
            name, aliases: aliases, subTable: subTable, help: help, qmp: qmp, details: details,
            handler: { invocation throws(HMPError) in try handler(invocation, signature.values(invocation.arguments)) })
        flags = signature.flags
        arguments = signature.arguments
    }

}

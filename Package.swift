// swift-tools-version:6.0
import PackageDescription

// Layers, lowest first; each target depends only on the ones above it in this list.
//   QAPI      schema-generated types, JSON codec, QMP dispatcher
//   MigrationStream QEMU's migration stream format: writer, strict reader, device descriptions
//   EventLoop the one poll(2) loop: descriptors and timers, served on one thread
//   Backend   the backend protocol (MonitorBackend) that HMP and Console talk to
//   Machine   the in-process VM model (clock, migration engine, block layer)
//   MigrationSockets real tcp:/unix: connections for the model's migrations, on the event loop
//   Monitor   the in-process backend over Machine
//   QMPServer serves a backend to QMP clients on unix and tcp sockets (Backend, never Machine)
//   QMPClient the backend that drives a real QEMU over a QMP socket
//   HMP       human command table, argument parser, formatters (Backend only, never Machine)
//   Console   REPL on libedit, batch mode
//   hmp       the executable: the only place that links Monitor and Machine
// qapi-gen (with QAPIGenKit) is a build-time tool that turns schema/*.json into Sources/QAPI/Generated.

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "swift-hmp",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hmp", targets: ["hmp"]),
        .executable(name: "qapi-gen", targets: ["qapi-gen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .target(name: "QAPIGenKit", swiftSettings: strict),
        .executableTarget(
            name: "qapi-gen",
            dependencies: ["QAPIGenKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .target(name: "QAPI", swiftSettings: strict),
        .target(name: "MigrationStream", dependencies: ["QAPI"], swiftSettings: strict),
        .target(name: "EventLoop", swiftSettings: strict),
        .target(name: "Backend", dependencies: ["QAPI"], swiftSettings: strict),
        .target(name: "Machine", dependencies: ["QAPI", "MigrationStream"], swiftSettings: strict),
        .target(name: "MigrationSockets", dependencies: ["Machine", "EventLoop", "QAPI"], swiftSettings: strict),
        .target(name: "Monitor", dependencies: ["QAPI", "Backend", "Machine"], swiftSettings: strict),
        .target(name: "QMPServer", dependencies: ["QAPI", "Backend", "EventLoop"], swiftSettings: strict),
        .target(name: "QMPClient", dependencies: ["QAPI", "Backend", "EventLoop"], swiftSettings: strict),
        .target(name: "HMP", dependencies: ["QAPI", "Backend", "MigrationStream"], swiftSettings: strict),
        // libedit is opened at run time by the shim (dlopen), not linked: see cel_load_libedit.
        .target(name: "CEditLine"),
        .target(name: "Console", dependencies: ["HMP", "Backend", "EventLoop", "CEditLine", "QAPI"], swiftSettings: strict),
        .executableTarget(
            name: "hmp",
            dependencies: [
                "Console", "Monitor", "Machine", "EventLoop", "QMPServer", "Backend", "QMPClient", "MigrationSockets",
            ],
            swiftSettings: strict),
        .executableTarget(name: "qmp-roundtrips", swiftSettings: strict),
        .executableTarget(
            name: "hmp-bench", dependencies: ["QAPI", "Backend", "Machine", "Monitor", "HMP", "QMPClient", "EventLoop", "MigrationStream"],
            swiftSettings: strict),
        // The seeded random generator of every property test; no dependencies, so the code
        // generator's tests can use it too.
        .target(name: "SeededRandom", path: "Tests/SeededRandom", swiftSettings: strict),
        // Shared by the test targets: seeded random numbers, sessions on the in-process model,
        // JSON helpers, golden files.
        .target(
            name: "TestSupport", dependencies: ["QAPI", "Backend", "Machine", "Monitor", "HMP", "SeededRandom"], path: "Tests/TestSupport",
            swiftSettings: strict),
        .testTarget(name: "QAPIGenTests", dependencies: ["QAPIGenKit", "SeededRandom"], swiftSettings: strict),
        .testTarget(name: "QAPITests", dependencies: ["QAPI", "SeededRandom"], swiftSettings: strict),
        .testTarget(name: "MachineTests", dependencies: ["Machine", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MigrationStreamTests", dependencies: ["MigrationStream", "QAPI", "SeededRandom"], swiftSettings: strict),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop"], swiftSettings: strict),
        .testTarget(
            name: "QMPServerTests", dependencies: ["QMPServer", "Backend", "EventLoop", "QAPI", "Monitor", "Machine"], swiftSettings: strict
        ),
        .testTarget(name: "QMPClientTests", dependencies: ["QMPClient", "Backend", "QAPI", "EventLoop"], swiftSettings: strict),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "Backend", "SeededRandom"], swiftSettings: strict),
        .testTarget(name: "HMPTests", dependencies: ["HMP", "Backend", "Monitor", "Machine", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Console", "HMP", "Backend", "EventLoop", "Monitor", "Machine", "QAPI", "hmp", "TestSupport"],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

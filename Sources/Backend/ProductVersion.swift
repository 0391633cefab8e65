import QAPI

/// The version `query-version` reports for the in-process model: swift-hmp's own.
public enum ProductVersion {
    public static let major: Int64 = 0
    public static let minor: Int64 = 1
    public static let micro: Int64 = 0
    public static let package = "swift-hmp"

    public static var versionInfo: VersionInfo {
        VersionInfo(qemu: VersionTriple(major: major, minor: minor, micro: micro), package: package)
    }
}

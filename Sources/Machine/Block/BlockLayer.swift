import QAPI

/// The block layer of the model: backends, nodes, images, jobs, snapshots, guest I/O.
///
/// A pure state machine: commands act at `now`, and `advance(to:)` moves guest I/O, jobs and
/// thresholds forward, firing events at the model times they happen. Commands validate
/// everything before they change anything, so a rejected command leaves the model as it was.
public final class BlockLayer {
    public let events: EventQueue
    public internal(set) var now: ModelTime = .zero

    /// Bytes per second a job copies when its speed is 0 (unlimited).
    public static let modelDiskThroughput: UInt64 = 512 * 1024 * 1024
    /// Model time the guest takes to honour an eject request on a locked tray.
    public static let ejectRequestDelay = ModelTime.seconds(1)

    /// Wall-clock time at model time zero, in nanoseconds since the epoch (snapshot dates).
    /// A fixed date by default so runs repeat; the VM sets the real one.
    public var epochNanoseconds: UInt64 = 1_735_689_600 * 1_000_000_000
    /// Guest I/O only happens while the guest runs; the VM keeps this in step with its run state.
    public internal(set) var guestRunning = true
    /// Called when an error policy (`stop`, `enospc`) stops the guest; the VM should stop with
    /// run state io-error. The block layer has already stopped guest I/O by then.
    public var onGuestStopRequest: ((ModelTime) -> Void)?

    // query-block reads only these two (value types throughout), so any change to either,
    // in place or whole, drops its cached answer.
    var backends: [BlockBackend] = [] { didSet { queryBlockAnswer = nil } }
    var images: [Int: DiskImage] = [:] { didSet { queryBlockAnswer = nil } }
    /// query-block's answer while `backends` and `images` stay as they were: batches ask for it
    /// thousands of times a second, and building it was most of `info block`'s cost.
    var queryBlockAnswer: [BlockInfo]?
    var jobs: [BlockJob] = []
    /// Image files the model knows that no node has open (created by jobs or released).
    var hostFiles: [String: HostFile] = [:]
    var nextImageID = 1
    var nextAutoNodeNumber = 100

    /// A VM with the default disks (see `DiskSpec.defaultMachine`).
    public convenience init(events: EventQueue) {
        do {
            try self.init(events: events, disks: DiskSpec.defaultMachine)
        } catch {
            preconditionFailure("the default disks are invalid: \(error)")
        }
    }

    /// A VM with exactly these disks (none for an empty machine).
    public init(events: EventQueue, disks: [DiskSpec]) throws(QMPError) {
        self.events = events
        for disk in disks { try attach(disk) }
    }

    // MARK: - Reading the model

    /// Backends in creation order.
    public var allBackends: [BlockBackend] { backends }
    public var backendNames: [String] { backends.map(\.name) }
    public func backend(named name: String) -> BlockBackend? { backends.first { $0.name == name } }

    /// The medium's chain of a backend, top image first (empty when there is no medium).
    public func chain(ofDevice name: String) -> [DiskImage] {
        guard let top = backend(named: name)?.medium else { return [] }
        return chain(from: top).compactMap { images[$0] }
    }

    /// Every node name in the model: each image's format node, then its file node.
    public var nodeNames: [String] { orderedImages.flatMap { [$0.formatNodeName, $0.fileNodeName] } }

    /// Images in a stable order: by backend and chain position, then the rest (job targets).
    var orderedImages: [DiskImage] {
        var seen = Set<Int>()
        var result: [DiskImage] = []
        for b in backends {
            guard let top = b.medium else { continue }
            for id in chain(from: top) where seen.insert(id).inserted { if let i = images[id] { result.append(i) } }
        }
        for id in images.keys.sorted() where seen.insert(id).inserted { result.append(images[id]!) }
        return result
    }

    /// Jobs that query-block-jobs lists, oldest first.
    public var allJobs: [BlockJob] { jobs }
    public var jobIDs: [String] { jobs.map(\.id) }
    public func job(_ id: String) -> BlockJob? { jobs.first { $0.id == id } }

    /// Names and ids of the internal snapshots on every image that can hold them.
    public var snapshotTags: [String] {
        var tags: [String] = []
        var seen: Set<String> = []
        for image in orderedImages where image.format.supportsSnapshots {
            for s in image.snapshots {
                if seen.insert(s.name).inserted { tags.append(s.name) }
                if seen.insert(s.id).inserted { tags.append(s.id) }
            }
        }
        return tags
    }

    // MARK: - Graph helpers

    /// Image ids from `top` down its backing chain.
    func chain(from top: Int) -> [Int] {
        var ids: [Int] = []
        var next: Int? = top
        while let id = next, ids.count < 1000 {
            ids.append(id)
            next = images[id]?.backing
        }
        return ids
    }

    func backendIndex(_ name: String) -> Int? { backends.firstIndex { $0.name == name } }

    /// The backend whose chain holds `image`, if any.
    func owner(of image: Int) -> Int? {
        backends.firstIndex { b in b.medium.map { chain(from: $0).contains(image) } ?? false }
    }

    /// A node by name: an image and whether it is the file node.
    func node(named name: String) -> (image: Int, isFile: Bool)? {
        for (id, image) in images {
            if image.formatNodeName == name { return (id, false) }
            if image.fileNodeName == name { return (id, true) }
        }
        return nil
    }

    func isNameTaken(_ name: String) -> Bool { backendIndex(name) != nil || node(named: name) != nil }

    /// QEMU's bdrv_lookup_bs: a backend's top image by device name, else a node by name.
    func lookupNode(device: String?, nodeName: String?) throws(QMPError) -> (image: Int, isFile: Bool) {
        if let device, let index = backendIndex(device) {
            guard let top = backends[index].medium else { throw .generic("Device '\(device)' has no medium") }
            return (top, false)
        }
        if let nodeName, let found = node(named: nodeName) { return found }
        throw .generic("Cannot find device='\(device ?? "")' nor node-name='\(nodeName ?? "")'")
    }

    /// QEMU's qmp_get_blk: exactly one of a backend name and a qdev id (or QOM path).
    func lookupBackend(device: String?, id: String?) throws(QMPError) -> Int {
        switch (device, id) {
        case (let device?, nil):
            guard let index = backendIndex(device) else { throw QMPError(.deviceNotFound, "Device '\(device)' not found") }
            return index
        case (nil, let id?):
            // Devices are anonymous, so the id is a QOM path: the device's, or its virtio backend's.
            let index = backends.firstIndex { b in b.qdevPath == id || b.qdevPath == id + "/virtio-backend" }
            guard let index else { throw QMPError(.deviceNotFound, "Device '\(id)' not found") }
            return index
        default:
            throw .generic("Need exactly one of 'device' and 'id'")
        }
    }

    /// The job that blocks operations on `image`'s backend, if any.
    func blockingJob(for image: Int) -> BlockJob? {
        if let owner = owner(of: image), let job = jobs.first(where: { $0.device == backends[owner].name && $0.isActive }) {
            return job
        }
        return jobs.first { job in
            guard job.isActive else { return false }
            switch job.detail {
            case .mirror(let target, _), .backup(let target, _): return target == image
            default: return false
            }
        }
    }

    /// QEMU's op-blocker text for a node that a job holds.
    func busyError(_ name: String, _ job: BlockJob) -> QMPError {
        .generic("Node '\(name)' is busy: block device is in use by block job: \(job.kind.rawValue)")
    }

    /// Name QEMU shows for a node in messages: its backend's name, else its node name.
    func displayName(of image: Int) -> String {
        if let owner = owner(of: image), backends[owner].medium == image { return backends[owner].name }
        return images[image]?.formatNodeName ?? ""
    }

    /// A fresh automatic node name, in QEMU's `#blockNNN` style.
    func autoNodeName() -> String {
        defer { nextAutoNodeNumber += 1 }
        return "#block\(nextAutoNodeNumber)"
    }

    func newImageID() -> Int {
        defer { nextImageID += 1 }
        return nextImageID
    }

    /// Whether a filename is open as some node.
    func isOpen(_ filename: String) -> Bool { images.values.contains { $0.filename == filename } }
}

/// An image file the model knows about that no node has open.
struct HostFile: Sendable, Hashable {
    var format: DiskFormat
    var virtualSize: UInt64
    var usedBytes: UInt64
    var backingFilename: String?
    var backingFormat: DiskFormat?
    var snapshots: [InternalSnapshot]
}

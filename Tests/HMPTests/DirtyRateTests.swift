import QAPI
import Testing

@testable import HMP

/// Dirty rate measurement and the vCPU dirty limit: formatters from fixed data, then the
/// commands' arguments, errors and outputs through a session.
@Suite struct DirtyRateTests {
    static let unstarted = DirtyRateInfo(
        status: .unstarted, startTime: 0, calcTime: 0, calcTimeUnit: .second, samplePages: 512, mode: .pageSampling)
    static let measuring = DirtyRateInfo(
        status: .measuring, startTime: 1_700_000_000, calcTime: 1, calcTimeUnit: .second, samplePages: 512,
        mode: .pageSampling)
    static let sampled = DirtyRateInfo(
        dirtyRate: 120, status: .measured, startTime: 1_700_000_000, calcTime: 1, calcTimeUnit: .second,
        samplePages: 256, mode: .pageSampling)
    static let ring = DirtyRateInfo(
        dirtyRate: 30, status: .measured, startTime: 1_700_000_010, calcTime: 2, calcTimeUnit: .second,
        samplePages: 0, mode: .dirtyRing, vcpuDirtyRate: [DirtyRateVcpu(id: 0, dirtyRate: 12), DirtyRateVcpu(id: 1, dirtyRate: 18)])
    static let bitmap = DirtyRateInfo(
        dirtyRate: 64, status: .measured, startTime: 1_700_000_020, calcTime: 500, calcTimeUnit: .millisecond,
        samplePages: 0, mode: .dirtyBitmap)

    @Test(
        arguments: [
            (
                unstarted,
                """
                Status: unstarted
                Start Time: 0 (ms)
                Sample Pages: 512 (per GB)
                Period: 0 (sec)
                Mode: page-sampling
                Dirty rate: (not ready)

                """,
                """
                Status      unstarted
                Mode        page-sampling
                Sample pages  512 per GiB
                """
            ),
            (
                measuring,
                """
                Status: measuring
                Start Time: 1700000000 (ms)
                Sample Pages: 512 (per GB)
                Period: 1 (sec)
                Mode: page-sampling
                Dirty rate: (not ready)

                """, ""
            ),
            (
                sampled,
                """
                Status: measured
                Start Time: 1700000000 (ms)
                Sample Pages: 256 (per GB)
                Period: 1 (sec)
                Mode: page-sampling
                Dirty rate: 120 (MB/s)

                """, ""
            ),
            (
                ring,
                """
                Status: measured
                Start Time: 1700000010 (ms)
                Period: 2 (sec)
                Mode: dirty-ring
                Dirty rate: 30 (MB/s)
                vcpu[0], Dirty rate: 12 (MB/s)
                vcpu[1], Dirty rate: 18 (MB/s)

                """, ""
            ),
            (
                bitmap,
                """
                Status: measured
                Start Time: 1700000020 (ms)
                Period: 500 (sec)
                Mode: dirty-bitmap
                Dirty rate: 64 (MB/s)

                """, ""
            ),
        ] as [(DirtyRateInfo, String, String)])
    func qemuLayout(info: DirtyRateInfo, qemu: String, _: String) {
        #expect(DirtyRateFormat.qemu(info) == qemu)
    }

    @Test func tableLayout() {
        #expect(
            DirtyRateFormat.table(Self.unstarted) == """
                Status        unstarted
                Mode          page-sampling
                Sample pages  512 per GiB
                Dirty rate    not measured yet (calc_dirty_rate starts a measurement)

                """)
        #expect(
            DirtyRateFormat.table(Self.measuring) == """
                Status        measuring
                Mode          page-sampling
                Start time    \(LocalTime.format(1700000000, "%Y-%m-%d %H:%M:%S"))
                Period        1 s
                Sample pages  512 per GiB
                Dirty rate    being measured

                """)
        #expect(
            DirtyRateFormat.table(Self.sampled) == """
                Status        measured
                Mode          page-sampling
                Start time    \(LocalTime.format(1700000000, "%Y-%m-%d %H:%M:%S"))
                Period        1 s
                Sample pages  256 per GiB
                Dirty rate    120 MB/s

                """)
        #expect(
            DirtyRateFormat.table(Self.ring) == """
                Status      measured
                Mode        dirty-ring
                Start time  \(LocalTime.format(1700000010, "%Y-%m-%d %H:%M:%S"))
                Period      2 s
                Dirty rate  30 MB/s

                Per vCPU
                  vCPU 0    12 MB/s
                  vCPU 1    18 MB/s

                """)
        #expect(
            DirtyRateFormat.table(Self.bitmap) == """
                Status      measured
                Mode        dirty-bitmap
                Start time  \(LocalTime.format(1700000020, "%Y-%m-%d %H:%M:%S"))
                Period      500 ms
                Dirty rate  64 MB/s

                """)
    }

    @Test func limitLayouts() {
        let limits = [
            DirtyLimitInfo(cpuIndex: 0, limitRate: 500, currentRate: 415),
            DirtyLimitInfo(cpuIndex: 1, limitRate: 500, currentRate: 96),
        ]
        #expect(
            DirtyRateFormat.qemu(limits)
                == "vcpu[0], limit rate 500 (MB/s), current rate 415 (MB/s)\nvcpu[1], limit rate 500 (MB/s), current rate 96 (MB/s)\n")
        #expect(DirtyRateFormat.qemu([]) == "Dirty page limit not enabled!\n")
        #expect(
            DirtyRateFormat.table(limits) == """
                vCPU     Limit  Current rate
                ----  --------  ------------
                   0  500 MB/s      415 MB/s
                   1  500 MB/s       96 MB/s

                """)
        #expect(DirtyRateFormat.table([]) == "No vCPU has a dirty page limit\n")
    }

    static func usage(_ command: String, _ message: String) -> String {
        "\(message)\nTry \"help \(command)\" for more information\n"
    }

    @Test(arguments: [
        ("calc_dirty_rate", usage("calc_dirty_rate", "unexpected end of expression")),
        ("calc_dirty_rate soon", usage("calc_dirty_rate", "invalid char 's' in expression")),
        ("calc_dirty_rate 1 2 3", usage("calc_dirty_rate", "calc_dirty_rate: extraneous characters at the end of line")),
        ("calc_dirty_rate -x 1", usage("calc_dirty_rate", "calc_dirty_rate: unsupported option -x")),
        ("calc_dirty_rate 1 (2", usage("calc_dirty_rate", "')' expected")),
        ("set_vcpu_dirty_limit", usage("set_vcpu_dirty_limit", "unexpected end of expression")),
        ("set_vcpu_dirty_limit 1 2 3", usage("set_vcpu_dirty_limit", "set_vcpu_dirty_limit: extraneous characters at the end of line")),
        ("cancel_vcpu_dirty_limit x", usage("cancel_vcpu_dirty_limit", "invalid char 'x' in expression")),
        ("info dirty_rate now", usage("info dirty_rate", "info dirty_rate: extraneous characters at the end of line")),
        ("info vcpu_dirty_limit 0", usage("info vcpu_dirty_limit", "info vcpu_dirty_limit: extraneous characters at the end of line")),
    ])
    func usageErrors(line: String, expected: String) {
        let fake = MigrationFake()
        #expect(fake.session().execute(line).error == expected)
        #expect(fake.received.isEmpty)
    }

    @Test func calcDirtyRateArgumentsAndErrors() {
        let fake = MigrationFake()
        let s = fake.session()
        #expect(s.execute("calc_dirty_rate 0").error == "Incorrect period length specified!\n")
        #expect(s.execute("calc_dirty_rate -r -b 1").error == "Either dirty ring or dirty bitmap can be specified!\n")
        #expect(fake.received.isEmpty)
        #expect(s.execute("calc_dirty_rate 61").error == "Error: Calculation time is out of range [50ms, 60000ms].\n")
        #expect(fake.received["calc-dirty-rate"] == ["calc-time": 61, "mode": "page-sampling"])
        #expect(
            s.execute("calc_dirty_rate 1 1024").output
                == "Measuring the dirty rate for 1 s (page-sampling, 1024 pages per GiB); 'info dirty_rate' shows the result\n")
        #expect(fake.received["calc-dirty-rate"] == ["calc-time": 1, "sample-pages": 1024, "mode": "page-sampling"])
        #expect(s.execute("calc_dirty_rate 1").error == "Error: the dirty rate is already being measured.\n")
        fake.dirtyRate = Self.sampled
        #expect(
            fake.session(.qemu).execute("calc_dirty_rate -r 2").output == """
                Starting dirty rate measurement with period 2 seconds
                [Please use 'info dirty_rate' to check results]

                """)
        #expect(fake.received["calc-dirty-rate"] == ["calc-time": 2, "mode": "dirty-ring"])
        fake.dirtyRate = Self.sampled
        #expect(fake.session(.json).execute("calc_dirty_rate 2 -b").output == "{\"return\": {}}\n")
        #expect(fake.received["calc-dirty-rate"] == ["calc-time": 2, "mode": "dirty-bitmap"])
    }

    @Test func infoDirtyRateInEachFormat() {
        let fake = MigrationFake()
        fake.dirtyRate = Self.ring
        #expect(fake.session(.qemu).execute("info dirty_rate").output == DirtyRateFormat.qemu(Self.ring))
        #expect(fake.session().execute("info dirty_rate").output == DirtyRateFormat.table(Self.ring))
        #expect(
            fake.session(.json).execute("info dirty_rate").output
                == #"{"return": {"dirty-rate": 30, "status": "measured", "start-time": 1700000010, "calc-time": 2, "calc-time-unit": "second", "sample-pages": 0, "mode": "dirty-ring", "vcpu-dirty-rate": [{"id": 0, "dirty-rate": 12}, {"id": 1, "dirty-rate": 18}]}}"#
                + "\n")
    }

    @Test func dirtyLimitCommands() {
        let fake = MigrationFake()
        let s = fake.session()
        #expect(s.execute("set_vcpu_dirty_limit -5").error == "Error: invalid dirty page limit -5\n")
        #expect(fake.received["set-vcpu-dirty-limit"] == nil)
        #expect(s.execute("set_vcpu_dirty_limit 500 7").error == "Error: incorrect cpu index specified\n")
        #expect(s.execute("set_vcpu_dirty_limit 500 -1").error == "Error: incorrect cpu index specified\n")
        #expect(fake.received["set-vcpu-dirty-limit"] == ["cpu-index": -1, "dirty-rate": 500])
        #expect(s.execute("set_vcpu_dirty_limit 500").output == "Dirty page limit of every vCPU set to 500 MB/s\n")
        #expect(fake.received["set-vcpu-dirty-limit"] == ["dirty-rate": 500])
        #expect(s.execute("set_vcpu_dirty_limit 300 1").output == "Dirty page limit of vCPU 1 set to 300 MB/s\n")
        #expect(
            s.execute("info vcpu_dirty_limit").output == """
                vCPU     Limit  Current rate
                ----  --------  ------------
                   0  500 MB/s        0 MB/s
                   1  300 MB/s        0 MB/s

                """)
        #expect(
            fake.session(.qemu).execute("info vcpu_dirty_limit").output
                == "vcpu[0], limit rate 500 (MB/s), current rate 0 (MB/s)\nvcpu[1], limit rate 300 (MB/s), current rate 0 (MB/s)\n")
        #expect(
            fake.session(.json).execute("info vcpu_dirty_limit").output
                == #"{"return": [{"cpu-index": 0, "limit-rate": 500, "current-rate": 0}, {"cpu-index": 1, "limit-rate": 300, "current-rate": 0}]}"#
                + "\n")
        #expect(s.execute("cancel_vcpu_dirty_limit 0").output == "Dirty page limit cancelled for vCPU 0\n")
        #expect(fake.received["cancel-vcpu-dirty-limit"] == ["cpu-index": 0])
        #expect(
            fake.session(.qemu).execute("cancel_vcpu_dirty_limit").output
                == "[Please use 'info vcpu_dirty_limit' to query dirty limit for virtual CPU]\n")
        #expect(fake.received["cancel-vcpu-dirty-limit"] == [:])
        #expect(fake.session(.qemu).execute("info vcpu_dirty_limit").output == "Dirty page limit not enabled!\n")
        #expect(fake.session(.json).execute("info vcpu_dirty_limit").output == "{\"return\": []}\n")
        #expect(
            fake.session(.qemu).execute("set_vcpu_dirty_limit 100 0").output
                == "[Please use 'info vcpu_dirty_limit' to query dirty limit for virtual CPU]\n")
        #expect(fake.session(.json).execute("set_vcpu_dirty_limit 0").output == "{\"return\": {}}\n")
        #expect(s.execute("set_vcpu_dirty_limit 0 1").output == "Dirty page limit cancelled for vCPU 1\n")
        fake.dirtyRing = false
        #expect(
            s.execute("set_vcpu_dirty_limit 10").error
                == "Error: dirty page limit feature requires KVM with accelerator property 'dirty-ring-size' set\n")
    }

    @Test func helpTexts() {
        let s = MigrationFake().session(.qemu)
        #expect(
            s.execute("help calc_dirty_rate").output
                == "calc_dirty_rate [-r] [-b] second [sample_pages_per_GB] -- start a round of guest dirty rate measurement (using -r to\n"
                + "\t\t\t specify dirty ring as the method of calculation and\n\t\t\t -b to specify dirty bitmap as method of calculation)\n"
        )
        #expect(s.execute("help set_vcpu_dirty_limit").output.hasPrefix("set_vcpu_dirty_limit dirty_rate [cpu_index] -- "))
        #expect(s.execute("help cancel_vcpu_dirty_limit").output.hasPrefix("cancel_vcpu_dirty_limit [cpu_index] -- "))
        #expect(s.execute("help info dirty_rate").output == "info dirty_rate  -- show dirty rate information\n")
    }
}

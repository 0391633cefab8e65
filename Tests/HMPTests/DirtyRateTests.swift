import Machine
import QAPI
import Testing
import TestSupport

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
                Dirty rate    120 MiB/s

                """)
        #expect(
            DirtyRateFormat.table(Self.ring) == """
                Status      measured
                Mode        dirty-ring
                Start time  \(LocalTime.format(1700000010, "%Y-%m-%d %H:%M:%S"))
                Period      2 s
                Dirty rate  30 MiB/s

                Per vCPU
                  vCPU 0    12 MiB/s
                  vCPU 1    18 MiB/s

                """)
        #expect(
            DirtyRateFormat.table(Self.bitmap) == """
                Status      measured
                Mode        dirty-bitmap
                Start time  \(LocalTime.format(1700000020, "%Y-%m-%d %H:%M:%S"))
                Period      500 ms
                Dirty rate  64 MiB/s

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
                vCPU      Limit  Current rate
                ----  ---------  ------------
                   0  500 MiB/s     415 MiB/s
                   1  500 MiB/s      96 MiB/s

                """)
        #expect(DirtyRateFormat.table([]) == "No vCPU has a dirty page limit\n")
    }

    static func usage(_ command: String, _ message: String) -> String {
        // The table format names the command in every parse error, behind `Error: `.
        "Error: \(message.hasPrefix(command + ":") ? message : command + ": " + message)\nTry \"help \(command)\" for more information\n"
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
        let model = ModelSession()
        #expect(model.run(line).error == expected)
        #expect(model.recorder.requests.isEmpty)
    }

    /// A host with KVM's dirty ring (the dirty limit and `calc_dirty_rate -r` need it).
    static func ringHost(format: OutputFormat = .table, workload: GuestWorkload = GuestWorkload()) -> ModelSession {
        ModelSession(
            format: format, configuration: MachineConfiguration(workload: workload, host: HostDescription(kvmDirtyRingSize: 4096)))
    }

    @Test func calcDirtyRateArgumentsAndErrors() {
        let model = ModelSession()
        let s = model.session
        #expect(s.execute("calc_dirty_rate 0").error == "Error: Incorrect period length specified!\n")
        #expect(s.execute("calc_dirty_rate -r -b 1").error == "Error: Either dirty ring or dirty bitmap can be specified!\n")
        #expect(model.recorder.requests.isEmpty)
        #expect(s.execute("calc_dirty_rate 61").error == "Error: Calculation time is out of range [50ms, 60000ms].\n")
        #expect(model.sent("calc-dirty-rate") == ["calc-time": 61, "mode": "page-sampling"])
        #expect(
            s.execute("calc_dirty_rate 1 1024").output
                == "Measuring the dirty rate for 1 s (page-sampling, 1024 pages per GiB); 'info dirty_rate' shows the result\n")
        #expect(model.sent("calc-dirty-rate") == ["calc-time": 1, "sample-pages": 1024, "mode": "page-sampling"])
        #expect(s.execute("calc_dirty_rate 1").error == "Error: the dirty rate is already being measured.\n")
        #expect(s.execute("sleep 2").succeeded)
        #expect(model.session(.json).execute("calc_dirty_rate 2 -b").output == "{\"return\": {}}\n")
        #expect(model.sent("calc-dirty-rate") == ["calc-time": 2, "mode": "dirty-bitmap"])

        let ring = Self.ringHost(format: .qemu)
        #expect(
            ring.run("calc_dirty_rate -r 2").output == """
                Starting dirty rate measurement with period 2 seconds
                [Please use 'info dirty_rate' to check results]

                """)
        #expect(ring.sent("calc-dirty-rate") == ["calc-time": 2, "mode": "dirty-ring"])
    }

    /// What the session prints is the formatters' reading of the model's measurement.
    @Test func infoDirtyRateInEachFormat() throws {
        let model = Self.ringHost()
        #expect(model.run("calc_dirty_rate -r 2").succeeded)
        #expect(model.run("sleep 3").succeeded)
        let info = try model.query(QueryDirtyRateCommand.self, QueryDirtyRateArguments())
        #expect(info.status == .measured && info.mode == .dirtyRing && info.vcpuDirtyRate?.count == 2)
        #expect(model.session(.qemu).execute("info dirty_rate").output == DirtyRateFormat.qemu(info))
        #expect(model.run("info dirty_rate").output == DirtyRateFormat.table(info))
        let json = model.session(.json).execute("info dirty_rate").output
        #expect(try JSONParser.parse(json) == ["return": info.qapi])
        #expect(
            json.contains(#""status": "measured", "#)
                && json.contains(
                    #""calc-time": 2, "calc-time-unit": "second", "sample-pages": 0, "mode": "dirty-ring", "vcpu-dirty-rate": [{"id": 0, "dirty-rate": "#
                ))
    }

    @Test func dirtyLimitCommands() {
        let model = Self.ringHost(workload: .idle())
        let s = model.session
        #expect(s.execute("set_vcpu_dirty_limit -5").error == "Error: invalid dirty page limit -5\n")
        #expect(model.sent("set-vcpu-dirty-limit") == nil)
        #expect(s.execute("set_vcpu_dirty_limit 500 7").error == "Error: incorrect cpu index specified\n")
        #expect(s.execute("set_vcpu_dirty_limit 500 -1").error == "Error: incorrect cpu index specified\n")
        #expect(model.sent("set-vcpu-dirty-limit") == ["cpu-index": -1, "dirty-rate": 500])
        #expect(s.execute("set_vcpu_dirty_limit 500").output == "Dirty page limit of every vCPU set to 500 MiB/s\n")
        #expect(model.sent("set-vcpu-dirty-limit") == ["dirty-rate": 500])
        #expect(s.execute("set_vcpu_dirty_limit 300 1").output == "Dirty page limit of vCPU 1 set to 300 MiB/s\n")
        // An idle guest dirties nothing, so the current rates are 0.
        #expect(
            s.execute("info vcpu_dirty_limit").output == """
                vCPU      Limit  Current rate
                ----  ---------  ------------
                   0  500 MiB/s       0 MiB/s
                   1  300 MiB/s       0 MiB/s

                """)
        #expect(
            model.session(.qemu).execute("info vcpu_dirty_limit").output
                == "vcpu[0], limit rate 500 (MB/s), current rate 0 (MB/s)\nvcpu[1], limit rate 300 (MB/s), current rate 0 (MB/s)\n")
        #expect(
            model.session(.json).execute("info vcpu_dirty_limit").output
                == #"{"return": [{"cpu-index": 0, "limit-rate": 500, "current-rate": 0}, {"cpu-index": 1, "limit-rate": 300, "current-rate": 0}]}"#
                + "\n")
        #expect(s.execute("cancel_vcpu_dirty_limit 0").output == "Dirty page limit cancelled for vCPU 0\n")
        #expect(model.sent("cancel-vcpu-dirty-limit") == ["cpu-index": 0])
        #expect(
            model.session(.qemu).execute("cancel_vcpu_dirty_limit").output
                == "[Please use 'info vcpu_dirty_limit' to query dirty limit for virtual CPU]\n")
        #expect(model.sent("cancel-vcpu-dirty-limit") == [:])
        #expect(model.session(.qemu).execute("info vcpu_dirty_limit").output == "Dirty page limit not enabled!\n")
        #expect(model.session(.json).execute("info vcpu_dirty_limit").output == "{\"return\": []}\n")
        #expect(
            model.session(.qemu).execute("set_vcpu_dirty_limit 100 0").output
                == "[Please use 'info vcpu_dirty_limit' to query dirty limit for virtual CPU]\n")
        #expect(model.session(.json).execute("set_vcpu_dirty_limit 0").output == "{\"return\": {}}\n")
        #expect(s.execute("set_vcpu_dirty_limit 0 1").output == "Dirty page limit cancelled for vCPU 1\n")
        // Without the dirty ring.
        #expect(
            ModelSession().run("set_vcpu_dirty_limit 10").error?.hasPrefix(
                "Error: dirty page limit feature requires KVM with accelerator property 'dirty-ring-size' set\n") == true)
    }

    @Test func helpTexts() {
        let s = ModelSession().session(.qemu)
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

/// Expected output of the migration formatters for `MigrationFixtures`, checked by hand
/// against QEMU 10.2's `migration-hmp-cmds.c` (qemu format) and the table layout.
enum MigrationGolden {
    static let noneQemu = ""

    static let noneTable = """
        No migration has run yet

        """

    static let noneQemuAll = """
        Globals:
          store-global-state: on
          only-migratable: off
          send-configuration: on
          send-section-footer: on
          send-switchover-start: on
          clear-bitmap-shift: 18

        """

    static let noneTableAll = """
        Globals
          store-global-state     on
          only-migratable        off
          send-configuration     on
          send-section-footer    on
          send-switchover-start  on
          clear-bitmap-shift     18

        """

    static let setupQemu = """
        Status: \t\tsetup

        """

    static let setupTable = """
        Status  setup

        """

    static let setupQemuAll = """
        Status: \t\tsetup
        Globals:
          store-global-state: on
          only-migratable: off
          send-configuration: on
          send-section-footer: on
          send-switchover-start: on
          clear-bitmap-shift: 18

        """

    static let setupTableAll = """
        Status                   setup

        Globals
          store-global-state     on
          only-migratable        off
          send-configuration     on
          send-section-footer    on
          send-switchover-start  on
          clear-bitmap-shift     18

        """

    static let activeQemu = """
        Status: \t\tactive
        Time (ms): \t\ttotal=12346, setup=15, exp_down=300
        RAM info:
          Throughput (Mbps): \t1342.83
          Sizes: \t\tpagesize=4 KiB, total=4.02 GiB
          Transfers: \t\ttransferred=1.41 GiB, remain=2.46 GiB
            Channels: \t\tprecopy=15.2 MiB, multifd=0 B, postcopy=0 B
            Page Types: \tnormal=367713, zero=41195
          Page Rates (pps): \ttransfer=40900, dirty=4
          Others: \t\tdirty_syncs=2

        """

    static let activeTable = """
        Status             active
        Total time         12.346 s
        Setup time         15 ms
        Expected downtime  300 ms

        RAM
          Transferred      1.41 GiB
          Remaining        2.46 GiB
          Total            4.02 GiB
          Throughput       1.34 Gbit/s
          Page size        4 KiB
          Normal pages     367713 (1.4 GiB)
          Zero pages       41195
          Pages sent       40900 pages/s
          Pages dirtied    4 pages/s (16 KiB/s)
          Dirty syncs      2
          Precopy bytes    15.2 MiB
          Multifd bytes    0 B
          Postcopy bytes   0 B

        XBZRLE
          Cache size       64 MiB
          Transferred      1 MiB
          Pages            256
          Cache misses     12
          Miss rate        4.7%
          Encoding ratio   3.50
          Overflows        1

        Throttling
          CPU throttle     30%

        """

    static let activeQemuAll = """
        Status: \t\tactive
        Time (ms): \t\ttotal=12346, setup=15, exp_down=300
        RAM info:
          Throughput (Mbps): \t1342.83
          Sizes: \t\tpagesize=4 KiB, total=4.02 GiB
          Transfers: \t\ttransferred=1.41 GiB, remain=2.46 GiB
            Channels: \t\tprecopy=15.2 MiB, multifd=0 B, postcopy=0 B
            Page Types: \tnormal=367713, zero=41195
          Page Rates (pps): \ttransfer=40900, dirty=4
          Others: \t\tdirty_syncs=2
        Globals:
          store-global-state: on
          only-migratable: off
          send-configuration: on
          send-section-footer: on
          send-switchover-start: on
          clear-bitmap-shift: 18
        XBZRLE: size=67108864, transferred=1048576, pages=256, miss=12
          miss_rate=0.05, encode_rate=3.50, overflow=1
        CPU Throttle (%): 30

        """

    static let activeTableAll = """
        Status                   active
        Total time               12.346 s
        Setup time               15 ms
        Expected downtime        300 ms

        RAM
          Transferred            1.41 GiB
          Remaining              2.46 GiB
          Total                  4.02 GiB
          Throughput             1.34 Gbit/s
          Page size              4 KiB
          Normal pages           367713 (1.4 GiB)
          Zero pages             41195
          Pages sent             40900 pages/s
          Pages dirtied          4 pages/s (16 KiB/s)
          Dirty syncs            2
          Precopy bytes          15.2 MiB
          Multifd bytes          0 B
          Postcopy bytes         0 B

        XBZRLE
          Cache size             64 MiB
          Transferred            1 MiB
          Pages                  256
          Cache misses           12
          Miss rate              4.7%
          Encoding ratio         3.50
          Overflows              1

        Throttling
          CPU throttle           30%

        Globals
          store-global-state     on
          only-migratable        off
          send-configuration     on
          send-section-footer    on
          send-switchover-start  on
          clear-bitmap-shift     18

        """

    static let completedQemu = """
        Status: \t\tcompleted
        Time (ms): \t\ttotal=11179, setup=8, down=46
        RAM info:
          Throughput (Mbps): \t577.40
          Sizes: \t\tpagesize=4 KiB, total=8.13 GiB
          Transfers: \t\ttransferred=769 MiB, remain=0 B
            Channels: \t\tprecopy=738 MiB, multifd=0 B, postcopy=0 B
            Page Types: \tnormal=191883, zero=2029683
          Page Rates (pps): \ttransfer=35400
          Others: \t\tdirty_syncs=4, downtime_bytes=32312649

        """

    static let completedTable = """
        Status            completed
        Total time        11.179 s
        Setup time        8 ms
        Downtime          46 ms

        RAM
          Transferred     769 MiB
          Remaining       0 B
          Total           8.13 GiB
          Throughput      577.40 Mbit/s
          Page size       4 KiB
          Normal pages    191883 (750 MiB)
          Zero pages      2029683
          Pages sent      35400 pages/s
          Dirty syncs     4
          Precopy bytes   738 MiB
          Multifd bytes   0 B
          Postcopy bytes  0 B
          Downtime bytes  30.8 MiB

        """

    static let completedQemuAll = """
        Status: \t\tcompleted
        Time (ms): \t\ttotal=11179, setup=8, down=46
        RAM info:
          Throughput (Mbps): \t577.40
          Sizes: \t\tpagesize=4 KiB, total=8.13 GiB
          Transfers: \t\ttransferred=769 MiB, remain=0 B
            Channels: \t\tprecopy=738 MiB, multifd=0 B, postcopy=0 B
            Page Types: \tnormal=191883, zero=2029683
          Page Rates (pps): \ttransfer=35400
          Others: \t\tdirty_syncs=4, downtime_bytes=32312649
        Globals:
          store-global-state: on
          only-migratable: off
          send-configuration: on
          send-section-footer: on
          send-switchover-start: on
          clear-bitmap-shift: 18

        """

    static let completedTableAll = """
        Status                   completed
        Total time               11.179 s
        Setup time               8 ms
        Downtime                 46 ms

        RAM
          Transferred            769 MiB
          Remaining              0 B
          Total                  8.13 GiB
          Throughput             577.40 Mbit/s
          Page size              4 KiB
          Normal pages           191883 (750 MiB)
          Zero pages             2029683
          Pages sent             35400 pages/s
          Dirty syncs            4
          Precopy bytes          738 MiB
          Multifd bytes          0 B
          Postcopy bytes         0 B
          Downtime bytes         30.8 MiB

        Globals
          store-global-state     on
          only-migratable        off
          send-configuration     on
          send-section-footer    on
          send-switchover-start  on
          clear-bitmap-shift     18

        """

    static let failedQemu = """
        Status: \t\tfailed (Unable to write to socket: Broken pipe)

        """

    static let failedTable = """
        Status  failed
        Error   Unable to write to socket: Broken pipe

        """

    static let failedQemuAll = """
        Status: \t\tfailed (Unable to write to socket: Broken pipe)
        Globals:
          store-global-state: on
          only-migratable: off
          send-configuration: on
          send-section-footer: on
          send-switchover-start: on
          clear-bitmap-shift: 18

        """

    static let failedTableAll = """
        Status                   failed
        Error                    Unable to write to socket: Broken pipe

        Globals
          store-global-state     on
          only-migratable        off
          send-configuration     on
          send-section-footer    on
          send-switchover-start  on
          clear-bitmap-shift     18

        """

    static let postcopyPausedQemu = """
        Status: \t\tpostcopy-paused (Detected IO failure for postcopy. Migration paused.)
        Time (ms): \t\ttotal=47317, setup=5, down=8
        RAM info:
          Throughput (Mbps): \t0.00
          Sizes: \t\tpagesize=4 KiB, total=4.02 GiB
          Transfers: \t\ttransferred=1.41 GiB, remain=2.46 GiB
            Channels: \t\tprecopy=15.2 MiB, multifd=0 B, postcopy=1.39 GiB
            Page Types: \tnormal=367713, zero=41195
          Page Rates (pps): \ttransfer=0
          Others: \t\tdirty_syncs=2, postcopy_req=57503

        """

    static let postcopyPausedTable = """
        Status                 postcopy-paused
        Error                  Detected IO failure for postcopy. Migration paused.
        Total time             47.317 s
        Setup time             5 ms
        Downtime               8 ms

        RAM
          Transferred          1.41 GiB
          Remaining            2.46 GiB
          Total                4.02 GiB
          Throughput           0.00 Mbit/s
          Page size            4 KiB
          Normal pages         367713 (1.4 GiB)
          Zero pages           41195
          Pages sent           0 pages/s
          Dirty syncs          2
          Precopy bytes        15.2 MiB
          Multifd bytes        0 B
          Postcopy bytes       1.39 GiB
          Postcopy requests    57503

        Postcopy
          Blocktime            712 ms
          vCPU blocktime (ms)  1633 1635 1710 2097 2595 1993 1958 1214 1310 1064
                               1112 1400

        """

    static let postcopyPausedQemuAll = """
        Status: \t\tpostcopy-paused (Detected IO failure for postcopy. Migration paused.)
        Time (ms): \t\ttotal=47317, setup=5, down=8
        RAM info:
          Throughput (Mbps): \t0.00
          Sizes: \t\tpagesize=4 KiB, total=4.02 GiB
          Transfers: \t\ttransferred=1.41 GiB, remain=2.46 GiB
            Channels: \t\tprecopy=15.2 MiB, multifd=0 B, postcopy=1.39 GiB
            Page Types: \tnormal=367713, zero=41195
          Page Rates (pps): \ttransfer=0
          Others: \t\tdirty_syncs=2, postcopy_req=57503
        Globals:
          store-global-state: on
          only-migratable: off
          send-configuration: on
          send-section-footer: on
          send-switchover-start: on
          clear-bitmap-shift: 18
        Postcopy Blocktime (ms): 712
        Postcopy vCPU Blocktime (ms):
         [1633, 1635, 1710, 2097, 2595, 1993, 1958, 1214, 1310, 1064,
          1112, 1400]

        """

    static let postcopyPausedTableAll = """
        Status                   postcopy-paused
        Error                    Detected IO failure for postcopy. Migration paused.
        Total time               47.317 s
        Setup time               5 ms
        Downtime                 8 ms

        RAM
          Transferred            1.41 GiB
          Remaining              2.46 GiB
          Total                  4.02 GiB
          Throughput             0.00 Mbit/s
          Page size              4 KiB
          Normal pages           367713 (1.4 GiB)
          Zero pages             41195
          Pages sent             0 pages/s
          Dirty syncs            2
          Precopy bytes          15.2 MiB
          Multifd bytes          0 B
          Postcopy bytes         1.39 GiB
          Postcopy requests      57503

        Postcopy
          Blocktime              712 ms
          vCPU blocktime (ms)    1633 1635 1710 2097 2595 1993 1958 1214 1310 1064
                                 1112 1400

        Globals
          store-global-state     on
          only-migratable        off
          send-configuration     on
          send-section-footer    on
          send-switchover-start  on
          clear-bitmap-shift     18

        """

    static let incomingQemu = """
        Status: \t\tsetup
        Sockets: [
        \ttcp:0.0.0.0:4444
        \tunix:/tmp/mig.sock
        ]

        """

    static let incomingTable = """
        Status        setup
        Listening on  tcp:0.0.0.0:4444
                      unix:/tmp/mig.sock

        """

    static let incomingQemuAll = """
        Status: \t\tsetup
        Sockets: [
        \ttcp:0.0.0.0:4444
        \tunix:/tmp/mig.sock
        ]
        Globals:
          store-global-state: on
          only-migratable: off
          send-configuration: on
          send-section-footer: on
          send-switchover-start: on
          clear-bitmap-shift: 18

        """

    static let incomingTableAll = """
        Status                   setup
        Listening on             tcp:0.0.0.0:4444
                                 unix:/tmp/mig.sock

        Globals
          store-global-state     on
          only-migratable        off
          send-configuration     on
          send-section-footer    on
          send-switchover-start  on
          clear-bitmap-shift     18

        """

    static let blockedQemu = """
        Outgoing migration blocked:
          non-migratable device: vfio-pci
          a VirtFS export is mounted

        """

    static let blockedTable = """
        Migration blocked  non-migratable device: vfio-pci
                           a VirtFS export is mounted

        """

    static let blockedQemuAll = """
        Outgoing migration blocked:
          non-migratable device: vfio-pci
          a VirtFS export is mounted
        Globals:
          store-global-state: on
          only-migratable: off
          send-configuration: on
          send-section-footer: on
          send-switchover-start: on
          clear-bitmap-shift: 18

        """

    static let blockedTableAll = """
        Migration blocked        non-migratable device: vfio-pci
                                 a VirtFS export is mounted

        Globals
          store-global-state     on
          only-migratable        off
          send-configuration     on
          send-section-footer    on
          send-switchover-start  on
          clear-bitmap-shift     18

        """

    static let defaultParametersQemu = """
        announce-initial: 50 ms
        announce-max: 550 ms
        announce-rounds: 5
        announce-step: 100 ms
        throttle-trigger-threshold: 50
        cpu-throttle-initial: 20
        cpu-throttle-increment: 10
        cpu-throttle-tailslow: off
        max-cpu-throttle: 99
        tls-creds: ''
        tls-hostname: ''
        tls-authz: ''
        max-bandwidth: 134217728 bytes/second
        avail-switchover-bandwidth: 0 bytes/second
        max-postcopy-bandwidth: 0 bytes/second
        downtime-limit: 300 ms
        x-checkpoint-delay: 20000 ms
        multifd-channels: 2
        multifd-compression: none
        zero-page-detection: multifd
        xbzrle-cache-size: 67108864 bytes
        x-vcpu-dirty-limit-period: 1000 ms
        vcpu-dirty-limit: 1 MB/s
        mode: normal

        """

    static let defaultParametersTable = """
        Parameter                   Value    Unit
        --------------------------  -------  -----
        announce-initial            50       ms
        announce-max                550      ms
        announce-rounds             5
        announce-step               100      ms
        throttle-trigger-threshold  50       %
        cpu-throttle-initial        20       %
        cpu-throttle-increment      10       %
        cpu-throttle-tailslow       off
        max-cpu-throttle            99       %
        tls-creds                   ''
        tls-hostname                ''
        tls-authz                   ''
        max-bandwidth               128      MiB/s
        avail-switchover-bandwidth  0        B/s
        max-postcopy-bandwidth      0        B/s
        downtime-limit              300      ms
        x-checkpoint-delay          20000    ms
        multifd-channels            2
        multifd-compression         none
        multifd-zlib-level          1
        multifd-zstd-level          1
        zero-page-detection         multifd
        xbzrle-cache-size           64       MiB
        x-vcpu-dirty-limit-period   1000     ms
        vcpu-dirty-limit            1        MB/s
        mode                        normal

        """

    static let changedParametersQemu = """
        announce-initial: 50 ms
        announce-max: 550 ms
        announce-rounds: 5
        announce-step: 100 ms
        throttle-trigger-threshold: 50
        cpu-throttle-initial: 20
        cpu-throttle-increment: 10
        cpu-throttle-tailslow: on
        max-cpu-throttle: 99
        tls-creds: 'tls0'
        tls-hostname: ''
        tls-authz: ''
        max-bandwidth: 1610612736 bytes/second
        avail-switchover-bandwidth: 0 bytes/second
        max-postcopy-bandwidth: 0 bytes/second
        downtime-limit: 500 ms
        x-checkpoint-delay: 20000 ms
        multifd-channels: 8
        multifd-compression: zstd
        zero-page-detection: multifd
        xbzrle-cache-size: 1000000 bytes
        block-bitmap-mapping:
          'disk0' -> 'd0'
            'bitmap0' -> 'b0'
        x-vcpu-dirty-limit-period: 1000 ms
        vcpu-dirty-limit: 1 MB/s
        mode: normal
        direct-io: off

        """

    static let changedParametersTable = """
        Parameter                   Value                Unit
        --------------------------  -------------------  -----
        announce-initial            50                   ms
        announce-max                550                  ms
        announce-rounds             5
        announce-step               100                  ms
        throttle-trigger-threshold  50                   %
        cpu-throttle-initial        20                   %
        cpu-throttle-increment      10                   %
        cpu-throttle-tailslow       on
        max-cpu-throttle            99                   %
        tls-creds                   'tls0'
        tls-hostname                ''
        tls-authz                   ''
        max-bandwidth               1.5                  GiB/s
        avail-switchover-bandwidth  0                    B/s
        max-postcopy-bandwidth      0                    B/s
        downtime-limit              500                  ms
        x-checkpoint-delay          20000                ms
        multifd-channels            8
        multifd-compression         zstd
        multifd-zlib-level          1
        multifd-zstd-level          5
        zero-page-detection         multifd
        xbzrle-cache-size           1000000              B
        block-bitmap-mapping        'disk0' -> 'd0'
                                      'bitmap0' -> 'b0'
        x-vcpu-dirty-limit-period   1000                 ms
        vcpu-dirty-limit            1                    MB/s
        mode                        normal
        direct-io                   off

        """

}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(HMPMain.run(Array(CommandLine.arguments.dropFirst())))

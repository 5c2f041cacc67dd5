import ChildSafeDaemon

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

exit(await Daemon.main(arguments: Array(CommandLine.arguments.dropFirst())))

// Entry point: dispatches to a command and turns every error into one line and an exit code.
#if canImport(Glibc)
import Glibc
#endif

exit(CommandLine.run(Array(CommandLine.arguments.dropFirst())))

// Entry point: dispatches to a command and turns every error into one line and an exit code.
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

// Before anything opens a descriptor: a closed stdout must not become a socket's slot.
Console.holdStandardDescriptors()
// A reader that goes away must be a write error the command reports and cleans up after, not
// a silent death by SIGPIPE in the middle of a failover test or with the demo's lab still up.
signal(SIGPIPE, SIG_IGN)
exit(CommandLine.run(Array(CommandLine.arguments.dropFirst())))

import FuzzInput

runFuzzer(fuzzSockDiag)

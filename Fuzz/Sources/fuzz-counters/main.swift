import FuzzInput

runFuzzer(fuzzCounters)

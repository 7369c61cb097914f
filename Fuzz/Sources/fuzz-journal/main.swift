import FuzzInput

runFuzzer(fuzzJournal)

import FuzzInput

runFuzzer(fuzzPathManagerEvents)

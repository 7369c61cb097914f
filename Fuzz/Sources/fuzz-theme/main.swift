import FuzzInput

runFuzzer(fuzzTheme)

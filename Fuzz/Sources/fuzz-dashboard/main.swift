import FuzzInput

runFuzzer(fuzzDashboard)

import FuzzInput

runFuzzer(fuzzRouteNetlink)

import FuzzInput

runFuzzer(fuzzRecording)

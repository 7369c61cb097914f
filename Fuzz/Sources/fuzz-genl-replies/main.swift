import FuzzInput

runFuzzer(fuzzGenericNetlinkReplies)

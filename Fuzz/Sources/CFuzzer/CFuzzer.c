// Nothing to compile: the header declares a function of the libFuzzer runtime that
// `-sanitize=fuzzer` links in. SwiftPM wants a source file in a C target.

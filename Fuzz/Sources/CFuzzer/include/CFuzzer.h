#ifndef MPTOP_CFUZZER_H
#define MPTOP_CFUZZER_H
#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry for a program that has its own main (compiler-rt FuzzerInterface.h).
// SwiftPM links every executable with its own main, so the fuzz targets call this from theirs.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

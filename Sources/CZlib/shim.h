// The system's zlib (zlib1g-dev): deflate/inflate and crc32 for recordings (docs/recording.md).
#include <zlib.h>

// Only the declaration in include/fuzz_driver.h matters; SwiftPM needs a source file.
#include "fuzz_driver.h"

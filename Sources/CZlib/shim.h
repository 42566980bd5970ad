#ifndef PROSPER_CZLIB_SHIM_H
#define PROSPER_CZLIB_SHIM_H
#include <zlib.h>
#endif

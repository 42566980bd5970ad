#ifndef PROSPER_CLIBYAML_SHIM_H
#define PROSPER_CLIBYAML_SHIM_H
#include <yaml.h>
#endif

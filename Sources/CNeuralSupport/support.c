#include "CNeuralSupport.h"
int cns_version(void) { return 1; }

#include "no-such-header.h"
int after(void) { return 0; }

#include <unistd.h>
int clean(void) { return getpid() > 0; }

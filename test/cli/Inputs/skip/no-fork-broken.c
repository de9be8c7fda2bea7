#include <unistd.h>
/* Includes unistd.h, which declares fork, but names none itself: with the flag it is not parsed,
   so its error goes unreported. */
int broken(void) { return getpid() }

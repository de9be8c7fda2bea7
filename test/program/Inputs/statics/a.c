#include <unistd.h>

/* A static function named like b.c's, which ends the process. */
static void cleanup(void) { _exit(1); }
void use_a(void) { cleanup(); }

#include <unistd.h>
/* The fork is spelled in the project's header and expanded in forks-by-macro.c. */
#define SPAWN() (void)fork()

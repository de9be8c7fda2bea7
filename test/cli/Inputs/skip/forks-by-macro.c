#include "spawn.h"
void spawn_quietly(void) {
  SPAWN();
}

/* Names a project fork function (fork-functions=spawn_worker) and no fork-family function. */
int spawn_worker(void);
void start(void) {
  if (spawn_worker() == 0)
    return;
}

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int privsep_preauth(void);
int create_child_and_say_hello(void);

static void serve_unprivileged(void) { puts("serving"); }

void authenticate(void) {
  int role = privsep_preauth();
  if (role == 0) {
    serve_unprivileged();
    exit(0);
  }
  if (role < 0)
    perror("privsep_preauth");
}

void authenticate_quietly(void) {
  if (privsep_preauth() == 0) {
    serve_unprivileged();
    _exit(0);
  }
}

int main(void) {
  authenticate();
  authenticate_quietly();
  create_child_and_say_hello();
  puts("the parent goes on");
  return 0;
}

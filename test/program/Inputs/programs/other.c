/* A third program, which forks nothing. */
int main(void) { return 0; }

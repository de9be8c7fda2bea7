
void added(void) {
  if (fork() == 0)
    exit(3);
  wait(NULL);
}

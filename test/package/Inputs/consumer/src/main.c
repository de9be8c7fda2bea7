void spawn(char **argv);

int main(int argc, char **argv) {
  if (argc > 1)
    spawn(argv + 1);
  return 0;
}

s/    _exit(127);/    perror("execvp");/

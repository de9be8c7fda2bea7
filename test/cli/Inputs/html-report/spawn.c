#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* A helper that runs a command <and> returns its status. */
int run_command(char **argv) {
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		perror("execvp");
		return -1;
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return status;
}

int run_job(char **argv);
int run_job_closing(char **argv);
void log_open(const char *path);
void control_open(const char *path);

int main(int argc, char **argv) {
  log_open("/var/log/jobs.log");
  control_open("/run/jobs.ctl");
  if (argc > 1)
    run_job(argv + 1);
  return run_job_closing(argv + 1);
}

void vlog(const char *message);

void relay(const char *message) { vlog(message); }

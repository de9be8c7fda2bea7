s/  return status;/  return WEXITSTATUS(status);/

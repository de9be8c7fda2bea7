#include <stdexcept>

// Lets an exception out; a caller in another file cannot see it.
void risky(int n) {
  if (n < 0)
    throw std::runtime_error("negative");
}

// Catches its own exceptions.
void careful(int n) {
  try {
    risky(n);
  } catch (...) {
  }
}

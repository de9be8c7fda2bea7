// Calls risky() of risky.cpp: its exception passes through, unless caught here or stopped by
// noexcept (std::terminate). child.cpp sees neither file.
void risky(int n);

void relay_risky(int n) { risky(n); }

void relay_guarded(int n) {
  try {
    risky(n);
  } catch (...) {
  }
}

void relay_noexcept(int n) noexcept { risky(n); }

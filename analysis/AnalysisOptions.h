// What the analysis is told about the project's own functions that it cannot see: the options
// fork-functions, exit-functions and wait-functions (core/Options.h parses them).
#ifndef FORK_HAZARD_ANALYSIS_OPTIONS_H
#define FORK_HAZARD_ANALYSIS_OPTIONS_H

#include <string>
#include <vector>

namespace forkhazard {

/// A function defined elsewhere that ends the process (exit-functions): like _exit, or through
/// exit() (`name:exit`), which runs the atexit handlers.
struct ExitFunction {
  std::string Name;
  bool RunsExitHooks = false;
};

struct AnalysisOptions {
  /// Functions defined elsewhere that return fork's result in both processes, like fork.
  std::vector<std::string> ForkFunctions;
  /// Functions defined elsewhere that end the process / reap the pid they get.
  std::vector<ExitFunction> ExitFunctions;
  std::vector<std::string> WaitFunctions;
};

} // namespace forkhazard

#endif

// --skip-files-without-fork: preprocess a TU (about a third of its parse) and tell whether any
// token outside the system headers names a fork-family function or a fork-functions entry.
// A TU with none cannot have a finding, so the CLI need not parse it; what it gives up is the
// report of that TU's parse errors (its preprocessor errors are still reported).
#ifndef FORK_HAZARD_CLI_FORK_NAME_PRESCAN_H
#define FORK_HAZARD_CLI_FORK_NAME_PRESCAN_H

#include "clang/Frontend/FrontendAction.h"
#include <string>
#include <vector>

namespace forkhazard::cli {

class ForkNamePrescan : public clang::PreprocessorFrontendAction {
public:
  ForkNamePrescan(std::vector<std::string> ForkFunctions, bool &NamesFork)
      : ForkFunctions(std::move(ForkFunctions)), NamesFork(NamesFork) {}

protected:
  void ExecuteAction() override;

private:
  std::vector<std::string> ForkFunctions;
  bool &NamesFork;
};

} // namespace forkhazard::cli

#endif

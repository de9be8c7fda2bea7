// The interface every rule in rules/ implements: it is handed the process-role analysis of one
// fork site at a time and reports findings; it never scans the AST for forks itself.
#ifndef FORK_HAZARD_RULE_H
#define FORK_HAZARD_RULE_H

#include "plugin/ProcessRoles.h"
#include "plugin/Reporter.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <vector>

namespace forkhazard {

class TranslationUnitIndex;
struct Options;

struct RuleContext {
  clang::ASTContext &Ctx;
  TranslationUnitIndex &Index;
  Reporter &Report;
  const Options &Opts;
};

class Rule {
public:
  virtual ~Rule() = default;
  virtual void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) = 0;
};

struct RuleInfo {
  llvm::StringRef Name;    // the check name, without "fork-hazard-"
  llvm::StringRef Summary; // one line, for --help and the docs
  std::unique_ptr<Rule> (*Create)();
  bool OnByDefault = true; // opt-in checks are off unless selected
};

/// Every rule, in the order of the README's table.
llvm::ArrayRef<RuleInfo> allRules();

// One factory per file in rules/.
std::unique_ptr<Rule> createForkInLoopRule();
std::unique_ptr<Rule> createNestedForkRule();
std::unique_ptr<Rule> createChildEscapeRule();
std::unique_ptr<Rule> createUncheckedExecRule();
std::unique_ptr<Rule> createExitInChildRule();
std::unique_ptr<Rule> createUnsafeCallInChildRule();
std::unique_ptr<Rule> createMissingWaitRule();
std::unique_ptr<Rule> createUncheckedForkErrorRule();
std::unique_ptr<Rule> createVforkMisuseRule();

} // namespace forkhazard

#endif

// The interface every rule in rules/ implements: it is handed the process-role analysis of one
// fork site at a time and reports findings; it never scans the AST for forks itself.
#ifndef FORK_HAZARD_RULE_H
#define FORK_HAZARD_RULE_H

#include "analysis/ProcessRoles.h"
#include "core/Reporter.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <vector>

namespace forkhazard {

class TranslationUnitFacts;
class TranslationUnitIndex;
struct ProgramFunction;
struct Options;

/// What a check is handed with each fork site: the TU, its index and shared facts (never a
/// check's own cache), where findings go, and the options.
struct RuleContext {
  clang::ASTContext &Ctx;
  TranslationUnitIndex &Index;
  TranslationUnitFacts &Facts;
  Reporter &Report;
  const Options &Opts;
};

class Rule {
public:
  virtual ~Rule() = default;
  virtual void checkForkSite(const ForkSiteRoles &Site, RuleContext &Context) = 0;
  /// With the program's facts: a call, in Caller, of a function another TU defines that forks
  /// and hands its caller the child (ProgramFunction::HandsChildToCaller).
  virtual void checkCallHandedAChild(const clang::CallExpr *Call,
                                     const clang::FunctionDecl *Caller,
                                     const ProgramFunction &Callee, RuleContext &Context) {}
};

/// Which fork sites a check judges (rules/checks.def).
enum class SiteScope {
  NotVFork, // everything a vfork child does wrong is vfork-misuse's one report
  VForkOnly,
  AllSites,
};

struct RuleInfo {
  llvm::StringRef Name;    // the check name, without "fork-hazard-"
  llvm::StringRef Summary; // the README's "finds" column (Markdown)
  std::unique_ptr<Rule> (*Create)();
  bool OnByDefault = true; // opt-in checks are off unless selected
  SiteScope Sites = SiteScope::NotVFork;

  bool judges(const ForkSite &Site) const {
    return Sites == SiteScope::AllSites || (Sites == SiteScope::VForkOnly) == Site.IsVFork;
  }
};

/// Every rule, in the order of rules/checks.def (the README's table).
llvm::ArrayRef<RuleInfo> allRules();

// One factory per file in rules/.
#define FORK_HAZARD_CHECK(Name, Factory, OnByDefault, Sites, Summary)                           \
  std::unique_ptr<Rule> Factory();
#include "rules/checks.def"

} // namespace forkhazard

#endif

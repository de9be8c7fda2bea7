#include "rules/Rule.h"

namespace forkhazard {

llvm::ArrayRef<RuleInfo> allRules() {
  static const RuleInfo Rules[] = {
#define FORK_HAZARD_CHECK(Name, Factory, OnByDefault, Sites, Summary)                           \
  {Name, Summary, Factory, OnByDefault, SiteScope::Sites},
#include "rules/checks.def"
  };
  return Rules;
}

} // namespace forkhazard

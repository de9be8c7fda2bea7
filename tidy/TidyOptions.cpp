#include "tidy/TidyOptions.h"

#include "core/Finding.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringExtras.h"
#include <algorithm>

namespace forkhazard {
namespace tidy {

namespace {
/// "unknown-calls" -> "UnknownCalls", as clang-tidy names options.
std::string camelCase(llvm::StringRef Name) {
  std::string Out;
  bool Upper = true;
  for (char C : Name) {
    if (C == '-') {
      Upper = true;
      continue;
    }
    Out += Upper ? llvm::toUpper(C) : C;
    Upper = false;
  }
  return Out;
}

bool offeredToClangTidy(const OptionDescription &D) {
  using Kind = OptionDescription::Kind;
  return D.Role == Kind::CheckOption || D.Role == Kind::AnalysisOption || D.Name == "stats";
}
} // namespace

const std::vector<TidyOption> &tidyOptions() {
  static const std::vector<TidyOption> Options = [] {
    std::vector<TidyOption> List;
    for (const OptionDescription &D : optionDescriptions())
      if (offeredToClangTidy(D))
        List.push_back({D,
                        D.Role == OptionDescription::Kind::CheckOption ? fullCheckName(D.Check)
                                                                       : "fork-hazard",
                        camelCase(D.Name)});
    return List;
  }();
  return Options;
}

bool readsOption(llvm::StringRef Check, const TidyOption &Option) {
  return Option.Owner == "fork-hazard" || Option.Owner == Check;
}

std::vector<std::pair<const TidyOption *, std::string>>
configuredValues(clang::tidy::ClangTidyContext &Context, llvm::StringRef Check) {
  std::vector<std::pair<const TidyOption *, std::string>> Values;
  for (const TidyOption &Option : tidyOptions()) {
    if (!Check.empty() && !readsOption(Check, Option))
      continue;
    clang::tidy::ClangTidyCheck::OptionsView View(Option.Owner, Context.getOptions().CheckOptions,
                                                  &Context);
    if (auto Value = View.get(Option.LocalName))
      Values.emplace_back(&Option, std::string(*Value));
  }
  return Values;
}

std::string applyConfiguredValues(
    const std::vector<std::pair<const TidyOption *, std::string>> &Values, Options &Opts) {
  for (const auto &[Option, Text] : Values) {
    std::string Value = Text;
    std::replace(Value.begin(), Value.end(), ';', ','); // clang-tidy's list separator
    std::string Problem = Opts.applyValue(Option->Description.Name, Value);
    if (!Problem.empty())
      return "invalid value '" + Text + "' for option '" + Option->key() + "': " + Problem;
  }
  return "";
}

} // namespace tidy
} // namespace forkhazard

#include "core/SarifMerge.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

namespace json = llvm::json;

namespace forkhazard {

namespace {

/// Where a result is: its first location's file, line and column.
std::tuple<std::string, int64_t, int64_t> positionOf(const json::Value &Result) {
  const json::Object *R = Result.getAsObject();
  const json::Array *Locations = R ? R->getArray("locations") : nullptr;
  const json::Object *Physical =
      Locations && !Locations->empty() && (*Locations)[0].getAsObject()
          ? (*Locations)[0].getAsObject()->getObject("physicalLocation")
          : nullptr;
  std::string Uri;
  int64_t Line = 0, Column = 0;
  if (Physical) {
    if (const json::Object *Artifact = Physical->getObject("artifactLocation"))
      if (auto Text = Artifact->getString("uri"))
        Uri = Text->str();
    if (const json::Object *Region = Physical->getObject("region")) {
      if (auto L = Region->getInteger("startLine"))
        Line = *L;
      if (auto C = Region->getInteger("startColumn"))
        Column = *C;
    }
  }
  return {Uri, Line, Column};
}

/// What makes two results one: rule, position and message.
std::string identityOf(const json::Value &Result) {
  const json::Object *R = Result.getAsObject();
  auto Position = positionOf(Result);
  std::string Rule, Message;
  if (R) {
    if (auto Id = R->getString("ruleId"))
      Rule = Id->str();
    if (const json::Object *M = R->getObject("message"))
      if (auto Text = M->getString("text"))
        Message = Text->str();
  }
  return Rule + "\n" + std::get<0>(Position) + "\n" + std::to_string(std::get<1>(Position)) +
         "\n" + std::to_string(std::get<2>(Position)) + "\n" + Message;
}

} // namespace

std::string mergeSarifLogs(llvm::ArrayRef<std::string> Paths, llvm::raw_ostream &OS) {
  std::optional<json::Value> First;
  std::vector<json::Value> Results;
  for (const std::string &Path : Paths) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    if (!Buffer)
      return "cannot read '" + Path + "': " + Buffer.getError().message();
    llvm::Expected<json::Value> Log = json::parse((*Buffer)->getBuffer());
    if (!Log) {
      std::string Problem = llvm::toString(Log.takeError());
      return "'" + Path + "' is not JSON: " + Problem;
    }
    json::Object *Top = Log->getAsObject();
    json::Array *Runs = Top ? Top->getArray("runs") : nullptr;
    json::Object *Run = Runs && Runs->size() == 1 ? (*Runs)[0].getAsObject() : nullptr;
    json::Array *RunResults = Run ? Run->getArray("results") : nullptr;
    if (!RunResults)
      return "'" + Path + "' is not a SARIF log of one run with results";
    for (json::Value &Result : *RunResults)
      Results.push_back(std::move(Result));
    if (!First) {
      RunResults->clear();
      First = std::move(*Log);
    }
  }
  if (!First)
    return "no SARIF log to merge";
  std::set<std::string> Seen;
  std::vector<json::Value> Unique;
  for (json::Value &Result : Results)
    if (Seen.insert(identityOf(Result)).second)
      Unique.push_back(std::move(Result));
  std::stable_sort(Unique.begin(), Unique.end(), [](const json::Value &A, const json::Value &B) {
    return positionOf(A) < positionOf(B);
  });
  json::Array *Merged = (*First->getAsObject()->getArray("runs"))[0].getAsObject()->getArray("results");
  for (json::Value &Result : Unique)
    Merged->push_back(std::move(Result));
  OS << llvm::formatv("{0:2}", *First) << "\n";
  return "";
}

} // namespace forkhazard

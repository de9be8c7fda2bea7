#include "cli/Baseline.h"

#include "analysis/Compat.h"
#include "core/Fingerprints.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace forkhazard::cli {

namespace json = llvm::json;

namespace {
std::string text(const json::Object *Object, llvm::StringRef Key) {
  if (!Object)
    return "";
  if (auto Value = Object->getString(Key))
    return Value->str();
  return "";
}

/// "%2F"-style escapes of a SARIF URI, undone.
std::string unescapeUri(llvm::StringRef Uri) {
  std::string Out;
  for (size_t I = 0; I < Uri.size(); ++I) {
    unsigned Byte = 0;
    if (Uri[I] == '%' && I + 2 < Uri.size() && !Uri.substr(I + 1, 2).getAsInteger(16, Byte)) {
      Out += static_cast<char>(Byte);
      I += 2;
    } else {
      Out += Uri[I];
    }
  }
  return Out;
}

/// The file of a SARIF result's first location, absolute when the log says where SRCROOT is.
std::string sarifFile(const json::Object &Result, const json::Object *Run) {
  const json::Array *Locations = Result.getArray("locations");
  if (!Locations || Locations->empty() || !Locations->front().getAsObject())
    return "";
  const json::Object *Physical = Locations->front().getAsObject()->getObject("physicalLocation");
  const json::Object *Artifact = Physical ? Physical->getObject("artifactLocation") : nullptr;
  std::string Uri = unescapeUri(text(Artifact, "uri"));
  if (compat::startsWith(Uri, "file://"))
    return Uri.substr(strlen("file://"));
  std::string Base = text(Artifact, "uriBaseId");
  const json::Object *Bases = Run ? Run->getObject("originalUriBaseIds") : nullptr;
  std::string Root = unescapeUri(text(Bases ? Bases->getObject(Base) : nullptr, "uri"));
  if (compat::startsWith(Root, "file://"))
    return Root.substr(strlen("file://")) + Uri;
  return Uri;
}

void readSarif(const json::Object &Log, std::vector<BaselineEntry> &Out) {
  const json::Array *Runs = Log.getArray("runs");
  for (const json::Value &RunValue : Runs ? *Runs : json::Array()) {
    const json::Object *Run = RunValue.getAsObject();
    const json::Array *Results = Run ? Run->getArray("results") : nullptr;
    for (const json::Value &ResultValue : Results ? *Results : json::Array()) {
      const json::Object *Result = ResultValue.getAsObject();
      if (!Result)
        continue;
      const json::Object *Fingerprints = Result->getObject("partialFingerprints");
      Out.push_back({text(Fingerprints, LineFingerprintName), text(Fingerprints, CodeFingerprintName),
                     sarifFile(*Result, Run)});
    }
  }
}

void readJson(const json::Array &Findings, std::vector<BaselineEntry> &Out) {
  for (const json::Value &Value : Findings) {
    const json::Object *Finding = Value.getAsObject();
    if (!Finding)
      continue;
    const json::Object *Fingerprints = Finding->getObject("fingerprints");
    Out.push_back({text(Fingerprints, "line"), text(Fingerprints, "code"), text(Finding, "file")});
  }
}
} // namespace

std::string readBaseline(llvm::StringRef Path, std::vector<BaselineEntry> &Out) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return "cannot read the baseline '" + Path.str() + "': " + Buffer.getError().message();
  auto Parsed = json::parse((*Buffer)->getBuffer());
  if (!Parsed)
    return "the baseline '" + Path.str() + "' is not JSON: " + llvm::toString(Parsed.takeError());
  if (const json::Object *Log = Parsed->getAsObject(); Log && Log->getArray("runs"))
    readSarif(*Log, Out);
  else if (const json::Array *Findings = Parsed->getAsArray())
    readJson(*Findings, Out);
  else
    return "the baseline '" + Path.str() +
           "' is neither a SARIF log nor fork-hazard-check's JSON output";
  for (const BaselineEntry &Entry : Out)
    if (Entry.Line.empty())
      return "the baseline '" + Path.str() +
             "' has a finding without fork-hazard's fingerprints (write it with this version's "
             "--format=sarif or --format=json)";
  return "";
}

unsigned removeBaselineFindings(std::vector<ResolvedFinding> &Findings,
                                std::vector<BaselineEntry> Baseline, llvm::StringRef SourceRoot) {
  std::vector<FindingFingerprints> Fingerprints = fingerprintsOf(Findings, SourceRoot);
  std::vector<bool> Known(Findings.size(), false);
  // Each baseline entry accounts for one finding at most: first by file and code, then, for
  // an entry whose file is gone (renamed, moved), by code alone.
  auto match = [&](auto Matches) {
    for (size_t I = 0; I < Findings.size(); ++I) {
      if (Known[I])
        continue;
      for (auto Entry = Baseline.begin(); Entry != Baseline.end(); ++Entry)
        if (Matches(*Entry, Fingerprints[I])) {
          Known[I] = true;
          Baseline.erase(Entry);
          break;
        }
    }
  };
  match([](const BaselineEntry &E, const FindingFingerprints &F) { return E.Line == F.Line; });
  match([](const BaselineEntry &E, const FindingFingerprints &F) {
    return E.Code == F.Code && !E.File.empty() && !llvm::sys::fs::exists(E.File);
  });
  std::vector<ResolvedFinding> New;
  for (size_t I = 0; I < Findings.size(); ++I)
    if (!Known[I])
      New.push_back(std::move(Findings[I]));
  unsigned Removed = Findings.size() - New.size();
  Findings = std::move(New);
  return Removed;
}

} // namespace forkhazard::cli

#include "cli/ResultCache.h"

#include "analysis/ProgramFacts.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace json = llvm::json;

namespace forkhazard::cli {

/// Bumped whenever an entry's layout or meaning changes: older entries are ignored.
static constexpr int64_t CacheVersion = 2;

/// An optional JSON number or 0 (llvm::Optional up to LLVM 15, std::optional after).
template <typename T> static int64_t orZero(const T &Value) { return Value ? *Value : 0; }

uint64_t stableHash(llvm::StringRef Data, uint64_t Seed) {
  uint64_t Hash = Seed;
  for (char C : Data)
    Hash = (Hash ^ uint8_t(C)) * 1099511628211ull;
  return Hash;
}

namespace {

json::Value location(const ResolvedLocation &L) {
  return json::Array{L.File, L.Line, L.Column, L.Offset};
}

bool readLocation(const json::Value *V, ResolvedLocation &Out) {
  const json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A || A->size() != 4 || !(*A)[0].getAsString())
    return false;
  Out.File = (*A)[0].getAsString()->str();
  auto Number = [&](size_t I) { return unsigned(orZero((*A)[I].getAsInteger())); };
  Out.Line = Number(1);
  Out.Column = Number(2);
  Out.Offset = Number(3);
  return true;
}

json::Value finding(const ResolvedFinding &F) {
  json::Array Notes, Fixes;
  for (const ResolvedNote &N : F.Notes)
    Notes.push_back(json::Object{{"at", location(N.Location)}, {"message", N.Message}});
  for (const ResolvedFixIt &Fix : F.FixIts)
    Fixes.push_back(json::Object{{"begin", location(Fix.Begin)},
                                 {"end", location(Fix.End)},
                                 {"replacement", Fix.Replacement}});
  return json::Object{{"check", F.Check},        {"error", F.IsError},
                      {"at", location(F.Location)}, {"message", F.Message},
                      {"notes", std::move(Notes)}, {"fixes", std::move(Fixes)},
                      {"line", F.LineText},      {"rendered", F.RenderedText}};
}

std::string text(const json::Object &O, llvm::StringRef Key) {
  auto Value = O.getString(Key);
  return Value ? Value->str() : "";
}

bool readFinding(const json::Value &V, ResolvedFinding &F) {
  const json::Object *O = V.getAsObject();
  if (!O || !readLocation(O->get("at"), F.Location))
    return false;
  F.Check = text(*O, "check");
  auto Error = O->getBoolean("error");
  F.IsError = Error && *Error;
  F.Message = text(*O, "message");
  F.LineText = text(*O, "line");
  F.RenderedText = text(*O, "rendered");
  if (const json::Array *Notes = O->getArray("notes"))
    for (const json::Value &N : *Notes) {
      const json::Object *Note = N.getAsObject();
      F.Notes.emplace_back();
      if (!Note || !readLocation(Note->get("at"), F.Notes.back().Location))
        return false;
      F.Notes.back().Message = text(*Note, "message");
    }
  if (const json::Array *Fixes = O->getArray("fixes"))
    for (const json::Value &X : *Fixes) {
      const json::Object *Fix = X.getAsObject();
      F.FixIts.emplace_back();
      if (!Fix || !readLocation(Fix->get("begin"), F.FixIts.back().Begin) ||
          !readLocation(Fix->get("end"), F.FixIts.back().End))
        return false;
      F.FixIts.back().Replacement = text(*Fix, "replacement");
    }
  return true;
}

json::Value findings(const CachedFindings &C) {
  json::Array All;
  for (const ResolvedFinding &F : C.Findings)
    All.push_back(finding(F));
  return json::Object{{"findings", std::move(All)},
                      {"suppressed", int64_t(C.Suppressed)},
                      {"statistics", C.Statistics},
                      {"forks", C.Forks}};
}

std::optional<CachedFindings> readFindings(const json::Value *V) {
  const json::Object *O = V ? V->getAsObject() : nullptr;
  const json::Array *All = O ? O->getArray("findings") : nullptr;
  if (!All)
    return std::nullopt;
  CachedFindings C;
  for (const json::Value &F : *All) {
    C.Findings.emplace_back();
    if (!readFinding(F, C.Findings.back()))
      return std::nullopt;
  }
  C.Suppressed = unsigned(orZero(O->getInteger("suppressed")));
  C.Statistics = text(*O, "statistics");
  auto Forks = O->getBoolean("forks");
  C.Forks = Forks && *Forks;
  return C;
}

void digestPosition(std::string &Out, const SourcePosition &P) {
  Out += P.File + ":" + std::to_string(P.Line) + ":" + std::to_string(P.Column) + ";";
}

} // namespace

std::string factsDigest(const TranslationUnitSummary &TU, const ProgramFacts &Facts) {
  llvm::StringSet<> Own;
  for (const FunctionSummary &F : TU.Functions)
    Own.insert(F.Key);
  std::string Text = Facts.root().str() + "\n";
  llvm::StringSet<> Seen;
  auto Describe = [&](const std::string &Key) {
    if (Own.count(Key) || !Seen.insert(Key).second)
      return;
    Text += Key + "=";
    if (const ProgramFunction *F = Facts.function(Key)) {
      Text += F->Name + ";" + std::to_string(int(F->End)) + ";" + F->EndingCallee + ";" +
              std::to_string(F->Waits) + std::to_string(F->ForkWrapper) +
              std::to_string(F->WrapperMayReturnFailure) + std::to_string(F->MayThrow) +
              std::to_string(F->HandsChildToCaller) + ";";
      digestPosition(Text, F->Where);
      digestPosition(Text, F->EndingCall);
      digestPosition(Text, F->AnyChildWait);
    }
    Text += "\n";
  };
  for (const FunctionSummary &F : TU.Functions) {
    for (const std::string &Callee : F.Callees)
      Describe(Callee);
    for (const std::string &Referenced : F.References)
      Describe(Referenced);
  }
  for (const ReaperCandidate &R : TU.Reapers)
    if (!R.FunctionKey.empty())
      Describe(R.FunctionKey);
  for (const FunctionSummary &F : TU.Functions) {
    Text += F.Key + ":";
    digestPosition(Text, Facts.backgroundReaperFor(F.Key));
    digestPosition(Text, Facts.anyChildWaitOutside(F.Key));
    if (const ProgramFacts::ThreadStart *Start = Facts.threadCreationFor(F.Key)) {
      digestPosition(Text, Start->Where);
      Text += Start->Creator;
    }
    Text += "\n";
  }
  for (const FunctionSummary &F : TU.Functions)
    for (const OpenDescriptor *Open : Facts.openDescriptorsFor(F.Key, TU.File)) {
      Text += F.Key + ">" + Open->Variable + ";";
      digestPosition(Text, Open->Where);
    }
  for (const SignalSetting *Setting : Facts.signalFactsFor(TU)) {
    Text += std::to_string(Setting->What) + ";" + std::to_string(Setting->Signal) + ";";
    digestPosition(Text, Setting->Where);
  }
  return llvm::utohexstr(stableHash(Text));
}

ResultCache::ResultCache(std::string Directory, std::string RunKey)
    : Directory(std::move(Directory)), RunKey(std::move(RunKey)) {}

std::string ResultCache::prepare() {
  if (std::error_code EC = llvm::sys::fs::create_directories(Directory))
    return "cannot use the cache directory '" + Directory + "': " + EC.message();
  return "";
}

std::string ResultCache::entryPath(llvm::StringRef File) const {
  llvm::SmallString<256> Path(Directory);
  llvm::sys::path::append(Path, llvm::utohexstr(stableHash(File)) + ".json");
  return std::string(Path.str());
}

std::optional<uint64_t> ResultCache::contentHash(const std::string &Path) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    auto Known = Hashes.find(Path);
    if (Known != Hashes.end())
      return Known->second;
  }
  std::optional<uint64_t> Hash;
  if (auto Buffer = llvm::MemoryBuffer::getFile(Path))
    Hash = stableHash((*Buffer)->getBuffer());
  std::lock_guard<std::mutex> Guard(Lock);
  return Hashes[Path] = Hash;
}

std::optional<CacheEntry> ResultCache::load(llvm::StringRef File, llvm::StringRef CommandKey) {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(File));
  if (!Buffer)
    return std::nullopt;
  llvm::Expected<json::Value> Parsed = json::parse((*Buffer)->getBuffer());
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return std::nullopt; // damaged: parse again
  }
  const json::Object *O = Parsed->getAsObject();
  if (!O || orZero(O->getInteger("version")) != CacheVersion || text(*O, "file") != File ||
      text(*O, "run") != RunKey || text(*O, "commands") != CommandKey)
    return std::nullopt;
  CacheEntry Entry;
  const json::Array *Inputs = O->getArray("inputs");
  if (!Inputs)
    return std::nullopt;
  for (const json::Value &Input : *Inputs) {
    const json::Array *Pair = Input.getAsArray();
    if (!Pair || Pair->size() != 2 || !(*Pair)[0].getAsString() || !(*Pair)[1].getAsString())
      return std::nullopt;
    std::string Path = (*Pair)[0].getAsString()->str();
    uint64_t Hash = 0;
    if (llvm::StringRef(*(*Pair)[1].getAsString()).getAsInteger(16, Hash))
      return std::nullopt;
    std::optional<uint64_t> Now = contentHash(Path);
    if (!Now || *Now != Hash)
      return std::nullopt; // the file changed (or is gone): parse again
    Entry.Inputs.emplace_back(std::move(Path), Hash);
  }
  const json::Value *Summary = O->get("summary");
  llvm::Expected<TranslationUnitSummary> Read =
      Summary ? summaryFromJson(*Summary)
              : llvm::Expected<TranslationUnitSummary>(llvm::createStringError(
                    llvm::inconvertibleErrorCode(), "no summary"));
  if (!Read) {
    llvm::consumeError(Read.takeError());
    return std::nullopt;
  }
  Entry.Summary = std::move(*Read);
  Entry.Alone = readFindings(O->get("alone"));
  Entry.WithFacts = readFindings(O->get("withFacts"));
  Entry.FactsDigest = text(*O, "factsDigest");
  return Entry;
}

void ResultCache::store(llvm::StringRef File, llvm::StringRef CommandKey, CacheEntry Entry) {
  json::Array Inputs;
  for (auto &Input : Entry.Inputs) {
    if (!Input.second) {
      std::optional<uint64_t> Hash = contentHash(Input.first);
      if (!Hash)
        return; // a file it read is gone already: nothing worth keeping
      Input.second = *Hash;
    }
    Inputs.push_back(json::Array{Input.first, llvm::utohexstr(Input.second)});
  }
  json::Object O{{"version", CacheVersion},   {"file", File},
                 {"run", RunKey},             {"commands", CommandKey},
                 {"inputs", std::move(Inputs)}, {"summary", toJson(Entry.Summary)}};
  if (Entry.Alone)
    O["alone"] = findings(*Entry.Alone);
  if (Entry.WithFacts) {
    O["withFacts"] = findings(*Entry.WithFacts);
    O["factsDigest"] = Entry.FactsDigest;
  }
  // Written aside and renamed: a reader (another run) never sees half an entry.
  std::string Path = entryPath(File), Temporary = Path + ".tmp";
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Temporary, EC, llvm::sys::fs::OF_Text);
    if (EC)
      return;
    OS << json::Value(std::move(O)) << "\n";
  }
  if (llvm::sys::fs::rename(Temporary, Path))
    llvm::sys::fs::remove(Temporary);
}

} // namespace forkhazard::cli

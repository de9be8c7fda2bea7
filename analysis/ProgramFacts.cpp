#include "analysis/ProgramFacts.h"

#include "analysis/Compat.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <deque>

namespace forkhazard {

/// The longest directory every file is below.
static std::string commonDirectory(const std::vector<TranslationUnitSummary> &Summaries) {
  std::string Common;
  bool First = true;
  for (const TranslationUnitSummary &S : Summaries) {
    llvm::StringRef Directory = llvm::sys::path::parent_path(S.File);
    if (First) {
      Common = Directory.str();
      First = false;
      continue;
    }
    while (!Common.empty() &&
           !(compat::startsWith(Directory, Common) &&
             (Directory.size() == Common.size() || Directory[Common.size()] == '/')))
      Common = llvm::sys::path::parent_path(Common).str();
  }
  return Common;
}

ProgramFacts::ProgramFacts(std::vector<TranslationUnitSummary> All) : Summaries(std::move(All)) {
  // In the order of the files, so that facts collected in one run, in shards or read from a
  // file name the same places.
  std::stable_sort(Summaries.begin(), Summaries.end(),
                   [](const TranslationUnitSummary &A, const TranslationUnitSummary &B) {
                     return A.File < B.File;
                   });
  Root = commonDirectory(Summaries);
  for (const TranslationUnitSummary &TU : Summaries) {
    for (const FunctionSummary &F : TU.Functions)
      mergeFunction(F);
    if (TU.ThreadCreation.valid())
      Threads.push_back({TU.ThreadCreation, TU.ThreadCreator, TU.ThreadCreationOwner});
    for (const SignalSetting &Setting : TU.SignalSettings)
      SignalSettings.emplace_back(&Setting, TU.File);
    for (const OpenDescriptor &Open : TU.OpenDescriptors)
      OpenDescriptors.emplace_back(&Open, TU.File);
  }
  resolveEndings();
  resolveWaits();
  resolveReapers();
  resolveEntries();
  resolveDiscardedResults();
  resolveSignalSafety();
  resolveThrows();
  for (const std::string &Key : Keys) {
    const ProgramFunction &F = Functions[Key];
    if ((F.ForkWrapper || F.HandsChildToCaller || F.ProcessValues) && !F.Name.empty())
      ForkingFunctionNames.push_back(F.Name);
  }
}

/// Two TUs may define one key (one program's `usage` and another's, in one database): the
/// function ends only if every definition does, and is a fork wrapper only if every one is;
/// it waits if any does.
void ProgramFacts::mergeFunction(const FunctionSummary &F) {
  auto Inserted = Functions.try_emplace(F.Key);
  ProgramFunction &Merged = Inserted.first->second;
  std::vector<const FunctionSummary *> &Defs = Definitions[F.Key];
  Defs.push_back(&F);
  if (F.AnyChildWait.valid())
    AnyChildWaits.emplace_back(F.Key, F.AnyChildWait);
  if (Inserted.second) {
    Keys.push_back(F.Key);
    Merged = F; // the first definition's facts
    return;
  }
  if (F.MayThrow && !Merged.MayThrow) {
    Merged.MayThrow = true;
    Merged.ThrownType = F.ThrownType;
    Merged.ThrowPoint = F.ThrowPoint;
  }
  if (F.End == Ending::Returns)
    Merged.End = Ending::Returns; // resolveEndings decides, from every definition
  else if (F.End == Ending::Exits && Merged.End == Ending::EndsImmediately)
    Merged.End = Ending::Exits;
  Merged.Waits |= F.Waits;
  if (!Merged.AnyChildWait.valid())
    Merged.AnyChildWait = F.AnyChildWait;
  Merged.ForkWrapper &= F.ForkWrapper;
  Merged.WrapperMayReturnFailure |= F.WrapperMayReturnFailure;
  Merged.HandsChildToCaller &= F.HandsChildToCaller;
  if (!F.ProcessValues)
    Merged.ProcessValues.reset();
  if (!F.Unsafe)
    Merged.Unsafe.reset(); // resolveSignalSafety decides, from every definition
  llvm::erase_if(Merged.ParametersOnlyUsed, [&](unsigned P) {
    return !llvm::is_contained(F.ParametersOnlyUsed, P);
  });
}

/// A least fixed point, like the endings: a function is unsafe for a child once every
/// definition of it is unsafe by itself or calls (in the child) a function that is; the
/// operation is named after the first.
void ProgramFacts::resolveSignalSafety() {
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const std::string &Key : Keys) {
      ProgramFunction &F = Functions[Key];
      if (F.Unsafe)
        continue;
      std::optional<ProgramFunction::UnsafeOperationFacts> First;
      bool Every = true;
      for (const FunctionSummary *Def : Definitions[Key]) {
        std::optional<ProgramFunction::UnsafeOperationFacts> Found = Def->Unsafe;
        for (const std::string &Callee : Def->ChildCallees) {
          if (Found)
            break;
          auto Other = Functions.find(Callee);
          if (Other == Functions.end() || !Other->second.Unsafe)
            continue;
          Found = Other->second.Unsafe;
          if (Found->Via.empty())
            Found->Via = Other->second.Name;
        }
        if (!Found) {
          Every = false;
          break;
        }
        if (!First)
          First = Found;
      }
      if (Every && First) {
        F.Unsafe = First;
        Changed = true;
      }
    }
  }
}

/// Exceptions through several TUs: a function throws once a function of another TU it calls
/// outside a try block does (named after the deepest throw).
void ProgramFacts::resolveThrows() {
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const std::string &Key : Keys) {
      ProgramFunction &F = Functions[Key];
      if (F.MayThrow)
        continue;
      for (const FunctionSummary *Def : Definitions[Key])
        for (const std::string &Callee : Def->ThrowsThrough) {
          auto Other = Functions.find(Callee);
          if (F.MayThrow || Other == Functions.end() || !Other->second.MayThrow)
            continue;
          F.MayThrow = Changed = true;
          F.ThrownType = Other->second.ThrownType;
          F.ThrowPoint = Other->second.ThrowPoint;
        }
    }
  }
}

/// A role-telling function whose value a caller in another TU throws away: that caller's child
/// goes on as if it were the parent.
void ProgramFacts::resolveDiscardedResults() {
  for (const TranslationUnitSummary &TU : Summaries)
    for (const DiscardedResult &D : TU.DiscardedResults) {
      auto Found = Functions.find(D.FunctionKey);
      if (Found == Functions.end() || !Found->second.ProcessValues ||
          Found->second.ResultDiscarded.valid())
        continue;
      Found->second.ResultDiscarded = D.Where;
      Found->second.ResultDiscardedBy = D.Caller;
    }
}

/// Whether every path of F's end graph meets a block that ends the process, given what is
/// resolved so far; sets how it ends.
bool ProgramFacts::endsThrough(const FunctionSummary &F, ProgramFunction &Out) const {
  const ProgramFunction *FirstCallee = nullptr, *FirstExitCallee = nullptr;
  bool RunsExitHooks = false;
  auto GoesOn = [&](const EndingBlock &B) {
    for (const std::string &Callee : B.Callees) {
      auto Found = Functions.find(Callee);
      if (Found == Functions.end() || Found->second.End == Ending::Returns)
        continue;
      FirstCallee = FirstCallee ? FirstCallee : &Found->second;
      if (Found->second.End == Ending::Exits && !FirstExitCallee)
        FirstExitCallee = &Found->second;
      return false;
    }
    RunsExitHooks |= B.Ends && B.RunsExitHooks;
    return !B.Ends;
  };
  if (reachesExit(F.EndGraph, GoesOn))
    return false; // a path returns
  // Every path ends (or loops forever, like a worker loop). Named after the other file's
  // ending call when one ends it; the local one otherwise.
  const ProgramFunction *Named = FirstExitCallee ? FirstExitCallee : FirstCallee;
  Out.End = (RunsExitHooks || FirstExitCallee) ? Ending::Exits : Ending::EndsImmediately;
  if (Named && (FirstExitCallee || !RunsExitHooks)) {
    Out.EndingCall = Named->EndingCall;
    Out.EndingCallee = Named->EndingCallee;
  }
  return true;
}

void ProgramFacts::resolveEndings() {
  // A least fixed point: a function ends once every path of it meets one that ends; more
  // functions ending only makes more end, so the iteration stops.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const std::string &Key : Keys) {
      ProgramFunction &F = Functions[Key];
      if (F.End != Ending::Returns)
        continue;
      const std::vector<const FunctionSummary *> &Defs = Definitions[Key];
      bool AllEnd = !Defs.empty();
      ProgramFunction Resolved = F;
      for (const FunctionSummary *Def : Defs) {
        if (Def->End != Ending::Returns) {
          if (Def->End == Ending::Exits)
            Resolved.End = Ending::Exits;
          continue;
        }
        ProgramFunction Through = F;
        if (Def->EndGraph.empty() || !endsThrough(*Def, Through)) {
          AllEnd = false;
          break;
        }
        if (Resolved.End != Ending::Exits) {
          Resolved.End = Through.End;
          Resolved.EndingCall = Through.EndingCall;
          Resolved.EndingCallee = Through.EndingCallee;
        }
      }
      if (AllEnd && Resolved.End != Ending::Returns) {
        F = Resolved;
        Changed = true;
      }
    }
  }
}

void ProgramFacts::resolveWaits() {
  // Backwards from the functions that wait, along the calls.
  llvm::StringMap<std::vector<std::string>> Callers;
  for (const std::string &Key : Keys)
    for (const FunctionSummary *Def : Definitions[Key])
      for (const std::string &Callee : Def->Callees)
        Callers[Callee].push_back(Key);
  std::deque<std::string> Work;
  for (const std::string &Key : Keys)
    if (Functions[Key].Waits)
      Work.push_back(Key);
  while (!Work.empty()) {
    std::string Key = Work.front();
    Work.pop_front();
    const ProgramFunction &Waiter = Functions[Key];
    for (const std::string &Caller : Callers.lookup(Key)) {
      ProgramFunction &C = Functions[Caller];
      bool Grows = (!C.Waits) || (!C.AnyChildWait.valid() && Waiter.AnyChildWait.valid());
      if (!Grows)
        continue;
      C.Waits = true;
      if (!C.AnyChildWait.valid())
        C.AnyChildWait = Waiter.AnyChildWait;
      Work.push_back(Caller);
    }
  }
}

void ProgramFacts::resolveReapers() {
  for (const TranslationUnitSummary &TU : Summaries)
    for (const ReaperCandidate &R : TU.Reapers) {
      const ProgramFunction *F = R.FunctionKey.empty() ? nullptr : function(R.FunctionKey);
      bool Reaps = R.What == ReaperCandidate::Reaps ||
                   (R.What == ReaperCandidate::Handler && (!F || F->Waits)) ||
                   (R.What == ReaperCandidate::Thread && F && F->AnyChildWait.valid());
      if (Reaps)
        Reapers.emplace_back(R.Where, R.Owner);
    }
}

void ProgramFacts::resolveEntries() {
  std::vector<std::string> Entries;
  for (const std::string &Key : Keys)
    for (const FunctionSummary *Def : Definitions[Key])
      if (Def->Entry) {
        Entries.push_back(Key);
        break;
      }
  SeveralPrograms = Entries.size() > 1;
  if (!SeveralPrograms)
    return;
  for (unsigned Entry = 0; Entry < Entries.size(); ++Entry) {
    llvm::StringSet<> Seen;
    std::deque<std::string> Work{Entries[Entry]};
    while (!Work.empty()) {
      std::string Key = std::move(Work.front());
      Work.pop_front();
      if (!Seen.insert(Key).second)
        continue;
      EntriesReaching[Key].push_back(Entry); // in increasing order: sorted
      for (const FunctionSummary *Def : Definitions.lookup(Key)) {
        Work.insert(Work.end(), Def->Callees.begin(), Def->Callees.end());
        Work.insert(Work.end(), Def->References.begin(), Def->References.end());
      }
    }
  }
}

bool ProgramFacts::mayShareProcess(llvm::StringRef FunctionKey, llvm::StringRef OtherKey) const {
  if (!SeveralPrograms)
    return true;
  auto A = EntriesReaching.find(FunctionKey), B = EntriesReaching.find(OtherKey);
  if (A == EntriesReaching.end() || B == EntriesReaching.end())
    return false; // reached from no entry point we see: its program is unknown
  const std::vector<unsigned> &X = A->second, &Y = B->second;
  for (size_t I = 0, J = 0; I < X.size() && J < Y.size();) {
    if (X[I] == Y[J])
      return true;
    X[I] < Y[J] ? ++I : ++J;
  }
  return false;
}

template <typename Candidates, typename OwnerOf, typename Eligible>
static auto firstCoveringEveryProcess(const ProgramFacts &Facts, llvm::StringRef Forking,
                                      const Candidates &All, OwnerOf Owner, Eligible Ok)
    -> decltype(&*All.begin()) {
  decltype(&*All.begin()) First = nullptr;
  std::vector<unsigned> Uncovered = Facts.entriesReaching(Forking);
  for (const auto &Candidate : All) {
    if (!Ok(Candidate))
      continue;
    if (!Facts.severalPrograms())
      return &Candidate;
    const std::vector<unsigned> &Covers = Facts.entriesReaching(Owner(Candidate));
    size_t Before = Uncovered.size();
    Uncovered.erase(std::remove_if(Uncovered.begin(), Uncovered.end(),
                                   [&](unsigned E) {
                                     return std::binary_search(Covers.begin(), Covers.end(), E);
                                   }),
                    Uncovered.end());
    if (Uncovered.size() < Before && !First)
      First = &Candidate;
    if (Uncovered.empty())
      return First;
  }
  return nullptr;
}

SourcePosition ProgramFacts::backgroundReaperFor(llvm::StringRef Forking) const {
  const auto *Found = firstCoveringEveryProcess(
      *this, Forking, Reapers, [](const auto &R) -> llvm::StringRef { return R.second; },
      [](const auto &) { return true; });
  return Found ? Found->first : SourcePosition();
}

const std::vector<unsigned> &ProgramFacts::entriesReaching(llvm::StringRef Key) const {
  static const std::vector<unsigned> None;
  auto Found = EntriesReaching.find(Key);
  return Found == EntriesReaching.end() ? None : Found->second;
}

const ProgramFacts::ThreadStart *ProgramFacts::threadCreationFor(llvm::StringRef Forking) const {
  for (const ThreadStart &Start : Threads)
    if (mayShareProcess(Forking, Start.Owner))
      return &Start;
  return nullptr;
}

bool ProgramFacts::signalSettingUndoneOutside(bool Mask, int64_t Signal, llvm::StringRef Owner,
                                              llvm::StringRef File) const {
  return llvm::any_of(SignalSettings, [&](const auto &Undo) {
    const SignalSetting &U = *Undo.first;
    // An undo in a function no entry point reaches may run anywhere: it still counts.
    return U.undo() && Undo.second != File && U.isOf(Mask, Signal) &&
           (entriesReaching(U.Owner).empty() || mayShareProcess(U.Owner, Owner));
  });
}

std::vector<const SignalSetting *> ProgramFacts::signalSettingsFor(llvm::StringRef Forking,
                                                                   llvm::StringRef File) const {
  std::vector<const SignalSetting *> InEffect;
  for (const auto &Entry : SignalSettings) {
    const SignalSetting &S = *Entry.first;
    if (!S.undo() && Entry.second != File && mayShareProcess(Forking, S.Owner) &&
        !signalSettingUndoneOutside(S.onMask(), S.Signal, S.Owner, Entry.second))
      InEffect.push_back(&S);
  }
  return InEffect;
}

std::vector<const OpenDescriptor *> ProgramFacts::openDescriptorsFor(llvm::StringRef Forking,
                                                                     llvm::StringRef File) const {
  std::vector<const OpenDescriptor *> Open;
  for (const auto &Entry : OpenDescriptors)
    if (Entry.second != File && mayShareProcess(Forking, Entry.first->Owner))
      Open.push_back(Entry.first);
  return Open;
}

std::vector<const SignalSetting *>
ProgramFacts::signalFactsFor(const TranslationUnitSummary &TU) const {
  std::vector<const SignalSetting *> Facts;
  for (const auto &Entry : SignalSettings) {
    const SignalSetting &Other = *Entry.first;
    if (Entry.second == TU.File)
      continue;
    auto Concerns = [&](const FunctionSummary &F) {
      return mayShareProcess(F.Key, Other.Owner);
    };
    auto Undoes = [&](const SignalSetting &Own) {
      return !Own.undo() && Own.isOf(Other.onMask(), Other.Signal) &&
             (entriesReaching(Other.Owner).empty() || mayShareProcess(Own.Owner, Other.Owner));
    };
    bool Matters = Other.undo() ? llvm::any_of(TU.SignalSettings, Undoes)
                                : llvm::any_of(TU.Functions, Concerns) &&
                                      !signalSettingUndoneOutside(Other.onMask(), Other.Signal,
                                                                  Other.Owner, Entry.second);
    if (Matters)
      Facts.push_back(&Other);
  }
  return Facts;
}

std::string ProgramFacts::describe(const SourcePosition &Where,
                                   llvm::StringRef FunctionKey) const {
  std::string Text = describe(Where);
  if (const ProgramFunction *F = function(FunctionKey))
    Text += " (by '" + F->Name + "')";
  return Text;
}

const ProgramFunction *ProgramFacts::function(llvm::StringRef Key) const {
  auto Found = Functions.find(Key);
  return Found == Functions.end() ? nullptr : &Found->second;
}

SourcePosition ProgramFacts::anyChildWaitOutside(llvm::StringRef Except) const {
  const auto *Found = firstCoveringEveryProcess(
      *this, Except, AnyChildWaits, [](const auto &W) -> llvm::StringRef { return W.first; },
      [&](const auto &W) { return W.first != Except; });
  return Found ? Found->second : SourcePosition();
}

/// The facts file's first line: this prefix, the names of the forking functions, the opening.
static std::string factsHeaderPrefix() {
  return "{\"version\":" + std::to_string(TranslationUnitSummary::Version) +
         ",\"forkingFunctions\":";
}
static constexpr const char *FactsUnitsOpening = ",\"translationUnits\":[";

std::string writeFactsFile(llvm::StringRef Path, const std::vector<TranslationUnitSummary> &All) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_Text);
  if (EC)
    return "cannot write '" + Path.str() + "': " + EC.message();
  // The fork wrappers' names first, on a line of their own: a compiler that loads the facts
  // for one TU reads only them unless the TU may fork (readForkingFunctionNames).
  llvm::json::Array Names;
  const ProgramFacts Merged(All); // named: a temporary's member would dangle in the loop
  for (const std::string &Name : Merged.forkingFunctionNames())
    Names.push_back(Name);
  // One TU's JSON at a time: a database's whole tree would take many times the file's size.
  // In the order of the files, as ProgramFacts keeps them.
  std::vector<const TranslationUnitSummary *> Order;
  for (const TranslationUnitSummary &S : All)
    Order.push_back(&S);
  std::stable_sort(Order.begin(), Order.end(), [](const auto *A, const auto *B) {
    return A->File < B->File;
  });
  OS << factsHeaderPrefix() << llvm::json::Value(std::move(Names)) << FactsUnitsOpening;
  for (size_t I = 0; I < Order.size(); ++I)
    OS << (I ? ",\n" : "\n") << toJson(*Order[I]);
  OS << "\n]}\n";
  OS.close();
  if (OS.has_error())
    return "cannot write '" + Path.str() + "': " + OS.error().message();
  return "";
}

std::optional<std::vector<std::string>> readForkingFunctionNames(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return std::nullopt;
  llvm::StringRef First = (*Buffer)->getBuffer().split('\n').first;
  std::string Prefix = factsHeaderPrefix();
  size_t End = First.find(FactsUnitsOpening);
  if (!compat::startsWith(First, Prefix) || End == llvm::StringRef::npos)
    return std::nullopt;
  llvm::Expected<llvm::json::Value> Parsed =
      llvm::json::parse(First.slice(Prefix.size(), End));
  if (!Parsed) {
    llvm::consumeError(Parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Array *Names = Parsed->getAsArray();
  if (!Names)
    return std::nullopt;
  std::vector<std::string> Out;
  for (const llvm::json::Value &Name : *Names)
    if (auto Text = Name.getAsString())
      Out.push_back(Text->str());
  return Out;
}

std::string staleFactsWarning(llvm::StringRef Path, const ProgramFacts &Facts,
                              llvm::StringRef MainFile) {
  llvm::sys::fs::file_status FactsStatus;
  if (llvm::sys::fs::status(Path, FactsStatus))
    return "";
  std::string Newer;
  unsigned More = 0;
  for (const TranslationUnitSummary &TU : Facts.summaries()) {
    llvm::sys::fs::file_status Status;
    if (TU.File == MainFile || llvm::sys::fs::status(TU.File, Status) ||
        Status.getLastModificationTime() <= FactsStatus.getLastModificationTime())
      continue;
    if (Newer.empty())
      Newer = TU.File;
    else
      ++More;
  }
  if (Newer.empty())
    return "";
  return "the facts file '" + Path.str() + "' is older than '" + Newer + "'" +
         (More ? " and " + std::to_string(More) + " more files" : std::string()) +
         " it describes; its facts may be stale (collect them again)";
}

/// A file as writeFactsFile writes it (the header line, one TU per line, `]}`): each TU's JSON,
/// to be read one at a time, since the whole tree of a large program's file would take many
/// times its size. None for any other layout (read as one JSON document instead).
static std::optional<std::vector<llvm::StringRef>> writtenUnits(llvm::StringRef Text) {
  auto [Header, Rest] = Text.split('\n');
  llvm::StringRef Body = Rest.rtrim();
  if (!compat::startsWith(Header, factsHeaderPrefix()) ||
      !compat::endsWith(Header, FactsUnitsOpening) || !compat::endsWith(Body, "\n]}"))
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Body.drop_back(3).split(Lines, '\n', -1, /*KeepEmpty=*/false);
  std::vector<llvm::StringRef> Units;
  for (llvm::StringRef Line : Lines) {
    Line = Line.rtrim();
    Units.push_back(compat::endsWith(Line, ",") ? Line.drop_back() : Line);
  }
  return Units;
}

llvm::Expected<std::vector<TranslationUnitSummary>> readFactsFile(llvm::StringRef Path) {
  auto Error = [&](const std::string &What) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "facts file '%s' %s",
                                   Path.str().c_str(), What.c_str());
  };
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return Error("cannot be read: " + Buffer.getError().message());
  std::vector<TranslationUnitSummary> All;
  auto Add = [&](const llvm::json::Value &Unit) -> llvm::Error {
    llvm::Expected<TranslationUnitSummary> Summary = summaryFromJson(Unit);
    if (!Summary)
      return Error("is damaged: " + llvm::toString(Summary.takeError()));
    All.push_back(std::move(*Summary));
    return llvm::Error::success();
  };
  if (std::optional<std::vector<llvm::StringRef>> Lines = writtenUnits((*Buffer)->getBuffer())) {
    for (llvm::StringRef Line : *Lines) {
      llvm::Expected<llvm::json::Value> Unit = llvm::json::parse(Line);
      if (!Unit)
        return Error("is not JSON: " + llvm::toString(Unit.takeError()));
      if (llvm::Error Damaged = Add(*Unit))
        return std::move(Damaged);
    }
    return All;
  }
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed)
    return Error("is not JSON: " + llvm::toString(Parsed.takeError()));
  const llvm::json::Object *Top = Parsed->getAsObject();
  if (!Top || !Top->getInteger("version") ||
      *Top->getInteger("version") != TranslationUnitSummary::Version)
    return Error("is of another version (this fork-hazard reads version " +
                 std::to_string(TranslationUnitSummary::Version) + "); collect it again");
  const llvm::json::Array *Units = Top->getArray("translationUnits");
  if (!Units)
    return Error("has no 'translationUnits'");
  for (const llvm::json::Value &Unit : *Units)
    if (llvm::Error Damaged = Add(Unit))
      return std::move(Damaged);
  return All;
}

} // namespace forkhazard

#include "analysis/ProgramSummary.h"

#include "analysis/Compat.h"
#include "llvm/Support/JSON.h"
#include <deque>

namespace forkhazard {

std::string SourcePosition::text(llvm::StringRef Root) const {
  llvm::StringRef Path = File;
  if (!Root.empty() && compat::startsWith(Path, Root) && Path.size() > Root.size() &&
      (compat::endsWith(Root, "/") || Path[Root.size()] == '/'))
    Path = Path.drop_front(Root.size()).ltrim('/');
  return Path.str() + ":" + std::to_string(Line) + ":" + std::to_string(Column);
}

bool reachesExit(const std::vector<EndingBlock> &Graph,
                 llvm::function_ref<bool(const EndingBlock &)> GoesOn) {
  std::vector<bool> Seen(Graph.size());
  std::deque<unsigned> Work{0};
  while (!Work.empty()) {
    unsigned Block = Work.front();
    Work.pop_front();
    if (Seen[Block])
      continue;
    Seen[Block] = true;
    if (Block == 1)
      return true;
    if (GoesOn(Graph[Block]))
      Work.insert(Work.end(), Graph[Block].Successors.begin(), Graph[Block].Successors.end());
  }
  return false;
}

namespace {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

/// A flag that may be absent (llvm::Optional up to LLVM 15, std::optional after).
bool flag(const Object &O, llvm::StringRef Key, bool Default) {
  auto Found = O.getBoolean(Key);
  return Found ? *Found : Default;
}

Value position(const SourcePosition &P) {
  if (!P.valid())
    return nullptr;
  return Array{P.File, P.Line, P.Column};
}

const char *const SignalSettingNames[] = {"ignores", "blocks", "resetsDisposition",
                                          "restoresMask"};

Value signalSetting(const SignalSetting &S) {
  Object O{{"setting", SignalSettingNames[S.What]}, {"where", position(S.Where)},
           {"owner", S.Owner}};
  if (!S.onMask()) {
    O["signal"] = S.Signal;
    O["name"] = S.SignalName;
  }
  return O;
}

Value openDescriptor(const OpenDescriptor &D) {
  return Object{{"variable", D.Variable}, {"name", D.Name},        {"creator", D.Creator},
                {"flag", D.Flag},         {"where", position(D.Where)}, {"owner", D.Owner}};
}

Value range(const PidRange &R) { return Array{R.Low, R.High}; }

Value processValues(const RoleTellingValues &V) {
  Object O{{"child", range(V.Child)}, {"parent", range(V.Parent)}};
  if (V.Failed)
    O["failed"] = range(*V.Failed);
  return O;
}

const char *endingName(Ending E) {
  switch (E) {
  case Ending::Returns:
    return "returns";
  case Ending::Exits:
    return "exit";
  case Ending::EndsImmediately:
    return "immediate";
  }
  return "returns";
}

Value strings(const std::vector<std::string> &Items) {
  Array Out;
  for (const std::string &Item : Items)
    Out.push_back(Item);
  return Out;
}

Value function(const FunctionSummary &F) {
  Object O{{"key", F.Key}, {"name", F.Name}, {"where", position(F.Where)}};
  if (F.Static)
    O["static"] = true;
  if (F.End != Ending::Returns) {
    O["ends"] = endingName(F.End);
    O["endingCall"] = position(F.EndingCall);
    O["endingCallee"] = F.EndingCallee;
  }
  if (!F.EndGraph.empty()) {
    Array Blocks;
    for (const EndingBlock &B : F.EndGraph) {
      Array Successors;
      for (unsigned S : B.Successors)
        Successors.push_back(S);
      Object Block{{"next", std::move(Successors)}};
      if (B.Ends)
        Block["ends"] = B.RunsExitHooks ? "exit" : "immediate";
      if (!B.Callees.empty())
        Block["calls"] = strings(B.Callees);
      Blocks.push_back(std::move(Block));
    }
    O["endGraph"] = std::move(Blocks);
  }
  if (F.Waits)
    O["waits"] = true;
  if (F.AnyChildWait.valid())
    O["anyChildWait"] = position(F.AnyChildWait);
  if (!F.Callees.empty())
    O["calls"] = strings(F.Callees);
  if (F.Entry)
    O["entry"] = true;
  if (!F.References.empty())
    O["references"] = strings(F.References);
  if (F.MayThrow)
    O["throws"] = Object{{"type", F.ThrownType}, {"at", position(F.ThrowPoint)}};
  if (F.HandsChildToCaller)
    O["handsChildToCaller"] = position(F.ChildCreation);
  if (F.ForkWrapper) {
    O["forkWrapper"] = true;
    O["wrapperMayReturnFailure"] = F.WrapperMayReturnFailure;
  }
  if (F.ProcessValues)
    O["processValues"] = processValues(*F.ProcessValues);
  if (F.Unsafe)
    O["unsafe"] = Object{{"kind", F.Unsafe->Kind},
                         {"name", F.Unsafe->Name},
                         {"resource", F.Unsafe->Resource},
                         {"via", F.Unsafe->Via},
                         {"at", position(F.Unsafe->At)}};
  if (!F.ChildCallees.empty())
    O["childCalls"] = strings(F.ChildCallees);
  if (!F.ThrowsThrough.empty())
    O["throwsThrough"] = strings(F.ThrowsThrough);
  if (!F.ParametersOnlyUsed.empty()) {
    Array Parameters;
    for (unsigned P : F.ParametersOnlyUsed)
      Parameters.push_back(P);
    O["parametersOnlyUsed"] = std::move(Parameters);
  }
  return O;
}

const char *reaperName(ReaperCandidate::Kind K) {
  switch (K) {
  case ReaperCandidate::Reaps:
    return "reaps";
  case ReaperCandidate::Handler:
    return "handler";
  case ReaperCandidate::Thread:
    return "thread";
  }
  return "reaps";
}

/// Reading: each helper returns false (and sets Problem) when the JSON is not what toJson
/// writes.
struct Reader {
  std::string Problem;

  bool fail(const std::string &What) {
    if (Problem.empty())
      Problem = What;
    return false;
  }

  bool position(const Value *V, SourcePosition &Out) {
    if (!V || V->getAsNull())
      return true;
    const Array *A = V->getAsArray();
    if (!A || A->size() != 3 || !(*A)[0].getAsString() || !(*A)[1].getAsInteger() ||
        !(*A)[2].getAsInteger())
      return fail("a position is not [file, line, column]");
    Out.File = (*A)[0].getAsString()->str();
    Out.Line = unsigned(*(*A)[1].getAsInteger());
    Out.Column = unsigned(*(*A)[2].getAsInteger());
    return true;
  }

  bool strings(const Value *V, std::vector<std::string> &Out) {
    if (!V)
      return true;
    const Array *A = V->getAsArray();
    if (!A)
      return fail("a list of names is not an array");
    for (const Value &Item : *A) {
      if (!Item.getAsString())
        return fail("a list of names holds something else");
      Out.push_back(Item.getAsString()->str());
    }
    return true;
  }

  bool range(const Value *V, PidRange &Out) {
    const Array *A = V ? V->getAsArray() : nullptr;
    if (!A || A->size() != 2 || !(*A)[0].getAsInteger() || !(*A)[1].getAsInteger())
      return fail("a range of values is not [low, high]");
    Out = {*(*A)[0].getAsInteger(), *(*A)[1].getAsInteger()};
    return true;
  }

  bool processValues(const Object &O, RoleTellingValues &Out) {
    if (!range(O.get("child"), Out.Child) || !range(O.get("parent"), Out.Parent))
      return false;
    if (const Value *Failed = O.get("failed")) {
      Out.Failed.emplace();
      return range(Failed, *Out.Failed);
    }
    return true;
  }

  bool discarded(const Value &V, DiscardedResult &Out) {
    const Object *O = V.getAsObject();
    if (!O || !O->getString("function") || !O->getString("caller"))
      return fail("a discarded result has no 'function' or 'caller'");
    Out.FunctionKey = O->getString("function")->str();
    Out.Caller = O->getString("caller")->str();
    return position(O->get("where"), Out.Where);
  }

  bool ending(llvm::StringRef Name, Ending &Out) {
    if (Name == "exit")
      Out = Ending::Exits;
    else if (Name == "immediate")
      Out = Ending::EndsImmediately;
    else
      return fail("unknown ending '" + Name.str() + "'");
    return true;
  }

  bool block(const Value &V, EndingBlock &Out) {
    const Object *O = V.getAsObject();
    const Array *Next = O ? O->getArray("next") : nullptr;
    if (!Next)
      return fail("a block of an end graph has no 'next'");
    for (const Value &S : *Next) {
      if (!S.getAsInteger())
        return fail("a block's successor is not a number");
      Out.Successors.push_back(unsigned(*S.getAsInteger()));
    }
    if (auto Ends = O->getString("ends")) {
      Out.Ends = true;
      Out.RunsExitHooks = *Ends == "exit";
    }
    return strings(O->get("calls"), Out.Callees);
  }

  bool function(const Value &V, FunctionSummary &Out) {
    const Object *O = V.getAsObject();
    if (!O || !O->getString("key") || !O->getString("name"))
      return fail("a function has no 'key' or 'name'");
    Out.Key = O->getString("key")->str();
    Out.Name = O->getString("name")->str();
    Out.Static = flag(*O, "static", false);
    if (!position(O->get("where"), Out.Where))
      return false;
    if (auto Ends = O->getString("ends")) {
      if (!ending(*Ends, Out.End) || !position(O->get("endingCall"), Out.EndingCall))
        return false;
      if (auto Callee = O->getString("endingCallee"))
        Out.EndingCallee = Callee->str();
    }
    if (const Array *Graph = O->getArray("endGraph")) {
      for (const Value &B : *Graph) {
        Out.EndGraph.emplace_back();
        if (!block(B, Out.EndGraph.back()))
          return false;
      }
      for (const EndingBlock &B : Out.EndGraph)
        for (unsigned S : B.Successors)
          if (S >= Out.EndGraph.size())
            return fail("a block's successor is out of range");
      if (Out.EndGraph.size() < 2)
        return fail("an end graph has no entry and exit");
    }
    Out.Waits = flag(*O, "waits", false);
    if (!position(O->get("anyChildWait"), Out.AnyChildWait) ||
        !strings(O->get("calls"), Out.Callees) ||
        !strings(O->get("references"), Out.References))
      return false;
    Out.Entry = flag(*O, "entry", false);
    if (const Object *Throws = O->getObject("throws")) {
      Out.MayThrow = true;
      if (auto Type = Throws->getString("type"))
        Out.ThrownType = Type->str();
      if (!position(Throws->get("at"), Out.ThrowPoint))
        return false;
    }
    if (const Value *Child = O->get("handsChildToCaller")) {
      Out.HandsChildToCaller = true;
      if (!position(Child, Out.ChildCreation))
        return false;
    }
    Out.ForkWrapper = flag(*O, "forkWrapper", false);
    Out.WrapperMayReturnFailure = flag(*O, "wrapperMayReturnFailure", true);
    if (const Object *Values = O->getObject("processValues")) {
      Out.ProcessValues.emplace();
      if (!processValues(*Values, *Out.ProcessValues))
        return false;
    }
    if (const Object *Unsafe = O->getObject("unsafe")) {
      Out.Unsafe.emplace();
      auto Text = [&](llvm::StringRef Key) {
        auto Found = Unsafe->getString(Key);
        return Found ? Found->str() : std::string();
      };
      Out.Unsafe->Kind = Text("kind");
      Out.Unsafe->Name = Text("name");
      Out.Unsafe->Resource = Text("resource");
      Out.Unsafe->Via = Text("via");
      if (!position(Unsafe->get("at"), Out.Unsafe->At))
        return false;
    }
    if (!strings(O->get("childCalls"), Out.ChildCallees) ||
        !strings(O->get("throwsThrough"), Out.ThrowsThrough))
      return false;
    if (const Array *Parameters = O->getArray("parametersOnlyUsed"))
      for (const Value &P : *Parameters) {
        if (!P.getAsInteger() || *P.getAsInteger() < 0)
          return fail("a parameter's index is not a number");
        Out.ParametersOnlyUsed.push_back(unsigned(*P.getAsInteger()));
      }
    return true;
  }

  bool signalSetting(const Value &V, SignalSetting &Out) {
    const Object *O = V.getAsObject();
    if (!O || !O->getString("setting"))
      return fail("a signal setting has no 'setting'");
    llvm::StringRef Kind = *O->getString("setting");
    auto Known = llvm::find(SignalSettingNames, Kind);
    if (Known == std::end(SignalSettingNames))
      return fail("unknown signal setting '" + Kind.str() + "'");
    Out.What = SignalSetting::Kind(Known - std::begin(SignalSettingNames));
    if (!Out.onMask()) {
      auto Signal = O->getInteger("signal");
      auto Name = O->getString("name");
      if (!Signal || !Name)
        return fail("a signal setting has no 'signal' or 'name'");
      Out.Signal = *Signal;
      Out.SignalName = Name->str();
    }
    if (auto Owner = O->getString("owner"))
      Out.Owner = Owner->str();
    return position(O->get("where"), Out.Where);
  }

  bool openDescriptor(const Value &V, OpenDescriptor &Out) {
    const Object *O = V.getAsObject();
    if (!O || !O->getString("variable") || !O->getString("name"))
      return fail("an open descriptor has no 'variable' or 'name'");
    auto Text = [&](llvm::StringRef Key) {
      auto Found = O->getString(Key);
      return Found ? Found->str() : std::string();
    };
    Out.Variable = Text("variable");
    Out.Name = Text("name");
    Out.Creator = Text("creator");
    Out.Flag = Text("flag");
    Out.Owner = Text("owner");
    return position(O->get("where"), Out.Where);
  }

  bool reaper(const Value &V, ReaperCandidate &Out) {
    const Object *O = V.getAsObject();
    if (!O || !O->getString("kind"))
      return fail("a reaper has no 'kind'");
    auto Kind = O->getString("kind");
    if (*Kind == "reaps")
      Out.What = ReaperCandidate::Reaps;
    else if (*Kind == "handler")
      Out.What = ReaperCandidate::Handler;
    else if (*Kind == "thread")
      Out.What = ReaperCandidate::Thread;
    else
      return fail("unknown reaper kind '" + Kind->str() + "'");
    if (auto Key = O->getString("function"))
      Out.FunctionKey = Key->str();
    if (auto Owner = O->getString("owner"))
      Out.Owner = Owner->str();
    return position(O->get("where"), Out.Where);
  }
};

} // namespace

Value toJson(const TranslationUnitSummary &Summary) {
  Array Functions;
  for (const FunctionSummary &F : Summary.Functions)
    Functions.push_back(function(F));
  Array Reapers;
  for (const ReaperCandidate &R : Summary.Reapers) {
    Object O{{"kind", reaperName(R.What)}, {"where", position(R.Where)}};
    if (!R.FunctionKey.empty())
      O["function"] = R.FunctionKey;
    if (!R.Owner.empty())
      O["owner"] = R.Owner;
    Reapers.push_back(std::move(O));
  }
  Object O{{"version", int64_t(TranslationUnitSummary::Version)},
           {"file", Summary.File},
           {"functions", std::move(Functions)},
           {"reapers", std::move(Reapers)}};
  if (!Summary.DiscardedResults.empty()) {
    Array Discarded;
    for (const DiscardedResult &D : Summary.DiscardedResults)
      Discarded.push_back(
          Object{{"function", D.FunctionKey}, {"where", position(D.Where)}, {"caller", D.Caller}});
    O["discardedResults"] = std::move(Discarded);
  }
  if (!Summary.SignalSettings.empty()) {
    Array Settings;
    for (const SignalSetting &S : Summary.SignalSettings)
      Settings.push_back(signalSetting(S));
    O["signalSettings"] = std::move(Settings);
  }
  if (!Summary.OpenDescriptors.empty()) {
    Array Open;
    for (const OpenDescriptor &D : Summary.OpenDescriptors)
      Open.push_back(openDescriptor(D));
    O["openDescriptors"] = std::move(Open);
  }
  if (Summary.ThreadCreation.valid()) {
    O["threadCreation"] = position(Summary.ThreadCreation);
    O["threadCreator"] = Summary.ThreadCreator;
    if (!Summary.ThreadCreationOwner.empty())
      O["threadCreationOwner"] = Summary.ThreadCreationOwner;
  }
  return O;
}

llvm::Expected<TranslationUnitSummary> summaryFromJson(const Value &V) {
  auto Error = [](const std::string &What) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", What.c_str());
  };
  const Object *O = V.getAsObject();
  if (!O)
    return Error("a summary is not an object");
  auto Version = O->getInteger("version");
  if (!Version || *Version != TranslationUnitSummary::Version)
    return Error("a summary of another version (this is version " +
                 std::to_string(TranslationUnitSummary::Version) + ")");
  TranslationUnitSummary Summary;
  Reader Read;
  if (auto File = O->getString("file"))
    Summary.File = File->str();
  else
    return Error("a summary has no 'file'");
  if (const Array *Functions = O->getArray("functions"))
    for (const Value &F : *Functions) {
      Summary.Functions.emplace_back();
      if (!Read.function(F, Summary.Functions.back()))
        return Error(Read.Problem);
    }
  if (const Array *Reapers = O->getArray("reapers"))
    for (const Value &R : *Reapers) {
      Summary.Reapers.emplace_back();
      if (!Read.reaper(R, Summary.Reapers.back()))
        return Error(Read.Problem);
    }
  if (const Array *Discarded = O->getArray("discardedResults"))
    for (const Value &D : *Discarded) {
      Summary.DiscardedResults.emplace_back();
      if (!Read.discarded(D, Summary.DiscardedResults.back()))
        return Error(Read.Problem);
    }
  if (const Array *Settings = O->getArray("signalSettings"))
    for (const Value &S : *Settings) {
      Summary.SignalSettings.emplace_back();
      if (!Read.signalSetting(S, Summary.SignalSettings.back()))
        return Error(Read.Problem);
    }
  if (const Array *Open = O->getArray("openDescriptors"))
    for (const Value &D : *Open) {
      Summary.OpenDescriptors.emplace_back();
      if (!Read.openDescriptor(D, Summary.OpenDescriptors.back()))
        return Error(Read.Problem);
    }
  if (!Read.position(O->get("threadCreation"), Summary.ThreadCreation))
    return Error(Read.Problem);
  if (auto Creator = O->getString("threadCreator"))
    Summary.ThreadCreator = Creator->str();
  if (auto Owner = O->getString("threadCreationOwner"))
    Summary.ThreadCreationOwner = Owner->str();
  return Summary;
}

} // namespace forkhazard

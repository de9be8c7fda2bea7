#include "core/ConfigFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

namespace forkhazard {

std::string findConfigFile(llvm::StringRef SourceFile) {
  if (SourceFile.empty() || SourceFile == "-")
    return "";
  llvm::SmallString<256> Directory(SourceFile);
  if (llvm::sys::fs::make_absolute(Directory))
    return "";
  llvm::sys::path::remove_filename(Directory);
  for (llvm::StringRef Dir = Directory; !Dir.empty(); Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, ConfigFileName);
    if (llvm::sys::fs::is_regular_file(Candidate))
      return std::string(Candidate.str());
  }
  return "";
}

namespace {
/// Collects the YAML parser's first error instead of letting it print to stderr.
struct ParseErrors {
  std::string First;
  static void handle(const llvm::SMDiagnostic &Diag, void *Context) {
    auto *Self = static_cast<ParseErrors *>(Context);
    if (Self->First.empty())
      Self->First = std::to_string(Diag.getLineNo()) + ":" +
                    std::to_string(Diag.getColumnNo() + 1) + ": " + Diag.getMessage().str();
  }
};

std::string position(llvm::SourceMgr &SM, llvm::yaml::Node *Node) {
  auto LineAndColumn = SM.getLineAndColumn(Node->getSourceRange().Start);
  return std::to_string(LineAndColumn.first) + ":" + std::to_string(LineAndColumn.second);
}

/// A scalar, or a list of scalars joined with commas; sets Problem for anything else.
std::string valueText(llvm::yaml::Node *Value, std::string &Problem) {
  llvm::SmallString<64> Storage;
  if (auto *Scalar = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(Value))
    return Scalar->getValue(Storage).str();
  if (auto *List = llvm::dyn_cast_or_null<llvm::yaml::SequenceNode>(Value)) {
    std::string Joined;
    for (llvm::yaml::Node &Item : *List) {
      auto *Scalar = llvm::dyn_cast<llvm::yaml::ScalarNode>(&Item);
      if (!Scalar) {
        Problem = "may only list names";
        return "";
      }
      Storage.clear();
      Joined += (Joined.empty() ? "" : ",") + Scalar->getValue(Storage).str();
    }
    return Joined;
  }
  Problem = "needs a value (a string, or a list of names)";
  return "";
}
} // namespace

std::string loadConfigFile(llvm::StringRef Path, Options &Opts) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return Path.str() + ": cannot read the config file: " + Buffer.getError().message();
  llvm::SourceMgr SM;
  ParseErrors Errors;
  SM.setDiagHandler(ParseErrors::handle, &Errors);
  llvm::yaml::Stream Stream((*Buffer)->getBuffer(), SM);
  std::string Problem;
  llvm::StringSet<> Seen;
  for (llvm::yaml::Document &Document : Stream) {
    llvm::yaml::Node *Root = Document.getRoot();
    if (!Root || llvm::isa<llvm::yaml::NullNode>(Root))
      continue; // an empty file, or only comments
    auto *Mapping = llvm::dyn_cast<llvm::yaml::MappingNode>(Root);
    if (!Mapping) {
      if (Errors.First.empty())
        Problem = position(SM, Root) + ": expected 'key: value' lines";
      break;
    }
    for (llvm::yaml::KeyValueNode &Entry : *Mapping) {
      auto *KeyNode = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(Entry.getKey());
      if (!KeyNode)
        break; // a parse error: reported below
      llvm::SmallString<32> KeyStorage;
      std::string Key = KeyNode->getValue(KeyStorage).str();
      llvm::yaml::Node *Value = Entry.getValue();
      std::string Text = valueText(Value, Problem);
      if (!Problem.empty())
        Problem = "'" + Key + "' " + Problem;
      if (!Errors.First.empty())
        break;
      if (Problem.empty() && !Seen.insert(Key).second)
        Problem = "key '" + Key + "' appears twice";
      if (Problem.empty())
        Problem = Opts.applyConfigKey(Key, Text);
      if (!Problem.empty()) {
        Problem = position(SM, KeyNode) + ": " + Problem;
        break;
      }
    }
    break; // one document
  }
  if (!Errors.First.empty())
    return Path.str() + ":" + Errors.First;
  if (!Problem.empty())
    return Path.str() + ":" + Problem;
  if (!Opts.FactsFile.empty() && llvm::sys::path::is_relative(Opts.FactsFile)) {
    llvm::SmallString<256> Beside(llvm::sys::path::parent_path(Path));
    llvm::sys::path::append(Beside, Opts.FactsFile); // a path in the file is relative to it
    Opts.FactsFile = std::string(Beside.str());
  }
  return "";
}

std::string originalOfPreprocessed(llvm::StringRef PreprocessedFile) {
  auto Buffer = llvm::MemoryBuffer::getFile(PreprocessedFile);
  if (!Buffer)
    return "";
  llvm::StringRef First = (*Buffer)->getBuffer().split('\n').first;
  // "# 1 \"name\"" (GCC's and clang's -E) or "#line 1 \"name\"" (-P is markerless)
  if (!First.consume_front("#"))
    return "";
  First = First.ltrim();
  First.consume_front("line");
  First = First.ltrim().drop_while([](char C) { return C >= '0' && C <= '9'; }).ltrim();
  if (!First.consume_front("\""))
    return "";
  std::string Name = First.take_until([](char C) { return C == '"'; }).str();
  if (Name.empty() || Name[0] == '<' || !llvm::sys::fs::exists(Name))
    return "";
  return Name;
}

std::string optionsForFile(llvm::ArrayRef<std::string> Args, const OptionSyntax &Syntax,
                           llvm::StringRef SourceFile, Options &Out) {
  std::string Error;
  Options CommandLine;
  for (const std::string &Arg : Args)
    if (!CommandLine.applyArgument(Arg, Syntax, Error))
      return Error;
  if (CommandLine.Help) {
    Out = CommandLine;
    return "";
  }
  std::string ConfigPath = CommandLine.ConfigFile;
  if (ConfigPath.empty())
    ConfigPath = findConfigFile(SourceFile);
  Options Result;
  if (!ConfigPath.empty() && ConfigPath != "none") {
    Error = loadConfigFile(ConfigPath, Result);
    if (!Error.empty())
      return Error;
  }
  for (const std::string &Arg : Args)
    Result.applyArgument(Arg, Syntax, Error);
  Out = std::move(Result);
  return "";
}

} // namespace forkhazard

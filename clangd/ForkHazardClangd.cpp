// fork-hazard-clangd: clangd with fork-hazard's diagnostics. clangd loads no plugins, so this
// language server sits in front of it (or runs --standalone): docs/editors.md.
//
//   fork-hazard-clangd [--clangd=PATH] [--fork-hazard-<option>[=value]]... [clangd's options]
//   fork-hazard-clangd --standalone [--fork-hazard-<option>[=value]]...
#include "clangd/AnalysisWorker.h"
#include "clangd/DocumentAnalysis.h"
#include "clangd/Proxy.h"
#include "analysis/Compat.h"
#include "core/CheckDocs.h"
#include "core/Options.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

using namespace forkhazard;
using namespace forkhazard::clangd;

static void printHelp() {
  llvm::outs()
      << "OVERVIEW: fork-hazard-clangd: clangd with fork-hazard's diagnostics and quick fixes\n\n"
         "USAGE: fork-hazard-clangd [options] [clangd's options]\n\n"
         "  --clangd=PATH          the clangd to run (default: " FORK_HAZARD_CLANGD ")\n"
         "  --standalone           no clangd: a language server with fork-hazard's diagnostics\n"
         "                         only, for editors that run two servers on one file\n"
         "  --fork-hazard-debounce-ms=N  wait N ms after an edit before analyzing (default 50)\n"
         "  --fork-hazard-analysis-timeout-s=N  end an analysis that takes longer (default 60)\n"
         "  --fork-hazard-<option>[=value]  fork-hazard's options (below); .fork-hazard.yaml\n"
         "                         files are read as by every front end\n"
         "  Every other argument is passed to clangd (--compile-commands-dir is read by both).\n\n"
      << helpText(ProxySyntax);
}

/// Reads the number of a "--name=N" option; else says what is wrong.
static bool number(llvm::StringRef Arg, llvm::StringRef Value, unsigned &Out,
                   unsigned Least = 0) {
  if (!Value.getAsInteger(10, Out) && Out >= Least)
    return true;
  llvm::errs() << "fork-hazard-clangd: " << Arg.split('=').first << " takes a whole number"
               << (Least ? " of at least " + std::to_string(Least) : std::string()) << ", not '"
               << Value << "'\n";
  return false;
}

int main(int Argc, char **Argv) {
  ServerSettings Settings;
  Settings.ClangdPath = FORK_HAZARD_CLANGD;
  Settings.Program = llvm::sys::fs::getMainExecutable(Argv[0], (void *)&printHelp);
  bool Worker = false;
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    llvm::StringRef Value = Arg;
    if (Arg == "--analysis-worker") {
      Worker = true;
    } else if (Arg == "--standalone") {
      Settings.Standalone = true;
    } else if (Value.consume_front("--clangd=")) {
      Settings.ClangdPath = Value.str();
    } else if (Value.consume_front("--fallback-flag=")) { // the worker's
      Settings.Worker.FallbackFlags.push_back(Value.str());
    } else if (Value.consume_front("--fork-hazard-debounce-ms=")) {
      if (!number(Arg, Value, Settings.DebounceMilliseconds))
        return 2;
    } else if (Value.consume_front("--fork-hazard-analysis-timeout-s=")) {
      if (!number(Arg, Value, Settings.AnalysisTimeoutSeconds, 1))
        return 2;
    } else if (Value.consume_front("--fork-hazard-")) {
      forkhazard::Options Check;
      std::string Error;
      if (!Check.applyArgument(Value, ProxySyntax, Error)) {
        llvm::errs() << "fork-hazard-clangd: " << Error << "\n";
        return 2;
      }
      if (Check.Help) {
        printHelp();
        return 0;
      }
      Settings.Worker.SharedArgs.push_back(Value.str());
    } else {
      // clangd's: passed on. The compile database it is told to use is ours too.
      if (Value.consume_front("--compile-commands-dir="))
        Settings.Worker.CompileCommandsDir = Value.str();
      else if ((Arg == "--compile-commands-dir" || Arg == "-compile-commands-dir") && I + 1 < Argc)
        Settings.Worker.CompileCommandsDir = Argv[I + 1];
      if (Arg == "--help" || Arg == "-help" || Arg == "-h") {
        printHelp();
        return 0;
      }
      if (Arg == "--version" || Arg == "-version") {
        llvm::outs() << "fork-hazard-clangd " << toolVersion() << ", in front of "
                     << Settings.ClangdPath << ":\n";
        llvm::outs().flush();
        return llvm::sys::ExecuteAndWait(Settings.ClangdPath, {Settings.ClangdPath, "--version"});
      }
      if (!Worker) // a worker takes only what a proxy gives it
        Settings.ClangdArgs.push_back(Arg.str());
    }
  }
  if (Worker)
    return runAnalysisWorker(Settings.Worker);
  return runServer(Settings);
}

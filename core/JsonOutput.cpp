#include "core/JsonOutput.h"

#include "analysis/Compat.h"
#include "core/CheckDocs.h"
#include "core/Fingerprints.h"
#include "rules/Rule.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include <map>

namespace forkhazard {

namespace json = llvm::json; // a json::Value made from a StringRef does not copy it: pass strings

static json::Object position(const ResolvedLocation &L) {
  return json::Object{{"file", L.File}, {"line", L.Line}, {"column", L.Column}};
}

void writeJson(llvm::raw_ostream &OS, llvm::ArrayRef<ResolvedFinding> Findings,
               llvm::StringRef SourceRoot) {
  json::Array All;
  std::vector<FindingFingerprints> Fingerprints = fingerprintsOf(Findings, SourceRoot);
  for (size_t I = 0; I < Findings.size(); ++I) {
    const ResolvedFinding &F = Findings[I];
    json::Object Object = position(F.Location);
    Object["check"] = F.fullCheckName();
    Object["level"] = F.IsError ? "error" : "warning";
    Object["message"] = F.Message;
    json::Array Notes;
    for (const ResolvedNote &N : F.Notes) {
      json::Object Note = position(N.Location);
      Note["message"] = N.Message;
      Notes.push_back(std::move(Note));
    }
    Object["notes"] = std::move(Notes);
    json::Array Fixes;
    for (const ResolvedFixIt &Fix : F.FixIts) {
      json::Object Object = position(Fix.Begin);
      Object["endLine"] = Fix.End.Line;
      Object["endColumn"] = Fix.End.Column;
      Object["offset"] = Fix.Begin.Offset;
      Object["length"] = Fix.End.Offset - Fix.Begin.Offset;
      Object["replacement"] = Fix.Replacement;
      Fixes.push_back(std::move(Object));
    }
    Object["fixits"] = std::move(Fixes);
    Object["fingerprints"] = json::Object{{"line", Fingerprints[I].Line},
                                          {"code", Fingerprints[I].Code}};
    All.push_back(std::move(Object));
  }
  OS << llvm::formatv("{0:2}", json::Value(std::move(All))) << "\n";
}

void writeCodeQuality(llvm::raw_ostream &OS, llvm::ArrayRef<ResolvedFinding> Findings,
                      llvm::StringRef SourceRoot) {
  json::Array All;
  std::vector<FindingFingerprints> Fingerprints = fingerprintsOf(Findings, SourceRoot);
  for (size_t I = 0; I < Findings.size(); ++I) {
    const ResolvedFinding &F = Findings[I];
    llvm::StringRef Below = pathBelow(F.Location.File, SourceRoot);
    All.push_back(json::Object{
        {"type", "issue"},
        {"check_name", F.fullCheckName()},
        {"description", F.Message + " [" + F.fullCheckName() + "]"},
        {"content", json::Object{{"body", plainText(checkDescription(F.Check)) + "\n\n" +
                                              checkDocsUrl(F.Check)}}},
        {"categories", json::Array{"Bug Risk"}},
        {"severity", F.IsError ? "critical" : "major"},
        {"fingerprint", Fingerprints[I].Line},
        {"location",
         json::Object{{"path", (Below.empty() ? llvm::StringRef(F.Location.File) : Below).str()},
                      {"lines", json::Object{{"begin", F.Location.Line}}}}},
    });
  }
  OS << llvm::formatv("{0:2}", json::Value(std::move(All))) << "\n";
}

namespace {
/// RFC 3986: everything but unreserved characters and '/' is percent-encoded.
std::string uriPath(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || C == '/' || C == '-' || C == '.' || C == '_' || C == '~')
      Out += C;
    else
      Out += "%" + llvm::utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
  }
  return Out;
}

class SarifWriter {
public:
  explicit SarifWriter(const SarifRun &Run) : Run(Run) {
    Root = Run.SourceRoot;
    if (!Root.empty() && !compat::endsWith(Root, "/"))
      Root += "/";
  }

  json::Object artifact(llvm::StringRef File) const {
    llvm::StringRef Below = pathBelow(File, Root);
    if (!Below.empty())
      return json::Object{{"uri", uriPath(Below)}, {"uriBaseId", "SRCROOT"}};
    return json::Object{{"uri", "file://" + uriPath(File)}};
  }

  json::Object physical(const ResolvedLocation &L) const {
    return json::Object{
        {"artifactLocation", artifact(L.File)},
        {"region", json::Object{{"startLine", L.Line}, {"startColumn", L.Column}}}};
  }

  json::Object location(const ResolvedLocation &L, const std::string &Message) const {
    json::Object Object{{"physicalLocation", physical(L)}};
    if (!Message.empty())
      Object["message"] = json::Object{{"text", Message}};
    return Object;
  }

  json::Array rules() const {
    json::Array Rules;
    for (const RuleInfo &Rule : allRules()) {
      std::string Summary = plainText(Rule.Summary);
      std::string Description = plainText(checkDescription(Rule.Name));
      Rules.push_back(json::Object{
          {"id", fullCheckName(Rule.Name)},
          {"name", Rule.Name},
          {"shortDescription", json::Object{{"text", sentence(Summary)}}},
          {"fullDescription", json::Object{{"text", Description}}},
          {"help",
           json::Object{{"text", Description + " Details, examples and how to silence it: " +
                                     checkDocsUrl(Rule.Name)},
                        {"markdown", checkDescription(Rule.Name).str() + "\n\n[Details](" +
                                         checkDocsUrl(Rule.Name) + ")"}}},
          {"helpUri", checkDocsUrl(Rule.Name)},
          {"defaultConfiguration",
           json::Object{{"level", "warning"}, {"enabled", Rule.OnByDefault}}},
          {"properties", json::Object{{"tags", json::Array{"correctness", "fork"}},
                                      {"precision", "high"},
                                      {"problem.severity", "warning"}}},
      });
    }
    return Rules;
  }

  json::Object result(const ResolvedFinding &F, const FindingFingerprints &Fingerprints) {
    json::Object Result{
        {"ruleId", F.fullCheckName()},
        {"ruleIndex", ruleIndex(F.Check)},
        {"level", F.IsError ? "error" : "warning"},
        {"message", json::Object{{"text", sentence(F.Message)}}},
        {"locations", json::Array{location(F.Location, "")}},
        {"partialFingerprints", json::Object{{LineFingerprintName, Fingerprints.Line},
                                             {CodeFingerprintName, Fingerprints.Code}}},
    };
    json::Array Related, Flow;
    for (size_t I = 0; I < F.Notes.size(); ++I) {
      json::Object Note = location(F.Notes[I].Location, sentence(F.Notes[I].Message));
      Flow.push_back(json::Object{{"location", json::Object(Note)}}); // a path step, no id
      Note["id"] = static_cast<int64_t>(I + 1);
      Related.push_back(std::move(Note));
    }
    Flow.push_back(json::Object{{"location", location(F.Location, sentence(F.Message))}});
    if (!Related.empty())
      Result["relatedLocations"] = std::move(Related);
    Result["codeFlows"] = json::Array{json::Object{
        {"threadFlows", json::Array{json::Object{{"locations", std::move(Flow)}}}}}};
    if (!F.FixIts.empty())
      Result["fixes"] = json::Array{fix(F)};
    return Result;
  }

  json::Object fix(const ResolvedFinding &F) const {
    std::map<std::string, json::Array> ByFile;
    for (const ResolvedFixIt &Fix : F.FixIts)
      ByFile[Fix.Begin.File].push_back(json::Object{
          {"deletedRegion", json::Object{{"startLine", Fix.Begin.Line},
                                         {"startColumn", Fix.Begin.Column},
                                         {"endLine", Fix.End.Line},
                                         {"endColumn", Fix.End.Column}}},
          {"insertedContent", json::Object{{"text", Fix.Replacement}}}});
    json::Array Changes;
    for (auto &File : ByFile)
      Changes.push_back(json::Object{{"artifactLocation", artifact(File.first)},
                                     {"replacements", std::move(File.second)}});
    return json::Object{{"description", json::Object{{"text", "Apply fork-hazard's fix-it for this finding."}}},
                        {"artifactChanges", std::move(Changes)}};
  }

  json::Object run(llvm::ArrayRef<ResolvedFinding> Findings) {
    json::Array Results;
    std::vector<FindingFingerprints> Fingerprints = fingerprintsOf(Findings, Root);
    for (size_t I = 0; I < Findings.size(); ++I)
      Results.push_back(result(Findings[I], Fingerprints[I]));
    json::Object Driver{{"name", "fork-hazard"},
                        {"fullName", "fork-hazard-check"},
                        {"version", Run.ToolVersion},
                        {"semanticVersion", Run.ToolVersion},
                        {"informationUri", projectUrl()},
                        {"rules", rules()}};
    json::Object Object{{"tool", json::Object{{"driver", std::move(Driver)}}},
                        {"columnKind", "unicodeCodePoints"},
                        {"results", std::move(Results)}};
    if (!Root.empty())
      Object["originalUriBaseIds"] =
          json::Object{{"SRCROOT", json::Object{{"uri", "file://" + uriPath(Root)}}}};
    return Object;
  }

private:
  /// SARIF messages are sentences: they end with a period.
  static std::string sentence(llvm::StringRef Text) {
    std::string Out = Text.str();
    if (!Out.empty() && Out.back() != '.' && Out.back() != '?' && Out.back() != '!')
      Out += '.';
    return Out;
  }
  static int64_t ruleIndex(llvm::StringRef Check) {
    int64_t Index = 0;
    for (const RuleInfo &Rule : allRules()) {
      if (Rule.Name == Check)
        return Index;
      ++Index;
    }
    return -1;
  }

  const SarifRun &Run;
  std::string Root;
};
} // namespace

void writeSarif(llvm::raw_ostream &OS, llvm::ArrayRef<ResolvedFinding> Findings,
                const SarifRun &Run) {
  SarifWriter Writer(Run);
  json::Object Log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                   {"version", "2.1.0"},
                   {"runs", json::Array{Writer.run(Findings)}}};
  OS << llvm::formatv("{0:2}", json::Value(std::move(Log))) << "\n";
}

} // namespace forkhazard

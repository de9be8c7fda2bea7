#include "core/Fingerprints.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MD5.h"
#include <map>

namespace forkhazard {

static std::string md5(const std::string &Text) {
  llvm::MD5 Hash;
  Hash.update(Text);
  llvm::MD5::MD5Result Result;
  Hash.final(Result);
  return std::string(Result.digest().str());
}

std::vector<FindingFingerprints> fingerprintsOf(llvm::ArrayRef<ResolvedFinding> Findings,
                                                llvm::StringRef SourceRoot) {
  std::string Root = SourceRoot.str();
  if (!Root.empty() && Root.back() != '/')
    Root += '/';
  std::map<std::string, unsigned> Occurrences; // per file: (file, check, line text)
  std::vector<FindingFingerprints> Result;
  for (const ResolvedFinding &F : Findings) {
    llvm::StringRef Below = pathBelow(F.Location.File, Root);
    std::string File = (Below.empty() ? llvm::StringRef(F.Location.File) : Below).str();
    std::string Code = F.Check + "\n" + F.LineText;
    std::string Identity = F.Check + "\n" + File + "\n" + F.LineText;
    std::string Occurrence = std::to_string(Occurrences[Identity]++);
    Result.push_back({md5(Identity + "\n" + Occurrence), md5(Code + "\n" + Occurrence)});
  }
  return Result;
}

} // namespace forkhazard

# lit configuration for fork-hazard. Run through the build: `cmake --build build --target check`
# or `python3 /usr/lib/llvm-N/build/utils/lit/lit.py build/test`.
import os
import sys
import lit.formats

config.name = "fork-hazard"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.fork_hazard_binary_dir, "test")

# Tests are run in the C locale with a fixed column width so diagnostics are stable.
config.environment["LC_ALL"] = "C"
config.environment["COLUMNS"] = "200"

plugin = config.fork_hazard_plugin
# %clang_fh: clang with the plugin loaded, checking syntax only.
config.substitutions.append(("%clang_fh_cxx",
    f"{config.clang} --driver-mode=g++ -fplugin={plugin} -fsyntax-only -fno-color-diagnostics"))
config.substitutions.append(("%clang_fh",
    f"{config.clang} -fplugin={plugin} -fsyntax-only -fno-color-diagnostics"))
config.substitutions.append(("%clang", config.clang))
# %examples: the programs in examples/ (the demo and the docs use them; test/examples checks them).
config.substitutions.append(("%examples", os.path.join(os.path.dirname(config.test_source_root), "examples")))
config.substitutions.append(("%plugin", plugin))
# %fork-hazard-check: the CLI; %cmake: the CMake that configured this build (test projects).
config.substitutions.append(("%fork-hazard-check", config.fork_hazard_check))
# (with this build's generator and build tool: a machine may have ninja and no make)
config.substitutions.append(("%cmake", '%s -G "%s" -DCMAKE_MAKE_PROGRAM=%s' % (
    config.cmake, config.cmake_generator, config.cmake_make_program)))
config.substitutions.append(("%python", sys.executable))
# %expect-exit N COMMAND: COMMAND must exit with status N (test/cli/Inputs/expect_exit.py).
config.substitutions.append(("%expect-exit", "%s %s" % (sys.executable,
    os.path.join(config.test_source_root, "cli", "Inputs", "expect_exit.py"))))
# %sarif-validate FILE: the SARIF Multitool's `validate --rule-kind "Sarif;Ghas"`, failing on any
# error or warning (scripts/test.sh installs it from npm; test/cli/Inputs/sarif_validate.py).
validate = os.path.join(config.test_source_root, "cli", "Inputs", "sarif_validate.py")
config.substitutions.append(("%sarif-validate",
    f"{sys.executable} {validate} {config.sarif_multitool}"))
# util-linux's `script`, to give a command a terminal (bsdutils, essential on Debian).
import shutil
if shutil.which("script"):
    config.available_features.add("shell-script")
if config.sarif_multitool and os.path.exists(config.sarif_multitool):
    config.available_features.add("sarif-validator")
# FileCheck and not come from the same LLVM (llvm-N-tools).
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])

config.available_features.add(f"llvm-{config.llvm_version_major}")

# The editor front end and the clangd it runs in front of (that of this build's LLVM).
config.substitutions.append(("%fork-hazard-clangd",
    os.path.join(config.fork_hazard_binary_dir, "bin", "fork-hazard-clangd")))
clangd = os.path.join(config.llvm_tools_dir, "clangd")
config.substitutions.append(("%clangd", clangd))
if os.path.exists(clangd):
    config.available_features.add("clangd")

# The clang-tidy module and the clang-tidy (and run-clang-tidy) of this build's LLVM, which is the
# only one it loads into.
clang_tidy = os.path.join(config.llvm_tools_dir, "clang-tidy")
run_clang_tidy = os.path.join(config.llvm_tools_dir, "run-clang-tidy")
config.substitutions.append(("%tidy-module", config.fork_hazard_tidy_module))
config.substitutions.append(("%run-clang-tidy", f"{sys.executable} {run_clang_tidy}"))
# (before %clang, which would otherwise replace its beginning)
config.substitutions.insert(0, ("%clang-tidy", clang_tidy))
# %verify-tidy FIXTURE...: the fixtures' -verify RUN lines through clang-tidy (test/tidy/Inputs).
config.substitutions.append(("%verify-tidy", "%s %s --clang-tidy=%s --load=%s --clang=%s" % (
    sys.executable, os.path.join(config.test_source_root, "tidy", "Inputs", "verify_tidy.py"),
    clang_tidy, config.fork_hazard_tidy_module, config.clang)))
if os.path.exists(clang_tidy) and os.path.exists(config.fork_hazard_tidy_module):
    config.available_features.add("clang-tidy")

# The build directory itself (test/package installs it), and gcc for the non-clang routes.
config.substitutions.append(("%fh-build", config.fork_hazard_binary_dir))
# %cmake-command: the same CMake without the generator arguments (cmake --install, --build).
config.substitutions.insert(0, ("%cmake-command", config.cmake))
if shutil.which("gcc"):
    config.available_features.add("gcc")
config.substitutions.append(("%llvm-version", str(config.llvm_version_major)))
# Slow tests (a clean Debian root for the package) run when FORK_HAZARD_SLOW_TESTS=1 (.ci/run).
if os.environ.get("FORK_HAZARD_SLOW_TESTS") == "1":
    config.available_features.add("slow-tests")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    config.available_features.add("root")
if shutil.which("git"):
    config.available_features.add("git")
# %browser-dom URL: the page's DOM after its scripts ran, in headless Chromium (the HTML report).
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(("%browser-dom", "%s %s %s" % (
        sys.executable, os.path.join(config.test_source_root, "cli", "Inputs", "browser_dom.py"),
        chromium)))
# The caches and distributed compilers the plugin is run through (test/distributed).
for tool in ("ccache", "icecc", "iceccd", "icecc-scheduler", "icecc-create-env"):
    if shutil.which(tool) or os.path.exists(os.path.join("/usr/sbin", tool)):
        config.available_features.add(tool)

#include "cli/args.h"

namespace canopy::cli {

bool parse_args(int argc, char** argv, int first, const std::vector<OptionSpec>& specs, Args* out, std::string* error) {
  bool options_done = false;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (options_done || a == "-" || a.size() < 2 || a[0] != '-') {
      out->positional.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "-h") a = "--help";
    if (a.rfind("--", 0) != 0) {
      *error = "Unknown option " + a + ": options are spelt --name.";
      return false;
    }
    std::string name = a.substr(2), value;
    bool inline_value = false;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs) {
      if (name == s.name) spec = &s;
    }
    if (!spec) {
      if (name == "token") {
        *error =
            "canopy-import never takes a token on the command line (it would show in ps and the shell history): "
            "put it in an environment variable and pass --token-env NAME.";
      } else {
        *error = "Unknown option --" + name + ".";
      }
      return false;
    }
    if (spec->takes_value && !inline_value) {
      if (i + 1 >= argc) {
        *error = "--" + name + " needs a value.";
        return false;
      }
      value = argv[++i];
    } else if (!spec->takes_value && inline_value) {
      *error = "--" + name + " takes no value.";
      return false;
    }
    auto& slot = out->values[name];
    if (!slot.empty() && !spec->repeatable) {
      *error = "--" + name + " is given twice.";
      return false;
    }
    slot.push_back(value);
  }
  return true;
}

}  // namespace canopy::cli

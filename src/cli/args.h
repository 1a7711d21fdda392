// Command-line parsing for the subcommands: `--name value`, `--name=value`, flags, positionals. Each
// subcommand declares what it takes, so an unknown or misspelt option is a usage error, not ignored.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace canopy::cli {

struct OptionSpec {
  const char* name;  // without the leading "--"
  bool takes_value;
  bool repeatable = false;
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;  // option -> values given (flags: {""})
  bool has(const std::string& name) const { return values.count(name) > 0; }
  std::string get(const std::string& name, const std::string& fallback = {}) const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? fallback : it->second.back();
  }
};

// Parses argv[first..]; on a problem returns false with a one-line message in *error.
bool parse_args(int argc, char** argv, int first, const std::vector<OptionSpec>& specs, Args* out, std::string* error);

}  // namespace canopy::cli

// The subcommands of canopy-import. Each takes main's argv (argv[1] is the subcommand) and returns the
// exit code (common.h).
#pragma once
#include <string>

namespace canopy::cli {

int run_sample(int argc, char** argv);
int run_preview(int argc, char** argv, bool validate);
int run_mapping(int argc, char** argv);
int run_submit(int argc, char** argv);

// Prints the help of `topic` ("" = overview, or a subcommand) on stdout; returns 0, or 2 for an
// unknown topic.
int print_help(const std::string& topic);

}  // namespace canopy::cli

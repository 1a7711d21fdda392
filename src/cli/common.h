// What the subcommands share: exit codes, one-line error output, reading small input files, the mode
// and lookups options.
#pragma once
#include <cstdio>
#include <string>

#include "cli/args.h"
#include "cli/chunked.h"
#include "cli/source.h"
#include "core/error.h"
#include "mapping/schema.h"
#include "validate/validator.h"

namespace canopy::cli {

// Exit codes (docs/cli.md).
constexpr int kExitOk = 0;             // done; every row valid (validate) or created/invited (submit)
constexpr int kExitRows = 1;           // rows with errors (validate), or rows that failed or were not sent
constexpr int kExitUsage = 2;          // bad command line, unreadable/undecodable file, unusable mapping
constexpr int kExitServer = 3;         // the server or the network failed: unconfirmed rows, refused token
constexpr int kExitInterrupted = 130;  // Ctrl-C / SIGTERM: finished the batch in flight, then stopped

// Prints "canopy-import: <message>" on stderr (one line) and returns `exit_code`.
int fail(int exit_code, const std::string& message);
// A core Error as one line, with what to do on the command line where the core's text speaks of the
// page (e.g. "pick the encoding" -> --encoding).
std::string describe(const Error& e);

// An unsure encoding detection (source.h), as one line: what was used, what else reads differently, and
// the --encoding values to try. Empty when detection was sure.
std::string encoding_unsure_text(const SourceInfo& info);

// Reads a whole (small) file: mapping and lookups JSON.
Result<std::string> read_file(const std::string& path, const char* what);

// --mode: the mode, or nullptr with a message naming the choices.
const ModeSpec* mode_option(const Args& args, std::string* error);

// --lookups FILE: Lookups (state loaded), or not_given without the option. Notes about lists the file
// leaves out go to stderr when the mode has fields that need them.
Result<Lookups> lookups_option(const Args& args, const ModeSpec& mode);

// What preview, validate and submit read alike: --lookups, --mapping, --encoding, --delimiter and
// --chunk-rows. The error's message says which option is wrong.
struct InputOptions {
  ImportOptions import;
  SourceOptions source;
};
Result<InputOptions> input_options(const Args& args, const ModeSpec& mode);

// The lines the header/footer rule skipped, for the text report: the core's preamble_skipped and
// footer_skipped messages (naming the line numbers) and the option that undoes it, then each line
// with its text on a line of its own after `indent`. Empty when nothing was skipped.
// The note on stderr when a workbook has several sheets with cells and no --sheet chose one ("" when none).
std::string sheet_note(const SourceInfo& info);
std::string preamble_text(const std::vector<SkippedLine>& lines, uint32_t header_line, const std::string& indent);
std::string footer_text(const std::vector<SkippedLine>& lines, const std::string& indent);

// --header-line N and --keep-footers into `source` (the error names the option).
Error layout_options(const Args& args, SourceOptions* source);

// FILE (the one positional), or an error message.
bool file_argument(const Args& args, const char* command, std::string* path, std::string* error);

}  // namespace canopy::cli

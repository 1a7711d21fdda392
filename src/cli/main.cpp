// canopy-import: the CSV import core on the command line. Offline sample / preview / validate /
// mapping, and submit for files of any size. docs/cli.md is the manual; --help has the short form.
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli/commands.h"
#include "cli/common.h"
#include "submit/submitter.h"

namespace canopy::cli {
namespace {

constexpr const char* kVersion = "canopy-import 0.1.0";

constexpr const char* kOverview =
    R"(canopy-import: preview, validate and import identity CSV files (the dashboard's CSV import, on the
command line, for files of any size).

Usage:
  canopy-import sample   --mode MODE [--lookups FILE.json]
  canopy-import preview  FILE --mode MODE [--lookups FILE.json] [--mapping FILE.json] [--format text|json]
                         [--api URL --environment ID]
  canopy-import validate FILE --mode MODE [same options as preview]
  canopy-import mapping  FILE --mode MODE [--mapping FILE.json] [--split-name COLUMN]
  canopy-import submit   FILE --mode MODE --api URL [--environment ID] [--token-env VAR] [--resume] ...
  canopy-import help [COMMAND]      canopy-import COMMAND --help      canopy-import --version

Modes: invite (Bulk invite, environment), create (Bulk create, environment), account (account-tier
bulk create). FILE may be - for standard input (not with --resume).

Exit status: 0 done; 1 rows with errors (validate) or rows that failed or were not sent (submit);
2 bad command line, unreadable file or unusable mapping; 3 server or network failure (refused token,
rows unconfirmed after retries); 130 interrupted (run again with --resume).
)";

constexpr const char* kSample = R"(Usage: canopy-import sample --mode MODE [--lookups FILE.json]

Prints the sample CSV of MODE (invite, create or account): every column of the mode, # comment lines
that document each column, and example rows that validate against the demo data.

  canopy-import sample --mode create > people.csv

--lookups FILE.json (as for preview): the examples use the first role, node, OAuth client and
application of the file instead of the demo data's, so the sample validates in that environment.
)";

constexpr const char* kPreview = R"(Usage: canopy-import preview FILE --mode MODE [options]
       canopy-import validate FILE --mode MODE [options]

Reads FILE like the wizard's Upload, Mapping and Preview steps, without any network: the upload
summary (encoding, delimiter, columns), the mapping of each column and why (the alias that matched, or
why it is ignored), the rows with issues (the first 1,000 unless --limit says otherwise), the issue
counts by code, and the stats. No size or row limit; memory stays flat.

validate prints the same and exits with status 1 when any row has an error (for CI pipelines).

Options:
  --mode MODE            invite, create or account (required)
  --lookups FILE.json    roles, nodes, OAuth clients and applications to check ids against:
                         {"roles":[{"id":..}], "nodes":[..], "oauth_clients":[{"client_id":..}],
                          "applications":[..]} (the API's lookup answers, or plain lists of ids).
                         Without it, lookup ids are checked for format only and reported as
                         "not verified" warnings.
  --mapping FILE.json    a saved mapping {"mode":..,"columns":{"Header":"field",..}} (the wizard's
                         export, or `canopy-import mapping`); applied over the automatic mapping
  --split-name COLUMN    split the full names of COLUMN (its header, or its number) into first and
                         last name: "First Last", "First Middle Last", "Last, First"; any other form
                         is left empty with a name_split_unsure warning on its row, never guessed
  --api URL              check the directory: rows whose email already has an identity or a pending
                         invite in the scope become email_exists errors (read-only; nothing is sent).
                         With --environment ID (invite, create) and the token in $CANOPY_TOKEN (or the
                         variable --token-env VAR names). Without --api: "Directory: not checked".
  --encoding NAME        skip detection: any WHATWG encoding name or label (UTF-8, UTF-16LE,
                         windows-1250..1258, latin1, ISO-8859-15, KOI8-R, macintosh, Shift_JIS,
                         cp932, EUC-JP, ISO-2022-JP, GBK, gb18030, Big5, EUC-KR, windows-949, ...)
  --delimiter D          comma, semicolon or tab; skip detection
  --header-line N        the header row is line N: the lines above it are skipped. Without it the
                         header is found (lines above it such as Excel's sep=;, Entra's version:v1.0
                         or report titles are skipped and listed); --header-line 1 reads every line
  --keep-footers         keep a report footer under the data ("Grand Totals", "Confidential…",
                         copyright lines: skipped and listed by default) as rows
  --sheet NAME|N         FILE is a workbook (.xlsx, .ods; recognised by content): read this sheet,
                         by name or number (1 is the first). Without it the one sheet with cells is
                         read; of several, the first visible one, with a note naming the others.
                         Cells are read as the spreadsheet shows them (00123 stays 00123, dates in
                         ISO 8601); streamed, so memory stays flat however long the sheet
  --format text|json     json: one stable JSON document (schema in docs/cli.md)
  --only errors|warnings list only rows with errors / only rows with warnings
  --limit N              list at most N rows with issues (default 1,000; 0 = all); the issue
                         counts by code at the end always cover the whole file

Exit status: 0 (preview: always after reading the file; validate: no row has an error), 1 (validate:
some row has an error), 2 (bad command line, unreadable or undecodable file, required field unmapped).
)";

constexpr const char* kMapping =
    R"(Usage: canopy-import mapping FILE --mode MODE [--mapping FILE.json] [--header-line N] [--sheet NAME|N]

Prints the mapping of FILE's columns as JSON: {"mode":..,"columns":{"Header":"field" or ""}}. Edit it
and pass it back with --mapping to preview, validate or submit. Exit status 2 when a required field
stays unmapped (the JSON is printed all the same).
)";

constexpr const char* kSubmit = R"(Usage: canopy-import submit FILE --mode MODE --api URL [options]

Imports FILE through the API in batches of at most 200 rows, with the same batch plan, idempotency
keys and retry rules as the dashboard: 429/5xx/network errors are retried with backoff (never sooner
than Retry-After, at most {attempts} attempts, 30 s per request; a Retry-After over {retry_after_minutes} minutes leaves
the batch unconfirmed instead of waiting). Rows with errors are not sent. Files of any
size: the file is read in chunks and memory stays flat.

Options:
  --mode MODE            invite, create or account (required)
  --api URL              the API's address, e.g. https://dashboard.example.com (required)
  --environment ID       the environment (required for invite and create)
  --account ID           the account id, used in the idempotency keys (give the dashboard's to share
                         keys with it)
  --token-env VAR        the environment variable that holds the API token (default CANOPY_TOKEN).
                         The token is never taken on the command line and never printed.
  --results FILE         per-row results CSV (default: FILE's name + .results.csv)
  --failed FILE          rows to fix and import again, with an import_error column (default: next to
                         the results, failed-rows.csv)
  --resume               finish an interrupted run: batches the server already answered are taken from
                         the state file (<results>.state) instead of being sent; the rest is sent with
                         the same keys, so nothing is created twice
  --lookups FILE.json    check ids against these lookups before sending (see preview --help)
  --lookups-from-api     load the lookups from the API first
  --mapping FILE.json    a saved mapping (see preview --help)
  --encoding NAME, --delimiter D, --header-line N, --keep-footers, --sheet NAME|N   as for preview
  --quiet                no progress on stderr

Progress goes to stderr (a bar on a terminal, plain lines otherwise); the summary to stdout.

Exit status: 0 every row created/invited; 1 some rows failed on the server or were not sent because of
row errors (see the failed-rows file); 2 bad command line, unreadable file, required field unmapped,
unknown environment; 3 refused token, unreachable API, or rows unconfirmed after {attempts} attempts (run again
with --resume); 130 interrupted (run again with --resume).
)";

}  // namespace

int print_help(const std::string& topic) {
  const char* text = nullptr;
  if (topic.empty()) text = kOverview;
  else if (topic == "sample") text = kSample;
  else if (topic == "preview" || topic == "validate") text = kPreview;
  else if (topic == "mapping") text = kMapping;
  else if (topic == "submit") text = kSubmit;
  if (!text)
    return fail(kExitUsage,
                "There is no command \"" + topic + "\". Commands: sample, preview, validate, mapping, submit.");
  // The retry figures come from the policy the submit core runs with, never written twice.
  const RetryPolicy policy;
  std::string out(text);
  const std::pair<std::string, std::string> figures[] = {
      {"{attempts}", std::to_string(policy.max_attempts)},
      {"{retry_after_minutes}", std::to_string(policy.max_retry_after_ms / 60000)},
  };
  for (const auto& [key, value] : figures) {
    for (size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size())) {
      out.replace(at, key.size(), value);
    }
  }
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

}  // namespace canopy::cli

int main(int argc, char** argv) {
  using namespace canopy::cli;
#if defined(__GLIBC__)
  // Memory stays flat only if each chunk's large buffers (text, cells, duplicate tables) go back to the
  // system when the chunk is done. glibc's default raises the mmap threshold each time such a buffer
  // is freed, after which the next ones come from the heap, interleave with the growing duplicate
  // index, and fragment it: a fixed threshold keeps them mapped.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  if (argc < 2) {
    std::fputs(kOverview, stderr);
    return kExitUsage;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h") return print_help("");
  if (cmd == "help") return print_help(argc > 2 ? argv[2] : "");
  if (cmd == "--version" || cmd == "version") {
    std::puts(kVersion);
    return kExitOk;
  }
  if (cmd == "sample") return run_sample(argc, argv);
  if (cmd == "preview") return run_preview(argc, argv, false);
  if (cmd == "validate") return run_preview(argc, argv, true);
  if (cmd == "mapping") return run_mapping(argc, argv);
  if (cmd == "submit") return run_submit(argc, argv);
  return fail(kExitUsage, "There is no command \"" + cmd +
                              "\". Commands: sample, preview, validate, mapping, submit (canopy-import --help).");
}

// submit: a file of any size, chunk by chunk, through the same plan and retry core as the browser
// (ImportSession::plan_submit -> Submitter), over HTTP. This file is the I/O around the sans-I/O core:
// it sends what the core says to send, sleeps when it says wait, reports what came back, and writes
// the results and the resume state as it goes.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cli/chunked.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/directory.h"
#include "cli/http.h"
#include "cli/journal.h"
#include "cli/lookups.h"
#include "cli/progress.h"
#include "core/messages.h"
#include "parse/scanner.h"
#include "submit/retry_after.h"
#include "submit/submitter.h"

namespace canopy::cli {
namespace {

std::atomic<int> g_signals{0};

extern "C" void on_signal(int) { g_signals.fetch_add(1); }

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C stops at once (the state file keeps what was done)
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

uint64_t now_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

uint64_t epoch_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

double random01() {
  static std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// Sleeps `ms`, waking early on Ctrl-C.
void sleep_ms(uint64_t ms) {
  const uint64_t until = now_ms() + ms;
  while (!g_signals.load()) {
    const uint64_t now = now_ms();
    if (now >= until) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<uint64_t>(until - now, 50)));
  }
}

std::string seconds_text(uint64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

// Length of an export's BOM + header record (no comment lines in an export).
size_t csv_head_length(const std::string& csv, char delimiter) {
  return first_record_length(csv.data(), csv.size(), ScanRules{delimiter, false});
}

std::string default_results(const std::string& input) {
  if (input == "-") return "results.csv";
  std::string base = input.substr(input.find_last_of('/') == std::string::npos ? 0 : input.find_last_of('/') + 1);
  for (const char* ext : {".csv", ".CSV", ".txt", ".tsv"}) {
    const std::string e = ext;
    if (base.size() > e.size() && base.compare(base.size() - e.size(), e.size(), e) == 0)
      base.resize(base.size() - e.size());
  }
  return base + ".results.csv";
}

std::string default_failed(const std::string& results) {
  const std::string r = "results.csv";
  if (results.size() >= r.size() && results.compare(results.size() - r.size(), r.size(), r) == 0) {
    return results.substr(0, results.size() - r.size()) + "failed-rows.csv";
  }
  std::string s = results;
  if (s.size() > 4 && s.compare(s.size() - 4, 4, ".csv") == 0) s.resize(s.size() - 4);
  return s + ".failed-rows.csv";
}

// An output file written as <path>.partial and renamed when complete.
struct Output {
  std::string path, partial;
  std::FILE* f = nullptr;
  size_t head = 0;  // BOM + header length (written once, from the first chunk)
  bool wrote_head = false;

  // `mode`: the file's permissions (before the umask); results.csv is 0600 (it holds accept links).
  Error open(const std::string& p, mode_t mode = 0666) {
    path = p;
    partial = p + ".partial";
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd >= 0 && mode == 0600) ::fchmod(fd, 0600);  // also when the file was there before
    f = fd >= 0 ? fdopen(fd, "wb") : nullptr;
    if (!f && fd >= 0) ::close(fd);
    if (!f)
      return Error{"output_unwritable",
                   "Cannot write " + partial + ": " + std::strerror(errno) + ". Choose another path."};
    return {};
  }
  Error write_chunk(const std::string& csv, char delimiter) {
    size_t from = 0;
    if (!wrote_head) {
      head = csv_head_length(csv, delimiter);
      wrote_head = true;
    } else {
      from = std::min(head, csv.size());
    }
    if (std::fwrite(csv.data() + from, 1, csv.size() - from, f) != csv.size() - from) {
      return Error{"output_unwritable", "Cannot write " + partial + ": " + std::strerror(errno) + "."};
    }
    return {};
  }
  // `complete`: the whole file is in it, so it gets its real name; otherwise it stays <path>.partial.
  Error close(bool complete) {
    if (!f) return {};
    const bool ok = std::fclose(f) == 0;
    f = nullptr;
    if (!complete) return {};
    if (!ok || std::rename(partial.c_str(), path.c_str()) != 0) {
      return Error{"output_unwritable", "Cannot finish " + path + ": " + std::strerror(errno) + "."};
    }
    return {};
  }
};

struct Options {
  std::string file, api, environment, account, token_env, results, failed;
  bool resume = false, lookups_from_api = false, quiet = false;
  const ModeSpec* mode = nullptr;
};

// GET with a few retries for network errors, 429 and 5xx (the preflight and lookups, not batches).
HttpResult get_with_retries(Http& http, const std::string& path) {
  HttpResult r;
  for (int attempt = 1; attempt <= 4; ++attempt) {
    r = http.get(path);
    const bool transient = r.status == 0 || r.status == 429 || (r.status >= 500 && r.status != 501);
    if (!transient || attempt == 4 || g_signals.load()) return r;
    // The batches' bound on Retry-After (the core's RetryPolicy): honoured up to it, never cut short;
    // a server that asks for longer gets its answer reported instead of a wait.
    const uint64_t retry_after = parse_retry_after_ms(r.retry_after, epoch_ms());
    if (retry_after > RetryPolicy{}.max_retry_after_ms) return r;
    sleep_ms(std::max<uint64_t>(1000ull << (attempt - 1), retry_after));
  }
  return r;
}

std::string server_message(const HttpResult& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("message") &&
      j["error"]["message"].is_string()) {
    return j["error"]["message"].get<std::string>();
  }
  return {};
}

// Checks the API, the token and the scope before anything is sent; loads lookups when asked.
// Returns 0 or an exit code (the message is printed).
int preflight(Http& http, const Options& o, Lookups* lookups) {
  const bool env = o.mode->scope == Scope::environment;
  const std::string env_path = "/api/v1/environments/" + path_segment(o.environment);
  const std::string check = env ? env_path : "/api/v1/applications";
  const HttpResult r = get_with_retries(http, check);
  if (r.status == 0) {
    return fail(kExitServer,
                "Cannot reach the API at " + http.base() + ": " + r.error + ". Check --api and the network.");
  }
  if (r.status == 401 || r.status == 403) {
    return fail(kExitServer, "The API refused the token in $" + o.token_env + " (HTTP " + std::to_string(r.status) +
                                 "). Put a valid API token for this account in $" + o.token_env + ".");
  }
  if (r.status == 404 && env) {
    return fail(kExitUsage,
                "The API has no environment \"" + o.environment + "\" for this token (HTTP 404). Check --environment.");
  }
  if (r.status < 200 || r.status >= 300) {
    std::string m = server_message(r);
    return fail(kExitServer, "The API at " + http.base() + " answered HTTP " + std::to_string(r.status) + " to GET " +
                                 check + (m.empty() ? "" : " (" + m + ")") + ". Check --api, or try again later.");
  }
  if (!o.lookups_from_api) return 0;
  Lookups l;
  l.state = Lookups::State::loaded;
  struct Source {
    std::string path;
    const char* key;
    bool lower;
    std::unordered_set<std::string>* set;
  };
  std::vector<Source> sources;
  if (env) {
    sources = {{env_path + "/roles", "id", true, &l.roles},
               {env_path + "/nodes", "id", true, &l.nodes},
               {env_path + "/oauth-clients", "client_id", false, &l.clients}};
  } else {
    sources = {{"/api/v1/applications", "id", true, &l.applications}};
  }
  for (const Source& s : sources) {
    const HttpResult lr = s.path == check ? r : get_with_retries(http, s.path);
    if (lr.status < 200 || lr.status >= 300 || !add_lookup_items(lr.body, s.key, s.lower, s.set)) {
      return fail(kExitServer, "Could not load the lookups from GET " + s.path + " (" +
                                   (lr.status ? "HTTP " + std::to_string(lr.status) : lr.error) +
                                   "). Try again, or pass --lookups FILE.json instead of --lookups-from-api.");
    }
  }
  *lookups = std::move(l);
  return 0;
}

std::string mapping_line(const Mapping& m) {
  std::string used, ignored;
  for (const auto& c : m.columns) {
    if (!c.field.empty()) used += (used.empty() ? "" : ", ") + c.header + " -> " + c.field;
    else ignored += (ignored.empty() ? "" : ", ") + c.header;
  }
  return "mapping: " + used + (ignored.empty() ? "" : "; ignored: " + ignored);
}

}  // namespace

int run_submit(int argc, char** argv) {
  Args args;
  std::string err;
  const std::vector<OptionSpec> specs = {
      {"help", false},
      {"mode", true},
      {"api", true},
      {"environment", true},
      {"account", true},
      {"token-env", true},
      {"results", true},
      {"failed", true},
      {"resume", false},
      {"lookups", true},
      {"lookups-from-api", false},
      {"mapping", true},
      {"split-name", true},
      {"encoding", true},
      {"delimiter", true},
      {"quiet", false},
      {"chunk-rows", true},
      {"header-line", true},
      {"keep-footers", false},
      {"sheet", true},
  };
  if (!parse_args(argc, argv, 2, specs, &args, &err))
    return fail(kExitUsage, err + " See canopy-import submit --help.");
  if (args.has("help")) return print_help("submit");
  Options o;
  if (!file_argument(args, "submit", &o.file, &err)) return fail(kExitUsage, err);
  o.mode = mode_option(args, &err);
  if (!o.mode) return fail(kExitUsage, err);
  if (!args.has("api"))
    return fail(kExitUsage, "Give the API's address with --api URL (for example --api https://dashboard.example.com).");
  o.api = normalize_api_base(args.get("api"));
  if (o.api.empty())
    return fail(kExitUsage, "--api needs an http:// or https:// URL, not \"" + args.get("api") + "\".");
  o.environment = args.get("environment");
  o.account = args.get("account");
  if (o.mode->scope == Scope::environment && o.environment.empty()) {
    return fail(kExitUsage,
                std::string(o.mode->title) +
                    " imports into an environment: add --environment ID (for example --environment env_dev).");
  }
  if (o.mode->scope == Scope::account && !o.environment.empty()) {
    return fail(kExitUsage, std::string(o.mode->title) + " is account-wide and takes no --environment; drop it.");
  }
  o.token_env = args.get("token-env", "CANOPY_TOKEN");
  const char* token = std::getenv(o.token_env.c_str());
  if (!token || !*token) {
    return fail(kExitUsage,
                "Set the environment variable " + o.token_env +
                    " to the API token (canopy-import reads the token from the "
                    "variable named by --token-env, default CANOPY_TOKEN, and never from the command line).");
  }
  if (args.has("lookups") && args.has("lookups-from-api"))
    return fail(kExitUsage, "Use --lookups FILE or --lookups-from-api, not both.");
  o.resume = args.has("resume");
  o.lookups_from_api = args.has("lookups-from-api");
  o.quiet = args.has("quiet");
  o.results = args.get("results", default_results(o.file));
  o.failed = args.get("failed", default_failed(o.results));
  if (o.resume && o.file == "-") return fail(kExitUsage, "--resume needs the file itself, not standard input.");

  auto inputs = input_options(args, *o.mode);
  if (!inputs.ok()) return fail(kExitUsage, inputs.error().message);
  ImportOptions& io = inputs.value().import;
  const SourceOptions& so = inputs.value().source;

  // Everything that can be checked offline first: the file, its header and the mapping.
  auto opened = ChunkReader::open(o.file, so);
  if (!opened.ok()) return fail(kExitUsage, o.file + ": " + describe(opened.error()));
  if (const std::string n = sheet_note(opened.value()->info()); !n.empty())
    std::fprintf(stderr, "canopy-import: note: %s\n", n.c_str());
  ChunkReader& reader = *opened.value();
  // An unsure encoding would create people with misread names: the user names it first.
  if (reader.info().encoding_unsure) return fail(kExitUsage, o.file + ": " + encoding_unsure_text(reader.info()));

  Http http(o.api, token);
  if (int code = preflight(http, o, &io.lookups)) return code;
  // Rows whose email already exists in the scope are not sent (email_exists), as in the wizard. Not
  // with --resume: it must send the first run's batches again, byte for byte, and the rows that run
  // created exist now.
  DirectoryChecker directory(http, Scope_ids{o.account, o.environment});
  if (!o.resume) io.on_validated = [&directory](ImportSession& session) { return directory.check(session); };

  ChunkedImport imp(reader, io);
  auto first = imp.next();
  if (!first.ok()) return fail(kExitUsage, o.file + ": " + describe(first.error()));
  for (const auto& note : imp.mapping_notes()) std::fprintf(stderr, "canopy-import: note: %s\n", note.c_str());
  const auto missing = imp.mapping().missing_required();
  if (!missing.empty()) {
    std::string names;
    for (size_t i = 0; i < missing.size(); ++i) names += (i ? ", " : "") + std::string(missing[i]);
    return fail(kExitUsage, "No column is mapped to " + names + ", which " + std::string(o.mode->title) +
                                " needs; nothing was sent. Name the columns so, or pass --mapping FILE.json (see "
                                "canopy-import mapping --help).");
  }

  nlohmann::ordered_json fp;
  fp["mode"] = std::string(o.mode->id);
  fp["api"] = o.api;
  fp["environment"] = o.environment;
  fp["account"] = o.account;
  fp["chunk_rows"] = so.chunk_rows;  // batches (and so keys) depend on where chunks are cut
  auto journal_r = Journal::open(o.results + ".state", fp.dump(), o.resume);
  if (!journal_r.ok()) return fail(kExitUsage, journal_r.error().message);
  Journal& journal = *journal_r.value();
  if (o.resume && journal.size()) {
    std::fprintf(stderr, "canopy-import: resuming: %s batches already answered are taken from %s, not sent again.\n",
                 with_commas(journal.size()).c_str(), journal.path().c_str());
  } else if (o.resume) {
    std::fprintf(stderr,
                 "canopy-import: resuming: %s holds no answers yet, so every batch is sent (with the same keys: "
                 "the server replays any it already has).\n",
                 journal.path().c_str());
  }

  Output results, failed;
  if (Error e = results.open(o.results, 0600)) return fail(kExitUsage, e.message);
  if (Error e = failed.open(o.failed)) return fail(kExitUsage, e.message);

  install_signal_handlers();
  ProgressDisplay progress(o.quiet);
  if (!o.quiet) {
    progress.note(mapping_line(imp.mapping()));
    if (io.lookups.state == Lookups::State::not_given) {
      bool uses = false;
      for (const FieldSpec* f : mode_fields(*o.mode)) {
        const bool lookup = f->kind == FieldKind::role_id || f->kind == FieldKind::node_id ||
                            f->kind == FieldKind::client_id || f->kind == FieldKind::application_id;
        uses |= lookup && imp.mapping().column_of(f->name) >= 0;
      }
      if (uses)
        progress.note(
            "note: ids are checked for format only (no --lookups or --lookups-from-api); the server checks that they "
            "exist.");
    }
  }

  const Scope_ids scope{o.account, o.environment};
  ProgressSnapshot snap;
  snap.bytes_total = reader.info().file_bytes;
  uint64_t batches_before = 0, bytes_before = 0;
  uint64_t cancelled_rows = 0, from_state = 0;
  bool stop_sending = false;  // Ctrl-C, or the token was refused mid-way
  std::string stop_reason;
  int stop_exit = 0;
  Error fatal;

  for (ImportSession* s = first.value(); s;) {
    const Stats st = s->stats();
    auto planned = s->plan_submit(scope);
    if (!planned.ok()) {
      fatal = planned.error();
      break;
    }
    Submitter& sub = *s->submitter();
    const uint64_t chunk_bytes = imp.chunk().raw_consumed > bytes_before ? imp.chunk().raw_consumed - bytes_before : 0;
    const ProgressSnapshot base = snap;
    auto refresh = [&](bool milestone) {
      const canopy::Progress p = sub.progress();
      snap = base;
      snap.rows_read = base.rows_read + st.total;
      snap.rows_done = base.rows_done + st.errors + p.rows_done;
      snap.succeeded = base.succeeded + p.succeeded;
      snap.replayed = base.replayed + p.replayed;
      snap.failed = base.failed + p.failed;
      snap.invalid = base.invalid + st.errors;
      snap.unconfirmed = base.unconfirmed + p.unconfirmed;
      snap.batches_done = base.batches_done + p.batches_done;
      snap.batches_from_state = from_state;
      const double frac = p.rows_total ? static_cast<double>(p.rows_done) / static_cast<double>(p.rows_total) : 1.0;
      snap.bytes_done = bytes_before + static_cast<uint64_t>(frac * static_cast<double>(chunk_bytes));
      progress.update(snap, milestone);
    };

    std::string last_network_error;
    for (;;) {
      if ((g_signals.load() || stop_sending) && !sub.cancelled()) {
        if (!stop_sending) {
          stop_sending = true;
          stop_exit = kExitInterrupted;
          stop_reason = "interrupted";
          progress.note(
              "stopping: the batch in flight was finished and recorded; the rest is marked cancelled "
              "(run again with --resume to send it). Ctrl-C again stops at once.");
        }
        sub.cancel();
      }
      const Action a = sub.next(now_ms());
      if (a.kind == Action::done) break;
      const size_t number = batches_before + a.batch + 1;
      if (a.kind == Action::wait) {
        if (a.delay_ms > 0) {
          std::string why = a.reason;
          if (a.reason == "network error" && !last_network_error.empty()) why += " (" + last_network_error + ")";
          progress.note("batch " + with_commas(number) + ": " + why + "; retrying in " + seconds_text(a.delay_ms) +
                        " (attempt " + std::to_string(sub.progress().attempt) + " of " +
                        std::to_string(RetryPolicy{}.max_attempts) + ")");
        }
        sleep_ms(a.delay_ms);
        continue;
      }
      const Batch& b = sub.batches()[a.batch];
      int stored_status = 0;
      std::string stored;
      if (journal.find(b.idempotency_key, &stored_status, &stored)) {
        sub.on_response(a.batch, stored_status, "", stored, now_ms(), epoch_ms(), random01());
        ++from_state;
        refresh(false);
        continue;
      }
      const HttpResult r = http.post_json(b.path, b.body, b.idempotency_key);
      if (r.status == 0) {
        last_network_error = r.timeout ? "no answer within 30 s" : r.error;
        sub.on_network_error(a.batch, r.timeout, now_ms(), random01());
      } else {
        sub.on_response(a.batch, r.status, r.retry_after, r.body, now_ms(), epoch_ms(), random01(),
                        r.replayed && !r.reconnected);
      }
      if (r.status >= 200 && r.status < 300 && !b.indices.empty()) {
        const RowOutcome* out = sub.row_outcome(b.indices[0]);
        if (out && out->outcome != Outcome::unconfirmed) {
          if (Error e = journal.record(b.idempotency_key, r.status, r.body)) {
            progress.note("warning: " + e.message + " --resume will resend this batch (the server replays it).");
          }
        }
      }
      if ((r.status == 401 || r.status == 403) && !stop_sending) {
        stop_sending = true;
        stop_exit = kExitServer;
        stop_reason = "The API refused the token in $" + o.token_env + " (HTTP " + std::to_string(r.status) +
                      ") at batch " + with_commas(number) + "; the rest was not sent. Put a valid token in $" +
                      o.token_env + " and run again with --resume.";
      }
      refresh(false);
    }
    refresh(true);
    cancelled_rows += sub.progress().cancelled;
    batches_before += planned.value();
    bytes_before = imp.chunk().raw_consumed;

    if (Error e = results.write_chunk(s->results_csv(), ',')) {
      fatal = e;
      break;
    }
    if (Error e = failed.write_chunk(s->failed_rows_csv(), ',')) {
      fatal = e;
      break;
    }
    auto more = imp.next();
    if (!more.ok()) {
      fatal = Error{more.error().code, o.file + ": " + describe(more.error())};
      break;
    }
    s = more.value();
  }
  progress.finish(snap);

  const bool whole_file = !fatal;
  const Error closed_results = results.close(whole_file);
  const Error closed_failed = failed.close(whole_file);
  if (!fatal && closed_results) fatal = closed_results;
  if (!fatal && closed_failed) fatal = closed_failed;

  const Totals& t = imp.totals();
  const uint64_t unfinished = snap.unconfirmed + cancelled_rows;
  const bool complete = !fatal && unfinished == 0;
  if (complete) journal.remove();

  // The report, on stdout.
  const std::string where = o.mode->scope == Scope::environment ? "environment " + o.environment : "the account";
  std::printf("%s %s rows of %s into %s (%s):\n", complete ? "Imported" : "Stopped importing",
              with_commas(t.rows).c_str(), o.file == "-" ? "standard input" : o.file.c_str(), where.c_str(),
              std::string(o.mode->id).c_str());
  std::printf("  %s %s, %s failed on the server, %s not sent (row errors), %s unconfirmed, %s cancelled\n",
              with_commas(snap.succeeded).c_str(), o.mode->success_status == "invited" ? "invited" : "created",
              with_commas(snap.failed).c_str(), with_commas(snap.invalid).c_str(),
              with_commas(snap.unconfirmed).c_str(), with_commas(cancelled_rows).c_str());
  if (snap.replayed) {
    std::printf("  %s already %s by an earlier attempt (the server replayed its answers; not %s again by this run)\n",
                with_commas(snap.replayed).c_str(), o.mode->success_status == "invited" ? "invited" : "created",
                o.mode->success_status == "invited" ? "invited" : "created");
  }
  if (snap.batches_from_state) {
    std::printf("  %s batches were answered in an earlier run (taken from the state file)\n",
                with_commas(snap.batches_from_state).c_str());
  }
  if (const std::string p = preamble_text(t.preamble, imp.reader().info().header_line, "                 ");
      !p.empty()) {
    std::printf("  skipped:     %s\n", p.c_str());
  }
  if (const std::string f = footer_text(t.footer, "                 "); !f.empty())
    std::printf("  skipped:     %s\n", f.c_str());
  std::printf("  directory:   %s\n",
              o.resume ? "not checked (--resume sends the first run's batches again, with the same keys)"
                       : directory_line(&directory.totals()).c_str());
  std::printf("  results:     %s\n", (whole_file ? results.path : results.partial + " (the rows read so far)").c_str());
  std::printf("  failed rows: %s%s\n", (whole_file ? failed.path : failed.partial).c_str(),
              snap.failed + snap.invalid + unfinished
                  ? " (fix these rows and import this file again: same columns, plus import_error)"
                  : " (none)");
  std::fflush(stdout);

  if (fatal) return fail(kExitUsage, fatal.message + (complete ? "" : " Fix it and run again with --resume."));
  if (stop_exit == kExitServer) return fail(kExitServer, stop_reason);
  if (stop_exit == kExitInterrupted) {
    fail(kExitInterrupted,
         "Interrupted. Run the same command with --resume to send the rest; nothing is created twice.");
    return kExitInterrupted;
  }
  if (snap.unconfirmed) {
    return fail(kExitServer,
                with_commas(snap.unconfirmed) +
                    " rows are unconfirmed: the server did not confirm their batches (after " +
                    std::to_string(RetryPolicy{}.max_attempts) +
                    " attempts, or it asked to wait longer than the importer waits; see the results file). Run the "
                    "same command with --resume: it resends them with the same idempotency keys, so nothing is "
                    "created twice.");
  }
  if (snap.failed || snap.invalid) return kExitRows;
  return kExitOk;
}

}  // namespace canopy::cli

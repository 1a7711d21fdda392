#include "cli/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace canopy::cli {
namespace {

constexpr const char* kMagic = "canopy-import-state 1 ";

}  // namespace

Result<std::unique_ptr<Journal>> Journal::open(const std::string& path, const std::string& fingerprint, bool resume) {
  std::unique_ptr<Journal> j(new Journal());
  j->path_ = path;
  // Owner only: the stored answers carry ids and emails (and the accept links of invites made without
  // email). A file left by an older version or created under another umask is tightened too.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd >= 0) ::fchmod(fd, 0600);
  j->file_ = fd >= 0 ? fdopen(fd, "a+b") : nullptr;
  if (!j->file_) {
    if (fd >= 0) ::close(fd);
    return Error{"state_unwritable", "Cannot write the state file " + path + ": " + std::strerror(errno) +
                                         ". Choose a writable place for --results."};
  }
  if (flock(fileno(j->file_), LOCK_EX | LOCK_NB) != 0) {
    return Error{"state_locked", "Another canopy-import is running this import (" + path +
                                     " is locked). Wait for it to finish, or give this run its own --results."};
  }
  std::fseek(j->file_, 0, SEEK_END);
  const long size = std::ftell(j->file_);
  const std::string head = kMagic + fingerprint;
  auto start_fresh = [&]() -> Error {
    if (ftruncate(fileno(j->file_), 0) != 0) {
      return Error{"state_unwritable", "Cannot write the state file " + path + ": " + std::strerror(errno) + "."};
    }
    std::fprintf(j->file_, "%s\n", head.c_str());
    std::fflush(j->file_);
    j->index_.clear();
    return {};
  };
  if (size == 0) {
    if (Error e = start_fresh()) return e;
    return j;
  }
  // Read the index: "<key> <status> <body>\n" per batch. A line cut short by a kill is ignored.
  std::fseek(j->file_, 0, SEEK_SET);
  std::string line;
  long line_start = 0;
  bool first = true, mismatch = false, ours = false;
  int c;
  long pos = 0;
  while ((c = getc_unlocked(j->file_)) != EOF) {
    ++pos;
    if (c != '\n') {
      // Of a batch line only the key and status are kept; bodies stay in the file.
      if (line.size() < (first ? 4096 : 128)) line.push_back(static_cast<char>(c));
      continue;
    }
    if (first) {
      ours = line.rfind(kMagic, 0) == 0;
      mismatch = line != head;
      first = false;
    } else {
      const size_t sp1 = line.find(' ');
      const size_t sp2 = sp1 == std::string::npos ? sp1 : line.find(' ', sp1 + 1);
      if (sp2 != std::string::npos) {
        const std::string key = line.substr(0, sp1);
        const int status = std::atoi(line.c_str() + sp1 + 1);
        const long body_at = line_start + static_cast<long>(sp2) + 1;
        j->index_[key] = Entry{body_at, static_cast<size_t>(pos - 1 - body_at), status};
      }
    }
    line.clear();
    line_start = pos;
  }
  if (first || !ours) {  // never truncate a file that is not ours
    return Error{"state_mismatch",
                 path + " is not a canopy-import state file. Delete it, or choose another --results."};
  }
  if (!resume) {
    // A run that recorded no answer left nothing to resume: start over quietly.
    if (!j->index_.empty()) {
      return Error{"state_exists",
                   "An earlier run of this import did not finish (" + path +
                       " exists). Add --resume to finish it without creating anything twice, or delete " + path +
                       " to start over."};
    }
    if (Error e = start_fresh()) return e;
    return j;
  }
  if (mismatch) {
    return Error{"state_mismatch", path +
                                       " belongs to another import (a different mode, API or scope). Delete it, "
                                       "or give this import its own --results."};
  }
  if (line_start != pos) {
    // A half-written last line: cut it off so the next record starts on a line of its own.
    if (ftruncate(fileno(j->file_), line_start) != 0) {
      return Error{"state_unwritable", "Cannot repair the state file " + path + ": " + std::strerror(errno) + "."};
    }
  }
  std::fseek(j->file_, 0, SEEK_END);
  return j;
}

Journal::~Journal() {
  if (file_) std::fclose(file_);
}

bool Journal::find(const std::string& key, int* status, std::string* body) {
  auto it = index_.find(key);
  if (it == index_.end()) return false;
  body->assign(it->second.length, '\0');
  if (pread(fileno(file_), body->data(), body->size(), it->second.offset) != static_cast<ssize_t>(body->size())) {
    return false;
  }
  *status = it->second.status;
  return true;
}

Error Journal::record(const std::string& key, int status, std::string_view body) {
  std::fseek(file_, 0, SEEK_END);
  const long start = std::ftell(file_);
  std::string line = key + " " + std::to_string(status) + " ";
  const size_t body_at = line.size();
  line.append(body);
  // JSON allows raw line breaks only as whitespace between tokens: spaces keep it the same JSON.
  for (size_t i = body_at; i < line.size(); ++i) {
    if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
  }
  line.push_back('\n');
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    return Error{"state_unwritable", "Cannot write the state file " + path_ + ": " + std::strerror(errno) + "."};
  }
  index_[key] = Entry{start + static_cast<long>(body_at), body.size(), status};
  return {};
}

void Journal::remove() {
  std::fclose(file_);
  file_ = nullptr;
  ::unlink(path_.c_str());
}

}  // namespace canopy::cli

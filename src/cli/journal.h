// The resume state of a submit: `<results>.state`, one line per batch the server answered with per-row
// results (its idempotency key, the status and the body). A run with --resume feeds those answers to the
// submit core instead of sending the batches again; batches not in it are sent with the same keys, so
// one that was committed but whose answer was lost is replayed by the server, not created twice.
// Only the keys' offsets stay in memory; bodies are read back from the file when needed.
#pragma once
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

namespace canopy::cli {

class Journal {
 public:
  // Opens `path`, locked against a second canopy-import. `fingerprint` names the import (mode, API,
  // scope); with `resume` an existing file is read (and must have the same fingerprint); without it an
  // existing, non-empty file is an error that says to add --resume or delete it.
  static Result<std::unique_ptr<Journal>> open(const std::string& path, const std::string& fingerprint, bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The stored answer of the batch with this key.
  bool find(const std::string& key, int* status, std::string* body);
  // Appends one answer and flushes it to the kernel (a killed process loses nothing it recorded).
  Error record(const std::string& key, int status, std::string_view body);
  size_t size() const { return index_.size(); }
  const std::string& path() const { return path_; }
  // Deletes the file (the import is complete: nothing is left to resume).
  void remove();

 private:
  Journal() = default;
  struct Entry {
    long offset;
    size_t length;
    int status;
  };
  std::string path_;
  std::FILE* file_ = nullptr;
  std::unordered_map<std::string, Entry> index_;
};

}  // namespace canopy::cli

// A workbook file (.xlsx, .ods) for the CLI: the file read where the ZIP reader asks (pread, so a big
// workbook is never held in memory), the sheet chosen by --sheet NAME|N or by the wizard's rule, and its
// CSV produced piece by piece by a second thread into a queue of two pieces, which the ChunkReader
// pulls like decoded file text: memory stays flat however many rows the sheet has.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.h"
#include "workbook/workbook.h"

namespace canopy::cli {

struct SheetChoice {
  std::string format;  // "xlsx" | "ods"
  std::string name;
  size_t index = 0;
  size_t sheets = 0;             // sheets of the workbook
  size_t sheets_with_cells = 0;  // of them, holding cells
  bool by_option = false;        // --sheet chose it
  std::string others;            // the other sheets with cells, quoted, for the note ("Contractors", ...)
};

class SheetStream {
 public:
  // `file` is read with pread (it must stay open); `bytes` (standard input, read whole) otherwise.
  // `sheet`: --sheet's value ("" = the one sheet with cells, else the first visible one, with a note).
  static Result<std::unique_ptr<SheetStream>> open(std::FILE* file, std::string bytes, const std::string& sheet);
  ~SheetStream();
  SheetStream(const SheetStream&) = delete;
  SheetStream& operator=(const SheetStream&) = delete;

  const SheetChoice& choice() const { return choice_; }
  // The next piece of CSV text into *out; false at the end; an Error from the reader.
  Result<bool> next(std::string* out);
  // How far the writer is, 0..1 (rows written of the sheet's rows), for progress.
  double progress() const;

 private:
  SheetStream() = default;
  void run();

  std::unique_ptr<workbook::ByteSource> source_;
  std::unique_ptr<workbook::Workbook> book_;
  workbook::SheetShape shape_;
  SheetChoice choice_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool done_ = false, cancel_ = false;
  Error error_;
  uint64_t bytes_out_ = 0;
};

}  // namespace canopy::cli
